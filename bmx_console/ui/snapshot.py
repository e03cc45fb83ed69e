"""A panel camera snapshot, loaded in the background from its public link.

Snapshot links are public storage URLs: the caller hands in a ``fetch_image(url)`` that
fetches them without the bearer token. The view shows a placeholder while loading and a
plain sentence when there is no snapshot or it cannot be loaded; it never raises.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Literal

import shiboken6
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from bmx_console.errors import BmxError
from bmx_console.ui.qt_async import spawn

log = logging.getLogger(__name__)

FetchImage = Callable[[str], Awaitable[bytes]]
SnapshotState = Literal["empty", "loading", "loaded", "failed"]

# A camera frame is dark whatever the desktop theme, so the frame colours are fixed.
_FRAME = QColor(24, 26, 30)
_FRAME_TEXT = QColor(190, 194, 200)
_FRAME_GLYPH = QColor(110, 116, 126)


def draw_camera_glyph(painter: QPainter, center: QPointF, size: float, color: QColor) -> None:
    """A simple camera outline: body, lens and a small viewfinder bump."""
    painter.save()
    pen = QPen(color, max(1.5, size / 14))
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    w, h = size, size * 0.7
    body = QRectF(center.x() - w / 2, center.y() - h / 2 + size * 0.06, w, h)
    path = QPainterPath()
    path.addRoundedRect(body, size * 0.12, size * 0.12)
    painter.drawPath(path)
    bump = QRectF(center.x() - w * 0.18, body.top() - size * 0.12, w * 0.36, size * 0.12)
    painter.drawRoundedRect(bump, size * 0.04, size * 0.04)
    radius = size * 0.2
    lens_center = QPointF(center.x(), body.center().y())
    painter.drawEllipse(lens_center, radius, radius)
    painter.restore()


class SnapshotView(QWidget):
    """Shows one snapshot; ``load(url)`` replaces whatever was shown or loading."""

    state_changed = Signal(str)

    def __init__(
        self,
        fetch_image: FetchImage,
        *,
        compact: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._fetch_image = fetch_image
        self._compact = compact
        self._state: SnapshotState = "empty"
        self._message = self.tr("No snapshot")
        self._pixmap: QPixmap | None = None
        self._url: str | None = None
        self._task: asyncio.Task[None] | None = None
        self.setAccessibleName(self.tr("Camera snapshot"))
        self.setAccessibleDescription(self._message)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMinimumSize(QSize(96, 54) if compact else QSize(240, 135))

    @property
    def state(self) -> SnapshotState:
        return self._state

    @property
    def message(self) -> str:
        """What the placeholder says (empty once an image is shown)."""
        return self._message

    @property
    def url(self) -> str | None:
        return self._url

    def pixmap(self) -> QPixmap | None:
        return self._pixmap

    def load(self, url: str | None) -> None:
        if url == self._url and self._state in ("loading", "loaded"):
            return
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None
        self._url = url
        self._pixmap = None
        if not url:
            self._set_state("empty", self.tr("No snapshot was taken for this one."))
            return
        self._set_state("loading", self.tr("Loading snapshot…"))
        self._task = spawn(self._fetch(url), name=self.tr("Loading a snapshot"))

    def clear(self) -> None:
        self.load(None)

    async def _fetch(self, url: str) -> None:
        try:
            data = await self._fetch_image(url)
        except asyncio.CancelledError:
            raise
        except BmxError as exc:
            if url == self._url:
                self._set_state("failed", self.tr("Snapshot not available: {0}").format(exc))
            return
        except Exception as exc:
            log.warning("snapshot fetch failed: %s", type(exc).__name__)
            if url == self._url:
                self._set_state(
                    "failed",
                    self.tr("Snapshot not available: the camera link did not answer."),
                )
            return
        if url != self._url:
            return
        image = QImage.fromData(data)
        if image.isNull():
            self._set_state(
                "failed", self.tr("Snapshot not available: the link did not return an image.")
            )
            return
        self._pixmap = QPixmap.fromImage(image)
        self._set_state("loaded", "")

    def _set_state(self, state: SnapshotState, message: str) -> None:
        if not shiboken6.isValid(self):
            # The dialog that showed it closed while the picture was on its way.
            return
        self._state = state
        self._message = message
        self.setAccessibleDescription(message or self.tr("Snapshot shown"))
        self.setToolTip(message)
        self.update()
        self.state_changed.emit(state)

    # -- geometry and painting -------------------------------------------------------------

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return round(width * 9 / 16)

    def sizeHint(self) -> QSize:
        return QSize(160, 90) if self._compact else QSize(480, 270)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        frame = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        radius = 6.0 if self._compact else 10.0
        clip = QPainterPath()
        clip.addRoundedRect(frame, radius, radius)
        painter.setClipPath(clip)
        painter.fillRect(frame, _FRAME)
        if self._pixmap is not None and not self._pixmap.isNull():
            scaled = self._pixmap.size().scaled(
                frame.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio
            )
            target = QRectF(0, 0, scaled.width(), scaled.height())
            target.moveCenter(frame.center())
            painter.drawPixmap(target, self._pixmap, QRectF(self._pixmap.rect()))
            return
        glyph = min(frame.width(), frame.height()) * (0.28 if self._compact else 0.2)
        has_text = not self._compact or self._state == "failed"
        glyph_center = QPointF(
            frame.center().x(), frame.center().y() - (glyph * 0.45 if has_text else 0)
        )
        color = QColor(_FRAME_GLYPH)
        if self._state == "loading":
            color.setAlpha(150)
        draw_camera_glyph(painter, glyph_center, glyph, color)
        if not has_text:
            return
        font = painter.font()
        if self._compact:
            font.setPointSizeF(max(7.0, font.pointSizeF() * 0.8))
        painter.setFont(font)
        painter.setPen(_FRAME_TEXT)
        text_rect = QRectF(
            frame.left() + 12, glyph_center.y() + glyph * 0.6, frame.width() - 24, frame.height()
        )
        text_rect.setBottom(frame.bottom() - 8)
        painter.drawText(
            text_rect,
            int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            | int(Qt.TextFlag.TextWordWrap),
            self._message,
        )
