"""Sign-in by pasted code: open ButterflyMX in a browser, sign in there, paste the code back.

ButterflyMX shows the code on its own page (the out-of-band redirect), so the desk needs no
local web server. The panel is also used by the first-run wizard, on a temporary connection.
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFontDatabase, QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bmx_console.api.auth import SignInRequest, TokenManager
from bmx_console.errors import BmxError
from bmx_console.ui.dialog_kit import StatusLine, heading, line_icon, muted, reported_on
from bmx_console.ui.qt_async import spawn


def step_badge(number: int) -> QLabel:
    badge = QLabel(str(number))
    badge.setFixedSize(QSize(24, 24))
    badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
    badge.setStyleSheet(
        "QLabel { background: palette(highlight); color: palette(highlighted-text); "
        "border-radius: 12px; font-weight: bold; }"
    )
    return badge


class SignInPanel(QWidget):
    """The two steps of a code sign-in on one ``TokenManager``; emits ``signed_in``."""

    signed_in = Signal()

    def __init__(self, tokens: TokenManager | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tokens: TokenManager | None = None
        self._request: SignInRequest | None = None
        self._task: asyncio.Task[Any] | None = None
        self._build()
        self.set_tokens(tokens)

    def _build(self) -> None:
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(1, 1)

        grid.addWidget(step_badge(1), 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(heading(self.tr("Open the ButterflyMX sign-in page"), level=3), 0, 1)
        grid.addWidget(
            muted(
                self.tr(
                    "Sign in there with the ButterflyMX account this desk acts as. "
                    "ButterflyMX then shows a code."
                )
            ),
            1,
            1,
        )
        self._url = QLineEdit()
        self._url.setReadOnly(True)
        self._url.setAccessibleName(self.tr("Sign-in address"))
        self._url.setMinimumHeight(30)
        self._url.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        grid.addWidget(self._url, 2, 1)
        links = QHBoxLayout()
        links.setSpacing(8)
        self._copy = self._button("copy", self.tr("Copy link"), self.copy_link)
        self._open = self._button("external", self.tr("Open in browser"), self.open_link)
        self._again = self._button("refresh", self.tr("New link"), self.restart)
        self._again.setToolTip(self.tr("Start the sign-in again, e.g. after a code expired"))
        links.addWidget(self._open)
        links.addWidget(self._copy)
        links.addStretch(1)
        links.addWidget(self._again)
        grid.addLayout(links, 3, 1)
        grid.setRowMinimumHeight(4, 18)

        grid.addWidget(step_badge(2), 5, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(heading(self.tr("Paste the code"), level=3), 5, 1)
        grid.addWidget(muted(self.tr("Copy the code ButterflyMX showed and paste it here.")), 6, 1)
        code_row = QHBoxLayout()
        code_row.setSpacing(8)
        self._code = QLineEdit()
        self._code.setAccessibleName(self.tr("Sign-in code"))
        self._code.setPlaceholderText(self.tr("Code from ButterflyMX"))
        self._code.setMinimumHeight(32)
        self._code.textChanged.connect(self._update_buttons)
        self._code.returnPressed.connect(self.sign_in)
        self._sign_in = QPushButton(line_icon("sign_in", self), self.tr("Sign in"))
        self._sign_in.setAccessibleName(self.tr("Sign in"))
        self._sign_in.setMinimumHeight(32)
        self._sign_in.setAutoDefault(False)
        self._sign_in.clicked.connect(self.sign_in)
        code_row.addWidget(self._code, 1)
        code_row.addWidget(self._sign_in)
        grid.addLayout(code_row, 7, 1)
        self._status = StatusLine()
        grid.addWidget(self._status, 8, 1)

    def _button(self, icon: str, text: str, slot: Any) -> QPushButton:
        button = QPushButton(line_icon(icon, self), text)
        button.setAccessibleName(text)
        button.setAutoDefault(False)
        button.setMinimumHeight(30)
        button.clicked.connect(slot)
        return button

    # -- state -------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return self._request.url if self._request else ""

    @property
    def status(self) -> StatusLine:
        return self._status

    @property
    def code_field(self) -> QLineEdit:
        return self._code

    @property
    def busy(self) -> bool:
        return self._task is not None

    def set_tokens(self, tokens: TokenManager | None) -> None:
        """Sign in on ``tokens`` (None: nothing to sign in to yet, e.g. no client ID)."""
        self.cancel()
        self._tokens = tokens
        self.restart()

    def restart(self) -> None:
        self._request = None
        self._code.clear()
        self._status.clear()
        if self._tokens is not None:
            try:
                self._request = self._tokens.start_sign_in()
            except BmxError as exc:
                self._status.show_message("error", str(exc))
        self._url.setText(self.url)
        self._url.setCursorPosition(0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        ready = self._request is not None and self._task is None
        for button in (self._copy, self._open):
            button.setEnabled(self._request is not None)
        self._again.setEnabled(self._tokens is not None and self._task is None)
        self._code.setEnabled(ready)
        self._sign_in.setEnabled(ready and bool(self._code.text().strip()))

    # -- actions -----------------------------------------------------------------------------

    def copy_link(self) -> None:
        if self._request is not None:
            QGuiApplication.clipboard().setText(self._request.url)
            self._status.show_message("info", self.tr("The sign-in link is on the clipboard."))

    def open_link(self) -> None:
        if self._request is None:
            return
        if not QDesktopServices.openUrl(QUrl(self._request.url)):
            self._status.show_message(
                "warning",
                self.tr(
                    "No browser could be opened: copy the link and open it in a browser "
                    "on any computer."
                ),
            )

    def sign_in(self) -> None:
        request, tokens, code = self._request, self._tokens, self._code.text()
        if request is None or tokens is None or self._task is not None or not code.strip():
            return
        self._status.show_message("busy", self.tr("Signing in to ButterflyMX…"))
        self._task = spawn(self._finish(tokens, request, code), name=self.tr("Signing in"))
        self._update_buttons()

    async def _finish(self, tokens: TokenManager, request: SignInRequest, code: str) -> None:
        try:
            ok, _ = await reported_on(
                self._status,
                tokens.finish_sign_in(request, code),
                self.tr("The sign-in failed unexpectedly ({0}); the log has details."),
            )
            if ok:
                # A code works once: the next sign-in needs a new link.
                self._request = None
                self._status.show_message("ok", self.tr("Signed in to ButterflyMX."))
                self.signed_in.emit()
        finally:
            self._task = None
            self._update_buttons()

    def cancel(self) -> None:
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()


class SignInDialog(QDialog):
    """Sign in again by pasted code; ``signed_in`` once ButterflyMX accepted the code."""

    signed_in = Signal()

    def __init__(self, tokens: TokenManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sign in to ButterflyMX"))
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 18)
        layout.setSpacing(6)
        layout.addWidget(heading(self.tr("Sign in to ButterflyMX")))
        layout.addWidget(
            muted(
                self.tr(
                    "The desk keeps the sign-in fresh by itself and stores it in the OS "
                    "keyring; you only sign in again when ButterflyMX asks for it."
                )
            )
        )
        layout.addSpacing(16)
        self.panel = SignInPanel(tokens)
        self.panel.signed_in.connect(self._signed_in)
        layout.addWidget(self.panel)
        layout.addSpacing(10)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setIcon(QIcon())
        # Return in the code field signs in; it must not reach Close as the default button.
        close.setAutoDefault(False)
        close.setAccessibleName(self.tr("Close without signing in"))
        close.setMinimumSize(QSize(96, 32))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.panel.code_field.setFocus()

    def _signed_in(self) -> None:
        self.signed_in.emit()
        self.accept()

    def done(self, result: int) -> None:
        self.panel.cancel()
        super().done(result)
