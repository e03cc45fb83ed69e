"""Confirm before release, in the real desk window against the simulator: sensitive doors ask
(Esc cancels, Enter confirms), ordinary doors release in one click, and every way the desk
releases a door goes through the question."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from bmx_console.config import Settings
from bmx_console.desk import Desk
from bmx_console.sim.cloud import Cloud
from bmx_console.ui import qt_async
from bmx_console.ui.calls import CallBanner
from bmx_console.ui.confirm import ConfirmReleaseDialog, ReleaseGate
from bmx_console.ui.door_list import COL_NAME
from tests.gui.desk_support import (
    FAST,
    OpenDesk,
    click_release,
    has_doors,
    row,
    window,
)

WAIT_MS = 5_000


def door_named(cloud: Cloud, name: str) -> int:
    building = cloud.buildings[0]["id"]
    return next(d["id"] for d in cloud.doors if d["building_id"] == building and d["name"] == name)


@pytest.fixture
def desk(open_desk: OpenDesk, cloud: Cloud, saved: list[Settings]) -> Desk:
    settings = replace(FAST, sensitive_doors=(door_named(cloud, "Garage Gate"),))
    return open_desk(settings=settings, save_settings=saved.append, ready=has_doors)


@pytest.fixture
def configured_desk(open_desk: OpenDesk, cloud: Cloud, saved: list[Settings]) -> Desk:
    """A desk configured for a property (not the demo, whose choices last the session only),
    talking to the simulator in-process."""
    settings = replace(
        FAST,
        release_tenant_id=cloud.front_desk_tenant_id(),
        sensitive_doors=(door_named(cloud, "Garage Gate"),),
    )
    return open_desk(
        settings=settings, save_settings=saved.append, ready=has_doors, on_property=True
    )


def gate(desk: Desk) -> ReleaseGate:
    assert desk.release_gate is not None
    return desk.release_gate


def wait_for_dialog(qtbot: QtBot, desk: Desk, door_id: int) -> ConfirmReleaseDialog:
    qtbot.waitUntil(lambda: gate(desk).dialog_for(door_id) is not None, timeout=WAIT_MS)
    dialog = gate(desk).dialog_for(door_id)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    return dialog


def press(qtbot: QtBot, dialog: ConfirmReleaseDialog, key: Qt.Key) -> None:
    """A key press where the keyboard delivers it: the dialog's focused widget."""
    target = dialog.focusWidget() or dialog
    qtbot.keyClick(target, key)


def wait_until_settled(qtbot: QtBot, desk: Desk, door_id: int) -> None:
    """The press has been answered either way: no question open, no release in flight."""
    qtbot.waitUntil(
        lambda: gate(desk).dialog_for(door_id) is None and not qt_async.running_tasks(),
        timeout=WAIT_MS,
    )


def releases_of(cloud: Cloud, door_id: int) -> int:
    return sum(
        r["request"]["door_release_request"].get("access_point_id") == door_id
        for r in cloud.releases
    )


def test_a_sensitive_door_asks_naming_door_and_building_and_esc_cancels(
    qtbot: QtBot, desk: Desk, cloud: Cloud
) -> None:
    garage = door_named(cloud, "Garage Gate")

    click_release(qtbot, desk, garage)

    dialog = wait_for_dialog(qtbot, desk, garage)
    building = cloud.buildings[0]["name"]
    assert dialog.question.text() == f"Release Garage Gate — {building}?"
    assert dialog.release_button.isDefault()
    assert dialog.focusWidget() is dialog.release_button
    press(qtbot, dialog, Qt.Key.Key_Escape)
    wait_until_settled(qtbot, desk, garage)
    qtbot.waitUntil(lambda: window(desk).findChildren(ConfirmReleaseDialog) == [])
    assert cloud.request_count("/v4/door_release_requests") == 0
    assert cloud.releases == []
    assert row(desk, garage).state == "idle"


def test_enter_confirms_a_sensitive_door_and_it_is_released_exactly_once(
    qtbot: QtBot, desk: Desk, cloud: Cloud
) -> None:
    garage = door_named(cloud, "Garage Gate")

    click_release(qtbot, desk, garage)
    dialog = wait_for_dialog(qtbot, desk, garage)
    press(qtbot, dialog, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: row(desk, garage).state == "released", timeout=WAIT_MS)
    wait_until_settled(qtbot, desk, garage)
    assert releases_of(cloud, garage) == 1
    assert len(cloud.releases) == 1


def test_an_ordinary_door_releases_in_one_click_without_a_question(
    qtbot: QtBot, desk: Desk, cloud: Cloud
) -> None:
    lobby = door_named(cloud, "Lobby")

    click_release(qtbot, desk, lobby)

    qtbot.waitUntil(lambda: row(desk, lobby).state == "released", timeout=WAIT_MS)
    assert releases_of(cloud, lobby) == 1
    assert window(desk).findChildren(ConfirmReleaseDialog) == []


