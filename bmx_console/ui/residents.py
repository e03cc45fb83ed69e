"""The Residents view: the desk's directory of residents across the buildings in scope.

Search by name (full name, or first and last name where the cloud has no full name) or by
unit label; the list is the directory the roster poller reads, re-read when the roster
changes, never fetched per keystroke. From a resident: a visitor pass for their guest (the
pass form, prefilled), and that unit's recent events and calls from the live logs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bmx_console.api.models import Tenant
from bmx_console.clock import Clock, SystemClock
from bmx_console.core.directory import resident_text
from bmx_console.core.store import Store
from bmx_console.ui.call_text import panel_text, status_text
from bmx_console.ui.event_text import building_zone, door_label, format_local_time, method_label
from bmx_console.ui.store_signals import store_signals

if TYPE_CHECKING:
    from bmx_console.core.passes import PassService
    from bmx_console.ui.pass_dialog import NewPassDialog

RECENT_LIMIT = 20
# Filtering is local and quick, but a burst of keystrokes is still one pass over the list.
SEARCH_DELAY_MS = 150


class ResidentsView(QWidget):
    """Residents, searchable; the chosen one's unit's recent events and calls."""

    def __init__(
        self,
        store: Store,
        *,
        new_pass: Callable[[Tenant], object] | None = None,
        clock: Clock | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._new_pass = new_pass
        self._clock: Clock = clock or SystemClock()
        self.setAccessibleName(self.tr("Residents"))

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("Search by name or unit (e.g. 4B)"))
        self.search_edit.setAccessibleName(self.tr("Search residents"))
        self.search_edit.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.reload)
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        self.search_edit.returnPressed.connect(self.reload)

        self.count_label = QLabel()
        self.count_label.setAccessibleName(self.tr("Residents shown"))

        self.list = QTreeWidget()
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.list.setHeaderLabels(
            [self.tr("Name"), self.tr("Unit"), self.tr("Floor"), self.tr("Building")]
        )
        self.list.setAccessibleName(self.tr("Residents"))
        self.list.currentItemChanged.connect(lambda *_: self._show_resident())
        self.list.setSortingEnabled(True)
        self.list.sortByColumn(0, Qt.SortOrder.AscendingOrder)

        self.resident_label = QLabel(self.tr("Choose a resident."))
        font = self.resident_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.resident_label.setFont(font)
        self.pass_button = QPushButton(self.tr("Visitor pass for a guest…"))
        self.pass_button.setAccessibleName(self.tr("Make a visitor pass for this resident's guest"))
        self.pass_button.setEnabled(False)
        self.pass_button.clicked.connect(self.new_pass_for_current)
        self.pass_button.setVisible(new_pass is not None)
        self.events_list = QListWidget()
        self.events_list.setAccessibleName(self.tr("The unit's recent events"))
        self.calls_list = QListWidget()
        self.calls_list.setAccessibleName(self.tr("The unit's recent calls"))

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.count_label)
        left_layout.addLayout(top)
        left_layout.addWidget(self.list, 1)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        heading = QHBoxLayout()
        heading.addWidget(self.resident_label, 1)
        heading.addWidget(self.pass_button)
        right_layout.addLayout(heading)
        right_layout.addWidget(QLabel(self.tr("Recent events at this unit")))
        right_layout.addWidget(self.events_list, 1)
        right_layout.addWidget(QLabel(self.tr("Recent calls to this unit")))
        right_layout.addWidget(self.calls_list, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(splitter)

        signals = store_signals(store)
        signals.roster_changed.connect(self.reload)
        signals.events_added.connect(lambda *_: self._show_resident())
        signals.calls_added.connect(lambda *_: self._show_resident())
        self.reload()

    def set_new_pass(self, new_pass: Callable[[Tenant], object] | None) -> None:
        """What "Visitor pass for a guest…" does (the desk opens the pass form)."""
        self._new_pass = new_pass
        self.pass_button.setVisible(new_pass is not None)

    # -- reading -----------------------------------------------------------------------------

    def residents(self) -> list[Tenant]:
        """The residents shown, in the list's order."""
        found: list[Tenant] = []
        for index in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(index)
            tenant = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
            if isinstance(tenant, Tenant):
                found.append(tenant)
        return found

    def current_resident(self) -> Tenant | None:
        item = self.list.currentItem()
        tenant = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        return tenant if isinstance(tenant, Tenant) else None

    def select(self, tenant_id: int) -> bool:
        for index in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(index)
            tenant = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
            if item is not None and isinstance(tenant, Tenant) and tenant.id == tenant_id:
                self.list.setCurrentItem(item)
                return True
        return False

    # -- drawing -----------------------------------------------------------------------------

    def reload(self) -> None:
        """The directory again, filtered by the search: after the roster and on search."""
        current = self.current_resident()
        buildings = self._store.buildings
        scope = list(buildings) or None
        found = self._store.directory.search(self.search_edit.text(), scope)
        self.list.setSortingEnabled(False)
        self.list.clear()
        for tenant in found:
            building = buildings.get(tenant.building_id) if tenant.building_id else None
            item = QTreeWidgetItem(
                [
                    tenant.name,
                    tenant.unit_label or "—",
                    tenant.floor or "—",
                    building.name if building else "—",
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, tenant)
            self.list.addTopLevelItem(item)
        self.list.setSortingEnabled(True)
        self.count_label.setText(self.tr("{0} shown").format(len(found)))
        if current is not None:
            self.select(current.id)
        self._show_resident()

    def _show_resident(self) -> None:
        tenant = self.current_resident()
        self.pass_button.setEnabled(tenant is not None)
        self.events_list.clear()
        self.calls_list.clear()
        if tenant is None:
            self.resident_label.setText(self.tr("Choose a resident."))
            return
        self.resident_label.setText(resident_text(tenant))
        now = self._clock.now()
        unit = tenant.unit_id
        for event in self._store.events_newest_first():
            if self.events_list.count() >= RECENT_LIMIT:
                break
            if (unit is not None and event.unit_id == unit) or event.tenant_id == tenant.id:
                zone = building_zone(self._store, event.building_id)
                self.events_list.addItem(
                    "  ·  ".join(
                        (
                            format_local_time(event.logged_at, zone, now),
                            door_label(self._store, event.door_id),
                            event.actor_display,
                            method_label(event, self._store),
                        )
                    )
                )
        for call in self._store.calls_newest_first():
            if self.calls_list.count() >= RECENT_LIMIT:
                break
            if (unit is not None and call.unit_id == unit) or call.recipient_id == tenant.id:
                zone = building_zone(self._store, call.building_id)
                self.calls_list.addItem(
                    "  ·  ".join(
                        (
                            format_local_time(call.logged_at, zone, now),
                            panel_text(call, self._store),
                            status_text(call, for_desk=False),
                        )
                    )
                )
        if not self.events_list.count():
            self.events_list.addItem(self.tr("No recent events at this unit."))
        if not self.calls_list.count():
            self.calls_list.addItem(self.tr("No recent calls to this unit."))

    def new_pass_for_current(self) -> None:
        tenant = self.current_resident()
        if tenant is not None and self._new_pass is not None:
            self._new_pass(tenant)


def guest_pass_name(tenant: Tenant) -> str:
    unit = f", {tenant.unit_label}" if tenant.unit_label else ""
    return f"Guest of {tenant.name}{unit}"[:80]


async def open_guest_pass(
    passes: PassService, tenant: Tenant, *, clock: Clock, parent: QWidget
) -> NewPassDialog:
    """The pass form, prefilled for a guest of ``tenant``, once the doors are known."""
    from bmx_console.ui.pass_dialog import NewPassDialog

    doors = await passes.doors()
    dialog = NewPassDialog(passes, doors, clock=clock, parent=parent)
    dialog.name_edit.setText(guest_pass_name(tenant))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
