"""The first-run wizard end to end against the simulator on a loopback socket."""

from __future__ import annotations

import asyncio
import contextlib
import tomllib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from keyring.backends.fail import Keyring as FailKeyring
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from bmx_console.config import config_path, load_settings
from bmx_console.secrets import SecretStore
from bmx_console.sim.cloud import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from bmx_console.sim.server import SimServer
from bmx_console.ui.dialog_kit import BADGE_ROLE
from bmx_console.ui.wizard import BUILDING, CREDENTIALS, DONE, TENANT, FirstRunWizard
from bmx_console.ui.wizard_parts import ID_ROLE
from tests.support import MemoryKeyring, settings_access


@pytest.fixture
def sim() -> Iterator[SimServer]:
    with SimServer() as server:
        yield server


def make_wizard(qtbot: QtBot, secrets: SecretStore) -> FirstRunWizard:
    wizard = FirstRunWizard(settings_access(secrets))
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def fill_credentials(qtbot: QtBot, wizard: FirstRunWizard, sim: SimServer, secret: str) -> None:
    qtbot.mouseClick(wizard.welcome_page.connect_card, Qt.MouseButton.LeftButton)
    assert wizard.currentId() == CREDENTIALS
    page = wizard.credentials_page
    qtbot.keyClicks(page.client_id, DEMO_CLIENT_ID)
    qtbot.keyClicks(page.secret, secret)
    page._advanced_toggle.click()
    page.api_base.setText(sim.base_url)
    page.token_url.setText(sim.token_url)


def click_next(qtbot: QtBot, wizard: FirstRunWizard) -> None:
    button = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.waitUntil(button.isEnabled, timeout=5000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def row_with_id(wizard_list: object, wanted: int | None) -> int:
    for row in range(wizard_list.count()):  # type: ignore[attr-defined]
        if wizard_list.item(row).data(ID_ROLE) == wanted:  # type: ignore[attr-defined]
            return row
    raise AssertionError(f"no row for {wanted}")


def test_client_credentials_set_the_desk_up_end_to_end(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, sim: SimServer, memory_keyring: MemoryKeyring
) -> None:
    cloud = sim.cloud
    building = cloud.buildings[1]
    front_desk = cloud.front_desk_tenant_id(building["id"])
    wizard = make_wizard(qtbot, SecretStore())
    fill_credentials(qtbot, wizard, sim, DEMO_CLIENT_SECRET)

    click_next(qtbot, wizard)  # checks the credentials, then moves on by itself
    qtbot.waitUntil(lambda: wizard.currentId() == BUILDING, timeout=5000)
    buildings = wizard.building_page
    qtbot.waitUntil(lambda: buildings.loaded, timeout=5000)
    assert buildings.list.count() == len(cloud.buildings) + 1
    assert buildings.list.item(0).text() == "All buildings"
    buildings.list.setCurrentRow(row_with_id(buildings.list, building["id"]))

    click_next(qtbot, wizard)
    assert wizard.currentId() == TENANT
    tenants = wizard.tenant_page
    qtbot.waitUntil(lambda: tenants.loaded, timeout=5000)
    assert {t.building_id for t in tenants.tenants} == {building["id"]}
    assert tenants.tenant is not None and tenants.tenant.id == front_desk
    suggested = tenants.list.selectedItems()[0]
    assert suggested.text() == "Front Desk" and suggested.data(BADGE_ROLE) == "Suggested"

    click_next(qtbot, wizard)
    assert wizard.currentId() == DONE
    with qtbot.waitSignal(wizard.completed) as completed:
        qtbot.mouseClick(
            wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton
        )

    settings = completed.args[0]
    assert settings.building_id == building["id"]
    assert settings.release_tenant_id == front_desk
    assert load_settings() == settings
    text = config_path().read_text(encoding="utf-8")
    assert tomllib.loads(text)["release_tenant_id"] == front_desk
    assert DEMO_CLIENT_SECRET not in text
    assert SecretStore().client_secret(DEMO_CLIENT_ID) == DEMO_CLIENT_SECRET
    assert not wizard.isVisible()


def test_a_wrong_secret_is_caught_on_the_credentials_page(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, sim: SimServer, memory_keyring: MemoryKeyring
) -> None:
    wizard = make_wizard(qtbot, SecretStore())
    fill_credentials(qtbot, wizard, sim, "not-the-secret")

    click_next(qtbot, wizard)
    status = wizard.credentials_page.check_status
    qtbot.waitUntil(lambda: status.tone == "error", timeout=5000)

    assert wizard.currentId() == CREDENTIALS
    assert "client ID or client secret is wrong" in status.text
    assert memory_keyring.values == {}
    assert not config_path().exists()


def test_the_demo_choice_is_reported_and_saves_nothing(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, memory_keyring: MemoryKeyring
) -> None:
    wizard = make_wizard(qtbot, SecretStore())
    completed: list[object] = []
    wizard.completed.connect(completed.append)

    with qtbot.waitSignal(wizard.demo_chosen):
        qtbot.mouseClick(wizard.welcome_page.demo, Qt.MouseButton.LeftButton)

    assert not wizard.isVisible()
    assert completed == []
    assert not config_path().exists()


def test_all_buildings_and_a_tenant_chosen_later(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, sim: SimServer, memory_keyring: MemoryKeyring
) -> None:
    wizard = make_wizard(qtbot, SecretStore())
    fill_credentials(qtbot, wizard, sim, DEMO_CLIENT_SECRET)
    click_next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == BUILDING, timeout=5000)
    qtbot.waitUntil(lambda: wizard.building_page.loaded, timeout=5000)
    assert wizard.building_page.building_id is None  # several buildings: all, by default

    click_next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.tenant_page.loaded, timeout=5000)
    assert {t.building_id for t in wizard.tenant_page.tenants} == {
        b["id"] for b in sim.cloud.buildings
    }
    wizard.tenant_page.later.setChecked(True)
    click_next(qtbot, wizard)
    with qtbot.waitSignal(wizard.completed) as completed:
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert completed.args[0].building_id is None
    assert completed.args[0].release_tenant_id is None


