"""The Help menu's dialogs: the guards' offline guide, the keyboard shortcuts, and the log
folder's path for a desk without a file manager.

The guide is the console's own HTML (``resources/guide/``), so it is shown as rich text in a
QTextBrowser (the plain-text guard concerns labels, which show data; this is not data). Links
in it are not followed: the desk is offline-first and a guide must not open a browser.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from bmx_console.ui.resources import resource_path

GUIDE_NAME = "guide"


def guide_path(language: str | None = None) -> Path | None:
    """The guide in ``language`` (the UI's, by default) if there is one, else in English."""
    code = (language or QLocale().name()).split("_")[0].lower()
    return resource_path("guide", f"{GUIDE_NAME}_{code}.html") or resource_path(
        "guide", f"{GUIDE_NAME}.html"
    )


class UserGuideDialog(QDialog):
    """Help → User guide: releasing, calls, passes, the states, what to do offline."""

    def __init__(self, parent: QWidget | None = None, *, language: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("User guide"))
        self.setModal(False)
        self.browser = QTextBrowser(self)
        self.browser.setAccessibleName(self.tr("User guide"))
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        path = guide_path(language)
        if path is not None:
            self.browser.setHtml(path.read_text(encoding="utf-8"))
        else:
            self.browser.setPlainText(self.tr("The user guide is not part of this installation."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(640, 640)


@dataclass(frozen=True)
class Shortcut:
    where: str
    what: str
    keys: str


def _plain(text: str) -> str:
    """A menu label without its mnemonic ampersands ("&&" is a real one)."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def menu_shortcuts(menus: Iterable[QMenu]) -> list[Shortcut]:
    """Every action of these menus (and their submenus) that has a shortcut."""
    found: list[Shortcut] = []

    def walk(menu: QMenu, where: str) -> None:
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu):
                walk(sub, f"{where} → {_plain(sub.title())}")
            elif not action.isSeparator() and not action.shortcut().isEmpty():
                keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                found.append(Shortcut(where, _plain(action.text()), keys))

    for menu in menus:
        walk(menu, _plain(menu.title()))
    return found


def widget_shortcuts(window: QWidget) -> list[Shortcut]:
    """The window's shortcuts that are not menu entries (QShortcut objects), by what they say
    they do (their ``whatsThis``); the door hotkeys F1–F12 as one line."""
    hotkeys: list[str] = []
    found: list[Shortcut] = []
    for shortcut in window.findChildren(QShortcut):
        keys = shortcut.key().toString(QKeySequence.SequenceFormat.NativeText)
        if not keys:
            continue
        if shortcut.whatsThis():
            found.append(Shortcut(_tr("Window"), shortcut.whatsThis(), keys))
        elif keys.startswith("F") and keys[1:].isdigit():
            hotkeys.append(keys)
    if hotkeys:
        ordered = sorted(hotkeys, key=lambda k: int(k[1:]))
        keys = f"{ordered[0]}–{ordered[-1]}" if len(ordered) > 1 else ordered[0]
        found.append(Shortcut(_tr("Doors"), _tr("Release the door on that row"), keys))
    return found


def _tr(text: str) -> str:
    return QCoreApplication.translate("ShortcutsDialog", text)


class ShortcutsDialog(QDialog):
    """Help → Keyboard shortcuts: built from the window's actions, so it cannot drift."""

    @classmethod
    def of(cls, window: QWidget, menus: Iterable[QMenu], parent: QWidget) -> ShortcutsDialog:
        return cls(menu_shortcuts(menus) + widget_shortcuts(window), parent)

    def __init__(self, shortcuts: list[Shortcut], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.table = QTableWidget(len(shortcuts), 3, self)
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("Does"), self.tr("Where")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        for row, item in enumerate(shortcuts):
            for column, text in enumerate((item.keys, item.what, item.where)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(620, 520)

    def listed(self) -> list[tuple[str, str]]:
        """(keys, what) of each row, as shown."""
        cells = [
            (self.table.item(row, 0), self.table.item(row, 1))
            for row in range(self.table.rowCount())
        ]
        return [(keys.text(), what.text()) for keys, what in cells if keys and what]


class LogFolderDialog(QDialog):
    """Where the logs are, with a Copy button: no file manager answered to open it."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Log folder"))
        intro = QLabel(
            self.tr(
                "No file manager opened the log folder. It is here; copy the path to open it "
                "another way or to give it to support:"
            ),
            self,
        )
        intro.setWordWrap(True)
        self.path = QLabel(str(folder), self)
        self.path.setAccessibleName(self.tr("Log folder path"))
        self.path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_button = QPushButton(self.tr("Copy"), self)
        self.copy_button.setAccessibleName(self.tr("Copy the log folder's path"))
        self.copy_button.clicked.connect(self.copy)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.copy_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(buttons)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.path.text())
        self.copy_button.setText(self.tr("Copied"))


def focus_search(field: object) -> None:
    """Ctrl+F and Ctrl+Shift+F: the search field, its text selected to type over."""
    if isinstance(field, QLineEdit):
        field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        field.selectAll()


def _quit_tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def quit_prompt(window: QWidget, quit_now: Callable[[], object]) -> QMessageBox:
    """ "Quit the security desk?" (window-modal, opened, not exec'd); Keep is the default."""
    box = QMessageBox(window)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(_quit_tr("Quit bmx-console?"))
    box.setText(_quit_tr("Quit the security desk?"))
    box.setInformativeText(
        _quit_tr(
            "Doors can no longer be released from this desk, and panel calls will not ring "
            "here until it is started again."
        )
    )
    quit_button = box.addButton(_quit_tr("Quit"), QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton(_quit_tr("Keep the desk open"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.buttonClicked.connect(lambda button: quit_now() if button is quit_button else None)
    box.open()
    return box
