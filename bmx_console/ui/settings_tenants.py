"""The Settings dialog's "Release tenants" part: each building in the desk's scope with the
front-desk tenant its doors are released as (``[release_tenants]``).

ButterflyMX refuses a release made as a tenant of another building, so every building needs
its own front-desk tenant; a building without one cannot have its doors released from this
desk, and this part says plainly which buildings are still without. "Suggest" loads the
building's tenants (through the dialog's ``list_tenants``) and picks the one named most like
"Front Desk".
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from bmx_console.core.commands import suggest_release_tenant
from bmx_console.ui.dialog_kit import StatusLine, muted, tone_color
from bmx_console.ui.qt_async import spawn

if TYPE_CHECKING:
    from bmx_console.api.models import Tenant

# Loads the tenants of one building (with the settings as typed in the dialog).
LoadTenants = Callable[[int], Awaitable[list["Tenant"]]]


class ReleaseTenants(QWidget):
    """One row per building: its name, its tenant id (editable) and "Suggest"; ``changed``
    fires on every edit."""

    changed = Signal()

    def __init__(
        self,
        buildings: Sequence[tuple[int, str]],
        current: Sequence[tuple[int, int]],
        *,
        load_tenants: LoadTenants,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._load_tenants = load_tenants
        self._names = dict(buildings)
        table = dict(current)
        # Buildings in the settings but not in this desk's roster keep their tenant.
        self._kept = {b: t for b, t in table.items() if b not in self._names}
        self.edits: dict[int, QLineEdit] = {}
        self.suggest_buttons: dict[int, QPushButton] = {}
        self.statuses: dict[int, StatusLine] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        title = QLabel(self.tr("Release tenants"))
        font = title.font()
        font.setWeight(font.Weight.DemiBold)
        title.setFont(font)
        layout.addWidget(title)
        layout.addWidget(
            muted(
                self.tr(
                    "Each building's own front-desk tenant: ButterflyMX releases a door only "
                    "as a tenant of that door's building."
                ),
                small=True,
            )
        )
        grid = QGridLayout()
        # Lined up with the dialog's own fields above.
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(4)
        grid.setColumnMinimumWidth(0, 170)
        for row, (building_id, name) in enumerate(buildings):
            label = QLabel(name)
            edit = QLineEdit()
            edit.setObjectName(f"release_tenant_{building_id}")
            edit.setAccessibleName(self.tr("Release tenant for {0}").format(name))
            edit.setPlaceholderText(self.tr("None"))
            edit.setMaximumWidth(200)
            edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            edit.setMinimumHeight(30)
            edit.setClearButtonEnabled(True)
            tenant = table.get(building_id)
            edit.setText("" if tenant is None else str(tenant))
            edit.textChanged.connect(self._edited)
            label.setBuddy(edit)
            suggest = QPushButton(self.tr("Suggest"))
            suggest.setAccessibleName(self.tr("Suggest the front-desk tenant of {0}").format(name))
            suggest.setAutoDefault(False)
            suggest.clicked.connect(lambda _=False, b=building_id: self.suggest(b))
            status = StatusLine()
            grid.addWidget(label, row * 2, 0, Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(edit, row * 2, 1)
            grid.addWidget(suggest, row * 2, 2)
            grid.addWidget(status, row * 2 + 1, 1, 1, 3)
            grid.setColumnStretch(3, 1)
            self.edits[building_id] = edit
            self.suggest_buttons[building_id] = suggest
            self.statuses[building_id] = status
        layout.addLayout(grid)
        if not buildings:
            layout.addWidget(
                muted(self.tr("The buildings show here once the desk has loaded its doors."))
            )
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("Buildings without a release tenant"))
        layout.addWidget(self.summary)
        self._layout = layout
        # The dialog's Release tenant ID as typed: what a building without its own uses.
        self._fallback = ""
        self._edited()

    def set_fallback(self, tenant_text: str) -> None:
        if tenant_text.strip() != self._fallback:
            self._fallback = tenant_text.strip()
            self._summarise()

    def add_note(self, note: QWidget) -> None:
        """Where the dialog says what breaks the config's rule (a tenant id that is not one)."""
        self._layout.addWidget(note)

    def value(self) -> dict[str, str]:
        """``[release_tenants]`` as typed (building id -> tenant id text; empty rows left out),
        for the config's own rules to check."""
        table = {str(b): str(t) for b, t in self._kept.items()}
        for building_id, edit in self.edits.items():
            if edit.text().strip():
                table[str(building_id)] = edit.text().strip()
        return table

    def without_tenant(self) -> list[str]:
        return [self._names[b] for b, edit in self.edits.items() if not edit.text().strip()]

    def _edited(self) -> None:
        self._summarise()
        self.changed.emit()

    def _summarise(self) -> None:
        missing = self.without_tenant()
        palette = self.summary.palette()
        palette.setColor(
            self.summary.foregroundRole(),
            tone_color(self, "warning") if missing else tone_color(self, "ok"),
        )
        self.summary.setPalette(palette)
        if missing and self._fallback:
            self.summary.setText(
                self.tr(
                    "Without a release tenant of their own: {0}. Their doors are released as "
                    "the Release tenant ID above, which ButterflyMX accepts only in its own "
                    "building."
                ).format(", ".join(missing))
            )
        elif missing:
            self.summary.setText(
                self.tr(
                    "Still without a release tenant: {0}. Their doors cannot be released."
                ).format(", ".join(missing))
            )
        elif self.edits:
            self.summary.setText(self.tr("Every building has a release tenant."))
        else:
            self.summary.setText("")

    def suggest(self, building_id: int) -> None:
        """Load the building's tenants and fill in the one named most like "Front Desk"."""
        status = self.statuses[building_id]
        status.show_message(
            "busy", self.tr("Loading the tenants of {0}…").format(self._names[building_id])
        )
        self.suggest_buttons[building_id].setEnabled(False)
        spawn(self._suggest(building_id), name=self.tr("Suggesting a release tenant"))

    async def _suggest(self, building_id: int) -> None:
        status = self.statuses[building_id]
        name = self._names[building_id]
        try:
            tenants = await self._load_tenants(building_id)
        except Exception as exc:
            status.show_message("error", str(exc) or type(exc).__name__)
            return
        finally:
            self.suggest_buttons[building_id].setEnabled(True)
        best = suggest_release_tenant(tenants)
        if best is None:
            status.show_message(
                "error",
                self.tr("No tenant of {0} is named like “Front Desk”: type its id.").format(name),
            )
            return
        self.edits[building_id].setText(str(best.id))
        status.show_message("ok", self.tr("Suggested {0} (tenant {1}).").format(best.name, best.id))
