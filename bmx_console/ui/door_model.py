"""The door table's model: one row per store door, in the store's order.

``DoorTableModel`` adapts the Qt-free ``Store`` (it shows the store's rows as they are, so
nothing it shows can disagree with the store); store notifications arrive per batch and are
coalesced into a few ``dataChanged`` ranges by a short single-shot timer, each covering
only the columns that changed, so that a new last event does not make the proxy check the
place of every changed row in a list sorted by building.

The model also keeps the rows in the order shown: sorting is one ``sorted()`` over keys made
once per row (``sort_key``), never a comparison per pair of rows called back from Qt, which at
20,000 doors froze the window for seconds. The proxy only filters and hands its ``sort`` to
``sort_rows`` here. A model row is therefore not a store index: ``source_row_of(door_id)``
maps a door to its row. A release's own outcome is delivered at once, outside the
coalescing, so that "Released" shows in the frame after the cloud answered.

Python code reads rows through ``row_of(index)`` (the ``DoorRow`` record) rather than
asking an index for a role that may be empty: PySide6 6.12 drops a reference to ``None``
each time an empty QVariant comes back into Python, which on Python 3.11 eventually aborts.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer

from bmx_console.clock import Clock
from bmx_console.core.store import DoorRow, Store
from bmx_console.ui import icons
from bmx_console.ui.event_kinds import event_summary, who_words
from bmx_console.ui.store_signals import store_signals
from bmx_console.ui.tables import RecordTableModel
from bmx_console.ui.time_text import time_text, zone_named

ModelIndex = QModelIndex | QPersistentModelIndex

# Columns, by name everywhere.
COL_NAME = 0
COL_BUILDING = 1
COL_STATE = 2
COL_LAST_EVENT = 3
COL_RELEASE = 4
COLUMN_COUNT = 5

_ROLE = Qt.ItemDataRole.UserRole
DOOR_ID_ROLE = _ROLE + 1
ROW_ROLE = _ROLE + 2  # the DoorRow record
STATE_ROLE = _ROLE + 3  # "idle" | "sending" | "released" | "failed"
PINNED_ROLE = _ROLE + 4
SECONDARY_ROLE = _ROLE + 5  # the muted second line of two-line cells
PRIMARY_ROLE = _ROLE + 6  # the first line of two-line cells
# What the search looks in, folded: name, building and id, then the building's id between
# unit separators (the building filter's mark). Read by the proxy's own (C++) filter.
FILTER_ROLE = _ROLE + 7
BUILDING_MARK = "\x1f{0}\x1f"

HOTKEY_COUNT = 12
ROW_HEIGHT = 52
# Rows of a short window: one line each (a door's id is in its tooltip).
COMPACT_ROW_HEIGHT = 34
# Bursts of store notifications (a poll's worth) become one repaint, at most four a second:
# a door's last event needs no faster, and under 2,000 events a second the list repainted
# about 30 times a second, 4 ms each, so that a click often waited for a paint to end. A
# release's own outcome does not wait for this (``doors_changed``).
COALESCE_MS = 250
# Rows announced per loop turn when many changed at once: one poll at 2,000 events a second
# touches ~2,000 doors, and announcing them in one go held the window for 40 ms.
FLUSH_ROWS = 250
SPINNER_INTERVAL_MS = 80

_STATE_ORDER = {"failed": 0, "sending": 1, "released": 2, "idle": 3}
SortKey = tuple[Any, ...]


def row_of(index: ModelIndex) -> DoorRow | None:
    """The door row behind a model or proxy index (None for an invalid index)."""
    if not index.isValid():
        return None
    value = index.data(ROW_ROLE)
    return value if isinstance(value, DoorRow) else None


def door_id_of(index: ModelIndex) -> int | None:
    row = row_of(index)
    return row.id if row is not None else None


def local_time_text(moment: datetime, time_zone: str | None, now: datetime) -> str:
    """The desk's clock, the date when not today, the building's when it differs."""
    return time_text(moment, now, zone_named(time_zone), seconds=False)


class DoorTableModel(RecordTableModel):
    """One row per store door, in the store's order (the proxy sorts)."""

    def __init__(self, store: Store, *, clock: Clock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._clock = clock
        self._pending: set[int] = set()
        # The rows as last announced (by store index), to tell which cells a change touched.
        self._announced: list[DoorRow] = list(store.doors)
        # The order shown: _order[model row] is a store index, _position its inverse. Sorted
        # by _sort_column (-1: the store's order) in _sort_order, pinned doors first.
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._order: list[int] = list(range(len(self._announced)))
        self._position: list[int] = list(self._order)
        # Sort keys by store index for _sort_column, made when first needed (None: not yet).
        self._keys: list[SortKey] | None = None
        # While the pointer is over the rows the order is held; a re-sort it missed waits.
        self._order_held = False
        self._order_stale = False
        # A change to the sort keys seen by a batch of a flush that has more to come.
        self._resort_due = False
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(COALESCE_MS)
        self._flush_timer.timeout.connect(self._flush)
        # One timer animates every sending row; it runs only while a release is in flight.
        self.spinner_frame = 0
        self._spinner = QTimer(self)
        self._spinner.setInterval(SPINNER_INTERVAL_MS)
        self._spinner.timeout.connect(self._advance_spinner)
        self.stale = False
        # Doors whose release asks for a confirmation first: their buttons read "Release…".
        self.asks_first: Callable[[int], bool] = lambda _door_id: False
        # Why a door cannot be released from this desk (no front-desk tenant for its
        # building), or None: such a door's button is drawn disabled and its row says why.
        self.why_not: Callable[[int], str | None] = lambda _door_id: None
        # The F-key bound to each door (door id -> 1…12): keys belong to doors, not rows.
        self._hotkey_of: dict[int, int] = {}
        # Why nothing is known of the doors' state now (ButterflyMX unreachable, signed out),
        # or "": a row then says "Unknown", not "Ready".
        self.offline = ""
        self._headers = {
            COL_NAME: self.tr("Door"),
            COL_BUILDING: self.tr("Building"),
            COL_STATE: self.tr("State"),
            COL_LAST_EVENT: self.tr("Last event"),
            COL_RELEASE: self.tr("Release"),
        }
        signals = store_signals(store)
        signals.doors_reset.connect(self.doors_reset)
        signals.doors_changed.connect(self.doors_changed)

    @property
    def store(self) -> Store:
        return self._store

    # -- store listener ----------------------------------------------------------------------

    def doors_reset(self) -> None:
        self._pending.clear()
        self._resort_due = False
        self.beginResetModel()
        self._announced = list(self._store.doors)
        self._keys = None
        self._set_order(self._sorted_order())
        self.endResetModel()
        self._update_spinner()

    def doors_changed(self, indexes: Iterable[int]) -> None:
        # A release's own outcome (sending, released, failed) is what the operator is
        # looking at: it goes out now; what events changed waits for the coalescing.
        announced = self._announced
        count = len(announced)
        urgent = [
            i
            for i in indexes
            if 0 <= i < count and self._store.door_at(i).release is not announced[i].release
        ]
        self._pending.update(indexes)
        if urgent:
            self._pending.difference_update(urgent)
            self._deliver(urgent, settle=not self._pending)
        if self._pending and not self._flush_timer.isActive():
            self._flush_timer.start(COALESCE_MS)

    def _flush(self) -> None:
        """Announce what changed, ``FLUSH_ROWS`` rows per loop turn: the window handles
        input and paints between the batches. The rows move once, after the last."""
        pending = self._pending
        if len(pending) <= FLUSH_ROWS:
            batch, self._pending = pending, set()
        else:
            # In the order shown, so that a batch is as few runs of rows as it can be.
            position, count = self._position, len(self._position)
            ordered = sorted(pending, key=lambda i: position[i] if 0 <= i < count else -1)
            batch = set(ordered[:FLUSH_ROWS])
            pending.difference_update(batch)
        self._deliver(batch, settle=not self._pending)
        if self._pending:
            self._flush_timer.start(0)

    def _deliver(self, indexes: Iterable[int], *, settle: bool = True) -> None:
        """Announce the given store rows as changed: ``dataChanged`` for the cells that
        differ, and the rows moved if the change touched their sort keys (with ``settle``
        False, once a later call settles)."""
        rows = sorted(i for i in indexes if 0 <= i < len(self._announced))
        by_columns: dict[tuple[int, int], list[int]] = {}
        resort = False
        for index in rows:
            old, row = self._announced[index], self._store.door_at(index)
            columns = _changed_columns(old, row)
            self._announced[index] = row
            if columns is None:
                continue
            by_columns.setdefault(columns, []).append(self._position[index])
            if self._sort_column >= 0 or old.pinned != row.pinned:
                key = sort_key(row, self._sort_column)
                if self._keys is not None:
                    resort = resort or self._keys[index] != key
                    self._keys[index] = key
                else:
                    resort = resort or sort_key(old, self._sort_column) != key
                resort = resort or old.pinned != row.pinned
        # Cells first (the proxy re-filters those rows), then the new order in one move.
        for (first_col, last_col), changed in by_columns.items():
            for first, last in _ranges(sorted(changed)):
                # createIndex: index() would ask Python's rowCount for each of 2,000 rows.
                top_left, bottom_right = (
                    self.createIndex(first, first_col),
                    self.createIndex(last, last_col),
                )
                self.dataChanged.emit(top_left, bottom_right)
        resort = resort or self._resort_due
        self._resort_due = resort and not settle
        if resort and settle:
            if self._order_held:
                # The pointer is over the rows: nothing moves under it until it leaves.
                self._order_stale = True
            else:
                self._relayout(self._sorted_order())
        self._update_spinner()

    def hold_order(self, held: bool) -> None:
        """Keep the rows where they are while ``held`` (changes still show in place); let go,
        and the order changes had made applies in one move."""
        self._order_held = held
        if not held and self._order_stale:
            self._order_stale = False
            self._relayout(self._sorted_order())

    def flush_now(self) -> None:
        """Deliver pending changes at once (tests, and before a screenshot)."""
        self._flush_timer.stop()
        while self._pending:
            self._flush()
        self._flush_timer.stop()

    def refresh_countdowns(self) -> None:
        """Repaint the rows that count down (once a second, from the window's timer)."""
        self._emit_for_states({"released"}, COL_STATE, COL_RELEASE)

    def _advance_spinner(self) -> None:
        self.spinner_frame = (self.spinner_frame + 1) % icons.SPINNER_FRAMES
        if not self._emit_for_states({"sending"}, COL_STATE, COL_RELEASE):
            self._spinner.stop()

    def _emit_for_states(self, states: set[str], first_col: int, last_col: int) -> bool:
        rows = sorted(
            self._position[index]
            for door_id, status in self._store.release_statuses().items()
            if status.state in states
            and (index := self._store.door_index(door_id)) is not None
            and index < len(self._position)
        )
        for first, last in _ranges(rows):
            self.dataChanged.emit(self.index(first, first_col), self.index(last, last_col))
        return bool(rows)

    def _update_spinner(self) -> None:
        sending = any(s.state == "sending" for s in self._store.release_statuses().values())
        if sending and not self._spinner.isActive():
            self._spinner.start()
        elif not sending:
            self._spinner.stop()

    def set_stale(self, stale: bool) -> None:
        if stale != self.stale:
            self.stale = stale
            self.repaint_all()

    def set_offline(self, offline: str) -> None:
        if offline != self.offline:
            self.offline = offline
            self.repaint_all()

    def set_hotkeys(self, door_by_key: dict[int, int]) -> None:
        """Which door each F-key releases (key number -> door id)."""
        self._hotkey_of = {door: key for key, door in door_by_key.items()}
        self.repaint_all()

    def hotkey_of(self, door_id: int) -> int | None:
        return self._hotkey_of.get(door_id)

    def repaint_all(self) -> None:
        if self.rowCount():
            last = self.rowCount() - 1
            self.dataChanged.emit(self.index(0, 0), self.index(last, COLUMN_COUNT - 1))

    # -- Qt model --------------------------------------------------------------------------

    def _row_count(self) -> int:
        return self._store.door_count()

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def row_at(self, row: int) -> DoorRow | None:
        """The door shown on model row ``row`` (in the sorted order)."""
        if 0 <= row < len(self._order):
            return self._store.door_at(self._order[row])
        return None

    def source_row_of(self, door_id: int) -> int | None:
        """The model row that shows ``door_id`` (None if no such door)."""
        index = self._store.door_index(door_id)
        if index is None or index >= len(self._position):
            return None
        return self._position[index]

    # -- sorting -----------------------------------------------------------------------------

    @property
    def sort_column(self) -> int:
        return self._sort_column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return self._sort_order

    def sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        """Show the rows sorted by ``column`` (-1: the store's order), pinned doors first
        in either direction; the proxy's ``sort`` lands here."""
        if (column, order) == (self._sort_column, self._sort_order):
            return
        if column != self._sort_column:
            self._keys = None
        self._sort_column, self._sort_order = column, order
        self._relayout(self._sorted_order())

    def _sorted_order(self) -> list[int]:
        rows = self._announced
        count = len(rows)
        column = self._sort_column
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        if column < 0:
            order = list(range(count))
        elif self._keys is None and column == COL_BUILDING and self._store.rows_in_order:
            # The store keeps its rows by building, name and id: the default sort is free.
            order = list(range(count - 1, -1, -1)) if descending else list(range(count))
        else:
            if self._keys is None or len(self._keys) != count:
                self._keys = [sort_key(row, column) for row in rows]
            order = sorted(range(count), key=self._keys.__getitem__, reverse=descending)
        if self._store.pinned_door_ids:
            order = [i for i in order if rows[i].pinned] + [i for i in order if not rows[i].pinned]
        return order

    def _set_order(self, order: list[int]) -> None:
        self._order = order
        position = [0] * len(order)
        for row, index in enumerate(order):
            position[index] = row
        self._position = position

    def _relayout(self, order: list[int]) -> None:
        """Move the rows into ``order`` in one layout change, keeping every persistent index
        (selection, current row, the proxy's own) on its door."""
        if order == self._order:
            return
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        doors = [self._order[i.row()] if i.row() < len(self._order) else -1 for i in before]
        self._set_order(order)
        after = [
            self.index(self._position[d], i.column()) if d >= 0 else QModelIndex()
            for d, i in zip(doors, before, strict=True)
        ]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def countdown(self, row: DoorRow) -> int:
        until = row.release.released_until
        if row.state != "released" or until is None:
            return 0
        return max(0, math.ceil(until - self._clock.monotonic()))

    def state_text(self, row: DoorRow) -> str:
        state = row.state
        if state == "sending":
            return self.tr("Sending…")
        if state == "released":
            left = self.countdown(row)
            return self.tr("Released · {0} s").format(left) if left else self.tr("Released")
        if state == "failed":
            return self.tr("Failed")
        if self.offline:
            # Nothing has been heard from ButterflyMX: "Ready" would be a guess.
            return self.tr("Unknown")
        return self.tr("Ready")

    def failure_text(self, row: DoorRow) -> str:
        """The failure's sentence with when it happened: "14:03 · ButterflyMX refused: …"."""
        failure = row.release.failure or ""
        at = row.release.failed_at
        return f"{time_text(at, self._clock.now(), seconds=False)} · {failure}" if at else failure

    def state_aside(self, row: DoorRow) -> str:
        """The sentence beside the state: the failure or notice, why the door cannot be
        released, or that its state is not known while ButterflyMX is unreachable."""
        aside = self.failure_text(row) if row.state == "failed" else row.release.notice
        if aside:
            return aside
        why_not = self.why_not(row.id)
        if why_not:
            return why_not
        if self.offline and row.state == "idle":
            return self.offline
        return ""

    def last_event_lines(self, row: DoorRow) -> tuple[str, str]:
        if not row.last_event:
            return self.tr("No events yet"), ""
        when = (
            local_time_text(row.last_event_at, row.time_zone, self._clock.now())
            if row.last_event_at
            else ""
        )
        what = event_summary(row.last)
        return what, " · ".join(p for p in (when, who_words(row.last_event_user)) if p)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Asked first, and for every painted cell; a view asks for many roles no cell has.
        if role == ROW_ROLE:
            return self.row_at(index.row()) if index.isValid() else None
        if role not in _ANSWERED_ROLES or not index.isValid():
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        column = index.column()
        if role == DOOR_ID_ROLE:
            return row.id
        if role == STATE_ROLE:
            return row.state
        if role == PINNED_ROLE:
            return row.pinned
        if role == FILTER_ROLE:
            mark = BUILDING_MARK.format(row.building_id)
            return f"{row.name} {row.building_name} {row.id} {mark}".casefold()
        if role in _TEXT_ROLES:
            return self._display(row, column)
        if role == PRIMARY_ROLE:
            return self.lines(row, column)[0]
        if role == SECONDARY_ROLE:
            return self.lines(row, column)[1]
        if role == _DESCRIPTION:
            # A screen reader hears the whole failure on any cell of the row.
            return self.failure_text(row) if row.state == "failed" else None
        return self._tooltip(row, column)

    def lines(self, row: DoorRow, column: int) -> tuple[str, str]:
        """The two lines of a two-line cell: strong first, muted second ("" if none)."""
        if column == COL_NAME:
            return row.name, self.tr("Door {0}").format(row.id)
        if column == COL_LAST_EVENT:
            return self.last_event_lines(row)
        if column == COL_STATE:
            return self.state_text(row), self.state_aside(row)
        return self._display(row, column), ""

    def _display(self, row: DoorRow, column: int) -> str:
        if column == COL_NAME:
            return row.name
        if column == COL_BUILDING:
            return row.building_name or (
                self.tr("Building {0}").format(row.building_id) if row.building_id else "—"
            )
        if column == COL_STATE:
            parts = [self.state_text(row)]
            if row.state == "failed" and row.release.failure:
                parts.append(self.failure_text(row))
            if row.release.notice:
                parts.append(row.release.notice)
            elif row.state != "failed" and (aside := self.state_aside(row)):
                parts.append(aside)
            return " — ".join(parts)
        if column == COL_LAST_EVENT:
            first, second = self.last_event_lines(row)
            return " · ".join(p for p in (first, second) if p)
        if column == COL_RELEASE:
            why_not = self.why_not(row.id)
            if why_not:
                return self.tr("Cannot release {0}: {1}").format(row.name, why_not)
            key = self.hotkey_of(row.id)
            text = self.tr("Release {0}").format(row.name)
            return f"F{key} · {text}" if key else text
        return ""

    def _tooltip(self, row: DoorRow, column: int) -> str | None:
        if column == COL_NAME:
            panels = ", ".join(str(p) for p in row.door.panel_ids) or self.tr("none")
            text = self.tr("Door {0} · panels: {1}").format(row.id, panels)
            return text + (self.tr(" · pinned") if row.pinned else "")
        if column == COL_STATE:
            text = self._display(row, COL_STATE)
            if row.state == "failed" and row.release.details:
                text += "\n" + self.tr("Details: {0}").format(row.release.details)
            return text
        if column == COL_LAST_EVENT:
            return self._display(row, COL_LAST_EVENT)
        if column == COL_RELEASE:
            why_not = self.why_not(row.id)
            if why_not:
                return why_not
            key = self.hotkey_of(row.id)
            keys = f"F{key}, " if key else ""
            return self.tr("Release {0} now ({1}Enter or Space on the selected row)").format(
                row.name, keys
            )
        return None


_TEXT_ROLES = frozenset({int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.AccessibleTextRole)})
_DESCRIPTION = int(Qt.ItemDataRole.AccessibleDescriptionRole)
_ANSWERED_ROLES = _TEXT_ROLES | {
    int(Qt.ItemDataRole.ToolTipRole),
    _DESCRIPTION,
    DOOR_ID_ROLE,
    STATE_ROLE,
    PINNED_ROLE,
    PRIMARY_ROLE,
    SECONDARY_ROLE,
    FILTER_ROLE,
}


