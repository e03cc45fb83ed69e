"""The console's icons: one family of simple line drawings, tinted to the state they show.

They are tiny SVG documents drawn on a 24-unit grid with a 2-unit round stroke, rendered with
QtSvg in whatever colour the caller needs (the palette's text colour, or a state colour), so
they stay crisp at any scale and consistent in both themes. The spinner is drawn directly,
frame by frame, because it is animated.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtSvg import QSvgRenderer

_SHAPES: dict[str, str] = {
    "door": '<path d="M6 21V4a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1v17"/><path d="M3 21h18"/>'
    '<circle cx="14.5" cy="12.5" r="1" fill="currentColor" stroke="none"/>',
    "lock": '<rect x="4.5" y="11" width="15" height="10" rx="2"/>'
    '<path d="M8 11V7.5a4 4 0 0 1 8 0V11"/>',
    "unlock": '<rect x="4.5" y="11" width="15" height="10" rx="2"/>'
    '<path d="M8 11V7.5a4 4 0 0 1 7.8-1.3"/>',
    "check": '<path d="M20 6 9 17l-5-5"/>',
    "check_circle": '<circle cx="12" cy="12" r="9.5"/><path d="m8 12.5 2.8 2.8L16.5 9.5"/>',
    "error": '<circle cx="12" cy="12" r="9.5"/><path d="m15 9-6 6M9 9l6 6"/>',
    "warning": '<path d="M10.3 4 2.5 17.6A2 2 0 0 0 4.2 20.6h15.6a2 2 0 0 0 1.7-3L13.7 4'
    'a2 2 0 0 0-3.4 0Z"/><path d="M12 9.5v4"/><path d="M12 17.2h.01"/>',
    "info": '<circle cx="12" cy="12" r="9.5"/><path d="M12 16.5V11.5"/><path d="M12 8h.01"/>',
    "cloud": '<path d="M7 19h10.5a4.5 4.5 0 0 0 .5-8.97A6.5 6.5 0 0 0 5.5 11.1 4 4 0 0 0 7 19Z"/>',
    "cloud_off": '<path d="M7 19h10.5c.6 0 1.2-.1 1.7-.3M21.5 15.4A4.5 4.5 0 0 0 18 10'
    'A6.5 6.5 0 0 0 9.8 5.1M6.3 7.2A6.5 6.5 0 0 0 5.5 11.1 4 4 0 0 0 7 19"/>'
    '<path d="m3 3 18 18"/>',
    "sign_in": '<path d="M14 3h4.5A2.5 2.5 0 0 1 21 5.5v13a2.5 2.5 0 0 1-2.5 2.5H14"/>'
    '<path d="m9.5 16.5 4.5-4.5-4.5-4.5"/><path d="M14 12H3"/>',
    "quit": '<path d="M9.5 21H5.5A2.5 2.5 0 0 1 3 18.5v-13A2.5 2.5 0 0 1 5.5 3h4"/>'
    '<path d="m16 16.5 4.5-4.5L16 7.5"/><path d="M20.5 12H9"/>',
    "pin": '<path d="M12 16.5V22"/><path d="M9 3h6l-.8 6.2 3.3 3.3v2.5h-11v-2.5l3.3-3.3Z"/>',
    "search": '<circle cx="11" cy="11" r="7"/><path d="m20.5 20.5-4.6-4.6"/>',
    "building": '<rect x="4.5" y="3" width="15" height="18" rx="1.5"/>'
    '<path d="M10 21v-3.5h4V21"/><path d="M8.5 7h.01M12 7h.01M15.5 7h.01M8.5 10.5h.01'
    'M12 10.5h.01M15.5 10.5h.01M8.5 14h.01M12 14h.01M15.5 14h.01"/>',
    "clock": '<circle cx="12" cy="12" r="9.5"/><path d="M12 7v5l3.2 2"/>',
    "key": '<circle cx="7.5" cy="15.5" r="4.5"/><path d="m10.7 12.3 9.3-9.3"/>'
    '<path d="m16.5 6.5 3 3"/><path d="m14 9 2 2"/>',
    "settings": '<path d="M4 6h9M17 6h3M4 12h3M11 12h9M4 18h11M19 18h1"/>'
    '<circle cx="15" cy="6" r="2"/><circle cx="9" cy="12" r="2"/><circle cx="17" cy="18" r="2"/>',
    "terminal": '<rect x="3" y="4" width="18" height="16" rx="2.5"/>'
    '<path d="m7.5 9.5 3 2.5-3 2.5"/><path d="M13 15h4"/>',
    "folder": '<path d="M3 7.5A2.5 2.5 0 0 1 5.5 5H9l2 2.5h7.5A2.5 2.5 0 0 1 21 10v7.5'
    'a2.5 2.5 0 0 1-2.5 2.5h-13A2.5 2.5 0 0 1 3 17.5Z"/>',
    "close": '<path d="M18 6 6 18M6 6l12 12"/>',
    "refresh": '<path d="M20 11a8 8 0 0 0-14.7-4.3L4 8.5"/><path d="M4 3.5v5h5"/>'
    '<path d="M4 13a8 8 0 0 0 14.7 4.3l1.3-1.8"/><path d="M20 20.5v-5h-5"/>',
    "filter": '<path d="M3.5 5h17l-6.5 7.5V19l-4 2v-8.5Z"/>',
    "theme": '<circle cx="12" cy="12" r="9.5"/><path d="M12 2.5v19A9.5 9.5 0 0 0 12 2.5Z"'
    ' fill="currentColor"/>',
    "about": '<circle cx="12" cy="12" r="9.5"/><path d="M9.5 9.2a2.6 2.6 0 0 1 5 .9c0 1.7-2.5 '
    '2.3-2.5 3.9"/><path d="M12 17.2h.01"/>',
    "copy": '<rect x="8.5" y="8.5" width="12" height="12" rx="2"/>'
    '<path d="M15.5 8.5V5.5A2 2 0 0 0 13.5 3.5h-8a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h3"/>',
    "external": '<path d="M14 3.5h6.5V10"/><path d="M20.5 3.5 11 13"/>'
    '<path d="M18 14v4.5a2 2 0 0 1-2 2H5.5a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2H10"/>',
    "play": '<path d="M7 4.5v15l12.5-7.5Z" fill="currentColor"/>',
    "monitor": '<rect x="2.5" y="3.5" width="19" height="13" rx="2"/><path d="M8 20.5h8"/>'
    '<path d="M12 16.5v4"/><path d="m10 7.5 4.5 2.5-4.5 2.5Z" fill="currentColor"/>',
    "person": '<circle cx="12" cy="8" r="4"/><path d="M4.5 20.5a7.5 7.5 0 0 1 15 0"/>',
    "bell": '<path d="M6 16.5V11a6 6 0 0 1 12 0v5.5l1.5 2h-15Z"/><path d="M10 21.5h4"/>',
    "link": '<path d="M10 14a4.2 4.2 0 0 0 6 0l3-3a4.2 4.2 0 0 0-6-6l-1.2 1.2"/>'
    '<path d="M14 10a4.2 4.2 0 0 0-6 0l-3 3a4.2 4.2 0 0 0 6 6l1.2-1.2"/>',
    "printer": '<path d="M6.5 9V3.5h11V9"/><rect x="6.5" y="14" width="11" height="6.5" rx="1"/>'
    '<path d="M6.5 17.5H5A2.5 2.5 0 0 1 2.5 15v-3.5A2.5 2.5 0 0 1 5 9h14a2.5 2.5 0 0 1 2.5 2.5V15'
    'a2.5 2.5 0 0 1-2.5 2.5h-1.5"/>',
    "file": '<path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8Z"/>'
    '<path d="M14 3v5h5"/><path d="M12 11.5v6"/><path d="m9.5 15 2.5 2.5 2.5-2.5"/>',
    "package": '<path d="M12 2.8 20.5 7.3v9.4L12 21.2l-8.5-4.5V7.3Z"/>'
    '<path d="M3.5 7.3 12 12l8.5-4.7"/><path d="M12 12v9.2"/><path d="m7.8 5 8.4 4.6"/>',
    "phone": '<path d="M21.5 16.6v2.9a2 2 0 0 1-2.2 2 19.8 19.8 0 0 1-8.6-3.1 19.5 19.5 0 0 '
    "1-6-6A19.8 19.8 0 0 1 1.6 3.8 2 2 0 0 1 3.6 1.6h2.9a2 2 0 0 1 2 1.7c.1 1 .4 1.9.7 2.7a2 "
    "2 0 0 1-.5 2.1L7.5 9.3a16 16 0 0 0 6 6l1.2-1.2a2 2 0 0 1 2.1-.5c.9.3 1.8.6 2.7.7a2 2 0 0 "
    '1 2 2.3Z"/>',
    "phone_missed": '<path d="M21.5 16.6v2.9a2 2 0 0 1-2.2 2 19.8 19.8 0 0 1-8.6-3.1 19.5 '
    "19.5 0 0 1-6-6A19.8 19.8 0 0 1 1.6 3.8 2 2 0 0 1 3.6 1.6h2.9a2 2 0 0 1 2 1.7c.1 1 .4 "
    "1.9.7 2.7a2 2 0 0 1-.5 2.1L7.5 9.3a16 16 0 0 0 6 6l1.2-1.2a2 2 0 0 1 2.1-.5c.9.3 1.8.6 "
    '2.7.7a2 2 0 0 1 2 2.3Z"/><path d="m16 2.5 5.5 5.5M21.5 2.5 16 8"/>',
    "previous": '<path d="m15 18-6-6 6-6"/>',
    "next": '<path d="m9 18 6-6-6-6"/>',
}

# Stand-in for the application icon when the product's own drawing cannot be found (a bare
# wheel without resources/, not installed in the icon theme).
FALLBACK_APP_ICON_SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">
<rect x="2" y="2" width="60" height="60" rx="14" fill="#2b6cb0"/>
<path d="M20 50V15a3 3 0 0 1 3-3h18a3 3 0 0 1 3 3v35" fill="none" stroke="#ffffff"
 stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/>
<path d="M13 50h38" fill="none" stroke="#ffffff" stroke-width="4" stroke-linecap="round"/>
<circle cx="37" cy="32" r="2.6" fill="#ffffff"/>
</svg>
"""

