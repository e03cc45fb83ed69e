"""The door table's painted cells: two-line text, the state pill and the Release button.

The Release button is painted by a delegate, not one QPushButton per row, so that a property
with 2,000 doors scrolls and sorts as fast as one with 20. A click releases the door id read
from the row at the moment of the press: a press whose row has moved away (the list
re-sorted under the pointer) releases nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QIcon,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPalette,
    QPixmap,
)
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from bmx_console.core.store import DoorRow
from bmx_console.ui import contrast, icons
from bmx_console.ui.door_model import (
    COL_LAST_EVENT,
    COL_STATE,
    ROW_HEIGHT,
    DoorTableModel,
    ModelIndex,
    door_id_of,
    row_of,
)
from bmx_console.ui.door_view import DoorTableView
from bmx_console.ui.tables import DerivedFonts, RenderCache, device_ratio, render_pixmap
from bmx_console.ui.theme import state_colors, theme_changed

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_ELIDE = Qt.TextElideMode.ElideRight
_SELECTED = QStyle.StateFlag.State_Selected


def wrapped_lines(text: str, metrics: QFontMetrics, width: int, most: int) -> list[str]:
    """``text`` broken into at most ``most`` lines of ``width`` px, the last one elided."""
    lines: list[str] = []
    words = text.split()
    while words and len(lines) < most:
        line = words.pop(0)
        while words and metrics.horizontalAdvance(f"{line} {words[0]}") <= width:
            line = f"{line} {words.pop(0)}"
        lines.append(line)
    if words and lines:
        lines[-1] = metrics.elidedText(f"{lines[-1]} {' '.join(words)}", _ELIDE, width)
    return [metrics.elidedText(line, _ELIDE, width) for line in lines]


@dataclass(frozen=True, slots=True)
class AsideBlock:
    """The sentence beside a state pill: its rectangle in the viewport, its wrapped lines
    (the last one elided if the row cannot hold it all) and its font."""

    rect: QRectF
    lines: list[str]
    font: QFont
    failure: bool


def _pill_width(word_width: int) -> int:
    return word_width + 16 + 22  # the icon, the gaps and the word


def _following_last_event(view: QWidget | None) -> int | None:
    """The right edge of the Last event column when it shows right after the State one."""
    if not isinstance(view, QTableView) or view.isColumnHidden(COL_LAST_EVENT):
        return None
    header = view.horizontalHeader()
    if header.visualIndex(COL_LAST_EVENT) != header.visualIndex(COL_STATE) + 1:
        return None
    return view.columnViewportPosition(COL_LAST_EVENT) + view.columnWidth(COL_LAST_EVENT)


def _fill_pill(painter: QPainter, rect: QRectF, fill: QColor) -> None:
    path = QPainterPath()
    path.addRoundedRect(rect, rect.height() / 2, rect.height() / 2)
    painter.fillPath(path, fill)


def _painted_row(
    painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex
) -> DoorRow | None:
    """Paint the cell's background; the row it shows, or None for a row that is gone."""
    _background(painter, option, option.widget)
    return row_of(index)


def _background(painter: QPainter, option: QStyleOptionViewItem, widget: QWidget | None) -> None:
    style = widget.style() if widget else QApplication.style()
    # The item background only (selection, alternate rows): the delegates draw the text.
    plain = QStyleOptionViewItem(option)
    plain.text = ""
    plain.icon = QIcon()
    style.drawControl(QStyle.ControlElement.CE_ItemViewItem, plain, painter, widget)


def _text_color(option: QStyleOptionViewItem, muted: bool = False) -> QColor:
    return contrast.row_text(option.palette, selected=bool(option.state & _SELECTED), muted=muted)