def _changed_columns(old: DoorRow, new: DoorRow) -> tuple[int, int] | None:
    """The first and last column whose cells differ between two versions of a row (None if
    none do). The door itself, its building and its pin decide the row's place whatever
    the sort column and whether the filter keeps it: a change there spans every column."""
    if old.door != new.door or old.building_name != new.building_name or old.pinned != new.pinned:
        return COL_NAME, COLUMN_COUNT - 1
    columns: list[int] = []
    if old.release != new.release:
        columns += (COL_STATE, COL_RELEASE)
    if (old.last_event, old.last_event_at, old.last_event_user, old.time_zone) != (
        new.last_event,
        new.last_event_at,
        new.last_event_user,
        new.time_zone,
    ):
        columns.append(COL_LAST_EVENT)
    return (min(columns), max(columns)) if columns else None


def sort_key(row: DoorRow, column: int) -> SortKey:
    """What orders the rows by ``column``: compared as plain tuples, in C, by one sort."""
    name = (row.name.casefold(), row.id)
    if column == COL_BUILDING:
        return (row.building_name.casefold(), *name)
    if column == COL_STATE:
        return (_STATE_ORDER.get(row.state, 9), *name)
    if column == COL_LAST_EVENT:
        stamp = row.last_event_at.timestamp() if row.last_event_at else float("-inf")
        return (stamp, *name)
    return name


def _ranges(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as (first, last) runs of consecutive rows."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and row == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs
