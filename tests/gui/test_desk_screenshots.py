"""Screenshots of the real desk on the simulator: the desk with events, a release in
progress next to a released door, a call banner, F-keys on their doors' buttons in a list
sorted by last event, and the banner of an unreachable ButterflyMX.

They go to a temporary folder, or to ``$BMX_SCREENSHOTS_DIR`` (the README's pictures are made
with ``BMX_SCREENSHOTS_DIR=docs xvfb-run -a -s "-screen 0 1600x1000x24" python -m pytest
tests/gui/test_desk_screenshots.py``). Each must be a real picture, not a blank frame.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from bmx_console.config import Settings
from bmx_console.desk import Desk
from bmx_console.ui.calls import CallBanner
from bmx_console.ui.theme import ThemeManager
from tests.gui.desk_support import click_release, close_desk, make_desk, row, run, window
from tests.support import quiet_cloud

WAIT_MS = 10_000


@pytest.fixture
def desk(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, qapp: QApplication, tmp_path: Path
) -> Iterator[Desk]:
    theme = ThemeManager(qapp, "light")
    # A lively property: events every few seconds, on the real clock.
    cloud = quiet_cloud(event_rate_per_min=30)
    settings = Settings(events_interval=1_000, calls_interval=2_000, released_state_ms=8_000)
    desk = make_desk(qtbot, tmp_path, cloud=cloud, settings=settings, theme=theme)
    main = window(desk)
    main.resize(1480, 900)
    qtbot.waitUntil(
        lambda: desk.store.door_count() > 0 and desk.store.event_count() > 5, timeout=WAIT_MS
    )
    yield desk
    close_desk(qtbot, desk)


def save(qtbot: QtBot, desk: Desk, widget: QWidget, path: Path) -> None:
    from PySide6.QtCore import QEvent

    # Wherever the X server left its pointer, the picture shows the list as it is when the
    # operator is not pointing at it (no "order will update" note).
    viewport = window(desk).door_list.view.viewport()
    QApplication.sendEvent(viewport, QEvent(QEvent.Type.Leave))
    run(qtbot, desk.settle())
    assert widget.grab().save(str(path))
    image = QImage(str(path))
    assert image.width() > 600 and image.height() > 400
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 11) for y in range(0, image.height(), 7)
    }
    assert len(colours) > 30, f"{path.name} looks blank"


def test_desk_with_live_events(qtbot: QtBot, desk: Desk, shots: Path) -> None:
    save(qtbot, desk, window(desk), shots / "desk.png")


def test_a_release_in_progress_beside_a_released_door(
    qtbot: QtBot, desk: Desk, shots: Path
) -> None:
    cloud = desk.connection.cloud
    assert cloud is not None
    door_list = window(desk).door_list
    released, sending = door_list.door_id_at(1), door_list.door_id_at(2)
    assert released is not None and sending is not None
    click_release(qtbot, desk, released)
    qtbot.waitUntil(lambda: row(desk, released).state == "released", timeout=WAIT_MS)
    cloud.faults.add("/v4/door_release_requests", latency_s=5)
    click_release(qtbot, desk, sending)
    qtbot.waitUntil(lambda: row(desk, sending).state == "sending", timeout=WAIT_MS)
    door_list.view.setCurrentIndex(door_list.proxy.index(2, 0))
    save(qtbot, desk, window(desk), shots / "release.png")


def test_an_incoming_call_banner(qtbot: QtBot, desk: Desk, shots: Path) -> None:
    banner = window(desk).call_banner
    # The desk always has one: a desk built without it must fail here, not skip.
    assert isinstance(banner, CallBanner), f"the desk's call banner is {banner!r}"
    cloud = desk.connection.cloud
    assert cloud is not None
    building = cloud.buildings[0]["id"]
    main_door = next(
        d for d in cloud.doors if d["building_id"] == building and d["name"] == "Main Entrance"
    )
    cloud.add_call(
        device=main_door["device_ids"][0],
        recipient={"id": cloud.front_desk_tenant_id(building), "type": "Attendant"},
        status="initializing",
    )
    qtbot.waitUntil(banner.isVisible, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: banner.snapshot.state in ("loaded", "failed"), timeout=WAIT_MS)
    save(qtbot, desk, window(desk), shots / "call-banner.png")


def test_the_audit_tab_with_an_unknown_outcome_and_a_cloud_check(
    qtbot: QtBot, desk: Desk, shots: Path
) -> None:
    from bmx_console.ui.audit_tab import AuditTab

    cloud = desk.connection.cloud
    assert cloud is not None
    door_list = window(desk).door_list
    doors = [door_list.door_id_at(n) for n in range(4)]
    assert all(d is not None for d in doors)
    for door in doors[:2]:
        assert door is not None
        click_release(qtbot, desk, door)
        qtbot.waitUntil(lambda door=door: row(desk, door).state == "released", timeout=WAIT_MS)
    # The connection drops with the request sent: the door may have opened.
    cloud.faults.add("/v4/door_release_requests", drop=True, times=1)
    unknown = doors[2]
    assert unknown is not None
    click_release(qtbot, desk, unknown)
    qtbot.waitUntil(lambda: row(desk, unknown).state == "failed", timeout=WAIT_MS)
    # A release ButterflyMX logged as the desk's tenant that this desk never recorded.
    other = desk.store.door(doors[3] or 0)
    assert other is not None
    tenant = desk.settings.release_tenant_id or cloud.front_desk_tenant_id(other.building_id)
    cloud.release({}, tenant_id=tenant, access_point_id=other.id)

    tab = window(desk).open_tab("Audit")
    assert isinstance(tab, AuditTab)
    qtbot.waitUntil(
        lambda: "Outcome unknown" in [tab.model.text(e, 4) for e in tab.model.entries],
        timeout=WAIT_MS,
    )
    tab.cloud_button.click()
    qtbot.waitUntil(lambda: tab.result.tone == "error", timeout=WAIT_MS)
    assert "not here" in tab.result.text and "still of unknown outcome" in tab.result.text
    save(qtbot, desk, window(desk), shots / "audit.png")


def test_f_keys_belong_to_their_doors(qtbot: QtBot, desk: Desk, shots: Path) -> None:
    """Sorted by last event, the keys on the buttons follow their doors, not the rows."""
    from PySide6.QtCore import Qt

    from bmx_console.ui.door_list import COL_LAST_EVENT

    main = window(desk)
    door_list = main.door_list
    door_list.view.sortByColumn(COL_LAST_EVENT, Qt.SortOrder.DescendingOrder)
    door_id = door_list.hotkeys[3]
    main.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main, timeout=WAIT_MS)
    door_list.release_hotkey(3)
    qtbot.waitUntil(lambda: row(desk, door_id).state == "released", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: main.status.currentMessage().startswith("F3: released"))
    save(qtbot, desk, main, shots / "hotkeys.png")


def test_butterflymx_unreachable(qtbot: QtBot, desk: Desk, shots: Path) -> None:
    main = window(desk)
    cloud = desk.connection.cloud
    assert cloud is not None
    cloud.faults.add("*", drop=True)
    qtbot.waitUntil(main.offline_banner.isVisible, timeout=WAIT_MS)
    save(qtbot, desk, main, shots / "offline.png")


def test_a_failed_release_on_the_selected_row_reads_in_both_themes(
    qtbot: QtBot, qapp: QApplication, desk: Desk, shots: Path
) -> None:
    cloud = desk.connection.cloud
    assert cloud is not None
    door_list = window(desk).door_list
    failed = door_list.door_id_at(1)
    assert failed is not None
    cloud.faults.add("/v4/door_release_requests", status=403)
    click_release(qtbot, desk, failed)
    qtbot.waitUntil(lambda: row(desk, failed).state == "failed", timeout=WAIT_MS)
    door_list.view.setCurrentIndex(door_list.proxy.index(1, 0))
    save(qtbot, desk, window(desk), shots / "failed-selected.png")
    ThemeManager(qapp, "dark")
    try:
        save(qtbot, desk, window(desk), shots / "failed-selected-dark.png")
    finally:
        ThemeManager(qapp, "light")


def test_the_desk_in_spanish(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, qapp: QApplication, tmp_path: Path, shots: Path
) -> None:
    from bmx_console.ui.translations import install_translations

    assert install_translations(qapp, "es") == "es"
    try:
        theme = ThemeManager(qapp, "light")
        cloud = quiet_cloud(event_rate_per_min=30)
        settings = Settings(events_interval=1_000, calls_interval=2_000)
        desk = make_desk(qtbot, tmp_path, cloud=cloud, settings=settings, theme=theme)
        try:
            window(desk).resize(1480, 900)
            qtbot.waitUntil(
                lambda: desk.store.door_count() > 0 and desk.store.event_count() > 5,
                timeout=WAIT_MS,
            )
            save(qtbot, desk, window(desk), shots / "desk-es.png")
        finally:
            close_desk(qtbot, desk)
    finally:
        install_translations(qapp, "en")
