"""The Settings dialog: every setting an operator sets, checked by the config's own rules.

Each field is checked as it is typed, with the same rule the settings file is read with
(``Settings.with_changes``), and the sentence is shown under the field; Save stays off while
any field breaks its rule. The client secret is not a setting: it goes to the OS keyring
(an empty field keeps the stored one), and if there is no usable keyring the other settings
are still saved and the secret is written nowhere.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from bmx_console.config import Settings
from bmx_console.errors import ConfigError
from bmx_console.ports import SettingsAccess
from bmx_console.ui.dialog_kit import (
    Banner,
    FieldNote,
    StatusLine,
    heading,
    line_icon,
    muted,
    reported_on,
    tone_color,
)
from bmx_console.ui.kiosk_pin_setting import KioskPinSetting
from bmx_console.ui.qt_async import spawn

if TYPE_CHECKING:
    from bmx_console.api.models import Tenant
    from bmx_console.ui.settings_tenants import ReleaseTenants

Kind = Literal["text", "url", "number", "id", "flag", "choice"]

# Fields whose change makes an earlier "Test connection" result say nothing about the new values.
_CONNECTION_FIELDS = ("client_id", "api_base", "token_url", "building_id", "request_timeout")


@dataclass(frozen=True)
class _Field:
    name: str
    label: str
    help: str
    kind: Kind
    unit: str = ""
    placeholder: str = ""
    # For a "choice": (value in the file, what the operator reads).
    choices: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class _Section:
    title: str
    subtitle: str
    icon: str
    fields: tuple[_Field, ...]
    kiosk_pin: bool = False


class SettingsDialog(QDialog):
    """Edit the settings; ``saved`` carries the new Settings once written to config.toml."""

    saved = Signal(object)

    def __init__(
        self,
        settings: Settings,
        access: SettingsAccess,
        *,
        buildings: Callable[[], Sequence[tuple[int, str]]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._access = access
        # The buildings in the desk's scope (id, name), for their release tenants.
        self._buildings = buildings or (lambda: ())
        self.release_tenants: ReleaseTenants | None = None
        self._secrets = access.secrets
        self._test_task: asyncio.Task[Any] | None = None
        self._inputs: dict[str, QLineEdit | QCheckBox | QComboBox] = {}
        self._notes: dict[str, FieldNote] = {}
        self._section_of: dict[str, int] = {}
        self._problems: dict[str, str] = {}
        self.setWindowTitle(self.tr("Settings"))
        self.setObjectName("settingsDialog")
        self.setMinimumSize(QSize(860, 620))
        self._build()
        self._load(settings)
        self._revalidate()

    # -- construction ----------------------------------------------------------------------

    def _sections(self) -> list[_Section]:
        tr = self.tr
        return [
            _Section(
                tr("Connection"),
                tr("The API credentials minted for this property in the ButterflyMX portal."),
                "cloud",
                (
                    _Field(
                        "client_id",
                        tr("Client ID"),
                        tr("OAuth 2.0 client_id from the ButterflyMX partner portal."),
                        "text",
                    ),
                    _Field(
                        "api_base",
                        tr("API address"),
                        tr(
                            "Change only if ButterflyMX directs you to a regional or staging "
                            "endpoint."
                        ),
                        "url",
                    ),
                    _Field(
                        "token_url",
                        tr("Token address"),
                        tr("The OAuth 2.0 token endpoint."),
                        "url",
                    ),
                ),
            ),
            _Section(
                tr("Building and release"),
                tr("Which building this desk watches, and who the doors are released for."),
                "building",
                (
                    _Field(
                        "building_id",
                        tr("Building ID"),
                        tr("Scope the desk to one building when the credentials span several."),
                        "id",
                        placeholder=tr("All buildings"),
                    ),
                    _Field(
                        "release_tenant_id",
                        tr("Release tenant ID"),
                        tr(
                            "The front desk's placeholder tenant (such as “Front Desk”): "
                            "ButterflyMX releases doors on its behalf. Used for a building "
                            "without its own release tenant below."
                        ),
                        "id",
                        placeholder=tr("Not set: door release is off"),
                    ),
                ),
            ),
            _Section(
                tr("Polling"),
                tr(
                    "How often the desk asks ButterflyMX for news. Slower polling helps when "
                    "the cloud rate-limits (HTTP 429)."
                ),
                "clock",
                (
                    _Field(
                        "status_interval",
                        tr("Door roster"),
                        tr(
                            "Door roster poll cadence; at least 15000 ms. A roster of more "
                            "than 4,000 doors is read at most every 1.5 s per 100 doors "
                            "(5 minutes at 20,000)."
                        ),
                        "number",
                        unit="ms",
                    ),
                    _Field(
                        "events_interval",
                        tr("Access events"),
                        tr("Access-event poll cadence; 0 turns it off."),
                        "number",
                        unit="ms",
                    ),
                    _Field(
                        "calls_interval",
                        tr("Panel calls"),
                        tr("Panel-call poll cadence; 0 turns it off."),
                        "number",
                        unit="ms",
                    ),
                    _Field(
                        "request_timeout",
                        tr("Request timeout"),
                        tr("How long one request may take, 1000 to 120000 ms."),
                        "number",
                        unit="ms",
                    ),
                    _Field(
                        "released_state_ms",
                        tr("Released state"),
                        tr(
                            "How long a door shows “released” after a release. The strike "
                            "time itself is set on the door in ButterflyMX."
                        ),
                        "number",
                        unit="ms",
                    ),
                ),
            ),
            _Section(
                tr("Desk and alerts"),
                tr("Who is at the desk, and how panel calls and connection trouble get attention."),
                "bell",
                (
                    _Field(
                        "operator",
                        tr("Operator name"),
                        tr("Written to the audit log with every release and pass."),
                        "text",
                        placeholder=tr("The computer's user name"),
                    ),
                    _Field(
                        "pass_max_hours",
                        tr("Longest visitor pass"),
                        tr("The longest visitor pass this desk may issue."),
                        "number",
                        unit="h",
                    ),
                    _Field(
                        "visitor_pass_hours",
                        tr("Visitor pass length"),
                        tr("What a new visitor pass lasts unless changed (at most the longest)."),
                        "number",
                        unit="h",
                    ),
                    _Field(
                        "delivery_pass_hours",
                        tr("Delivery pass length"),
                        tr("What a one-use delivery pass lasts unless changed."),
                        "number",
                        unit="h",
                    ),
                    _Field(
                        "call_sound",
                        tr("Play a sound when a panel calls"),
                        tr("The desk's ringtone, until the call is answered or acknowledged."),
                        "flag",
                    ),
                    _Field(
                        "call_volume",
                        tr("Ring volume"),
                        tr("How loud the ringtone plays, from 0 to 100."),
                        "number",
                        unit="%",
                    ),
                    _Field(
                        "call_raise_window",
                        tr("Bring the window to the front on a call"),
                        tr("The console comes forward when a panel calls."),
                        "flag",
                    ),
                    _Field(
                        "notify_calls",
                        tr("Desktop notification for panel calls"),
                        tr("Shown even while the console is minimised."),
                        "flag",
                    ),
                    _Field(
                        "notify_connection",
                        tr("Desktop notification for connection trouble"),
                        tr("When the connection to ButterflyMX is lost, and when it is back."),
                        "flag",
                    ),
                    _Field(
                        "time_display",
                        tr("Times shown"),
                        tr(
                            "On the desk's clock, with a building's own time added where it "
                            "differs; or each building's own time, its zone named."
                        ),
                        "choice",
                        choices=(
                            ("desk", tr("The desk's time")),
                            ("building", tr("Each building's time")),
                        ),
                    ),
                    _Field(
                        "language",
                        tr("Language"),
                        tr("The language of the desk's screens; takes effect at the next start."),
                        "choice",
                        choices=(
                            ("", tr("The computer's language")),
                            ("en", "English"),
                            ("es", "Español"),
                        ),
                    ),
                ),
            ),
            _Section(
                tr("Kiosk"),
                tr(
                    "The lobby kiosk's staff PIN: needed to leave the kiosk. It cannot be "
                    "chosen at the kiosk itself."
                ),
                "key",
                (),
                kiosk_pin=True,
            ),
        ]

    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        root.addLayout(body, 1)

        self._nav = QListWidget()
        self._nav.setObjectName("settingsNav")
        self._nav.setAccessibleName(self.tr("Settings sections"))
        self._nav.setFixedWidth(220)
        self._nav.setIconSize(QSize(20, 20))
        self._nav.setFrameShape(QListWidget.Shape.NoFrame)
        self._nav.setStyleSheet(
            "QListWidget#settingsNav { background: palette(alternate-base); padding: 14px 10px; "
            "outline: none; }"
            "QListWidget#settingsNav::item { padding: 9px 10px; border-radius: 6px; "
            "margin-bottom: 2px; color: palette(text); }"
            "QListWidget#settingsNav::item:selected { background: palette(highlight); "
            "color: palette(highlighted-text); }"
        )
        body.addWidget(self._nav)

        self._pages = QStackedWidget()
        body.addWidget(self._pages, 1)
        self._sections_list = self._sections()
        for index, section in enumerate(self._sections_list):
            item = QListWidgetItem(line_icon(section.icon, self), section.title)
            item.setSizeHint(QSize(200, 40))
            self._nav.addItem(item)
            self._pages.addWidget(self._section_page(index, section))
        self._nav.currentRowChanged.connect(self._pages.setCurrentIndex)
        self._nav.setCurrentRow(0)

        footer = QWidget()
        footer.setObjectName("settingsFooter")
        bar = QHBoxLayout(footer)
        bar.setContentsMargins(24, 12, 18, 14)
        bar.setSpacing(12)
        self._summary = QLabel()
        self._summary.setWordWrap(True)
        bar.addWidget(self._summary, 1)
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self._save_button = self._buttons.button(QDialogButtonBox.StandardButton.Save)
        self._save_button.setAccessibleName(self.tr("Save settings"))
        self._save_button.setDefault(True)
        self._cancel_button = self._buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self._cancel_button.setAccessibleName(self.tr("Close without saving"))
        for button in (self._save_button, self._cancel_button):
            button.setIcon(QIcon())
            button.setMinimumSize(QSize(96, 32))
        self._buttons.accepted.connect(self._save)
        self._buttons.rejected.connect(self.reject)
        bar.addWidget(self._buttons)
        root.addWidget(footer)

    def _section_page(self, index: int, section: _Section) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(32, 26, 32, 18)
        layout.setSpacing(6)
        layout.addWidget(heading(section.title))
        layout.addWidget(muted(section.subtitle))
        layout.addSpacing(14)
        if index == 0:
            self._banner = Banner()
            layout.addWidget(self._banner)
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(4)
        grid.setColumnMinimumWidth(0, 170)
        grid.setColumnStretch(1, 1)
        row = 0
        for spec in section.fields:
            if index == 0 and spec.name == "api_base":
                row = self._secret_rows(grid, row)
            row = self._field_rows(grid, row, index, spec)
        layout.addLayout(grid)
        if section.kiosk_pin:
            self.kiosk_pin = KioskPinSetting(self._access)
            layout.addWidget(self.kiosk_pin)
        if index == 0:
            layout.addSpacing(8)
            layout.addLayout(self._test_row())
        if index == 1:
            layout.addSpacing(8)
            layout.addWidget(self._tenants_part())
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(page)
        return scroll

    def _field_rows(self, grid: QGridLayout, row: int, index: int, spec: _Field) -> int:
        self._section_of[spec.name] = index
        note = FieldNote()
        self._notes[spec.name] = note
        if spec.kind == "flag":
            box = QCheckBox(spec.label)
            box.setAccessibleName(spec.label)
            box.toggled.connect(self._revalidate)
            self._inputs[spec.name] = box
            grid.addWidget(box, row, 1)
            help_text = muted(spec.help, small=True)
            # Line the help up with the check box's text, not its box.
            help_text.setIndent(
                box.style().pixelMetric(box.style().PixelMetric.PM_IndicatorWidth) + 6
            )
            grid.addWidget(help_text, row + 1, 1)
            grid.addWidget(note, row + 2, 1)
            grid.setRowMinimumHeight(row + 3, 10)
            return row + 4
        if spec.kind == "choice":
            return self._choice_rows(grid, row, spec, note)
        label = QLabel(spec.label)
        edit = QLineEdit()
        edit.setObjectName(spec.name)
        edit.setAccessibleName(spec.label)
        edit.setAccessibleDescription(spec.help)
        edit.setPlaceholderText(spec.placeholder)
        edit.setMinimumHeight(30)
        edit.setClearButtonEnabled(spec.kind in ("text", "id"))
        label.setBuddy(edit)
        edit.textChanged.connect(self._revalidate)
        if spec.name in _CONNECTION_FIELDS:
            edit.textChanged.connect(self._connection_edited)
        if spec.name == "client_id":
            edit.editingFinished.connect(self._show_secret_source)
        self._inputs[spec.name] = edit
        field_row = QHBoxLayout()
        field_row.setSpacing(8)
        if spec.kind in ("number", "id"):
            edit.setMaximumWidth(200)
            edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        field_row.addWidget(edit)
        if spec.unit:
            field_row.addWidget(muted(spec.unit))
        if spec.kind in ("number", "id"):
            field_row.addStretch(1)
        grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignVCenter)
        grid.addLayout(field_row, row, 1)
        grid.addWidget(muted(spec.help, small=True), row + 1, 1)
        grid.addWidget(note, row + 2, 1)
        grid.setRowMinimumHeight(row + 3, 10)
        return row + 4

    def _choice_rows(self, grid: QGridLayout, row: int, spec: _Field, note: FieldNote) -> int:
        label = QLabel(spec.label)
        combo = QComboBox()
        combo.setObjectName(spec.name)
        combo.setAccessibleName(spec.label)
        combo.setAccessibleDescription(spec.help)
        combo.view().setAccessibleName(spec.label)
        for value, words in spec.choices:
            combo.addItem(words, value)
        combo.currentIndexChanged.connect(self._revalidate)
        label.setBuddy(combo)
        self._inputs[spec.name] = combo
        grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(combo, row, 1, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(muted(spec.help, small=True), row + 1, 1)
        grid.addWidget(note, row + 2, 1)
        grid.setRowMinimumHeight(row + 3, 10)
        return row + 4

    def _secret_rows(self, grid: QGridLayout, row: int) -> int:
        label = QLabel(self.tr("Client secret"))
        self._secret = QLineEdit()
        self._secret.setObjectName("client_secret")
        self._secret.setEchoMode(QLineEdit.EchoMode.Password)
        self._secret.setAccessibleName(self.tr("Client secret"))
        self._secret.setPlaceholderText(self.tr("Leave empty to keep the current secret"))
        self._secret.setMinimumHeight(30)
        self._secret.textChanged.connect(self._revalidate)
        self._secret.textChanged.connect(self._connection_edited)
        label.setBuddy(self._secret)
        self._secret_source = muted("", small=True)
        self._secret_source.setAccessibleName(self.tr("Where the current secret comes from"))
        self._notes["client_secret"] = FieldNote()
        self._section_of["client_secret"] = 0
        grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(self._secret, row, 1)
        grid.addWidget(self._secret_source, row + 1, 1)
        grid.addWidget(self._notes["client_secret"], row + 2, 1)
        grid.setRowMinimumHeight(row + 3, 10)
        return row + 4

    def _tenants_part(self) -> QWidget:
        from bmx_console.ui.settings_tenants import ReleaseTenants

        self.release_tenants = ReleaseTenants(
            list(self._buildings()), self._settings.release_tenants, load_tenants=self._tenants
        )
        self.release_tenants.changed.connect(self._revalidate)
        self._notes["release_tenants"] = FieldNote()
        self._section_of["release_tenants"] = 1
        self.release_tenants.add_note(self._notes["release_tenants"])
        return self.release_tenants

    async def _tenants(self, building_id: int) -> list[Tenant]:
        candidate = self._candidate() or self._settings
        return await self._access.list_tenants(candidate, self._secret.text() or None, building_id)

    def _test_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(14)
        self._test_button = QPushButton(line_icon("link", self), self.tr("Test connection"))
        self._test_button.setAccessibleName(self.tr("Test connection"))
        self._test_button.setIconSize(QSize(18, 18))
        self._test_button.setMinimumHeight(34)
        self._test_button.setAutoDefault(False)
        self._test_button.clicked.connect(self.start_test)
        self._test_status = StatusLine()
        row.addWidget(self._test_button, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self._test_status, 1)
        return row

    # -- values ------------------------------------------------------------------------------

    def _load(self, settings: Settings) -> None:
        for name, widget in self._inputs.items():
            value = getattr(settings, name)
            if isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(value)))
            else:
                widget.setText("" if value is None else str(value))
        self._show_secret_source()

    def _raw_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            name: widget.isChecked()
            if isinstance(widget, QCheckBox)
            else widget.currentData()
            if isinstance(widget, QComboBox)
            else widget.text()
            for name, widget in self._inputs.items()
        }
        if self.release_tenants is not None:
            values["release_tenants"] = self.release_tenants.value()
        return values

    def _candidate(self) -> Settings | None:
        """The settings as typed, or None while any field breaks its rule."""
        try:
            return self._settings.with_changes(**self._raw_values())
        except ConfigError:
            return None

    def _show_secret_source(self) -> None:
        client_id = str(self._raw_values().get("client_id", "")).strip()
        if not self._secrets.available and not client_id:
            text = self.tr("No usable OS keyring: a secret typed here cannot be stored.")
        elif not client_id:
            text = self.tr("Set the client ID first: the secret is stored for that client ID.")
        else:
            source = self._secrets.client_secret_source(client_id)
            if source == "not set":
                text = self.tr("Current secret: not set.")
                if self._secrets.refresh_token(client_id, self._settings.token_url):
                    text += " " + self.tr("A code sign-in is saved in the OS keyring.")
            elif source == "OS keyring":
                text = self.tr("Current secret: stored in the OS keyring ({0}).").format(
                    self._secrets.backend_name.rsplit(".", 1)[-1]
                )
            else:
                text = self.tr("Current secret: from the environment (BMX_CLIENT_SECRET).")
            if not self._secrets.available:
                text += " " + self.tr("No usable OS keyring: a new secret cannot be stored.")
        self._secret_source.setText(text)

    # -- validation --------------------------------------------------------------------------

    def _revalidate(self) -> None:
        raw = self._raw_values()
        if self.release_tenants is not None:
            self.release_tenants.set_fallback(str(raw.get("release_tenant_id") or ""))
        problems: dict[str, str] = {}
        for name, value in raw.items():
            try:
                self._settings.with_changes(**{name: value})
            except ConfigError as exc:
                problems[name] = str(exc)
        if self._secret.text() and not str(raw.get("client_id", "")).strip():
            problems["client_secret"] = self.tr(
                "Set the client ID too: a client secret belongs to one client ID."
            )
        if not problems and self._candidate() is None:
            # Every field passes alone but not together: show the combined rule's sentence.
            try:
                self._settings.with_changes(**raw)
            except ConfigError as exc:
                problems["client_id"] = str(exc)
        self._problems = problems
        for name, note in self._notes.items():
            note.show_problem(problems.get(name))
        for index, section in enumerate(self._sections_list):
            bad = any(self._section_of.get(name) == index for name in problems)
            self._nav.item(index).setIcon(
                line_icon("error", self, "error") if bad else line_icon(section.icon, self)
            )
        self._save_button.setEnabled(not problems)
        self._test_button.setEnabled(not problems and self._test_task is None)
        if problems:
            count = len(problems)
            where = ", ".join(
                dict.fromkeys(
                    self._sections_list[self._section_of[name]].title for name in problems
                )
            )
            self._summary.setText(
                self.tr("Fix {0} settings to save ({1}).").format(count, where)
                if count != 1
                else self.tr("Fix 1 setting to save ({0}).").format(where)
            )
            palette = self._summary.palette()
            palette.setColor(self._summary.foregroundRole(), tone_color(self, "error"))
            self._summary.setPalette(palette)
        else:
            self._summary.setText("")

    @property
    def problems(self) -> dict[str, str]:
        """The sentence shown under each field that breaks its rule (for the tests and a11y)."""
        return dict(self._problems)

    def field(self, name: str) -> QLineEdit | QCheckBox | QComboBox:
        if name == "client_secret":
            return self._secret
        return self._inputs[name]

    # -- test connection ---------------------------------------------------------------------

    @property
    def test_status(self) -> StatusLine:
        return self._test_status

    def _connection_edited(self) -> None:
        if self._test_task is None:
            self._test_status.clear()

    def start_test(self) -> None:
        candidate = self._candidate()
        if candidate is None or self._test_task is not None:
            return
        host = candidate.api_base.split("//", 1)[-1].split("/", 1)[0]
        self._test_status.show_message("busy", self.tr("Connecting to {0}…").format(host))
        self._test_button.setEnabled(False)
        self._test_task = spawn(
            self._run_test(candidate, self._secret.text() or None),
            name=self.tr("Testing the connection"),
        )

    async def _run_test(self, settings: Settings, secret: str | None) -> None:
        try:
            ok, sentence = await reported_on(
                self._test_status,
                self._access.test_connection(settings, secret),
                self.tr("The test failed unexpectedly ({0}); the log has details."),
            )
            if ok and sentence is not None:
                self._test_status.show_message("ok", sentence)
        finally:
            self._test_task = None
            self._test_button.setEnabled(not self._problems)

    def _cancel_test(self) -> None:
        task, self._test_task = self._test_task, None
        if task is not None and not task.done():
            task.cancel()

    # -- save --------------------------------------------------------------------------------

    def _save(self) -> None:
        settings = self._candidate()
        if settings is None:
            self._revalidate()
            return
        try:
            outcome = self._access.save(settings, self._secret.text() or None)
        except ConfigError as exc:
            self._show_banner_on_top(str(exc))
            return
        self._settings = settings
        keyring_problem = outcome.secret_problem
        self._secret.clear()
        self._show_secret_source()
        self.saved.emit(settings)
        if keyring_problem is None:
            self.accept()
            return
        self._show_banner_on_top(
            self.tr("The settings were saved, but the client secret was not: {0}").format(
                keyring_problem
            )
        )
        self._cancel_button.setText(self.tr("Close"))

    def _show_banner_on_top(self, text: str) -> None:
        self._banner.show_message("error", text)
        self._nav.setCurrentRow(0)

    @property
    def banner(self) -> Banner:
        return self._banner

    def done(self, result: int) -> None:
        self._cancel_test()
        super().done(result)
