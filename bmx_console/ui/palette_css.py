"""Colours and style sheets that follow the application palette, which changes at run time
with the desktop's light or dark scheme."""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QGuiApplication, QPalette


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def muted_color(palette: QPalette | None = None) -> QColor:
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.PlaceholderText)


_PALETTE_REF = re.compile(r"palette\(([a-z-]+)\)")
_CSS_ROLES = {
    "base": QPalette.ColorRole.Base,
    "highlight": QPalette.ColorRole.Highlight,
    "highlighted-text": QPalette.ColorRole.HighlightedText,
    "link": QPalette.ColorRole.Link,
    "mid": QPalette.ColorRole.Mid,
    "placeholder-text": QPalette.ColorRole.PlaceholderText,
    "text": QPalette.ColorRole.Text,
    "window": QPalette.ColorRole.Window,
}


def themed_css(css: str) -> str:
    """``css`` with each ``palette(role)`` replaced by the application palette's colour.

    Qt resolves ``palette(...)`` in a style sheet once, when it is set; the console's
    palette changes at run time with the desktop's light/dark scheme, so style sheets are
    written with concrete colours and set again when the palette changes.
    """
    palette = QGuiApplication.palette()

    def color(match: re.Match[str]) -> str:
        value = palette.color(_CSS_ROLES[match.group(1)])
        return f"rgb({value.red()},{value.green()},{value.blue()})"

    return _PALETTE_REF.sub(color, css)
