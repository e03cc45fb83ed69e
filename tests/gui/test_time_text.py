"""One way of telling time: the desk's own clock everywhere, the date when it is not today,
a building's own clock added only where it differs, the building display on request, and
exports in UTC."""

from __future__ import annotations

import asyncio
import csv
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from bmx_console.api.models import AccessEvent, Building, Door, Panel
from bmx_console.clock import FakeClock
from bmx_console.core.store import Store
from bmx_console.sim.cloud import Cloud
from bmx_console.ui import time_text
from bmx_console.ui.audit_tab import COL_TIME, AuditTab
from bmx_console.ui.event_model import COL_TIME as EVENT_TIME
from bmx_console.ui.event_model import EventTableModel
from tests.gui.desk_support import click_release, close_desk, make_desk, quiet_cloud, row, window
from tests.support import MemoryKeyring

CHICAGO = ZoneInfo("America/Chicago")
NEW_YORK, KINZIE, SIERRA = 1, 2, 3
# 06:56 UTC is 22:56 PST (the day before), 00:56 CST and 01:56 EST: the same minute.
MINUTE = datetime(2026, 11, 22, 6, 56, tzinfo=UTC)


@pytest.fixture
def chicago_desk() -> Iterator[None]:
    time_text.set_desk_zone(CHICAGO)
    yield
    time_text.set_desk_zone(UTC)


def three_zone_store() -> Store:
    zones = {NEW_YORK: "America/New_York", KINZIE: "America/Chicago", SIERRA: "America/Los_Angeles"}
    store = Store()
    store.set_roster(
        [Building(id=b, name=f"Building {b}", time_zone=zone) for b, zone in zones.items()],
        [Door(id=10 + b, name="Main Entrance", building_id=b, panel_ids=(20 + b,)) for b in zones],
        [Panel(id=20 + b, name="Panel", type="panel", building_id=b) for b in zones],
    )
    return store


def event(event_id: int, building: int, at: datetime) -> AccessEvent:
    return AccessEvent(
        id=event_id,
        logged_at=at,
        building_id=building,
        door_id=10 + building,
        release_status="Unlocked",
        release_type="Tenant",
        actor="Zoe Quinn",
        entry_method="Swipe to open",
    )


def test_three_buildings_in_three_zones_read_on_the_desk_clock_in_instant_order(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, chicago_desk: None
) -> None:
    store = three_zone_store()
    clock = FakeClock(datetime(2026, 11, 22, 14, 0, tzinfo=UTC))  # 08:00 in Chicago
    model = EventTableModel(store, clock=clock)
    store.add_events(
        [
            event(1, NEW_YORK, MINUTE + timedelta(seconds=20)),
            event(2, SIERRA, MINUTE),
            event(3, KINZIE, MINUTE + timedelta(seconds=10)),
        ]
    )
    qtbot.waitUntil(lambda: model.rowCount() == 3, timeout=2000)

    times = [str(model.index(r, EVENT_TIME).data()) for r in range(3)]
    # Newest first by instant; the desk's own building needs no second clock.
    assert times == ["00:56:20 · 01:56 EST", "00:56:10", "00:56:00 · 22:56 PST"]
    tooltip = str(model.index(2, EVENT_TIME).data(Qt.ItemDataRole.ToolTipRole))
    assert "2026-11-22 00:56:00 CST" in tooltip and "22:56:00 PST" in tooltip

    # Tomorrow on the desk's clock, the date is shown.
    clock.advance(24 * 3600)
    assert str(model.index(1, EVENT_TIME).data()) == "Nov 22 00:56:10"

    # The setting for each building's own zone: named, dated when not today there.
    time_text.set_time_display(time_text.BUILDING)
    clock.advance(-24 * 3600)
    times = [str(model.index(r, EVENT_TIME).data()) for r in range(3)]
    assert times == ["01:56:20 EST", "00:56:10 CST", "Nov 21 22:56:00 PST"]


def test_a_time_on_a_day_other_than_today_carries_its_date() -> None:
    time_text.set_desk_zone(CHICAGO)
    now = datetime(2026, 11, 22, 14, 0, tzinfo=UTC)
    assert time_text.time_text(MINUTE - timedelta(hours=7), now) == "Nov 21 17:56:00"
    assert time_text.time_text(MINUTE, now, seconds=False) == "00:56"
    assert time_text.utc_iso(MINUTE) == "2026-11-22T06:56:00Z"


@pytest.fixture
def cloud() -> Cloud:
    return quiet_cloud(FakeClock())


def test_the_audit_shows_the_desk_clock_and_exports_utc(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    cloud: Cloud,
    memory_keyring: MemoryKeyring,
    chicago_desk: None,
) -> None:
    desk = make_desk(qtbot, tmp_path, cloud=cloud, clock=cloud.clock)
    try:
        qtbot.waitUntil(lambda: desk.store.door_count() > 0, timeout=5000)
        door_id = next(d["id"] for d in cloud.doors if d["name"] == "Lobby")
        click_release(qtbot, desk, door_id)
        qtbot.waitUntil(lambda: row(desk, door_id).state == "released", timeout=5000)
        tab = window(desk).open_tab("Audit")
        assert isinstance(tab, AuditTab)

        # The shift's start, then the release written ahead ("sent") and its answer.
        def released_row() -> int | None:
            for n in range(tab.model.rowCount()):
                found = tab.model.entry_at(n)
                if found is not None and found.action == "release" and found.outcome == "released":
                    return n
            return None

        qtbot.waitUntil(lambda: released_row() is not None, timeout=5000)
        at_row = released_row()
        assert at_row is not None
        entry = tab.model.entry_at(at_row)
        assert entry is not None
        chicago = entry.at.astimezone(CHICAGO)
        assert str(tab.model.index(at_row, COL_TIME).data()) == f"{chicago:%Y-%m-%d %H:%M:%S}"

        target = tmp_path / "audit.csv"
        tab.export_to(str(target))
        qtbot.waitUntil(lambda: tab.result.tone == "ok", timeout=5000)
        with target.open(newline="", encoding="utf-8") as f:
            exported = next(r for r in csv.DictReader(f) if r["seq"] == str(entry.seq))
        assert exported["at"] == entry.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    finally:
        close_desk(qtbot, desk)
