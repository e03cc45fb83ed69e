"""The right door, every time, in the real desk window against the simulator: each building
releases as its own front desk and a building without one says why; F1–F12 belong to doors;
nothing moves under the pointer; and the window is honest when ButterflyMX is unreachable."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel
from pytestqt.qtbot import QtBot

from bmx_console.clock import FakeClock
from bmx_console.config import Settings
from bmx_console.desk import Desk
from bmx_console.sim.cloud import Cloud
from bmx_console.sim.transport import in_process_transport
from bmx_console.ui.door_list import (
    COL_LAST_EVENT,
    COL_RELEASE,
    COL_STATE,
    DoorList,
    ReleaseButtonDelegate,
)
from bmx_console.ui.door_view import DoorTableView
from bmx_console.ui.main_window import MainWindow
from bmx_console.ui.status_bar import clock_text
from tests.gui.desk_support import (
    FAST,
    OpenDesk,
    click_release,
    has_doors,
    state_text,
    window,
)

WAIT_MS = 5_000


def released_doors(cloud: Cloud) -> list[int]:
    return [r["request"]["door_release_request"]["access_point_id"] for r in cloud.releases]


def released_as(cloud: Cloud) -> list[tuple[int, int]]:
    """(door id, tenant id) of every release the simulator accepted."""
    return [
        (
            r["request"]["door_release_request"]["access_point_id"],
            r["request"]["door_release_request"]["tenant_id"],
        )
        for r in cloud.releases
    ]


def doors_of(cloud: Cloud, building_id: int) -> list[int]:
    return [d["id"] for d in cloud.doors if d["building_id"] == building_id]


def activate(qtbot: QtBot, main: MainWindow) -> None:
    # Hotkeys belong to the active window (under a real X server, activation is not implied).
    main.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main, timeout=WAIT_MS)


def button_point(
    view: DoorTableView, index: QModelIndex | QPersistentModelIndex, left: int | None = None
) -> QPoint:
    """The middle of a row's Release button (or ``left`` px in from its left edge)."""
    rect = ReleaseButtonDelegate.button_rect(view.visualRect(index))
    x = rect.left() + left if left is not None else rect.center().x()
    return QPoint(int(x), int(rect.center().y()))


def status_message(main: MainWindow) -> str:
    return main.status.currentMessage()


def settled_view(qtbot: QtBot, door_list: DoorList) -> DoorTableView:
    """The table once the list has not moved on screen for a moment (clicks in that moment
    are ignored on purpose); ``getattr`` so that this file also runs on the code before."""
    view = door_list.view
    shifted = getattr(view, "recently_shifted", lambda: False)
    qtbot.waitUntil(lambda: not shifted(), timeout=WAIT_MS)
    return view


def on_screen(view: DoorTableView, index: QModelIndex | QPersistentModelIndex) -> bool:
    rect = view.visualRect(index)
    return rect.isValid() and rect.top() >= 0 and rect.bottom() <= view.viewport().height()


@pytest.fixture
def property_desk(open_desk: OpenDesk, cloud: Cloud, saved: list[Settings]) -> Desk:
    """A desk configured for a property (not the demo) whose settings give the first two
    buildings a front-desk tenant and leave the third without one."""
    first, second, _third = (b["id"] for b in cloud.buildings)
    settings = replace(
        FAST,
        release_tenants=(
            (first, cloud.front_desk_tenant_id(first)),
            (second, cloud.front_desk_tenant_id(second)),
        ),
    )
    return open_desk(
        settings=settings,
        save_settings=saved.append,
        ready=has_doors,
        on_property=True,
    )


# -- 1. a release tenant per building ----------------------------------------------------


def test_each_building_releases_as_its_own_front_desk(
    qtbot: QtBot, desk: Desk, cloud: Cloud
) -> None:
    expected = []
    for building in cloud.buildings:
        door_id = doors_of(cloud, building["id"])[0]
        click_release(qtbot, desk, door_id)
        expected.append((door_id, cloud.front_desk_tenant_id(building["id"])))
        count = len(expected)
        qtbot.waitUntil(lambda: len(cloud.releases) == count, timeout=WAIT_MS)  # noqa: B023
    assert released_as(cloud) == expected


def test_a_building_without_a_tenant_shows_a_disabled_button_and_says_why(
    qtbot: QtBot, property_desk: Desk, cloud: Cloud
) -> None:
    desk = property_desk
    main = window(desk)
    door_list = main.door_list
    first, _second, third = cloud.buildings
    lonely = doors_of(cloud, third["id"])[0]
    fine = doors_of(cloud, first["id"])[0]
    door_list.model.flush_now()
    reason = f"No front-desk tenant for {third['name']} — choose one in Settings."
    assert reason in state_text(desk, lonely)
    assert reason not in state_text(desk, fine)

    # Drawn disabled: its button is not filled with the accent an ordinary one has.
    view = settled_view(qtbot, door_list)

    def fill_of(door_id: int) -> QColor:
        row = door_list.proxy_row_of(door_id)
        assert row is not None
        view.scrollTo(door_list.proxy.index(row, COL_RELEASE))
        image = view.viewport().grab().toImage()
        ratio = image.devicePixelRatio()
        point = button_point(view, door_list.proxy.index(row, COL_RELEASE), left=6)
        return image.pixelColor(int(point.x() * ratio), int(point.y() * ratio))

    accent = view.palette().color(QPalette.ColorRole.Highlight)
    assert fill_of(fine).name() == accent.name()
    assert fill_of(lonely).name() != accent.name()
    assert (
        fill_of(lonely).name()
        == view.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Button).name()
    )

    # A click releases nothing and the status line says why; so does the door's hotkey.
    click_release(qtbot, desk, lonely)
    qtbot.waitUntil(lambda: status_message(main) == reason, timeout=WAIT_MS)
    door_list.bind_hotkey(lonely, 7)
    main.status.clearMessage()
    activate(qtbot, main)
    QTest.keyClick(door_list.view, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: status_message(main) == f"F7: {reason}", timeout=WAIT_MS)
    # An ordinary door still releases, as its own building's front desk; the other did not.
    click_release(qtbot, desk, fine)
    qtbot.waitUntil(lambda: len(cloud.releases) == 1, timeout=WAIT_MS)
    assert released_as(cloud) == [(fine, cloud.front_desk_tenant_id(first["id"]))]


def test_a_call_to_any_buildings_front_desk_is_a_call_for_the_desk(
    qtbot: QtBot, property_desk: Desk, cloud: Cloud
) -> None:
    from bmx_console.ui.calls import CallBanner

    banner = window(property_desk).call_banner
    assert isinstance(banner, CallBanner)
    second = cloud.buildings[1]["id"]
    panel = next(p["id"] for p in cloud.panels if p["building_id"] == second)
    desk_tenant = cloud.front_desk_tenant_id(second)
    cloud.add_call(device=panel, recipient={"id": desk_tenant, "type": "Tenant"})
    qtbot.waitUntil(lambda: banner.current_call() is not None, timeout=WAIT_MS)
    call = banner.current_call()
    assert call is not None and call.recipient_id == desk_tenant
    assert banner.is_for_desk(call)


def test_the_settings_list_each_buildings_release_tenant_and_suggest_one(
    qtbot: QtBot, property_desk: Desk, cloud: Cloud
) -> None:
    import dataclasses

    from bmx_console.probes import make_probes
    from bmx_console.ui.settings_dialog import SettingsDialog

    desk = property_desk
    main = window(desk)
    # The desk's own dialog, with probes over the in-process simulator.
    probes = make_probes(desk.secrets, transport=lambda: in_process_transport(cloud))
    access = desk.services.settings_access(probes)
    saved_files: list[Settings] = []

    def save(settings: Settings, secret: str | None):  # type: ignore[no-untyped-def]
        saved_files.append(settings)
        return access.save(settings, secret)

    dialog = SettingsDialog(
        desk.user_settings,
        dataclasses.replace(access, save=save),
        buildings=desk._buildings_in_scope,
        parent=main,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    tenants = dialog.release_tenants
    assert tenants is not None
    first, second, third = cloud.buildings
    assert set(tenants.edits) == {first["id"], second["id"], third["id"]}
    assert tenants.edits[first["id"]].text() == str(cloud.front_desk_tenant_id(first["id"]))
    assert tenants.edits[third["id"]].text() == ""
    assert tenants.summary.text() == (
        f"Still without a release tenant: {third['name']}. Their doors cannot be released."
    )
    tenants.suggest_buttons[third["id"]].click()
    wanted = str(cloud.front_desk_tenant_id(third["id"]))
    qtbot.waitUntil(lambda: tenants.edits[third["id"]].text() == wanted, timeout=WAIT_MS)
    assert tenants.summary.text() == "Every building has a release tenant."
    tenants.edits[second["id"]].setText("not a tenant")
    assert "release_tenants" in dialog.problems
    tenants.edits[second["id"]].setText(str(cloud.front_desk_tenant_id(second["id"])))
    assert dialog.problems == {}
    dialog._save_button.click()
    assert saved_files
    new = saved_files[-1]
    for building in cloud.buildings:
        assert new.release_tenant_for(building["id"]) == cloud.front_desk_tenant_id(building["id"])


# -- 2. hotkeys belong to doors ------------------------------------------------------------


def test_f1_releases_the_same_door_after_sorting_searching_filtering_and_pinning(
    qtbot: QtBot, property_desk: Desk, cloud: Cloud, clock: FakeClock, saved: list[Settings]
) -> None:
    desk = property_desk
    main = window(desk)
    door_list = main.door_list
    door_list.model.flush_now()
    activate(qtbot, main)
    # Which door F1 opens, as the operator learns it: by pressing it.
    QTest.keyClick(door_list.view, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: len(cloud.releases) == 1, timeout=WAIT_MS)
    f1 = released_doors(cloud)[0]
    clock.advance(10)
    desk.releases.tick()
    row = desk.store.door(f1)
    assert row is not None
    other_building = next(b for b in desk.store.buildings.values() if b.id != row.building_id)

    door_list.view.sortByColumn(COL_LAST_EVENT, Qt.SortOrder.DescendingOrder)
    door_list.search.setText("gate")
    door_list.building.setCurrentIndex(door_list.building.findData(other_building.id))
    assert door_list.proxy_row_of(f1) is None, "F1's door is not in view"
    pinned = door_list.door_id_at(0)
    assert pinned is not None and pinned != f1
    door_list.set_pinned(pinned, True)
    door_list.model.flush_now()

    activate(qtbot, main)
    QTest.keyClick(door_list.view, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: len(cloud.releases) == 2, timeout=WAIT_MS)
    assert released_doors(cloud) == [f1, f1]
    qtbot.waitUntil(
        lambda: status_message(main) == f"F1: released {row.name} — {row.building_name}",
        timeout=WAIT_MS,
    )
    # The binding was saved once made, so that the next session has the same keys.
    assert saved and dict(saved[-1].hotkeys)[1] == f1


def test_a_key_is_moved_from_the_doors_menu_and_shows_on_its_button(
    qtbot: QtBot, property_desk: Desk, cloud: Cloud, saved: list[Settings]
) -> None:
    from tests.gui.test_confirm import context_menu, menu_action

    desk = property_desk
    door_list = window(desk).door_list
    door_list.model.flush_now()
    target = next(r.id for r in desk.store.doors if door_list.hotkey_of(r.id) is None)
    menu = context_menu(qtbot, desk, target)
    hotkey_menu = menu_action(menu, "Hotkey").menu()
    assert hotkey_menu is not None
    menu_action(hotkey_menu, "F3").trigger()
    menu.close()
    assert door_list.hotkey_of(target) == 3
    assert list(door_list.hotkeys.values()).count(target) == 1
    assert dict(saved[-1].hotkeys)[3] == target
    row = door_list.proxy_row_of(target)
    assert row is not None
    label = str(door_list.proxy.index(row, COL_RELEASE).data())
    assert label.startswith("F3 · Release ")


# -- 3. nothing moves under the pointer ----------------------------------------------------


def test_a_click_releases_the_door_under_the_pointer_while_events_reorder_the_list(
    qtbot: QtBot, desk: Desk, cloud: Cloud
) -> None:
    main = window(desk)
    door_list = main.door_list
    view = settled_view(qtbot, door_list)
    view.sortByColumn(COL_LAST_EVENT, Qt.SortOrder.DescendingOrder)
    door_list.model.flush_now()
    aimed = door_list.door_id_at(2)
    assert aimed is not None
    point = button_point(view, door_list.proxy.index(2, COL_RELEASE))
    QTest.mouseMove(view.viewport(), point)

    # Events for doors further down would each put that door on top of a live sort.
    movers = [door_list.door_id_at(r) for r in range(4, 7)]
    events_before = desk.store.event_count()
    for door_id in movers:
        cloud.add_event(access_point=door_id)
    qtbot.waitUntil(lambda: desk.store.event_count() >= events_before + 3, timeout=WAIT_MS)
    door_list.model.flush_now()
    QTest.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point
    )
    qtbot.waitUntil(lambda: len(cloud.releases) == 1, timeout=WAIT_MS)
    assert released_doors(cloud) == [aimed]
    assert door_list.door_id_at(2) == aimed, "the row under the pointer stayed put"
    assert door_list.hint == "Order will update when the pointer leaves the list"

    # Once the pointer leaves, the order catches up.
    QApplication.sendEvent(view.viewport(), QEvent(QEvent.Type.Leave))
    qtbot.waitUntil(lambda: door_list.door_id_at(0) in movers, timeout=WAIT_MS)
    assert door_list.hint != "Order will update when the pointer leaves the list"


def test_a_banner_appearing_just_before_or_during_a_click_releases_nothing(
    qtbot: QtBot, desk: Desk, cloud: Cloud
) -> None:
    main = window(desk)
    door_list = main.door_list
    view = settled_view(qtbot, door_list)
    viewport = view.viewport()

    def origin() -> QPoint:
        return viewport.mapToGlobal(QPoint(0, 0))

    # How far a banner pushes the list down, to aim where a button was and is again.
    before = origin()
    main.report_error("The audit log could not be written.")
    qtbot.waitUntil(lambda: origin() != before, timeout=WAIT_MS)
    shift = origin().y() - before.y()
    main.error_banner.close_button.click()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: origin() == before, timeout=WAIT_MS)
    settled_view(qtbot, door_list)

    # A point on a button now (row 4) that is on a button of another row after the shift.
    index = door_list.proxy.index(4, COL_RELEASE)
    rect = view.visualRect(index)
    aim = next(
        QPoint(rect.center().x(), y)
        for y in range(rect.top() + 11, rect.bottom() - 10)
        if 11 <= (y - shift) % rect.height() <= rect.height() - 11
    )
    aimed_global = viewport.mapToGlobal(aim)
    QTest.mouseMove(viewport, aim)
    main.report_error("The audit log could not be written.")
    qtbot.waitUntil(lambda: origin() != before, timeout=WAIT_MS)
    landed = viewport.mapFromGlobal(aimed_global)
    under = door_list.door_id_at(view.indexAt(landed).row())
    assert under is not None and under != door_list.door_id_at(4)
    QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, landed)
    assert "nothing was released" in status_message(main)

    # Pressed, then the banner goes away (the list moves up), then released: nothing either.
    settled_view(qtbot, door_list)
    shifted = origin()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, landed)
    main.error_banner.close_button.click()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: origin() != shifted, timeout=WAIT_MS)
    # The pointer has not moved: it is where it was on screen, over another part of the list.
    QTest.mouseRelease(
        viewport,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        viewport.mapFromGlobal(aimed_global),
    )

    # A deliberate click later releases its door, and it is the only release.
    later = door_list.door_id_at(1)
    assert later is not None
    click_release(qtbot, desk, later)
    qtbot.waitUntil(lambda: len(cloud.releases) > 0, timeout=WAIT_MS)
    assert released_doors(cloud) == [later]


def test_a_click_that_lands_on_the_header_just_after_a_banner_pushed_the_list_does_not_sort(
    qtbot: QtBot, desk: Desk
) -> None:
    main = window(desk)
    view = settled_view(qtbot, main.door_list)
    header = view.horizontalHeader()
    sorted_by = header.sortIndicatorSection()
    before = view.viewport().mapToGlobal(QPoint(0, 0))
    main.report_error("The audit log could not be written.")
    qtbot.waitUntil(lambda: view.viewport().mapToGlobal(QPoint(0, 0)) != before, timeout=WAIT_MS)
    last_event = QPoint(header.sectionViewportPosition(COL_LAST_EVENT) + 20, header.height() // 2)
    QTest.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, last_event
    )
    assert header.sortIndicatorSection() == sorted_by
    # Aimed at, a moment later, the header sorts as always.
    settled_view(qtbot, main.door_list)
    QTest.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, last_event
    )
    assert header.sortIndicatorSection() == COL_LAST_EVENT


def test_enter_on_a_selected_row_scrolled_out_of_view_scrolls_to_it_first(
    qtbot: QtBot, desk: Desk, cloud: Cloud
) -> None:
    main = window(desk)
    door_list = main.door_list
    main.splitter.setSizes([260, 640])
    view = door_list.view
    door_list.model.flush_now()
    selected = door_list.door_id_at(0)
    row = desk.store.door(selected or 0)
    assert row is not None
    view.setFocus()
    view.setCurrentIndex(door_list.proxy.index(0, 0))
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    assert not on_screen(view, door_list.proxy.index(0, 0))

    QTest.keyClick(view, Qt.Key.Key_Return)
    assert status_message(main) == f"Press Enter again to release {row.name}"
    assert on_screen(view, door_list.proxy.index(0, 0))
    QTest.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(cloud.releases) == 1, timeout=WAIT_MS)
    assert released_doors(cloud) == [selected]


# -- 4. honest offline state ---------------------------------------------------------------

CLAIMS_RELEASES_WORK = re.compile(r"releases?\s+(still\s+)?(work|go through)", re.IGNORECASE)


def visible_texts(main: MainWindow, door_list: DoorList) -> list[str]:
    texts = [w.text() for w in main.findChildren(QLabel) if w.isVisible() and w.text()]
    texts += [b.text() for b in main.findChildren(QAbstractButton) if b.isVisible()]
    texts.append(main.status.currentMessage())
    proxy = door_list.proxy
    for r in range(proxy.rowCount()):
        for column in range(proxy.columnCount()):
            texts.append(str(proxy.index(r, column).data()))
            texts.append(str(proxy.index(r, column).data(Qt.ItemDataRole.ToolTipRole)))
    return texts


def test_when_butterflymx_is_unreachable_the_window_says_so_within_one_failed_poll(
    qtbot: QtBot, desk: Desk, cloud: Cloud, clock: FakeClock
) -> None:
    main = window(desk)
    door_list = main.door_list
    qtbot.waitUntil(lambda: main.status.connection_text == "Connected", timeout=WAIT_MS)
    banner = getattr(main, "offline_banner", None)
    assert banner is not None and not banner.isVisible()
    cloud.faults.add("*", drop=True)

    # The events poll runs every second: its first failure is enough.
    qtbot.waitUntil(banner.isVisible, timeout=WAIT_MS)
    since = main.offline.since
    assert since is not None
    assert banner.title.text() == (
        f"ButterflyMX unreachable since {clock_text(since)} — releases may not go through"
    )
    door_list.model.flush_now()
    proxy = door_list.proxy
    states = [str(proxy.index(r, COL_STATE).data()) for r in range(proxy.rowCount())]
    assert states and all(s.startswith("Unknown") for s in states), states
    assert not any(CLAIMS_RELEASES_WORK.search(t) for t in visible_texts(main, door_list))

    # Minutes later the door list is stale too: still nothing says releases work.
    qtbot.waitUntil(
        lambda: (h := desk.store.health("doors")) is not None and h.failing, timeout=WAIT_MS
    )
    clock.advance(3 * FAST.status_interval / 1000)
    qtbot.waitUntil(lambda: door_list.stale_text != "", timeout=WAIT_MS)
    texts = visible_texts(main, door_list)
    assert not any(CLAIMS_RELEASES_WORK.search(t) for t in texts), [
        t for t in texts if CLAIMS_RELEASES_WORK.search(t)
    ]

    # The operator may still try: the release goes out and fails, and the row says so.
    door_id = door_list.door_id_at(0)
    assert door_id is not None
    click_release(qtbot, desk, door_id)
    qtbot.waitUntil(lambda: state_text(desk, door_id).startswith("Failed"), timeout=WAIT_MS)

    cloud.faults.clear()
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=WAIT_MS)
    door_list.model.flush_now()
    assert not state_text(desk, door_list.door_id_at(1) or 0).startswith("Unknown")
