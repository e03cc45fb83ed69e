"""One event's details and snapshot, in a window of its own."""

from __future__ import annotations

from datetime import UTC

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from bmx_console.api.models import AccessEvent
from bmx_console.core.store import Store
from bmx_console.ui.event_kinds import kind_color, kind_icon, kind_label
from bmx_console.ui.event_text import (
    building_zone,
    door_label,
    format_full_time,
    method_label,
    unit_label,
    who_label,
)
from bmx_console.ui.palette_css import is_dark, themed_css
from bmx_console.ui.snapshot import FetchImage, SnapshotView


class EventDetailsDialog(QDialog):
    """Every field of one event and its snapshot. Non-modal: the desk keeps working."""

    def __init__(
        self,
        event: AccessEvent,
        store: Store,
        *,
        fetch_image: FetchImage,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.access_event = event
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setModal(False)
        door = door_label(store, event.door_id)
        kind = kind_label(event.kind)
        self.setWindowTitle(self.tr("{kind} — {door}").format(kind=kind, door=door))
        self.setAccessibleName(self.tr("Event details"))

        self.field_labels: dict[str, QLabel] = {}
        grid = self._field_grid(self._fields(event, store, door, kind))
        self.snapshot = SnapshotView(fetch_image, parent=self)
        self.snapshot.setMinimumSize(QSize(400, 225))
        body = QHBoxLayout()
        body.setSpacing(24)
        body.addLayout(grid, 1)
        snapshot_column = QVBoxLayout()
        snapshot_column.addWidget(self.snapshot)
        snapshot_column.addStretch(1)
        body.addLayout(snapshot_column, 0)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(self.tr("Close event details"))
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 22, 24, 18)
        layout.setSpacing(18)
        layout.addLayout(self._heading(event, store, door, kind))
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(line)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)
        self.resize(860, 420)
        self.snapshot.load(event.image_url)

    def _heading(self, event: AccessEvent, store: Store, door: str, kind: str) -> QHBoxLayout:
        """The kind's badge, "<kind> at <door>" and the time in the building's zone."""
        title = QLabel(self.tr("{kind} at {door}").format(kind=kind, door=door))
        title_font = title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.45)
        title_font.setWeight(QFont.Weight.DemiBold)
        title.setFont(title_font)
        zone = building_zone(store, event.building_id)
        subtitle = QLabel(format_full_time(event.logged_at, zone))
        subtitle.setStyleSheet(themed_css("color: palette(placeholder-text);"))
        badge = QLabel()
        badge.setPixmap(kind_icon(event.kind, is_dark()).pixmap(QSize(32, 32)))
        badge.setFixedSize(40, 40)
        badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        tint = kind_color(event.kind, is_dark())
        badge.setStyleSheet(
            f"background: rgba({tint.red()},{tint.green()},{tint.blue()},40);border-radius: 20px;"
        )
        heading = QHBoxLayout()
        heading.setSpacing(14)
        heading.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(title)
        titles.addWidget(subtitle)
        heading.addLayout(titles, 1)
        return heading

    def _fields(
        self, event: AccessEvent, store: Store, door: str, kind: str
    ) -> list[tuple[str, str]]:
        """(caption, value) for every field shown, in order."""
        building = store.buildings.get(event.building_id) if event.building_id else None

        def dash(value: object) -> str:
            return "—" if value in (None, "") else str(value)

        return [
            (self.tr("Who"), who_label(event)),
            (self.tr("Door"), self.tr("{0} (id {1})").format(door, dash(event.door_id))),
            (self.tr("Building"), building.name if building else dash(event.building_id)),
            (self.tr("Result"), dash(event.release_status)),
            (self.tr("Kind"), kind),
            (self.tr("Release type"), dash(event.release_type)),
            (self.tr("Method"), method_label(event, store)),
            (self.tr("Unit"), unit_label(store, event.unit_id)),
            (self.tr("Tenant"), dash(event.tenant_id)),
            (self.tr("Pass (keychain)"), dash(event.keychain_id)),
            (
                self.tr("Logged (UTC)"),
                event.logged_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            ),
            (self.tr("Event id"), str(event.id)),
        ]

    def _field_grid(self, fields: list[tuple[str, str]]) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(8)
        for row, (name, value) in enumerate(fields):
            caption = QLabel(name)
            caption.setStyleSheet(themed_css("color: palette(placeholder-text);"))
            shown = QLabel(value)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setWordWrap(True)
            shown.setAccessibleName(name)
            grid.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(shown, row, 1, Qt.AlignmentFlag.AlignTop)
            self.field_labels[name] = shown
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(len(fields), 1)
        return grid
