"""The desk's one second tick: it runs only while something on screen counts — a released
door, a ringing call, the status bar's "updated N s ago" while the window shows — and an idle
desk whose window is minimised or hidden does not wake up at all."""

from __future__ import annotations

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from bmx_console.clock import FakeClock
from bmx_console.sim.cloud import Cloud
from bmx_console.ui.calls import CallBanner
from bmx_console.ui.ticker import Tick, Ticker, shared_ticker
from tests.gui.desk_support import (
    Desk,
    click_release,
    row,
    state_text,
    window,
)

WAIT_MS = 5_000


def test_a_tick_runs_between_start_and_stop_and_the_timer_only_while_one_runs(
    qtbot: QtBot,
) -> None:
    ticker = Ticker()
    owner = QObject()
    seen: list[str] = []
    first = Tick(lambda: seen.append("first"), owner=owner, name="first", ticker=ticker)
    second = Tick(lambda: seen.append("second"), owner=owner, name="second", ticker=ticker)
    assert not ticker.active

    first.start()
    second.start()
    assert ticker.active and ticker.running() == ["first", "second"]
    with qtbot.waitSignal(ticker._timer.timeout, timeout=2_000):
        pass
    assert sorted(seen) == ["first", "second"]

    first.stop()
    seen.clear()
    ticker.tick()
    assert seen == ["second"]
    second.stop()
    assert not ticker.active


def test_a_tick_stops_with_its_owner(qtbot: QtBot) -> None:
    ticker = Ticker()
    owner = QObject()
    tick = Tick(lambda: None, owner=owner, name="gone", ticker=ticker)
    tick.start()
    assert ticker.active

    with qtbot.waitSignal(owner.destroyed):
        owner.deleteLater()

    assert not tick.running and not ticker.active


def test_an_idle_desk_ticks_only_for_its_status_bar_and_not_at_all_while_minimised(
    qtbot: QtBot, desk: Desk
) -> None:
    main = window(desk)
    ticker = shared_ticker()
    # Nothing released, no call: the only thing that counts is "Events updated N s ago".
    qtbot.waitUntil(lambda: main.status.events.text.text().startswith("Events updated"))
    assert ticker.running() == ["status bar"]

    main.showMinimized()
    assert not ticker.active
    main.showNormal()
    qtbot.waitExposed(main)
    assert ticker.running() == ["status bar"]

    main.hide()  # closed to the tray
    assert not ticker.active
    main.show()
    qtbot.waitExposed(main)
    assert ticker.running() == ["status bar"]


def test_releasing_a_door_ticks_its_countdown_until_the_door_is_ready(
    qtbot: QtBot, desk: Desk, cloud: Cloud, clock: FakeClock
) -> None:
    ticker = shared_ticker()
    door_id = cloud.doors[0]["id"]
    assert "door countdown" not in ticker.running()

    click_release(qtbot, desk, door_id)
    qtbot.waitUntil(lambda: row(desk, door_id).state == "released", timeout=WAIT_MS)
    assert "door countdown" in ticker.running()

    clock.advance(2)
    ticker.tick()
    window(desk).door_list.model.flush_now()
    assert state_text(desk, door_id) == "Released · 3 s"

    clock.advance(3.1)
    ticker.tick()
    window(desk).door_list.model.flush_now()
    assert state_text(desk, door_id) == "Ready"
    assert "door countdown" not in ticker.running()


def test_a_ringing_call_ticks_until_it_is_acknowledged(
    qtbot: QtBot, desk: Desk, cloud: Cloud, clock: FakeClock
) -> None:
    ticker = shared_ticker()
    banner = window(desk).call_banner
    assert isinstance(banner, CallBanner)
    assert "ringing call" not in ticker.running()

    clock.advance(1)
    cloud.add_call(recipient={"type": "Attendant"})
    qtbot.waitUntil(lambda: banner.current_call() is not None, timeout=WAIT_MS)
    assert "ringing call" in ticker.running()
    clock.advance(12)
    ticker.tick()
    assert "(12 s ago)" in banner.details_label.text()

    banner.acknowledge()
    assert "ringing call" not in ticker.running()
