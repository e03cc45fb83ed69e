"""Background polling of the cloud: the door roster, access events and panel calls.

A desk PC behind NAT cannot receive ButterflyMX webhooks, so the console asks. Each poller
runs its own loop on the asyncio loop, writes what it gets into the ``Store`` and records
its health there; no error ever leaves the loop. A failing poller backs off (quickly at first,
never slower than its normal cadence, slower only when the cloud rate-limits us). A sign-out
pauses it until ``resume()``: retrying a token that is gone only fills the log.

The loop is supervised: anything but the ``BmxError`` failures a tick expects (a bug, a full
disk under the cursor file) stops the loop, is logged with its traceback, shown in the
poller's health, and the loop starts again after a back-off, so that no poller can stop for
good while the window goes on looking healthy.

Events and calls are read from a per-building cursor (the newest time seen, minus an
overlap; de-duplication by id absorbs the overlap) kept on disk, so that after a sleep, a
network loss or a restart the console catches up on what happened meanwhile.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import math
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import Generic, Protocol, TypeVar

from bmx_console.api.models import AccessEvent, Building, Call, Door, Panel
from bmx_console.clock import Clock, Sleep, SystemClock
from bmx_console.core.cursor import CursorFile, calls_key, events_key
from bmx_console.core.directory import refresh_directory
from bmx_console.core.health import error_kind, error_sentence
from bmx_console.core.store import Store
from bmx_console.errors import (
    BmxError,
    ConfigError,
    Forbidden,
    InvalidRequest,
    NotFound,
    ProtocolError,
    RateLimited,
)

logger = logging.getLogger(__name__)

Record = TypeVar("Record", AccessEvent, Call)
Jitter = Callable[[], float]

BACKOFF_BASE_S = 2.0
BACKOFF_CAP_S = 300.0
# A Retry-After beyond this is treated as a mistake rather than a request to stop for hours.
RETRY_AFTER_CAP_S = 3600.0
STOP_TIMEOUT_S = 2.0


class CloudReader(Protocol):
    """What the pollers need from ``BmxClient``.

    ``access_events`` and ``calls`` return only records logged at or after ``since``, oldest
    first, each once: the client sent that filter, and it is the one that knows the cloud
    ignores a filter it cannot parse, so the pollers neither filter nor sort them again.
    """

    async def buildings(self) -> list[Building]: ...

    async def doors(self, building_id: int | None = None) -> list[Door]: ...

    async def panels(self, building_id: int | None = None) -> list[Panel]: ...

    async def access_events(
        self, building_id: int, since: datetime | None = None
    ) -> list[AccessEvent]: ...

    async def calls(self, building_id: int, since: datetime | None = None) -> list[Call]: ...


def default_jitter() -> float:
    """Spread retries of many desks so they do not hit the cloud in step."""
    return random.uniform(0.75, 1.0)


def backoff_delay(
    interval_s: float,
    failures: int,
    error: BaseException,
    *,
    jitter: float = 1.0,
    base_s: float = BACKOFF_BASE_S,
    cap_s: float = BACKOFF_CAP_S,
) -> float:
    """Seconds to wait after the ``failures``-th failure in a row.

    ``min(interval, base * 2**(failures-1), cap) * jitter``: a blip is retried within
    seconds, a long outage at the normal cadence. Rate limiting is the exception: the cloud
    asked us to slow down, so we wait at least the normal interval, keep growing towards the
    cap, and honour ``Retry-After`` when it is longer.
    """
    grown = min(base_s * 2 ** max(failures - 1, 0), cap_s)
    if isinstance(error, RateLimited):
        delay = max(interval_s, grown * jitter)
        if error.retry_after is not None:
            delay = max(delay, min(error.retry_after, RETRY_AFTER_CAP_S))
        return delay
    return min(interval_s, grown) * jitter


class PollerCrashed(BmxError):
    """What a poller's health says after its loop stopped on an unexpected error."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"The {name} check stopped unexpectedly and was restarted; the log has the details."
        )


