"""The Settings dialog against the in-process simulator and a memory keyring."""

from __future__ import annotations

import asyncio
import stat
import tomllib
from pathlib import Path

import pytest
from keyring.backends.fail import Keyring as FailKeyring
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QListWidget
from pytestqt.qtbot import QtBot

from bmx_console.config import Settings, config_path, load_settings
from bmx_console.core.pin import verify_pin
from bmx_console.paths import user_paths
from bmx_console.probes import make_probes
from bmx_console.secrets import SecretStore
from bmx_console.services import read_kiosk_pin_hash
from bmx_console.sim.cloud import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Cloud
from bmx_console.sim.transport import in_process_transport
from bmx_console.ui import qt_async
from bmx_console.ui.dialog_kit import FieldNote
from bmx_console.ui.settings_dialog import SettingsDialog
from tests.support import MemoryKeyring, settings_access

SIM = "https://sim.bmx.test"
SIM_SETTINGS = Settings(client_id=DEMO_CLIENT_ID, api_base=SIM, token_url=f"{SIM}/oauth/token")


async def never_called(settings: Settings, secret: str | None) -> str:
    raise AssertionError("no connection test expected")


def make_dialog(
    qtbot: QtBot, settings: Settings, secrets: SecretStore, cloud: Cloud | None = None
) -> SettingsDialog:
    test = (
        make_probes(secrets, transport=lambda: in_process_transport(cloud)).test_connection
        if cloud is not None
        else never_called
    )
    dialog = SettingsDialog(settings, settings_access(secrets, test_connection=test))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def save_button(dialog: SettingsDialog) -> object:
    box = dialog.findChild(QDialogButtonBox)
    return box.button(QDialogButtonBox.StandardButton.Save)


def test_a_too_fast_roster_poll_is_refused_next_to_the_field(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, memory_keyring: MemoryKeyring
) -> None:
    dialog = make_dialog(qtbot, Settings(), SecretStore())
    nav = dialog.findChild(QListWidget, "settingsNav")
    polling = nav.findItems("Polling", Qt.MatchFlag.MatchExactly)[0]
    qtbot.mouseClick(
        nav.viewport(), Qt.MouseButton.LeftButton, pos=nav.visualItemRect(polling).center()
    )
    field = dialog.field("status_interval")
    assert field.isVisible()
    assert save_button(dialog).isEnabled()  # type: ignore[attr-defined]

    field.clear()  # type: ignore[union-attr]
    qtbot.keyClicks(field, "5000")

    problem = dialog.problems["status_interval"]
    assert "status_interval must be" in problem and "15000" in problem
    notes = [n for n in dialog.findChildren(FieldNote) if n.isVisible()]
    assert [n.text() for n in notes] == [problem]
    assert "Fix 1 setting to save (Polling)" in dialog._summary.text()
    assert not save_button(dialog).isEnabled()  # type: ignore[attr-defined]

    field.setText("20000")  # type: ignore[union-attr]
    assert dialog.problems == {}
    assert save_button(dialog).isEnabled()  # type: ignore[attr-defined]


def test_save_writes_the_file_and_puts_the_secret_in_the_keyring_only(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, memory_keyring: MemoryKeyring
) -> None:
    dialog = make_dialog(qtbot, Settings(), SecretStore())
    dialog.field("client_id").setText("acme-desk")  # type: ignore[union-attr]
    dialog.field("client_secret").setText("very-secret-value")  # type: ignore[union-attr]
    dialog.field("building_id").setText("42")  # type: ignore[union-attr]
    dialog.field("events_interval").setText("0")  # type: ignore[union-attr]
    dialog.field("operator").setText("Dana at the desk")  # type: ignore[union-attr]
    dialog.field("call_sound").setChecked(False)  # type: ignore[union-attr]

    with qtbot.waitSignal(dialog.saved) as saved:
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)  # type: ignore[arg-type]

    settings = saved.args[0]
    assert settings.client_id == "acme-desk" and settings.building_id == 42
    text = config_path().read_text(encoding="utf-8")
    assert tomllib.loads(text) == {
        "client_id": "acme-desk",
        "building_id": 42,
        "events_interval": 0,
        "operator": "Dana at the desk",
        "call_sound": False,
    }
    assert "very-secret-value" not in text
    assert load_settings() == settings
    assert SecretStore().client_secret("acme-desk") == "very-secret-value"
    assert not dialog.isVisible()


def test_an_empty_secret_field_keeps_the_stored_secret(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, memory_keyring: MemoryKeyring
) -> None:
    secrets = SecretStore()
    secrets.set_client_secret("acme-desk", "kept")
    dialog = make_dialog(qtbot, Settings(client_id="acme-desk"), secrets)
    assert "stored in the OS keyring" in dialog._secret_source.text()
    assert "kept" not in dialog._secret_source.text()
    dialog.field("operator").setText("Sam")  # type: ignore[union-attr]
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)  # type: ignore[arg-type]
    assert secrets.client_secret("acme-desk") == "kept"