def test_without_a_keyring_finish_explains_and_never_writes_the_secret(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, sim: SimServer
) -> None:
    wizard = make_wizard(qtbot, SecretStore(backend=FailKeyring()))
    fill_credentials(qtbot, wizard, sim, DEMO_CLIENT_SECRET)
    assert "cannot be stored" in wizard.credentials_page.banner.text
    click_next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == BUILDING, timeout=5000)
    qtbot.waitUntil(lambda: wizard.building_page.loaded, timeout=5000)
    click_next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.tenant_page.loaded, timeout=5000)
    click_next(qtbot, wizard)

    finish = wizard.button(QWizard.WizardButton.FinishButton)
    finish.click()
    assert wizard.isVisible()
    assert "the client secret was not" in wizard.done_page.banner.text
    assert finish.text() == "Finish without the secret"
    assert DEMO_CLIENT_SECRET not in config_path().read_text(encoding="utf-8")

    with qtbot.waitSignal(wizard.completed):
        finish.click()


def test_without_a_keyring_the_desk_runs_this_session_on_the_verified_secret(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, sim: SimServer, tmp_path: Path
) -> None:
    """No usable keyring: the wizard says the secret is for this session only, and the desk
    it starts is connected (not signed out), with nothing written anywhere."""
    from bmx_console.desk import Desk
    from tests.gui.desk_support import close_desk

    secrets = SecretStore(backend=FailKeyring())
    wizard = make_wizard(qtbot, secrets)
    fill_credentials(qtbot, wizard, sim, DEMO_CLIENT_SECRET)
    click_next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == BUILDING, timeout=5000)
    qtbot.waitUntil(lambda: wizard.building_page.loaded, timeout=5000)
    click_next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.tenant_page.loaded, timeout=5000)
    click_next(qtbot, wizard)
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    finish.click()
    assert "for this session only" in wizard.done_page.banner.text
    with qtbot.waitSignal(wizard.completed) as completed:
        finish.click()
    assert wizard.session_secret == DEMO_CLIENT_SECRET

    desk = Desk(
        completed.args[0],
        secrets.with_session_secret(wizard.session_secret),
        audit_path=tmp_path / "audit.sqlite3",
    )
    try:
        desk.start()
        qtbot.waitUntil(lambda: desk.store.door_count() > 0, timeout=10_000)
        assert desk.connection.tokens.state != "signed_out"
    finally:
        close_desk(qtbot, desk)
    for path in tmp_path.parent.rglob("*"):
        if path.is_file() and path.suffix not in {".sqlite3", ".png"}:
            with contextlib.suppress(OSError, UnicodeDecodeError):
                assert DEMO_CLIENT_SECRET not in path.read_text(encoding="utf-8")


