"""Confirm before release, for the doors where a wrong click matters.

Most doors release in one click: the desk exists to open them quickly. A door marked
sensitive (a garage gate, a server room) or one the operator chose to guard asks first, in a
dialog that names the door and its building. Enter confirms, Esc cancels. The dialog puts the
focus on its Release button itself, so Enter means "release"; but a held key's repeats are
ignored, so the Enter that asked for the release cannot also confirm it.

``ReleaseGate.release`` stands in front of the release service for every way the desk
releases a door: the painted buttons, Enter and Space, the F-key hotkeys and the call
banner. The lobby kiosk guards its doors by hold-to-release instead and does not use it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bmx_console.core.release import ReleaseOutcome
from bmx_console.core.store import DoorRow, Store
from bmx_console.ui import icons
from bmx_console.ui.dialog_kit import heading, icon_pixmap, muted, scaled_font
from bmx_console.ui.door_list import DoorList
from bmx_console.ui.theme import mix, state_colors

CANCELLED = "Release cancelled — the door was not released."
ALREADY_ASKING = "Already asking to confirm this door's release."

_CONFIRM_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)


def _held_confirm_key(event: QEvent) -> bool:
    """A repeat of Enter or Space: the key that asked for the release, still held down,
    which must not also confirm it."""
    return isinstance(event, QKeyEvent) and event.isAutoRepeat() and event.key() in _CONFIRM_KEYS


def palette_key(widget: QWidget) -> tuple[int, int, int]:
    """What a widget's own colours are derived from, to restyle only when a theme changed
    them. (Qt hands widgets a PaletteChange for a theme switch, not the
    ApplicationPaletteChange one might expect.)"""
    palette = widget.palette()
    return (
        palette.color(QPalette.ColorRole.Window).rgba(),
        palette.color(QPalette.ColorRole.Text).rgba(),
        palette.color(QPalette.ColorRole.Highlight).rgba(),
    )


class FollowsTheme:
    """For a widget that paints its own colours (``_restyle``): restyled, once, after a
    theme change that altered its palette. Mixed in before the Qt class."""

    _styled_for: tuple[int, int, int] | None = None

    def _restyle(self) -> None:
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)  # type: ignore[misc]
        if event.type() == QEvent.Type.PaletteChange and palette_key(self) != self._styled_for:  # type: ignore[arg-type]
            QTimer.singleShot(0, self._restyle)

    def _mark_styled(self) -> None:
        self._styled_for = palette_key(self)  # type: ignore[arg-type]


def badge_header(badge: QWidget, *lines: QWidget) -> QHBoxLayout:
    """A dialog's top: a badge, and beside it its title and explanation lines."""
    text = QVBoxLayout()
    text.setSpacing(6)
    for line in lines:
        text.addWidget(line)
    top = QHBoxLayout()
    top.setSpacing(16)
    top.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
    top.addLayout(text, 1)
    return top


def style_primary(button: QPushButton) -> None:
    """The one button a dialog is for: filled with the palette's accent, white text."""
    palette = button.palette()
    accent = palette.color(QPalette.ColorRole.Highlight)
    base = palette.color(QPalette.ColorRole.Window)
    hover = mix(accent, QColor("#ffffff"), 0.12)
    pressed = mix(accent, QColor("#000000"), 0.2)
    ring = mix(accent, base, 0.5)
    disabled = palette.color(QPalette.ColorRole.Mid)
    button.setObjectName("primaryButton")
    button.setFont(scaled_font(button, 1.0, bold=True))
    button.setStyleSheet(
        f"#primaryButton {{ background: {accent.name()}; color: #ffffff; border: none;"
        " border-radius: 6px; padding: 0 16px; }"
        f" #primaryButton:hover {{ background: {hover.name()}; }}"
        f" #primaryButton:pressed {{ background: {pressed.name()}; }}"
        f" #primaryButton:focus {{ border: 2px solid {ring.name()}; }}"
        f" #primaryButton:disabled {{ background: {disabled.name()}; }}"
    )


