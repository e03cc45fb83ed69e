"""The real desk window against the in-process simulator: releasing a door, live events,
double presses, rate limiting, token expiry and a sign-out."""

from __future__ import annotations

import asyncio

from pytestqt.qtbot import QtBot

from bmx_console.clock import FakeClock
from bmx_console.desk import Desk
from bmx_console.sim.cloud import Cloud
from bmx_console.ui.status_bar import clock_text
from tests.gui.desk_support import (
    Recorder,
    click_release,
    row,
    sign_in_entry,
    state_text,
    wait_for_sign_in,
    window,
)

WAIT_MS = 5_000


def main_entrance(cloud: Cloud) -> int:
    building = cloud.buildings[0]["id"]
    return next(
        d["id"]
        for d in cloud.doors
        if d["building_id"] == building and d["name"] == "Main Entrance"
    )


def test_release_sends_one_request_for_the_front_desk_and_the_row_counts_down(
    qtbot: QtBot, desk: Desk, cloud: Cloud, clock: FakeClock
) -> None:
    door_id = main_entrance(cloud)

    click_release(qtbot, desk, door_id)

    qtbot.waitUntil(lambda: row(desk, door_id).state == "released", timeout=WAIT_MS)
    assert [r["request"] for r in cloud.releases] == [
        {
            "door_release_request": {
                "tenant_id": cloud.front_desk_tenant_id(),
                "access_point_id": door_id,
            }
        }
    ]
    window(desk).door_list.model.flush_now()
    assert state_text(desk, door_id) == "Released · 5 s"

    clock.advance(3)
    qtbot.waitUntil(lambda: state_text(desk, door_id) == "Released · 2 s", timeout=WAIT_MS)
    clock.advance(2.1)
    qtbot.waitUntil(lambda: state_text(desk, door_id) == "Ready", timeout=WAIT_MS)
    assert row(desk, door_id).state == "idle"
    assert len(cloud.releases) == 1


def test_a_second_press_within_three_seconds_is_ignored_and_the_row_says_so(
    qtbot: QtBot, desk: Desk, cloud: Cloud, clock: FakeClock
) -> None:
    door_id = main_entrance(cloud)
    click_release(qtbot, desk, door_id)
    qtbot.waitUntil(lambda: row(desk, door_id).state == "released", timeout=WAIT_MS)

    clock.advance(1)
    click_release(qtbot, desk, door_id)

    qtbot.waitUntil(lambda: row(desk, door_id).release.notice is not None, timeout=WAIT_MS)
    window(desk).door_list.model.flush_now()
    assert "ignored a second press" in state_text(desk, door_id)
    assert len(cloud.releases) == 1


def test_a_double_click_while_the_release_is_in_flight_sends_it_once(
    qtbot: QtBot, desk: Desk, cloud: Cloud
) -> None:
    door_id = main_entrance(cloud)
    cloud.faults.add("/v4/door_release_requests", latency_s=0.5)

    click_release(qtbot, desk, door_id)
    click_release(qtbot, desk, door_id)

    qtbot.waitUntil(lambda: row(desk, door_id).release.notice is not None, timeout=WAIT_MS)
    assert row(desk, door_id).state == "sending"
    window(desk).door_list.model.flush_now()
    assert "ignored a second press" in state_text(desk, door_id)
    qtbot.waitUntil(lambda: row(desk, door_id).state == "released", timeout=WAIT_MS)
    assert len(cloud.releases) == 1


def test_a_new_simulator_event_shows_within_one_poll(
    qtbot: QtBot, desk: Desk, cloud: Cloud, clock: FakeClock
) -> None:
    door_id = main_entrance(cloud)
    clock.advance(5)
    event = cloud.add_event(
        access_point=door_id,
        name="Zoe Quinn",
        release_type="Visitor",
        entry_method="Visitor Pass (using QR code)",
    )

    pane = window(desk).event_pane
    assert pane is not None
    shown = pane.model  # type: ignore[attr-defined]
    # One events poll is 1 s here; give it that and a little room.
    qtbot.waitUntil(
        lambda: shown.rowCount() > 0 and shown.event_at(0).id == event["id"], timeout=2_500
    )
    qtbot.waitUntil(lambda: row(desk, door_id).last_event_user == "Zoe Quinn", timeout=1_000)
    door_list = window(desk).door_list
    door_list.model.flush_now()
    proxy_row = door_list.proxy_row_of(door_id)
    assert proxy_row is not None
    last_event = str(door_list.proxy.index(proxy_row, 3).data())
    assert last_event.startswith("Unlocked (Visitor) · ")
    assert last_event.endswith(" · Zoe Quinn")


