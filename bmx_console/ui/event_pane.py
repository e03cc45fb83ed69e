"""The live events pane: access events newest first, filters, and event details.

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
import re
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QIcon,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGraphicsDropShadowEffect,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from bmx_console.api.models import AccessEvent, EventKind
from bmx_console.clock import Clock, SystemClock
from bmx_console.core.store import Store
from bmx_console.ui.snapshot import FetchImage, SnapshotView
from bmx_console.ui.store_signals import store_signals
from bmx_console.ui.tables import (
    DerivedFonts,
    RecordTableModel,
    RenderCache,
    device_ratio,
    render_pixmap,
    setup_table_view,
)
from bmx_console.ui.theme import theme_changed

KINDS: tuple[EventKind, ...] = ("tenant", "visitor", "delivery", "api", "schedule", "other")

COL_KIND, COL_TIME, COL_WHO, COL_DOOR, COL_METHOD = range(5)
COLUMN_COUNT = 5

EVENT_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2

FLUSH_MS = 40
ROW_HEIGHT = 34
# Beyond this many events arriving out of order at once, one reset is cheaper than
# thousands of single-row inserts.
RESET_THRESHOLD = 500

# (light theme, dark theme): each chosen to read on its own background.
_KIND_COLORS: dict[str, tuple[str, str]] = {
    "tenant": ("#1a66d2", "#6cb0ff"),
    "visitor": ("#7a3fd1", "#c49bff"),
    "delivery": ("#b45309", "#f5a35c"),
    "api": ("#0b7a67", "#45d4b8"),
    "schedule": ("#55606e", "#a3aebb"),
    "other": ("#6b7280", "#9ca3af"),
}

# ButterflyMX is a Rails application; some accounts report Rails' zone names.
_RAILS_ZONES = {
    "Eastern Time (US & Canada)": "America/New_York",
    "Central Time (US & Canada)": "America/Chicago",
    "Mountain Time (US & Canada)": "America/Denver",
    "Pacific Time (US & Canada)": "America/Los_Angeles",
    "Arizona": "America/Phoenix",
    "Alaska": "America/Juneau",
    "Hawaii": "Pacific/Honolulu",
    "Atlantic Time (Canada)": "America/Halifax",
    "UTC": "UTC",
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("EventPane", text)


def kind_label(kind: str) -> str:
    labels = {
        "tenant": _tr("Tenant"),
        "visitor": _tr("Visitor"),
        "delivery": _tr("Delivery"),
        "api": _tr("API release"),
        "schedule": _tr("Schedule"),
        "other": _tr("Other"),
    }
    return labels.get(kind, _tr("Other"))


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def kind_color(kind: str, dark: bool | None = None) -> QColor:
    light_hex, dark_hex = _KIND_COLORS.get(kind, _KIND_COLORS["other"])
    return QColor(dark_hex if (is_dark() if dark is None else dark) else light_hex)


def muted_color(palette: QPalette | None = None) -> QColor:
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.PlaceholderText)


_PALETTE_REF = re.compile(r"palette\(([a-z-]+)\)")
_CSS_ROLES = {
    "base": QPalette.ColorRole.Base,
    "highlight": QPalette.ColorRole.Highlight,
    "highlighted-text": QPalette.ColorRole.HighlightedText,
    "link": QPalette.ColorRole.Link,
    "mid": QPalette.ColorRole.Mid,
    "placeholder-text": QPalette.ColorRole.PlaceholderText,
    "text": QPalette.ColorRole.Text,
    "window": QPalette.ColorRole.Window,
}


def themed_css(css: str) -> str:
    """``css`` with each ``palette(role)`` replaced by the application palette's colour.

    Qt resolves ``palette(...)`` in a style sheet once, when it is set; the console's
    palette changes at run time with the desktop's light/dark scheme, so style sheets are
    written with concrete colours and set again when the palette changes.
    """
    palette = QGuiApplication.palette()

    def color(match: re.Match[str]) -> str:
        value = palette.color(_CSS_ROLES[match.group(1)])
        return f"rgb({value.red()},{value.green()},{value.blue()})"

    return _PALETTE_REF.sub(color, css)


# -- time zones ------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def zone_named(name: str | None) -> tzinfo:
    """The building's zone; UTC when the cloud gave none or a name zoneinfo does not know."""
    if not name:
        return UTC
    try:
        return ZoneInfo(_RAILS_ZONES.get(name, name))
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def building_zone(store: Store, building_id: int | None) -> tzinfo:
    building = store.buildings.get(building_id) if building_id is not None else None
    return zone_named(building.time_zone if building else None)


