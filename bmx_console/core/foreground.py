"""The operator's own work, marked so that the window's loop runs it ahead of background work.

A door release is the one thing a guard waits on. Between the click and the request on the
wire, the HTTP client yields to the loop a few times (httpcore's locks, the socket write);
each yield used to queue its next step behind whatever the pollers had queued, a few
milliseconds each under a busy log. Work run inside ``foreground()``, or in a task started
from it, carries the mark in its context, and ``ui.event_loop.DeskEventLoop`` runs such steps
first. Elsewhere (the command line's plain asyncio loop) the mark changes nothing.

Only short work belongs here: a task created while the mark is set inherits it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import Context, ContextVar, copy_context

FOREGROUND: ContextVar[bool] = ContextVar("bmx_foreground", default=False)


@contextlib.contextmanager
def foreground() -> Iterator[None]:
    """Mark what runs inside, including the steps of the coroutine awaiting here."""
    token = FOREGROUND.set(True)
    try:
        yield
    finally:
        FOREGROUND.reset(token)


def foreground_context() -> Context:
    """A copy of the current context with the mark set, for a task started from a click."""
    context = copy_context()
    context.run(FOREGROUND.set, True)
    return context


def is_foreground(context: Context | None) -> bool:
    """Whether a callback scheduled with ``context`` (None: the current one) is marked."""
    if context is None:
        return FOREGROUND.get()
    return context.get(FOREGROUND, False)
