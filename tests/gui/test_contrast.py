"""Every text the desk paints on its background, in both themes, on normal, alternate and
selected rows, pills, chips and the Release button pressed or hovered: WCAG AA (4.5:1).

The colours come from the real palettes and from the named functions the delegates paint
with (``ui/contrast.py``), so a colour changed in either place is checked here."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from bmx_console.ui import contrast
from bmx_console.ui.event_kinds import KINDS
from bmx_console.ui.theme import dark_palette, light_palette, state_colors

R = QPalette.ColorRole
STATES = ("idle", "sending", "released", "failed")


def text_pairs(palette: QPalette) -> Iterator[tuple[str, QColor, QColor]]:
    """(what, text, background) for everything the tables and the window paint."""
    for role, on in (
        (R.WindowText, R.Window),
        (R.Text, R.Base),
        (R.Text, R.AlternateBase),
        (R.ButtonText, R.Button),
        (R.PlaceholderText, R.Base),
        (R.PlaceholderText, R.Window),
        (R.HighlightedText, R.Highlight),
        (R.ToolTipText, R.ToolTipBase),
        (R.Link, R.Base),
    ):
        yield f"{role.name} on {on.name}", palette.color(role), palette.color(on)
    colors = state_colors(palette)
    for name in ("success", "danger", "warning", "info", "muted"):
        for on in (R.Window, R.Base):
            yield f"{name} on {on.name}", getattr(colors, name), palette.color(on)
    for selected in (False, True):
        for alternate in (False, True):
            row = f"{'selected' if selected else 'normal'}{' alternate' if alternate else ''}"
            bg = contrast.row_background(palette, selected=selected, alternate=alternate)
            for muted in (False, True):
                text = contrast.row_text(palette, selected=selected, muted=muted)
                yield f"{'muted' if muted else 'text'} on a {row} row", text, bg
            for state in STATES:
                word, fill = contrast.state_pill(palette, state, selected=selected)
                yield f"{state} pill on a {row} row", word, fill or bg
            for failure in (True, False):
                aside = contrast.aside_text(palette, failure=failure, selected=selected)
                yield f"{'failure' if failure else 'notice'} on a {row} row", aside, bg
    for state in STATES:
        for pressed, hovered in ((False, False), (True, False), (False, True)):
            fill, text = contrast.release_button(palette, state, pressed=pressed, hovered=hovered)
            look = "pressed" if pressed else "hovered" if hovered else "normal"
            yield f"{state} Release button {look}", text, fill
            yield f"{state} Release button {look} hotkey", text, contrast.hotkey_badge(fill, text)
    for kind in KINDS:
        word, fill = contrast.kind_chip(palette, kind)
        yield f"{kind} chip", word, fill


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_text_meets_wcag_aa_on_its_background(qapp: QApplication, theme: str) -> None:
    palette = light_palette() if theme == "light" else dark_palette()
    failing = [
        f"{what}: {contrast.contrast(text, bg):.2f}"
        for what, text, bg in text_pairs(palette)
        if contrast.contrast(text, bg) < contrast.AA_TEXT
    ]
    assert failing == []


def test_the_ratio_is_wcag_s() -> None:
    assert contrast.contrast(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert contrast.contrast(QColor("#767676"), QColor("#ffffff")) == pytest.approx(4.54, abs=0.01)
    half_white = QColor(255, 255, 255, 128)
    assert contrast.over(half_white, QColor("#000000")).red() in (127, 128)
