"""What the console's record tables (doors, events, passes, audit) have in common."""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


class RecordTableModel(QAbstractTableModel):
    """A flat table: one row per record, one column per entry of ``_headers`` (column number
    to title, which the subclass sets in its ``__init__`` so the titles keep its translation
    context); the subclass says how many records there are in ``_row_count``."""

    _headers: dict[int, str]

    def _row_count(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else self._row_count()

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._headers)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers.get(section)
        return None


def setup_table_view(
    view: QTableView,
    accessible_name: str,
    *,
    row_height: int,
    sorting: bool = False,
    scroll_per_pixel: bool = True,
) -> None:
    """Make ``view`` a read-only list of records: whole rows selected one at a time, no grid,
    alternating rows, one line per cell elided on the right, rows ``row_height`` high with no
    row numbers, and left-aligned column titles the operator can resize. Tab leaves the table
    for the next control in one press (the arrow keys move within it), not cell by cell."""
    view.setAccessibleName(accessible_name)
    view.setTabKeyNavigation(False)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    if scroll_per_pixel:
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setShowGrid(False)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setSortingEnabled(sorting)
    vheader = view.verticalHeader()
    vheader.hide()
    vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vheader.setDefaultSectionSize(row_height)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


class DerivedFonts:
    """Fonts derived from a view's font (scaled, weighted) with their metrics, made once per
    base font rather than once per painted cell. One per delegate: a delegate paints for one
    view, whose font rarely changes, so comparing with the last base font is the whole key.
    ``generation`` changes with the base font, for caches of what was laid out with it."""

    def __init__(self) -> None:
        self._base: QFont | None = None
        self._made: dict[tuple[float, QFont.Weight, float], tuple[QFont, QFontMetrics]] = {}
        self.generation = 0

    def get(
        self,
        base: QFont,
        scale: float = 1.0,
        weight: QFont.Weight = QFont.Weight.Normal,
        *,
        smallest: float = 0.0,
    ) -> tuple[QFont, QFontMetrics]:
        """``base`` at ``scale`` times its point size (at least ``smallest`` points)."""
        if self._base is None or base != self._base:
            self._base = QFont(base)
            self._made.clear()
            self.generation += 1
        key = (scale, weight, smallest)
        made = self._made.get(key)
        if made is None:
            font = QFont()
            font.fromString(base.toString())
            font.setPointSizeF(max(smallest, font.pointSizeF() * scale))
            font.setWeight(weight)
            made = self._made[key] = (font, QFontMetrics(font))
        return made


class RenderCache:
    """What a delegate drew once and draws again as is (pills, buttons, glyphs as pixmaps,
    with where their text goes), keyed by everything the drawing depends on: state, label,
    size, device pixel ratio and the colours used. Colours in the key keep a stale entry
    from ever being drawn after a palette change; ``clear`` on a theme change only frees
    the memory. At most ``limit`` entries, the least recently used going first (countdown
    labels and column resizes make new keys)."""

    def __init__(self, limit: int = 256) -> None:
        self._limit = limit
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> Any:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, key: Hashable, entry: Any) -> None:
        self._entries[key] = entry
        if len(self._entries) > self._limit:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()


def render_pixmap(
    width: float, height: float, ratio: float, draw: Callable[[QPainter], object]
) -> QPixmap:
    """A transparent pixmap ``width`` x ``height`` (logical pixels) at the device's pixel
    ratio, with ``draw`` painting into it antialiased in logical coordinates."""
    pixmap = QPixmap(max(1, math.ceil(width * ratio)), max(1, math.ceil(height * ratio)))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    draw(painter)
    painter.end()
    return pixmap


def device_ratio(painter: QPainter) -> float:
    device = painter.device()
    return device.devicePixelRatioF() if device is not None else 1.0


class ColumnFit(QObject):
    """Fits a table's columns to its width whenever it changes, so that the columns that
    matter stay on screen without horizontal scrolling, from a 600 px window to a 4K one.

    ``columns`` is, in priority order (the first kept longest), ``(column, least, wanted)``
    widths; ``wanted`` None marks the one column that stretches to take what is left. When
    the least widths do not fit, the lowest-priority columns are hidden."""

    def __init__(self, view: QTableView, columns: list[tuple[int, int, int | None]]) -> None:
        super().__init__(view)
        self._view = view
        self._columns = columns
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def least_width(self, count: int) -> int:
        """What the ``count`` most important columns need at the least."""
        return sum(least for _column, least, _wanted in self._columns[:count])

    def fit(self) -> None:
        view = self._view
        width = view.viewport().width()
        kept = list(self._columns)
        while len(kept) > 1 and sum(c[1] for c in kept) > width:
            kept.pop()  # the least important column goes first
        widths = {column: least for column, least, _wanted in kept}
        spare = width - sum(widths.values())
        for column, least, wanted in kept:
            if wanted is not None:
                grow = min(wanted - least, max(spare, 0))
                widths[column] += grow
                spare -= grow
        header = view.horizontalHeader()
        stretch = next((c for c, _least, wanted in self._columns if wanted is None), None)
        if stretch is not None:
            mode = QHeaderView.ResizeMode
            header.setSectionResizeMode(stretch, mode.Stretch if stretch in widths else mode.Fixed)
        for column, _least, wanted in self._columns:
            view.setColumnHidden(column, column not in widths)
            if (
                wanted is not None
                and column in widths
                and header.sectionSize(column) != widths[column]
            ):
                header.resizeSection(column, widths[column])
