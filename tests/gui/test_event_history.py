"""History beyond the live window: an earlier period fetched with progress and Cancel,
shown with the live pane's filters, one building's events and calls, and exported to CSV
with cells made safe for spreadsheets."""

from __future__ import annotations

import asyncio
import csv
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from bmx_console.api.models import parse_time
from bmx_console.ui.event_history import EventHistory, spreadsheet_safe
from tests.gui.sim_desk import SimDeskBase, open_sim_desk

WAIT_MS = 10_000


class LiveDesk(SimDeskBase):
    async def sync(self) -> None:
        """The live window: the last two hours only."""
        buildings = await self.roster()
        since = self.clock.now() - timedelta(hours=2)
        for building in buildings:
            self.store.add_events(await self.client.access_events(building.id, since))


@pytest.fixture
def desk(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> Iterator[LiveDesk]:
    yield from open_sim_desk(qtbot, LiveDesk, history_days=3)


def history(qtbot: QtBot, desk: LiveDesk) -> EventHistory:
    window = EventHistory(
        desk.store, desk.client, fetch_image=desk.client.fetch_image, clock=desk.clock
    )
    qtbot.addWidget(window)
    window.show()
    return window


def cloud_events(
    desk: LiveDesk, since: datetime, until: datetime, building: int | None = None
) -> list[dict[str, Any]]:
    found = []
    for b in desk.cloud.buildings:
        if building is None or b["id"] == building:
            found += desk.cloud.access_logs(b["id"], since=since, until=until)
    return found


def test_an_earlier_period_is_fetched_with_progress_filtered_and_exported(
    qtbot: QtBot, desk: LiveDesk, tmp_path: Path
) -> None:
    now = desk.clock.now()
    since, until = now - timedelta(days=3), now - timedelta(days=2)
    live_oldest = min(e.logged_at for e in desk.store.events_newest_first())
    assert live_oldest > until  # the period is before the live window
    visitor = desk.cloud.add_event(
        logged_at=(since + timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        name='=HYPERLINK("http://evil.example","Click")',
        release_type="Visitor",
        entry_method="App call",
    )
    window = history(qtbot, desk)

    window.fetch(since, until)
    qtbot.waitUntil(lambda: not window.busy, timeout=WAIT_MS)
    assert window.progress.maximum() == 3 and window.progress.value() == 3  # 3 buildings
    expected = {e["id"] for e in cloud_events(desk, since, until)}
    shown = window.shown_events()
    assert {e.id for e in shown} == expected and visitor["id"] in expected
    assert all(since <= e.logged_at <= until for e in shown)
    assert window.status.text().startswith(f"Done. {len(expected)} events")
    assert desk.store.event(visitor["id"]) is None  # the live pane never sees history

    # The same filters as the live pane: only visitors, then export what is shown.
    for kind, chip in window.pane.kind_buttons.items():
        chip.setChecked(kind == "visitor")
    visitors = window.shown_events()
    assert visitors and all(e.kind == "visitor" for e in visitors)
    path = tmp_path / "events.csv"
    assert window.export_csv(path) == len(visitors)
    with path.open(newline="", encoding="utf-8") as source:
        rows = list(csv.DictReader(source))
    assert [int(r["event_id"]) for r in rows] == [e.id for e in visitors]
    evil = next(r for r in rows if int(r["event_id"]) == visitor["id"])
    assert evil["who"] == "'" + visitor["name"]
    assert all(parse_time(r["logged_at_utc"]) is not None for r in rows)


def test_one_buildings_events_and_calls_and_cancel_keeps_what_came(
    qtbot: QtBot, desk: LiveDesk
) -> None:
    now = desk.clock.now()
    building = desk.cloud.buildings[1]["id"]
    since, until = now - timedelta(days=3), now - timedelta(days=1)
    window = history(qtbot, desk)
    window.fetch(since, until, building)
    qtbot.waitUntil(lambda: not window.busy, timeout=WAIT_MS)
    assert {e.building_id for e in window.shown_events()} == {building}
    calls = window.store.calls_newest_first()
    assert calls and {c.building_id for c in calls} == {building}
    assert len(calls) == len(desk.cloud.calls(building, since=since, until=until))

    # A slow cloud: Cancel stops the walk; what arrived stays, Fetch is offered again.
    desk.cloud.faults.add("/v4/buildings/*/access_logs", latency_s=0.3)
    task = window.fetch(now - timedelta(days=3), now - timedelta(hours=3))
    assert task is not None and window.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: window.progress.value() >= 1, timeout=WAIT_MS)
    window.cancel()
    qtbot.waitUntil(lambda: not window.busy, timeout=WAIT_MS)
    assert window.status.text().startswith("Cancelled.")
    assert window.progress.value() < window.progress.maximum()
    assert window.fetch_button.isEnabled() and not window.cancel_button.isEnabled()


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+2", "'=1+2"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Ada Lovelace", "Ada Lovelace"),
    ],
)
def test_cells_are_made_safe_for_spreadsheets(cell: str, safe: str) -> None:
    assert spreadsheet_safe(cell) == safe


def test_the_live_pane_opens_the_earlier_events(qtbot: QtBot, desk: LiveDesk) -> None:
    from bmx_console.ui.event_pane import EventPane

    pane = EventPane(desk.store, fetch_image=desk.client.fetch_image, clock=desk.clock)
    qtbot.addWidget(pane)
    assert pane.history_button.isHidden()
    pane.set_history(lambda: history(qtbot, desk))
    pane.show()
    assert pane.history_button.isVisible()
    pane.history_button.click()
    assert isinstance(pane.history_window, EventHistory) and pane.history_window.isVisible()
