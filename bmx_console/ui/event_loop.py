"""The console's asyncio loop: qasync's, with ``call_soon`` served before Qt repaints.

qasync runs every ``call_soon`` callback from a zero-delay Qt timer of its own, and Qt serves
timers only after the events already posted to it. A click on a door's Release button posts
the door list's repaint (a low-priority ``UpdateRequest``) and then spawns the release task,
so the operator's release request used to leave only after the repaint, 2-4 ms later. Here
``call_soon`` appends to a ready queue and posts one Qt event, at normal priority, to drain
it: Qt delivers it ahead of low-priority repaints and in order with the other posted events,
and one posted event per batch is cheaper than one timer per callback.

A drain runs the callbacks queued when it starts, then those they scheduled, batch by batch
as asyncio's own loop does, until the queue is empty or it has used its small CPU budget;
the rest waits for the next drain, behind whatever Qt has pending, so a coroutine that keeps
yielding cannot starve input, timers or painting.

Steps of the operator's own work (``core.foreground``: a door release from its click to its
answer) go to a queue of their own, drained first, between any two background callbacks
and past the small budget, and their drain is posted at high priority: a release's yields on
its way to the socket no longer wait behind the pollers' slices.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import time
from collections.abc import Callable
from contextvars import Context
from typing import Any

import qasync
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt

from bmx_console.core.foreground import is_foreground

log = logging.getLogger("asyncio")

_DRAIN = QEvent.Type(QEvent.registerEventType())

# UI-thread CPU one drain may spend on callbacks scheduled while it runs before handing
# back to Qt. A release yields twice between the click and the socket write (httpcore takes
# two anyio locks, each acquire yields once); each hand-back would let the door list repaint
# first.
# Thread CPU rather than wall time: when another process takes the core mid-drain, the
# operator's wait has already happened and sending still comes before painting.
_BUDGET_S = 0.002
# The foreground's own bound: a marked coroutine that kept yielding must still let Qt in.
_FOREGROUND_BUDGET_S = 0.05


class _Drainer(QObject):
    """Receives the posted event that runs the loop's ready callbacks."""

    def __init__(self, drain: Callable[[], None]) -> None:
        super().__init__()
        self._drain = drain

    def customEvent(self, event: QEvent) -> None:
        if event.type() == _DRAIN:
            self._drain()


class DeskEventLoop(qasync.QEventLoop):
    """``qasync.QEventLoop`` whose ready callbacks run from one posted Qt event per batch.

    Delays (``call_later``, ``call_at``) stay qasync's Qt timers.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Before qasync's constructor: with already_running=True it starts the loop there.
        self._ready_handles: collections.deque[asyncio.Handle] = collections.deque()
        self._foreground_handles: collections.deque[asyncio.Handle] = collections.deque()
        self._drain_posted = False
        self._foreground_posted = False
        self._drainer = _Drainer(self._run_ready)
        super().__init__(*args, **kwargs)

    def call_soon(
        self,
        callback: Callable[..., object],
        *args: Any,
        context: Context | None = None,
    ) -> asyncio.Handle:
        if not callable(callback) or asyncio.iscoroutinefunction(callback):
            raise TypeError(f"a plain callable is needed, not {callback!r}")
        handle = asyncio.Handle(callback, args, self, context=context)
        if is_foreground(context):
            self._foreground_handles.append(handle)
            if not self._foreground_posted:
                self._post_drain(foreground=True)
        else:
            self._ready_handles.append(handle)
            if not self._drain_posted:
                self._post_drain()
        return handle

    def call_soon_threadsafe(
        self,
        callback: Callable[..., object],
        *args: Any,
        context: Context | None = None,
    ) -> asyncio.Handle:
        # Safe from any thread: deque.append is atomic and Qt's postEvent is thread-safe and
        # wakes the GUI thread. Two threads may both post; the spare drain finds nothing.
        return self.call_soon(callback, *args, context=context)

    def _post_drain(self, foreground: bool = False) -> None:
        if foreground:
            # Ahead of the events already posted, not only of the low-priority repaints.
            self._foreground_posted = True
            priority = Qt.EventPriority.HighEventPriority
        else:
            self._drain_posted = True
            priority = Qt.EventPriority.NormalEventPriority
        QCoreApplication.postEvent(self._drainer, QEvent(_DRAIN), priority.value)

    def _run_ready(self) -> None:
        # Cleared first: anything scheduled from here on posts the next drain, so a nested
        # Qt event loop started by a callback still gets it (past the budget, so do we).
        self._drain_posted = self._foreground_posted = False
        ready, first = self._ready_handles, self._foreground_handles
        started = time.thread_time()
        try:
            self._run_batch(ready, started)
            # Like asyncio's stop(), qasync's takes effect once the current batch is done.
            while self.is_running():
                spent = time.thread_time() - started
                if ready and spent < _BUDGET_S:
                    self._run_batch(ready, started)
                elif first and spent < _FOREGROUND_BUDGET_S:
                    self._run_foreground(started)
                else:
                    break
        finally:
            # Callbacks left past the budget posted their drain when scheduled; the rest of
            # a batch cut short by KeyboardInterrupt or SystemExit has none yet.
            if first and not self._foreground_posted:
                self._post_drain(foreground=True)
            if ready and not self._drain_posted:
                self._post_drain()

    def _run_batch(self, ready: collections.deque[asyncio.Handle], started: float) -> None:
        """The callbacks queued now, each after the foreground steps waiting; those they
        schedule wait for the next batch."""
        for _ in range(len(ready)):
            self._run_foreground(started)
            if not ready:  # a nested Qt event loop in a callback ran the rest
                return
            self._run_one(ready.popleft())
        self._run_foreground(started)

    def _run_foreground(self, started: float) -> None:
        first = self._foreground_handles
        while first and time.thread_time() - started < _FOREGROUND_BUDGET_S:
            self._run_one(first.popleft())

    def _run_one(self, handle: asyncio.Handle) -> None:
        if handle.cancelled() or self.is_closed():
            return
        if self.get_debug():
            self._run_timed(handle)
        else:
            handle._run()

    def _run_timed(self, handle: asyncio.Handle) -> None:
        """Debug mode (PYTHONASYNCIODEBUG, -X dev): warn of slow callbacks, as qasync does."""
        started = time.monotonic()
        handle._run()
        took = time.monotonic() - started
        if took >= self.slow_callback_duration:
            log.warning("Executing %s took %.3f seconds", handle, took)

    def close(self) -> None:
        super().close()
        self._ready_handles.clear()
        self._foreground_handles.clear()
