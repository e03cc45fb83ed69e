"""The door list: every door with its release state, last event and a Release button.

``DoorTableModel`` adapts the Qt-free ``Store`` (it shows the store's rows as they are, so
nothing it shows can disagree with the store); store notifications arrive per batch and are
coalesced into a few ``dataChanged`` ranges by a short single-shot timer, each covering
only the columns that changed, so that a new last event does not make the proxy check the
place of every changed row in a list sorted by building. ``DoorFilterProxy`` does
search-as-you-type, the building filter and sorting, with pinned doors always on top.

The Release button is painted by a delegate, not one QPushButton per row, so that a property
with 2,000 doors scrolls and sorts as fast as one with 20. A release always acts on the door
id read from the row at the moment of the click or key press: a press whose row has moved
away (the list re-sorted under the pointer) releases nothing.

Python code here reads rows through ``row_of(index)`` (the ``DoorRow`` record) rather than
asking an index for a role that may be empty: PySide6 6.12 drops a reference to ``None``
each time an empty QVariant comes back into Python, which on Python 3.11 eventually aborts.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPixmap,
    QShortcut,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bmx_console.clock import Clock
from bmx_console.core.store import DoorRow, Store
from bmx_console.ui import icons
from bmx_console.ui.qt_async import spawn
from bmx_console.ui.tables import (
    DerivedFonts,
    RecordTableModel,
    RenderCache,
    device_ratio,
    render_pixmap,
    setup_table_view,
)
from bmx_console.ui.theme import mix, state_colors, theme_changed

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

HOTKEY_COUNT = 12
ROW_HEIGHT = 52
# Bursts of store notifications (a poll's worth) become one repaint.
COALESCE_MS = 30
SPINNER_INTERVAL_MS = 80

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_ELIDE = Qt.TextElideMode.ElideRight
_SELECTED = QStyle.StateFlag.State_Selected
_WHITE = QColor(255, 255, 255)
_BLACK = QColor(0, 0, 0)

_STATE_ORDER = {"failed": 0, "sending": 1, "released": 2, "idle": 3}
ALL_BUILDINGS = -1  # the building filter's "All buildings" entry (never None: see above)


def row_of(index: ModelIndex) -> DoorRow | None:
    """The door row behind a model or proxy index (None for an invalid index)."""
    if not index.isValid():
        return None
    value = index.data(ROW_ROLE)
    return value if isinstance(value, DoorRow) else None


def door_id_of(index: ModelIndex) -> int | None:
    row = row_of(index)
    return row.id if row is not None else None


@lru_cache(maxsize=64)
def _zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def local_time_text(moment: datetime, time_zone: str | None, now: datetime) -> str:
    """``14:02 EST`` in the building's zone; the date too when it is not today there."""
    zone = _zone(time_zone)
    local = moment.astimezone(zone) if zone else moment
    today = now.astimezone(zone) if zone else now
    text = local.strftime("%H:%M")
    if local.date() != today.date():
        text = f"{local.strftime('%b')} {local.day}, {text}"
    return f"{text} {local.tzname() or 'UTC'}"


