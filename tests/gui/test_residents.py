"""The Residents view in the real desk: Ctrl+R opens it (listed in Help), search by name or
unit across the buildings without a fetch per keystroke, a resident's unit's recent events
and calls, and a visitor pass for their guest from the prefilled pass form."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from bmx_console.desk import Desk
from bmx_console.sim.cloud import Cloud
from bmx_console.ui.residents import ResidentsView
from tests.gui.desk_support import window

WAIT_MS = 5_000


def _help_shortcuts(desk: Desk) -> dict[str, str]:
    """What Help → Keyboard shortcuts lists: what each does, by its keys."""
    from bmx_console.ui.help_dialogs import ShortcutsDialog

    main = window(desk)
    main.shortcuts_action.trigger()
    sheet = main.open_dialog("shortcuts")
    assert isinstance(sheet, ShortcutsDialog)
    listed = {what: keys for keys, what in sheet.listed()}
    sheet.reject()
    return listed


def test_ctrl_r_opens_residents_and_search_finds_by_first_and_last_name(
    qtbot: QtBot, desk: Desk, cloud: Cloud
) -> None:
    main = window(desk)
    qtbot.waitUntil(lambda: len(desk.store.directory.tenants) > 0, timeout=WAIT_MS)
    assert _help_shortcuts(desk)["Show the residents"] == "Ctrl+R"

    # Shortcuts belong to the active window (under a real X server, activation is not implied).
    main.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main, timeout=WAIT_MS)
    qtbot.keyClick(main.door_list.view, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: main.tabs.tabText(main.tabs.currentIndex()) == "Residents")
    view = main.open_tab("Residents")
    assert isinstance(view, ResidentsView)
    everyone = len(view.residents())
    assert everyone == len(cloud.tenants)  # every building in scope

    tenant = next(t for t in cloud.tenants if t["first_name"] != "Front")
    # The directory comes with each roster tick (every half second under the test's capped
    # sleep): typing may meet a tick or two, but never fetches per key.
    fetched, rosters = cloud.request_count("/v4/tenants"), cloud.request_count("/v4/access_points")
    typed = f"{tenant['first_name']} {tenant['last_name']}"
    qtbot.keyClicks(view.search_edit, typed)
    qtbot.waitUntil(lambda: len(view.residents()) < everyone, timeout=WAIT_MS)
    assert [t.id for t in view.residents()] == [tenant["id"]]
    searched = cloud.request_count("/v4/tenants") - fetched
    assert searched <= cloud.request_count("/v4/access_points") - rosters

    view.search_edit.setText(tenant["unit"]["label"])
    qtbot.waitUntil(lambda: tenant["id"] in [t.id for t in view.residents()], timeout=WAIT_MS)
    row = view.list.topLevelItem([t.id for t in view.residents()].index(tenant["id"]))
    assert row is not None and row.text(1) == tenant["unit"]["label"]
    assert row.text(3) == tenant["building_name"]


def test_a_residents_unit_shows_its_events_and_calls_and_a_guest_pass_is_prefilled(
    qtbot: QtBot, desk: Desk, cloud: Cloud
) -> None:
    main = window(desk)
    qtbot.waitUntil(lambda: len(desk.store.directory.tenants) > 0, timeout=WAIT_MS)
    tenant = next(t for t in cloud.tenants if t["first_name"] != "Front")
    cloud.add_event(
        building_id=tenant["building_id"],
        name=f"{tenant['first_name']} {tenant['last_name']}",
        unit=tenant["unit"]["id"],
        tenant_id=tenant["id"],
        entry_method="Swipe to open",
    )
    cloud.add_call(
        building_id=tenant["building_id"],
        recipient={"id": tenant["id"], "type": "Tenant"},
        unit={"id": tenant["unit"]["id"]},
        status="voip_rollover",
    )
    desk.pollers.poll_now()
    qtbot.waitUntil(
        lambda: any(c.unit_id == tenant["unit"]["id"] for c in desk.store.calls_newest_first()),
        timeout=WAIT_MS,
    )
    view = main.open_tab("Residents")
    assert isinstance(view, ResidentsView)
    assert view.select(tenant["id"])
    name = f"{tenant['first_name']} {tenant['last_name']}"
    assert view.resident_label.text() == f"{name} · {tenant['unit']['label']}"
    events = [view.events_list.item(i).text() for i in range(view.events_list.count())]
    assert any("Swipe to open" in e and name in e for e in events)
    calls = [view.calls_list.item(i).text() for i in range(view.calls_list.count())]
    assert any("Rolled over to a phone call" in c for c in calls)

    qtbot.mouseClick(view.pass_button, Qt.MouseButton.LeftButton)
    from bmx_console.ui.pass_dialog import NewPassDialog

    qtbot.waitUntil(lambda: bool(view.findChildren(NewPassDialog)), timeout=WAIT_MS)
    dialog = view.findChildren(NewPassDialog)[0]
    assert dialog.isVisible()
    assert dialog.name_edit.text() == f"Guest of {name}, {tenant['unit']['label']}"
    dialog.reject()
