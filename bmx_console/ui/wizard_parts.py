"""The first-run wizard's own widgets: the choice cards, the step column, page headings."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QEnterEvent, QFocusEvent, QKeyEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from bmx_console.ui import icons
from bmx_console.ui.dialog_kit import (
    heading,
    icon_pixmap,
    muted,
    muted_color,
    scaled_font,
)

# The list rows' item data: a building or tenant id, or None for "All buildings".
ID_ROLE = Qt.ItemDataRole.UserRole + 10


class ChoiceCard(QAbstractButton):
    """A large button with an icon, a title and a sentence: one of the welcome choices."""

    def __init__(
        self, icon: str, title: str, description: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._icon = icon
        self._description = description
        self._hover = False
        self.setText(title)
        self.setAccessibleName(title)
        self.setAccessibleDescription(description)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumHeight(92)

    def sizeHint(self) -> QSize:
        return QSize(420, 92)

    def enterEvent(self, event: QEnterEvent) -> None:
        self._hover = True
        self.update()
        super().enterEvent(event)

    def leaveEvent(self, event: Any) -> None:
        self._hover = False
        self.update()
        super().leaveEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.click()
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.palette()
        accent = palette.color(QPalette.ColorRole.Highlight)
        active = self._hover or self.hasFocus() or self.isDown()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        frame = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        painter.setPen(accent if active else palette.color(QPalette.ColorRole.Mid))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(frame, 10, 10)
        icon_box = QRectF(20, (self.height() - 44) / 2, 44, 44)
        tint = (
            accent.lighter(185)
            if palette.color(QPalette.ColorRole.Base).lightness() > 128
            else accent.darker(200)
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(tint)
        painter.drawRoundedRect(icon_box, 10, 10)
        icons_rect = icon_box.adjusted(10, 10, -10, -10)
        painter.drawPixmap(icons_rect.toRect(), icon_pixmap(self._icon, accent, 24))
        left = icon_box.right() + 18
        width = self.width() - left - 48
        title_font = scaled_font(self, 1.15, bold=True)
        painter.setFont(title_font)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.drawText(
            QRectF(left, 18, width, 26),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            self.text(),
        )
        painter.setFont(self.font())
        painter.setPen(muted_color(self))
        painter.drawText(
            QRectF(left, 46, width, self.height() - 52),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap),
            self._description,
        )
        middle = self.height() / 2
        pen = painter.pen()
        pen.setColor(accent if active else muted_color(self))
        pen.setWidthF(2.0)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        right = self.width() - 28
        painter.drawPolyline(
            [
                QPointF(right - 5, middle - 7),
                QPointF(right + 2, middle),
                QPointF(right - 5, middle + 7),
            ]
        )
        painter.end()


def page_header(layout: QVBoxLayout, title: str, subtitle: str) -> None:
    layout.addWidget(heading(title))
    layout.addWidget(muted(subtitle))
    layout.addSpacing(14)


class StepList(QWidget):
    """The wizard's side column: where the operator is, and what is left."""

    def __init__(self, steps: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wizardSteps")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("QWidget#wizardSteps { background: palette(alternate-base); }")
        self.setFixedWidth(200)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 28, 16, 20)
        layout.setSpacing(14)
        logo = QLabel()
        logo.setPixmap(icons.app_icon().pixmap(QSize(40, 40)))
        layout.addWidget(logo)
        name = QLabel("bmx-console")
        name.setFont(scaled_font(name, 1.1, bold=True))
        layout.addWidget(name)
        layout.addSpacing(10)
        self._labels: list[QLabel] = []
        for number, step in enumerate(steps, start=1):
            label = QLabel(f"{number}   {step}")
            self._labels.append(label)
            layout.addWidget(label)
        layout.addStretch(1)
        self.set_current(0)

    def set_current(self, index: int) -> None:
        # The side column has a style sheet (its background), so its labels take their
        # colours from style sheets too: a palette set on them would be ignored.
        palette = self.palette()
        for position, label in enumerate(self._labels):
            if position == index:
                color, weight = palette.color(QPalette.ColorRole.Highlight), "bold"
            elif position < index:
                color, weight = palette.color(QPalette.ColorRole.WindowText), "normal"
            else:
                color, weight = muted_color(self), "normal"
            label.setStyleSheet(f"color: {color.name()}; font-weight: {weight};")
