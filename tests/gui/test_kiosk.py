"""The lobby kiosk against the in-process simulator: which doors it shows, taps and holds that
open them (or not), the staff PIN and its lockout, refused close requests, the idle reset and
the offline state. Time is a FakeClock; waits are on conditions, never fixed sleeps."""

from __future__ import annotations

import asyncio
import io
import logging
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from bmx_console import cli
from bmx_console.api.client import BmxClient
from bmx_console.api.retry import RetryPolicy
from bmx_console.clock import FakeClock
from bmx_console.config import KioskSettings, Settings
from bmx_console.core.cursor import CursorFile
from bmx_console.core.pin import hash_pin
from bmx_console.core.pollers import Pollers
from bmx_console.core.release import ReleaseService
from bmx_console.core.store import Store
from bmx_console.desk import Desk
from bmx_console.logs import setup_logging
from bmx_console.paths import user_paths
from bmx_console.secrets import SecretStore
from bmx_console.services import read_kiosk_pin_hash
from bmx_console.sim.cloud import Cloud
from bmx_console.ui.kiosk import KioskWindow
from bmx_console.ui.kiosk_tile import DoorTile
from tests.gui.desk_support import close_desk
from tests.support import quiet_cloud, run, sim_client

PIN = "482913"


async def quick_sleep(_seconds: float) -> None:
    """The pollers' cadence, compressed: every wait between polls is a short real one."""
    await asyncio.sleep(0.02)


@dataclass
class Lobby:
    cloud: Cloud
    clock: FakeClock
    client: BmxClient
    store: Store
    releases: ReleaseService
    pollers: Pollers

    def first_building_doors(self) -> list[tuple[int, str]]:
        first = self.cloud.buildings[0]["id"]
        doors = [(d["id"], d["name"]) for d in self.cloud.doors if d["building_id"] == first]
        return sorted(doors, key=lambda d: (d[1].casefold(), d[0]))

    def released_doors(self) -> list[int]:
        return [r["response"]["access_point_id"] for r in self.cloud.releases]