def test_code_sign_in_path_keeps_the_sign_in_and_no_secret(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, sim: SimServer, memory_keyring: MemoryKeyring
) -> None:
    wizard = make_wizard(qtbot, SecretStore())
    qtbot.mouseClick(wizard.welcome_page.connect_card, Qt.MouseButton.LeftButton)
    page = wizard.credentials_page
    page.code_mode.click()
    page._advanced_toggle.click()
    page.api_base.setText(sim.base_url)
    page.token_url.setText(sim.token_url)
    page.client_id.setText(DEMO_CLIENT_ID)
    page.client_id.editingFinished.emit()
    panel = page.sign_in
    assert panel.url.startswith(sim.authorize_url)
    challenge = parse_qs(urlsplit(panel.url).query)["code_challenge"][0]

    qtbot.keyClicks(panel.code_field, sim.cloud.issue_auth_code(challenge))
    panel.sign_in()

    qtbot.waitUntil(lambda: wizard.currentId() == BUILDING, timeout=5000)
    qtbot.waitUntil(lambda: wizard.building_page.loaded, timeout=5000)
    click_next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.tenant_page.loaded, timeout=5000)
    click_next(qtbot, wizard)
    with qtbot.waitSignal(wizard.completed) as completed:
        wizard.button(QWizard.WizardButton.FinishButton).click()

    settings = completed.args[0]
    secrets = SecretStore()
    assert settings.client_id == DEMO_CLIENT_ID and settings.token_url == sim.token_url
    assert secrets.refresh_token(DEMO_CLIENT_ID, sim.token_url)
    assert secrets.client_secret(DEMO_CLIENT_ID) is None
    grants = [r["grant_type"] for r in sim.cloud.token_requests]
    assert grants[0] == "authorization_code" and "client_credentials" not in grants


def test_all_buildings_gets_each_buildings_own_front_desk(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, sim: SimServer, memory_keyring: MemoryKeyring
) -> None:
    """ButterflyMX releases a door only as a tenant of its own building: with "All buildings"
    the wizard picks a front desk per building, and says which have none."""
    desks = sim.cloud.front_desk_tenant_ids()
    wizard = make_wizard(qtbot, SecretStore())
    fill_credentials(qtbot, wizard, sim, DEMO_CLIENT_SECRET)
    click_next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == BUILDING, timeout=5000)
    qtbot.waitUntil(lambda: wizard.building_page.loaded, timeout=5000)
    assert wizard.building_page.building_id is None

    click_next(qtbot, wizard)
    page = wizard.tenant_page
    qtbot.waitUntil(lambda: page.loaded, timeout=5000)
    assert page.tenants_by_building == desks
    assert "Each building has a front-desk tenant" in page.status.text

    # Taking one building's choice away names it as still without a tenant.
    kinzie = next(b for b in sim.cloud.buildings if b["id"] != next(iter(desks)))
    page._choices[kinzie["id"]].setCurrentIndex(0)
    assert kinzie["name"] in page.status.text
    assert "Still without a release tenant" in page.status.text
    page._choices[kinzie["id"]].setCurrentIndex(1)

    click_next(qtbot, wizard)
    assert wizard.currentId() == DONE
    with qtbot.waitSignal(wizard.completed) as completed:
        wizard.button(QWizard.WizardButton.FinishButton).click()
    settings = completed.args[0]
    assert dict(settings.release_tenants) == desks
    assert all(settings.release_tenant_for(b) == t for b, t in desks.items())
    assert load_settings() == settings
    assert "[release_tenants]" in config_path().read_text(encoding="utf-8")
