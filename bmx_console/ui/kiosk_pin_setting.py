"""Settings → Kiosk: set or remove the lobby kiosk's staff PIN from the desk.

The kiosk never lets anyone choose its PIN (whoever reached its corner first would own it),
so this is one of the two places it is set, with ``bmx-console kiosk-pin``. The widget gets
the composition root's callables through ``SettingsAccess``; it never sees the stored hash,
and drops the typed PIN from its fields whatever happens. Hashing is slow on purpose (the
hash's cost), so storing runs in a worker thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from bmx_console.core.pin import PIN_MAX_DIGITS, PIN_MIN_DIGITS, pin_problem
from bmx_console.errors import ConfigError
from bmx_console.ports import SettingsAccess
from bmx_console.ui.dialog_kit import StatusLine, muted
from bmx_console.ui.qt_async import spawn

# A plain Python thread, not the Qt loop's default executor: a QThread still hashing when the
# app quits aborts the process.
_SAVER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-pin-save")


class KioskPinSetting(QWidget):
    """Whether a staff PIN is set; a new PIN typed twice, Set PIN and Remove PIN."""

    def __init__(self, access: SettingsAccess, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._access = access
        self._task: asyncio.Task[None] | None = None
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(18)
        grid.setColumnMinimumWidth(0, 170)
        grid.setColumnStretch(1, 1)
        self.state = muted("")
        self.pin_edit = QLineEdit()
        self.pin_again = QLineEdit()
        for edit, name in ((self.pin_edit, "New staff PIN"), (self.pin_again, "The same again")):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setMaxLength(PIN_MAX_DIGITS)
            edit.setMaximumWidth(200)
            edit.setMinimumHeight(30)
            edit.setAccessibleName(self.tr(name))
        self.set_button = QPushButton(self.tr("Set PIN"))
        self.set_button.setAccessibleName(self.tr("Set the kiosk staff PIN"))
        self.set_button.setAutoDefault(False)
        self.set_button.clicked.connect(lambda: self.store())
        self.clear_button = QPushButton(self.tr("Remove PIN"))
        self.clear_button.setAccessibleName(self.tr("Remove the kiosk staff PIN"))
        self.clear_button.setAutoDefault(False)
        self.clear_button.clicked.connect(lambda: self.store(clear=True))
        self.status = StatusLine()
        buttons = QHBoxLayout()
        buttons.addWidget(self.set_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        grid.addWidget(QLabel(self.tr("Kiosk staff PIN")), 0, 0)
        grid.addWidget(self.state, 0, 1)
        grid.addWidget(QLabel(self.tr("New PIN")), 1, 0)
        grid.addWidget(self.pin_edit, 1, 1)
        grid.addWidget(QLabel(self.tr("The same again")), 2, 0)
        grid.addWidget(self.pin_again, 2, 1)
        rule = self.tr(
            "{0} to {1} digits; not one digit repeated nor a run like 123456. A running kiosk "
            "asks for the new PIN at its next prompt."
        ).format(PIN_MIN_DIGITS, PIN_MAX_DIGITS)
        grid.addWidget(muted(rule, small=True), 3, 1)
        grid.addLayout(buttons, 4, 1)
        grid.addWidget(self.status, 5, 1)
        self._show_state()

    def _show_state(self) -> None:
        settable = self._access.set_kiosk_pin is not None
        is_set = self._access.kiosk_pin_is_set()
        if not settable:
            text = self.tr("Not available here.")
        elif is_set:
            text = self.tr("A staff PIN is set.")
        else:
            text = self.tr("Not set: nobody can leave the kiosk until one is.")
        self.state.setText(text)
        busy = self._task is not None
        for widget in (self.pin_edit, self.pin_again, self.set_button):
            widget.setEnabled(settable and not busy)
        self.clear_button.setEnabled(settable and is_set and not busy)

    def store(self, *, clear: bool = False) -> None:
        """Check the typed PIN beside the fields, then store its hash (or remove the PIN)."""
        setter = self._access.set_kiosk_pin
        if setter is None or self._task is not None:
            return
        pin, again = self.pin_edit.text(), self.pin_again.text()
        self.pin_edit.clear()
        self.pin_again.clear()
        if not clear:
            problem = pin_problem(pin)
            if problem is None and pin != again:
                problem = self.tr("The two PINs differ: type the same PIN twice.")
            if problem is not None:
                self.status.show_message("error", problem + " " + self.tr("Nothing changed."))
                return
        self.status.show_message("busy", self.tr("Saving…"))
        self._task = spawn(
            self._store(setter, None if clear else pin), name=self.tr("Saving the kiosk PIN")
        )
        self._show_state()

    async def _store(self, setter: Callable[[str | None], None], pin: str | None) -> None:
        try:
            await asyncio.get_running_loop().run_in_executor(_SAVER, setter, pin)
        except ConfigError as exc:
            self.status.show_message("error", str(exc))
        else:
            if self._access.kiosk_pin_changed is not None:
                self._access.kiosk_pin_changed(pin is None)
            self.status.show_message(
                "ok",
                self.tr("The staff PIN was removed.")
                if pin is None
                else self.tr("Saved: the kiosk asks for this PIN from its next prompt."),
            )
        finally:
            self._task = None
            self._show_state()
