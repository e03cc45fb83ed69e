"""The Passes tab: make visitor and delivery passes, see the active ones and their use, revoke.

The list is the front desk's passes that have not ended, read from the cloud when the tab is
shown, every ``refresh_interval_s`` while it is, and after every action. Between reads a
pass whose end has passed drops out on its own (the injected clock decides, so tests move
time instead of waiting). A read replaces the rows in place when the same passes come back
in the same order (usage counts change, rows do not jump), and keeps the selection by pass.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QIcon, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bmx_console.api.models import Building, Door
from bmx_console.clock import Clock
from bmx_console.core.passes import Pass, PassService
from bmx_console.errors import BmxError
from bmx_console.ui.dialog_kit import StatusLine, heading, line_icon, muted
from bmx_console.ui.pass_dialog import (
    PRIMARY_BUTTON_STYLE,
    NewPassDialog,
    PassDialog,
    doors_text,
    primary_icon,
    when_text,
    window_text,
)
from bmx_console.ui.qt_async import spawn
from bmx_console.ui.tables import RecordTableModel, setup_table_view

logger = logging.getLogger(__name__)

COL_NAME, COL_KIND, COL_WINDOW, COL_DOORS, COL_FIRST, COL_LAST, COL_USES = range(7)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2
ROW_HEIGHT = 36
DROP_ENDED_EVERY_MS = 15_000


class PassesModel(RecordTableModel):
    """The active passes, one row each."""

    COLUMNS = 7

    def __init__(self, clock: Clock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._passes: list[Pass] = []
        self._doors: dict[int, str] = {}
        self._icons: dict[str, QIcon] = {}
        self._headers = {
            COL_NAME: self.tr("Name"),
            COL_KIND: self.tr("Kind"),
            COL_WINDOW: self.tr("Valid"),
            COL_DOORS: self.tr("Doors"),
            COL_FIRST: self.tr("First used"),
            COL_LAST: self.tr("Last used"),
            COL_USES: self.tr("Uses"),
        }

    def _row_count(self) -> int:
        return len(self._passes)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.TextAlignmentRole
            and section == COL_USES
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return super().headerData(section, orientation, role)

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._passes):
            return None
        item = self._passes[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(item, column)
        if role == SORT_ROLE:
            return self._sort_key(item, column)
        if role == SEARCH_ROLE:
            return " ".join(
                [item.name, item.contact or "", doors_text(item.door_ids, self._doors)]
            ).casefold()
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_NAME and item.contact:
            return self.tr("Contact: {0}").format(item.contact)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_USES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.DecorationRole and column == COL_KIND:
            return self._icon("package" if item.kind == "delivery" else "person")
        return None

    def _icon(self, name: str) -> QIcon | None:
        if name not in self._icons:
            parent = self.parent()
            if not isinstance(parent, QWidget):
                return None
            self._icons[name] = line_icon(name, parent)
        return self._icons[name]

    def forget_icons(self) -> None:
        """After a theme change: the icons are drawn again in the new text colour."""
        self._icons.clear()

    def _text(self, item: Pass, column: int) -> str:
        now = self._clock.now()
        if column == COL_NAME:
            return item.name
        if column == COL_KIND:
            return self.tr("Delivery") if item.kind == "delivery" else self.tr("Visitor")
        if column == COL_WINDOW:
            return _capitalized(window_text(item, now))
        if column == COL_DOORS:
            return doors_text(item.door_ids, self._doors)
        if column == COL_FIRST:
            return _capitalized(when_text(item.first_used_at, now))
        if column == COL_LAST:
            return _capitalized(when_text(item.last_used_at, now))
        return str(item.uses)

    @staticmethod
    def _sort_key(item: Pass, column: int) -> Any:
        stamp = {
            COL_WINDOW: item.ends_at,
            COL_FIRST: item.first_used_at,
            COL_LAST: item.last_used_at,
        }.get(column)
        if column in (COL_WINDOW, COL_FIRST, COL_LAST):
            return stamp.timestamp() if stamp else 0.0
        if column == COL_USES:
            return item.uses
        if column == COL_KIND:
            return item.kind
        if column == COL_DOORS:
            return len(item.door_ids)
        return item.name.casefold()

    # -- changes ---------------------------------------------------------------------------

    def set_passes(self, passes: list[Pass], doors: Mapping[int, str]) -> None:
        self._doors = dict(doors)
        if [p.id for p in passes] == [p.id for p in self._passes] and passes:
            self._passes = list(passes)
            self.dataChanged.emit(self.index(0, 0), self.index(len(passes) - 1, self.COLUMNS - 1))
            return
        self.beginResetModel()
        self._passes = list(passes)
        self.endResetModel()

    def drop_ended(self, now: datetime) -> int:
        """Remove the passes that ended by ``now``; returns how many."""
        dropped = 0
        for row in reversed(range(len(self._passes))):
            if not self._passes[row].active_at(now):
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._passes[row]
                self.endRemoveRows()
                dropped += 1
        return dropped

    def pass_at(self, row: int) -> Pass | None:
        return self._passes[row] if 0 <= row < len(self._passes) else None

    def row_of(self, keychain_id: int) -> int | None:
        return next((i for i, p in enumerate(self._passes) if p.id == keychain_id), None)

    def passes(self) -> list[Pass]:
        return list(self._passes)


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


class PassesProxy(QSortFilterProxyModel):
    """Search by name, contact or door, whatever the case."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._needle = ""
        self.setSortRole(SORT_ROLE)

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self._needle = " ".join(text.split()).casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if not self._needle:
            return True
        haystack = self.sourceModel().index(source_row, 0, source_parent).data(SEARCH_ROLE)
        return self._needle in str(haystack or "")


