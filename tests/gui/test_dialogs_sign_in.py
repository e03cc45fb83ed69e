"""The paste-code sign-in dialog against the simulator (in-process, and on loopback)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from pytestqt.qtbot import QtBot

from bmx_console.config import Settings
from bmx_console.connect import Connection, connect
from bmx_console.secrets import SecretStore
from bmx_console.sim.cloud import DEMO_CLIENT_ID, Cloud
from bmx_console.sim.server import SimServer
from bmx_console.ui.sign_in_dialog import SignInDialog
from tests.support import MemoryKeyring, run


@pytest.fixture
def cloud() -> Cloud:
    return Cloud()


@pytest.fixture
def demo(cloud: Cloud, qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> Iterator[Connection]:
    conn = connect(Settings(), SecretStore(), cloud=cloud)
    yield conn
    run(qtbot, conn.aclose())


def challenge_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["code_challenge"][0]


def open_dialog(qtbot: QtBot, conn: Connection) -> SignInDialog:
    dialog = SignInDialog(conn.tokens)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_pasted_code_signs_the_desk_in(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, cloud: Cloud, demo: Connection
) -> None:
    dialog = open_dialog(qtbot, demo)
    code = cloud.issue_auth_code(challenge_of(dialog.panel.url))

    qtbot.keyClicks(dialog.panel.code_field, code)
    with qtbot.waitSignal(dialog.signed_in, timeout=5000):
        qtbot.keyClick(dialog.panel.code_field, Qt.Key.Key_Return)

    assert demo.tokens.state == "signed_in"
    assert not dialog.isVisible()
    grants = [r["grant_type"] for r in cloud.token_requests]
    assert grants == ["authorization_code"]


def test_a_wrong_code_is_explained_and_a_new_link_can_be_used(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, cloud: Cloud, demo: Connection
) -> None:
    dialog = open_dialog(qtbot, demo)
    first_url = dialog.panel.url
    qtbot.keyClicks(dialog.panel.code_field, "not-the-code")
    dialog.panel.sign_in()
    qtbot.waitUntil(lambda: dialog.panel.status.tone == "error", timeout=5000)
    assert dialog.panel.status.text.startswith("Sign-in failed: the code was mistyped")
    assert "Start the sign-in again" in dialog.panel.status.text
    assert dialog.isVisible()

    dialog.panel.restart()
    assert dialog.panel.url != first_url
    code = cloud.issue_auth_code(challenge_of(dialog.panel.url))
    qtbot.keyClicks(dialog.panel.code_field, code)
    with qtbot.waitSignal(dialog.signed_in, timeout=5000):
        dialog.panel.sign_in()


def test_the_link_can_be_copied_and_opened(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    demo: Connection,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened: list[str] = []

    def fake_open(url: QUrl) -> bool:
        opened.append(url.toString())
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", fake_open)
    dialog = open_dialog(qtbot, demo)
    dialog.panel.copy_link()
    assert QGuiApplication.clipboard().text() == dialog.panel.url
    dialog.panel.open_link()
    assert opened == [dialog.panel.url]
    params = parse_qs(urlsplit(dialog.panel.url).query)
    assert params["redirect_uri"] == ["urn:ietf:wg:oauth:2.0:oob"]
    assert params["code_challenge_method"] == ["S256"]


@pytest.fixture
def sim() -> Iterator[SimServer]:
    with SimServer() as server:
        yield server


async def _read_code(url: str) -> str:
    async with httpx.AsyncClient() as http:
        page = (await http.get(url)).text
    found = re.search(r"id='authorization_code'>([^<]+)<", page)
    assert found, page
    return found.group(1)


def test_sign_in_over_loopback_keeps_the_rotating_sign_in_in_the_keyring(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    sim: SimServer,
    memory_keyring: MemoryKeyring,
) -> None:
    settings = Settings(client_id=DEMO_CLIENT_ID, api_base=sim.base_url, token_url=sim.token_url)
    secrets = SecretStore()
    conn = connect(settings, secrets)
    try:
        dialog = open_dialog(qtbot, conn)
        assert dialog.panel.url.startswith(sim.authorize_url + "?")
        # What the operator's browser does: ButterflyMX's page shows the code.
        qtbot.keyClicks(dialog.panel.code_field, run(qtbot, _read_code(dialog.panel.url)))
        with qtbot.waitSignal(dialog.signed_in, timeout=5000):
            qtbot.mouseClick(dialog.panel._sign_in, Qt.MouseButton.LeftButton)
        saved = secrets.refresh_token(DEMO_CLIENT_ID, sim.token_url)
        assert saved
        assert saved not in repr(conn.tokens)
    finally:
        run(qtbot, conn.aclose())
