"""How the events table draws its kind column."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from bmx_console.ui import contrast
from bmx_console.ui.event_kinds import kind_label, paint_kind_glyph
from bmx_console.ui.event_model import KIND_ROLE, ROW_HEIGHT
from bmx_console.ui.tables import DerivedFonts, RenderCache, device_ratio, render_pixmap
from bmx_console.ui.theme import theme_changed

_TEXT_AND_ICON = (
    QStyleOptionViewItem.ViewItemFeature.HasDisplay
    | QStyleOptionViewItem.ViewItemFeature.HasDecoration
)


class KindDelegate(QStyledItemDelegate):
    """The kind column as a tinted pill with the kind's glyph: readable at a glance.

    The pill and its glyph are drawn once per kind, size and palette and kept as a pixmap:
    rendering the glyph's SVG and an antialiased rounded rectangle for every row on every
    repaint was most of what a page of live events cost the events table."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fonts = DerivedFonts()
        self._pills = RenderCache(limit=64)
        theme_changed().connect(self._theme_changed)

    def _theme_changed(self) -> None:
        self._pills.clear()

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        kind = index.data(KIND_ROLE) or "other"
        opt = QStyleOptionViewItem(option)
        # What initStyleOption would leave for the background and focus frame: the cell has
        # text and a decoration (both drawn below, not by the style); asking the model for
        # every role of every row just to clear them again cost more than the drawing.
        if isinstance(index, QModelIndex):
            opt.index = index
        opt.features |= _TEXT_AND_ICON
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        label = kind_label(kind)
        font, metrics = self._fonts.get(opt.font, 0.92, QFont.Weight.DemiBold, smallest=7.5)
        cell = opt.rect
        ratio = device_ratio(painter)
        color, fill = contrast.kind_chip(opt.palette, kind)
        key = (kind, fill.rgba(), label, self._fonts.generation, cell.width(), cell.height(), ratio)
        drawn = self._pills.get(key)
        if drawn is None:
            drawn = self._draw_pill(kind, (color, fill), label, font, metrics, cell.size(), ratio)
            self._pills.put(key, drawn)
        pixmap, text_rect, text, color = drawn
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.drawPixmap(cell.topLeft(), pixmap)
        painter.setFont(font)
        painter.setPen(color)
        painter.drawText(
            text_rect.translated(cell.topLeft()),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            text,
        )
        painter.restore()

    @staticmethod
    def _draw_pill(
        kind: str,
        colors: tuple[QColor, QColor],
        label: str,
        font: QFont,
        metrics: QFontMetrics,
        size: QSize,
        ratio: float,
    ) -> tuple[QPixmap, QRectF, str, QColor]:
        """The pill and glyph in a pixmap the size of the cell, and where the label goes."""
        # Opaque, from the base colour: a translucent chip vanished on a selected row.
        color, fill = colors
        rect = QRectF(0, 0, size.width(), size.height()).adjusted(8, 0, -4, 0)
        height = min(22.0, rect.height() - 8)
        glyph = height - 8
        width = min(rect.width(), 8 + glyph + 6 + metrics.horizontalAdvance(label) + 10)
        pill = QRectF(rect.left(), rect.center().y() - height / 2, width, height)
        glyph_rect = QRectF(pill.left() + 8, pill.center().y() - glyph / 2, glyph, glyph)

        def draw(painter: QPainter) -> None:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(pill, height / 2, height / 2)
            paint_kind_glyph(painter, kind, glyph_rect, color)

        text_rect = QRectF(
            glyph_rect.right() + 6, pill.top(), pill.right() - glyph_rect.right() - 8, height
        )
        text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(text_rect.width()))
        pixmap = render_pixmap(size.width(), size.height(), ratio, draw)
        return pixmap, text_rect, text, color

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(130, ROW_HEIGHT)