class Poller:
    """One polling loop. Subclasses implement ``poll()``: one tick, raising on failure."""

    def __init__(
        self,
        name: str,
        interval_s: float,
        store: Store,
        *,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
        jitter: Jitter = default_jitter,
    ) -> None:
        if interval_s <= 0:
            raise ValueError(f"poller {name!r} needs a positive interval, got {interval_s}")
        self.name = name
        self.interval_s = interval_s
        self._store = store
        self._clock: Clock = clock or SystemClock()
        self._sleep: Sleep = sleep or asyncio.sleep
        self._jitter = jitter
        self._failures = 0
        self._last_sentence: str | None = None
        self._paused_by: BmxError | None = None
        self._wake = asyncio.Event()
        self._resumed = asyncio.Event()
        self._attempted = asyncio.Event()
        self._succeeded = False
        self._next_delay = interval_s
        self._crashes = 0  # loop restarts since the last success
        self._task: asyncio.Task[None] | None = None

    async def poll(self) -> None:
        raise NotImplementedError

    # -- control ---------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    @property
    def paused(self) -> bool:
        return self._paused_by is not None

    def start(self) -> asyncio.Task[None]:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(
                self.run(), name=f"poller:{self.name}"
            )
        return self._task

    async def stop(self, grace_s: float = STOP_TIMEOUT_S) -> None:
        """Cancel the loop, even mid-request, and wait at most ``grace_s`` for it to end."""
        task, self._task = self._task, None
        if task is None or task.done():
            return
        task.cancel()
        done, _ = await asyncio.wait({task}, timeout=grace_s)
        if not done:
            logger.warning("Poller %s did not stop within %.1f s.", self.name, grace_s)

    def poll_now(self) -> None:
        """Tick now instead of at the next interval (ignored while signed out)."""
        self._wake.set()

    def resume(self) -> None:
        """After sign-in: leave the signed-out pause and tick at once."""
        if self._paused_by is None:
            return
        self._paused_by = None
        self._store.set_paused(self.name, False)
        self._resumed.set()
        self._wake.set()

    async def wait_first_success(self) -> None:
        """Return once a tick has succeeded; raise the sign-out error if the poller pauses
        before that, since waiting longer would be waiting for the operator."""
        while not self._succeeded:
            if self._paused_by is not None:
                raise self._paused_by
            self._attempted.clear()
            await self._attempted.wait()

    # -- the loop --------------------------------------------------------------------------

    async def run(self) -> None:
        """The loop, restarted after a back-off whenever it stops on an unexpected error."""
        self._store.register_poller(self.name, self.interval_s)
        while True:
            try:
                await self._loop()
            except Exception as exc:
                await self._sleep(self._crashed(exc))

    async def _loop(self) -> None:
        while True:
            self._wake.clear()
            delay = await self._attempt()
            if self._paused_by is not None:
                self._resumed.clear()
                await self._resumed.wait()
                continue
            await self._wait(delay)

    async def _attempt(self) -> float:
        """One tick. The failures a tick expects (``BmxError``) are recorded here; any other
        error stops the loop, for ``run`` to restart it."""
        try:
            await self.poll()
        except BmxError as exc:
            self._failed(exc)
        else:
            self._succeeded_now()
        finally:
            self._attempted.set()
        return self._next_delay

    def _crashed(self, exc: Exception) -> float:
        """Log and show a loop that stopped unexpectedly; how long to wait before restarting."""
        self._crashes += 1
        delay = backoff_delay(self.interval_s, self._crashes, exc, jitter=self._jitter())
        logger.error(
            "Poller %s stopped unexpectedly (restart %d, in %.1f s).",
            self.name,
            self._crashes,
            delay,
            exc_info=exc,
        )
        try:
            now = self._clock.now()
            self._store.record_failure(
                self.name,
                PollerCrashed(self.name),
                at=now,
                next_attempt=now + timedelta(seconds=delay),
            )
        except Exception:
            # The restart matters more than the record of it.
            logger.exception("Poller %s could not record its restart.", self.name)
        return delay

    def _succeeded_now(self) -> None:
        if self._failures:
            logger.info("Poller %s recovered after %d failures.", self.name, self._failures)
        self._failures = 0
        self._crashes = 0
        self._last_sentence = None
        self._succeeded = True
        self._next_delay = self.interval_s
        now = self._clock.now()
        self._store.record_success(
            self.name, at=now, next_attempt=now + timedelta(seconds=self._next_delay)
        )

    def _failed(self, exc: BmxError) -> None:
        self._failures += 1
        sentence = error_sentence(self.name, exc)
        paused_by = exc if error_kind(exc) == "auth" else None
        if sentence != self._last_sentence:
            logger.warning("Poller %s failed: %s", self.name, sentence)
        else:
            logger.debug("Poller %s failed again (%d): %s", self.name, self._failures, sentence)
        self._last_sentence = sentence
        self._next_delay = backoff_delay(
            self.interval_s, self._failures, exc, jitter=self._jitter()
        )
        now = self._clock.now()
        if paused_by is not None:
            self._paused_by = paused_by
            logger.warning("Poller %s paused until sign-in.", self.name)
        self._store.record_failure(
            self.name,
            exc,
            at=now,
            next_attempt=now + timedelta(seconds=self._next_delay),
            paused=paused_by is not None,
        )

    async def _wait(self, delay: float) -> None:
        if self._wake.is_set():
            return
        sleeper = asyncio.ensure_future(self._sleep(delay))
        waker = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeper.cancel()
            waker.cancel()