def test_without_a_keyring_the_settings_are_saved_and_the_secret_nowhere(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    dialog = make_dialog(qtbot, Settings(client_id="acme-desk"), SecretStore(backend=FailKeyring()))
    assert "No usable OS keyring" in dialog._secret_source.text()
    dialog.field("client_secret").setText("very-secret-value")  # type: ignore[union-attr]
    dialog.field("operator").setText("Sam")  # type: ignore[union-attr]

    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)  # type: ignore[arg-type]

    assert dialog.isVisible()
    assert "the client secret was not" in dialog.banner.text
    assert "No usable OS keyring" in dialog.banner.text
    assert load_settings().operator == "Sam"
    assert "very-secret-value" not in config_path().read_text(encoding="utf-8")
    assert dialog.field("client_secret").text() == ""  # type: ignore[union-attr]


def test_test_connection_reports_what_the_simulator_shows(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, memory_keyring: MemoryKeyring
) -> None:
    cloud = Cloud()
    dialog = make_dialog(qtbot, SIM_SETTINGS, SecretStore(), cloud)
    dialog.field("client_secret").setText(DEMO_CLIENT_SECRET)  # type: ignore[union-attr]

    qtbot.mouseClick(dialog._test_button, Qt.MouseButton.LeftButton)
    assert dialog.test_status.tone == "busy"
    qtbot.waitUntil(lambda: dialog.test_status.tone != "busy", timeout=5000)

    assert dialog.test_status.tone == "ok"
    assert dialog.test_status.text == (
        f"Connected: {len(cloud.buildings)} buildings, {len(cloud.doors)} doors visible"
    )
    # Testing stores nothing: the typed secret is still only in the field.
    assert memory_keyring.values == {}


def test_test_connection_shows_the_sentence_for_refused_credentials(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, memory_keyring: MemoryKeyring
) -> None:
    cloud = Cloud()
    cloud.faults.add("/oauth/token", status=401)
    dialog = make_dialog(qtbot, SIM_SETTINGS, SecretStore(), cloud)
    dialog.field("client_secret").setText(DEMO_CLIENT_SECRET)  # type: ignore[union-attr]

    dialog.start_test()
    qtbot.waitUntil(lambda: dialog.test_status.tone == "error", timeout=5000)

    assert dialog.test_status.text.startswith("ButterflyMX refused the desk's credentials")
    assert "client ID or client secret is wrong" in dialog.test_status.text
    assert dialog._test_button.isEnabled()


def test_closing_the_dialog_cancels_a_running_test(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, memory_keyring: MemoryKeyring
) -> None:
    cloud = Cloud()
    cloud.faults.add("/v4/buildings", latency_s=30)
    dialog = make_dialog(qtbot, SIM_SETTINGS, SecretStore(), cloud)
    dialog.field("client_secret").setText(DEMO_CLIENT_SECRET)  # type: ignore[union-attr]
    dialog.start_test()
    qtbot.waitUntil(lambda: bool(qt_async.running_tasks()), timeout=2000)

    dialog.reject()

    qtbot.waitUntil(lambda: not qt_async.running_tasks(), timeout=2000)
    assert qloop.reported_errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("api_base", "ftp://example.com", "api_base"),
        ("building_id", "lobby", "building_id must be a ButterflyMX id"),
        ("request_timeout", "500000", "request_timeout must be"),
    ],
)
def test_each_rule_is_the_config_files_own(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    memory_keyring: MemoryKeyring,
    name: str,
    value: str,
    words: str,
) -> None:
    dialog = make_dialog(qtbot, Settings(), SecretStore())
    dialog.field(name).setText(value)  # type: ignore[union-attr]
    assert words in dialog.problems[name]
    assert not save_button(dialog).isEnabled()  # type: ignore[attr-defined]


def test_the_kiosk_staff_pin_is_set_and_removed_from_settings_and_weak_ones_refused(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    memory_keyring: MemoryKeyring,
    isolated_dirs: dict[str, Path],
) -> None:
    dialog = make_dialog(qtbot, Settings(), SecretStore())
    nav = dialog.findChild(QListWidget, "settingsNav")
    nav.setCurrentRow(nav.row(nav.findItems("Kiosk", Qt.MatchFlag.MatchExactly)[0]))
    box = dialog.kiosk_pin
    assert box.isVisible()
    assert box.state.text() == "Not set: nobody can leave the kiosk until one is."
    assert not box.clear_button.isEnabled()
    pin_file = user_paths().kiosk_pin

    for weak, why in (("1234", "6 to 12 digits"), ("111111", "repeated"), ("123456", "run")):
        qtbot.keyClicks(box.pin_edit, weak)
        qtbot.keyClicks(box.pin_again, weak)
        qtbot.mouseClick(box.set_button, Qt.MouseButton.LeftButton)
        assert why in box.status.text and "Nothing changed" in box.status.text
        assert not pin_file.exists()

    qtbot.keyClicks(box.pin_edit, "482913")
    qtbot.keyClicks(box.pin_again, "482913")
    qtbot.mouseClick(box.set_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: box.state.text() == "A staff PIN is set.")
    assert box.status.text.startswith("Saved")
    assert box.pin_edit.text() == "" and box.pin_again.text() == ""
    assert verify_pin("482913", read_kiosk_pin_hash(pin_file))
    assert stat.S_IMODE(pin_file.stat().st_mode) == 0o600
    assert not config_path().exists()

    qtbot.mouseClick(box.clear_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not pin_file.exists())
    qtbot.waitUntil(lambda: box.state.text().startswith("Not set"))
