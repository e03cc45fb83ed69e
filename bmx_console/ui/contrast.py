"""The colours the tables paint with, by name, and how well they read.

Every delegate asks here for the colour of a text and of what it sits on (a row, selected
or not; a pill; a button, pressed or hovered), so that one test can check each pair against
WCAG AA (4.5:1, 3:1 for large text) in both themes. A colour that reads on a white row can
vanish on the blue of a selected one: on a selected row, text is the highlighted text colour
and a pill is filled solid from the base colour, so its state colour keeps its contrast.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from bmx_console.ui.event_kinds import kind_color
from bmx_console.ui.theme import is_dark, mix, state_colors

AA_TEXT = 4.5
AA_LARGE = 3.0

_WHITE = QColor(255, 255, 255)
_BLACK = QColor(0, 0, 0)
R = QPalette.ColorRole


# -- measuring --------------------------------------------------------------------------------


def over(color: QColor, background: QColor) -> QColor:
    """``color`` (perhaps translucent) as it shows on an opaque ``background``."""
    alpha = color.alphaF()
    return mix(background, QColor(color.red(), color.green(), color.blue()), alpha)


def luminance(color: QColor) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.red())
        + 0.7152 * channel(color.green())
        + 0.0722 * channel(color.blue())
    )


def contrast(text: QColor, background: QColor) -> float:
    """The WCAG contrast ratio of ``text`` (composited onto it) on ``background``."""
    a, b = luminance(over(text, background)), luminance(background)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


# -- rows ------------------------------------------------------------------------------------


def row_background(palette: QPalette, *, selected: bool, alternate: bool = False) -> QColor:
    """What a row is painted with (Fusion paints no hover on item views)."""
    if selected:
        return palette.color(R.Highlight)
    return palette.color(R.AlternateBase if alternate else R.Base)


def row_text(palette: QPalette, *, selected: bool, muted: bool = False) -> QColor:
    """A row's text, or its quieter second line."""
    if selected:
        # Even the quiet line at full strength: a translucent white on the selection blue
        # falls under 4.5:1.
        return palette.color(R.HighlightedText)
    return palette.color(R.PlaceholderText if muted else R.Text)


def state_color(palette: QPalette, state: str) -> QColor:
    colors = state_colors(palette)
    return {
        "sending": colors.info,
        "released": colors.success,
        "failed": colors.danger,
        # While ButterflyMX is unreachable an idle door's state is not known.
        "unknown": colors.warning,
    }.get(state, colors.muted)


def state_pill(palette: QPalette, state: str, *, selected: bool) -> tuple[QColor, QColor | None]:
    """The state pill's word colour and fill (None: no pill, the word on the row itself).

    The fill is opaque, from the base colour, so the state colour reads on a selected row too.
    """
    if state == "idle":
        return row_text(palette, selected=selected, muted=True), None
    colors = state_colors(palette)
    color = state_color(palette, state)
    return color, colors.tint(color, palette.color(R.Base), 0.18 if colors.dark else 0.12)


def aside_text(palette: QPalette, *, failure: bool, selected: bool) -> QColor:
    """The failure sentence (or the notice) beside the pill, on the row."""
    if selected:
        return row_text(palette, selected=True)
    colors = state_colors(palette)
    return colors.danger if failure else colors.warning


# -- the Release button ----------------------------------------------------------------------


def release_button(
    palette: QPalette, state: str, *, pressed: bool = False, hovered: bool = False
) -> tuple[QColor, QColor]:
    """The button's fill and label colour."""
    accent = palette.color(R.Highlight)
    if state == "sending":
        return mix(palette.color(R.Base), accent, 0.35), palette.color(R.Text)
    if state == "released":
        colors = state_colors(palette)
        fill = mix(colors.success, _BLACK, 0.45) if colors.dark else colors.success
        return fill, _WHITE
    if pressed:
        return mix(accent, _BLACK, 0.25), _WHITE
    if hovered:
        # Darker, not lighter: white on a lightened blue falls under 4.5:1.
        return mix(accent, _BLACK, 0.12), _WHITE
    return accent, _WHITE


def hotkey_badge(fill: QColor, text: QColor) -> QColor:
    """The hotkey's little pill on the button (its letters are in ``text``)."""
    # A shade darker than the button: a lighter one takes white text under 4.5:1.
    return mix(fill, _BLACK, 0.22)


# -- event kind chips ------------------------------------------------------------------------


def kind_chip(palette: QPalette, kind: str) -> tuple[QColor, QColor]:
    """A kind chip's word colour and its opaque fill (readable on any row under it)."""
    dark = is_dark(palette)
    color = kind_color(kind, dark)
    return color, mix(palette.color(R.Base), color, 0.22 if dark else 0.10)