# A big roster is read again at most once per this many seconds per page of 100 doors: at
# the default 60 s, 20,000 doors were 200 requests a minute, most of the desk's traffic to
# the cloud and most of its CPU at rest. Up to 4,000 doors the setting holds as it is.
SECONDS_PER_ROSTER_PAGE = 1.5
ROSTER_PAGE = 100


class RosterPoller(Poller):
    """Buildings, doors and panels, every ``status_interval``, or less often for a roster
    of more than 4,000 doors (``SECONDS_PER_ROSTER_PAGE``: 5 minutes at 20,000)."""

    def __init__(
        self,
        client: CloudReader,
        store: Store,
        *,
        interval_s: float = 60.0,
        building_id: int | None = None,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
        jitter: Jitter = default_jitter,
    ) -> None:
        super().__init__("doors", interval_s, store, clock=clock, sleep=sleep, jitter=jitter)
        self._client = client
        self._building_id = building_id
        self._setting_s = interval_s

    def _pace(self, doors: int) -> None:
        """The cadence for a roster of ``doors``; the connection health counts a failing
        roster as out of date after twice this, as for any poller."""
        cadence = max(self._setting_s, math.ceil(doors / ROSTER_PAGE) * SECONDS_PER_ROSTER_PAGE)
        if cadence != self.interval_s:
            logger.info("Door roster of %d doors: read every %.0f s.", doors, cadence)
            self.interval_s = cadence
            self._store.register_poller(self.name, cadence)

    async def poll(self) -> None:
        scope = self._building_id
        buildings = await self._client.buildings()
        if scope is not None:
            buildings = [b for b in buildings if b.id == scope]
            if not buildings:
                raise ConfigError(
                    f"Building {scope} is not visible to these credentials: check "
                    "building_id in the settings, or ask ButterflyMX to grant access to it."
                )
        doors = await self._client.doors(scope)
        self._pace(len(doors))
        panels = await self._client.panels(scope)
        if scope is not None:
            # The cloud ignores a filter it cannot parse and answers with everything.
            doors = [d for d in doors if d.building_id in (None, scope)]
            panels = [p for p in panels if p.building_id in (None, scope)]
        # A new roster of 20,000 doors is made into rows over several loop turns.
        for _step in self._store.roster_steps(buildings, doors, panels):
            await asyncio.sleep(0)
        await refresh_directory(self._client, self._store, scope)


# Failures that concern one building only; the other buildings are still worth asking.
_ONE_BUILDING_ERRORS = (Forbidden, NotFound, InvalidRequest, ProtocolError)


# Records handed to the store at once; a few milliseconds of work for the store and the views.
DELIVERY_SLICE = 500


def _log_order(record: AccessEvent | Call) -> tuple[datetime, int]:
    return (record.logged_at, record.id)


def _draining(records: list[Record]) -> Iterator[Record]:
    """``records`` in order, each let go once handed on: a sweep's tens of thousands of
    records, most of them already held, are then freed slice by slice, not all at once
    when the poll ends (8-10 ms in one turn)."""
    records.reverse()
    while records:
        yield records.pop()


