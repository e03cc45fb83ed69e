"""Search-as-you-type and the building filter of the door table; its sorting (pinned doors
always on top) is handed to the model; and the order held still while the operator points at
it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QSortFilterProxyModel, Qt, Signal

from bmx_console.core.store import DoorRow
from bmx_console.ui.door_model import DoorTableModel, ModelIndex


class DoorFilterProxy(QSortFilterProxyModel):
    """Search (every word must appear in the name, building or id), one building or all,
    sorting by any column with pinned doors always first, whatever the order.

    ``hold(True)`` stops changes to the doors from re-sorting or re-filtering the rows (the
    operator's own search, filter and sort still apply at once); ``hold(False)`` applies what
    waited. ``pending_changed(bool)`` says whether a change is waiting.
    """

    pending_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._held = False
        self._pending = False
        self._terms: list[str] = []
        self._building_id: int | None = None
        # Dynamic filtering only: rows are kept in the model's order (sorting is the model's).
        self.setDynamicSortFilter(True)

    def setSourceModel(self, model: Any) -> None:
        super().setSourceModel(model)
        model.dataChanged.connect(self._source_changed)
        model.rowsInserted.connect(self._source_moved)
        model.rowsRemoved.connect(self._source_moved)

    # -- holding the order still -------------------------------------------------------------

    @property
    def held(self) -> bool:
        return self._held

    @property
    def pending(self) -> bool:
        return self._pending

    def hold(self, held: bool) -> None:
        if held == self._held:
            return
        self._held = held
        model = self.sourceModel()
        if isinstance(model, DoorTableModel):
            # The model sorts: it keeps its order while held and applies the new one after.
            model.hold_order(held)
        if held:
            self.setDynamicSortFilter(False)
            return
        # The filter is checked again as well, for a row whose change made it match the
        # search (or not) while the order was held.
        self.setDynamicSortFilter(True)
        if self._pending:
            self.beginFilterChange()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
            self._set_pending(False)

    def _source_changed(self, first: QModelIndex, last: QModelIndex, *_: Any) -> None:
        if not self._held:
            return
        filtered = bool(self._terms) or self._building_id is not None
        if filtered or first.column() <= self.sortColumn() <= last.column():
            self._set_pending(True)

    def _source_moved(self, *_: Any) -> None:
        if self._held:
            self._set_pending(True)

    def _set_pending(self, pending: bool) -> None:
        if pending != self._pending:
            self._pending = pending
            self.pending_changed.emit(pending)

    # -- search and building -----------------------------------------------------------------

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
            # Asked for every row at each reset (20,000 calls from Qt) and again for every
            # row that changes: no filter, no look at the row, no call back into the model.
            return True
        row = self._row(source_row)
        if row is None:
            return False
        if self._building_id is not None and row.building_id != self._building_id:
            return False
        if not self._terms:
            return True
        haystack = f"{row.name} {row.building_name} {row.id}".casefold()
        return all(term in haystack for term in self._terms)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is the source model's (``DoorTableModel.sort_rows``): one sort over keys
        made once per row. Qt's own sort here would call back into Python for every pair
        of rows it compares (157,000 times for 20,000 doors, seconds of frozen window)."""
        model = self.sourceModel()
        if isinstance(model, DoorTableModel):
            model.sort_rows(column, order)

    def sortColumn(self) -> int:
        model = self.sourceModel()
        return model.sort_column if isinstance(model, DoorTableModel) else -1

    def sortOrder(self) -> Qt.SortOrder:
        model = self.sourceModel()
        return model.sort_order if isinstance(model, DoorTableModel) else super().sortOrder()
