"""Answering a call ends the ringing: a release from the banner also tells the panel (v3
open_door, JSON:API, once), Decline sends call_ended, a call that rang out is not told, and a
desk on client credentials says that the panel keeps ringing."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from bmx_console.api.auth import TokenManager
from bmx_console.api.notifications import JSON_API, CallNotifier
from bmx_console.sim.cloud import DEMO_CLIENT_ID
from bmx_console.sim.v3 import call_guid, notifications, v3_panel_id
from bmx_console.ui.call_banner import CallBanner
from tests.gui.desk_support import run
from tests.gui.sim_desk import BASE, open_sim_desk
from tests.gui.test_calls_banner import (
    CARROLL,
    CARROLL_LOBBY,
    CARROLL_MAIN,
    CARROLL_MAIN_PANEL,
    SimDesk,
    make_banner,
    ring,
)

ATTENDANT = {"id": None, "type": "Attendant"}


@pytest.fixture
def desk(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> Iterator[SimDesk]:
    yield from open_sim_desk(qtbot, SimDesk)


def person_notifier(qtbot: QtBot, desk: SimDesk) -> CallNotifier:
    """The desk signed in as the front-desk person: a pasted code, then refresh tokens."""
    tokens = TokenManager(
        desk.client.http,
        token_url=f"{BASE}/oauth/token",
        client_id=DEMO_CLIENT_ID,
        clock=desk.clock,
    )
    request = tokens.start_sign_in()
    challenge = parse_qs(urlsplit(request.url).query)["code_challenge"][0]
    run(qtbot, tokens.finish_sign_in(request, desk.cloud.issue_auth_code(challenge)))
    assert tokens.signed_in_as_person
    return CallNotifier(desk.client.http, tokens, api_base=BASE, clock=desk.clock)


def v3_requests(desk: SimDesk, method: str = "POST") -> list[Any]:
    return [
        r
        for r in desk.transport.requests
        if r.url.path.startswith("/v3/notifications/") and r.method == method
    ]


def call_status(desk: SimDesk, call_id: int) -> Any:
    return next(c["status"] for c in desk.cloud.calls(CARROLL) if c["id"] == call_id)


def answering_banner(qtbot: QtBot, desk: SimDesk) -> CallBanner:
    return make_banner(qtbot, desk, answerer=person_notifier(qtbot, desk))


def test_release_on_a_ringing_call_tells_the_panel_once(qtbot: QtBot, desk: SimDesk) -> None:
    banner = answering_banner(qtbot, desk)
    call_id = ring(qtbot, desk, device=CARROLL_MAIN_PANEL, recipient=ATTENDANT)
    assert banner.answer_label.isHidden()  # nothing to say before the release

    qtbot.mouseClick(banner.release_buttons[CARROLL_MAIN], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: banner.answer()[0] == "told", timeout=5000)

    assert banner.feedback() == ("released", "Main Entrance released.")
    assert banner.answer_label.text() == "The panel stopped ringing."
    assert len(desk.cloud.releases) == 1
    told = notifications(desk.cloud)
    assert [n["path"] for n in told] == ["/v3/notifications/open_door"]
    assert told[0]["content_type"] == JSON_API
    assert told[0]["body"]["data"]["attributes"] == {
        "call_guid": call_guid(call_id),
        "source_id": v3_panel_id(CARROLL_MAIN_PANEL),
        "video": False,
        "audio": False,
    }
    assert call_status(desk, call_id) == "opened_door"

    # A second door for the same call opens, but the panel is not told again.
    desk.clock.advance(1)
    banner.release_door(CARROLL_LOBBY)
    qtbot.waitUntil(lambda: banner.feedback() == ("released", "Lobby released."), timeout=5000)
    assert len(desk.cloud.releases) == 2
    assert len(v3_requests(desk)) == 1
    assert v3_requests(desk)[0].headers["content-type"] == JSON_API


def test_decline_ends_the_call_at_the_panel(qtbot: QtBot, desk: SimDesk) -> None:
    banner = answering_banner(qtbot, desk)
    call_id = ring(qtbot, desk, device=CARROLL_MAIN_PANEL, recipient=ATTENDANT)
    assert banner.decline_button.isVisible()

    qtbot.mouseClick(banner.decline_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(banner.isHidden, timeout=5000)

    told = notifications(desk.cloud)
    assert [n["path"] for n in told] == ["/v3/notifications/call_ended"]
    assert json.loads(v3_requests(desk)[0].content)["data"]["attributes"]["call_guid"] == (
        call_guid(call_id)
    )
    assert call_status(desk, call_id) == "declined"
    assert desk.cloud.releases == []
    assert banner.missed_calls() == []


def test_a_call_that_rang_out_is_released_but_its_panel_is_not_told(
    qtbot: QtBot, desk: SimDesk
) -> None:
    banner = answering_banner(qtbot, desk)
    ring(qtbot, desk, device=CARROLL_MAIN_PANEL, recipient=ATTENDANT)
    desk.clock.advance(45)  # the panel gives up after about 40 s
    banner.tick()
    assert banner.decline_button.isHidden()

    banner.release_door(CARROLL_MAIN)
    qtbot.waitUntil(lambda: banner.feedback()[0] == "released", timeout=5000)
    assert banner.answer() == (
        "late",
        "The call had stopped ringing: the panel was not told.",
    )
    assert len(desk.cloud.releases) == 1
    assert [r for r in desk.transport.requests if r.url.path.startswith("/v3/")] == []
    assert notifications(desk.cloud) == []


def test_a_failed_notice_shows_beside_the_call_is_not_retried_and_the_release_stands(
    qtbot: QtBot, desk: SimDesk
) -> None:
    banner = answering_banner(qtbot, desk)
    ring(qtbot, desk, device=CARROLL_MAIN_PANEL, recipient=ATTENDANT)
    desk.cloud.faults.add("/v3/notifications/open_door", status=503, times=3)

    banner.release_door(CARROLL_MAIN)
    qtbot.waitUntil(lambda: banner.answer()[0] == "failed", timeout=5000)

    assert banner.feedback() == ("released", "Main Entrance released.")
    assert banner.answer_label.isVisible()
    assert banner.answer_label.text().startswith("The panel was not told, and may ring on: ")
    assert "503" in banner.answer_label.text()
    assert len(v3_requests(desk)) == 1
    assert len(desk.cloud.releases) == 1


def test_on_client_credentials_the_banner_says_the_panel_keeps_ringing(
    qtbot: QtBot, desk: SimDesk
) -> None:
    # The desk's own connection: client credentials, no person behind it.
    notifier = CallNotifier(desk.client.http, desk.client._tokens, api_base=BASE, clock=desk.clock)
    banner = make_banner(qtbot, desk, answerer=notifier)
    ring(qtbot, desk, device=CARROLL_MAIN_PANEL, recipient=ATTENDANT)

    assert banner.answer_label.isVisible()
    assert "the panel keeps ringing until it times out" in banner.answer_label.text()
    assert banner.decline_button.isHidden()
    banner.release_door(CARROLL_MAIN)
    qtbot.waitUntil(lambda: banner.feedback()[0] == "released", timeout=5000)
    assert "keeps ringing until it times out" in banner.answer_label.text()
    assert [r for r in desk.transport.requests if r.url.path.startswith("/v3/")] == []
