"""The wizard's two list pages: the building, then the tenant that releases doors.

Both load what the typed credentials really see, through the wizard's callables, and keep
what they loaded while the credentials stay the same.
"""

from __future__ import annotations

import asyncio
from typing import Any, Protocol

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from bmx_console.api.models import Building, Tenant
from bmx_console.config import Settings
from bmx_console.core.commands import suggest_release_tenant
from bmx_console.ports import SettingsAccess
from bmx_console.ui.dialog_kit import (
    BADGE_ROLE,
    SUBTITLE_ROLE,
    StatusLine,
    TwoLineDelegate,
    line_icon,
    reported_on,
)
from bmx_console.ui.qt_async import spawn
from bmx_console.ui.wizard_parts import ID_ROLE, page_header


class ListContext(Protocol):
    """What a list page needs of its wizard."""

    access: SettingsAccess

    def draft_and_secret(self) -> tuple[Settings, str | None]: ...

    def credentials_key(self) -> tuple[Any, ...]: ...


class _ListPage(QWizardPage):
    """A page that loads a list from the cloud, with a spinner, a retry and a filter."""

    def __init__(self, wizard: ListContext, title: str, subtitle: str, filter_hint: str) -> None:
        super().__init__()
        self._wizard = wizard
        self._task: asyncio.Task[Any] | None = None
        self._loaded_for: tuple[Any, ...] | None = None
        self.loaded = False
        layout = self.body = QVBoxLayout(self)
        layout.setSpacing(8)
        page_header(layout, title, subtitle)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(filter_hint)
        self.filter.setAccessibleName(filter_hint)
        self.filter.setClearButtonEnabled(True)
        self.filter.setMinimumHeight(30)
        self.filter.addAction(line_icon("search", self), QLineEdit.ActionPosition.LeadingPosition)
        self.filter.textChanged.connect(self._apply_filter)
        layout.addWidget(self.filter)
        self.list = QListWidget()
        self.list.setAccessibleName(title)
        self.list.setItemDelegate(TwoLineDelegate(self.list))
        self.list.setIconSize(QSize(22, 22))
        self.list.setUniformItemSizes(True)
        self.list.itemSelectionChanged.connect(self.completeChanged)
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.status = StatusLine()
        self.retry = QPushButton(line_icon("refresh", self), self.tr("Try again"))
        self.retry.setAccessibleName(self.tr("Try again"))
        self.retry.setAutoDefault(False)
        self.retry.setVisible(False)
        self.retry.clicked.connect(lambda: self._load(force=True))
        row.addWidget(self.status, 1)
        row.addWidget(self.retry, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(row)

    def _key(self) -> tuple[Any, ...]:
        raise NotImplementedError

    async def _fetch(self) -> list[Any]:
        raise NotImplementedError

    def _fill(self, records: list[Any]) -> None:
        raise NotImplementedError

    def _loading_text(self) -> str:
        raise NotImplementedError

    def initializePage(self) -> None:
        self._load(force=False)

    def _load(self, *, force: bool) -> None:
        key = self._key()
        if not force and key == self._loaded_for and (self.loaded or self._task is not None):
            return
        self.cancel()
        self._loaded_for = key
        self.loaded = False
        self.list.clear()
        self.retry.setVisible(False)
        self.status.show_message("busy", self._loading_text())
        self._task = spawn(self._run(), name=self._loading_text().rstrip("…"))
        self.completeChanged.emit()

    async def _run(self) -> None:
        try:
            ok, records = await reported_on(
                self.status,
                self._fetch(),
                self.tr("Loading failed unexpectedly ({0}); the log has details."),
                failed=lambda: self.retry.setVisible(True),
            )
            if ok and records is not None:
                self.status.clear()
                self._fill(records)
                self.loaded = True
                self._apply_filter()
        finally:
            self._task = None
            self.completeChanged.emit()

    def _apply_filter(self) -> None:
        words = self.filter.text().casefold().split()
        for row in range(self.list.count()):
            item = self.list.item(row)
            text = f"{item.text()} {item.data(SUBTITLE_ROLE) or ''}".casefold()
            item.setHidden(bool(words) and not all(w in text for w in words))

    def selected_id(self) -> tuple[bool, int | None]:
        """(whether a row is selected, its id: None for "All buildings")."""
        items = self.list.selectedItems()
        if not items:
            return False, None
        return True, items[0].data(ID_ROLE)

    def cancel(self) -> None:
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()


class BuildingPage(_ListPage):
    def __init__(self, wizard: ListContext) -> None:
        super().__init__(
            wizard,
            self.tr("Which building does this desk watch?"),
            self.tr(
                "Pick one building, or all the buildings these credentials can see. "
                "Doors, events and calls are shown for the buildings picked here."
            ),
            self.tr("Filter buildings"),
        )
        self.buildings: list[Building] = []

    def _key(self) -> tuple[Any, ...]:
        return self._wizard.credentials_key()

    def _loading_text(self) -> str:
        return self.tr("Loading the buildings…")

    async def _fetch(self) -> list[Any]:
        draft, secret = self._wizard.draft_and_secret()
        return await self._wizard.access.list_buildings(draft, secret)

    def _fill(self, records: list[Any]) -> None:
        self.buildings = list(records)
        everything = QListWidgetItem(line_icon("building", self), self.tr("All buildings"))
        everything.setData(
            SUBTITLE_ROLE,
            self.tr("Every building these credentials can see ({0})").format(len(records)),
        )
        everything.setData(ID_ROLE, None)
        self.list.addItem(everything)
        for building in records:
            item = QListWidgetItem(line_icon("building", self), building.name)
            details = [
                building.address,
                building.time_zone or "",
                self.tr("id {0}").format(building.id),
            ]
            item.setData(SUBTITLE_ROLE, " · ".join(d for d in details if d))
            item.setData(ID_ROLE, building.id)
            self.list.addItem(item)
        self.list.setCurrentRow(1 if len(records) == 1 else 0)

    def isComplete(self) -> bool:
        return self.loaded and self.selected_id()[0]

    @property
    def building_id(self) -> int | None:
        return self.selected_id()[1]

    def building_name(self) -> str:
        chosen = self.building_id
        if chosen is None:
            return self.tr("All buildings")
        return next((b.name for b in self.buildings if b.id == chosen), str(chosen))


class TenantPage(_ListPage):
    def __init__(self, wizard: ListContext, building_page: BuildingPage) -> None:
        self._building_page = building_page
        super().__init__(
            wizard,
            self.tr("Release doors as…"),
            self.tr(
                "ButterflyMX releases a door on behalf of a tenant. Properties set up a "
                "placeholder tenant for the front desk, such as “Front Desk”."
            ),
            self.tr("Filter tenants by name or unit"),
        )
        self.tenants: list[Tenant] = []
        self.suggested: Tenant | None = None
        self.later = QCheckBox(
            self.tr("Choose later (door release stays off until a release tenant is set)")
        )
        self.later.setAccessibleName(self.tr("Choose the release tenant later"))
        self.later.toggled.connect(self._later_toggled)
        self.body.insertWidget(self.body.count() - 1, self.later)
        # Several buildings: one choice per building, since ButterflyMX releases a door only
        # as a tenant of the door's own building.
        self._per_building = QWidget()
        self._choices_form = QFormLayout(self._per_building)
        self._choices_form.setContentsMargins(0, 6, 0, 6)
        self._choices_form.setVerticalSpacing(10)
        self._choices: dict[int, QComboBox] = {}
        self._per_building.setVisible(False)
        self.body.insertWidget(self.body.indexOf(self.list) + 1, self._per_building, 1)

    def _later_toggled(self, later: bool) -> None:
        self.list.setEnabled(not later)
        self.filter.setEnabled(not later)
        self._per_building.setEnabled(not later)
        self.completeChanged.emit()

    def _key(self) -> tuple[Any, ...]:
        return (*self._wizard.credentials_key(), self._building_page.building_id)

    def _loading_text(self) -> str:
        return self.tr("Loading the tenants…")

    async def _fetch(self) -> list[Any]:
        draft, secret = self._wizard.draft_and_secret()
        return await self._wizard.access.list_tenants(
            draft, secret, self._building_page.building_id
        )

    @property
    def several_buildings(self) -> bool:
        """All buildings were chosen and there is more than one."""
        return self._building_page.building_id is None and len(self._building_page.buildings) > 1

    def _fill(self, records: list[Any]) -> None:
        self.tenants = list(records)
        several = self.several_buildings
        self.list.setVisible(not several)
        self.filter.setVisible(not several)
        self._per_building.setVisible(several)
        if several:
            self._fill_per_building()
            return
        self.suggested = suggest_release_tenant(self.tenants)
        names = {b.id: b.name for b in self._building_page.buildings}
        ordered = sorted(self.tenants, key=lambda t: t is not self.suggested)
        for tenant in ordered:
            item = QListWidgetItem(line_icon("person", self), tenant.name)
            details = [self.tr("unit {0}").format(tenant.unit_label) if tenant.unit_label else ""]
            if several and tenant.building_id is not None:
                details.append(names.get(tenant.building_id, str(tenant.building_id)))
            details.append(self.tr("id {0}").format(tenant.id))
            item.setData(SUBTITLE_ROLE, " · ".join(d for d in details if d))
            item.setData(ID_ROLE, tenant.id)
            if tenant is self.suggested:
                item.setData(BADGE_ROLE, self.tr("Suggested"))
            self.list.addItem(item)
        if self.suggested is not None:
            self.list.setCurrentRow(0)
            self.status.show_message(
                "ok",
                self.tr("“{0}” looks like the front desk's placeholder tenant.").format(
                    self.suggested.name
                ),
            )
        elif self.tenants:
            self.status.show_message(
                "warning",
                self.tr(
                    "No tenant is named like “Front Desk”: pick the placeholder tenant the "
                    "property uses, or ask ButterflyMX to set one up."
                ),
            )
        else:
            self.status.show_message(
                "warning", self.tr("These credentials see no tenants in this building.")
            )

    def _fill_per_building(self) -> None:
        while self._choices_form.rowCount():
            self._choices_form.removeRow(0)
        self._choices.clear()
        for building in self._building_page.buildings:
            theirs = [t for t in self.tenants if t.building_id == building.id]
            suggested = suggest_release_tenant(theirs)
            combo = QComboBox()
            combo.setAccessibleName(self.tr("Release tenant for {0}").format(building.name))
            combo.addItem(self.tr("None yet: its doors cannot be released"), None)
            for tenant in sorted(theirs, key=lambda t: (t is not suggested, t.name.casefold())):
                unit = self.tr(" · unit {0}").format(tenant.unit_label) if tenant.unit_label else ""
                combo.addItem(f"{tenant.name}{unit} · id {tenant.id}", tenant.id)
            if suggested is not None:
                combo.setCurrentIndex(combo.findData(suggested.id))
            combo.currentIndexChanged.connect(self._show_coverage)
            label = QLabel(building.name)
            label.setTextFormat(Qt.TextFormat.PlainText)
            self._choices_form.addRow(label, combo)
            self._choices[building.id] = combo
        self._show_coverage()

    def _show_coverage(self) -> None:
        missing = [
            b.name
            for b in self._building_page.buildings
            if self.tenants_by_building.get(b.id) is None
        ]
        if not missing:
            self.status.show_message(
                "ok",
                self.tr("Each building has a front-desk tenant (suggested from their names)."),
            )
        else:
            self.status.show_message(
                "warning",
                self.tr(
                    "Still without a release tenant: {0}. Their doors cannot be released "
                    "until one is chosen here or in Settings."
                ).format(", ".join(missing)),
            )

    @property
    def tenants_by_building(self) -> dict[int, int]:
        """Building id -> the tenant chosen for it (several-buildings mode)."""
        if self.later.isChecked():
            return {}
        return {
            building: combo.currentData()
            for building, combo in self._choices.items()
            if combo.currentData() is not None
        }

    def isComplete(self) -> bool:
        if self.later.isChecked():
            return True
        if self.several_buildings:
            return self.loaded
        return self.loaded and self.selected_id()[0]

    @property
    def tenant(self) -> Tenant | None:
        """The one tenant chosen for a one-building desk."""
        if self.later.isChecked() or self.several_buildings:
            return None
        chosen = self.selected_id()[1]
        return next((t for t in self.tenants if t.id == chosen), None)

    def tenant_named(self, tenant_id: int) -> Tenant | None:
        return next((t for t in self.tenants if t.id == tenant_id), None)