def test_rate_limiting_degrades_respects_retry_after_and_recovers(
    qtbot: QtBot, desk: Desk, cloud: Cloud, sleep: Recorder
) -> None:
    status = window(desk).status
    qtbot.waitUntil(lambda: status.connection_text == "Connected", timeout=WAIT_MS)
    sleep.delays.clear()
    # Every attempt the client makes in one poll (it retries GETs itself) is refused.
    cloud.faults.add("/v4/buildings/*/access_logs", retry_after="30", times=4)

    qtbot.waitUntil(lambda: status.connection_text.startswith("Degraded"), timeout=WAIT_MS)
    assert "rate limited" in status.connection_text
    assert "slow down" in status.connection_tooltip
    assert "HTTP" not in status.connection_tooltip
    health = desk.store.health("events")
    assert health is not None and health.error_kind == "rate_limited"
    assert health.next_attempt is not None and health.last_attempt is not None
    assert (health.next_attempt - health.last_attempt).total_seconds() >= 30
    # Neither the client's retries nor the poller's next attempt came sooner than asked.
    assert sleep.delays["events"], "the events poller never waited"
    assert min(sleep.delays["events"]) >= 30

    qtbot.waitUntil(lambda: status.connection_text == "Connected", timeout=WAIT_MS)
    assert desk.store.health("events").error_kind is None  # type: ignore[union-attr]


def test_an_expired_token_is_refreshed_silently_and_data_keeps_flowing(
    qtbot: QtBot, desk: Desk, cloud: Cloud, clock: FakeClock, qloop: asyncio.AbstractEventLoop
) -> None:
    grants_before = len(cloud.token_requests)
    cloud.expire_tokens()
    clock.advance(5)
    event = cloud.add_event(access_point=main_entrance(cloud), name="After Expiry")

    qtbot.waitUntil(lambda: desk.store.event(event["id"]) is not None, timeout=WAIT_MS)
    assert len(cloud.token_requests) > grants_before
    assert not window(desk).signed_out_banner.isVisible()
    assert window(desk).open_dialog("sign_in") is None
    assert window(desk).status.connection_text == "Connected"
    assert qloop.reported_errors == []  # type: ignore[attr-defined]


def test_a_refused_token_request_shows_the_signed_out_banner_and_opens_sign_in(
    qtbot: QtBot, desk: Desk, cloud: Cloud
) -> None:
    cloud.faults.add("/oauth/token", status=401)
    cloud.expire_tokens()

    main = window(desk)
    qtbot.waitUntil(main.signed_out_banner.isVisible, timeout=WAIT_MS)
    assert main.signed_out_banner.title.text() == "Signed out — sign in again"
    qtbot.waitUntil(lambda: main.status.connection_text == "Signed out", timeout=WAIT_MS)
    assert "client ID or client secret is wrong" in main.signed_out_banner.detail.text()
    dialog = wait_for_sign_in(qtbot, main, timeout=WAIT_MS)
    # Closed, it comes back from the File menu.
    dialog.reject()
    qtbot.waitUntil(lambda: main.open_dialog("sign_in") is None, timeout=WAIT_MS)
    sign_in_entry(main).trigger()
    wait_for_sign_in(qtbot, main, timeout=WAIT_MS)


def test_events_failing_for_twice_their_interval_are_marked_stale_until_they_recover(
    qtbot: QtBot, desk: Desk, cloud: Cloud, clock: FakeClock
) -> None:
    main = window(desk)
    status = main.status
    expires = desk.connection.tokens.expires_at
    assert expires is not None
    # A token that lasts into tomorrow says which day: a time alone would read as expired.
    local = expires.astimezone()
    assert local.date() != clock.now().astimezone().date()
    assert status.token.text.text() == (
        f"Token valid until {local:%a} {local.day} {local:%b} {local:%H:%M}"
    )
    qtbot.waitUntil(lambda: status.connection_text == "Connected", timeout=WAIT_MS)
    last_good = desk.store.health("events").last_success  # type: ignore[union-attr]
    assert last_good is not None
    cloud.faults.add("/v4/buildings/*/access_logs", status=503)

    qtbot.waitUntil(lambda: status.connection_text.startswith("Degraded"), timeout=WAIT_MS)
    assert main.events_stale_text == ""
    # The events poll runs every second; three seconds of failures is more than twice that.
    clock.advance(3)
    qtbot.waitUntil(lambda: main.events_stale_text != "", timeout=WAIT_MS)
    assert main.events_stale_text == (
        f"Events may be out of date — stale since {clock_text(last_good)}."
    )
    assert status.events.text.text() == f"Events stale since {clock_text(last_good)}"
    assert main.door_list.stale_text == "", "the doors still arrive"

    cloud.faults.clear()
    qtbot.waitUntil(lambda: main.events_stale_text == "", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: status.connection_text == "Connected", timeout=WAIT_MS)
