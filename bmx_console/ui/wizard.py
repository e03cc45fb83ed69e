"""The first-run wizard: try the demo, or connect to ButterflyMX in four short steps.

Credentials are checked against the cloud before the operator moves on (a wrong secret is
caught on the page where it was typed), the building and the release tenant are picked from
what the credentials really see, and nothing is written until Finish: then the settings go
to config.toml and the client secret to the OS keyring.

Every check runs on a temporary connection through the callables the wizard is given, so
the wizard itself never talks HTTP and never blocks the window.
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from bmx_console.api.models import Tenant
from bmx_console.config import Settings
from bmx_console.errors import ConfigError
from bmx_console.ports import SettingsAccess, SignInSession
from bmx_console.ui.dialog_kit import (
    Banner,
    FieldNote,
    StatusLine,
    icon_pixmap,
    muted,
    muted_color,
    reported_on,
    scaled_font,
)
from bmx_console.ui.qt_async import spawn
from bmx_console.ui.sign_in_dialog import SignInPanel
from bmx_console.ui.wizard_lists import BuildingPage, TenantPage
from bmx_console.ui.wizard_parts import ChoiceCard, StepList, page_header

WELCOME, CREDENTIALS, BUILDING, TENANT, DONE = range(5)


class WelcomePage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self._wizard = wizard
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        page_header(
            layout,
            self.tr("Welcome to bmx-console"),
            self.tr(
                "The security-desk console for ButterflyMX: every door with one-click "
                "release, live access events and panel calls, and visitor passes."
            ),
        )
        self.demo = ChoiceCard(
            "monitor",
            self.tr("Try the demo"),
            self.tr("A simulated property with doors, events and calls. No account needed."),
        )
        self.connect_card = ChoiceCard(
            "cloud",
            self.tr("Connect to ButterflyMX"),
            self.tr(
                "Use the API credentials (client ID and secret) or the ButterflyMX account "
                "of this property."
            ),
        )
        self.demo.clicked.connect(wizard.choose_demo)
        self.connect_card.clicked.connect(wizard.next)
        layout.addWidget(self.connect_card)
        layout.addWidget(self.demo)
        layout.addStretch(1)
        layout.addWidget(
            muted(
                self.tr("You can change everything later under Settings."),
                small=True,
            )
        )

    def isComplete(self) -> bool:
        # The cards move on; the wizard's own Next button has nothing to add here.
        return False


class CredentialsPage(QWizardPage):
    """Client ID + secret (checked with a test connection), or a code sign-in."""

    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self._checking: asyncio.Task[Any] | None = None
        self._verified: tuple[Any, ...] | None = None
        self._sign_in_conn: SignInSession | None = None
        self._sign_in_for: tuple[Any, ...] | None = None
        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        page_header(
            layout,
            self.tr("Connect to ButterflyMX"),
            self.tr(
                "Your ButterflyMX partner contact mints API credentials for the property. "
                "A person's ButterflyMX account can sign in by code instead."
            ),
        )
        modes = QHBoxLayout()
        modes.setSpacing(18)
        self.secret_mode = QRadioButton(self.tr("Client ID and secret"))
        self.code_mode = QRadioButton(self.tr("Sign in with a ButterflyMX account"))
        for radio in (self.secret_mode, self.code_mode):
            radio.setAccessibleName(radio.text())
            modes.addWidget(radio)
        modes.addStretch(1)
        group = QButtonGroup(self)
        group.addButton(self.secret_mode)
        group.addButton(self.code_mode)
        self.secret_mode.setChecked(True)
        layout.addLayout(modes)
        layout.addSpacing(10)

        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(4)
        grid.setColumnMinimumWidth(0, 130)
        grid.setColumnStretch(1, 1)
        self.client_id = self._edit(self.tr("Client ID"), self.tr("client_id from the portal"))
        self.secret = self._edit(self.tr("Client secret"), self.tr("client_secret"))
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_base = self._edit(self.tr("API address"), "")
        self.token_url = self._edit(self.tr("Token address"), "")
        self.api_base.setText(Settings().api_base)
        self.token_url.setText(Settings().token_url)
        self._secret_label = QLabel(self.tr("Client secret"))
        self._notes = {name: FieldNote() for name in ("client_id", "api_base", "token_url")}
        grid.addWidget(QLabel(self.tr("Client ID")), 0, 0)
        grid.addWidget(self.client_id, 0, 1)
        grid.addWidget(self._notes["client_id"], 1, 1)
        grid.addWidget(self._secret_label, 2, 0)
        grid.addWidget(self.secret, 2, 1)
        layout.addLayout(grid)

        self._advanced_toggle = QToolButton()
        self._advanced_toggle.setText(self.tr("Regional or staging endpoint"))
        self._advanced_toggle.setAccessibleName(self.tr("Show the endpoint addresses"))
        self._advanced_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._advanced_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self._advanced_toggle.setCheckable(True)
        self._advanced_toggle.setAutoRaise(True)
        self._advanced_toggle.toggled.connect(self._show_advanced)
        layout.addWidget(self._advanced_toggle)
        self._advanced = QWidget()
        advanced = QGridLayout(self._advanced)
        advanced.setContentsMargins(0, 0, 0, 0)
        advanced.setHorizontalSpacing(18)
        advanced.setVerticalSpacing(4)
        advanced.setColumnMinimumWidth(0, 130)
        advanced.setColumnStretch(1, 1)
        advanced.addWidget(QLabel(self.tr("API address")), 0, 0)
        advanced.addWidget(self.api_base, 0, 1)
        advanced.addWidget(self._notes["api_base"], 1, 1)
        advanced.addWidget(QLabel(self.tr("Token address")), 2, 0)
        advanced.addWidget(self.token_url, 2, 1)
        advanced.addWidget(self._notes["token_url"], 3, 1)
        self._advanced.setVisible(False)
        layout.addWidget(self._advanced)
        layout.addSpacing(8)

        self._stack = QStackedWidget()
        self.check_status = StatusLine()
        check_page = QWidget()
        check_layout = QVBoxLayout(check_page)
        check_layout.setContentsMargins(0, 0, 0, 0)
        check_layout.addWidget(self.check_status)
        check_layout.addStretch(1)
        self.sign_in = SignInPanel()
        self.sign_in.signed_in.connect(self._signed_in)
        self._stack.addWidget(check_page)
        self._stack.addWidget(self.sign_in)
        layout.addWidget(self._stack, 1)
        self.banner = Banner()
        layout.addWidget(self.banner)

        for edit in (self.client_id, self.secret, self.api_base, self.token_url):
            edit.textChanged.connect(self._edited)
        for edit in (self.client_id, self.token_url):
            edit.editingFinished.connect(self._prepare_sign_in)
        self.code_mode.toggled.connect(self._mode_changed)

    def _edit(self, name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(name)
        edit.setPlaceholderText(placeholder)
        edit.setMinimumHeight(30)
        return edit

    def _show_advanced(self, shown: bool) -> None:
        self._advanced.setVisible(shown)
        self._advanced_toggle.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        )

    # -- what was typed ----------------------------------------------------------------------

    @property
    def using_code(self) -> bool:
        return self.code_mode.isChecked()

    def draft(self) -> Settings | None:
        try:
            return Settings().with_changes(
                client_id=self.client_id.text(),
                api_base=self.api_base.text(),
                token_url=self.token_url.text(),
            )
        except ConfigError:
            return None

    def typed_secret(self) -> str | None:
        return None if self.using_code else (self.secret.text() or None)

    def fingerprint(self) -> tuple[Any, ...]:
        return (
            self.using_code,
            self.client_id.text().strip(),
            self.secret.text(),
            self.api_base.text().strip(),
            self.token_url.text().strip(),
        )

    def _field_problems(self) -> dict[str, str]:
        problems: dict[str, str] = {}
        values = {
            "client_id": self.client_id.text(),
            "api_base": self.api_base.text(),
            "token_url": self.token_url.text(),
        }
        for name, value in values.items():
            try:
                Settings().with_changes(**{name: value})
            except ConfigError as exc:
                problems[name] = str(exc)
        return problems

    def _edited(self) -> None:
        problems = self._field_problems()
        for name, note in self._notes.items():
            note.show_problem(problems.get(name))
        if problems.get("api_base") or problems.get("token_url"):
            self._advanced_toggle.setChecked(True)
        if self._checking is None and self._verified != self.fingerprint():
            self.check_status.clear()
        self.completeChanged.emit()

    def _mode_changed(self) -> None:
        code = self.using_code
        self.secret.setVisible(not code)
        self._secret_label.setVisible(not code)
        self._stack.setCurrentIndex(1 if code else 0)
        self.banner.hide_message()
        if code:
            self._prepare_sign_in()
        elif not self._wizard.access.secrets.available:
            self.banner.show_message(
                "warning",
                self.tr(
                    "No usable OS keyring was found, so the client secret cannot be stored: "
                    "the desk will need BMX_CLIENT_SECRET in its environment, or a keyring "
                    "(on Linux: gnome-keyring) installed and unlocked."
                ),
            )
        self._edited()

    def initializePage(self) -> None:
        self._mode_changed()
        self.client_id.setFocus()

    # -- code sign-in ------------------------------------------------------------------------

    def _prepare_sign_in(self) -> None:
        """A temporary connection for the typed client ID and token address to sign in on."""
        if not self.using_code:
            return
        draft = self.draft()
        key = (draft.client_id, draft.token_url) if draft else None
        if key == self._sign_in_for and self._sign_in_conn is not None:
            return
        self._close_sign_in()
        self.banner.hide_message()
        if draft is None or not draft.client_id:
            self.sign_in.set_tokens(None)
            self.sign_in.status.show_message(
                "info", self.tr("Type the client ID first: the sign-in is for that client.")
            )
            return
        if not self._wizard.access.secrets.available:
            self.sign_in.set_tokens(None)
            self.banner.show_message("error", self._no_keyring_for_code())
            return
        self._sign_in_conn = self._wizard.access.sign_in_connection(draft)
        self._sign_in_for = key
        self.sign_in.set_tokens(self._sign_in_conn.tokens)

    def _no_keyring_for_code(self) -> str:
        return self.tr(
            "No usable OS keyring was found (Secret Service, macOS Keychain or Windows "
            "Credential Manager), so a sign-in could not be kept: install and unlock a keyring "
            "(on Linux: gnome-keyring), or use the client ID and secret with BMX_CLIENT_SECRET "
            "set in the environment."
        )

    def _signed_in(self) -> None:
        self._verified = self.fingerprint()
        self.completeChanged.emit()
        self._wizard.next()

    def _close_sign_in(self) -> None:
        conn, self._sign_in_conn, self._sign_in_for = self._sign_in_conn, None, None
        self.sign_in.set_tokens(None)
        if conn is not None:
            spawn(conn.aclose(), name=self.tr("Closing the sign-in connection"))

    # -- checking ----------------------------------------------------------------------------

    def isComplete(self) -> bool:
        if self._checking is not None or self._field_problems():
            return False
        if not self.client_id.text().strip():
            return False
        if self.using_code:
            return self._verified == self.fingerprint()
        return bool(self.secret.text())

    def validatePage(self) -> bool:
        if self._verified == self.fingerprint():
            return True
        draft = self.draft()
        if draft is None or self.using_code or self._checking is not None:
            return False
        self.check_status.show_message("busy", self.tr("Checking the credentials…"))
        self._checking = spawn(
            self._check(draft, self.typed_secret(), self.fingerprint()),
            name=self.tr("Checking the credentials"),
        )
        self.completeChanged.emit()
        return False

    async def _check(
        self, draft: Settings, secret: str | None, fingerprint: tuple[Any, ...]
    ) -> None:
        try:
            ok, sentence = await reported_on(
                self.check_status,
                self._wizard.access.test_connection(draft, secret),
                self.tr("The check failed unexpectedly ({0}); the log has details."),
            )
            if ok and sentence is not None:
                self.check_status.show_message("ok", sentence)
                self._wizard.connection_summary = sentence
                self._verified = fingerprint
        finally:
            self._checking = None
            self.completeChanged.emit()
        if self._verified == self.fingerprint() and self._wizard.currentId() == CREDENTIALS:
            self._wizard.next()

    def shutdown(self) -> None:
        task, self._checking = self._checking, None
        if task is not None and not task.done():
            task.cancel()
        self.sign_in.cancel()
        self._close_sign_in()


class DonePage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self._keyring_refused = False
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        page_header(
            layout,
            self.tr("Ready to start"),
            self.tr("Check what will be saved. Finish writes the settings and starts the desk."),
        )
        self._summary = QGridLayout()
        self._summary.setHorizontalSpacing(24)
        self._summary.setVerticalSpacing(10)
        self._summary.setColumnStretch(1, 1)
        layout.addLayout(self._summary)
        layout.addStretch(1)
        self.banner = Banner()
        layout.addWidget(self.banner)

    def initializePage(self) -> None:
        self._keyring_refused = False
        self.banner.hide_message()
        self._wizard.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Finish"))
        while self._summary.count():
            item = self._summary.takeAt(0)
            old = item.widget() if item is not None else None
            if old is not None:
                old.deleteLater()
        wizard = self._wizard
        credentials = wizard.credentials_page
        tenant = wizard.tenant_page.tenant
        secrets = wizard.access.secrets
        where = (
            self.tr("OS keyring ({0})").format(secrets.backend_name.rsplit(".", 1)[-1])
            if secrets.available
            else self.tr("nowhere: no usable OS keyring")
        )
        rows = [
            ("key", self.tr("Client ID"), credentials.client_id.text().strip()),
            (
                "sign_in",
                self.tr("Sign-in"),
                self.tr("ButterflyMX account, kept in the {0}").format(where)
                if credentials.using_code
                else self.tr("Client secret, stored in the {0}").format(where),
            ),
            ("cloud", self.tr("API"), credentials.api_base.text().strip()),
            ("building", self.tr("Building"), wizard.building_page.building_name()),
            ("door", self.tr("Release doors as"), self._release_tenants_text(tenant)),
            ("folder", self.tr("Settings file"), str(wizard.access.config_path)),
        ]
        if wizard.connection_summary and not credentials.using_code:
            rows.insert(0, ("check_circle", self.tr("Connection"), wizard.connection_summary))
        for row, (icon, label, value) in enumerate(rows):
            picture = QLabel()
            picture.setPixmap(icon_pixmap(icon, muted_color(self), 20))
            name = QLabel(label)
            name.setFont(scaled_font(name, 1.0, bold=True))
            text = QLabel(value)
            # Names come from the cloud and the operator: never rendered as markup.
            text.setTextFormat(Qt.TextFormat.PlainText)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._summary.addWidget(picture, row, 0, Qt.AlignmentFlag.AlignTop)
            self._summary.addWidget(name, row, 1, Qt.AlignmentFlag.AlignTop)
            self._summary.addWidget(text, row, 2, Qt.AlignmentFlag.AlignTop)
        self._summary.setColumnStretch(1, 0)
        self._summary.setColumnStretch(2, 1)

    def _release_tenants_text(self, tenant: Tenant | None) -> str:
        page = self._wizard.tenant_page
        if not page.several_buildings:
            if tenant is None:
                return self.tr("Not set yet: door release stays off")
            return self.tr("{0} (id {1})").format(tenant.name, tenant.id)
        chosen = page.tenants_by_building
        lines = []
        for building in self._wizard.building_page.buildings:
            picked = page.tenant_named(chosen[building.id]) if building.id in chosen else None
            lines.append(
                self.tr("{0}: {1} (id {2})").format(building.name, picked.name, picked.id)
                if picked is not None
                else self.tr("{0}: none yet, its doors cannot be released").format(building.name)
            )
        return "\n".join(lines)

    def validatePage(self) -> bool:
        if self._keyring_refused:
            return True
        wizard = self._wizard
        try:
            settings = wizard.settings_to_save()
            outcome = wizard.access.save(settings, wizard.credentials_page.typed_secret())
        except ConfigError as exc:
            self.banner.show_message("error", str(exc))
            return False
        wizard.saved_settings = settings
        if outcome.secret_problem is not None:
            self._keyring_refused = True
            # Verified a moment ago: the desk may use it now, from memory, never a file.
            wizard.session_secret = wizard.credentials_page.typed_secret()
            self.banner.show_message(
                "error",
                self.tr(
                    "The settings were saved, but the client secret was not: {0} The desk "
                    "will use the secret for this session only; the next start will ask "
                    "for it again."
                ).format(outcome.secret_problem),
            )
            wizard.setButtonText(
                QWizard.WizardButton.FinishButton, self.tr("Finish without the secret")
            )
            return False
        return True


class FirstRunWizard(QWizard):
    """First start: the demo, or credentials → building → release tenant → saved settings."""

    demo_chosen = Signal()
    completed = Signal(object)

    def __init__(self, access: SettingsAccess, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Saving, the keyring's state and the connection checks: given, never imported.
        self.access = access
        # A verified secret the keyring could not keep: the desk runs on it this session.
        self.session_secret: str | None = None
        self.connection_summary = ""
        self.saved_settings: Settings | None = None
        self.setWindowTitle(self.tr("Set up bmx-console"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setMinimumSize(QSize(880, 600))
        self.welcome_page = WelcomePage(self)
        self.credentials_page = CredentialsPage(self)
        self.building_page = BuildingPage(self)
        self.tenant_page = TenantPage(self, self.building_page)
        self.done_page = DonePage(self)
        for page_id, page in enumerate(
            (
                self.welcome_page,
                self.credentials_page,
                self.building_page,
                self.tenant_page,
                self.done_page,
            )
        ):
            self.setPage(page_id, page)
        self._steps = StepList(
            [
                self.tr("Welcome"),
                self.tr("Credentials"),
                self.tr("Building"),
                self.tr("Release tenant"),
                self.tr("Finish"),
            ]
        )
        self.setSideWidget(self._steps)
        for button in (
            QWizard.WizardButton.BackButton,
            QWizard.WizardButton.NextButton,
            QWizard.WizardButton.FinishButton,
            QWizard.WizardButton.CancelButton,
        ):
            widget = self.button(button)
            widget.setMinimumSize(QSize(96, 32))
            widget.setAccessibleName(widget.text().replace("&", "").strip(" <>"))
        self.currentIdChanged.connect(self._page_changed)
        self._page_changed(WELCOME)

    def _page_changed(self, page_id: int) -> None:
        self._steps.set_current(max(page_id, 0))
        if page_id == WELCOME:
            self.setButtonLayout([QWizard.WizardButton.Stretch, QWizard.WizardButton.CancelButton])
        else:
            self.setButtonLayout(
                [
                    QWizard.WizardButton.Stretch,
                    QWizard.WizardButton.BackButton,
                    QWizard.WizardButton.NextButton,
                    QWizard.WizardButton.FinishButton,
                    QWizard.WizardButton.CancelButton,
                ]
            )

    # -- shared between the pages ----------------------------------------------------------

    def draft_and_secret(self) -> tuple[Settings, str | None]:
        draft = self.credentials_page.draft()
        if draft is None:
            raise ConfigError("the connection settings are not valid: go back and fix them")
        return draft, self.credentials_page.typed_secret()

    def credentials_key(self) -> tuple[Any, ...]:
        return self.credentials_page.fingerprint()

    def settings_to_save(self) -> Settings:
        draft, _ = self.draft_and_secret()
        tenant = self.tenant_page.tenant
        return draft.with_changes(
            building_id=self.building_page.building_id,
            release_tenant_id=tenant.id if tenant else None,
            release_tenants=tuple(sorted(self.tenant_page.tenants_by_building.items())),
        )

    # -- endings -----------------------------------------------------------------------------

    def choose_demo(self) -> None:
        """The demo needs no settings: nothing is saved and ``completed`` is not emitted."""
        self.demo_chosen.emit()
        self.done(QDialog.DialogCode.Accepted)

    def accept(self) -> None:
        super().accept()
        if self.saved_settings is not None:
            self.completed.emit(self.saved_settings)

    def done(self, result: int) -> None:
        self.credentials_page.shutdown()
        self.building_page.cancel()
        self.tenant_page.cancel()
        super().done(result)
