"""The one clock tick of the desk: a single 1 s timer that everything that counts in seconds
shares, running only while something counts.

Each widget holds a ``Tick`` (its callback) and starts it while it shows something that
changes with time — a released door's countdown, a ringing call's "12 s ago", the status bar's
"updated 5 s ago" while it is on screen — and stops it otherwise: nothing wakes the desk to
redraw what cannot have changed, and a minimised desk with no door released and no call
ringing has no timer at all. The tick falls on the wall-clock second: times from the cloud
are whole seconds, so a "N s ago" measured from one turns over exactly when it is redrawn.
"""

from __future__ import annotations

import logging
import time
import weakref
from collections.abc import Callable, Iterable

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer

from bmx_console.core.store import ReleaseStatus, Store
from bmx_console.ui.store_signals import store_signals

log = logging.getLogger(__name__)

PERIOD_MS = 1000


class Ticker(QObject):
    """Calls every running ``Tick`` once a second, on the wall-clock second."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Held weakly: a widget that is gone must not be kept alive, nor woken, by its tick.
        self._running: weakref.WeakSet[Tick] = weakref.WeakSet()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        # A coarse timer may fire up to 5 % early, before the second it is meant to fall on.
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.tick)

    @property
    def active(self) -> bool:
        """True while the timer runs, that is while some tick is running."""
        return self._timer.isActive()

    def running(self) -> list[str]:
        """The names of the ticks that run, sorted (what keeps the timer going)."""
        return sorted(tick.name for tick in self._running)

    def tick(self) -> None:
        """Call every running tick now (the timer does, once a second; tests may too)."""
        for tick in list(self._running):
            tick._fire()
        self._arm()

    def _start(self, tick: Tick) -> None:
        self._running.add(tick)
        if not self._timer.isActive():
            self._arm()

    def _stop(self, tick: Tick) -> None:
        self._running.discard(tick)
        if not self._running:
            self._timer.stop()

    def _arm(self) -> None:
        if not self._running:
            self._timer.stop()
            return
        # Re-armed each time rather than repeating, so that the tick stays on the wall-clock
        # second through clock adjustments and after a suspend.
        self._timer.start(PERIOD_MS - time.time_ns() // 1_000_000 % PERIOD_MS)


class Tick:
    """One subscriber of the ticker: ``callback`` is called every second between ``start()``
    and ``stop()``. Both may be called any number of times; the tick stops by itself when
    ``owner`` is destroyed."""

    def __init__(
        self,
        callback: Callable[[], object],
        *,
        owner: QObject,
        name: str,
        ticker: Ticker | None = None,
    ) -> None:
        self.name = name
        self._callback = callback
        self._owner = owner
        self._ticker = ticker or shared_ticker()
        self._running = False
        owner.destroyed.connect(self.stop)

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> None:
        if not self._running:
            self._running = True
            self._ticker._start(self)

    def stop(self) -> None:
        if self._running:
            self._running = False
            self._ticker._stop(self)

    def run_while(self, needed: bool) -> None:
        if needed:
            self.start()
        else:
            self.stop()

    def _fire(self) -> None:
        if not self._running:
            return  # stopped by an earlier callback of the same tick
        if not shiboken6.isValid(self._owner):
            self.stop()
            return
        try:
            self._callback()
        except Exception:
            # One broken view must not stop the others' clocks.
            log.exception("The %s tick failed", self.name)


_shared: Ticker | None = None


def shared_ticker() -> Ticker:
    """The application's ticker (made on first use, owned by the application)."""
    global _shared
    if _shared is None or not shiboken6.isValid(_shared):
        _shared = Ticker(QCoreApplication.instance())
    return _shared


def counts_down(status: ReleaseStatus) -> bool:
    """A door's release state that changes with time: a countdown, a notice or a failure
    that may expire. A press in flight waits for its answer, not for the clock."""
    return (
        status.state == "released"
        or status.notice is not None
        or (status.state == "failed" and status.failure_until is not None)
    )


class ReleaseCountdown(QObject):
    """The tick of the door list's release countdowns: it runs while some door counts down,
    asked again on every change of the doors (which is where release states change).

    A child of ``owner``, so that it stops hearing from the store when the owner goes."""

    def __init__(self, store: Store, callback: Callable[[], object], *, owner: QObject) -> None:
        super().__init__(owner)
        self.tick = Tick(callback, owner=owner, name="door countdown")
        self._store = store
        signals = store_signals(store)
        signals.doors_changed.connect(self.doors_changed)
        signals.roster_changed.connect(self.roster_changed)
        signals.doors_reset.connect(self.doors_reset)
        self.doors_reset()

    def doors_changed(self, _indexes: Iterable[int]) -> None:
        self.doors_reset()

    def roster_changed(self) -> None:
        self.doors_reset()

    def doors_reset(self) -> None:
        self.tick.run_while(any(map(counts_down, self._store.release_statuses().values())))
