"""Where unexpected errors and Ctrl+C go while the console runs.

Unexpected errors (Python's excepthook, the asyncio loop's exception handler, background
tasks) go to the log and to each window's error banner; none is fatal. Ctrl+C in the terminal
closes the windows, and so quits, on the loop's next turn.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import Callable
from types import TracebackType
from typing import Any

from PySide6.QtWidgets import QWidget

from bmx_console.ui import qt_async

log = logging.getLogger(__name__)


def install_error_hooks(windows: list[QWidget]) -> Callable[[], None]:
    """Unexpected errors go to the log and to the window's error banner; none is fatal.
    Returns what puts the previous hooks back."""

    def show(sentence: str, details: str = "") -> None:
        for window in windows:
            report = getattr(window, "report_error", None)
            if callable(report):
                report(sentence, details)

    qt_async.set_error_reporter(show, details=True)

    def excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            close_all()
            return
        if exc.__traceback__ is None and tb is not None:
            exc = exc.with_traceback(tb)
        qt_async.report_error(exc, "The console")

    def close_all(*_: object) -> None:
        for window in windows:
            window.close()

    previous_hook = sys.excepthook
    sys.excepthook = excepthook

    def loop_exception(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if isinstance(exc, BaseException):
            qt_async.report_error(exc, context.get("message") or "Background work")
        else:
            log.error("asyncio: %s", context.get("message"))

    loop = asyncio.get_running_loop()
    previous_handler = loop.get_exception_handler()
    loop.set_exception_handler(loop_exception)

    def interrupted(*_: object) -> None:
        # A signal handler runs between any two bytecodes of whatever was running; closing
        # from there raced the desk's own bookkeeping (a Ctrl+C landing inside Desk.wait()
        # was lost). The close runs on the loop's next turn instead.
        loop.call_soon_threadsafe(close_all)

    # Ctrl+C in the terminal closes the window (and so quits) instead of being ignored
    # while Qt runs: Python runs a signal handler only when it next runs Python code, so the
    # signal also wakes the loop through a socket (no timer polling for it at rest).
    previous_sigint = signal.signal(signal.SIGINT, interrupted)
    wakeup = _SignalWakeup()

    def undo() -> None:
        wakeup.close()
        signal.signal(signal.SIGINT, previous_sigint)
        loop.set_exception_handler(previous_handler)
        sys.excepthook = previous_hook
        qt_async.clear_error_reporters()

    return undo


class _SignalWakeup:
    """``signal.set_wakeup_fd`` on one end of a socket pair, a Qt notifier on the other: a
    signal makes the socket readable, Qt calls back into Python, and Python runs the handler."""

    def __init__(self) -> None:
        import socket

        from PySide6.QtCore import QSocketNotifier

        self._read, self._write = socket.socketpair()
        self._read.setblocking(False)
        self._write.setblocking(False)
        self._previous = signal.set_wakeup_fd(self._write.fileno(), warn_on_full_buffer=False)
        self._notifier = QSocketNotifier(self._read.fileno(), QSocketNotifier.Type.Read)
        self._notifier.activated.connect(self._drain)

    def _drain(self) -> None:
        try:
            while self._read.recv(64):
                pass
        except BlockingIOError:
            pass

    def close(self) -> None:
        self._notifier.setEnabled(False)
        self._notifier.deleteLater()
        signal.set_wakeup_fd(self._previous)
        self._read.close()
        self._write.close()
