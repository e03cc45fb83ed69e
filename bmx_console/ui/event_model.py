"""The events table model: the store's access events, newest first, through the filters.

The table model mirrors the store's event log in its own newest-first list, so that it can
hold new events back while the operator is scrolled away from the top (they wait behind an
"N new events" button instead of pushing the rows they are reading out of view), and so that
rows stay consistent while the store's notifications for one batch are still arriving.
Notifications are coalesced by a short single-shot timer: a burst of thousands of events is
one ``rowsInserted``.

Filtering happens in the model, in one Python pass over the list, rather than in a
QSortFilterProxyModel: a proxy calls back into Python once per row, which at 50,000 events
costs most of a second per filter change and several milliseconds per insert, while one
list comprehension takes a few tens of milliseconds.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QFont

from bmx_console.api.models import AccessEvent
from bmx_console.clock import Clock, SystemClock
from bmx_console.core.store import Store
from bmx_console.ui.event_kinds import KINDS, kind_color, kind_icon, kind_label
from bmx_console.ui.event_text import (
    building_zone,
    format_full_time,
    format_local_time,
    method_label,
    who_label,
)
from bmx_console.ui.palette_css import is_dark, muted_color
from bmx_console.ui.store_signals import store_signals
from bmx_console.ui.tables import RecordTableModel

COL_KIND, COL_TIME, COL_WHO, COL_DOOR, COL_METHOD = range(5)
COLUMN_COUNT = 5

EVENT_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2

FLUSH_MS = 40
ROW_HEIGHT = 34
# Beyond this many late events at once, one insert on top and a merge of the rows they
# fall among is cheaper than searching a place for each and inserting there.
MAX_BLOCKS = 32


@dataclass(frozen=True, slots=True)
class EventFilter:
    """What the operator asked to see: one door (or all), some kinds, and words that must
    all appear in who, door, method or kind."""

    door_id: int | None = None
    kinds: frozenset[str] = frozenset(KINDS)
    text: str = ""

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(self.text.casefold().split())

    @property
    def active(self) -> bool:
        return self.door_id is not None or self.kinds != frozenset(KINDS) or bool(self.words)


def _order(event: AccessEvent) -> tuple[datetime, int]:
    return (event.logged_at, event.id)


def _newest_first_key(event: AccessEvent) -> tuple[float, int]:
    return (-event.logged_at.timestamp(), -event.id)


class EventTableModel(RecordTableModel):
    """The store's events that pass the filter, newest on top; new events wait in
    ``pending`` while paused."""

    pending_changed = Signal(int)
    filter_changed = Signal()

    def __init__(
        self,
        store: Store,
        *,
        clock: Clock | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._clock: Clock = clock or SystemClock()
        self._filter = EventFilter()
        self._words: tuple[str, ...] = ()
        self._rows: list[AccessEvent] = store.events_newest_first()
        self._pending: list[AccessEvent] = []
        self._incoming: list[AccessEvent] = []
        self._drops_noted = False
        self._names_changed = False
        self._live = True
        self._door_names = {row.id: row.name for row in store.doors}
        self._building_names = {b.id: b.name for b in store.buildings.values()}
        # What the text filter searches, per event: built once, kept until names change.
        self._haystacks: dict[int, str] = {}
        self._kind_labels = {kind: kind_label(kind) for kind in KINDS}
        self._schedule_word = self.tr("Schedule")
        self._headers = {
            COL_KIND: self.tr("Kind"),
            COL_TIME: self.tr("Time"),
            COL_WHO: self.tr("Who"),
            COL_DOOR: self.tr("Door"),
            COL_METHOD: self.tr("Method"),
        }
        self._unknown_word = self.tr("Unknown")
        self._actor_font: QFont | None = None
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(FLUSH_MS)
        self._flush_timer.timeout.connect(self.flush)
        signals = store_signals(store)
        signals.events_added.connect(self._on_events_added)
        signals.events_dropped.connect(self._on_events_dropped)
        # roster_changed alone: the store sends it after every doors_reset too.
        signals.roster_changed.connect(self._on_roster_changed)
        signals.doors_changed.connect(self._on_doors_changed)

    @property
    def store(self) -> Store:
        return self._store

    # -- store notifications -----------------------------------------------------------------

    def _on_events_added(self, events: Sequence[AccessEvent]) -> None:
        self._incoming.extend(events)
        self._schedule_flush()

    def _on_events_dropped(self, count: int) -> None:
        self._drops_noted = True
        self._schedule_flush()

    def _on_roster_changed(self) -> None:
        self._door_names = {row.door.id: row.door.name for row in self._store.doors}
        self._building_names = {b.id: b.name for b in self._store.buildings.values()}
        self._haystacks.clear()
        self._names_changed = True
        self._schedule_flush()

    def _on_doors_changed(self, indexes: Iterable[int]) -> None:
        # Fired for every release state change too; only a renamed door matters here.
        for index in indexes:
            row = self._store.door_at(index)
            if self._door_names.get(row.id) != row.name:
                self._door_names[row.id] = row.name
                self._haystacks.clear()
                self._names_changed = True
        if self._names_changed:
            self._schedule_flush()

    def _schedule_flush(self) -> None:
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def flush(self) -> None:
        """Apply what the store reported since the last flush (normally run by the timer)."""
        self._flush_timer.stop()
        if self._drops_noted:
            self._drops_noted = False
            self._apply_drops()
        if self._names_changed:
            self._names_changed = False
            if self._words:
                # The door names are part of what the text filter searches.
                self._refilter()
            elif self._rows:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(self._rows) - 1, COLUMN_COUNT - 1)
                )
        incoming, self._incoming = self._incoming, []
        if not incoming:
            return
        if self._live:
            self._insert(incoming)
        else:
            self._pending.extend(incoming)
            self.pending_changed.emit(len(self._pending))

    def _apply_drops(self) -> None:
        # The store drops its oldest events; the rows follow its order, so those are the
        # rows older than the oldest it keeps (plus any of them still waiting, unseen):
        # found with one search, not a lookup per row (2,000 a flush at 2,000 events/s).
        known = self._store.event
        count = self._store.event_count()
        if count:
            oldest = _newest_first_key(self._store.event_at(count - 1))
            end = bisect.bisect_right(self._rows, oldest, key=_newest_first_key)
        else:
            end = 0
        if end < len(self._rows):
            self.beginRemoveRows(QModelIndex(), end, len(self._rows) - 1)
            del self._rows[end:]
            self.endRemoveRows()
        self._incoming = [e for e in self._incoming if known(e.id) is not None]
        kept = [e for e in self._pending if known(e.id) is not None]
        if len(kept) != len(self._pending):
            self._pending = kept
            self.pending_changed.emit(len(kept))

    def _insert(self, events: Sequence[AccessEvent]) -> None:
        ordered = sorted((e for e in events if self.accepts(e)), key=_order, reverse=True)
        if not ordered:
            return
        if not self._rows:
            self.beginInsertRows(QModelIndex(), 0, len(ordered) - 1)
            self._rows = ordered
            self.endInsertRows()
            return
        top = _order(self._rows[0])
        newer = [e for e in ordered if _order(e) > top]
        older = ordered[len(newer) :]
        if len(older) > MAX_BLOCKS:
            # Late events interleaved with the rows on top (a busy building polled just
            # after another): one insert at the top and a merge of the rows they fall among,
            # found with one search rather than one per event.
            depth = bisect.bisect_left(
                self._rows, _newest_first_key(older[-1]), key=_newest_first_key
            )
            self._merge_top(ordered, depth)
            return
        # Where each late event goes among the rows shown, newest first, so never earlier
        # than the one before it. Those that land between the same two rows (a building's
        # poll that arrives after another's usually all does) go in as one block: one insert
        # for the view to lay out, not one per event.
        blocks: list[tuple[int, list[AccessEvent]]] = []
        for event in older:
            position = bisect.bisect_left(
                self._rows, _newest_first_key(event), key=_newest_first_key
            )
            if blocks and blocks[-1][0] == position:
                blocks[-1][1].append(event)
            else:
                blocks.append((position, [event]))
        if newer:
            self.beginInsertRows(QModelIndex(), 0, len(newer) - 1)
            self._rows[0:0] = newer
            self.endInsertRows()
        inserted = len(newer)
        for position, block in blocks:
            first = position + inserted
            self.beginInsertRows(QModelIndex(), first, first + len(block) - 1)
            self._rows[first:first] = block
            self.endInsertRows()
            inserted += len(block)

    def _merge_top(self, ordered: list[AccessEvent], depth: int) -> None:
        """Put ``ordered`` (newest first) among the top ``depth`` rows, the only ones they
        fall among: the view sees as many rows inserted on top and those rows changed.

        A reset of the whole table (and a sort of 50,000 rows) took 17 ms and lost the
        operator's selection; this costs a merge of the rows concerned. The selection and
        the current row stay on their events.
        """
        region = self._rows[:depth]
        # Two runs already in order: the sort only merges them.
        merged = sorted(region + ordered, key=_order, reverse=True)
        # (row, column, event) of the selection, the current row and the like among them.
        held = [
            (index.row(), index.column(), region[index.row()].id)
            for index in self.persistentIndexList()
            if index.isValid() and index.row() < depth
        ]
        count = len(ordered)
        self.beginInsertRows(QModelIndex(), 0, count - 1)
        self._rows[:depth] = merged
        self.endInsertRows()
        if held:
            row_of = {event.id: row for row, event in enumerate(merged)}
            # Qt has moved them down with the insert; each goes back to its own event.
            self.changePersistentIndexList(
                [self.index(row + count, column) for row, column, _ in held],
                [self.index(row_of[event_id], column) for _, column, event_id in held],
            )
        last = len(merged) - 1
        self.dataChanged.emit(self.index(0, 0), self.index(last, COLUMN_COUNT - 1))

    # -- filtering ---------------------------------------------------------------------------

    @property
    def filter(self) -> EventFilter:
        return self._filter

    def set_filter(self, wanted: EventFilter) -> None:
        if wanted == self._filter:
            return
        self._filter = wanted
        self._words = wanted.words
        self._refilter()

    def set_door(self, door_id: int | None) -> None:
        self.set_filter(replace(self._filter, door_id=door_id))

    def set_kinds(self, kinds: Iterable[str]) -> None:
        wanted = frozenset(k for k in kinds if k in KINDS)
        self.set_filter(replace(self._filter, kinds=wanted))

    def set_text(self, text: str) -> None:
        self.set_filter(replace(self._filter, text=text))

    def accepts(self, event: AccessEvent) -> bool:
        wanted = self._filter
        if wanted.door_id is not None and event.door_id != wanted.door_id:
            return False
        if len(wanted.kinds) != len(KINDS) and event.kind not in wanted.kinds:
            return False
        if self._words:
            haystack = self.search_text(event)
            return all(word in haystack for word in self._words)
        return True

    def _refilter(self) -> None:
        self.flush()
        held = {e.id for e in self._pending}
        self.beginResetModel()
        self._rows = [
            e for e in self._store.events_newest_first() if e.id not in held and self.accepts(e)
        ]
        self.endResetModel()
        self.filter_changed.emit()

    def total_count(self) -> int:
        """Events shown or hidden by the filter, not counting those held back."""
        return self._store.event_count() - len(self._pending) - len(self._incoming)

    # -- live / paused -----------------------------------------------------------------------

    @property
    def live(self) -> bool:
        return self._live

    def set_live(self, live: bool) -> None:
        """Paused (``live`` false) holds new events back; going live shows them."""
        if live == self._live:
            return
        self._live = live
        if live:
            self.reveal()

    def reveal(self) -> None:
        """Show the events held back while paused."""
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        self._insert(pending)
        self.pending_changed.emit(0)

    def pending_events(self) -> list[AccessEvent]:
        return list(self._pending)

    def pending_shown_count(self) -> int:
        """How many held-back events pass the filter (the number on the button)."""
        return sum(1 for event in self._pending if self.accepts(event))

    # -- reading rows ------------------------------------------------------------------------

    def event_at(self, row: int) -> AccessEvent:
        return self._rows[row]

    def time_text(self, event: AccessEvent) -> str:
        zone = building_zone(self._store, event.building_id)
        return format_local_time(event.logged_at, zone, self._clock.now())

    def door_text(self, event: AccessEvent) -> str:
        if event.door_id is None:
            return "—"
        name = self._door_names.get(event.door_id)
        if name is None:
            return self.tr("door {0}").format(event.door_id)
        # Every building has its "Main Entrance": name the building when there are several.
        building = self._building_names.get(event.building_id) if event.building_id else None
        return f"{name} · {building}" if building and len(self._building_names) > 1 else name

    def search_text(self, event: AccessEvent) -> str:
        haystack = self._haystacks.get(event.id)
        if haystack is None:
            if len(self._haystacks) > 2 * self._store.event_count() + 1000:
                self._haystacks.clear()  # forget events that left the log long ago
            kind = event.kind
            who = event.actor or (self._schedule_word if kind == "schedule" else self._unknown_word)
            method = method_label(event, self._store) if event.entry_method else ""
            method = method or (self._schedule_word if kind == "schedule" else "")
            haystack = f"{who} {self.door_text(event)} {method} {self._kind_labels[kind]}"
            haystack = haystack.casefold()
            self._haystacks[event.id] = haystack
        return haystack

    def _row_count(self) -> int:
        return len(self._rows)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return super().headerData(section, orientation, role)

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        # A view asks for a dozen roles per cell per repaint, most of which no cell has.
        if role not in _ANSWERED_ROLES or not index.isValid():
            return None
        row = index.row()
        if not 0 <= row < len(self._rows):
            return None
        event = self._rows[row]
        column = index.column()
        if role == _DISPLAY:
            if column == COL_KIND:
                return kind_label(event.kind)
            if column == COL_TIME:
                return self.time_text(event)
            if column == COL_WHO:
                return who_label(event)
            if column == COL_DOOR:
                return self.door_text(event)
            return method_label(event, self._store)
        if role == EVENT_ROLE:
            return event
        if role == KIND_ROLE:
            return event.kind
        if role == _DECORATION:
            return kind_icon(event.kind, is_dark()) if column == COL_KIND else None
        if role == _FOREGROUND:
            if column == COL_KIND:
                return QBrush(kind_color(event.kind))
            if (column == COL_WHO and not event.actor) or (
                column == COL_METHOD and not event.entry_method
            ):
                return QBrush(muted_color())
            return None
        if role == _FONT:
            if column == COL_WHO and event.actor:
                if self._actor_font is None:
                    self._actor_font = QFont()
                    self._actor_font.setWeight(QFont.Weight.DemiBold)
                return self._actor_font
            return None
        if role == _TOOLTIP:
            if column == COL_TIME:
                zone = building_zone(self._store, event.building_id)
                return format_full_time(event.logged_at, zone)
            return self.data(index, _DISPLAY)
        # The one role left: the accessible text of the whole row.
        return self.tr("{kind}, {time}, {who}, {door}, {method}").format(
            kind=kind_label(event.kind),
            time=self.time_text(event),
            who=who_label(event),
            door=self.door_text(event),
            method=method_label(event, self._store),
        )


_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ANSWERED_ROLES = frozenset(
    {
        _DISPLAY,
        _DECORATION,
        _FOREGROUND,
        _FONT,
        _TOOLTIP,
        int(Qt.ItemDataRole.AccessibleTextRole),
        int(EVENT_ROLE),
        int(KIND_ROLE),
    }
)
