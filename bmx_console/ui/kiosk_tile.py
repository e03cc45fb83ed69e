"""One door on the lobby kiosk: a big touch target with the door's name, state and last event.

With ``hold_ms`` > 0 a release needs a press held that long (a ring fills around the door
icon; letting go early opens nothing), so a brushing sleeve or a child's tap does not open
the lobby door. The hold is timed on the injected clock, so tests drive it with FakeClock.
"""

from __future__ import annotations

import math
import zoneinfo
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QEvent, QLocale, QRectF, QSize, Qt, QTime, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QAbstractButton, QSizePolicy, QWidget

from bmx_console.clock import Clock
from bmx_console.core.store import DoorRow
from bmx_console.ui.event_kinds import event_summary
from bmx_console.ui.icons import paint_icon, paint_spinner
from bmx_console.ui.theme import mix, state_colors
from bmx_console.ui.time_text import desk_zone

HOLD_FRAME_MS = 16


def local_time_text(moment: datetime, time_zone: str | None) -> str:
    """``moment`` as a short clock time in the building's zone (the lobby's own clock)."""
    try:
        local = moment.astimezone(zoneinfo.ZoneInfo(time_zone)) if time_zone else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        local = None
    local = local or moment.astimezone(desk_zone())
    return QLocale.system().toString(
        QTime(local.hour, local.minute), QLocale.FormatType.ShortFormat
    )