class _CursorPoller(Poller, Generic[Record]):
    """Polls a per-building log from a cursor: events or calls.

    Subclasses name the log (``kind``), its cursor key and their default cadence and overlap.
    """

    kind: str
    key: Callable[[int], str]
    default_interval_s: float
    default_overlap_s: float
    # Between sweeps, how far before the newest record seen a poll reads back; None: every
    # poll reads back the whole overlap.
    short_overlap_s: float | None = None

    def __init__(
        self,
        client: CloudReader,
        store: Store,
        cursor: CursorFile,
        *,
        interval_s: float | None = None,
        building_id: int | None = None,
        history_s: float = 3600.0,
        overlap_s: float | None = None,
        max_catch_up_s: float = 7 * 24 * 3600.0,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
        jitter: Jitter = default_jitter,
    ) -> None:
        interval = self.default_interval_s if interval_s is None else interval_s
        super().__init__(self.kind, interval, store, clock=clock, sleep=sleep, jitter=jitter)
        self._client = client
        self._cursor = cursor
        self._building_id = building_id
        self._history = timedelta(seconds=history_s)
        overlap = self.default_overlap_s if overlap_s is None else overlap_s
        self._overlap = timedelta(seconds=overlap)
        short = self.short_overlap_s
        self._short = None if short is None else min(timedelta(seconds=short), self._overlap)
        self._max_catch_up = timedelta(seconds=max_catch_up_s)
        # When each building's log was last read back over the whole overlap.
        self._swept: dict[int, datetime] = {}

    async def _fetch(self, building_id: int, since: datetime) -> list[Record]:
        raise NotImplementedError

    def _keep(self, records: list[Record]) -> None:
        raise NotImplementedError

    def since(self, building_id: int, now: datetime) -> datetime:
        """Where the next poll of ``building_id`` starts reading."""
        return self._read_from(building_id, now)[0]

    def _read_from(self, building_id: int, now: datetime) -> tuple[datetime, bool]:
        """Where the next poll of ``building_id`` starts reading, and whether that is a
        sweep (the whole overlap back from the newest record seen).

        With a short overlap, a sweep is due once half the overlap has passed since the
        last: a log polled every second is read back 5 s most of the time and 60 s every
        30 s, so an event logged up to a minute late still shows within half a minute,
        and a busy building's poll no longer re-reads a minute of log (20,000 records at
        700 events a second) every second. Polled every 30 s or slower, every poll sweeps.
        """
        seen = self._cursor.get(self.key(building_id))
        if seen is None:
            return now - self._history, True
        back, sweep = self._overlap, True
        swept = self._swept.get(building_id)
        if self._short is not None and swept is not None and now - swept < self._overlap / 2:
            back, sweep = self._short, False
        return max(seen - back, now - self._max_catch_up), sweep

    async def _building_ids(self) -> list[int]:
        if self._building_id is not None:
            return [self._building_id]
        known = self._store.building_ids()
        if known:
            return known
        # The roster has not arrived yet; do not make the first events wait for it.
        return sorted(b.id for b in await self._client.buildings())

    async def poll(self) -> None:
        now = self._clock.now()
        logs: list[list[Record]] = []
        cursors: dict[str, datetime] = {}
        failure: Exception | None = None
        for building_id in await self._building_ids():
            since, sweep = self._read_from(building_id, now)
            try:
                fetched = await self._fetch(building_id, since)
            except _ONE_BUILDING_ERRORS as exc:
                failure = failure or exc
                continue
            except Exception as exc:
                failure = exc
                break
            if sweep:
                self._swept[building_id] = now
            logs.append(fetched)
            newest = max((r.logged_at for r in fetched), default=None)
            if newest is not None:
                key = self.key(building_id)
                # A panel with a clock in the future must not push the cursor past now.
                moment = min(newest, now)
                previous = self._cursor.get(key)
                if previous is None or moment > previous:
                    cursors[key] = moment
        # Where each step happens on the way to the events table, once: the client keeps
        # what is at or after ``since`` and returns each building's log oldest first, each
        # record once (see ``CloudReader``); the store drops what it already holds (the
        # cursor's overlap brings records back on purpose) and keeps its log in order. Here
        # the buildings' logs, each already in order, are only merged, so that the slices
        # below reach the store oldest first across buildings.
        # After a long gap, or with the overlap of a busy log, a poll brings tens of
        # thousands of records: they are merged and handed over a slice at a time, yielding
        # to the loop before each, so the window never freezes on one batch (merging 25,000
        # records in one go took 16 ms).
        merged = heapq.merge(*(_draining(log) for log in logs), key=_log_order)
        while batch := list(itertools.islice(merged, DELIVERY_SLICE)):
            await asyncio.sleep(0)
            self._keep(batch)
        self._cursor.update(cursors)
        if failure is not None:
            raise failure