def format_local_time(moment: datetime, zone: tzinfo, now: datetime | None = None) -> str:
    """``14:03:12 EST`` today, ``Nov 20 14:03:12 EST`` on other days (in the zone given)."""
    local = moment.astimezone(zone)
    if now is not None and now.astimezone(zone).date() == local.date():
        return local.strftime("%H:%M:%S %Z")
    return local.strftime("%b %d %H:%M:%S %Z")


def format_full_time(moment: datetime, zone: tzinfo) -> str:
    local = moment.astimezone(zone)
    text = local.strftime("%a %b %d %Y, %H:%M:%S %Z")
    if local.utcoffset():
        text += moment.astimezone(UTC).strftime(" (%H:%M:%S UTC)")
    return text


# -- what a row says -------------------------------------------------------------------------


def door_label(store: Store, door_id: int | None) -> str:
    if door_id is None:
        return "—"
    row = store.door(door_id)
    return row.name if row is not None else _tr("door {0}").format(door_id)


def who_label(event: AccessEvent) -> str:
    if event.actor:
        return event.actor
    return _tr("Schedule") if event.kind == "schedule" else _tr("Unknown")


def method_label(event: AccessEvent) -> str:
    if event.entry_method:
        return event.entry_method
    if event.kind == "schedule":
        if event.release_status.lower() == "locked":
            return _tr("Locked by schedule")
        return _tr("Unlocked by schedule")
    return "—"


# -- icons -----------------------------------------------------------------------------------


# Line drawings on the 24-unit grid of ``ui/icons.py``, so the kinds match the app's icons.
_KIND_SHAPES: dict[str, str] = {
    "tenant": '<circle cx="12" cy="8" r="4"/><path d="M4.5 20.5a7.5 7.5 0 0 1 15 0"/>',
    "visitor": '<rect x="2.5" y="5" width="19" height="14" rx="2.5"/>'
    '<path d="M6.5 9h3.5v3.5H6.5Z"/><path d="M13.5 9.5h4M13.5 13h3M6.5 15.5h3.5"/>',
    "delivery": '<path d="M3.5 7.5 12 3l8.5 4.5v9L12 21l-8.5-4.5Z"/>'
    '<path d="M3.5 7.5 12 12l8.5-4.5M12 12v9"/><path d="m7.8 5.2 8.5 4.6"/>',
    "api": '<path d="M7 19h10.5a4.5 4.5 0 0 0 .5-8.97A6.5 6.5 0 0 0 5.5 11.1 4 4 0 0 0 7 19Z"/>'
    '<path d="M12 16.5v-5M9.6 13.8 12 11.4l2.4 2.4"/>',
    "schedule": '<circle cx="12" cy="12" r="9.5"/><path d="M12 7v5l3.2 2"/>',
    "other": '<path d="M6 21V4a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1v17"/><path d="M3 21h18"/>'
    '<circle cx="14.5" cy="12.5" r="1" fill="currentColor" stroke="none"/>',
}


@lru_cache(maxsize=64)
def _kind_renderer(kind: str, rgba: int) -> QSvgRenderer:
    color = QColor.fromRgba(rgba)
    shape = _KIND_SHAPES.get(kind, _KIND_SHAPES["other"]).replace("currentColor", color.name())
    source = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" '
        f'stroke="{color.name()}" stroke-width="2" stroke-linecap="round" '
        f'stroke-linejoin="round">{shape}</svg>'
    )
    return QSvgRenderer(QByteArray(source.encode("utf-8")))


def paint_kind_glyph(painter: QPainter, kind: str, rect: QRectF, color: QColor) -> None:
    """The kind's line glyph, drawn into ``rect`` (square) in ``color``."""
    side = min(rect.width(), rect.height())
    square = QRectF(0, 0, side, side)
    square.moveCenter(rect.center())
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    _kind_renderer(kind, color.rgba()).render(painter, square)
    painter.restore()