def test_the_enter_that_asked_cannot_confirm_by_being_held_down(
    qtbot: QtBot, desk: Desk, cloud: Cloud
) -> None:
    garage = door_named(cloud, "Garage Gate")
    door_list = window(desk).door_list
    door_list.model.flush_now()
    proxy_row = door_list.proxy_row_of(garage)
    assert proxy_row is not None
    door_list.view.setCurrentIndex(door_list.proxy.index(proxy_row, COL_NAME))

    qtbot.keyClick(door_list.view, Qt.Key.Key_Return)
    dialog = wait_for_dialog(qtbot, desk, garage)
    for _ in range(3):
        repeat = QKeyEvent(
            QEvent.Type.KeyPress,
            Qt.Key.Key_Return,
            Qt.KeyboardModifier.NoModifier,
            "\r",
            True,  # auto-repeat
        )
        QApplication.sendEvent(dialog.focusWidget(), repeat)
    assert dialog.isVisible()
    assert cloud.releases == []

    press(qtbot, dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: row(desk, garage).state == "released", timeout=WAIT_MS)
    assert releases_of(cloud, garage) == 1


def test_hotkeys_ask_too(qtbot: QtBot, desk: Desk, cloud: Cloud) -> None:
    garage = door_named(cloud, "Garage Gate")
    door_list = window(desk).door_list
    door_list.model.flush_now()
    # Keys belong to doors: give the garage gate F5, as its context menu would.
    door_list.bind_hotkey(garage, 5)
    # Hotkeys belong to the active window (under a real X server, activation is not implied).
    desk_window = window(desk)
    desk_window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is desk_window, timeout=WAIT_MS)

    qtbot.keyClick(door_list.view, Qt.Key.Key_F5)

    dialog = wait_for_dialog(qtbot, desk, garage)
    press(qtbot, dialog, Qt.Key.Key_Escape)
    wait_until_settled(qtbot, desk, garage)
    assert cloud.releases == []


def test_the_call_banners_release_button_asks_for_a_sensitive_door(
    qtbot: QtBot, desk: Desk, cloud: Cloud
) -> None:
    garage = door_named(cloud, "Garage Gate")
    banner = window(desk).call_banner
    # The desk always has one: a desk built without it must fail here, not skip.
    assert isinstance(banner, CallBanner), f"the desk's call banner is {banner!r}"
    panel = cloud.door(garage)["device_ids"][0]
    cloud.add_call(device=panel)
    qtbot.waitUntil(lambda: garage in banner.release_buttons, timeout=WAIT_MS)

    banner.release_buttons[garage].click()

    dialog = wait_for_dialog(qtbot, desk, garage)
    press(qtbot, dialog, Qt.Key.Key_Escape)
    wait_until_settled(qtbot, desk, garage)
    assert cloud.releases == []

    banner.release_buttons[garage].click()
    press(qtbot, wait_for_dialog(qtbot, desk, garage), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: releases_of(cloud, garage) == 1, timeout=WAIT_MS)
    wait_until_settled(qtbot, desk, garage)
    assert len(cloud.releases) == 1


def context_menu(qtbot: QtBot, desk: Desk, door_id: int) -> QMenu:
    door_list = window(desk).door_list
    door_list.model.flush_now()
    proxy_row = door_list.proxy_row_of(door_id)
    assert proxy_row is not None
    rect = door_list.view.visualRect(door_list.proxy.index(proxy_row, COL_NAME))
    before = set(door_list.findChildren(QMenu))
    door_list.view.customContextMenuRequested.emit(QPoint(rect.center()))
    # The door's own menu (its Hotkey submenu is a menu too, of the menu).
    menus = [
        m for m in door_list.findChildren(QMenu) if m not in before and m.parent() is door_list
    ]
    assert len(menus) == 1
    qtbot.waitUntil(menus[0].isVisible, timeout=WAIT_MS)
    return menus[0]


def menu_action(menu: QMenu, text: str):  # type: ignore[no-untyped-def]
    return next(a for a in menu.actions() if a.text().startswith(text))


def test_the_context_menu_turns_confirmation_on_and_it_is_saved(
    qtbot: QtBot, configured_desk: Desk, cloud: Cloud, saved: list[Settings]
) -> None:
    desk = configured_desk
    lobby = door_named(cloud, "Lobby")
    garage = door_named(cloud, "Garage Gate")
    door_list = window(desk).door_list

    menu = context_menu(qtbot, desk, lobby)
    confirm = menu_action(menu, "Confirm before release")
    assert not confirm.isChecked()
    confirm.trigger()
    menu.close()

    assert saved[-1].confirm_doors == (lobby,)
    assert saved[-1].sensitive_doors == (garage,)
    # Its button now reads "Release…", as buttons that open a question do.
    assert door_list.model.asks_first(lobby)
    click_release(qtbot, desk, lobby)
    dialog = wait_for_dialog(qtbot, desk, lobby)
    assert "Confirm before release is on" in dialog.reason.text()
    press(qtbot, dialog, Qt.Key.Key_Escape)
    wait_until_settled(qtbot, desk, lobby)
    assert cloud.releases == []


def test_marking_a_door_sensitive_makes_it_ask_and_unmarking_stops_it(
    qtbot: QtBot, configured_desk: Desk, cloud: Cloud, saved: list[Settings]
) -> None:
    desk = configured_desk
    garage = door_named(cloud, "Garage Gate")

    menu = context_menu(qtbot, desk, garage)
    confirm = menu_action(menu, "Confirm before release")
    assert confirm.isChecked() and not confirm.isEnabled()
    menu_action(menu, "Mark as sensitive").trigger()
    menu.close()

    assert saved[-1].sensitive_doors == ()
    assert not gate(desk).asks_first(garage)
    click_release(qtbot, desk, garage)
    qtbot.waitUntil(lambda: row(desk, garage).state == "released", timeout=WAIT_MS)
    assert gate(desk).dialog_for(garage) is None
    assert releases_of(cloud, garage) == 1
