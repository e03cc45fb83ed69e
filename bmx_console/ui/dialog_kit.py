"""Small pieces the dialogs share: icons, a spinner, a status line, field notes, headings.

Colours come from the palette and the theme's state colours, so the dialogs follow the OS
light or dark scheme; icons are the console's own family (``icons.py``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Literal, TypeVar

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHideEvent,
    QIcon,
    QPainter,
    QPaintEvent,
    QPalette,
    QPixmap,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from bmx_console.errors import BmxError
from bmx_console.ui import icons
from bmx_console.ui.theme import mix, state_colors

T = TypeVar("T")

Tone = Literal["info", "busy", "ok", "warning", "error"]

_ALIASES = {"ok": "check_circle", "busy": "info"}


def tone_color(widget: QWidget, tone: Tone) -> QColor:
    colors = state_colors(widget.palette())
    return {
        "ok": colors.success,
        "warning": colors.warning,
        "error": colors.danger,
        "busy": colors.info,
        "info": muted_color(widget),
    }[tone]


def muted_color(widget: QWidget) -> QColor:
    """Secondary text: the text colour pulled towards the background, readable on both."""
    palette = widget.palette()
    return mix(
        palette.color(QPalette.ColorRole.WindowText),
        palette.color(QPalette.ColorRole.Window),
        0.4,
    )


def icon_pixmap(name: str, color: QColor, size: int, ratio: float = 2.0) -> QPixmap:
    return icons.pixmap(_ALIASES.get(name, name), color, size, ratio)


def line_icon(name: str, widget: QWidget, tone: Tone | None = None) -> QIcon:
    """An icon in the widget's text colour (or a state colour), crisp at any size; on a
    selected row it takes the selection's text colour, so that it never sinks into it."""
    palette = widget.palette()
    color = (
        palette.color(QPalette.ColorRole.ButtonText) if tone is None else tone_color(widget, tone)
    )
    modes = (
        (QIcon.Mode.Normal, color),
        (
            QIcon.Mode.Disabled,
            palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText),
        ),
        (QIcon.Mode.Selected, palette.color(QPalette.ColorRole.HighlightedText)),
    )
    result = QIcon()
    for size in (16, 20, 24, 32):
        for ratio in (1.0, 2.0):
            for mode, shade in modes:
                result.addPixmap(icon_pixmap(name, shade, size, ratio), mode)
    return result


def scaled_font(widget: QWidget, factor: float, *, bold: bool = False) -> QFont:
    font = QFont(widget.font())
    size = font.pointSizeF()
    if size > 0:
        font.setPointSizeF(size * factor)
    font.setBold(bold)
    return font


def heading(text: str, *, level: int = 1) -> QLabel:
    label = QLabel(text)
    label.setFont(scaled_font(label, {1: 1.55, 2: 1.2, 3: 1.05}.get(level, 1.0), bold=True))
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label


def muted(text: str, *, small: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, muted_color(label))
    label.setPalette(palette)
    if small:
        label.setFont(scaled_font(label, 0.92))
    return label


def separator() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Plain)
    palette = line.palette()
    palette.setColor(QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.Mid))
    line.setPalette(palette)
    return line


