"""The door table view: keyboard releases, the empty-list message and the stale veil."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QTableView, QWidget

from bmx_console.ui.door_model import door_id_of


class DoorTableView(QTableView):
    """The table, plus: Enter or Space releases the selected door, an empty-list message,
    and a veil over the rows while the list is stale."""

    release_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.placeholder = ""
        self.stale = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            if not event.isAutoRepeat():
                door_id = door_id_of(self.currentIndex())
                if door_id is not None:
                    self.release_requested.emit(door_id)
            event.accept()
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        painter = QPainter(self.viewport())
        if self.stale:
            veil = QColor(self.palette().color(QPalette.ColorRole.Window))
            veil.setAlphaF(0.45)
            painter.fillRect(self.viewport().rect(), veil)
        if model is not None and model.rowCount() == 0 and self.placeholder:
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            larger = QFont(self.font())
            larger.setPointSizeF(larger.pointSizeF() * 1.1)
            painter.setFont(larger)
            painter.drawText(
                self.viewport().rect().adjusted(24, 24, -24, -24),
                Qt.AlignmentFlag.AlignHCenter
                | Qt.AlignmentFlag.AlignTop
                | Qt.TextFlag.TextWordWrap,
                self.placeholder,
            )
        painter.end()