ICON_NAMES: tuple[str, ...] = tuple(_SHAPES)


def svg_source(name: str, color: str = "currentColor") -> str:
    """The SVG document of a named icon, stroked and filled with ``color``."""
    shape = _SHAPES[name].replace("currentColor", color)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" '
        f'stroke="{color}" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">'
        f"{shape}</svg>"
    )


@lru_cache(maxsize=512)
def _renderer(name: str, rgba: int) -> QSvgRenderer:
    color = QColor.fromRgba(rgba)
    # SVG has no #AARRGGBB: give the opacity separately.
    source = svg_source(name, color.name()).replace(
        "<svg ", f'<svg opacity="{color.alphaF():.3f}" ', 1
    )
    return QSvgRenderer(QByteArray(source.encode("utf-8")))


def paint_icon(
    painter: QPainter, name: str, rect: QRectF, color: QColor, dpr: float | None = None
) -> None:
    """Draw a named icon into ``rect`` (e.g. from a delegate's paint).

    Delegates paint the same few icons in every row on every repaint, so each (icon,
    colour, size) is rendered from SVG once and drawn as a pixmap after that. A widget
    painting itself passes its own ``dpr``: asking the painter for its device hands back
    a Python wrapper that PySide may have left over from a deleted object at the same
    address (seen crashing the kiosk's tiles)."""
    if dpr is None:
        device = painter.device()
        dpr = device.devicePixelRatioF() if device is not None else 1.0
    width, height = round(rect.width()), round(rect.height())
    if width <= 0 or height <= 0:
        return
    painter.drawPixmap(rect.topLeft(), _cached(name, color.rgba(), width, height, dpr))