@lru_cache(maxsize=32)
def kind_icon(kind: str, dark: bool) -> QIcon:
    icon = QIcon()
    color = kind_color(kind, dark)
    for size in (14, 16, 20, 24, 32):
        for ratio in (1.0, 2.0):
            pixmap = QPixmap(int(size * ratio), int(size * ratio))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            paint_kind_glyph(painter, kind, QRectF(0, 0, size, size), color)
            painter.end()
            icon.addPixmap(pixmap)
    return icon


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
        signals.doors_reset.connect(self._on_roster_changed)
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
        self._door_names = {row.id: row.name for row in self._store.doors}
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
        # The store drops its oldest events; the rows follow its order, so those are a
        # suffix of the rows (plus any of them still waiting, unseen).
        known = self._store.event
        end = len(self._rows)
        while end and known(self._rows[end - 1].id) is None:
            end -= 1
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
        if newer:
            self.beginInsertRows(QModelIndex(), 0, len(newer) - 1)
            self._rows[0:0] = newer
            self.endInsertRows()
        if len(older) > RESET_THRESHOLD:
            self.beginResetModel()
            self._rows = sorted(self._rows + older, key=_order, reverse=True)
            self.endResetModel()
            return
        # Older events go in between the rows shown. Those that land between the same two
        # rows (a building's poll that arrives after another's usually all does) go in as
        # one block: one insert for the view to lay out, not one per event.
        blocks: list[tuple[int, list[AccessEvent]]] = []
        for event in older:
            position = bisect.bisect_left(
                self._rows, _newest_first_key(event), key=_newest_first_key
            )
            if blocks and blocks[-1][0] == position:
                blocks[-1][1].append(event)
            else:
                blocks.append((position, [event]))
        inserted = 0
        for position, block in blocks:
            first = position + inserted
            self.beginInsertRows(QModelIndex(), first, first + len(block) - 1)
            self._rows[first:first] = block
            self.endInsertRows()
            inserted += len(block)

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
            method = event.entry_method or (self._schedule_word if kind == "schedule" else "")
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
            return method_label(event)
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
            method=method_label(event),
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


_TEXT_AND_ICON = (
    QStyleOptionViewItem.ViewItemFeature.HasDisplay
    | QStyleOptionViewItem.ViewItemFeature.HasDecoration
)


