"""The desk's life around the window: quitting fast even mid-request, remembering the
window, saving pins, the error banner, the theme, signing in again after a refused refresh,
the first-run wizard and the kiosk hook."""

from __future__ import annotations

import argparse
import asyncio
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from bmx_console import config
from bmx_console.clock import FakeClock
from bmx_console.config import Settings, load_settings
from bmx_console.core.audit import AuditLog
from bmx_console.desk import Desk, run_console
from bmx_console.errors import NetworkError
from bmx_console.secrets import SecretStore
from bmx_console.sim.cloud import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Cloud
from bmx_console.sim.transport import in_process_transport
from bmx_console.ui import qt_async
from bmx_console.ui.kiosk import KioskWindow
from bmx_console.ui.theme import DARK, LIGHT, R, ThemeManager, is_dark
from bmx_console.ui.wizard import FirstRunWizard
from tests.gui.desk_support import (
    FAST,
    call_on_loop,
    click_release,
    close_desk,
    make_desk,
    quiet_cloud,
    row,
    run,
    wait_for_sign_in,
    window,
)
from tests.support import MemoryKeyring

WAIT_MS = 5_000
SIM = "https://sim.bmx-console.test"


def real_settings(cloud: Cloud, **changes: object) -> Settings:
    """Settings for a real (not demo) connection that happens to reach the simulator."""
    return FAST.with_changes(
        client_id=DEMO_CLIENT_ID,
        api_base=SIM,
        token_url=f"{SIM}/oauth/token",
        release_tenant_id=cloud.front_desk_tenant_id(),
        **changes,
    )


def loaded(qtbot: QtBot, desk: Desk) -> None:
    qtbot.waitUntil(
        lambda: desk.store.door_count() > 0 and desk.store.event_count() > 0, timeout=WAIT_MS
    )