class ConfirmReleaseDialog(FollowsTheme, QDialog):
    """ "Release <door> — <building>?" with Release (focused, default) and Cancel."""

    def __init__(
        self,
        door_name: str,
        building_name: str,
        *,
        sensitive: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._styled_for: tuple[int, int, int] | None = None
        self.setWindowTitle(self.tr("Confirm release"))
        self.setAccessibleName(self.tr("Confirm release"))
        self.setMinimumWidth(520)
        question = (
            self.tr("Release {0} — {1}?").format(door_name, building_name)
            if building_name
            else self.tr("Release {0}?").format(door_name)
        )
        self.question = heading(question, level=2)
        self.question.setAccessibleName(question)
        why = (
            self.tr("{0} is marked sensitive. Check who is at the door before you release it.")
            if sensitive
            else self.tr("Confirm before release is on for {0}.")
        ).format(door_name)
        self.reason = muted(why)
        self.keys_hint = muted(self.tr("Enter releases · Esc cancels"), small=True)
        self.keys_hint.setWordWrap(False)

        self.badge = QLabel(self)
        self.badge.setFixedSize(52, 52)
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setAccessibleName(self.tr("Cancel the release"))
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        self.release_button = QPushButton(self.tr("Release {0}").format(door_name), self)
        self.release_button.setAccessibleName(self.tr("Release {0}").format(door_name))
        self.release_button.setDefault(True)
        self.release_button.clicked.connect(self.accept)
        for button in (self.cancel_button, self.release_button):
            button.setMinimumHeight(36)
            button.setMinimumWidth(110)
            button.installEventFilter(self)

        top = badge_header(self.badge, self.question, self.reason)
        buttons = QHBoxLayout()
        buttons.setSpacing(10)
        buttons.addWidget(self.keys_hint, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.release_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 20, 22, 18)
        layout.setSpacing(20)
        layout.addLayout(top)
        layout.addLayout(buttons)
        self._sensitive = sensitive
        self._restyle()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Deliberately on Release: left to Qt, the first button in the tab order (Cancel)
        # would take the focus and Enter would cancel.
        self.release_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The buttons act on Enter and Space themselves, before the dialog sees the key.
        if event.type() == QEvent.Type.KeyPress and _held_confirm_key(event):
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if _held_confirm_key(event):
            event.accept()
            return
        super().keyPressEvent(event)

    def _restyle(self) -> None:
        self._mark_styled()
        palette = self.palette()
        colors = state_colors(palette)
        tone = colors.warning if self._sensitive else colors.info
        base = palette.color(QPalette.ColorRole.Window)
        self.badge.setPixmap(icon_pixmap("unlock", tone, 28, self.devicePixelRatioF()))
        self.badge.setStyleSheet(
            f"background: {colors.tint(tone, base, 0.16).name()}; border-radius: 26px;"
        )
        self.release_button.setIcon(icons.icon("unlock", QColor("#ffffff")))
        style_primary(self.release_button)


class ReleaseGate(QObject):
    """Releases a door through ``release``, asking first for sensitive and guarded doors.

    ``flags_changed(sensitive, confirm)`` carries both sets of door ids (frozensets) after
    the operator changes one from a door's context menu, for the settings file.
    """

    flags_changed = Signal(object, object)

    def __init__(
        self,
        release: Callable[[int], Awaitable[object]],
        store: Store,
        *,
        sensitive: Iterable[int] = (),
        confirm: Iterable[int] = (),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._release = release
        self._store = store
        self._sensitive = frozenset(sensitive)
        self._confirm = frozenset(confirm)
        self._dialog_parent: QWidget | None = None
        self._asking: dict[int, ConfirmReleaseDialog] = {}

    @property
    def sensitive_doors(self) -> frozenset[int]:
        return self._sensitive

    @property
    def confirm_doors(self) -> frozenset[int]:
        return self._confirm

    def is_sensitive(self, door_id: int) -> bool:
        return door_id in self._sensitive

    def asks_first(self, door_id: int) -> bool:
        return door_id in self._sensitive or door_id in self._confirm

    def set_sensitive(self, door_id: int, sensitive: bool) -> None:
        changed = self._sensitive | {door_id} if sensitive else self._sensitive - {door_id}
        if changed != self._sensitive:
            self._sensitive = changed
            self.flags_changed.emit(self._sensitive, self._confirm)

    def set_confirm(self, door_id: int, confirm: bool) -> None:
        changed = self._confirm | {door_id} if confirm else self._confirm - {door_id}
        if changed != self._confirm:
            self._confirm = changed
            self.flags_changed.emit(self._sensitive, self._confirm)

    def set_dialog_parent(self, widget: QWidget | None) -> None:
        """The window the dialogs belong to (and block while they are open)."""
        self._dialog_parent = widget

    def dialog_for(self, door_id: int) -> ConfirmReleaseDialog | None:
        """The confirmation open for that door, if any."""
        return self._asking.get(door_id)

    async def release(self, door_id: int) -> object:
        """Release the door, after a confirmation if it asks for one; an unconfirmed press
        comes back as an "ignored" outcome that says why."""
        if not self.asks_first(door_id):
            return await self._release(door_id)
        asking = self._asking.get(door_id)
        if asking is not None:
            asking.raise_()
            asking.activateWindow()
            return ReleaseOutcome(result="ignored", door_id=door_id, notice=ALREADY_ASKING)
        if not await self._confirmed(door_id):
            return ReleaseOutcome(result="ignored", door_id=door_id, notice=CANCELLED)
        return await self._release(door_id)

    async def _confirmed(self, door_id: int) -> bool:
        row = self._store.door(door_id)
        dialog = ConfirmReleaseDialog(
            row.name if row is not None else self.tr("Door {0}").format(door_id),
            row.building_name if row is not None else "",
            sensitive=self.is_sensitive(door_id),
            parent=self._dialog_parent,
        )
        answer: asyncio.Future[bool] = asyncio.get_running_loop().create_future()

        def finished(result: int) -> None:
            if not answer.done():
                answer.set_result(result == QDialog.DialogCode.Accepted)

        dialog.finished.connect(finished)
        self._asking[door_id] = dialog
        dialog.open()
        try:
            return await answer
        finally:
            del self._asking[door_id]
            if dialog.isVisible():
                dialog.reject()
            dialog.deleteLater()

    def add_menu_actions(self, menu: QMenu, row: DoorRow) -> None:
        """A door's context menu entries: "Confirm before release" and "Mark as sensitive"."""
        door_id = row.id
        menu.addSeparator()
        sensitive = self.is_sensitive(door_id)
        confirm = menu.addAction(
            self.tr("Confirm before release (always for sensitive doors)")
            if sensitive
            else self.tr("Confirm before release")
        )
        confirm.setCheckable(True)
        confirm.setChecked(self.asks_first(door_id))
        confirm.setEnabled(not sensitive)
        confirm.toggled.connect(lambda on: self.set_confirm(door_id, on))
        mark = menu.addAction(self.tr("Mark as sensitive"))
        mark.setCheckable(True)
        mark.setChecked(sensitive)
        mark.toggled.connect(lambda on: self.set_sensitive(door_id, on))


def attach_release_gate(gate: ReleaseGate, door_list: DoorList, window: QWidget) -> None:
    """Show the gate's choices on the door list (buttons, context menu) and parent its
    dialogs to the window."""
    gate.set_dialog_parent(window)
    door_list.model.asks_first = gate.asks_first
    door_list.add_menu_extension(gate.add_menu_actions)
    gate.flags_changed.connect(lambda *_: door_list.view.viewport().update())
