"""Running coroutines from Qt on the one loop, without losing a task or an error.

Slots start work with ``spawn(coro, name=...)``: the task is kept alive (asyncio holds only
weak references to tasks), an exception is logged and handed to the error reporter (the
main window shows it), and ``cancel_all()`` at shutdown cancels what is still running.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from bmx_console.core.foreground import foreground_context
from bmx_console.errors import BmxError

log = logging.getLogger(__name__)
T = TypeVar("T")

_tasks: set[asyncio.Task[Any]] = set()
_reporters: list[tuple[Callable[..., None], bool]] = []


def set_error_reporter(reporter: Callable[..., None], *, details: bool = False) -> None:
    """Where unexpected errors in background work are shown to the operator: called with the
    sentence, and with the details (HTTP status and endpoint, or "") too if ``details``."""
    _reporters.append((reporter, details))


def clear_error_reporters() -> None:
    _reporters.clear()


def report_error(exc: BaseException, context: str) -> None:
    details = ""
    if isinstance(exc, BmxError):
        sentence = f"{context}: {exc}"
        details = exc.details
        log.warning("%s (%s)", sentence, details or "no details")
    else:
        sentence = f"{context} failed unexpectedly; see the log."
        details = f"{type(exc).__name__}: {exc}"
        log.error("%s", context, exc_info=(type(exc), exc, exc.__traceback__))
    for reporter, wants_details in list(_reporters):
        try:
            if wants_details:
                reporter(sentence, details)
            else:
                reporter(sentence)
        except Exception:
            log.exception("error reporter failed")


def spawn(coro: Coroutine[Any, Any, T], *, name: str, foreground: bool = False) -> asyncio.Task[T]:
    """Run ``coro`` on the loop; failures are reported, never lost.

    On the console's loop (``event_loop.DeskEventLoop``) its first steps run before the
    repaints the calling slot caused: a clicked release is sent, then the list redrawn.
    ``foreground`` (the operator's release, short) runs every step of it ahead of the
    background work queued (``core.foreground``).
    """
    context = foreground_context() if foreground else None
    task = asyncio.get_event_loop().create_task(coro, name=name, context=context)
    _tasks.add(task)
    task.add_done_callback(_finished)
    return task


def _finished(task: asyncio.Task[Any]) -> None:
    _tasks.discard(task)
    if task.cancelled():
        return
    exc = task.exception()
    if exc is not None:
        report_error(exc, task.get_name())


def running_tasks() -> set[asyncio.Task[Any]]:
    return set(_tasks)


async def cancel_all(timeout_s: float = 1.5) -> None:
    tasks = [t for t in _tasks if not t.done()]
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.wait(tasks, timeout=timeout_s)
