"""The console's state without Qt: doors, events, calls, release states and poller health.

One ``Store`` lives on the asyncio loop and is only touched from it. Pollers and the release
service write to it; windows read it and listen for change notifications. Notifications are
sent after the change is made, once per batch (a roster refresh or a poll's worth of events
gives one ``doors_changed``), so that the Qt side can coalesce redraws.

Door rows keep their order and indexes until the set of doors changes; then the rows are
rebuilt (sorted by building and door name) and listeners get ``doors_reset``.

Listeners are ``StoreListener`` subclasses, called through typed methods so that a type
checker follows every notification to its implementations. The Qt side has exactly one
listener per store, the bridge in ``bmx_console.ui.store_signals``, which re-sends each
notification as a Qt signal; widgets connect to those signals, and Qt drops a connection
when its receiver is destroyed.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import MappingProxyType
from typing import Generic, Literal, TypeVar

from bmx_console.api.models import AccessEvent, Building, Call, Door, Panel
from bmx_console.core.collection import collection_paused
from bmx_console.core.directory import Directory
from bmx_console.core.health import (
    ConnectionState,
    PollerHealth,
    connection_state,
    error_kind,
    error_sentence,
)

logger = logging.getLogger(__name__)

ReleaseState = Literal["idle", "sending", "released", "failed"]

DEFAULT_MAX_EVENTS = 50_000
DEFAULT_MAX_CALLS = 5_000


@dataclass(frozen=True, slots=True)
class ReleaseStatus:
    """Where a door's last release stands.

    ``released_until`` is on the monotonic clock, for the countdown; ``failure`` is the
    sentence shown while ``state`` is "failed"; ``notice`` is an aside such as a press that
    was ignored, shown whatever the state.
    """

    state: ReleaseState = "idle"
    released_until: float | None = None
    failure: str | None = None
    notice: str | None = None
    # The failure's HTTP status and endpoint, for its Details (never in the sentence).
    details: str | None = None
    # When it failed (wall clock, shown with the sentence) and until when it is shown
    # (monotonic): a failure the guard has long dealt with does not stay red all shift.
    failed_at: datetime | None = None
    failure_until: float | None = None


IDLE = ReleaseStatus()


@dataclass(frozen=True, slots=True)
class DoorRow:
    """One line of the door list."""

    door: Door
    building_name: str = ""
    time_zone: str | None = None
    release: ReleaseStatus = field(default=IDLE)
    # The door's newest event (a reference to the store's own record: at 20,000 doors each
    # field of a row costs at every roster load).
    last: AccessEvent | None = None
    pinned: bool = False

    @property
    def id(self) -> int:
        return self.door.id

    @property
    def last_event(self) -> str | None:
        """The last event in the cloud's words, "Unlocked (Tenant)" (the CLI's)."""
        return self.last.what if self.last is not None else None

    @property
    def last_event_at(self) -> datetime | None:
        return self.last.logged_at if self.last is not None else None

    @property
    def last_event_user(self) -> str | None:
        return self.last.actor_display if self.last is not None else None

    @property
    def name(self) -> str:
        return self.door.name

    @property
    def building_id(self) -> int | None:
        return self.door.building_id

    @property
    def state(self) -> ReleaseState:
        return self.release.state


# Rows of a new roster made per step of ``Store.roster_steps`` (about 4 ms of work).
ROWS_PER_STEP = 5000


def _plain_row(door: Door, buildings: Mapping[int, Building]) -> DoorRow:
    """Most rows of a fresh roster: nothing but the door and its building."""
    building = buildings.get(door.building_id) if door.building_id is not None else None
    if building is None:
        return DoorRow(door)
    return DoorRow(door, building.name, building.time_zone)


R = TypeVar("R", AccessEvent, Call)


def _order(record: AccessEvent | Call) -> tuple[datetime, int]:
    return (record.logged_at, record.id)


@dataclass(frozen=True, slots=True)
class LogChange(Generic[R]):
    added: list[R]
    changed: list[R]
    dropped: int


class RecordLog(Generic[R]):
    """Records sorted oldest to newest by (logged_at, id), unique by id, at most ``limit``.

    When full the oldest go. A record seen again replaces the stored one only if it differs
    (a call's status moves on; an access log entry never changes).
    """

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError("a record log needs room for at least one record")
        self.limit = limit
        self._items: list[R] = []
        self._by_id: dict[int, R] = {}

    def __len__(self) -> int:
        return len(self._items)

    def get(self, record_id: int) -> R | None:
        return self._by_id.get(record_id)

    def newest_at(self, row: int) -> R:
        """Row 0 is the newest, as in a newest-first list."""
        if not 0 <= row < len(self._items):
            raise IndexError(row)
        return self._items[-1 - row]

    def newest_first(self, limit: int | None = None) -> list[R]:
        if limit is None:
            return self._items[::-1]
        return self._items[: -limit - 1 : -1] if limit > 0 else []

    def row_of(self, record_id: int) -> int | None:
        """The newest-first row of a record."""
        record = self._by_id.get(record_id)
        if record is None:
            return None
        return len(self._items) - 1 - self._index(record)

    def since(self, moment: datetime) -> list[R]:
        """Records logged at or after ``moment``, oldest first."""
        start = bisect.bisect_left(self._items, moment, key=lambda r: r.logged_at)
        return self._items[start:]

    def add(self, records: Iterable[R]) -> LogChange[R]:
        added: dict[int, R] = {}
        changed: dict[int, R] = {}
        items = self._items
        for record in records:
            old = self._by_id.get(record.id)
            if old == record:
                continue
            if old is None and len(items) >= self.limit and _order(record) < _order(items[0]):
                # Older than everything a full log holds: it would go straight back out.
                # (A sweep of a busy log brings back thousands of those, and inserting
                # each into 50,000 records cost 5 ms a slice.)
                continue
            if old is not None:
                del self._items[self._index(old)]
            if old is None or record.id in added:
                added[record.id] = record
            else:
                changed[record.id] = record
            self._by_id[record.id] = record
            self._insert(record)
        dropped = 0
        excess = len(self._items) - self.limit
        if excess > 0:
            for gone in self._items[:excess]:
                del self._by_id[gone.id]
                if added.pop(gone.id, None) is None:
                    dropped += 1
                changed.pop(gone.id, None)
            del self._items[:excess]
        return LogChange(
            added=sorted(added.values(), key=_order),
            changed=sorted(changed.values(), key=_order),
            dropped=dropped,
        )

    def _insert(self, record: R) -> None:
        # Polls nearly always bring records newer than everything held: append is the norm.
        if not self._items or _order(self._items[-1]) <= _order(record):
            self._items.append(record)
        else:
            bisect.insort(self._items, record, key=_order)

    def _index(self, record: R) -> int:
        return bisect.bisect_left(self._items, _order(record), key=_order)


def _is_newer(event: AccessEvent, than: AccessEvent | None) -> bool:
    return than is None or _order(event) > _order(than)


class StoreListener:
    """What the store tells its listeners, sent after each change. Every method does
    nothing here: a listener overrides those it cares about."""

    def doors_reset(self) -> None:
        """The set of doors changed: every row index may now mean another door."""

    def doors_changed(self, indexes: Sequence[int]) -> None:
        """These rows (indexes into ``Store.doors``, ascending) changed in place."""

    def roster_changed(self) -> None:
        """Buildings, panels or the set of doors changed (names for filters and labels)."""

    def events_added(self, events: Sequence[AccessEvent]) -> None:
        """New events, oldest first, newest last."""

    def events_dropped(self, count: int) -> None:
        """That many of the oldest events left the log to make room."""

    def calls_added(self, calls: Sequence[Call]) -> None:
        """New calls, oldest first."""

    def calls_changed(self, calls: Sequence[Call]) -> None:
        """Known calls whose status moved on, oldest first."""

    def calls_dropped(self, count: int) -> None:
        """That many of the oldest calls left the log to make room."""

    def health_changed(self) -> None:
        """Some poller's health changed (``Store.healths()``)."""

    def connection_changed(self, state: ConnectionState) -> None:
        """The overall connection state changed to ``state``."""


class Store:
    """Single-threaded state shared by pollers, release service, windows and kiosk.

    Listeners (``StoreListener``) are held strongly until the function ``subscribe``
    returned is called: the store's one Qt listener is the bridge that lives as long as
    the store, and anything else that listens (release service tests, tools) decides
    itself when to stop.
    """

    def __init__(
        self,
        *,
        max_events: int = DEFAULT_MAX_EVENTS,
        max_calls: int = DEFAULT_MAX_CALLS,
    ) -> None:
        self._buildings: dict[int, Building] = {}
        # What the rows show of each building (name, time zone), as of the last roster.
        self._shown_buildings: dict[int, tuple[str, str | None]] = {}
        self._panels: dict[int, Panel] = {}
        self._rows: list[DoorRow] = []
        self._index: dict[int, int] = {}
        # Whether the rows are still sorted by building, door name and id (as at the last
        # reset): a rename keeps indexes and so may leave a row out of place.
        self._in_order = True
        self._release: dict[int, ReleaseStatus] = {}
        self._pinned: set[int] = set()
        # Kept apart from the rows so that events that arrive before the roster still show.
        self._last_event: dict[int, AccessEvent] = {}
        self._events: RecordLog[AccessEvent] = RecordLog(max_events)
        self._calls: RecordLog[Call] = RecordLog(max_calls)
        self._health: dict[str, PollerHealth] = {}
        self._connection: ConnectionState = "connected"
        self._listeners: list[StoreListener] = []
        self._directory = Directory()

    # -- listeners -------------------------------------------------------------------------

    def subscribe(self, listener: StoreListener) -> Callable[[], None]:
        """Call ``listener`` on every change from now on; returns what stops that.

        Subscribing a listener again changes nothing (it is still called once)."""
        if not any(known is listener for known in self._listeners):
            self._listeners.append(listener)

        def unsubscribe() -> None:
            self._listeners = [kept for kept in self._listeners if kept is not listener]

        return unsubscribe

    def _notify(self, notification: Callable[[StoreListener], None]) -> None:
        # A copy: a listener may unsubscribe (itself or another) while being told.
        for listener in list(self._listeners):
            try:
                notification(listener)
            except Exception:
                # A broken view must not stop the pollers that called us.
                logger.exception("Store listener %r failed", listener)

    # -- roster ----------------------------------------------------------------------------

    @property
    def buildings(self) -> Mapping[int, Building]:
        return MappingProxyType(self._buildings)

    @property
    def panels(self) -> Mapping[int, Panel]:
        return MappingProxyType(self._panels)

    def building_ids(self) -> list[int]:
        return sorted(self._buildings)

    def set_roster(
        self,
        buildings: Iterable[Building],
        doors: Iterable[Door],
        panels: Iterable[Panel],
    ) -> None:
        for _step in self.roster_steps(buildings, doors, panels):
            pass

    def roster_steps(
        self,
        buildings: Iterable[Building],
        doors: Iterable[Door],
        panels: Iterable[Panel],
        *,
        rows_per_step: int = ROWS_PER_STEP,
    ) -> Iterator[None]:
        """``set_roster`` in steps, for a caller that yields to the loop at each ``yield``:
        a new roster's rows are made ``rows_per_step`` at a time (20,000 rows in one go held
        the window 40-70 ms). The store changes in the last step only, in one go; what
        happened to the doors meanwhile (an event, a release) is on their rows then."""
        new_buildings = {b.id: b for b in buildings}
        new_panels = {p.id: p for p in panels}
        new_doors = {d.id: d for d in doors}
        if new_doors.keys() == self._index.keys():
            self._refresh_roster(new_buildings, new_panels, new_doors)
            return
        # Sorted as doors, before any row exists, on each building's name folded once:
        # at 20,000 doors every call per door shows as a stall.
        folded: dict[int | None, str] = {b.id: b.name.casefold() for b in new_buildings.values()}
        ordered = sorted(
            new_doors.values(),
            key=lambda d: (folded.get(d.building_id, ""), d.name.casefold(), d.id),
        )
        rows: list[DoorRow] = []
        for start in range(0, len(ordered), rows_per_step):
            yield
            with collection_paused():
                rows.extend(
                    _plain_row(d, new_buildings) for d in ordered[start : start + rows_per_step]
                )
        if ordered:
            yield
        self._buildings = new_buildings
        self._panels = new_panels
        index = {d.id: i for i, d in enumerate(ordered)}
        # The doors with more than a door and a building to show, as they stand now.
        for door_id in self._last_event.keys() | self._release.keys() | self._pinned:
            if (i := index.get(door_id)) is not None:
                rows[i] = self._row_for(ordered[i])
        self._rows = rows
        self._in_order = True
        self._index = index
        self._notify(lambda listener: listener.doors_reset())
        self._shown_buildings = {b.id: (b.name, b.time_zone) for b in new_buildings.values()}
        self._notify(lambda listener: listener.roster_changed())

    def _refresh_roster(
        self,
        buildings: dict[int, Building],
        panels: dict[int, Panel],
        doors: dict[int, Door],
    ) -> None:
        """The same doors again (the 60-s refresh, nearly always): a row is rebuilt only if
        its door or its building's name or zone changed, so that a refresh of 20,000
        unchanged doors makes no new rows and tells nobody anything."""
        roster_changed = buildings != self._buildings or panels != self._panels
        self._buildings = buildings
        self._panels = panels
        moved = self._moved_buildings(buildings)
        changed: list[int] = []
        for index, row in enumerate(self._rows):
            door = doors[row.id]
            if door == row.door and door.building_id not in moved:
                continue
            updated = self._row_for(door)
            if updated != row:
                self._rows[index] = updated
                changed.append(index)
                if (updated.name, updated.building_name) != (row.name, row.building_name):
                    self._in_order = False
        if changed:
            self._notify(lambda listener: listener.doors_changed(changed))
        self._shown_buildings = {b.id: (b.name, b.time_zone) for b in buildings.values()}
        if roster_changed:
            self._notify(lambda listener: listener.roster_changed())

    # -- residents, units, access tools and passes (fetched with the roster) ---------------

    @property
    def directory(self) -> Directory:
        return self._directory

    def set_directory(self, directory: Directory) -> None:
        """Names for the ids events and calls carry; views hear it as a roster change."""
        if directory == self._directory:
            return
        self._directory = directory
        self._notify(lambda listener: listener.roster_changed())

    def _moved_buildings(self, buildings: Mapping[int, Building]) -> set[int | None]:
        """Buildings whose name or time zone (what a row shows of them) differ from the
        rows' (a building that came or went counts)."""
        now = {b.id: (b.name, b.time_zone) for b in buildings.values()}
        before = self._shown_buildings
        return {bid for bid in now.keys() | before.keys() if now.get(bid) != before.get(bid)}

    def _row_for(self, door: Door) -> DoorRow:
        event = self._last_event.get(door.id)
        if event is None and door.id not in self._release and door.id not in self._pinned:
            return _plain_row(door, self._buildings)
        building = self._buildings.get(door.building_id) if door.building_id is not None else None
        return DoorRow(
            door=door,
            building_name=building.name if building else "",
            time_zone=building.time_zone if building else None,
            release=self._release.get(door.id, IDLE),
            last=event,
            pinned=door.id in self._pinned,
        )

    # -- door rows -------------------------------------------------------------------------

    @property
    def doors(self) -> Sequence[DoorRow]:
        return tuple(self._rows)

    def door_count(self) -> int:
        return len(self._rows)

    @property
    def rows_in_order(self) -> bool:
        """Whether ``doors`` is sorted by building name, door name and id (casefolded), as
        after every change of the set of doors; a rename since may have moved a row."""
        return self._in_order

    def door_at(self, index: int) -> DoorRow:
        return self._rows[index]

    def door_index(self, door_id: int) -> int | None:
        return self._index.get(door_id)

    def door(self, door_id: int) -> DoorRow | None:
        index = self._index.get(door_id)
        return None if index is None else self._rows[index]

    def _refresh_rows(self, door_ids: Iterable[int]) -> None:
        """Rebuild the given doors' rows from the side tables; one notification for all."""
        changed: list[int] = []
        for door_id in door_ids:
            index = self._index.get(door_id)
            if index is None:
                continue
            row = self._rows[index]
            updated = self._row_for(row.door)
            if updated != row:
                self._rows[index] = updated
                changed.append(index)
        if changed:
            indexes = sorted(changed)
            self._notify(lambda listener: listener.doors_changed(indexes))

    def set_pinned(self, door_id: int, pinned: bool) -> None:
        if pinned:
            self._pinned.add(door_id)
        else:
            self._pinned.discard(door_id)
        self._refresh_rows([door_id])

    def set_pinned_doors(self, door_ids: Iterable[int]) -> None:
        """Replace the whole pinned set (e.g. from settings at start-up)."""
        before = self._pinned
        self._pinned = set(door_ids)
        self._refresh_rows(before ^ self._pinned)

    @property
    def pinned_door_ids(self) -> frozenset[int]:
        return frozenset(self._pinned)

    # -- release state ---------------------------------------------------------------------

    def release_status(self, door_id: int) -> ReleaseStatus:
        return self._release.get(door_id, IDLE)

    def release_statuses(self) -> Mapping[int, ReleaseStatus]:
        """Every door whose release state is not plain idle."""
        return MappingProxyType(self._release)

    def set_release_status(self, updates: Mapping[int, ReleaseStatus]) -> None:
        for door_id, status in updates.items():
            if status == IDLE:
                self._release.pop(door_id, None)
            else:
                self._release[door_id] = status
        self._refresh_rows(updates)

    # -- events ----------------------------------------------------------------------------

    def add_events(self, events: Iterable[AccessEvent]) -> list[AccessEvent]:
        """Add a poll's worth of events; returns those that were new, oldest first."""
        change = self._events.add(events)
        touched: set[int] = set()
        for event in change.added:
            if event.door_id is None:
                continue
            if _is_newer(event, self._last_event.get(event.door_id)):
                self._last_event[event.door_id] = event
                touched.add(event.door_id)
        self._refresh_rows(touched)
        if change.dropped:
            self._notify(lambda listener: listener.events_dropped(change.dropped))
        if change.added:
            self._notify(lambda listener: listener.events_added(change.added))
        return change.added

    def event_count(self) -> int:
        return len(self._events)

    def event_at(self, row: int) -> AccessEvent:
        """Row 0 is the newest event."""
        return self._events.newest_at(row)

    def event_row(self, event_id: int) -> int | None:
        return self._events.row_of(event_id)

    def event(self, event_id: int) -> AccessEvent | None:
        return self._events.get(event_id)

    def events_newest_first(self, limit: int | None = None) -> list[AccessEvent]:
        return self._events.newest_first(limit)

    def events_since(
        self,
        moment: datetime,
        *,
        building_id: int | None = None,
        door_id: int | None = None,
    ) -> list[AccessEvent]:
        """Events logged at or after ``moment``, oldest first, optionally for one building
        or door."""
        return [
            e
            for e in self._events.since(moment)
            if (building_id is None or e.building_id == building_id)
            and (door_id is None or e.door_id == door_id)
        ]

    # -- calls -----------------------------------------------------------------------------

    def add_calls(self, calls: Iterable[Call]) -> list[Call]:
        """Add a poll's worth of calls; returns the new ones. A known call whose status moved
        on is replaced and reported through ``calls_changed``."""
        change = self._calls.add(calls)
        if change.dropped:
            self._notify(lambda listener: listener.calls_dropped(change.dropped))
        if change.changed:
            self._notify(lambda listener: listener.calls_changed(change.changed))
        if change.added:
            self._notify(lambda listener: listener.calls_added(change.added))
        return change.added

    def call_count(self) -> int:
        return len(self._calls)

    def call_at(self, row: int) -> Call:
        """Row 0 is the newest call."""
        return self._calls.newest_at(row)

    def calls_newest_first(self, limit: int | None = None) -> list[Call]:
        return self._calls.newest_first(limit)

    # -- poller health ---------------------------------------------------------------------

    def register_poller(self, name: str, interval_s: float) -> None:
        current = self._health.get(name)
        self._health[name] = (
            replace(current, interval_s=interval_s)
            if current
            else PollerHealth(name=name, interval_s=interval_s)
        )
        self._health_updated()

    def record_success(
        self, name: str, *, at: datetime, next_attempt: datetime | None = None
    ) -> None:
        self._health[name] = replace(
            self._health_of(name),
            last_success=at,
            last_attempt=at,
            last_error=None,
            error_kind=None,
            failing_since=None,
            next_attempt=next_attempt,
            paused=False,
        )
        self._health_updated()

    def record_failure(
        self,
        name: str,
        error: BaseException,
        *,
        at: datetime,
        next_attempt: datetime | None = None,
        paused: bool = False,
    ) -> None:
        current = self._health_of(name)
        self._health[name] = replace(
            current,
            last_attempt=at,
            last_error=error_sentence(name, error),
            error_kind=error_kind(error),
            failing_since=current.failing_since or at,
            next_attempt=None if paused else next_attempt,
            paused=paused,
        )
        self._health_updated()

    def set_paused(self, name: str, paused: bool) -> None:
        current = self._health_of(name)
        if current.paused != paused:
            self._health[name] = replace(current, paused=paused)
            self._health_updated()

    def health(self, name: str) -> PollerHealth | None:
        return self._health.get(name)

    def healths(self) -> list[PollerHealth]:
        return list(self._health.values())

    def is_stale(self, name: str, now: datetime) -> bool:
        health = self._health.get(name)
        return health is not None and health.is_stale(now)

    def stale_since(self, name: str) -> datetime | None:
        health = self._health.get(name)
        return None if health is None else health.stale_since

    @property
    def connection(self) -> ConnectionState:
        return connection_state(self._health.values())

    def _health_of(self, name: str) -> PollerHealth:
        health = self._health.get(name)
        if health is None:
            raise KeyError(f"poller {name!r} was never registered")
        return health

    def _health_updated(self) -> None:
        self._notify(lambda listener: listener.health_changed())
        state = self.connection
        if state != self._connection:
            self._connection = state
            self._notify(lambda listener: listener.connection_changed(state))