class KindDelegate(QStyledItemDelegate):
    """The kind column as a tinted pill with the kind's glyph: readable at a glance.

    The pill and its glyph are drawn once per kind, size and palette and kept as a pixmap:
    rendering the glyph's SVG and an antialiased rounded rectangle for every row on every
    repaint was most of what a page of live events cost the events table."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fonts = DerivedFonts()
        self._pills = RenderCache(limit=64)
        theme_changed().connect(self._theme_changed)

    def _theme_changed(self) -> None:
        self._pills.clear()

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        kind = index.data(KIND_ROLE) or "other"
        opt = QStyleOptionViewItem(option)
        # What initStyleOption would leave for the background and focus frame: the cell has
        # text and a decoration (both drawn below, not by the style); asking the model for
        # every role of every row just to clear them again cost more than the drawing.
        if isinstance(index, QModelIndex):
            opt.index = index
        opt.features |= _TEXT_AND_ICON
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        dark = is_dark(opt.palette)
        label = kind_label(kind)
        font, metrics = self._fonts.get(opt.font, 0.92, QFont.Weight.DemiBold, smallest=7.5)
        cell = opt.rect
        ratio = device_ratio(painter)
        key = (kind, dark, label, self._fonts.generation, cell.width(), cell.height(), ratio)
        drawn = self._pills.get(key)
        if drawn is None:
            drawn = self._draw_pill(kind, dark, label, font, metrics, cell.size(), ratio)
            self._pills.put(key, drawn)
        pixmap, text_rect, text, color = drawn
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.drawPixmap(cell.topLeft(), pixmap)
        painter.setFont(font)
        painter.setPen(color)
        painter.drawText(
            text_rect.translated(cell.topLeft()),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            text,
        )
        painter.restore()

    @staticmethod
    def _draw_pill(
        kind: str,
        dark: bool,
        label: str,
        font: QFont,
        metrics: QFontMetrics,
        size: QSize,
        ratio: float,
    ) -> tuple[QPixmap, QRectF, str, QColor]:
        """The pill and glyph in a pixmap the size of the cell, and where the label goes."""
        color = kind_color(kind, dark)
        rect = QRectF(0, 0, size.width(), size.height()).adjusted(8, 0, -4, 0)
        height = min(22.0, rect.height() - 8)
        glyph = height - 8
        width = min(rect.width(), 8 + glyph + 6 + metrics.horizontalAdvance(label) + 10)
        pill = QRectF(rect.left(), rect.center().y() - height / 2, width, height)
        glyph_rect = QRectF(pill.left() + 8, pill.center().y() - glyph / 2, glyph, glyph)

        def draw(painter: QPainter) -> None:
            fill = QColor(color)
            fill.setAlpha(60 if dark else 34)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(pill, height / 2, height / 2)
            paint_kind_glyph(painter, kind, glyph_rect, color)

        text_rect = QRectF(
            glyph_rect.right() + 6, pill.top(), pill.right() - glyph_rect.right() - 8, height
        )
        text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(text_rect.width()))
        pixmap = render_pixmap(size.width(), size.height(), ratio, draw)
        return pixmap, text_rect, text, color

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(130, ROW_HEIGHT)


# -- details dialog --------------------------------------------------------------------------


class EventDetailsDialog(QDialog):
    """Every field of one event and its snapshot. Non-modal: the desk keeps working."""

    def __init__(
        self,
        event: AccessEvent,
        store: Store,
        *,
        fetch_image: FetchImage,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.access_event = event
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setModal(False)
        door = door_label(store, event.door_id)
        kind = kind_label(event.kind)
        self.setWindowTitle(self.tr("{kind} — {door}").format(kind=kind, door=door))
        self.setAccessibleName(self.tr("Event details"))
        zone = building_zone(store, event.building_id)
        building = store.buildings.get(event.building_id) if event.building_id else None

        title = QLabel(self.tr("{kind} at {door}").format(kind=kind, door=door))
        title_font = title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.45)
        title_font.setWeight(QFont.Weight.DemiBold)
        title.setFont(title_font)
        subtitle = QLabel(format_full_time(event.logged_at, zone))
        subtitle.setStyleSheet(themed_css("color: palette(placeholder-text);"))
        badge = QLabel()
        badge.setPixmap(kind_icon(event.kind, is_dark()).pixmap(QSize(32, 32)))
        badge.setFixedSize(40, 40)
        badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        tint = kind_color(event.kind, is_dark())
        badge.setStyleSheet(
            f"background: rgba({tint.red()},{tint.green()},{tint.blue()},40);border-radius: 20px;"
        )
        heading = QHBoxLayout()
        heading.setSpacing(14)
        heading.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(title)
        titles.addWidget(subtitle)
        heading.addLayout(titles, 1)

        def dash(value: object) -> str:
            return "—" if value in (None, "") else str(value)

        fields: list[tuple[str, str]] = [
            (self.tr("Who"), who_label(event)),
            (self.tr("Door"), self.tr("{0} (id {1})").format(door, dash(event.door_id))),
            (self.tr("Building"), building.name if building else dash(event.building_id)),
            (self.tr("Result"), dash(event.release_status)),
            (self.tr("Kind"), kind),
            (self.tr("Release type"), dash(event.release_type)),
            (self.tr("Method"), method_label(event)),
            (self.tr("Unit"), dash(event.unit_id)),
            (self.tr("Tenant"), dash(event.tenant_id)),
            (self.tr("Pass (keychain)"), dash(event.keychain_id)),
            (
                self.tr("Logged (UTC)"),
                event.logged_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            ),
            (self.tr("Event id"), str(event.id)),
        ]
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(8)
        self.field_labels: dict[str, QLabel] = {}
        for row, (name, value) in enumerate(fields):
            caption = QLabel(name)
            caption.setStyleSheet(themed_css("color: palette(placeholder-text);"))
            shown = QLabel(value)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setWordWrap(True)
            shown.setAccessibleName(name)
            grid.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(shown, row, 1, Qt.AlignmentFlag.AlignTop)
            self.field_labels[name] = shown
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(len(fields), 1)

        self.snapshot = SnapshotView(fetch_image, parent=self)
        self.snapshot.setMinimumSize(QSize(400, 225))
        body = QHBoxLayout()
        body.setSpacing(24)
        body.addLayout(grid, 1)
        snapshot_column = QVBoxLayout()
        snapshot_column.addWidget(self.snapshot)
        snapshot_column.addStretch(1)
        body.addLayout(snapshot_column, 0)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(self.tr("Close event details"))
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 22, 24, 18)
        layout.setSpacing(18)
        layout.addLayout(heading)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(line)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)
        self.resize(860, 420)
        self.snapshot.load(event.image_url)


# -- the pane --------------------------------------------------------------------------------


class _ChipButton(QToolButton):
    """A checkable filter chip for one kind, tinted with that kind's colour."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setCheckable(True)
        self.setChecked(True)
        self.setText(kind_label(kind))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setIconSize(QSize(14, 14))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName(self.tr("Show {0} events").format(kind_label(kind)))
        self.setToolTip(self.tr("Show or hide {0} events").format(kind_label(kind).lower()))
        self.restyle()

    def restyle(self) -> None:
        # The application's palette: the chip's own style sheet alters its palette.
        dark = is_dark(QGuiApplication.palette())
        color = kind_color(self.kind, dark)
        self.setIcon(kind_icon(self.kind, dark))
        rgb = f"{color.red()},{color.green()},{color.blue()}"
        self.setStyleSheet(
            themed_css(
                "QToolButton { border: 1px solid palette(mid); border-radius: 13px;"
                " padding: 4px 11px 4px 8px; color: palette(placeholder-text);"
                " background: transparent; }"
                f"QToolButton:checked {{ border: 1px solid rgba({rgb},150);"
                f" background: rgba({rgb},{55 if dark else 30}); color: palette(text); }}"
                f"QToolButton:hover {{ border: 1px solid rgba({rgb},220); }}"
            )
        )


