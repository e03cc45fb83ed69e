"""A poller that stops without failing must not look healthy: the status bar counts a poller
that has not succeeded within twice its interval as not connected, and marks its data stale.

The pollers here stop the way a loop stuck on the event loop does: no error, no new health
record, only silence. The desk runs on the simulator with a fake clock; moving the clock
past twice a poller's interval is what makes it late.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pytestqt.qtbot import QtBot

from bmx_console.clock import FakeClock
from bmx_console.desk import Desk
from bmx_console.ui.status_bar import ago_text, clock_text
from tests.gui.desk_support import run, window

WAIT_MS = 5_000


def test_a_calls_poller_that_went_silent_turns_connected_into_degraded(
    qtbot: QtBot, desk: Desk, clock: FakeClock
) -> None:
    status = window(desk).status
    qtbot.waitUntil(lambda: status.connection_text == "Connected", timeout=WAIT_MS)
    health = desk.store.health("calls")
    assert health is not None and health.last_success is not None
    last_call_check = health.last_success
    run(qtbot, desk.pollers["calls"].stop())

    # Calls are due every 2 s; the other pollers go on and catch up with the clock.
    clock.advance(5)
    qtbot.waitUntil(lambda: status.connection_text == "Degraded", timeout=WAIT_MS)
    assert f"calls: no update since {clock_text(last_call_check)}" in status.connection_tooltip
    assert "every 2 s" in status.connection_tooltip
    qtbot.waitUntil(lambda: status.events.text.text().startswith("Events updated"), timeout=WAIT_MS)
    assert status.connection_text == "Degraded", "the calls are still late"

    desk.pollers["calls"].start()
    qtbot.waitUntil(lambda: status.connection_text == "Connected", timeout=WAIT_MS)


def test_a_door_poller_that_went_silent_greys_the_door_list(
    qtbot: QtBot, desk: Desk, clock: FakeClock
) -> None:
    main = window(desk)
    qtbot.waitUntil(lambda: main.status.connection_text == "Connected", timeout=WAIT_MS)
    health = desk.store.health("doors")
    assert health is not None and health.last_success is not None
    last_roster = health.last_success
    run(qtbot, desk.pollers["doors"].stop())

    # The roster is due every 15 s.
    clock.advance(31)
    qtbot.waitUntil(lambda: main.door_list.stale_text != "", timeout=WAIT_MS)
    assert f"stale since {clock_text(last_roster)}" in main.door_list.stale_text
    assert main.status.doors.text.text() == f"Doors stale since {clock_text(last_roster)}"
    assert main.status.connection_text == "Degraded"


def test_how_long_ago_moves_in_ten_second_steps() -> None:
    """A resting desk's freshness words change six times a minute, not sixty: each change
    redraws the status bar."""
    moment = datetime(2026, 12, 3, 14, 0, tzinfo=UTC)
    said = [ago_text(tenths / 10, moment) for tenths in range(0, 600)]
    assert said[0] == said[99] == "just now"
    assert said[100] == said[199] == "10 s ago"
    assert said[599] == "50 s ago"
    assert len(set(said)) == 6
    assert ago_text(61, moment) == "1 min ago"
