"""How a ringing call gets attention: a strong colour of its own (in both themes), the
count of ringing calls in the window title with the taskbar's alert, a snapshot that opens
large on a click, and the keys that answer a call from the keyboard."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from PySide6.QtCore import QObject, QSize, Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QDialog, QVBoxLayout, QWidget

from bmx_console.ui.snapshot import SnapshotView
from bmx_console.ui.theme import css_rgb

# Ctrl+Return releases the calling panel's door when it has one; with more doors, each
# "Release …" button carries its own Ctrl+1…Ctrl+9. Ctrl+D acknowledges the call.
RELEASE_KEY = "Ctrl+Return"
DOOR_KEYS = tuple(f"Ctrl+{n}" for n in range(1, 10))
ACKNOWLEDGE_KEY = "Ctrl+D"

# The call's own colours: nothing else on the desk is filled this strongly.
_CALL = {(False, False): "#c2410c", (False, True): "#b42318", (True, False): "#ea580c"}
_CALL[(True, True)] = "#d92d20"


def key_text(keys: str) -> str:
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)


def call_accent(dark: bool, for_desk: bool) -> QColor:
    """Deep orange for a resident's call, signal red for one to the front desk."""
    return QColor(_CALL[(dark, for_desk)])


def ringing_css(accent: QColor) -> str:
    """The banner filled with the call's colour, its text white, its plain buttons outlined."""
    on = "#ffffff"
    return (
        f"QFrame#callBanner {{ background: {css_rgb(accent)};"
        f" border: 2px solid {css_rgb(accent.darker(130))}; border-radius: 10px; }}"
        f"QFrame#callBanner QLabel {{ color: {on}; }}"
        f"QFrame#callBanner QPushButton {{ background: rgba(255,255,255,0.14); color: {on};"
        f" border: 1px solid rgba(255,255,255,0.7); border-radius: 6px; padding: 6px 14px; }}"
        "QFrame#callBanner QPushButton:hover { background: rgba(255,255,255,0.26); }"
        "QFrame#callBanner QToolButton { color: #ffffff; }"
    )


def release_button_css(accent: QColor) -> str:
    """The release buttons: white on the call's colour, so they are what the eye finds."""
    return (
        f"QPushButton {{ background: #ffffff; color: {css_rgb(accent.darker(115))}; border: none;"
        " border-radius: 6px; padding: 7px 16px; font-weight: 700; }"
        f"QPushButton:hover {{ background: {css_rgb(QColor('#ffffff').darker(108))}; }}"
        "QPushButton:disabled { background: rgba(255,255,255,0.55); }"
    )


class CallKeys(QObject):
    """The banner's keys; they work while the banner shows a call (Qt leaves a hidden
    widget's shortcuts asleep), anywhere in its window."""

    def __init__(
        self,
        banner: QWidget,
        *,
        release_only: Callable[[], None],
        release_nth: Callable[[int], None],
        acknowledge: Callable[[], None],
    ) -> None:
        super().__init__(banner)
        # Each says what it does (whatsThis): Help → Keyboard shortcuts lists them from there.
        self.release = QShortcut(QKeySequence(RELEASE_KEY), banner)
        self.release.setWhatsThis(self.tr("Release a ringing panel's only door"))
        self.release.activated.connect(release_only)
        self.doors: list[QShortcut] = []
        for index, keys in enumerate(DOOR_KEYS):
            shortcut = QShortcut(QKeySequence(keys), banner)
            shortcut.setWhatsThis(self.tr("Release the calling panel's door {0}").format(index + 1))
            shortcut.activated.connect(lambda i=index: release_nth(i))
            self.doors.append(shortcut)
        self.acknowledge = QShortcut(QKeySequence(ACKNOWLEDGE_KEY), banner)
        self.acknowledge.setWhatsThis(self.tr("Acknowledge the ringing call"))
        self.acknowledge.activated.connect(acknowledge)


def open_large_snapshot(
    parent: QWidget, fetch_image: Callable[[str], Awaitable[bytes]], url: str, title: str
) -> QDialog:
    """The caller's snapshot in a window of its own, large enough to recognise a face."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    view = SnapshotView(fetch_image, parent=dialog)
    view.setMinimumSize(QSize(960, 540))
    view.setObjectName("largeSnapshot")
    layout = QVBoxLayout(dialog)
    layout.addWidget(view)
    view.load(url)
    dialog.resize(1000, 580)
    dialog.show()
    return dialog


_COUNT = re.compile(r"^\(\d+ ringing\) ")


class WindowAttention(QObject):
    """The window title says how many calls ring, and the taskbar is asked to flash (an
    urgency hint) each time one more starts ringing."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._count = 0

    def ringing(self, count: int) -> None:
        base = _COUNT.sub("", self._window.windowTitle())
        self._window.setWindowTitle(f"({count} ringing) {base}" if count else base)
        if count > self._count:
            QApplication.alert(self._window)
        self._count = count