class EventPoller(_CursorPoller[AccessEvent]):
    """Access events of every building (or the configured one), every ``events_interval``."""

    kind = "events"
    key = staticmethod(events_key)
    default_interval_s = 30.0
    default_overlap_s = 60.0
    short_overlap_s = 5.0

    async def _fetch(self, building_id: int, since: datetime) -> list[AccessEvent]:
        return await self._client.access_events(building_id, since=since)

    def _keep(self, records: list[AccessEvent]) -> None:
        self._store.add_events(records)


class CallPoller(_CursorPoller[Call]):
    """Panel calls, every 10 s by default. The overlap is wider than for events because a
    call's status moves on (initializing, then opened_door…) after it is first logged."""

    kind = "calls"
    key = staticmethod(calls_key)
    default_interval_s = 10.0
    default_overlap_s = 120.0

    async def _fetch(self, building_id: int, since: datetime) -> list[Call]:
        return await self._client.calls(building_id, since=since)

    def _keep(self, records: list[Call]) -> None:
        self._store.add_calls(records)


class Pollers:
    """The pollers of one console, started and stopped together."""

    def __init__(self, pollers: Iterable[Poller]) -> None:
        self._pollers: dict[str, Poller] = {}
        for poller in pollers:
            if poller.name in self._pollers:
                raise ValueError(f"two pollers named {poller.name!r}")
            self._pollers[poller.name] = poller

    @classmethod
    def create(
        cls,
        client: CloudReader,
        store: Store,
        cursor: CursorFile,
        *,
        building_id: int | None = None,
        status_interval_s: float = 60.0,
        events_interval_s: float = 30.0,
        calls_interval_s: float = 10.0,
        history_s: float = 3600.0,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
        jitter: Jitter = default_jitter,
    ) -> Pollers:
        """The usual set. An interval of 0 leaves that poller out (events or calls)."""
        pollers: list[Poller] = [
            RosterPoller(
                client,
                store,
                interval_s=status_interval_s,
                building_id=building_id,
                clock=clock,
                sleep=sleep,
                jitter=jitter,
            )
        ]
        if events_interval_s > 0:
            pollers.append(
                EventPoller(
                    client,
                    store,
                    cursor,
                    interval_s=events_interval_s,
                    building_id=building_id,
                    history_s=history_s,
                    clock=clock,
                    sleep=sleep,
                    jitter=jitter,
                )
            )
        if calls_interval_s > 0:
            pollers.append(
                CallPoller(
                    client,
                    store,
                    cursor,
                    interval_s=calls_interval_s,
                    building_id=building_id,
                    history_s=history_s,
                    clock=clock,
                    sleep=sleep,
                    jitter=jitter,
                )
            )
        return cls(pollers)

    def __getitem__(self, name: str) -> Poller:
        return self._pollers[name]

    def __contains__(self, name: object) -> bool:
        return name in self._pollers

    def __iter__(self) -> Iterator[Poller]:
        return iter(self._pollers.values())

    @property
    def names(self) -> Sequence[str]:
        return tuple(self._pollers)

    def start(self) -> None:
        for poller in self._pollers.values():
            poller.start()

    async def stop(self, grace_s: float = STOP_TIMEOUT_S) -> None:
        """Cancel every loop, even mid-request, and return within ``grace_s``."""
        await asyncio.gather(*(p.stop(grace_s) for p in self._pollers.values()))

    def poll_now(self, name: str | None = None) -> None:
        targets = [self._pollers[name]] if name is not None else self._pollers.values()
        for poller in targets:
            poller.poll_now()

    def resume(self) -> None:
        for poller in self._pollers.values():
            poller.resume()

    async def ready(self) -> None:
        """Return once the doors and (when polled) the events have each been read once.

        Raises the sign-out error instead if one of them pauses first; callers that must not
        wait forever on a dead network wrap this in ``asyncio.wait_for``.
        """
        for name in ("doors", "events"):
            poller = self._pollers.get(name)
            if poller is not None:
                await poller.wait_first_success()
