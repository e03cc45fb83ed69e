"""The missed calls list: the calls nobody acknowledged, newest first, with the snapshot of
the one selected."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bmx_console.api.models import Call
from bmx_console.clock import Clock
from bmx_console.core.store import Store
from bmx_console.ui.call_text import panel_text, recipient_text, status_text
from bmx_console.ui.event_text import building_zone, format_full_time, format_local_time
from bmx_console.ui.palette_css import themed_css
from bmx_console.ui.snapshot import SnapshotView


class MissedCalls(Protocol):
    """What the list needs of the call banner that opens it."""

    @property
    def store(self) -> Store: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def fetch_image(self) -> Callable[[str], Awaitable[bytes]]: ...

    def missed_calls(self) -> list[Call]: ...

    def clear_missed(self) -> None: ...

    def is_for_desk(self, call: Call) -> bool: ...


_LIST_CSS = (
    "QTreeWidget { border: 1px solid palette(mid); border-radius: 6px; }"
    "QHeaderView::section { padding: 6px 4px; border: none;"
    " border-bottom: 1px solid palette(mid); background: palette(window);"
    " font-weight: 600; }"
)


class MissedCallsDialog(QDialog):
    """The calls nobody acknowledged, newest first, with the selected call's snapshot."""

    def __init__(self, banner: MissedCalls, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._banner = banner
        self.setWindowTitle(self.tr("Missed calls"))
        self.setAccessibleName(self.tr("Missed calls"))
        self.setModal(False)

        self.heading = QLabel()
        heading_font = self.heading.font()
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.3)
        heading_font.setWeight(QFont.Weight.DemiBold)
        self.heading.setFont(heading_font)

        self.list = QTreeWidget()
        self.list.setAccessibleName(self.tr("Missed calls, newest first"))
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAllColumnsShowFocus(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setStyleSheet(themed_css(_LIST_CSS))
        self.list.setHeaderLabels(
            [self.tr("Time"), self.tr("Panel"), self.tr("For"), self.tr("Outcome")]
        )
        header = self.list.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in ((0, 125), (1, 160), (2, 165)):
            self.list.setColumnWidth(column, width)
        self.list.currentItemChanged.connect(self._selected)

        self.snapshot = SnapshotView(banner.fetch_image, parent=self)
        self.snapshot.setFixedSize(QSize(320, 180))

        body = QHBoxLayout()
        body.setSpacing(16)
        body.addWidget(self.list, 1)
        side = QVBoxLayout()
        side.addWidget(self.snapshot)
        side.addStretch(1)
        body.addLayout(side)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.clear_button = self.buttons.addButton(
            self.tr("Clear list"), QDialogButtonBox.ButtonRole.ResetRole
        )
        self.clear_button.setAccessibleName(self.tr("Clear the missed calls list"))
        self.clear_button.clicked.connect(banner.clear_missed)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(self.tr("Close missed calls"))
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 20, 22, 16)
        layout.setSpacing(14)
        layout.addWidget(self.heading)
        layout.addLayout(body, 1)
        layout.addWidget(self.buttons)
        self.resize(1060, 440)

    def reload(self) -> None:
        banner = self._banner
        calls = banner.missed_calls()
        self.heading.setText(
            self.tr("No missed calls")
            if not calls
            else self.tr("1 missed call")
            if len(calls) == 1
            else self.tr("{0} missed calls").format(len(calls))
        )
        now = banner.clock.now()
        self.list.clear()
        for call in calls:
            zone = building_zone(banner.store, call.building_id)
            item = QTreeWidgetItem(
                [
                    format_local_time(call.logged_at, zone, now),
                    panel_text(call, banner.store),
                    recipient_text(call, for_desk=banner.is_for_desk(call), store=banner.store),
                    status_text(call, for_desk=banner.is_for_desk(call), missed=True),
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, call)
            item.setSizeHint(0, QSize(0, 32))
            item.setToolTip(0, format_full_time(call.logged_at, zone))
            self.list.addTopLevelItem(item)
        self.clear_button.setEnabled(bool(calls))
        first = self.list.topLevelItem(0)
        if first is not None:
            self.list.setCurrentItem(first)
        else:
            self.snapshot.clear()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.list.setStyleSheet(themed_css(_LIST_CSS))

    def _selected(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        call = current.data(0, Qt.ItemDataRole.UserRole) if current is not None else None
        self.snapshot.load(call.image_url if isinstance(call, Call) else None)