class _CachingDelegate(QStyledItemDelegate):
    """A delegate that keeps its derived fonts and what it drew (see ``RenderCache``), and
    lets go of the drawings when the theme changes."""

    def __init__(self, model: DoorTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._fonts = DerivedFonts()
        self._drawn = RenderCache()
        theme_changed().connect(self._theme_changed)

    def _theme_changed(self) -> None:
        self._drawn.clear()


class TwoLineDelegate(_CachingDelegate):
    """A strong first line and a muted second one (door name and id; event and time/who),
    with an optional leading icon (a pin for pinned doors)."""

    def __init__(
        self,
        model: DoorTableModel,
        *,
        leading_icon: bool = False,
        state: StateDelegate | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(model, parent)
        self._leading_icon = leading_icon
        # Set on the Last event column: a failed row's sentence runs on over this cell.
        self._state = state

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        row = _painted_row(painter, option, index)
        if row is None:
            return
        if (
            self._state is not None
            and row.state == "failed"
            and self._continue(painter, option, index, row)
        ):
            return
        rect = QRectF(option.rect).adjusted(12, 0, -8, 0)
        painter.save()
        if self._leading_icon:
            pinned = row.pinned
            color = (
                option.palette.color(QPalette.ColorRole.Highlight)
                if pinned and not option.state & _SELECTED
                else _text_color(option, muted=not pinned)
            )
            icon_rect = QRectF(rect.left(), rect.center().y() - 9, 18, 18)
            icons.paint_icon(painter, "pin" if pinned else "door", icon_rect, color)
            rect.setLeft(rect.left() + 28)
        primary, secondary = self._model.lines(row, index.column())
        fonts = self._fonts
        strong, top_metrics = (
            fonts.get(option.font, 1.12, QFont.Weight.DemiBold)
            if self._leading_icon
            else fonts.get(option.font)
        )
        width = int(rect.width())
        small, small_metrics = fonts.get(option.font, 0.9)
        block = top_metrics.height() + 2 + small_metrics.height()
        if secondary and rect.height() < block + 8:
            # A compact row holds one line: the name alone (its id is in the tooltip), or
            # the event and its time on one line.
            if index.column() == COL_LAST_EVENT:
                primary = f"{primary} · {secondary}"
            secondary = ""
        if secondary:
            top = rect.center().y() - block / 2
            painter.setFont(strong)
            painter.setPen(_text_color(option))
            painter.drawText(
                QRectF(rect.left(), top, rect.width(), top_metrics.height()),
                _LEFT,
                top_metrics.elidedText(primary, _ELIDE, width),
            )
            painter.setFont(small)
            painter.setPen(_text_color(option, muted=True))
            painter.drawText(
                QRectF(
                    rect.left(),
                    top + top_metrics.height() + 2,
                    rect.width(),
                    small_metrics.height(),
                ),
                _LEFT,
                small_metrics.elidedText(secondary, _ELIDE, width),
            )
        else:
            painter.setFont(strong)
            painter.setPen(_text_color(option, muted=index.column() == COL_LAST_EVENT))
            painter.drawText(
                rect,
                _LEFT,
                top_metrics.elidedText(primary, _ELIDE, width),
            )
        painter.restore()

    def _continue(
        self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex, row: DoorRow
    ) -> bool:
        """The rest of a failed row's sentence, over this cell; False when it stays in its
        own (the State cell is off screen or the columns are apart)."""
        view = option.widget
        if not isinstance(view, QTableView) or _following_last_event(view) is None:
            return False
        state_option = QStyleOptionViewItem(option)
        state_option.rect = view.visualRect(index.sibling(index.row(), COL_STATE))
        assert self._state is not None
        block = self._state.aside_block(state_option, row)
        if block is None:
            return False
        self._state.paint_block(painter, option, block, option.rect)
        return True

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        return QSize(160, ROW_HEIGHT)


class StateDelegate(_CachingDelegate):
    """A coloured pill (icon + word) and, beside it, the failure sentence or the notice.

    The pill and its icon are drawn once per state, word, size and palette; the word is
    drawn over it each time, as text, like every other word in the table."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        row = _painted_row(painter, option, index)
        if row is None:
            return
        palette = option.palette
        colors = state_colors(palette)
        state: str = row.state
        if state == "idle" and self._model.offline:
            # Not known while ButterflyMX is unreachable: its own pill, not "Ready".
            state = "unknown"
        selected = bool(option.state & _SELECTED)
        color, fill = contrast.state_pill(palette, state, selected=selected)
        word = self._model.state_text(row)
        word_font, metrics = self._fonts.get(
            option.font, 1.0, QFont.Weight.DemiBold if state != "idle" else QFont.Weight.Normal
        )
        cell = option.rect
        ratio = device_ratio(painter)
        key = (
            state,
            word,
            self._fonts.generation,
            cell.height(),
            color.rgba(),
            fill.rgba() if fill is not None else None,
            colors.dark,
            ratio,
        )
        drawn = self._drawn.get(key)
        if drawn is None:
            drawn = self._draw_pill(
                state, metrics.horizontalAdvance(word), cell, ratio, color, fill
            )
            self._drawn.put(key, drawn)
        pixmap, pill = drawn
        painter.save()
        painter.drawPixmap(cell.topLeft(), pixmap)
        pill = pill.translated(cell.topLeft())
        icon_rect = QRectF(pill.left() + 8, pill.center().y() - 8, 16, 16)
        if state == "sending":
            icons.paint_spinner(painter, icon_rect, color, self._model.spinner_frame)
        painter.setFont(word_font)
        painter.setPen(color)
        painter.drawText(
            QRectF(icon_rect.right() + 6, pill.top(), pill.width(), pill.height()),
            _LEFT,
            word,
        )
        self._paint_aside(painter, option, row, pill)
        painter.restore()

    def _paint_aside(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        row: DoorRow,
        pill: QRectF,
    ) -> None:
        """The failure sentence (with its time) and the notice, beside the pill, if there is
        room; else why the door cannot be released, or that its state is not known."""
        block = self.aside_block(option, row, pill.right())
        if block is not None:
            self.paint_block(painter, option, block, option.rect)

    def aside_block(
        self, option: QStyleOptionViewItem, row: DoorRow, pill_right: float | None = None
    ) -> AsideBlock | None:
        """The sentence beside the pill, where it goes and its lines. A failure's sentence
        runs on over the Last event cell when that column follows (while it stands it
        matters more than the last event), wrapped over the lines the row holds: what to do
        is at its end."""
        aside = self._model.failure_text(row) if row.state == "failed" else None
        notice = row.release.notice
        text = " — ".join(t for t in (aside, notice) if t) or self._model.state_aside(row)
        if not text:
            return None
        cell = option.rect
        if pill_right is None:
            _font, metrics = self._fonts.get(option.font, 1.0, QFont.Weight.DemiBold)
            word = metrics.horizontalAdvance(self._model.state_text(row))
            pill_right = cell.left() + 10 + _pill_width(word)
        left = pill_right + 10
        right = cell.right() - 8
        if aside and (beyond := _following_last_event(option.widget)) is not None:
            right = beyond - 8
        width = right - left
        if width <= 24:
            return None
        small, small_metrics = self._fonts.get(option.font, 0.92)
        rect = QRectF(left, cell.top(), width, cell.height())
        room = max(1, int((cell.height() - 4) // small_metrics.lineSpacing()))
        lines = wrapped_lines(text, small_metrics, int(width), room)
        return AsideBlock(rect, lines, small, failure=bool(aside))

    def paint_block(
        self, painter: QPainter, option: QStyleOptionViewItem, block: AsideBlock, clip: QRect
    ) -> None:
        """``block`` drawn within ``clip``: the State cell, or the Last event cell that the
        rest of a failure's sentence runs over."""
        painter.save()
        painter.setClipRect(clip)
        painter.setFont(block.font)
        selected = bool(option.state & _SELECTED)
        painter.setPen(
            contrast.aside_text(option.palette, failure=block.failure, selected=selected)
        )
        painter.drawText(block.rect, _LEFT, "\n".join(block.lines))
        painter.restore()

    @staticmethod
    def _draw_pill(
        state: str, word_width: int, cell: QRect, ratio: float, color: QColor, fill: QColor | None
    ) -> tuple[QPixmap, QRectF]:
        """The pill (``fill``; none when idle) and its icon (none while sending: the spinner
        turns), in a pixmap laid over the cell from its top left corner; and where the pill
        is in it."""
        rect = QRectF(0, 0, cell.width(), cell.height()).adjusted(10, 0, -8, 0)
        pill_h = min(28.0, rect.height() - 12)
        pill_w = _pill_width(word_width)
        pill = QRectF(rect.left(), rect.center().y() - pill_h / 2, pill_w, pill_h)

        def draw(painter: QPainter) -> None:
            if fill is not None:
                _fill_pill(painter, pill, fill)
            if state != "sending":
                name = {"released": "unlock", "failed": "error", "unknown": "cloud_off"}.get(
                    state, "lock"
                )
                icon_rect = QRectF(pill.left() + 8, pill.center().y() - 8, 16, 16)
                icons.paint_icon(painter, name, icon_rect, color)

        return render_pixmap(pill.right() + 1, cell.height(), ratio, draw), pill


class ReleaseButtonDelegate(_CachingDelegate):
    """Paints a Release button in every row and turns a click on it into a release.

    A button is drawn once per look (state, label, hotkey, pressed or hovered, size,
    palette) and kept as a pixmap; its label and hotkey are drawn over it as text."""

    release_clicked = Signal(int)  # door id
    # A click the button did not act on, and why (the list moved under the pointer).
    click_ignored = Signal(str)

    def __init__(self, model: DoorTableModel, parent: QObject | None = None) -> None:
        super().__init__(model, parent)
        self._pressed_door: int | None = None
        self._pressed_index: QPersistentModelIndex | None = None
        # Where the list was on screen at the press: a list that moved before the release
        # (a banner appeared above it) is not where the operator aimed.
        self._pressed_origin: QPoint | None = None

    @staticmethod
    def button_rect(cell: QRect) -> QRectF:
        """The button in its cell: 34 px high in a two-line row, 26 in a compact one."""
        inset = max(4.0, (cell.height() - 34) / 2)
        return QRectF(cell).adjusted(8, inset, -10, -inset)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        row = _painted_row(painter, option, index)
        if row is None:
            return
        state = row.state
        accent = option.palette.color(QPalette.ColorRole.Highlight)
        fill, text_color, icon_name, label = self._look(row, option, index)
        hotkey = self._model.hotkey_of(row.id)
        badge = f"F{hotkey}" if hotkey else ""
        stale = self._model.stale
        cell = option.rect
        ratio = device_ratio(painter)
        fonts = self._fonts
        label_font, metrics = fonts.get(option.font, 1.0, QFont.Weight.DemiBold)
        small, small_metrics = fonts.get(option.font, 0.8, QFont.Weight.DemiBold)
        key = (
            fill.rgba(),
            text_color.rgba(),
            icon_name,
            label,
            badge,
            stale,
            fonts.generation,
            cell.width(),
            cell.height(),
            ratio,
        )
        drawn = self._drawn.get(key)
        if drawn is None:
            looks = (fill, text_color, icon_name, stale)
            drawn = self._draw_button(cell, ratio, *looks, (label, metrics), (badge, small_metrics))
            self._drawn.put(key, drawn)
        pixmap, icon_rect, text_rect, badge_rect = drawn
        origin = cell.topLeft()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.drawPixmap(origin, pixmap)
        if stale:
            painter.setOpacity(0.85)
        if state == "sending":
            icons.paint_spinner(
                painter, icon_rect.translated(origin), accent, self._model.spinner_frame
            )
        painter.setFont(label_font)
        painter.setPen(text_color)
        painter.drawText(text_rect.translated(origin), _LEFT, label)
        if badge:
            painter.setFont(small)
            painter.drawText(badge_rect.translated(origin), Qt.AlignmentFlag.AlignCenter, badge)
        painter.restore()

    def _look(
        self, row: DoorRow, option: QStyleOptionViewItem, index: ModelIndex
    ) -> tuple[QColor, QColor, str | None, str]:
        """The button's fill, text colour, icon and label for the row's state, pressed or
        hovered."""
        palette = option.palette
        state = row.state
        if state == "sending":
            fill, text = contrast.release_button(palette, state)
            return fill, text, None, self.tr("Sending…")
        if state == "released":
            fill, text = contrast.release_button(palette, state)
            return fill, text, "check", self.tr("Released")
        label = self.tr("Release…") if self._model.asks_first(row.id) else self.tr("Release")
        if self._model.why_not(row.id):
            # Drawn disabled: this desk has no tenant to release this building's doors as.
            disabled = QPalette.ColorGroup.Disabled
            return (
                palette.color(disabled, QPalette.ColorRole.Button),
                palette.color(disabled, QPalette.ColorRole.ButtonText),
                "lock",
                label,
            )
        if self._model.offline:
            # Degraded, not disabled: the release may yet go through, so the operator may try.
            colors = state_colors(palette)
            base = palette.color(QPalette.ColorRole.Base)
            fill = colors.tint(colors.warning, base, 0.3)
            return fill, palette.color(QPalette.ColorRole.Text), "cloud_off", self.tr("Try release")
        pressed = (
            self._pressed_index is not None
            and self._pressed_index.isValid()
            and self._pressed_index.row() == index.row()
            and self._pressed_index.column() == index.column()
        )
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        fill, text = contrast.release_button(palette, state, pressed=pressed, hovered=hovered)
        return fill, text, "unlock", label

    def _draw_button(
        self,
        cell: QRect,
        ratio: float,
        fill: QColor,
        text_color: QColor,
        icon_name: str | None,
        stale: bool,
        label: tuple[str, QFontMetrics],
        badge: tuple[str, QFontMetrics],
    ) -> tuple[QPixmap, QRectF, QRectF, QRectF]:
        """The button without its words (fill, icon, the hotkey's pill) in a pixmap laid
        over the cell from its top left corner; and where the spinner, the label and the
        hotkey go in it."""
        rect = self.button_rect(QRect(0, 0, cell.width(), cell.height()))
        (text, metrics), (hotkey, small_metrics) = label, badge
        badge_w = small_metrics.horizontalAdvance(hotkey) + 10 if hotkey else 0
        label_w = metrics.horizontalAdvance(text)
        content_w = 18 + 6 + label_w + (badge_w + 8 if hotkey else 0)
        left = rect.center().x() - content_w / 2
        icon_rect = QRectF(left, rect.center().y() - 9, 18, 18)
        text_rect = QRectF(icon_rect.right() + 6, rect.top(), label_w + 2, rect.height())
        badge_rect = QRectF(text_rect.right() + 8, rect.center().y() - 9, badge_w, 18)

        def draw(painter: QPainter) -> None:
            path = QPainterPath()
            path.addRoundedRect(rect, 7, 7)
            painter.fillPath(path, fill)
            if stale:
                painter.setOpacity(0.85)
            if icon_name:
                icons.paint_icon(painter, icon_name, icon_rect, text_color)
            if hotkey:
                _fill_pill(painter, badge_rect, contrast.hotkey_badge(fill, text_color))

        pixmap = render_pixmap(cell.width(), cell.height(), ratio, draw)
        return pixmap, icon_rect, text_rect, badge_rect

    def editorEvent(
        self,
        event: QEvent,
        model: QAbstractItemModel,
        option: QStyleOptionViewItem,
        index: ModelIndex,
    ) -> bool:
        if not isinstance(event, QMouseEvent) or event.button() != Qt.MouseButton.LeftButton:
            return False
        inside = self.button_rect(option.rect).contains(event.position())
        view = option.widget
        if event.type() == QEvent.Type.MouseButtonPress:
            if inside and isinstance(view, DoorTableView) and view.recently_shifted():
                # The list moved under the pointer a moment ago: the operator aimed at what
                # was there before. Nothing is released; the next click works.
                self._pressed_door = self._pressed_index = self._pressed_origin = None
                self.click_ignored.emit(
                    self.tr("The list moved just before that click, so nothing was released.")
                    + " "
                    + self.tr("Click again.")
                )
                return True
            self._pressed_door = door_id_of(index) if inside else None
            self._pressed_index = QPersistentModelIndex(index) if inside else None
            self._pressed_origin = _origin(view) if inside else None
            return False
        if event.type() == QEvent.Type.MouseButtonRelease:
            door_id, origin = self._pressed_door, self._pressed_origin
            self._pressed_door = self._pressed_index = self._pressed_origin = None
            # The row under the pointer must still be the door that was pressed, by id, and
            # the list must not have moved on screen in between.
            if inside and door_id is not None and door_id_of(index) == door_id:
                if origin is not None and origin != _origin(view):
                    self.click_ignored.emit(
                        self.tr("The list moved during that click, so nothing was released.")
                    )
                    return True
                self.release_clicked.emit(door_id)
                return True
        return False


def _origin(view: QWidget | None) -> QPoint | None:
    """Where a view's rows are on screen (None without a view)."""
    if isinstance(view, DoorTableView):
        return view.viewport().mapToGlobal(QPoint(0, 0))
    return None
