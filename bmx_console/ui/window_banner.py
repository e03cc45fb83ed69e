"""The strip across the top of the desk window (signed out, errors): an icon, the title, the
sentence, the technical details behind a Details toggle, optional actions, dismiss."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from bmx_console.ui.theme import state_colors, theme_changed


class Banner(QFrame):
    """A strip across the top of the window: icon, message, optional actions, dismiss."""

    dismissed = Signal()

    def __init__(
        self,
        tone: str,
        icon_name: str,
        *,
        accessible_name: str,
        dismissable: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tone = tone
        self._icon_name = icon_name
        self.setObjectName("banner")
        self.setAccessibleName(accessible_name)
        self.icon = QLabel(self)
        self.title = QLabel(self)
        title_font = QFont(self.font())
        title_font.setWeight(QFont.Weight.DemiBold)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.05)
        self.title.setFont(title_font)
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # The technical part (HTTP status, endpoint) behind a toggle: the sentence says what
        # happened and what to do, the details are for whoever reads the log with it.
        self.details_button = QToolButton(self)
        self.details_button.setText(self.tr("Details"))
        self.details_button.setCheckable(True)
        self.details_button.setAutoRaise(True)
        self.details_button.setAccessibleName(self.tr("Show the technical details"))
        self.details_button.hide()
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.hide()
        self.details_button.toggled.connect(self.details.setVisible)
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.title)
        text.addWidget(self.detail)
        text.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignLeft)
        text.addWidget(self.details)
        self._actions = QHBoxLayout()
        self._actions.setSpacing(8)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 10, 10, 10)
        layout.setSpacing(12)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(text, 1)
        layout.addLayout(self._actions)
        self.close_button: QToolButton | None = None
        if dismissable:
            self.close_button = QToolButton(self)
            self.close_button.setAutoRaise(True)
            self.close_button.setAccessibleName(self.tr("Dismiss"))
            self.close_button.setToolTip(self.tr("Dismiss"))
            self.close_button.clicked.connect(self._dismiss)
            layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()
        self._restyle()
        theme_changed().connect(self._restyle)

    def add_action(self, text: str, accessible_name: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(accessible_name)
        button.setMinimumHeight(32)
        self._actions.addWidget(button)
        return button

    def show_message(self, title: str, detail: str = "", details: str = "") -> None:
        self.title.setText(title)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.details.setText(details)
        self.details_button.setChecked(False)
        self.details_button.setVisible(bool(details))
        self.setAccessibleDescription(f"{title}. {detail}" if detail else title)
        self.show()

    def _dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()

    def _restyle(self) -> None:
        from bmx_console.ui import icons

        palette = QApplication.palette()
        colors = state_colors(palette)
        tone = {"danger": colors.danger, "warning": colors.warning}.get(self._tone, colors.info)
        window = palette.color(QPalette.ColorRole.Window)
        text = palette.color(QPalette.ColorRole.WindowText)
        self.setStyleSheet(
            f"#banner {{ background: {colors.tint(tone, window, 0.14).name()};"
            f" border: 1px solid {colors.tint(tone, window, 0.45).name()};"
            " border-radius: 8px; }"
        )
        # The tone's word colour on its tint is 4.5:1 at least only in the darker half.
        self.title.setStyleSheet(f"color: {text.name()};")
        self.detail.setStyleSheet(f"color: {text.name()};")
        self.details.setStyleSheet(f"color: {text.name()};")
        self.icon.setPixmap(icons.pixmap(self._icon_name, tone, 22, self.devicePixelRatioF()))
        if self.close_button is not None:
            self.close_button.setIcon(icons.icon("close", text))
