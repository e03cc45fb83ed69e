"""Help ▸ Keyboard shortcuts: each of the desk's own shortcuts as an entry that shows its
keys and does what it says, so that the menu is both the list and a way in."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu


class ShortcutsMenu:
    def __init__(self, window: QMainWindow, help_menu: QMenu) -> None:
        self._window = window
        self.menu = help_menu.addMenu(window.tr("&Keyboard shortcuts"))
        self.actions: dict[str, QAction] = {}

    def add(self, text: str, keys: str, triggered: Callable[[], object]) -> QAction:
        action = QAction(text, self._window)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _checked=False: triggered())
        # On the window too, so that the keys work whichever menu is open or not.
        self._window.addAction(action)
        self.menu.addAction(action)
        self.actions[keys] = action
        return action

    def add_info(self, text: str, keys: str) -> QAction:
        """A shortcut that lives elsewhere (on a banner's buttons): listed, not handled here."""
        action = self.menu.addAction(f"{text}\t{keys}")
        action.setEnabled(False)
        self.actions[keys] = action
        return action


def shortcuts_menu(window: QMainWindow, help_menu: QMenu) -> ShortcutsMenu:
    existing = getattr(window, "_bmx_shortcuts", None)
    if isinstance(existing, ShortcutsMenu):
        return existing
    made = ShortcutsMenu(window, help_menu)
    window._bmx_shortcuts = made  # type: ignore[attr-defined]
    return made
