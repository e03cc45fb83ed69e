"""The desk window's frame: made and painted before the console behind it exists.

``bmx_console.app`` shows it first (menus, the door list waiting for its doors, the status bar)
and only then loads the network stack; the desk then builds into this same window. A desk
rebuilt for new settings makes a fresh frame with ``new_window``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer

from bmx_console.ui.main_window import MainWindow
from bmx_console.ui.theme import ThemeManager, ThemeMode

# How long the frame may take to reach the screen before the console loads anyway.
FIRST_FRAME_WAIT_MS = 1000


def window_settings(path: Path) -> QSettings:
    """Window geometry, splitter, filters and theme: an INI file beside config.toml."""
    return QSettings(str(path), QSettings.Format.IniFormat)


def new_window(
    *, qsettings: QSettings, theme: ThemeManager | None, demo: bool, log_folder: Path
) -> MainWindow:
    """The desk window's frame, in the saved theme (no connection needed yet)."""
    saved_theme = qsettings.value("view/theme", "")
    if theme is not None and saved_theme in ("system", "light", "dark"):
        mode: ThemeMode = saved_theme
        theme.apply(mode)
    return MainWindow(window_settings=qsettings, theme=theme, demo=demo, log_folder=log_folder)


def show_frame(window: MainWindow) -> MainWindow:
    """Show ``window`` and wait (up to ``FIRST_FRAME_WAIT_MS``) until its first frame is on
    screen."""
    # A local Qt loop, before asyncio exists: nothing else can run yet but Qt itself.
    waiting = QEventLoop()
    give_up = QTimer()
    give_up.setSingleShot(True)
    give_up.timeout.connect(waiting.quit)
    window.first_painted.connect(waiting.quit)
    window.show()
    give_up.start(FIRST_FRAME_WAIT_MS)
    if not window.has_painted:
        waiting.exec()
    give_up.stop()
    window.first_painted.disconnect(waiting.quit)
    return window