class PassesTab(QWidget):
    def __init__(
        self,
        service: PassService,
        *,
        clock: Clock,
        refresh_interval_s: float = 60.0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self._clock = clock
        self._doors: list[Door] = []
        self._refreshing: asyncio.Task[None] | None = None
        self._last_refresh: float | None = None
        self._refresh_interval_s = refresh_interval_s
        self._building: Building | None = None
        self.new_pass_dialog: NewPassDialog | None = None
        self.pass_dialog: PassDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self.setAccessibleName(self.tr("Visitor and delivery passes"))

        self.model = PassesModel(clock, parent=self)
        self.proxy = PassesProxy(self)
        self.proxy.setSourceModel(self.model)

        title = heading(self.tr("Visitor and delivery passes"), level=2)
        subtitle = muted(
            self.tr(
                "Passes the front desk issued that have not ended. You hand over the PIN and "
                "QR code; ButterflyMX sends nothing."
            )
        )
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(title)
        titles.addWidget(subtitle)

        self.new_button = QPushButton(primary_icon("person", self), self.tr("New visitor pass…"))
        self.new_button.setAccessibleName(self.tr("New visitor pass"))
        self.new_button.setToolTip(self.tr("Make a visitor pass with a PIN and a QR code"))
        self.new_button.setStyleSheet(PRIMARY_BUTTON_STYLE)
        self.new_button.clicked.connect(self.open_new_pass)
        self.delivery_button = QPushButton(line_icon("package", self), self.tr("Delivery pass…"))
        self.delivery_button.setAccessibleName(self.tr("New delivery pass"))
        self.delivery_button.setToolTip(
            self.tr("A one-use pass for a courier, for a short while, on the doors you confirm")
        )
        self.delivery_button.clicked.connect(self.make_delivery_pass)
        for button in (self.new_button, self.delivery_button):
            button.setMinimumHeight(36)

        header = QHBoxLayout()
        header.setSpacing(10)
        header.addLayout(titles, 1)
        header.addWidget(self.delivery_button, 0, Qt.AlignmentFlag.AlignBottom)
        header.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignBottom)

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search name, contact or door"))
        self.search.setAccessibleName(self.tr("Search passes"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(280)
        self.search.setMinimumHeight(30)
        self.search.textChanged.connect(self._search_changed)
        self.refresh_button = QPushButton(line_icon("refresh", self), self.tr("Refresh"))
        self.refresh_button.setAccessibleName(self.tr("Refresh the passes"))
        self.refresh_button.setMinimumHeight(30)
        self.refresh_button.clicked.connect(self.refresh)
        self.revoke_button = QPushButton(line_icon("close", self, "error"), self.tr("Revoke…"))
        self.revoke_button.setAccessibleName(self.tr("Revoke the selected pass"))
        self.revoke_button.setMinimumHeight(30)
        self.revoke_button.setEnabled(False)
        self.revoke_button.clicked.connect(self.revoke_selected)
        self.show_button = QPushButton(line_icon("key", self), self.tr("Show PIN and QR…"))
        self.show_button.setAccessibleName(self.tr("Show the selected pass"))
        self.show_button.setMinimumHeight(30)
        self.show_button.setEnabled(False)
        self.show_button.clicked.connect(self.show_selected)
        toolbar = QHBoxLayout()
        toolbar.setSpacing(8)
        toolbar.addWidget(self.search)
        toolbar.addStretch(1)
        toolbar.addWidget(self.show_button)
        toolbar.addWidget(self.revoke_button)
        toolbar.addWidget(self.refresh_button)

        self.view = QTableView()
        self.view.setModel(self.proxy)
        setup_table_view(
            self.view,
            self.tr("Active passes"),
            row_height=ROW_HEIGHT,
            sorting=True,
            scroll_per_pixel=False,
        )
        self.view.sortByColumn(COL_WINDOW, Qt.SortOrder.AscendingOrder)
        self.view.setStyleSheet(
            "QTableView { border: 1px solid palette(mid); border-radius: 6px; }"
            "QTableView::item { padding: 0px 10px; border: none; }"
            "QHeaderView::section { padding: 6px 10px; border: none;"
            " border-bottom: 1px solid palette(mid); background: palette(window);"
            " font-weight: 600; }"
        )
        hheader = self.view.horizontalHeader()
        hheader.setSectionResizeMode(COL_DOORS, QHeaderView.ResizeMode.Stretch)
        hheader.setMinimumHeight(30)
        for column, width in (
            (COL_NAME, 220),
            (COL_KIND, 120),
            (COL_WINDOW, 290),
            (COL_FIRST, 150),
            (COL_LAST, 150),
            (COL_USES, 70),
        ):
            self.view.setColumnWidth(column, width)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.view.doubleClicked.connect(lambda _index: self.show_selected())

        self.empty_label = QLabel(self.view.viewport())
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("color: palette(placeholder-text); padding: 24px;")
        self.empty_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.view.installEventFilter(self)

        self.status = StatusLine()
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: palette(placeholder-text);")
        self.count_label.setAccessibleName(self.tr("Number of active passes"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 8, 4, 0)
        layout.setSpacing(10)
        layout.addLayout(header)
        layout.addSpacing(4)
        layout.addLayout(toolbar)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)

        for signal in (self.model.modelReset, self.model.rowsRemoved, self.model.rowsInserted):
            signal.connect(self._update_counts)
        self.proxy.layoutChanged.connect(self._update_counts)
        self._update_counts()

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(max(1, round(refresh_interval_s * 1000)))
        self._refresh_timer.timeout.connect(self._timed_refresh)
        self._refresh_timer.start()
        self._drop_timer = QTimer(self)
        self._drop_timer.setInterval(DROP_ENDED_EVERY_MS)
        self._drop_timer.timeout.connect(self.drop_ended)
        self._drop_timer.start()

    # -- reading the list ------------------------------------------------------------------

    def refresh(self) -> asyncio.Task[None]:
        """Read the active passes again (one read at a time); returns the running read."""
        if self._refreshing is None or self._refreshing.done():
            self._refreshing = spawn(self._refresh(), name=self.tr("Reading the passes"))
        return self._refreshing

    async def _refresh(self) -> None:
        self.refresh_button.setEnabled(False)
        try:
            if not self._doors:
                self._doors = await self.service.doors()
            await self._load_building()
            passes = await self.service.active_passes()
        except BmxError as exc:
            self.status.show_message("error", str(exc))
            return
        finally:
            self.refresh_button.setEnabled(True)
            self._last_refresh = self._clock.monotonic()
        if self.status.tone == "error":
            self.status.clear()
        selected = self.selected_pass()
        self.model.set_passes(passes, self.door_names())
        if selected is not None:
            self.select(selected.id)
        self._update_counts()

    async def reload(self) -> None:
        """A read that starts after now: one already running may predate a change."""
        running = self._refreshing
        if running is not None and not running.done():
            await asyncio.wait([running])
        await self.refresh()

    def _timed_refresh(self) -> None:
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        stale = self._last_refresh is None or self._clock.monotonic() - self._last_refresh > min(
            10.0, self._refresh_interval_s
        )
        if stale:
            self.refresh()

    def drop_ended(self) -> int:
        """Take out the passes that have ended, without asking the cloud."""
        return self.model.drop_ended(self._clock.now())

    def door_names(self) -> dict[int, str]:
        return {d.id: d.name for d in self._doors}

    # -- selection -------------------------------------------------------------------------

    def selected_pass(self) -> Pass | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.pass_at(self.proxy.mapToSource(rows[0]).row())

    def select(self, keychain_id: int) -> bool:
        row = self.model.row_of(keychain_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.view.selectRow(index.row())
        self.view.scrollTo(index)
        return True

    def _selection_changed(self, *_: object) -> None:
        chosen = self.selected_pass() is not None
        self.revoke_button.setEnabled(chosen)
        self.show_button.setEnabled(chosen)

    def _search_changed(self, text: str) -> None:
        self.proxy.set_search(text)
        self._update_counts()

    def _update_counts(self, *_: object) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        if total == 0:
            self.count_label.setText(self.tr("No active passes"))
            self.empty_label.setText(
                self.tr("No active passes.\nMake one with “New visitor pass…” or “Delivery pass”.")
            )
        elif shown == 0:
            self.count_label.setText(self.tr("{0} active passes, none match").format(total))
            self.empty_label.setText(self.tr("No pass matches “{0}”.").format(self.search.text()))
        else:
            self.count_label.setText(
                self.tr("1 active pass")
                if total == 1
                else self.tr("{0} active passes").format(total)
            )
        self.empty_label.setVisible(shown == 0)
        self._place_empty_label()
        self._selection_changed()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ApplicationPaletteChange:
            self.model.forget_icons()
        super().changeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.Resize:
            self._place_empty_label()
        return super().eventFilter(watched, event)

    def _place_empty_label(self) -> None:
        self.empty_label.setGeometry(self.view.viewport().rect())

    # -- making passes ---------------------------------------------------------------------

    async def _load_building(self) -> None:
        """The building's name, address and zone for the passes; without them a pass still
        shows, in the desk's zone (named), so a failure here is only logged."""
        if self._building is None:
            try:
                self._building = await self.service.building()
            except BmxError as exc:
                logger.warning("The building of the passes could not be read: %s", exc)

    def open_new_pass(self) -> asyncio.Task[None]:
        """Open the visitor pass form, once the building's doors are known."""
        return spawn(self._open_form("visitor"), name=self.tr("Opening the new pass form"))

    def make_delivery_pass(self) -> asyncio.Task[None]:
        """Open the form preset for a delivery: nothing is issued until it is confirmed."""
        return spawn(self._open_form("delivery"), name=self.tr("Opening the delivery pass form"))

    async def _open_form(self, kind: Literal["visitor", "delivery"]) -> None:
        if self.new_pass_dialog is not None and self.new_pass_dialog.isVisible():
            self.new_pass_dialog.raise_()
            return
        buttons = (self.new_button, self.delivery_button)
        for button in buttons:
            button.setEnabled(False)
        try:
            self._doors = await self.service.doors()
            await self._load_building()
        except BmxError as exc:
            self.status.show_message("error", str(exc))
            return
        finally:
            for button in buttons:
                button.setEnabled(True)
        dialog = NewPassDialog(
            self.service,
            self._doors,
            clock=self._clock,
            building_name=self._building.name if self._building else "",
            time_zone=self._building.time_zone if self._building else None,
            kind=kind,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.created.connect(self._created)
        dialog.finished.connect(lambda _r: spawn(self.reload(), name=self.tr("Reading the passes")))
        dialog.destroyed.connect(lambda *_: self._forget_new_pass_dialog(dialog))
        self.new_pass_dialog = dialog
        dialog.open()

    def _forget_new_pass_dialog(self, dialog: NewPassDialog) -> None:
        if self.new_pass_dialog is dialog:
            self.new_pass_dialog = None

    def _created(self, made: object) -> None:
        if isinstance(made, Pass):
            self.show_pass(made)

    def show_pass(self, item: Pass) -> PassDialog:
        if self.pass_dialog is not None:
            self.pass_dialog.close()
        dialog = PassDialog(
            item, doors=self.door_names(), clock=self._clock, building=self._building, parent=self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda *_: self._forget_pass_dialog(dialog))
        self.pass_dialog = dialog
        dialog.open()
        return dialog

    def _forget_pass_dialog(self, dialog: PassDialog) -> None:
        if self.pass_dialog is dialog:
            self.pass_dialog = None

    def show_selected(self) -> None:
        item = self.selected_pass()
        if item is not None:
            self.show_pass(item)

    # -- revoking --------------------------------------------------------------------------

    def revoke_selected(self) -> QMessageBox | None:
        """Ask first, naming the pass; revoke only on a clear yes."""
        item = self.selected_pass()
        if item is None:
            return None
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Revoke pass"))
        box.setText(self.tr("Revoke the pass “{0}”?").format(item.name))
        box.setInformativeText(
            self.tr(
                "Its PIN and QR code stop working at every door at once. This cannot be undone."
            )
        )
        revoke = box.addButton(self.tr("Revoke pass"), QMessageBox.ButtonRole.DestructiveRole)
        revoke.setAccessibleName(self.tr("Revoke the pass {0}").format(item.name))
        keep = box.addButton(self.tr("Keep it"), QMessageBox.ButtonRole.RejectRole)
        keep.setAccessibleName(self.tr("Keep the pass"))
        box.setDefaultButton(keep)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        revoke.clicked.connect(lambda: self._revoke(item))
        self.confirm_box = box
        box.open()
        return box

    def _revoke(self, item: Pass) -> None:
        self.revoke_button.setEnabled(False)
        self.status.show_message("busy", self.tr("Revoking “{0}”…").format(item.name))
        spawn(self._do_revoke(item), name=self.tr("Revoking the pass"))

    async def _do_revoke(self, item: Pass) -> None:
        try:
            revoked = await self.service.revoke(item.id)
        except BmxError as exc:
            self.status.show_message("error", str(exc))
            self._selection_changed()
            return
        if revoked.audit_error:
            self.status.show_message(
                "warning",
                self.tr("Revoked “{0}”, but the audit log could not be written: {1}").format(
                    item.name, revoked.audit_error
                ),
            )
        else:
            self.status.show_message("ok", self.tr("Revoked “{0}”.").format(item.name))
        await self.reload()