class DoorTile(QAbstractButton):
    """Emits ``release_requested(door_id)`` on a tap, or when a hold completes."""

    release_requested = Signal(int)

    def __init__(
        self,
        door_id: int,
        *,
        hold_ms: int,
        clock: Clock,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.door_id = door_id
        self._hold_s = hold_ms / 1000
        self._clock = clock
        self._row: DoorRow | None = None
        self._missing = False
        self.show_building = False
        self._hold_started: float | None = None
        self._hold_done = False
        self._frame = 0
        self._hold_timer = QTimer(self)
        self._hold_timer.setInterval(HOLD_FRAME_MS)
        self._hold_timer.timeout.connect(self._hold_tick)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        if not self.holds:
            self.clicked.connect(lambda: self.release_requested.emit(self.door_id))
        self._update_accessible()

    # -- data ------------------------------------------------------------------------------

    @property
    def holds(self) -> bool:
        return self._hold_s > 0

    @property
    def row(self) -> DoorRow | None:
        return self._row

    def set_row(self, row: DoorRow | None, *, missing: bool = False) -> None:
        """The door's current row; ``missing`` when the roster came and the door is not in it."""
        self._row = row
        self._missing = missing and row is None
        self._update_accessible()
        self.update()

    def advance_frame(self) -> None:
        """Move the spinner on and refresh the countdown (called by the kiosk's heartbeat)."""
        self._frame += 1
        if self._row is not None and self._row.state in ("sending", "released"):
            self._update_accessible()
            self.update()

    def name(self) -> str:
        return self._row.name if self._row else self.tr("Door {id}").format(id=self.door_id)

    def countdown_s(self) -> int:
        if self._row is None or self._row.release.released_until is None:
            return 0
        return max(0, math.ceil(self._row.release.released_until - self._clock.monotonic()))

    def status_text(self) -> str:
        """The line under the door's name, as a visitor reads it."""
        row = self._row
        if row is None:
            return self.tr("Not available here") if self._missing else self.tr("Loading…")
        if not self.isEnabled():
            return self.tr("Unavailable")
        state = row.state
        if state == "sending":
            return self.tr("Opening…")
        if state == "released":
            return self.tr("Unlocked · {seconds} s").format(seconds=self.countdown_s())
        if state == "failed":
            return self.tr("Could not open")
        if self._hold_started is not None:
            return self.tr("Keep holding…")
        return self.tr("Hold to open") if self.holds else self.tr("Tap to open")

    def detail_text(self) -> str:
        """The smaller lines: why a release failed, or a notice such as an ignored press."""
        row = self._row
        if row is None:
            if self._missing:
                return self.tr("This door is not visible to the kiosk's ButterflyMX account.")
            return ""
        if row.state == "failed" and row.release.failure:
            return row.release.failure
        return row.release.notice or ""

    def last_event_text(self) -> str:
        """The door's last event without the person's name: the lobby is a public place."""
        row = self._row
        if row is None or not row.last_event or row.last_event_at is None:
            return ""
        when = local_time_text(row.last_event_at, row.time_zone)
        return self.tr("Last: {what} at {when}").format(what=event_summary(row.last), when=when)

    def _update_accessible(self) -> None:
        self.setAccessibleName(self.tr("Open {door}").format(door=self.name()))
        parts = [self.status_text(), self.detail_text(), self.last_event_text()]
        self.setAccessibleDescription(". ".join(p for p in parts if p))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if not self.isEnabled():
            self.cancel_hold()
        self._update_accessible()

    # -- hold to release -------------------------------------------------------------------

    def hold_progress(self) -> float:
        if self._hold_started is None:
            return 1.0 if self._hold_done else 0.0
        return min(1.0, (self._clock.monotonic() - self._hold_started) / self._hold_s)

    @property
    def holding(self) -> bool:
        return self._hold_started is not None

    def _start_hold(self) -> None:
        if self._hold_started is not None or self._hold_done:
            return
        self._hold_started = self._clock.monotonic()
        self._hold_timer.start()
        self.update()

    def _hold_tick(self) -> None:
        if self._hold_started is not None and self.hold_progress() >= 1.0:
            self._hold_started = None
            self._hold_done = True
            self._hold_timer.stop()
            self.release_requested.emit(self.door_id)
        self._update_accessible()
        self.update()

    def cancel_hold(self) -> None:
        """Let go: a hold that has not completed opens nothing."""
        was = self._hold_started is not None or self._hold_done
        self._hold_started = None
        self._hold_done = False
        self._hold_timer.stop()
        if was:
            self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if not self.holds:
            super().mousePressEvent(event)
            return
        if event.button() == Qt.MouseButton.LeftButton:
            self._start_hold()
            event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if not self.holds:
            super().mouseMoveEvent(event)
            return
        if self.holding and not self.rect().contains(event.position().toPoint()):
            self.cancel_hold()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if not self.holds:
            super().mouseReleaseEvent(event)
            return
        if event.button() == Qt.MouseButton.LeftButton:
            self.cancel_hold()
            event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.holds and event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if not event.isAutoRepeat():
                self._start_hold()
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.release_requested.emit(self.door_id)
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if self.holds and event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if not event.isAutoRepeat():
                self.cancel_hold()
            event.accept()
            return
        super().keyReleaseEvent(event)

    # -- painting --------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(420, 260)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, 180)

    def _colors(self) -> tuple[QColor, QColor, QColor, str]:
        """Accent, card fill, border and icon name for the current state."""
        palette = self.palette()
        colors = state_colors(palette)
        base = palette.color(QPalette.ColorRole.Base)
        border = palette.color(QPalette.ColorRole.Mid)
        accent = palette.color(QPalette.ColorRole.Highlight)
        state = self._row.state if self._row else "idle"
        if not self.isEnabled() or self._row is None:
            muted = colors.muted
            return muted, palette.color(QPalette.ColorRole.Window), border, "cloud_off"
        if state == "released":
            return colors.success, colors.tint(colors.success, base, 0.14), colors.success, "unlock"
        if state == "failed":
            return colors.danger, colors.tint(colors.danger, base, 0.10), colors.danger, "error"
        if state == "sending":
            return colors.info, base, colors.info, "door"
        if self.holding or self.isDown():
            return accent, colors.tint(accent, base, 0.08), accent, "door"
        return accent, base, border, "door"

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        accent, fill, border, icon_name = self._colors()
        rect = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        radius = min(28.0, rect.height() * 0.09)
        painter.setPen(
            QPen(border, 2.5 if border != palette.color(QPalette.ColorRole.Mid) else 1.5)
        )
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, radius, radius)
        if self.hasFocus():
            focus = QPen(palette.color(QPalette.ColorRole.Highlight), 2, Qt.PenStyle.DashLine)
            painter.setPen(focus)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(6, 6, -6, -6), radius - 4, radius - 4)

        pad = max(18.0, min(rect.width(), rect.height()) * 0.08)
        inner = rect.adjusted(pad, pad, -pad, -pad)
        wide = inner.width() >= inner.height() * 1.35
        diameter = min(inner.height() * (0.62 if wide else 0.38), inner.width() * 0.34)
        if wide:
            circle = QRectF(inner.left(), inner.center().y() - diameter / 2, diameter, diameter)
            text_area = inner.adjusted(diameter + pad, 0, 0, 0)
            align = Qt.AlignmentFlag.AlignLeft
            blocks, used = self._text_blocks(text_area.width(), text_area.height(), align, accent)
            top = text_area.top() + (text_area.height() - used) / 2
        else:
            align = Qt.AlignmentFlag.AlignHCenter
            gap = pad * 0.6
            blocks, used = self._text_blocks(
                inner.width(), inner.height() - diameter - gap, align, accent
            )
            circle_top = inner.top() + (inner.height() - diameter - gap - used) / 2
            circle = QRectF(inner.center().x() - diameter / 2, circle_top, diameter, diameter)
            text_area = inner
            top = circle_top + diameter + gap
        self._paint_badge(painter, circle, accent, fill, icon_name)
        self._paint_texts(
            painter, blocks, QRectF(text_area.left(), top, text_area.width(), used), align
        )
        painter.end()

    def _paint_badge(
        self, painter: QPainter, circle: QRectF, accent: QColor, fill: QColor, icon_name: str
    ) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(mix(fill, accent, 0.14))
        painter.drawEllipse(circle)
        glyph = circle.adjusted(*(circle.width() * f for f in (0.27, 0.27, -0.27, -0.27)))
        if self._row is not None and self._row.state == "sending":
            paint_spinner(painter, glyph, accent, self._frame)
        else:
            paint_icon(painter, icon_name, glyph, accent, self.devicePixelRatioF())
        if self.holds and self.isEnabled():
            ring_width = max(5.0, circle.width() * 0.07)
            ring = circle.adjusted(*(v * ring_width / 2 for v in (-1, -1, 1, 1)))
            progress = self.hold_progress()
            track = QColor(accent)
            track.setAlphaF(0.18)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(track, ring_width))
            painter.drawEllipse(ring)
            if progress > 0:
                pen = QPen(accent, ring_width)
                pen.setCapStyle(Qt.PenCapStyle.RoundCap)
                painter.setPen(pen)
                painter.drawArc(ring, 90 * 16, -round(progress * 360 * 16))

    def _text_blocks(
        self, width: float, height: float, align: Qt.AlignmentFlag, accent: QColor
    ) -> tuple[list[_TextBlock], float]:
        """Name, status, detail, last event (and building), in that order, with what does
        not fit left out least important first: a failure sentence is never pushed off."""
        palette = self.palette()
        muted = state_colors(palette).muted
        text = muted if not self.isEnabled() else palette.color(QPalette.ColorRole.WindowText)
        # Sized to the tile, so eight doors on a small screen still fit their names.
        scale = max(min(float(self.height()), self.width() * 0.8), 200.0)
        small = max(13.0, scale * 0.045)
        building = self._row.building_name if self._row and self.show_building else ""
        # (text, pixel size, weight, colour, most lines, priority: lower is kept first)
        wanted: list[tuple[str, float, QFont.Weight, QColor, int, int]] = [
            (self.name(), min(46.0, max(20.0, scale * 0.105)), QFont.Weight.Bold, text, 2, 0),
            (building, small, QFont.Weight.Normal, muted, 1, 4),
            (self.status_text(), max(16.0, scale * 0.068), QFont.Weight.DemiBold, accent, 1, 1),
            (self.detail_text(), small, QFont.Weight.Normal, text, 3, 2),
            (self.last_event_text(), small, QFont.Weight.Normal, muted, 2, 3),
        ]
        gap = max(6.0, scale * 0.022)
        kept: dict[int, _TextBlock] = {}
        used = 0.0
        for order in sorted(range(len(wanted)), key=lambda i: wanted[i][5]):
            content, size, weight, color, max_lines, _ = wanted[order]
            if not content:
                continue
            font = QFont(self.font())
            font.setPixelSize(round(size))
            font.setWeight(weight)
            metrics = QFontMetricsF(font)
            flags = int(align) | int(Qt.TextFlag.TextWordWrap)
            needed = metrics.boundingRect(QRectF(0, 0, width, 1e6), flags, content).height()
            full = max(1, round(needed / metrics.lineSpacing()))
            lines = min(max_lines, full)
            spacing = gap if kept else 0.0
            lines = min(lines, int((height - used - spacing) // metrics.lineSpacing()))
            if lines < 1:
                continue
            block_height = lines * metrics.lineSpacing()
            kept[order] = _TextBlock(content, font, color, lines, block_height, gap, lines < full)
            used += block_height + spacing
        return [kept[order] for order in sorted(kept)], used

    def _paint_texts(
        self, painter: QPainter, blocks: list[_TextBlock], area: QRectF, align: Qt.AlignmentFlag
    ) -> None:
        top = area.top()
        for index, block in enumerate(blocks):
            if index:
                top += block.gap
            metrics = QFontMetricsF(block.font)
            painter.setFont(block.font)
            painter.setPen(block.color)
            box = QRectF(area.left(), top, area.width(), block.height)
            shown = block.text
            if block.lines == 1:
                shown = metrics.elidedText(shown, Qt.TextElideMode.ElideRight, area.width())
            painter.save()
            if block.cut:
                # Lines beyond the room kept must not spill onto the next block.
                painter.setClipRect(box.adjusted(0, 0, 0, metrics.descent()))
            painter.drawText(box, int(align) | int(Qt.TextFlag.TextWordWrap), shown)
            painter.restore()
            top += block.height


@dataclass(frozen=True, slots=True)
class _TextBlock:
    text: str
    font: QFont
    color: QColor
    lines: int
    height: float
    gap: float
    cut: bool
