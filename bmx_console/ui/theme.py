"""Light and dark palettes, and the state colours that read on both.

The console uses the Fusion style everywhere with its own palettes: the native Windows style
ignores a dark palette, and a desk that switches between two looks depending on the
platform is harder to support. "system" follows the OS colour scheme and keeps following it
when it changes; "light" and "dark" pin one.

State colours (released, failed, sending, warnings) are picked per palette, never fixed: a
green that reads on white is too dark on charcoal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import QObject, Qt, Signal, SignalInstance
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

ThemeMode = Literal["system", "light", "dark"]
THEME_MODES: tuple[ThemeMode, ...] = ("system", "light", "dark")


@dataclass(frozen=True, slots=True)
class StateColors:
    """Foreground colours for states, and a tint to fill a pill or a banner behind them.
    One instance is shared per palette: copy a colour (``QColor(c)``) before changing it."""

    success: QColor
    danger: QColor
    warning: QColor
    info: QColor
    muted: QColor
    dark: bool

    def tint(self, color: QColor, base: QColor, amount: float = 0.16) -> QColor:
        """``color`` mixed into ``base``: a background that keeps ``color`` text readable."""
        return mix(base, color, amount)


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """``a`` moved ``amount`` (0..1) of the way towards ``b``."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * amount),
        round(a.green() + (b.green() - a.green()) * amount),
        round(a.blue() + (b.blue() - a.blue()) * amount),
    )


def css_rgb(color: QColor) -> str:
    """``color`` as a style sheet's ``rgb(r,g,b)``."""
    return f"rgb({color.red()},{color.green()},{color.blue()})"


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def state_colors(palette: QPalette | None = None) -> StateColors:
    palette = palette or QGuiApplication.palette()
    # Delegates ask for every cell they paint: one answer per palette.
    key = palette.cacheKey()
    cached = _STATE_COLORS.get(key)
    if cached is None:
        if len(_STATE_COLORS) > 64:
            _STATE_COLORS.clear()
        cached = _STATE_COLORS[key] = _state_colors(palette)
    return cached


_STATE_COLORS: dict[int, StateColors] = {}


def _state_colors(palette: QPalette) -> StateColors:
    muted = palette.color(QPalette.ColorRole.PlaceholderText)
    if is_dark(palette):
        return StateColors(
            success=QColor("#4ccf72"),
            danger=QColor("#ff7a70"),
            warning=QColor("#f5b94a"),
            info=QColor("#7fb0ff"),
            muted=muted,
            dark=True,
        )
    return StateColors(
        success=QColor("#126f35"),
        danger=QColor("#c2261d"),
        warning=QColor("#9a5b00"),
        info=QColor("#1b62d6"),
        muted=muted,
        dark=False,
    )


def _palette(colors: dict[QPalette.ColorRole, str], disabled_text: str) -> QPalette:
    palette = QPalette()
    for role, value in colors.items():
        palette.setColor(role, QColor(value))
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled_text))
    return palette


R = QPalette.ColorRole


LIGHT = {
    R.Window: "#f3f5f8",
    R.WindowText: "#1b2130",
    R.Base: "#ffffff",
    R.AlternateBase: "#f7f8fb",
    R.Text: "#1b2130",
    R.Button: "#ffffff",
    R.ButtonText: "#1b2130",
    R.Highlight: "#2563eb",
    R.HighlightedText: "#ffffff",
    R.ToolTipBase: "#1b2130",
    R.ToolTipText: "#f3f5f8",
    # Dark enough for 4.5:1 on the alternate rows, not only on white.
    R.PlaceholderText: "#656e80",
    R.Link: "#1d4ed8",
    R.Light: "#ffffff",
    R.Midlight: "#e6e9ef",
    R.Mid: "#cfd4dd",
    R.Dark: "#9aa3b2",
    R.Shadow: "#5b6372",
    R.BrightText: "#ffffff",
}

DARK = {
    R.Window: "#1c1f26",
    R.WindowText: "#e7e9ee",
    R.Base: "#15171c",
    R.AlternateBase: "#1a1d23",
    R.Text: "#e7e9ee",
    R.Button: "#2a2e37",
    R.ButtonText: "#e7e9ee",
    # White on it reads at 4.5:1 (selected rows, the Release button); #3b82f6 gave 3.7.
    R.Highlight: "#2b67e0",
    R.HighlightedText: "#ffffff",
    R.ToolTipBase: "#e7e9ee",
    R.ToolTipText: "#15171c",
    R.PlaceholderText: "#8d95a5",
    R.Link: "#8ab4ff",
    R.Light: "#3a3f4a",
    R.Midlight: "#2f333d",
    R.Mid: "#3a3f4a",
    R.Dark: "#0f1115",
    R.Shadow: "#000000",
    R.BrightText: "#ffffff",
}


def light_palette() -> QPalette:
    return _palette(LIGHT, "#9aa3b2")


def dark_palette() -> QPalette:
    return _palette(DARK, "#5d6472")


def system_is_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


class _ThemeSignals(QObject):
    changed = Signal()


_signals: _ThemeSignals | None = None


def theme_changed() -> SignalInstance:
    """Emitted after a theme is applied. Widgets that style themselves (style sheets with
    palette colours) re-style on it: in Qt 6 a widget under a style sheet does not get the
    application's palette change, so waiting for a PaletteChange would leave it as it was."""
    global _signals
    if _signals is None:
        _signals = _ThemeSignals()
    return _signals.changed


class ThemeManager(QObject):
    """Applies a mode to the application and re-applies it when the OS scheme changes."""

    def __init__(self, app: QApplication, mode: ThemeMode = "system") -> None:
        super().__init__(app)
        self._app = app
        self._mode: ThemeMode = mode
        app.setStyle(QStyleFactory.create("Fusion"))
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._scheme_changed)
        self.apply(mode)

    @property
    def mode(self) -> ThemeMode:
        return self._mode

    def apply(self, mode: ThemeMode) -> None:
        self._mode = mode if mode in THEME_MODES else "system"
        dark = system_is_dark() if self._mode == "system" else self._mode == "dark"
        self._app.setPalette(dark_palette() if dark else light_palette())
        theme_changed().emit()

    def _scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self._mode == "system":
            self.apply("system")
