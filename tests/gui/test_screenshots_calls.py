"""Screenshots of the call work on the simulator: the call banner naming the resident and
their unit, the Residents view, and earlier events fetched for a period. Made like the
desk's (``BMX_SCREENSHOTS_DIR=docs``, see test_desk_screenshots.py); each must be a real
picture, not a blank frame."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from bmx_console.desk import Desk
from bmx_console.ui.calls import CallBanner
from bmx_console.ui.event_history import EventHistory
from bmx_console.ui.residents import ResidentsView
from tests.gui.desk_support import window
from tests.gui.test_desk_screenshots import WAIT_MS, desk, save

__all__ = ["desk"]  # the fixture, shared with the desk's screenshots


def _resident(desk: Desk) -> dict:
    cloud = desk.connection.cloud
    assert cloud is not None
    building = cloud.buildings[0]["id"]
    front = cloud.front_desk_tenant_id(building)
    return next(t for t in cloud.tenants if t["building_id"] == building and t["id"] != front)


def test_a_call_banner_naming_the_resident_and_unit(qtbot: QtBot, desk: Desk, shots: Path) -> None:
    banner = window(desk).call_banner
    assert isinstance(banner, CallBanner)
    cloud = desk.connection.cloud
    assert cloud is not None
    qtbot.waitUntil(lambda: len(desk.store.directory.tenants) > 0, timeout=WAIT_MS)
    tenant = _resident(desk)
    building = tenant["building_id"]
    main_door = next(
        d for d in cloud.doors if d["building_id"] == building and d["name"] == "Main Entrance"
    )
    call = cloud.add_call(
        device=main_door["device_ids"][0],
        recipient={"id": tenant["id"], "type": "Tenant"},
        unit={"id": tenant["unit"]["id"]},
        status="initializing",
    )
    qtbot.waitUntil(lambda: call["id"] in [c.id for c in banner.queued_calls()], timeout=WAIT_MS)
    # A call from the seeded history may still ring from just before the start.
    for _ in range(len(banner.queued_calls())):
        current = banner.current_call()
        if current is not None and current.id == call["id"]:
            break
        banner.show_next()
    current = banner.current_call()
    assert current is not None and current.id == call["id"]
    qtbot.waitUntil(lambda: banner.snapshot.state in ("loaded", "failed"), timeout=WAIT_MS)
    name = f"{tenant['first_name']} {tenant['last_name']} · {tenant['unit']['label']}"
    assert name in banner.details_label.text()
    save(qtbot, desk, window(desk), shots / "call-banner-resident.png")


def test_the_residents_view(qtbot: QtBot, desk: Desk, shots: Path) -> None:
    main = window(desk)
    qtbot.waitUntil(lambda: len(desk.store.directory.tenants) > 0, timeout=WAIT_MS)
    view = main.open_tab("Residents")
    assert isinstance(view, ResidentsView)
    tenant = next(
        (
            t
            for t in view.residents()
            if any(e.unit_id == t.unit_id for e in desk.store.events_newest_first())
        ),
        view.residents()[0],
    )
    view.select(tenant.id)
    save(qtbot, desk, main, shots / "residents.png")


def test_earlier_events_fetched_for_a_period(qtbot: QtBot, desk: Desk, shots: Path) -> None:
    main = window(desk)
    pane = main.event_pane
    history = pane.open_history()  # type: ignore[union-attr]
    assert isinstance(history, EventHistory)
    now = desk.clock.now()
    history.fetch(now - timedelta(hours=20), now - timedelta(hours=8))
    qtbot.waitUntil(lambda: not history.busy, timeout=WAIT_MS)
    assert history.store.event_count() > 10
    history.resize(1400, 800)
    save(qtbot, desk, history, shots / "history.png")
    history.close()
