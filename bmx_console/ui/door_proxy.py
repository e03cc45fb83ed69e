"""Search-as-you-type, the building filter and sorting of the door table, with pinned
doors always on top; and the order held still while the operator points at it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QSortFilterProxyModel, Qt, Signal

from bmx_console.core.store import DoorRow
from bmx_console.ui.door_model import (
    COL_BUILDING,
    COL_LAST_EVENT,
    COL_STATE,
    DoorTableModel,
    ModelIndex,
)

_STATE_ORDER = {"failed": 0, "sending": 1, "released": 2, "idle": 3}


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
        # Sort keys by source row, each with the row object and column it was made from: a
        # sort compares each row a dozen times, and a row that changed is a new object.
        self._keys: dict[int, tuple[DoorRow, int, tuple[bool, tuple[Any, ...]]]] = {}
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
        if held:
            self.setDynamicSortFilter(False)
            return
        # Turning dynamic sorting back on sorts; the filter is checked again as well, for a
        # row whose change made it match the search (or not) while the order was held.
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