class DoorTableModel(RecordTableModel):
    """One row per store door, in the store's order (the proxy sorts)."""

    def __init__(self, store: Store, *, clock: Clock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._clock = clock
        self._pending: set[int] = set()
        # The rows as last announced, only to tell which of their cells a change touched.
        self._announced: list[DoorRow] = list(store.doors)
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
        self._headers = {
            COL_NAME: self.tr("Door"),
            COL_BUILDING: self.tr("Building"),
            COL_STATE: self.tr("State"),
            COL_LAST_EVENT: self.tr("Last event"),
            COL_RELEASE: self.tr("Release"),
        }
        store.subscribe(self)

    @property
    def store(self) -> Store:
        return self._store

    # -- store listener ----------------------------------------------------------------------

    def doors_reset(self) -> None:
        self._pending.clear()
        self.beginResetModel()
        self._announced = list(self._store.doors)
        self.endResetModel()
        self._update_spinner()

    def doors_changed(self, indexes: Iterable[int]) -> None:
        self._pending.update(indexes)
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def _flush(self) -> None:
        rows = sorted(i for i in self._pending if 0 <= i < len(self._announced))
        self._pending.clear()
        by_columns: dict[tuple[int, int], list[int]] = {}
        for index in rows:
            row = self._store.door_at(index)
            columns = _changed_columns(self._announced[index], row)
            self._announced[index] = row
            if columns is not None:
                by_columns.setdefault(columns, []).append(index)
        # The proxy re-checks a row's place only when the sort column is in the range.
        for (first_col, last_col), changed in by_columns.items():
            for first, last in _ranges(changed):
                self.dataChanged.emit(self.index(first, first_col), self.index(last, last_col))
        self._update_spinner()

    def flush_now(self) -> None:
        """Deliver pending changes at once (tests, and before a screenshot)."""
        self._flush_timer.stop()
        self._flush()

    def refresh_countdowns(self) -> None:
        """Repaint the rows that count down (once a second, from the window's timer)."""
        self._emit_for_states({"released"}, COL_STATE, COL_RELEASE)

    def _advance_spinner(self) -> None:
        self.spinner_frame = (self.spinner_frame + 1) % icons.SPINNER_FRAMES
        if not self._emit_for_states({"sending"}, COL_STATE, COL_RELEASE):
            self._spinner.stop()

    def _emit_for_states(self, states: set[str], first_col: int, last_col: int) -> bool:
        rows = sorted(
            index
            for door_id, status in self._store.release_statuses().items()
            if status.state in states and (index := self._store.door_index(door_id)) is not None
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
        if 0 <= row < self._store.door_count():
            return self._store.door_at(row)
        return None

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
        return self.tr("Ready")

    def last_event_lines(self, row: DoorRow) -> tuple[str, str]:
        if not row.last_event:
            return self.tr("No events yet"), ""
        when = (
            local_time_text(row.last_event_at, row.time_zone, self._clock.now())
            if row.last_event_at
            else ""
        )
        who = row.last_event_user or self.tr("Unknown")
        return row.last_event, " · ".join(p for p in (when, who) if p)

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
        if role in _TEXT_ROLES:
            return self._display(row, column)
        if role == PRIMARY_ROLE:
            return self.lines(row, column)[0]
        if role == SECONDARY_ROLE:
            return self.lines(row, column)[1]
        return self._tooltip(row, column)

    def lines(self, row: DoorRow, column: int) -> tuple[str, str]:
        """The two lines of a two-line cell: strong first, muted second ("" if none)."""
        if column == COL_NAME:
            return row.name, self.tr("Door {0}").format(row.id)
        if column == COL_LAST_EVENT:
            return self.last_event_lines(row)
        if column == COL_STATE:
            aside = row.release.failure if row.state == "failed" else row.release.notice
            return self.state_text(row), aside or ""
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
                parts.append(row.release.failure)
            if row.release.notice:
                parts.append(row.release.notice)
            return " — ".join(parts)
        if column == COL_LAST_EVENT:
            first, second = self.last_event_lines(row)
            return " · ".join(p for p in (first, second) if p)
        if column == COL_RELEASE:
            return self.tr("Release {0}").format(row.name)
        return ""

    def _tooltip(self, row: DoorRow, column: int) -> str | None:
        if column == COL_NAME:
            panels = ", ".join(str(p) for p in row.door.panel_ids) or self.tr("none")
            text = self.tr("Door {0} · panels: {1}").format(row.id, panels)
            return text + (self.tr(" · pinned") if row.pinned else "")
        if column == COL_STATE:
            return self._display(row, COL_STATE)
        if column == COL_LAST_EVENT:
            return self._display(row, COL_LAST_EVENT)
        if column == COL_RELEASE:
            return self.tr("Release {0} now (Enter or Space on the selected row)").format(row.name)
        return None


_TEXT_ROLES = frozenset({int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.AccessibleTextRole)})
_ANSWERED_ROLES = _TEXT_ROLES | {
    int(Qt.ItemDataRole.ToolTipRole),
    DOOR_ID_ROLE,
    STATE_ROLE,
    PINNED_ROLE,
    PRIMARY_ROLE,
    SECONDARY_ROLE,
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


def _ranges(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as (first, last) runs of consecutive rows."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and row == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


class DoorFilterProxy(QSortFilterProxyModel):
    """Search (every word must appear in the name, building or id), one building or all,
    sorting by any column with pinned doors always first, whatever the order."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._terms: list[str] = []
        self._building_id: int | None = None
        # Sort keys by source row, each with the row object and column it was made from: a
        # sort compares each row a dozen times, and a row that changed is a new object.
        self._keys: dict[int, tuple[DoorRow, int, tuple[bool, tuple[Any, ...]]]] = {}
        self.setDynamicSortFilter(True)

    @property
    def search_text(self) -> str:
        return " ".join(self._terms)

    @property
    def building_id(self) -> int | None:
        return self._building_id

    def set_search(self, text: str) -> None:
        terms = text.casefold().split()
        if terms != self._terms:
            self.beginFilterChange()
            self._terms = terms
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_building(self, building_id: int | None) -> None:
        if building_id != self._building_id:
            self.beginFilterChange()
            self._building_id = building_id
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def _row(self, source_row: int) -> DoorRow | None:
        model = self.sourceModel()
        return model.row_at(source_row) if isinstance(model, DoorTableModel) else None

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        if self._building_id is None and not self._terms:
            # Asked again for every row that changes: no filter, no look at the row.
            return 0 <= source_row < self.sourceModel().rowCount()
        row = self._row(source_row)
        if row is None:
            return False
        if self._building_id is not None and row.building_id != self._building_id:
            return False
        if not self._terms:
            return True
        haystack = f"{row.name} {row.building_name} {row.id}".casefold()
        return all(term in haystack for term in self._terms)

    def lessThan(self, left: ModelIndex, right: ModelIndex) -> bool:
        column = left.column()
        a, b = self._sort_key(left.row(), column), self._sort_key(right.row(), column)
        if a is None or b is None:
            return False
        (a_pinned, a_key), (b_pinned, b_key) = a, b
        if a_pinned != b_pinned:
            # Qt reverses the answer for a descending sort; reverse it back for pins.
            ascending = self.sortOrder() == Qt.SortOrder.AscendingOrder
            return a_pinned if ascending else b_pinned
        return a_key < b_key

    def _sort_key(self, source_row: int, column: int) -> tuple[bool, tuple[Any, ...]] | None:
        row = self._row(source_row)
        if row is None:
            return None
        kept = self._keys.get(source_row)
        if kept is not None and kept[0] is row and kept[1] == column:
            return kept[2]
        key = (row.pinned, self._key(row, column))
        self._keys[source_row] = (row, column, key)
        return key

    @staticmethod
    def _key(row: DoorRow, column: int) -> tuple[Any, ...]:
        name = (row.name.casefold(), row.id)
        if column == COL_BUILDING:
            return (row.building_name.casefold(), *name)
        if column == COL_STATE:
            return (_STATE_ORDER.get(row.state, 9), *name)
        if column == COL_LAST_EVENT:
            stamp = row.last_event_at.timestamp() if row.last_event_at else float("-inf")
            return (stamp, *name)
        return name


def _fill_pill(painter: QPainter, rect: QRectF, fill: QColor) -> None:
    path = QPainterPath()
    path.addRoundedRect(rect, rect.height() / 2, rect.height() / 2)
    painter.fillPath(path, fill)


def _background(painter: QPainter, option: QStyleOptionViewItem, widget: QWidget | None) -> None:
    style = widget.style() if widget else QApplication.style()
    # The item background only (selection, alternate rows): the delegates draw the text.
    plain = QStyleOptionViewItem(option)
    plain.text = ""
    plain.icon = QIcon()
    style.drawControl(QStyle.ControlElement.CE_ItemViewItem, plain, painter, widget)


def _text_color(option: QStyleOptionViewItem, muted: bool = False) -> QColor:
    palette = option.palette
    selected = bool(option.state & _SELECTED)
    if selected:
        color = palette.color(QPalette.ColorRole.HighlightedText)
        if muted:
            color = QColor(color)
            color.setAlphaF(0.78)
        return color
    if muted:
        return palette.color(QPalette.ColorRole.PlaceholderText)
    return palette.color(QPalette.ColorRole.Text)


class _CachingDelegate(QStyledItemDelegate):
    """A delegate that keeps its derived fonts and what it drew (see ``RenderCache``), and
    lets go of the drawings when the theme changes."""

    def __init__(self, model: DoorTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._fonts = DerivedFonts()
        self._drawn = RenderCache()
        theme_changed().connect(self._theme_changed)

    def _theme_changed(self) -> None:
        self._drawn.clear()


class TwoLineDelegate(_CachingDelegate):
    """A strong first line and a muted second one (door name and id; event and time/who),
    with an optional leading icon (a pin for pinned doors)."""

    def __init__(
        self, model: DoorTableModel, *, leading_icon: bool = False, parent: QObject | None = None
    ) -> None:
        super().__init__(model, parent)
        self._leading_icon = leading_icon

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        widget = option.widget
        _background(painter, option, widget)
        row = row_of(index)
        if row is None:
            return
        rect = QRectF(option.rect).adjusted(12, 0, -8, 0)
        painter.save()
        if self._leading_icon:
            pinned = row.pinned
            color = (
                option.palette.color(QPalette.ColorRole.Highlight)
                if pinned and not option.state & _SELECTED
                else _text_color(option, muted=not pinned)
            )
            icon_rect = QRectF(rect.left(), rect.center().y() - 9, 18, 18)
            icons.paint_icon(painter, "pin" if pinned else "door", icon_rect, color)
            rect.setLeft(rect.left() + 28)
        primary, secondary = self._model.lines(row, index.column())
        fonts = self._fonts
        strong, top_metrics = (
            fonts.get(option.font, 1.12, QFont.Weight.DemiBold)
            if self._leading_icon
            else fonts.get(option.font)
        )
        width = int(rect.width())
        if secondary:
            small, small_metrics = fonts.get(option.font, 0.9)
            block = top_metrics.height() + 2 + small_metrics.height()
            top = rect.center().y() - block / 2
            painter.setFont(strong)
            painter.setPen(_text_color(option))
            painter.drawText(
                QRectF(rect.left(), top, rect.width(), top_metrics.height()),
                _LEFT,
                top_metrics.elidedText(primary, _ELIDE, width),
            )
            painter.setFont(small)
            painter.setPen(_text_color(option, muted=True))
            painter.drawText(
                QRectF(
                    rect.left(),
                    top + top_metrics.height() + 2,
                    rect.width(),
                    small_metrics.height(),
                ),
                _LEFT,
                small_metrics.elidedText(secondary, _ELIDE, width),
            )
        else:
            painter.setFont(strong)
            painter.setPen(_text_color(option, muted=index.column() == COL_LAST_EVENT))
            painter.drawText(
                rect,
                _LEFT,
                top_metrics.elidedText(primary, _ELIDE, width),
            )
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        return QSize(160, ROW_HEIGHT)


class StateDelegate(_CachingDelegate):
    """A coloured pill (icon + word) and, beside it, the failure sentence or the notice.

    The pill and its icon are drawn once per state, word, size and palette; the word is
    drawn over it each time, as text, like every other word in the table."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        widget = option.widget
        _background(painter, option, widget)
        row = row_of(index)
        if row is None:
            return
        palette = option.palette
        colors = state_colors(palette)
        state = row.state
        color = {
            "sending": colors.info,
            "released": colors.success,
            "failed": colors.danger,
        }.get(state, colors.muted)
        word = self._model.state_text(row)
        word_font, metrics = self._fonts.get(
            option.font, 1.0, QFont.Weight.DemiBold if state != "idle" else QFont.Weight.Normal
        )
        cell = option.rect
        base = palette.color(QPalette.ColorRole.Base)
        ratio = device_ratio(painter)
        key = (
            state,
            word,
            self._fonts.generation,
            cell.height(),
            color.rgba(),
            base.rgba(),
            colors.dark,
            ratio,
        )
        drawn = self._drawn.get(key)
        if drawn is None:
            fill = (
                colors.tint(color, base, 0.18 if colors.dark else 0.12) if state != "idle" else None
            )
            drawn = self._draw_pill(
                state, metrics.horizontalAdvance(word), cell, ratio, color, fill
            )
            self._drawn.put(key, drawn)
        pixmap, pill = drawn
        painter.save()
        painter.drawPixmap(cell.topLeft(), pixmap)
        pill = pill.translated(cell.topLeft())
        icon_rect = QRectF(pill.left() + 8, pill.center().y() - 8, 16, 16)
        if state == "sending":
            icons.paint_spinner(painter, icon_rect, color, self._model.spinner_frame)
        painter.setFont(word_font)
        painter.setPen(color)
        painter.drawText(
            QRectF(icon_rect.right() + 6, pill.top(), pill.width(), pill.height()),
            _LEFT,
            word,
        )
        aside = row.release.failure if state == "failed" else None
        notice = row.release.notice
        text = " — ".join(t for t in (aside, notice) if t)
        if text:
            small, small_metrics = self._fonts.get(option.font, 0.92)
            rect = QRectF(cell).adjusted(10, 0, -8, 0)
            left = pill.right() + 10
            width = rect.right() - left
            if width > 24:
                painter.setFont(small)
                painter.setPen(colors.danger if aside else colors.warning)
                painter.drawText(
                    QRectF(left, rect.top(), width, rect.height()),
                    _LEFT,
                    small_metrics.elidedText(text, _ELIDE, int(width)),
                )
        painter.restore()

    @staticmethod
    def _draw_pill(
        state: str, word_width: int, cell: QRect, ratio: float, color: QColor, fill: QColor | None
    ) -> tuple[QPixmap, QRectF]:
        """The pill (``fill``; none when idle) and its icon (none while sending: the spinner
        turns), in a pixmap laid over the cell from its top left corner; and where the pill
        is in it."""
        rect = QRectF(0, 0, cell.width(), cell.height()).adjusted(10, 0, -8, 0)
        pill_h = min(28.0, rect.height() - 12)
        pill_w = word_width + 16 + 22
        pill = QRectF(rect.left(), rect.center().y() - pill_h / 2, pill_w, pill_h)

        def draw(painter: QPainter) -> None:
            if fill is not None:
                _fill_pill(painter, pill, fill)
            if state != "sending":
                name = {"released": "unlock", "failed": "error"}.get(state, "lock")
                icon_rect = QRectF(pill.left() + 8, pill.center().y() - 8, 16, 16)
                icons.paint_icon(painter, name, icon_rect, color)

        return render_pixmap(pill.right() + 1, cell.height(), ratio, draw), pill


class ReleaseButtonDelegate(_CachingDelegate):
    """Paints a Release button in every row and turns a click on it into a release.

    A button is drawn once per look (state, label, hotkey, pressed or hovered, size,
    palette) and kept as a pixmap; its label and hotkey are drawn over it as text."""

    release_clicked = Signal(int)  # door id

    def __init__(self, model: DoorTableModel, parent: QObject | None = None) -> None:
        super().__init__(model, parent)
        self._pressed_door: int | None = None
        self._pressed_index: QPersistentModelIndex | None = None

    @staticmethod
    def button_rect(cell: QRect) -> QRectF:
        return QRectF(cell).adjusted(8, 9, -10, -9)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        widget = option.widget
        _background(painter, option, widget)
        row = row_of(index)
        if row is None:
            return
        palette = option.palette
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        pressed = (
            self._pressed_index is not None
            and self._pressed_index.isValid()
            and self._pressed_index.row() == index.row()
            and self._pressed_index.column() == index.column()
        )
        state = row.state
        accent = palette.color(QPalette.ColorRole.Highlight)
        text_color = _WHITE
        label = self.tr("Release…") if self._model.asks_first(row.id) else self.tr("Release")
        icon_name: str | None = "unlock"
        if state == "sending":
            fill = mix(palette.color(QPalette.ColorRole.Base), accent, 0.35)
            label = self.tr("Sending…")
            icon_name = None
            text_color = palette.color(QPalette.ColorRole.Text)
        elif state == "released":
            colors = state_colors(palette)
            fill = mix(colors.success, _BLACK, 0.35) if colors.dark else colors.success
            label = self.tr("Released")
            icon_name = "check"
        else:
            fill = accent
            if pressed:
                fill = mix(accent, _BLACK, 0.25)
            elif hovered:
                fill = mix(accent, _WHITE, 0.14)
        hotkey = index.row() + 1 if index.row() < HOTKEY_COUNT else None
        badge = f"F{hotkey}" if hotkey else ""
        stale = self._model.stale
        cell = option.rect
        ratio = device_ratio(painter)
        fonts = self._fonts
        label_font, metrics = fonts.get(option.font, 1.0, QFont.Weight.DemiBold)
        small, small_metrics = fonts.get(option.font, 0.8, QFont.Weight.DemiBold)
        key = (
            fill.rgba(),
            text_color.rgba(),
            icon_name,
            label,
            badge,
            stale,
            fonts.generation,
            cell.width(),
            cell.height(),
            ratio,
        )
        drawn = self._drawn.get(key)
        if drawn is None:
            drawn = self._draw_button(
                cell,
                ratio,
                fill,
                text_color,
                icon_name,
                stale,
                (label, metrics),
                (badge, small_metrics),
            )
            self._drawn.put(key, drawn)
        pixmap, icon_rect, text_rect, badge_rect = drawn
        origin = cell.topLeft()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.drawPixmap(origin, pixmap)
        if stale:
            painter.setOpacity(0.85)
        if state == "sending":
            icons.paint_spinner(
                painter, icon_rect.translated(origin), accent, self._model.spinner_frame
            )
        painter.setFont(label_font)
        painter.setPen(text_color)
        painter.drawText(
            text_rect.translated(origin),
            _LEFT,
            label,
        )
        if badge:
            painter.setFont(small)
            painter.drawText(badge_rect.translated(origin), Qt.AlignmentFlag.AlignCenter, badge)
        painter.restore()

    def _draw_button(
        self,
        cell: QRect,
        ratio: float,
        fill: QColor,
        text_color: QColor,
        icon_name: str | None,
        stale: bool,
        label: tuple[str, QFontMetrics],
        badge: tuple[str, QFontMetrics],
    ) -> tuple[QPixmap, QRectF, QRectF, QRectF]:
        """The button without its words (fill, icon, the hotkey's pill) in a pixmap laid
        over the cell from its top left corner; and where the spinner, the label and the
        hotkey go in it."""
        rect = self.button_rect(QRect(0, 0, cell.width(), cell.height()))
        (text, metrics), (hotkey, small_metrics) = label, badge
        badge_w = small_metrics.horizontalAdvance(hotkey) + 10 if hotkey else 0
        label_w = metrics.horizontalAdvance(text)
        content_w = 18 + 6 + label_w + (badge_w + 8 if hotkey else 0)
        left = rect.center().x() - content_w / 2
        icon_rect = QRectF(left, rect.center().y() - 9, 18, 18)
        text_rect = QRectF(icon_rect.right() + 6, rect.top(), label_w + 2, rect.height())
        badge_rect = QRectF(text_rect.right() + 8, rect.center().y() - 9, badge_w, 18)

        def draw(painter: QPainter) -> None:
            path = QPainterPath()
            path.addRoundedRect(rect, 7, 7)
            painter.fillPath(path, fill)
            if stale:
                painter.setOpacity(0.85)
            if icon_name:
                icons.paint_icon(painter, icon_name, icon_rect, text_color)
            if hotkey:
                key_fill = QColor(text_color)
                key_fill.setAlphaF(0.22)
                _fill_pill(painter, badge_rect, key_fill)

        pixmap = render_pixmap(cell.width(), cell.height(), ratio, draw)
        return pixmap, icon_rect, text_rect, badge_rect

    def editorEvent(
        self,
        event: QEvent,
        model: QAbstractItemModel,
        option: QStyleOptionViewItem,
        index: ModelIndex,
    ) -> bool:
        if not isinstance(event, QMouseEvent) or event.button() != Qt.MouseButton.LeftButton:
            return False
        inside = self.button_rect(option.rect).contains(event.position())
        if event.type() == QEvent.Type.MouseButtonPress:
            self._pressed_door = door_id_of(index) if inside else None
            self._pressed_index = QPersistentModelIndex(index) if inside else None
            return False
        if event.type() == QEvent.Type.MouseButtonRelease:
            door_id = self._pressed_door
            self._pressed_door = None
            self._pressed_index = None
            # The row under the pointer must still be the door that was pressed.
            if inside and door_id is not None and door_id_of(index) == door_id:
                self.release_clicked.emit(door_id)
                return True
        return False


class DoorTableView(QTableView):
    """The table, plus: Enter or Space releases the selected door, an empty-list message,
    and a veil over the rows while the list is stale."""

    release_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.placeholder = ""
        self.stale = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            if not event.isAutoRepeat():
                door_id = door_id_of(self.currentIndex())
                if door_id is not None:
                    self.release_requested.emit(door_id)
            event.accept()
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        painter = QPainter(self.viewport())
        if self.stale:
            veil = QColor(self.palette().color(QPalette.ColorRole.Window))
            veil.setAlphaF(0.45)
            painter.fillRect(self.viewport().rect(), veil)
        if model is not None and model.rowCount() == 0 and self.placeholder:
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            larger = QFont(self.font())
            larger.setPointSizeF(larger.pointSizeF() * 1.1)
            painter.setFont(larger)
            painter.drawText(
                self.viewport().rect().adjusted(24, 24, -24, -24),
                Qt.AlignmentFlag.AlignHCenter
                | Qt.AlignmentFlag.AlignTop
                | Qt.TextFlag.TextWordWrap,
                self.placeholder,
            )
        painter.end()


class DoorList(QWidget):
    """Search, building filter and the door table, releasing through ``release(door_id)``.

    ``pins_changed`` carries the pinned door ids after the operator pins or unpins one, for
    the window to save in the settings.
    """

    pins_changed = Signal(object)  # frozenset[int]

    def __init__(
        self,
        store: Store,
        *,
        release: Callable[[int], Awaitable[object]],
        clock: Clock,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._release = release
        self._menu_extensions: list[Callable[[QMenu, DoorRow], object]] = []
        self.model = DoorTableModel(store, clock=clock, parent=self)
        self.proxy = DoorFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search doors by name, building or id"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Search doors"))
        self.search.textChanged.connect(self.proxy.set_search)
        self.search.returnPressed.connect(self._search_entered)
        self._search_action = QAction(self.search)
        self.search.addAction(self._search_action, QLineEdit.ActionPosition.LeadingPosition)

        self.building = QComboBox(self)
        self.building.setAccessibleName(self.tr("Building filter"))
        self.building.setMinimumWidth(200)
        self.building.currentIndexChanged.connect(self._building_chosen)

        self.count_label = QLabel(self)
        self.count_label.setAccessibleName(self.tr("Number of doors shown"))

        self.stale_label = QLabel(self)
        self.stale_label.setObjectName("staleLabel")
        self.stale_label.setWordWrap(True)
        self.stale_label.hide()

        self.view = DoorTableView(self)
        self.view.setModel(self.proxy)
        setup_table_view(self.view, self.tr("Doors"), row_height=ROW_HEIGHT, sorting=True)
        self.view.setTabKeyNavigation(False)
        self.view.setMouseTracking(True)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.release_requested.connect(self.release_door)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(COL_LAST_EVENT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_RELEASE, QHeaderView.ResizeMode.Fixed)
        header.setMinimumSectionSize(80)
        for column, width in (
            (COL_NAME, 250),
            (COL_BUILDING, 190),
            (COL_STATE, 230),
            (COL_RELEASE, 172),
        ):
            self.view.setColumnWidth(column, width)
        self.view.sortByColumn(COL_BUILDING, Qt.SortOrder.AscendingOrder)

        self._name_delegate = TwoLineDelegate(self.model, leading_icon=True, parent=self)
        self._event_delegate = TwoLineDelegate(self.model, parent=self)
        self._state_delegate = StateDelegate(self.model, self)
        self._button_delegate = ReleaseButtonDelegate(self.model, self)
        self._button_delegate.release_clicked.connect(self.release_door)
        self.view.setItemDelegateForColumn(COL_NAME, self._name_delegate)
        self.view.setItemDelegateForColumn(COL_LAST_EVENT, self._event_delegate)
        self.view.setItemDelegateForColumn(COL_STATE, self._state_delegate)
        self.view.setItemDelegateForColumn(COL_RELEASE, self._button_delegate)

        self.filters = QWidget(self)
        filters = QHBoxLayout(self.filters)
        filters.setContentsMargins(0, 0, 0, 0)
        filters.setSpacing(10)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.building)
        filters.addWidget(self.count_label)

        title = QLabel(self.tr("Doors"), self)
        title_font = QFont(self.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.35)
        title_font.setWeight(QFont.Weight.DemiBold)
        title.setFont(title_font)
        self._hint = QLabel(self.tr("Enter or Space releases the selected door · F1–F12"), self)
        heading = QHBoxLayout()
        heading.addWidget(title)
        heading.addStretch(1)
        heading.addWidget(self._hint)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 6, 2, 4)
        layout.setSpacing(10)
        layout.addLayout(heading)
        layout.addWidget(self.filters)
        layout.addWidget(self.stale_label)
        layout.addWidget(self.view, 1)

        self._shortcuts: list[QShortcut] = []
        for number in range(HOTKEY_COUNT):
            shortcut = QShortcut(QKeySequence(f"F{number + 1}"), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda row=number: self.release_row(row))
            self._shortcuts.append(shortcut)

        for signal in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
        ):
            signal.connect(self._update_count)
        store.subscribe(self)
        self._fill_buildings()
        self._update_count()
        self._restyle()
        theme_changed().connect(self._restyle)

    # -- store listener (buildings for the filter) -----------------------------------------

    def roster_changed(self) -> None:
        self._fill_buildings()

    def _fill_buildings(self) -> None:
        chosen = self.proxy.building_id
        self.building.blockSignals(True)
        self.building.clear()
        self.building.addItem(self.tr("All buildings"), ALL_BUILDINGS)
        for building in sorted(self._store.buildings.values(), key=lambda b: b.name.casefold()):
            self.building.addItem(building.name, building.id)
        index = self.building.findData(chosen) if chosen is not None else 0
        self.building.setCurrentIndex(max(index, 0))
        self.building.blockSignals(False)
        if chosen is not None and index < 0 and self._store.buildings:
            self.proxy.set_building(None)
        self._update_count()

    def _building_chosen(self, index: int) -> None:
        building_id = self.building.itemData(index)
        self.proxy.set_building(
            building_id if isinstance(building_id, int) and building_id != ALL_BUILDINGS else None
        )
        self._update_count()

    # -- releasing -------------------------------------------------------------------------

    def release_door(self, door_id: int) -> None:
        row = self._store.door(door_id)
        name = row.name if row else self.tr("door {0}").format(door_id)
        spawn(self._release_now(door_id), name=self.tr("Releasing {0}").format(name))

    async def _release_now(self, door_id: int) -> None:
        await self._release(door_id)

    def release_row(self, proxy_row: int) -> None:
        """The hotkeys: F1 releases the first door shown, F2 the second…"""
        if 0 <= proxy_row < self.proxy.rowCount():
            door_id = door_id_of(self.proxy.index(proxy_row, COL_NAME))
            if door_id is not None:
                self.release_door(door_id)

    def door_id_at(self, proxy_row: int) -> int | None:
        if 0 <= proxy_row < self.proxy.rowCount():
            return door_id_of(self.proxy.index(proxy_row, COL_NAME))
        return None

    def proxy_row_of(self, door_id: int) -> int | None:
        source_row = self._store.door_index(door_id)
        if source_row is None:
            return None
        index = self.proxy.mapFromSource(self.model.index(source_row, COL_NAME))
        return index.row() if index.isValid() else None

    # -- pins ------------------------------------------------------------------------------

    def set_pinned(self, door_id: int, pinned: bool) -> None:
        self._store.set_pinned(door_id, pinned)
        self.model.flush_now()
        self.pins_changed.emit(self._store.pinned_door_ids)

    def _context_menu(self, position: Any) -> None:
        index = self.view.indexAt(position)
        door_id = door_id_of(index)
        if door_id is None:
            return
        row = self._store.door(door_id)
        if row is None:
            return
        menu = QMenu(self)
        text_color = self.palette().color(QPalette.ColorRole.Text)
        release = menu.addAction(
            icons.icon("unlock", text_color), self.tr("Release {0}").format(row.name)
        )
        release.triggered.connect(lambda: self.release_door(door_id))
        menu.addSeparator()
        if row.pinned:
            pin = menu.addAction(icons.icon("pin", text_color), self.tr("Unpin"))
            pin.triggered.connect(lambda: self.set_pinned(door_id, False))
        else:
            pin = menu.addAction(icons.icon("pin", text_color), self.tr("Pin to top"))
            pin.triggered.connect(lambda: self.set_pinned(door_id, True))
        copy = menu.addAction(self.tr("Copy door id ({0})").format(door_id))
        copy.triggered.connect(lambda: QGuiApplication.clipboard().setText(str(door_id)))
        for extend in self._menu_extensions:
            extend(menu, row)
        menu.popup(self.view.viewport().mapToGlobal(position))

    def add_menu_extension(self, extend: Callable[[QMenu, DoorRow], object]) -> None:
        """``extend(menu, row)`` adds entries to a door's context menu before it opens."""
        self._menu_extensions.append(extend)

    # -- view state ------------------------------------------------------------------------

    def set_filters_visible(self, visible: bool) -> None:
        self.filters.setVisible(visible)
        if not visible:
            self.search.clear()
            self.building.setCurrentIndex(0)

    def set_stale(self, since: datetime | None) -> None:
        """Grey the list and say since when it has not been updated (None: fresh again)."""
        stale = since is not None
        if since is not None:
            local = since.astimezone()
            self.stale_label.setText(
                self.tr(
                    "Door list may be out of date — stale since {0}. Releases still work."
                ).format(local.strftime("%H:%M"))
            )
        self.stale_label.setVisible(stale)
        self.view.stale = stale
        self.model.set_stale(stale)
        self.view.viewport().update()

    @property
    def stale_text(self) -> str:
        return self.stale_label.text() if self.stale_label.isVisible() else ""

    def save_state(self) -> dict[str, Any]:
        header = self.view.horizontalHeader()
        return {
            "search": self.search.text(),
            "building_id": self.proxy.building_id,
            "sort_column": header.sortIndicatorSection(),
            "sort_order": "desc"
            if header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
            else "asc",
            "filters_visible": not self.filters.isHidden(),
        }

    def restore_state(self, state: dict[str, Any]) -> None:
        search = state.get("search")
        if isinstance(search, str):
            self.search.setText(search)
        building_id = state.get("building_id")
        if isinstance(building_id, int):
            self.proxy.set_building(building_id)
            self._fill_buildings()
        column = state.get("sort_column")
        if isinstance(column, int) and 0 <= column < COLUMN_COUNT:
            order = (
                Qt.SortOrder.DescendingOrder
                if state.get("sort_order") == "desc"
                else Qt.SortOrder.AscendingOrder
            )
            self.view.sortByColumn(column, order)
        if state.get("filters_visible") is False:
            self.filters.hide()

    def _search_entered(self) -> None:
        if self.proxy.rowCount():
            self.view.setFocus()
            self.view.setCurrentIndex(self.proxy.index(0, COL_NAME))

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self._store.door_count()
        if total == 0:
            self.count_label.setText("")
            self.view.placeholder = self.tr("Loading doors…")
        elif shown == total:
            self.count_label.setText(self.tr("{0} doors").format(total))
            self.view.placeholder = ""
        else:
            self.count_label.setText(self.tr("{0} of {1} doors").format(shown, total))
            self.view.placeholder = self.tr("No door matches the search or building filter.")
        self.view.viewport().update()

    # -- look ------------------------------------------------------------------------------

    def _restyle(self) -> None:
        palette = QApplication.palette()
        colors = state_colors(palette)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        self._search_action.setIcon(icons.icon("search", muted))
        self.count_label.setStyleSheet(f"color: {muted.name()};")
        self._hint.setStyleSheet(f"color: {muted.name()};")
        base = palette.color(QPalette.ColorRole.Window)
        self.stale_label.setStyleSheet(
            f"#staleLabel {{ color: {colors.warning.name()};"
            f" background: {colors.tint(colors.warning, base, 0.14).name()};"
            f" border-radius: 6px; padding: 6px 10px; }}"
        )
        header_fill = palette.color(QPalette.ColorRole.Window).name()
        line = palette.color(QPalette.ColorRole.Mid).name()
        self.view.horizontalHeader().setStyleSheet(
            f"QHeaderView::section {{ background: {header_fill}; color: {muted.name()};"
            f" border: none; border-bottom: 1px solid {line}; padding: 7px 10px;"
            " font-weight: 600; }"
        )
        self.search.setMinimumHeight(34)
        self.building.setMinimumHeight(34)


__all__ = [
    "COLUMN_COUNT",
    "COL_BUILDING",
    "COL_LAST_EVENT",
    "COL_NAME",
    "COL_RELEASE",
    "COL_STATE",
    "DOOR_ID_ROLE",
    "PINNED_ROLE",
    "ROW_ROLE",
    "STATE_ROLE",
    "DoorFilterProxy",
    "DoorList",
    "DoorTableModel",
    "DoorTableView",
    "ReleaseButtonDelegate",
    "local_time_text",
]
