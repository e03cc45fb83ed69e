"""The kinds of access event as the console shows them: label, colour and line glyph."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QByteArray, QCoreApplication, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from bmx_console.api.models import AccessEvent, EventKind
from bmx_console.ui.palette_css import is_dark

KINDS: tuple[EventKind, ...] = ("tenant", "visitor", "delivery", "api", "schedule", "other")

# (light theme, dark theme): each chosen to read on its own background.
_KIND_COLORS: dict[str, tuple[str, str]] = {
    "tenant": ("#1a66d2", "#6cb0ff"),
    "visitor": ("#7a3fd1", "#c49bff"),
    "delivery": ("#a14a08", "#f5a35c"),
    "api": ("#0a705e", "#45d4b8"),
    "schedule": ("#55606e", "#a3aebb"),
    "other": ("#5f6673", "#9ca3af"),
}


# The strings keep the pane's translation context, where they were first translated.
def _tr(text: str) -> str:
    return QCoreApplication.translate("EventPane", text)


def kind_label(kind: str) -> str:
    labels = {
        "tenant": _tr("Tenant"),
        "visitor": _tr("Visitor"),
        "delivery": _tr("Delivery"),
        "api": _tr("API release"),
        "schedule": _tr("Schedule"),
        "other": _tr("Other"),
    }
    return labels.get(kind, _tr("Other"))


def event_summary(event: AccessEvent | None) -> str:
    """A door's last event in the desk's language: the cloud's "Unlocked (Tenant)" is
    "Abierta (Inquilino)" on a Spanish desk; words the console does not know stay the
    cloud's."""
    if event is None:
        return ""
    status, release_type = event.release_status, event.release_type
    statuses = {"unlocked": _tr("Unlocked"), "locked": _tr("Locked")}
    said = statuses.get(status.lower(), status) if status else _tr("Event")
    if not release_type:
        return said
    kind = release_type.lower()
    words = kind_label(kind) if kind in ("tenant", "visitor", "delivery") else release_type
    return _tr("{status} ({kind})").format(status=said, kind=words)


def who_words(actor: str | None) -> str:
    """Who opened the door, as the cloud named them; its "Unknown" in the desk's language."""
    if not actor or actor == "Unknown":
        return _tr("Unknown")
    return actor


def kind_color(kind: str, dark: bool | None = None) -> QColor:
    light_hex, dark_hex = _KIND_COLORS.get(kind, _KIND_COLORS["other"])
    return QColor(dark_hex if (is_dark() if dark is None else dark) else light_hex)


# Line drawings on the 24-unit grid of ``ui/icons.py``, so the kinds match the app's icons.
_KIND_SHAPES: dict[str, str] = {
    "tenant": '<circle cx="12" cy="8" r="4"/><path d="M4.5 20.5a7.5 7.5 0 0 1 15 0"/>',
    "visitor": '<rect x="2.5" y="5" width="19" height="14" rx="2.5"/>'
    '<path d="M6.5 9h3.5v3.5H6.5Z"/><path d="M13.5 9.5h4M13.5 13h3M6.5 15.5h3.5"/>',
    "delivery": '<path d="M3.5 7.5 12 3l8.5 4.5v9L12 21l-8.5-4.5Z"/>'
    '<path d="M3.5 7.5 12 12l8.5-4.5M12 12v9"/><path d="m7.8 5.2 8.5 4.6"/>',
    "api": '<path d="M7 19h10.5a4.5 4.5 0 0 0 .5-8.97A6.5 6.5 0 0 0 5.5 11.1 4 4 0 0 0 7 19Z"/>'
    '<path d="M12 16.5v-5M9.6 13.8 12 11.4l2.4 2.4"/>',
    "schedule": '<circle cx="12" cy="12" r="9.5"/><path d="M12 7v5l3.2 2"/>',
    "other": '<path d="M6 21V4a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1v17"/><path d="M3 21h18"/>'
    '<circle cx="14.5" cy="12.5" r="1" fill="currentColor" stroke="none"/>',
}


@lru_cache(maxsize=64)
def _kind_renderer(kind: str, rgba: int) -> QSvgRenderer:
    color = QColor.fromRgba(rgba)
    shape = _KIND_SHAPES.get(kind, _KIND_SHAPES["other"]).replace("currentColor", color.name())
    source = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" '
        f'stroke="{color.name()}" stroke-width="2" stroke-linecap="round" '
        f'stroke-linejoin="round">{shape}</svg>'
    )
    return QSvgRenderer(QByteArray(source.encode("utf-8")))


def paint_kind_glyph(painter: QPainter, kind: str, rect: QRectF, color: QColor) -> None:
    """The kind's line glyph, drawn into ``rect`` (square) in ``color``."""
    side = min(rect.width(), rect.height())
    square = QRectF(0, 0, side, side)
    square.moveCenter(rect.center())
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    _kind_renderer(kind, color.rgba()).render(painter, square)
    painter.restore()


@lru_cache(maxsize=32)
def kind_icon(kind: str, dark: bool) -> QIcon:
    icon = QIcon()
    color = kind_color(kind, dark)
    for size in (14, 16, 20, 24, 32):
        for ratio in (1.0, 2.0):
            pixmap = QPixmap(int(size * ratio), int(size * ratio))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            paint_kind_glyph(painter, kind, QRectF(0, 0, size, size), color)
            painter.end()
            icon.addPixmap(pixmap)
    return icon
