"""What the console's record tables (doors, events, passes, audit) have in common."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
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
    row numbers, and left-aligned column titles the operator can resize."""
    view.setAccessibleName(accessible_name)
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