def test_quitting_mid_request_takes_under_two_seconds_and_records_the_interrupted_release(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    cloud = quiet_cloud(FakeClock())
    desk = make_desk(qtbot, tmp_path, cloud=cloud, clock=cloud.clock)
    loaded(qtbot, desk)
    door_id = desk.store.door_at(0).id
    # From now on the cloud answers nothing for 30 s: polls and the release all hang.
    cloud.faults.add("*", latency_s=30)
    click_release(qtbot, desk, door_id)
    qtbot.waitUntil(lambda: row(desk, door_id).state == "sending", timeout=WAIT_MS)

    started = time.monotonic()
    run(qtbot, desk.aclose(), timeout=5_000)
    took = time.monotonic() - started

    assert took < 2.0, f"quitting took {took:.2f} s"
    assert not any(poller.running for poller in desk.pollers)
    assert not qt_async.running_tasks()
    with AuditLog(tmp_path / "audit.sqlite3") as audit:
        entries = audit.entries(action="release")
    # Sent, and no answer: the door may have opened, so the outcome is unknown, not failed.
    assert [(e.door_id, e.outcome) for e in entries] == [(door_id, "unknown"), (door_id, "sent")]
    assert "interrupted" in entries[0].detail


def test_the_window_comes_back_as_it_was_left(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    cloud = quiet_cloud(FakeClock())
    first = make_desk(qtbot, tmp_path, cloud=cloud, clock=cloud.clock)
    main = window(first)
    main.layout_action.trigger()
    main.filters_action.trigger()
    main.resize(1300, 820)
    outcome = asyncio.ensure_future(first.wait())
    main.close()
    qtbot.waitUntil(outcome.done, timeout=WAIT_MS)
    assert outcome.result() == "quit"
    close_desk(qtbot, first)

    second = make_desk(qtbot, tmp_path, cloud=quiet_cloud(FakeClock()), clock=FakeClock())
    again = window(second)
    assert again.layout_action.isChecked()
    assert again.splitter.orientation() == Qt.Orientation.Horizontal
    assert not again.filters_action.isChecked()
    assert again.door_list.filters.isHidden()
    if QGuiApplication.platformName() != "offscreen":
        # The offscreen platform's small virtual screen clamps restored geometry.
        assert (again.width(), again.height()) == (1300, 820)
    close_desk(qtbot, second)


def test_pins_are_saved_to_the_settings_and_come_back_on_top(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    cloud = quiet_cloud(FakeClock())
    secrets = SecretStore(env={"BMX_CLIENT_SECRET": DEMO_CLIENT_SECRET})
    desk = make_desk(
        qtbot,
        tmp_path,
        settings=real_settings(cloud),
        secrets=secrets,
        transport=in_process_transport(cloud),
        clock=cloud.clock,
    )
    loaded(qtbot, desk)
    door_list = window(desk).door_list
    last = door_list.door_id_at(door_list.proxy.rowCount() - 1)
    assert last is not None

    door_list.set_pinned(last, True)

    assert load_settings().pinned_doors == (last,)
    close_desk(qtbot, desk)
    again = make_desk(
        qtbot,
        tmp_path,
        settings=load_settings().with_changes(api_base=SIM, token_url=f"{SIM}/oauth/token"),
        secrets=secrets,
        transport=in_process_transport(cloud),
        clock=cloud.clock,
    )
    loaded(qtbot, again)
    assert window(again).door_list.door_id_at(0) == last
    assert row(again, last).pinned
    close_desk(qtbot, again)


def test_demo_pins_last_the_session_only(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    cloud = quiet_cloud(FakeClock())
    desk = make_desk(qtbot, tmp_path, cloud=cloud, clock=cloud.clock)
    loaded(qtbot, desk)
    window(desk).door_list.set_pinned(desk.store.door_at(3).id, True)
    assert not config.config_path().exists()
    close_desk(qtbot, desk)


def test_unexpected_errors_show_in_a_dismissable_banner(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    cloud = quiet_cloud(FakeClock())
    desk = make_desk(qtbot, tmp_path, cloud=cloud, clock=cloud.clock)
    main = window(desk)
    qt_async.set_error_reporter(main.report_error, details=True)

    async def refresh() -> None:
        raise NetworkError("cannot reach api.butterflymx.com: connection refused")

    async def broken() -> None:
        raise KeyError("door")

    call_on_loop(qtbot, lambda: qt_async.spawn(refresh(), name="Refreshing doors"))
    qtbot.waitUntil(main.error_banner.isVisible, timeout=WAIT_MS)
    assert main.error_banner.detail.text() == (
        "Refreshing doors: cannot reach api.butterflymx.com: connection refused"
    )
    call_on_loop(qtbot, lambda: qt_async.spawn(broken(), name="Drawing the door list"))
    qtbot.waitUntil(lambda: "(and 1 earlier)" in main.error_banner.title.text(), timeout=WAIT_MS)
    assert "failed unexpectedly" in main.error_banner.detail.text()
    assert "KeyError" in main.error_banner.details.text()
    assert main.isVisible(), "an error must never close the desk"

    assert main.error_banner.close_button is not None
    main.error_banner.close_button.click()
    assert not main.error_banner.isVisible()
    close_desk(qtbot, desk)


def test_the_theme_menu_switches_light_and_dark_and_is_remembered(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, qapp: QApplication, tmp_path: Path
) -> None:
    theme = ThemeManager(qapp, "light")
    cloud = quiet_cloud(FakeClock())
    desk = make_desk(qtbot, tmp_path, cloud=cloud, clock=cloud.clock, theme=theme)
    main = window(desk)
    try:
        header = main.door_list.view.horizontalHeader()
        main.theme_actions["dark"].trigger()
        assert is_dark(QGuiApplication.palette())
        # The window's own styling follows (the door table's header is styled by hand).
        qtbot.waitUntil(lambda: DARK[R.Window] in header.styleSheet(), timeout=WAIT_MS)
        main.theme_actions["light"].trigger()
        assert not is_dark(QGuiApplication.palette())
        qtbot.waitUntil(lambda: LIGHT[R.Window] in header.styleSheet(), timeout=WAIT_MS)
        main.theme_actions["dark"].trigger()
        stored = QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)
        assert stored.value("view/theme", "") == "dark"
    finally:
        theme.apply("light")
        close_desk(qtbot, desk)


def sign_in(qtbot: QtBot, desk: Desk, cloud: Cloud) -> None:
    """What the sign-in dialog does with the code ButterflyMX shows after a browser sign-in."""
    tokens = desk.connection.tokens
    request = tokens.start_sign_in()
    challenge = parse_qs(urlsplit(request.url).query)["code_challenge"][0]
    run(qtbot, tokens.finish_sign_in(request, cloud.issue_auth_code(challenge)))
    desk.signed_in()


def test_a_refused_refresh_signs_out_and_signing_in_again_brings_the_data_back(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
) -> None:
    cloud = quiet_cloud(FakeClock())
    secrets = SecretStore()
    # No client secret: this desk works by a person's sign-in and its refresh token.
    desk = make_desk(
        qtbot,
        tmp_path,
        settings=real_settings(cloud),
        secrets=secrets,
        transport=in_process_transport(cloud),
        clock=cloud.clock,
    )
    main = window(desk)
    qtbot.waitUntil(main.signed_out_banner.isVisible, timeout=WAIT_MS)
    # Every poller has found out and paused (no retry loop) before the operator signs in.
    qtbot.waitUntil(lambda: all(p.paused for p in desk.pollers), timeout=WAIT_MS)
    assert main.status.connection_text == "Signed out"
    wait_for_sign_in(qtbot, main, timeout=WAIT_MS).reject()

    sign_in(qtbot, desk, cloud)
    loaded(qtbot, desk)
    qtbot.waitUntil(lambda: not main.signed_out_banner.isVisible(), timeout=WAIT_MS)
    assert secrets.refresh_token(DEMO_CLIENT_ID, f"{SIM}/oauth/token")

    cloud.revoke_refresh_tokens()
    cloud.expire_tokens()

    qtbot.waitUntil(main.signed_out_banner.isVisible, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: main.status.connection_text == "Signed out", timeout=WAIT_MS)
    assert "sign in again" in main.signed_out_banner.detail.text()
    wait_for_sign_in(qtbot, main, timeout=WAIT_MS)
    # The refused refresh token is gone from the keyring, not retried in a loop.
    assert secrets.refresh_token(DEMO_CLIENT_ID, f"{SIM}/oauth/token") is None
    grants = len(cloud.token_requests)

    sign_in(qtbot, desk, cloud)
    qtbot.waitUntil(lambda: main.status.connection_text == "Connected", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not main.signed_out_banner.isVisible(), timeout=WAIT_MS)
    assert len(cloud.token_requests) == grants + 1
    close_desk(qtbot, desk)


def test_first_run_offers_the_wizard_and_the_demo_choice_opens_the_desk(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, qapp: QApplication
) -> None:
    args = argparse.Namespace(demo=False, kiosk=False, smoke_test=None)
    before = {id(w) for w in qapp.topLevelWidgets()}
    console = asyncio.ensure_future(run_console(qapp, args, Settings(), SecretStore(), None))

    def wizard() -> object | None:
        return next(
            (w for w in qapp.topLevelWidgets() if isinstance(w, FirstRunWizard)),
            None,
        )

    qtbot.waitUntil(lambda: wizard() is not None and wizard().isVisible(), timeout=WAIT_MS)  # type: ignore[union-attr]
    wizard().demo_chosen.emit()  # type: ignore[union-attr]

    def desk_window() -> object | None:
        return next(
            (
                w
                for w in qapp.topLevelWidgets()
                if type(w).__name__ == "MainWindow" and w.isVisible() and id(w) not in before
            ),
            None,
        )

    qtbot.waitUntil(lambda: desk_window() is not None, timeout=WAIT_MS)
    main = desk_window()
    assert main is not None
    assert "(demo)" in main.windowTitle()  # type: ignore[attr-defined]
    main.close()  # type: ignore[attr-defined]
    qtbot.waitUntil(console.done, timeout=WAIT_MS)
    assert console.result() == 0


def test_the_kiosk_flag_builds_the_kiosk_instead_of_the_desk(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    cloud = quiet_cloud(FakeClock())
    desk = Desk(
        FAST,
        SecretStore(),
        cloud=cloud,
        clock=cloud.clock,
        audit_path=tmp_path / "audit.sqlite3",
        kiosk=True,
    )
    assert desk.window is None
    assert isinstance(desk.kiosk_window, KioskWindow)
    close_desk(qtbot, desk)
