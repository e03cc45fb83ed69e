"""Garbage collection for a desk that holds 20,000 door rows and 50,000 events.

CPython's full collection walks every tracked object in one go on the thread that allocates,
here the UI thread: at 50,000 events it is a 20-35 ms stall, set off every time the objects
that lived through the young collections grow by a quarter. The desk's long-lived data
holds no cycles (events, door rows: frozen dataclasses of atoms), so walking it finds
nothing; what the full collections do find is a few hundred objects of finished requests.

So the collector is told, in three steps, what lives long:

1. ``exempt_from_collection()`` when the window is up: the modules, classes and widgets;
2. again once the first roster and events are in (``exempt_once_loaded``);
3. from then on, after every full collection, what survived it (``SurvivorFreezer``).

A frozen object is still freed the moment nothing refers to it; only a cycle that forms
*after* its objects were frozen waits, for the hourly reclaim: once an hour the frozen
objects are handed back, and the next full collection walks everything once.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from bmx_console.errors import BmxError

# How long the first roster and events may take before what is there is frozen anyway.
FREEZE_AFTER_S = 120.0
# How often the frozen objects are handed back to one full collection.
RECLAIM_EVERY_S = 3600.0
# Collections of the middle generation between two full collections while survivors are
# frozen (CPython's default is 10).
FULL_EVERY = 2


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """No garbage collection while a roster's rows are made: 20,000 new objects set off
    young collections that cascade into a full one, which walked every live object in the
    middle of the load (40 ms more). Rows hold no cycles."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def exempt_from_collection() -> None:
    """Move everything made so far (modules, classes, widgets, the settings, and once
    loaded the roster and events) out of the garbage collector's walks. They live as long
    as the process, yet every full collection walked them all: ~100 ms in one go on the UI
    thread, a visible stall, while the events arrived.

    Then one full collection, cheap now that there is almost nothing left to walk: CPython
    waits for the objects that outlived the young collections to grow by a quarter of the
    last full collection's survivors before the next one, and those are now only the few it
    found, so the next full collections come sooner and each walks a few thousand objects
    instead of tens of thousands at once."""
    gc.freeze()
    gc.collect()


class SurvivorFreezer:
    """After each full collection, freeze what survived it: the next full collection walks
    only what came since (a few thousand objects, not 50,000 events), and CPython, which
    sizes the next full collection on the last one's survivors, keeps them small.

    Survivors are live by definition, so freezing them loses nothing; a cycle among them
    that dies later is reclaimed within ``reclaim_every_s``, when the frozen objects are
    handed back (``gc.unfreeze``) and the following full collection walks them all once.
    Use as a context manager; the callback is removed on exit."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        reclaim_every_s: float = RECLAIM_EVERY_S,
    ) -> None:
        self._clock = clock
        self._reclaim_every_s = reclaim_every_s
        self._reclaimed_at = clock()
        self.frozen = 0  # full collections whose survivors were frozen
        self.reclaims = 0  # times the frozen objects were handed back

    def __enter__(self) -> SurvivorFreezer:
        gc.callbacks.append(self._collected)
        # A full collection every FULL_EVERY young-survivor collections instead of CPython's
        # 10: each walks only what survived since the last, so smaller and more often is
        # shorter (at 2,000 events a second, 10 ms every 6 s became ~2 ms every second).
        self._thresholds = gc.get_threshold()
        young, middle, _old = self._thresholds
        gc.set_threshold(young, middle, FULL_EVERY)
        return self

    def __exit__(self, *_: object) -> None:
        with contextlib.suppress(ValueError):
            gc.callbacks.remove(self._collected)
        gc.set_threshold(*self._thresholds)

    def _collected(self, phase: str, info: dict[str, Any]) -> None:
        if phase != "stop" or info.get("generation") != 2:
            return
        now = self._clock()
        if now - self._reclaimed_at >= self._reclaim_every_s:
            # Not frozen this time: the next full collection walks everything once.
            self._reclaimed_at = now
            self.reclaims += 1
            gc.unfreeze()
            return
        # Right after a full collection the young generations are empty: what is frozen is
        # exactly what survived it.
        gc.freeze()
        self.frozen += 1


class Loading(Protocol):
    async def ready(self) -> None: ...


async def exempt_once_loaded(pollers: Loading, timeout_s: float = FREEZE_AFTER_S) -> None:
    """Freeze each full collection's survivors from now until cancelled (when the desk
    closes), and everything once the first roster and events are in (frozen at start-up,
    before them, the 20,000 door rows and 50,000 events were walked by every full collection
    later: 88 ms in one go on the UI thread)."""
    with SurvivorFreezer():
        # Signed out or slow: what has been made so far is still worth freezing.
        with contextlib.suppress(TimeoutError, BmxError):
            await asyncio.wait_for(pollers.ready(), timeout_s)
        exempt_from_collection()
        await asyncio.get_running_loop().create_future()  # until cancelled
