"""What the console's record tables (doors, events, passes, audit) have in common."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


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
