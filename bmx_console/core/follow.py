"""Following the access log: every event printed once, late ones included, through outages.

Why it reads the way it does:

* The cloud logs some events late: a panel that was offline uploads its openings when it is
  back, with their real times, which are before the newest event already seen. A cursor at
  "the newest event" would skip them, so every read starts ``overlap`` (minutes) before it,
  and what was already printed is known by id.
* The ids are kept only as long as a read can return them: a read never goes further back
  than ``overlap`` before the cursor (the client drops anything older, whatever the cloud
  sends), so ids older than that are forgotten. Memory is bounded by the events of one
  overlap, not by how long the follow runs.
* An outage or a rate limit is not the end: the follow says once that it has fallen behind,
  waits as the pollers do (Retry-After honoured), says when it has caught up, and then prints
  what it missed, because the cursor did not move meanwhile. Only what an operator must fix
  (sign-in, permissions) ends it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta

from bmx_console.api.models import AccessEvent
from bmx_console.clock import Clock, Sleep
from bmx_console.core.pollers import backoff_delay
from bmx_console.errors import BmxError, ProtocolError, TransientError

log = logging.getLogger(__name__)

DEFAULT_OVERLAP = timedelta(minutes=5)
Fetch = Callable[[int, datetime | None], Awaitable[list[AccessEvent]]]


class _Building:
    def __init__(self, cursor: datetime | None) -> None:
        # The newest logged_at read so far (never later than "now": a clock that is off
        # on the cloud's side must not push the reads past events still to come).
        self.cursor = cursor
        self.seen: dict[int, datetime] = {}


class EventFollower:
    """Polls ``fetch(building, since)`` for each building and hands each new event to
    ``emit`` once, oldest first within a read; ``notice`` gets the degraded / recovered
    sentences. ``clock`` and ``sleep`` are injected so that tests run in simulated time."""

    def __init__(
        self,
        fetch: Fetch,
        buildings: Sequence[int],
        *,
        emit: Callable[[AccessEvent], None],
        notice: Callable[[str], None],
        clock: Clock,
        sleep: Sleep,
        interval_s: float,
        overlap: timedelta = DEFAULT_OVERLAP,
    ) -> None:
        self._fetch = fetch
        self._buildings = list(buildings)
        self._emit = emit
        self._notice = notice
        self._clock = clock
        self._sleep = sleep
        self._interval_s = max(interval_s, 0.1)
        self._overlap = overlap
        self._state: dict[int, _Building] = {}
        self._failures = 0
        self._last_error: BaseException | None = None
        self._behind_since: float | None = None

    @property
    def remembered(self) -> int:
        """How many ids are held for de-duplication (bounded by one overlap's events)."""
        return sum(len(b.seen) for b in self._state.values())

    def start_from(self, since: datetime | None, already: Sequence[AccessEvent] = ()) -> None:
        """Begin after ``already`` (printed by the caller), or at ``since``, or now."""
        start = since if since is not None else self._clock.now()
        for building in self._buildings:
            self._state[building] = _Building(start)
        for event in already:
            state = self._state.get(event.building_id or 0)
            if state is not None:
                self._remember(event, state)

    async def run(self, *, polls: int | None = None) -> None:
        """Follow until cancelled (or for ``polls`` reads, for tests)."""
        if not self._state:
            self.start_from(None)
        done = 0
        while polls is None or done < polls:
            await self._sleep(self.poll_delay())
            await self.poll_once()
            done += 1

    def poll_delay(self) -> float:
        if self._failures == 0 or self._last_error is None:
            return self._interval_s
        return backoff_delay(self._interval_s, self._failures, self._last_error)

    async def poll_once(self) -> list[AccessEvent]:
        """One read of every building; returns (and emits) the events not printed before."""
        fresh: list[AccessEvent] = []
        failed: BmxError | None = None
        for building in self._buildings:
            state = self._state.setdefault(building, _Building(self._clock.now()))
            floor = state.cursor - self._overlap if state.cursor is not None else None
            try:
                events = await self._fetch(building, floor)
            except (TransientError, ProtocolError) as exc:
                failed = exc
                continue
            for event in events:
                if event.id in state.seen or (floor is not None and event.logged_at < floor):
                    continue
                fresh.append(event)
                self._remember(event, state)
            self._prune(state)
        fresh.sort(key=lambda e: (e.logged_at, e.id))
        for event in fresh:
            self._emit(event)
        self._outcome(failed)
        return fresh

    def _remember(self, event: AccessEvent, state: _Building) -> None:
        state.seen[event.id] = event.logged_at
        newest = min(event.logged_at, self._clock.now())
        if state.cursor is None or newest > state.cursor:
            state.cursor = newest

    def _prune(self, state: _Building) -> None:
        if state.cursor is None:
            return
        floor = state.cursor - self._overlap
        if state.seen and min(state.seen.values()) < floor:
            state.seen = {i: t for i, t in state.seen.items() if t >= floor}

    def _outcome(self, failed: BmxError | None) -> None:
        if failed is not None:
            self._failures += 1
            self._last_error = failed
            if self._behind_since is None:
                self._behind_since = self._clock.monotonic()
                log.warning("events --follow: reads failing: %s", failed)
                self._notice(
                    f"events: falling behind: {failed} Still following: the events missed "
                    "meanwhile are printed once ButterflyMX answers again."
                )
            return
        if self._behind_since is not None:
            behind = self._clock.monotonic() - self._behind_since
            log.info("events --follow: caught up after %.0f s", behind)
            self._notice(f"events: ButterflyMX answers again; caught up after {behind:.0f} s.")
        self._failures = 0
        self._last_error = None
        self._behind_since = None