@lru_cache(maxsize=1024)
def _cached(name: str, rgba: int, width: int, height: int, dpr: float) -> QPixmap:
    image = QPixmap(round(width * dpr), round(height * dpr))
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    _renderer(name, rgba).render(painter, QRectF(0, 0, image.width(), image.height()))
    painter.end()
    image.setDevicePixelRatio(dpr)
    return image


def pixmap(name: str, color: QColor, size: int = 16, dpr: float = 2.0) -> QPixmap:
    return QPixmap(_cached(name, color.rgba(), size, size, dpr))


def icon(name: str, color: QColor, disabled: QColor | None = None) -> QIcon:
    """A QIcon of a named icon for menus and buttons, sharp at the usual sizes."""
    result = QIcon()
    for size in (16, 20, 24, 32):
        result.addPixmap(pixmap(name, color, size, 1.0))
        result.addPixmap(pixmap(name, color, size, 2.0))
        if disabled is not None:
            result.addPixmap(pixmap(name, disabled, size, 1.0), QIcon.Mode.Disabled)
            result.addPixmap(pixmap(name, disabled, size, 2.0), QIcon.Mode.Disabled)
    return result


def app_icon_path() -> Path | None:
    """resources/icons/bmx-console.svg: beside the package in a checkout, inside the bundle
    in a PyInstaller build."""
    roots = [Path(__file__).resolve().parents[2]]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        roots.insert(0, Path(bundle))
    for root in roots:
        path = root / "resources" / "icons" / "bmx-console.svg"
        if path.is_file():
            return path
    return None


@lru_cache(maxsize=1)
def app_icon() -> QIcon:
    """The product's icon: its SVG, else the installed theme icon, else a stand-in."""
    path = app_icon_path()
    if path is not None:
        renderer = QSvgRenderer(str(path))
    else:
        themed = QIcon.fromTheme("bmx-console")
        if not themed.isNull():
            return themed
        renderer = QSvgRenderer(QByteArray(FALLBACK_APP_ICON_SVG.encode("utf-8")))
    result = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        image = QPixmap(size, size)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        result.addPixmap(image)
    return result


SPINNER_FRAMES = 12


def paint_spinner(painter: QPainter, rect: QRectF, color: QColor, frame: int) -> None:
    """One frame of the busy spinner: an arc that turns a twelfth per frame."""
    side = min(rect.width(), rect.height())
    pen_width = max(1.5, side / 9)
    inset = pen_width / 2 + side * 0.08
    square = QRectF(
        rect.center().x() - side / 2 + inset,
        rect.center().y() - side / 2 + inset,
        side - 2 * inset,
        side - 2 * inset,
    )
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    track = QColor(color)
    track.setAlphaF(0.22)
    painter.setPen(QPen(track, pen_width))
    painter.drawEllipse(square)
    pen = QPen(color, pen_width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    start = -(frame % SPINNER_FRAMES) * (360 / SPINNER_FRAMES)
    painter.drawArc(square, round((90 + start) * 16), -100 * 16)
    painter.restore()