class EventPane(QWidget):
    """Live access events with filters, the "N new events" button and event details."""

    details_opened = Signal(object)

    def __init__(
        self,
        store: Store,
        *,
        fetch_image: Callable[[str], Awaitable[bytes]],
        clock: Clock | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._fetch_image = fetch_image
        self._dialogs: list[EventDetailsDialog] = []
        self._menu_row = -1
        self.model = EventTableModel(store, clock=clock, parent=self)
        self.setAccessibleName(self.tr("Live events"))

        self.door_filter = QComboBox()
        self.door_filter.setAccessibleName(self.tr("Filter events by door"))
        self.door_filter.setToolTip(self.tr("Show the events of one door"))
        self.door_filter.setMinimumWidth(190)
        self.door_filter.setMinimumHeight(30)
        self.door_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.door_filter.currentIndexChanged.connect(self._door_chosen)

        self.kind_buttons: dict[str, _ChipButton] = {}
        chips = QHBoxLayout()
        chips.setSpacing(6)
        for kind in KINDS:
            button = _ChipButton(kind)
            button.toggled.connect(self._kinds_toggled)
            self.kind_buttons[kind] = button
            chips.addWidget(button)

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search who, door or method"))
        self.search.setAccessibleName(self.tr("Search events"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(240)
        self.search.setMinimumHeight(30)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(self._search_edited)
        self.search.returnPressed.connect(self._apply_search)

        self.count_label = QLabel()
        self._styles: list[tuple[QWidget, str]] = []
        self._style(self.count_label, "color: palette(placeholder-text);")
        self.count_label.setAccessibleName(self.tr("Number of events shown"))

        toolbar = QHBoxLayout()
        toolbar.setSpacing(10)
        toolbar.addWidget(self.door_filter)
        toolbar.addSpacing(4)
        toolbar.addLayout(chips)
        toolbar.addStretch(1)
        toolbar.addWidget(self.search)

        self.view = QTableView()
        self.view.setModel(self.model)
        setup_table_view(self.view, self.tr("Events, newest first"), row_height=ROW_HEIGHT)
        self.view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setItemDelegateForColumn(COL_KIND, KindDelegate(self.view))
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self._style(
            self.view,
            "QTableView { border: 1px solid palette(mid); border-radius: 6px; }"
            "QTableView::item { padding: 0px 10px; border: none; }"
            "QHeaderView::section { padding: 6px 10px; border: none;"
            " border-bottom: 1px solid palette(mid); background: palette(window);"
            " font-weight: 600; }",
        )
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setMinimumHeight(30)
        for column, width in ((COL_KIND, 140), (COL_TIME, 170), (COL_WHO, 200), (COL_DOOR, 290)):
            self.view.setColumnWidth(column, width)
        # "activated" is a double click, or Return on the current row (or a single click
        # where the desktop is set to open items that way).
        self.view.activated.connect(self._open_index)

        self.new_events_button = QPushButton(self.view)
        self.new_events_button.setAccessibleName(self.tr("Show new events"))
        self.new_events_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.new_events_button.clicked.connect(self.show_new_events)
        self._style(
            self.new_events_button,
            "QPushButton { background: palette(highlight); color: palette(highlighted-text);"
            " border: none; border-radius: 14px; min-height: 28px; max-height: 28px;"
            " padding: 0px 18px; font-weight: 600; }"
            "QPushButton:hover { background: palette(link); }",
        )
        shadow = QGraphicsDropShadowEffect(self.new_events_button)
        shadow.setBlurRadius(18)
        shadow.setOffset(0, 3)
        shadow.setColor(QColor(0, 0, 0, 90))
        self.new_events_button.setGraphicsEffect(shadow)
        self.new_events_button.hide()

        self.empty_label = QLabel(self.view.viewport())
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self._style(self.empty_label, "color: palette(placeholder-text); padding: 24px;")
        self.empty_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.view.installEventFilter(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(toolbar)
        layout.addWidget(self.view, 1)
        footer = QHBoxLayout()
        footer.addWidget(self.count_label)
        footer.addStretch(1)
        layout.addLayout(footer)

        self.view.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.model.pending_changed.connect(self._update_new_events_button)
        self.model.filter_changed.connect(self._filters_changed)
        for signal in (
            self.model.rowsInserted,
            self.model.rowsRemoved,
            self.model.modelReset,
        ):
            signal.connect(self._update_counts)
        signals = store_signals(store)
        signals.doors_reset.connect(self._fill_doors)
        signals.roster_changed.connect(self._fill_doors)
        self._fill_doors()
        self._update_counts()
        self._update_new_events_button()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    # -- filters -----------------------------------------------------------------------------

    def _fill_doors(self) -> None:
        wanted = self.model.filter.door_id
        combo = self.door_filter
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(self.tr("All doors"), None)
        buildings = {row.building_name for row in self._store.doors}
        for row in self._store.doors:
            text = f"{row.name} · {row.building_name}" if len(buildings) > 1 else row.name
            combo.addItem(text, row.id)
        index = combo.findData(wanted) if wanted is not None else 0
        if wanted is not None and index < 0:
            combo.addItem(self.tr("door {0}").format(wanted), wanted)
            index = combo.count() - 1
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def _kinds_toggled(self, _shown: bool) -> None:
        self.model.set_kinds(k for k, b in self.kind_buttons.items() if b.isChecked())

    def _search_edited(self, _text: str) -> None:
        self._search_timer.start()

    def _apply_search(self) -> None:
        self._search_timer.stop()
        self.model.set_text(self.search.text())

    def _door_chosen(self, index: int) -> None:
        self.model.set_door(self.door_filter.itemData(index))

    def _filters_changed(self) -> None:
        self._update_counts()
        self._update_new_events_button()

    def save_state(self) -> dict[str, Any]:
        return {
            "door_id": self.model.filter.door_id,
            "kinds": [k for k in KINDS if k in self.model.filter.kinds],
            "text": self.search.text(),
        }

    def restore_state(self, state: dict[str, Any]) -> None:
        if not isinstance(state, dict):
            return
        door_id = state.get("door_id")
        self.model.set_door(door_id if isinstance(door_id, int) else None)
        self._fill_doors()
        kinds = state.get("kinds")
        if isinstance(kinds, list):
            shown = {k for k in kinds if isinstance(k, str)}
            for kind, button in self.kind_buttons.items():
                button.setChecked(kind in shown)
        text = state.get("text")
        if isinstance(text, str):
            self.search.setText(text)
            self._search_timer.stop()
            self.model.set_text(text)

    # -- live / paused -----------------------------------------------------------------------

    def _scrolled(self, value: int) -> None:
        self.model.set_live(value <= self.view.verticalScrollBar().minimum())

    def show_new_events(self) -> None:
        """Reveal the events that arrived while scrolled away, and go back to the top."""
        self.view.scrollToTop()
        self.model.set_live(True)
        self.model.reveal()

    def new_events_count(self) -> int:
        """How many held-back events pass the filters (the number on the button)."""
        return self.model.pending_shown_count()

    def _update_new_events_button(self, *_: object) -> None:
        count = self.new_events_count()
        button = self.new_events_button
        if count:
            button.setText(
                self.tr("↑  1 new event")
                if count == 1
                else self.tr("↑  {0} new events").format(self.locale().toString(count))
            )
            button.adjustSize()
            self._place_overlays()
            button.show()
            button.raise_()
        else:
            button.hide()

    def _update_counts(self, *_: object) -> None:
        shown = self.model.rowCount()
        total = self.model.total_count()
        locale = self.locale()
        if self.model.filter.active:
            self.count_label.setText(
                self.tr("{0} of {1} events").format(locale.toString(shown), locale.toString(total))
            )
        else:
            self.count_label.setText(
                self.tr("1 event")
                if total == 1
                else self.tr("{0} events").format(locale.toString(total))
            )
        if shown:
            self.empty_label.hide()
        else:
            self.empty_label.setText(
                self.tr("No events match these filters.")
                if total
                else self.tr("No events yet.\nAccess events appear here as they happen.")
            )
            self.empty_label.setGeometry(self.view.viewport().rect())
            self.empty_label.show()

    def _style(self, widget: QWidget, css: str) -> None:
        self._styles.append((widget, css))
        widget.setStyleSheet(themed_css(css))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            for widget, css in self._styles:
                widget.setStyleSheet(themed_css(css))
            for button in self.kind_buttons.values():
                button.restyle()
            self.view.viewport().update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._place_overlays()
        return super().eventFilter(watched, event)

    def _place_overlays(self) -> None:
        button = self.new_events_button
        top = self.view.horizontalHeader().height() + 12
        button.move(max(0, (self.view.width() - button.width()) // 2), top)
        self.empty_label.setGeometry(self.view.viewport().rect())

    # -- details -----------------------------------------------------------------------------

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_details(self.model.event_at(index.row()))

    def open_details(self, event: AccessEvent) -> EventDetailsDialog:
        dialog = EventDetailsDialog(event, self._store, fetch_image=self._fetch_image, parent=self)
        self._dialogs.append(dialog)
        dialog.finished.connect(self._dialog_finished)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        self.details_opened.emit(dialog)
        return dialog

    def _dialog_finished(self, _result: int) -> None:
        dialog = self.sender()
        self._dialogs = [d for d in self._dialogs if d is not dialog]

    def _context_menu(self, position: QPoint) -> None:
        # Scroll areas report the position in viewport coordinates.
        index = self.view.indexAt(position)
        if not index.isValid():
            return
        self._menu_row = index.row()
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addAction(self.tr("Show details…")).triggered.connect(self._menu_details)
        menu.addAction(self.tr("Copy")).triggered.connect(self._menu_copy)
        menu.popup(self.view.viewport().mapToGlobal(position))

    def _menu_details(self) -> None:
        if 0 <= self._menu_row < self.model.rowCount():
            self.open_details(self.model.event_at(self._menu_row))

    def _menu_copy(self) -> None:
        if 0 <= self._menu_row < self.model.rowCount():
            cells = (self.model.index(self._menu_row, c).data() for c in range(COLUMN_COUNT))
            QGuiApplication.clipboard().setText("\t".join(str(c) for c in cells))