class Spinner(QWidget):
    """The console's turning arc for work in progress; it only ticks while shown."""

    def __init__(self, size: int = 18, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._frame = 0
        self._timer = QTimer(self)
        self._timer.setInterval(1000 // icons.SPINNER_FRAMES)
        self._timer.timeout.connect(self._tick)
        self.setFixedSize(QSize(size, size))
        self.setAccessibleName(self.tr("Working"))

    def _tick(self) -> None:
        self._frame += 1
        self.update()

    def showEvent(self, event: QShowEvent) -> None:
        self._timer.start()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()
        super().hideEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        color = self.palette().color(QPalette.ColorRole.Highlight)
        icons.paint_spinner(painter, QRectF(self.rect()), color, self._frame)
        painter.end()


class StatusLine(QWidget):
    """One sentence with an icon (or a spinner while busy): results of tests and commands.

    The sentence stays selectable, so that an operator can copy an error into a ticket.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tone: Tone = "info"
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self._icon = QLabel()
        self._icon.setFixedSize(20, 20)
        self._spinner = Spinner(18)
        self._text = QLabel()
        self._text.setWordWrap(True)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self._spinner, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self._text, 1)
        self.clear()

    @property
    def text(self) -> str:
        return self._text.text()

    def clear(self) -> None:
        self.tone = "info"
        self._text.clear()
        self.setVisible(False)

    def show_message(self, tone: Tone, text: str) -> None:
        self.tone = tone
        self._text.setText(text)
        self._text.setAccessibleName(text)
        busy = tone == "busy"
        self._spinner.setVisible(busy)
        self._icon.setVisible(not busy)
        if not busy:
            self._icon.setPixmap(icon_pixmap(tone, tone_color(self, tone), 20))
        palette = self._text.palette()
        palette.setColor(
            QPalette.ColorRole.WindowText,
            tone_color(self, tone)
            if tone in ("error", "warning")
            else self.palette().color(QPalette.ColorRole.WindowText),
        )
        self._text.setPalette(palette)
        self.setVisible(True)


async def reported_on(
    status: StatusLine,
    work: Awaitable[T],
    unexpected: str,
    *,
    failed: Callable[[], None] | None = None,
    prefix: str = "",
) -> tuple[bool, T | None]:
    """Await ``work`` for a dialog: ``(True, result)``, or ``(False, None)`` after its sentence
    is shown on ``status``. An unexpected error shows ``unexpected`` (a template whose ``{0}``
    is the error's type) and is raised again, so that it reaches the log and the error banner.
    ``failed`` runs on either failure (a Retry button to show, a result to clear)."""
    try:
        return True, await work
    except BmxError as exc:
        status.show_message("error", f"{prefix}{exc}")
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        status.show_message("error", unexpected.format(type(exc).__name__))
        if failed is not None:
            failed()
        raise
    if failed is not None:
        failed()
    return False, None


class FieldNote(QLabel):
    """The rule a field breaks, shown right under it; hidden while the field is fine."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setFont(scaled_font(self, 0.92))
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.WindowText, tone_color(self, "error"))
        self.setPalette(palette)
        self.setVisible(False)

    def show_problem(self, text: str | None) -> None:
        self.setText(text or "")
        self.setVisible(bool(text))


class Banner(QFrame):
    """A tinted box for something the operator must read before going on."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(10)
        self._icon = QLabel()
        self._icon.setFixedSize(22, 22)
        self._text = QLabel()
        self._text.setWordWrap(True)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self._text, 1)
        self.setVisible(False)

    @property
    def text(self) -> str:
        return self._text.text()

    def show_message(self, tone: Tone, text: str) -> None:
        color = tone_color(self, tone)
        tint = mix(self.palette().color(QPalette.ColorRole.Base), color, 0.12)
        self.setStyleSheet(
            f"QFrame#banner {{ background: {tint.name()}; border: 1px solid {color.name()};"
            " border-radius: 6px; }"
        )
        self._icon.setPixmap(icon_pixmap(tone, color, 22))
        self._text.setText(text)
        self._text.setAccessibleName(text)
        self.setVisible(True)

    def hide_message(self) -> None:
        self._text.clear()
        self.setVisible(False)


SUBTITLE_ROLE = Qt.ItemDataRole.UserRole + 1
BADGE_ROLE = Qt.ItemDataRole.UserRole + 2


class TwoLineDelegate(QStyledItemDelegate):
    """List rows with a title, a muted second line and an optional badge ("Suggested")."""

    PADDING = 10
    ICON = 22

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        metrics = option.fontMetrics
        return QSize(200, metrics.height() * 2 + 6 + 2 * self.PADDING)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        self.initStyleOption(option, index)
        widget = option.widget
        style = widget.style() if widget else QApplication.style()
        background = QStyleOptionViewItem(option)
        background.text = ""
        background.icon = QIcon()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, background, painter, widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text_color = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        sub_color = (
            text_color
            if selected
            else mix(
                palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base), 0.4
            )
        )
        rect = option.rect.adjusted(self.PADDING, self.PADDING, -self.PADDING, -self.PADDING)
        painter.save()
        if not option.icon.isNull():
            icon_rect = QRect(rect.left(), rect.center().y() - self.ICON // 2, self.ICON, self.ICON)
            mode = QIcon.Mode.Selected if selected else QIcon.Mode.Normal
            option.icon.paint(painter, icon_rect, Qt.AlignmentFlag.AlignCenter, mode)
            rect.setLeft(rect.left() + self.ICON + self.PADDING)
        badge = index.data(BADGE_ROLE)
        if badge:
            font = QFont(option.font)
            font.setBold(True)
            font.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
            metrics = QFontMetrics(font)
            width = metrics.horizontalAdvance(str(badge)) + 16
            pill = QRect(rect.right() - width, rect.center().y() - 11, width, 22)
            colors = state_colors(palette)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(
                palette.color(QPalette.ColorRole.HighlightedText)
                if selected
                else colors.tint(colors.success, palette.color(QPalette.ColorRole.Base), 0.18)
            )
            painter.drawRoundedRect(pill, 11, 11)
            painter.setFont(font)
            painter.setPen(
                palette.color(QPalette.ColorRole.Highlight) if selected else colors.success
            )
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, str(badge))
            rect.setRight(pill.left() - self.PADDING)
        title_font = QFont(option.font)
        title_font.setBold(True)
        line = QFontMetrics(title_font).height()
        painter.setFont(title_font)
        painter.setPen(text_color)
        title = QFontMetrics(title_font).elidedText(
            str(index.data(Qt.ItemDataRole.DisplayRole) or ""),
            Qt.TextElideMode.ElideRight,
            rect.width(),
        )
        painter.drawText(
            QRect(rect.left(), rect.top(), rect.width(), line), Qt.AlignmentFlag.AlignVCenter, title
        )
        subtitle = index.data(SUBTITLE_ROLE)
        if subtitle:
            painter.setFont(option.font)
            painter.setPen(sub_color)
            text = option.fontMetrics.elidedText(
                str(subtitle), Qt.TextElideMode.ElideRight, rect.width()
            )
            painter.drawText(
                QRect(
                    rect.left(), rect.top() + line + 4, rect.width(), option.fontMetrics.height()
                ),
                Qt.AlignmentFlag.AlignVCenter,
                text,
            )
        painter.restore()