@pytest.fixture
def lobby(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> Iterator[Lobby]:
    clock = FakeClock()
    cloud = quiet_cloud(clock)
    # One attempt per request: a faulted cloud shows up at the next poll, not after back-off.
    client = sim_client(cloud, clock, retry=RetryPolicy(max_attempts=1))
    store = Store()
    pollers = Pollers.create(
        client,
        store,
        CursorFile(None),
        status_interval_s=1.0,
        events_interval_s=1.0,
        calls_interval_s=0,
        clock=clock,
        sleep=quick_sleep,
        jitter=lambda: 1.0,
    )
    releases = ReleaseService(
        client, store, tenant_id=cloud.front_desk_tenant_id(), released_state_s=5.0, clock=clock
    )
    result = Lobby(cloud, clock, client, store, releases, pollers)
    run(qtbot, pollers["doors"].poll())
    run(qtbot, pollers["events"].poll())
    yield result
    run(qtbot, pollers.stop())
    run(qtbot, client.aclose())


def stored_pin_hash() -> str:
    """What the desk gives the kiosk: the user's PIN file, read at each call."""
    return read_kiosk_pin_hash(user_paths().kiosk_pin)


def make_kiosk(
    qtbot: QtBot,
    lobby: Lobby,
    *,
    demo: bool = True,
    pin_hash: str | None = None,
    settings: KioskSettings | None = None,
    **kiosk: Any,
) -> KioskWindow:
    """A kiosk on the lobby; ``pin_hash`` fixes its stored hash, else it reads the user's PIN
    file. Taps open doors here unless a test asks for holding (or passes ``settings``)."""
    window = KioskWindow(
        lobby.store,
        lobby.releases,
        settings or KioskSettings(**{"hold_ms": 0, **kiosk}),
        clock=lobby.clock,
        demo=demo,
        pin_hash=stored_pin_hash if pin_hash is None else lambda: pin_hash,
    )
    qtbot.addWidget(window)
    window.show_pinned()
    qtbot.waitExposed(window)
    return window


def tap(tile: DoorTile) -> None:
    QTest.mouseClick(tile, Qt.MouseButton.LeftButton, pos=tile.rect().center())


def type_pin(qtbot: QtBot, window: KioskWindow, pin: str) -> None:
    """Type and enter ``pin``, then wait for the (threaded) check to be over."""
    for digit in pin:
        QTest.keyClick(window.staff, digit)
    QTest.keyClick(window.staff, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.staff.checking)


def open_prompt_with_shortcut(qtbot: QtBot, window: KioskWindow) -> None:
    mods = (
        Qt.KeyboardModifier.ControlModifier
        | Qt.KeyboardModifier.AltModifier
        | Qt.KeyboardModifier.ShiftModifier
    )
    QTest.keyClick(window, Qt.Key.Key_K, mods)
    qtbot.waitUntil(window.staff.isVisible)


# -- which doors -----------------------------------------------------------------------------


def test_the_demo_shows_the_first_buildings_entrances_not_its_gates(
    qtbot: QtBot, lobby: Lobby
) -> None:
    window = make_kiosk(qtbot, lobby)
    assert [t.name() for t in window.tiles] == ["Lobby", "Main Entrance", "Package Room"]
    by_name = {name: door_id for door_id, name in lobby.first_building_doors()}
    assert [t.door_id for t in window.tiles] == [by_name[t.name()] for t in window.tiles]
    assert all(t.isEnabled() for t in window.tiles)
    assert window.place.text() == lobby.cloud.buildings[0]["name"]
    assert [t.status_text() for t in window.tiles] == ["Tap to open"] * 3


def test_the_kiosk_holds_to_open_by_default_and_taps_only_when_told(
    qtbot: QtBot, lobby: Lobby
) -> None:
    held = make_kiosk(qtbot, lobby, settings=KioskSettings())
    tile = held.tiles[0]
    assert tile.status_text() == "Hold to open"
    assert held.hint.text() == "Press and hold a door until the ring is full"
    tap(tile)
    QTest.mousePress(tile, Qt.MouseButton.LeftButton, pos=tile.rect().center())
    lobby.clock.advance(0.3)
    qtbot.waitUntil(lambda: 0.4 < tile.hold_progress() < 0.6)
    lobby.clock.advance(0.4)
    qtbot.waitUntil(lambda: tile.row is not None and tile.row.state == "released")
    QTest.mouseRelease(tile, Qt.MouseButton.LeftButton, pos=tile.rect().center())
    assert lobby.released_doors() == [tile.door_id]

    tapped = make_kiosk(qtbot, lobby, settings=KioskSettings(hold_ms=0))
    assert tapped.tiles[1].status_text() == "Tap to open"


def test_configured_doors_show_in_their_order_and_an_unknown_one_says_so(
    qtbot: QtBot, lobby: Lobby
) -> None:
    doors = lobby.first_building_doors()
    wanted = (doors[2][0], doors[0][0], 999_999)
    window = make_kiosk(qtbot, lobby, demo=False, doors=wanted)
    assert [t.door_id for t in window.tiles] == list(wanted)
    assert window.tiles[0].name() == doors[2][1]
    missing = window.tile(999_999)
    assert not missing.isEnabled()
    assert missing.status_text() == "Not available here"
    assert "not visible" in missing.detail_text()


def test_without_configured_doors_the_public_screen_only_says_to_ask_the_desk(
    qtbot: QtBot, lobby: Lobby, capsys: pytest.CaptureFixture[str], caplog: Any
) -> None:
    with caplog.at_level(logging.WARNING, logger="bmx_console.ui.kiosk"):
        window = make_kiosk(qtbot, lobby, demo=False)
    assert window.tiles == []
    assert window.empty.isVisible()
    assert window.empty.text() == "This kiosk is not set up yet — please ask the front desk"
    assert not window.hint.isVisible()
    shown = " ".join(label.text() for label in window.findChildren(QLabel) if label.isVisible())
    assert "config.toml" not in shown and "[kiosk]" not in shown
    # Staff find the how-to on the command line and in the log.
    assert "[kiosk]" in capsys.readouterr().err
    assert any("[kiosk]" in record.getMessage() for record in caplog.records)


# -- releasing -------------------------------------------------------------------------------


def test_a_tap_releases_the_door_once_and_counts_down_back_to_idle(
    qtbot: QtBot, lobby: Lobby
) -> None:
    window = make_kiosk(qtbot, lobby)
    tile = window.tiles[0]
    tap(tile)
    qtbot.waitUntil(lambda: tile.row is not None and tile.row.state == "released")
    assert lobby.released_doors() == [tile.door_id]
    assert tile.status_text() == "Unlocked · 5 s"
    lobby.clock.advance(2)
    qtbot.waitUntil(lambda: tile.status_text() == "Unlocked · 3 s")
    lobby.clock.advance(3)
    qtbot.waitUntil(lambda: tile.status_text() == "Tap to open")
    assert lobby.released_doors() == [tile.door_id]


def test_a_second_tap_within_3_seconds_is_ignored(qtbot: QtBot, lobby: Lobby) -> None:
    window = make_kiosk(qtbot, lobby)
    tile = window.tiles[1]
    tap(tile)
    qtbot.waitUntil(lambda: tile.row is not None and tile.row.state == "released")
    lobby.clock.advance(1)
    tap(tile)
    qtbot.waitUntil(lambda: "ignored" in tile.detail_text())
    assert lobby.released_doors() == [tile.door_id]


def test_a_failed_release_shows_the_sentence_on_the_door(qtbot: QtBot, lobby: Lobby) -> None:
    lobby.cloud.faults.add("/v4/door_release_requests", status=503)
    window = make_kiosk(qtbot, lobby)
    tile = window.tiles[0]
    tap(tile)
    qtbot.waitUntil(lambda: tile.row is not None and tile.row.state == "failed")
    assert tile.status_text() == "Could not open"
    assert tile.detail_text() == tile.row.release.failure
    assert tile.detail_text()


def test_a_short_press_opens_nothing_when_holding_is_required(qtbot: QtBot, lobby: Lobby) -> None:
    window = make_kiosk(qtbot, lobby, hold_ms=1500)
    tile = window.tiles[0]
    assert tile.status_text() == "Hold to open"
    QTest.mousePress(tile, Qt.MouseButton.LeftButton, pos=tile.rect().center())
    lobby.clock.advance(1.0)
    qtbot.waitUntil(lambda: 0.6 < tile.hold_progress() < 0.7)
    assert tile.status_text() == "Keep holding…"
    QTest.mouseRelease(tile, Qt.MouseButton.LeftButton, pos=tile.rect().center())
    assert tile.hold_progress() == 0
    lobby.clock.advance(5.0)
    # Two heartbeats later the event loop has run everything a release would have needed.
    with qtbot.waitSignal(window.ticked):
        pass
    with qtbot.waitSignal(window.ticked):
        pass
    assert lobby.released_doors() == []
    assert tile.row is not None and tile.row.state == "idle"


def test_a_full_hold_releases_exactly_once(qtbot: QtBot, lobby: Lobby) -> None:
    window = make_kiosk(qtbot, lobby, hold_ms=1500)
    tile = window.tiles[2]
    QTest.mousePress(tile, Qt.MouseButton.LeftButton, pos=tile.rect().center())
    lobby.clock.advance(0.8)
    qtbot.waitUntil(lambda: tile.hold_progress() > 0.5)
    lobby.clock.advance(0.8)
    qtbot.waitUntil(lambda: tile.row is not None and tile.row.state == "released")
    # Still holding well past the end: nothing more is sent.
    lobby.clock.advance(3.0)
    with qtbot.waitSignal(window.ticked):
        pass
    QTest.mouseRelease(tile, Qt.MouseButton.LeftButton, pos=tile.rect().center())
    assert lobby.released_doors() == [tile.door_id]


def test_dragging_off_the_door_cancels_a_hold(qtbot: QtBot, lobby: Lobby) -> None:
    window = make_kiosk(qtbot, lobby, hold_ms=1000)
    tile = window.tiles[0]
    QTest.mousePress(tile, Qt.MouseButton.LeftButton, pos=tile.rect().center())
    QTest.mouseMove(tile, tile.rect().bottomRight() + QPoint(40, 40))
    lobby.clock.advance(2.0)
    with qtbot.waitSignal(window.ticked):
        pass
    assert not tile.holding
    assert lobby.released_doors() == []


# -- refusing to close -----------------------------------------------------------------------


def test_close_requests_and_close_keys_are_refused(qtbot: QtBot, lobby: Lobby) -> None:
    window = make_kiosk(qtbot, lobby)
    exits: list[bool] = []
    window.exited.connect(lambda: exits.append(True))

    assert window.close() is False
    event = QCloseEvent()
    QApplication.sendEvent(window, event)
    assert not event.isAccepted()

    ctrl = Qt.KeyboardModifier.ControlModifier
    for key, mods in (
        (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_W, ctrl),
        (Qt.Key.Key_Q, ctrl),
        (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
    ):
        QTest.keyClick(window, key, mods)
        QTest.keyClick(window.tiles[0], key, mods)
    assert window.isVisible()
    assert window.isFullScreen()
    assert exits == []


# -- staff PIN -------------------------------------------------------------------------------


def test_without_a_pin_the_exit_gesture_offers_no_way_to_set_one(
    qtbot: QtBot, lobby: Lobby, isolated_dirs: dict[str, Path]
) -> None:
    window = make_kiosk(qtbot, lobby)
    open_prompt_with_shortcut(qtbot, window)
    assert window.staff.mode == "no_pin"
    assert window.staff.message.text() == (
        "This kiosk has no staff PIN yet. Set one at the front desk: Settings → Kiosk, "
        "or `bmx-console kiosk-pin`."
    )
    buttons = [b for b in window.staff.findChildren(QPushButton) if b.isVisible()]
    assert [b.text() for b in buttons] == ["Back to doors"]
    # Typing a PIN (as a first comer would, to choose one) does nothing at all.
    type_pin(qtbot, window, "482913")
    assert window.staff.mode == "no_pin"
    assert not user_paths().kiosk_pin.exists()
    assert not [p for p in isolated_dirs["config"].rglob("*") if p.is_file()]
    QTest.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    assert not window.staff.isVisible()
    assert window.isVisible()


def test_a_pin_set_by_kiosk_pin_while_it_runs_opens_it_at_the_next_prompt(
    qtbot: QtBot,
    lobby: Lobby,
    isolated_dirs: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    log_file = setup_logging(user_paths().log_dir, level=logging.DEBUG)
    window = make_kiosk(qtbot, lobby)
    open_prompt_with_shortcut(qtbot, window)
    assert window.staff.mode == "no_pin"
    QTest.keyClick(window, Qt.Key.Key_Escape)
    assert not window.staff.isVisible()

    monkeypatch.setattr(sys, "stdin", io.StringIO(PIN + "\n"))
    assert cli.main(["kiosk-pin", "--stdin"], out=io.StringIO()) == 0

    open_prompt_with_shortcut(qtbot, window)
    assert window.staff.mode == "unlock"
    type_pin(qtbot, window, PIN)
    assert window.staff.mode == "menu"
    with qtbot.waitSignal(window.exited):
        QTest.mouseClick(window.staff.exit_button, Qt.MouseButton.LeftButton)

    # The PIN is nowhere on disk; its hash is only in a file other users cannot read.
    stored = read_kiosk_pin_hash(user_paths().kiosk_pin)
    assert stored.startswith("scrypt$")
    holders = []
    for folder in isolated_dirs.values():
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                assert PIN.encode() not in data, path
                if stored.split("$")[-1].encode() in data:
                    holders.append(path)
    assert holders == [user_paths().kiosk_pin]
    assert stat.S_IMODE(holders[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(holders[0].parent.stat().st_mode) == 0o700
    assert log_file.exists()
    for text in (repr(window), repr(window.staff), repr(window.lockout)):
        assert PIN not in text


def test_the_right_pin_lets_staff_exit(qtbot: QtBot, lobby: Lobby) -> None:
    window = make_kiosk(qtbot, lobby, pin_hash=hash_pin(PIN))
    open_prompt_with_shortcut(qtbot, window)
    assert window.staff.mode == "unlock"
    type_pin(qtbot, window, PIN)
    assert window.staff.mode == "menu"
    with qtbot.waitSignal(window.exited):
        QTest.mouseClick(window.staff.exit_button, Qt.MouseButton.LeftButton)
    assert not window.isVisible()


def test_five_wrong_pins_lock_the_prompt_for_a_minute_then_two(qtbot: QtBot, lobby: Lobby) -> None:
    window = make_kiosk(qtbot, lobby, pin_hash=hash_pin(PIN), idle_timeout_s=3600)
    open_prompt_with_shortcut(qtbot, window)
    for left in (4, 3, 2, 1):
        type_pin(qtbot, window, "111111")
        assert window.staff.message.text() == f"Wrong PIN. {left} tries left."
    type_pin(qtbot, window, "111111")
    assert window.staff.message.text() == "Too many wrong PINs. Try again in 1:00."
    digit = next(b for b in window.staff.findChildren(QPushButton) if b.text() == "1")
    assert not digit.isEnabled()
    # The right PIN is refused while locked.
    type_pin(qtbot, window, PIN)
    assert window.staff.mode == "unlock"

    lobby.clock.advance(45)
    qtbot.waitUntil(lambda: window.staff.message.text().endswith("0:15."))
    lobby.clock.advance(15)
    qtbot.waitUntil(lambda: digit.isEnabled())
    for _ in range(5):
        type_pin(qtbot, window, "222222")
    assert window.staff.message.text() == "Too many wrong PINs. Try again in 2:00."
    lobby.clock.advance(120)
    qtbot.waitUntil(lambda: digit.isEnabled())
    type_pin(qtbot, window, PIN)
    assert window.staff.mode == "menu"


def test_holding_the_top_left_corner_for_3_seconds_opens_the_prompt(
    qtbot: QtBot, lobby: Lobby
) -> None:
    window = make_kiosk(qtbot, lobby, pin_hash=hash_pin(PIN))
    corner = window.corner
    QTest.mousePress(corner, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    lobby.clock.advance(2.0)
    with qtbot.waitSignal(window.ticked):
        pass
    QTest.mouseRelease(corner, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    assert not window.staff.isVisible()

    QTest.mousePress(corner, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    lobby.clock.advance(3.0)
    qtbot.waitUntil(window.staff.isVisible)
    QTest.mouseRelease(corner, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    assert window.staff.mode == "unlock"


# -- idle reset ------------------------------------------------------------------------------


def test_idle_timeout_closes_the_prompt_and_dialogs_and_shows_the_doors(
    qtbot: QtBot, lobby: Lobby
) -> None:
    window = make_kiosk(qtbot, lobby, pin_hash=hash_pin(PIN), idle_timeout_s=30)
    open_prompt_with_shortcut(qtbot, window)
    QTest.keyClick(window.staff, "4")
    dialog = QDialog(window)
    dialog.open()
    qtbot.waitUntil(dialog.isVisible)

    lobby.clock.advance(20)
    with qtbot.waitSignal(window.ticked):
        pass
    assert window.staff.isVisible()

    lobby.clock.advance(10)
    qtbot.waitUntil(lambda: not window.staff.isVisible())
    assert not dialog.isVisible()
    assert window.isVisible()
    assert all(t.isVisible() for t in window.tiles)
    # The typed digit went with the prompt.
    open_prompt_with_shortcut(qtbot, window)
    type_pin(qtbot, window, PIN)
    assert window.staff.mode == "menu"


def test_a_touch_restarts_the_idle_timer(qtbot: QtBot, lobby: Lobby) -> None:
    window = make_kiosk(qtbot, lobby, pin_hash=hash_pin(PIN), idle_timeout_s=30)
    open_prompt_with_shortcut(qtbot, window)
    lobby.clock.advance(25)
    QTest.keyClick(window.staff, "4")
    lobby.clock.advance(25)
    with qtbot.waitSignal(window.ticked):
        pass
    assert window.staff.isVisible()
    lobby.clock.advance(5)
    qtbot.waitUntil(lambda: not window.staff.isVisible())


# -- offline ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", [{"drop": True}, {"status": 503}], ids=["dropped", "503"])
def test_buttons_are_disabled_while_the_cloud_is_unreachable_and_recover(
    qtbot: QtBot, lobby: Lobby, fault: dict[str, Any]
) -> None:
    window = make_kiosk(qtbot, lobby)
    lobby.pollers.start()
    qtbot.waitUntil(lambda: all(h.last_success for h in lobby.store.healths()))
    assert window.offline_reason() is None

    lobby.cloud.faults.add("/v4", **fault)
    qtbot.waitUntil(lambda: window.offline, timeout=10_000)
    assert all(not t.isEnabled() for t in window.tiles)
    assert window.banner.isVisible()
    assert window.banner.text.text().startswith("Cloud unreachable since ")
    tap(window.tiles[0])
    assert lobby.cloud.releases == []

    lobby.cloud.faults.clear()
    qtbot.waitUntil(lambda: not window.offline, timeout=10_000)
    assert all(t.isEnabled() for t in window.tiles)
    assert not window.banner.isVisible()
    tap(window.tiles[0])
    qtbot.waitUntil(lambda: len(lobby.cloud.releases) == 1)


# -- recent activity -------------------------------------------------------------------------


def test_recent_activity_shows_events_at_these_doors_without_names(
    qtbot: QtBot, lobby: Lobby
) -> None:
    door_id, door_name = next(d for d in lobby.first_building_doors() if d[1] == "Lobby")
    lobby.clock.advance(5)
    lobby.cloud.add_event(access_point=door_id, name="Jane Resident", release_type="Tenant")
    run(qtbot, lobby.pollers["events"].poll())
    window = make_kiosk(qtbot, lobby, show_events=True)
    assert window.recent.isVisible()
    text = window.recent.text()
    assert door_name in text
    assert "Jane Resident" not in text
    assert "Jane Resident" not in window.tile(door_id).accessibleDescription()
    assert window.tile(door_id).last_event_text().startswith("Last: Unlocked (Tenant)")


# -- pinned to its screen --------------------------------------------------------------------


def test_it_goes_back_to_full_screen_when_taken_out_of_it(qtbot: QtBot, lobby: Lobby) -> None:
    window = make_kiosk(qtbot, lobby)
    assert window.isFullScreen()
    window.showNormal()
    qtbot.waitUntil(window.isFullScreen)
    window.showMinimized()
    qtbot.waitUntil(lambda: window.isFullScreen() and not window.isMinimized())


def test_screens_coming_and_going_pin_it_again(qtbot: QtBot, lobby: Lobby) -> None:
    window = make_kiosk(qtbot, lobby)
    screen = QGuiApplication.primaryScreen()
    window.setGeometry(10, 10, 300, 200)
    qtbot.waitUntil(lambda: window.geometry() != screen.geometry())
    QGuiApplication.instance().screenAdded.emit(screen)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: window.geometry() == screen.geometry())
    assert window.screen() is screen


def test_the_configured_screen_is_found_by_name_else_the_primary_one(
    qtbot: QtBot, lobby: Lobby
) -> None:
    primary = QGuiApplication.primaryScreen()
    named = make_kiosk(qtbot, lobby, screen=primary.name())
    assert named.target_screen() is primary
    unknown = make_kiosk(qtbot, lobby, screen="HDMI-9")
    assert unknown.target_screen() is primary


def test_the_desks_kiosk_reads_the_pin_that_kiosk_pin_sets_while_it_runs(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    isolated_dirs: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cloud = Cloud(seed=7, clock=FakeClock(), event_rate_per_min=0, call_rate_per_min=0)
    desk = Desk(
        Settings(),
        SecretStore(),
        cloud=cloud,
        clock=cloud.clock,
        audit_path=tmp_path / "audit.sqlite3",
        kiosk=True,
    )
    try:
        window = desk.kiosk_window
        assert isinstance(window, KioskWindow)
        window.show_pinned()
        qtbot.waitExposed(window)
        open_prompt_with_shortcut(qtbot, window)
        assert window.staff.mode == "no_pin"
        window.staff.close_panel()

        monkeypatch.setattr(sys, "stdin", io.StringIO(PIN + "\n"))
        assert cli.main(["kiosk-pin", "--stdin"], out=io.StringIO()) == 0
        open_prompt_with_shortcut(qtbot, window)
        type_pin(qtbot, window, PIN)
        assert window.staff.mode == "menu"
    finally:
        close_desk(qtbot, desk)
