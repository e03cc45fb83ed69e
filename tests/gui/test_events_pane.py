"""The live events pane against the in-process simulator: new events on top, filters, the
"N new events" button while scrolled away, times in the building's zone, and details with the
snapshot fetched without the bearer token."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import shiboken6
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from bmx_console.api.models import AccessEvent, Building, Door, Panel
from bmx_console.clock import FakeClock
from bmx_console.core.store import Store
from bmx_console.ui import time_text
from bmx_console.ui.event_details import EventDetailsDialog
from bmx_console.ui.event_model import (
    COL_DOOR,
    COL_KIND,
    COL_METHOD,
    COL_TIME,
    COL_WHO,
    EventTableModel,
)
from bmx_console.ui.event_pane import EventPane
from bmx_console.ui.theme import dark_palette
from tests.gui.desk_support import run
from tests.gui.sim_desk import SimDeskBase, open_sim_desk

CARROLL, KINZIE, SIERRA = 274691693, 620321178, 370983889  # New York, Chicago, Los Angeles
CARROLL_MAIN, CARROLL_LOBBY, CARROLL_GYM = 117556660, 990985090, 19053305
SIERRA_MAIN = 526348560


class SimDesk(SimDeskBase):
    async def sync(self) -> None:
        """One round of what the pollers do: roster, then each building's events."""
        buildings = await self.roster()
        since = self.clock.now() - timedelta(days=1)
        for building in buildings:
            self.store.add_events(await self.client.access_events(building.id, since))


@pytest.fixture
def desk(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> Iterator[SimDesk]:
    yield from open_sim_desk(qtbot, SimDesk)


def make_pane(qtbot: QtBot, desk: SimDesk) -> EventPane:
    pane = EventPane(desk.store, fetch_image=desk.client.fetch_image, clock=desk.clock)
    qtbot.addWidget(pane)
    pane.resize(1100, 520)
    pane.show()
    qtbot.waitExposed(pane)
    return pane


def cell(pane: EventPane, row: int, column: int) -> str:
    return str(pane.model.index(row, column).data())


def shown_events(pane: EventPane) -> list[AccessEvent]:
    return [pane.model.event_at(row) for row in range(pane.model.rowCount())]


def add_sim_event(desk: SimDesk, seconds: float = 5, **fields: Any) -> int:
    """A new access log in the simulator, a little later than everything before."""
    desk.clock.advance(seconds)
    return int(desk.cloud.add_event(**fields)["id"])


def test_a_new_simulator_event_appears_at_the_top(qtbot: QtBot, desk: SimDesk) -> None:
    pane = make_pane(qtbot, desk)
    before = pane.model.rowCount()
    assert before == desk.store.event_count() > 50

    event_id = add_sim_event(
        desk,
        access_point=CARROLL_GYM,
        name="Zoe Quinn",
        release_type="Visitor",
        entry_method="Visitor Pass (using QR code)",
    )
    run(qtbot, desk.sync())

    qtbot.waitUntil(lambda: pane.model.rowCount() == before + 1, timeout=2000)
    assert pane.model.event_at(0).id == event_id
    assert cell(pane, 0, COL_KIND) == "Visitor"
    assert cell(pane, 0, COL_WHO) == "Zoe Quinn"
    assert cell(pane, 0, COL_DOOR) == "Gym · Carroll Gardens Lofts"
    assert cell(pane, 0, COL_METHOD) == "Visitor Pass (using QR code)"
    assert not pane.new_events_button.isVisible()


def test_time_is_the_desk_clock_with_the_building_clock_where_it_differs(
    qtbot: QtBot, desk: SimDesk
) -> None:
    time_text.set_desk_zone(ZoneInfo("America/New_York"))
    pane = make_pane(qtbot, desk)
    logged = datetime(2026, 11, 21, 14, 0, 30, tzinfo=UTC)
    add_sim_event(desk, 40, access_point=SIERRA_MAIN, logged_at="2026-11-21T14:00:30Z")
    add_sim_event(desk, 1, access_point=CARROLL_MAIN, logged_at="2026-11-21T14:00:31Z")
    run(qtbot, desk.sync())

    qtbot.waitUntil(lambda: pane.model.event_at(1).logged_at == logged, timeout=2000)
    assert cell(pane, 0, COL_TIME) == "09:00:31"
    assert cell(pane, 1, COL_TIME) == "09:00:30 · 06:00 PST"
    tooltip = pane.model.index(1, COL_TIME).data(Qt.ItemDataRole.ToolTipRole)
    assert "PST" in tooltip and "14:00:30 UTC" in tooltip

    # Yesterday on the desk's clock: the date is shown too.
    desk.clock.advance(24 * 3600)
    assert cell(pane, 1, COL_TIME) == "Nov 21 09:00:30 · 06:00 PST"


def test_unknown_actor_and_unknown_door_are_said_plainly(qtbot: QtBot, desk: SimDesk) -> None:
    pane = make_pane(qtbot, desk)
    add_sim_event(desk, access_point=CARROLL_LOBBY, name=None, release_type="Visitor")
    run(qtbot, desk.sync())
    qtbot.waitUntil(lambda: cell(pane, 0, COL_DOOR).startswith("Lobby"), timeout=2000)
    assert cell(pane, 0, COL_WHO) == "Unknown"

    # A door the roster does not know (removed since, or not visible to this account).
    stray = AccessEvent(
        id=1,
        logged_at=desk.clock.now() + timedelta(seconds=9),
        building_id=CARROLL,
        door_id=123,
        release_status="Unlocked",
        release_type="Tenant",
        actor="Dana Ross",
        entry_method="PIN code",
    )
    desk.store.add_events([stray])
    qtbot.waitUntil(lambda: pane.model.event_at(0).id == 1, timeout=2000)
    assert cell(pane, 0, COL_DOOR) == "door 123"


def test_filters_by_door_kind_and_text(qtbot: QtBot, desk: SimDesk) -> None:
    pane = make_pane(qtbot, desk)
    total = pane.model.rowCount()

    pane.door_filter.setCurrentIndex(pane.door_filter.findData(CARROLL_MAIN))
    by_door = shown_events(pane)
    assert 0 < len(by_door) < total
    assert {e.door_id for e in by_door} == {CARROLL_MAIN}
    assert pane.count_label.text() == f"{len(by_door)} of {total:,} events"

    pane.door_filter.setCurrentIndex(0)
    assert pane.model.rowCount() == total
    kinds_before = {e.kind for e in shown_events(pane)}
    assert {"tenant", "visitor", "delivery"} <= kinds_before
    qtbot.mouseClick(pane.kind_buttons["tenant"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pane.kind_buttons["delivery"], Qt.MouseButton.LeftButton)
    assert {e.kind for e in shown_events(pane)} == kinds_before - {"tenant", "delivery"}

    for kind in ("tenant", "delivery"):
        pane.kind_buttons[kind].setChecked(True)
    qtbot.keyClicks(pane.search, "package room")
    qtbot.waitUntil(lambda: pane.model.rowCount() < total, timeout=2000)
    doors = {cell(pane, r, COL_DOOR).split(" · ")[0] for r in range(pane.model.rowCount())}
    assert doors == {"Package Room"}

    pane.search.clear()
    qtbot.keyClicks(pane.search, "swipe")
    qtbot.waitUntil(
        lambda: all("Swipe" in cell(pane, r, COL_METHOD) for r in range(pane.model.rowCount())),
        timeout=2000,
    )
    assert pane.model.rowCount() > 0

    pane.search.clear()
    qtbot.keyClicks(pane.search, "nobody-by-this-name")
    qtbot.waitUntil(lambda: pane.model.rowCount() == 0, timeout=2000)
    assert pane.empty_label.isVisible()
    assert pane.empty_label.text() == "No events match these filters."


def test_new_events_wait_behind_the_button_while_scrolled_away(qtbot: QtBot, desk: SimDesk) -> None:
    pane = make_pane(qtbot, desk)
    bar = pane.view.verticalScrollBar()
    bar.setValue(bar.maximum() // 3)
    position = bar.value()
    assert position > 0
    top_row = pane.view.rowAt(0)
    reading = pane.model.event_at(top_row).id
    count = pane.model.rowCount()

    new_ids = [add_sim_event(desk, access_point=CARROLL_MAIN, name=f"N{i}") for i in range(3)]
    run(qtbot, desk.sync())

    qtbot.waitUntil(pane.new_events_button.isVisible, timeout=2000)
    assert pane.new_events_button.text() == "↑  3 new events"
    # The list did not move: same rows, same scroll position, same event under the eye.
    assert pane.model.rowCount() == count
    assert bar.value() == position
    assert pane.model.event_at(pane.view.rowAt(0)).id == reading

    # A filter that hides them changes the count on the button.
    pane.door_filter.setCurrentIndex(pane.door_filter.findData(CARROLL_LOBBY))
    assert not pane.new_events_button.isVisible()
    pane.door_filter.setCurrentIndex(0)
    bar.setValue(position)
    assert pane.new_events_button.text() == "↑  3 new events"

    qtbot.mouseClick(pane.new_events_button, Qt.MouseButton.LeftButton)
    assert bar.value() == 0
    assert [pane.model.event_at(r).id for r in range(3)] == new_ids[::-1]
    assert pane.model.rowCount() == count + 3
    assert not pane.new_events_button.isVisible()


def test_scrolling_back_to_the_top_reveals_the_new_events(qtbot: QtBot, desk: SimDesk) -> None:
    pane = make_pane(qtbot, desk)
    bar = pane.view.verticalScrollBar()
    bar.setValue(bar.maximum())
    event_id = add_sim_event(desk, access_point=CARROLL_MAIN)
    run(qtbot, desk.sync())
    qtbot.waitUntil(pane.new_events_button.isVisible, timeout=2000)
    assert pane.new_events_button.text() == "↑  1 new event"

    bar.setValue(0)
    assert pane.model.event_at(0).id == event_id
    assert not pane.new_events_button.isVisible()


def test_double_click_shows_details_and_the_snapshot_fetched_without_token(
    qtbot: QtBot, desk: SimDesk
) -> None:
    pane = make_pane(qtbot, desk)
    row = next(r for r, e in enumerate(shown_events(pane)) if e.image_url and e.actor)
    event = pane.model.event_at(row)
    assert event.image_url and "/sim-images/" in event.image_url
    pane.view.scrollTo(pane.model.index(row, 0))

    opened: list[EventDetailsDialog] = []
    pane.details_opened.connect(opened.append)
    rect = pane.view.visualRect(pane.model.index(row, COL_WHO))
    qtbot.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    assert len(opened) == 1
    dialog = opened[0]
    assert dialog.isVisible() and not dialog.isModal()
    door = desk.store.door(event.door_id or 0)
    assert door is not None
    assert dialog.field_labels["Who"].text() == event.actor
    assert dialog.field_labels["Method"].text() == event.entry_method
    assert dialog.field_labels["Door"].text() == f"{door.name} (id {door.id})"
    assert dialog.field_labels["Event id"].text() == str(event.id)
    qtbot.waitUntil(lambda: dialog.snapshot.state == "loaded", timeout=5000)
    pixmap = dialog.snapshot.pixmap()
    assert pixmap is not None and (pixmap.width(), pixmap.height()) == (320, 180)

    image_requests = [r for r in desk.transport.requests if "/sim-images/" in r.url.path]
    api_requests = [r for r in desk.transport.requests if r.url.path.startswith("/v4/")]
    assert [str(r.url) for r in image_requests] == [event.image_url]
    assert "authorization" not in image_requests[0].headers
    assert all("authorization" in r.headers for r in api_requests)


def test_details_say_so_when_there_is_no_snapshot_or_it_fails(qtbot: QtBot, desk: SimDesk) -> None:
    pane = make_pane(qtbot, desk)
    add_sim_event(desk, access_point=CARROLL_MAIN, image_url=None)
    run(qtbot, desk.sync())
    qtbot.waitUntil(lambda: pane.model.event_at(0).image_url is None, timeout=2000)
    dialog = pane.open_details(pane.model.event_at(0))
    assert dialog.snapshot.state == "empty"
    assert dialog.snapshot.message == "No snapshot was taken for this one."

    desk.cloud.faults.add("/sim-images/*", status=503)
    with_image = next(e for e in shown_events(pane) if e.image_url)
    failing = pane.open_details(with_image)
    qtbot.waitUntil(lambda: failing.snapshot.state == "failed", timeout=5000)
    assert failing.snapshot.message.startswith("Snapshot not available: ")
    assert "503" in failing.snapshot.message or "ButterflyMX" in failing.snapshot.message


def test_filters_are_saved_and_restored(qtbot: QtBot, desk: SimDesk) -> None:
    pane = make_pane(qtbot, desk)
    pane.door_filter.setCurrentIndex(pane.door_filter.findData(CARROLL_MAIN))
    pane.kind_buttons["schedule"].setChecked(False)
    pane.search.setText("swipe")
    qtbot.waitUntil(lambda: pane.model.filter.text == "swipe", timeout=2000)
    state = pane.save_state()
    assert state == {
        "door_id": CARROLL_MAIN,
        "kinds": ["tenant", "visitor", "delivery", "api", "other"],
        "text": "swipe",
    }

    again = make_pane(qtbot, desk)
    again.restore_state(state)
    assert again.door_filter.currentData() == CARROLL_MAIN
    assert not again.kind_buttons["schedule"].isChecked()
    assert again.search.text() == "swipe"
    assert [e.id for e in shown_events(again)] == [e.id for e in shown_events(pane)]
    again.restore_state({"door_id": "junk", "kinds": 3})
    assert again.door_filter.currentData() is None


# -- the model on its own: order, drops, bursts ------------------------------------------------


def synthetic(event_id: int, moment: datetime, door_id: int = 1) -> AccessEvent:
    return AccessEvent(
        id=event_id,
        logged_at=moment,
        building_id=1,
        door_id=door_id,
        release_status="Unlocked",
        release_type="Tenant",
        actor=f"Tenant {event_id % 97}",
        entry_method="Swipe to open",
    )


def roster_store(max_events: int) -> Store:
    store = Store(max_events=max_events)
    store.set_roster(
        [Building(id=1, name="Harbor View", time_zone="America/New_York")],
        [Door(id=d, name=f"Door {d}", building_id=1, panel_ids=(100 + d,)) for d in range(1, 6)],
        [Panel(id=100 + d, name=f"Panel {d}", type="panel", building_id=1) for d in range(1, 6)],
    )
    return store


def test_rows_mirror_the_log_through_late_events_drops_and_pauses(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    store = roster_store(max_events=300)
    model = EventTableModel(store, clock=FakeClock())
    rng = random.Random(3)
    t0 = datetime(2026, 11, 21, 14, tzinfo=UTC)
    next_id = 1
    for step in range(40):
        batch = []
        for _ in range(rng.randint(1, 40)):
            # Mostly newer than everything, sometimes late (another building's poll).
            offset = step * 60 + rng.uniform(-300 if rng.random() < 0.2 else 0, 60)
            batch.append(synthetic(next_id, t0 + timedelta(seconds=offset), rng.randint(1, 5)))
            next_id += 1
        store.add_events(batch)
        if rng.random() < 0.3:
            model.set_live(not model.live)
        model.flush()
        shown = [model.event_at(r).id for r in range(model.rowCount())]
        held = {e.id for e in model.pending_events()}
        expected = [e.id for e in store.events_newest_first() if e.id not in held]
        assert shown == expected
    model.set_live(True)
    assert [model.event_at(r).id for r in range(model.rowCount())] == [
        e.id for e in store.events_newest_first()
    ]
    assert model.rowCount() == 300


def test_a_burst_into_a_full_log_is_one_insert_and_one_removal(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    store = roster_store(max_events=50_000)
    t0 = datetime(2026, 11, 21, 0, tzinfo=UTC)
    store.add_events(synthetic(i, t0 + timedelta(seconds=i), i % 5 + 1) for i in range(50_000))
    pane = EventPane(store, fetch_image=_no_image, clock=FakeClock())
    qtbot.addWidget(pane)
    pane.resize(1100, 520)
    pane.show()
    qtbot.waitExposed(pane)
    assert pane.model.rowCount() == 50_000

    inserted: list[tuple[int, int]] = []
    removed: list[tuple[int, int]] = []
    pane.model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    pane.model.rowsRemoved.connect(lambda _p, first, last: removed.append((first, last)))
    burst = [synthetic(50_000 + i, t0 + timedelta(seconds=50_000 + i)) for i in range(3000)]
    for chunk in range(0, 3000, 500):  # six polls' worth inside one flush interval
        store.add_events(burst[chunk : chunk + 500])
    qtbot.waitUntil(lambda: pane.model.event_at(0).id == 52_999, timeout=3000)
    assert inserted == [(0, 2999)]
    assert removed == [(50_000 - 3000, 49_999)]
    assert pane.model.rowCount() == 50_000
    assert pane.model.event_at(49_999).id == 3000

    # Filtering 50,000 rows stays interactive.
    started = asyncio.get_event_loop().time()
    pane.door_filter.setCurrentIndex(pane.door_filter.findData(3))
    assert pane.model.rowCount() == sum(1 for e in store.events_newest_first() if e.door_id == 3)
    assert asyncio.get_event_loop().time() - started < 2.0


def test_late_events_among_the_top_rows_keep_the_selected_event_selected(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    """A busy building polled just after another brings hundreds of events that fall
    between the rows on top. They go in without resetting the table (which lost the
    operator's selection), and the selected row stays on the event the operator chose."""
    store = roster_store(max_events=50_000)
    t0 = datetime(2026, 11, 21, 0, tzinfo=UTC)
    store.add_events(synthetic(i, t0 + timedelta(seconds=2 * i)) for i in range(1, 3001))
    pane = EventPane(store, fetch_image=_no_image, clock=FakeClock())
    qtbot.addWidget(pane)
    pane.resize(1100, 520)
    pane.show()
    qtbot.waitExposed(pane)
    chosen = pane.model.event_at(5)  # in view: a list scrolled away holds new events back
    pane.view.setCurrentIndex(pane.model.index(5, COL_WHO))
    assert pane.model.live
    resets: list[bool] = []
    pane.model.modelReset.connect(lambda: resets.append(True))

    # 800 late events, one between each pair of the top 800 rows, and 50 newer ones.
    late = [synthetic(10_000 + i, t0 + timedelta(seconds=2 * i + 1)) for i in range(2200, 3000)]
    newer = [synthetic(20_000 + i, t0 + timedelta(seconds=6001 + i)) for i in range(50)]
    store.add_events([*late, *newer])
    qtbot.waitUntil(lambda: pane.model.rowCount() == 3850, timeout=3000)

    assert resets == []
    shown = [pane.model.event_at(r).id for r in range(pane.model.rowCount())]
    assert shown == [e.id for e in store.events_newest_first()]
    current = pane.view.currentIndex()
    assert pane.model.event_at(current.row()).id == chosen.id
    assert current.column() == COL_WHO
    assert [pane.model.event_at(i.row()).id for i in pane.view.selectionModel().selectedRows()] == [
        chosen.id
    ]


async def _no_image(url: str) -> bytes:
    raise AssertionError("no snapshot expected")


def test_row_heights_are_uniform(qtbot: QtBot, desk: SimDesk) -> None:
    pane = make_pane(qtbot, desk)
    heights = {pane.view.rowHeight(r) for r in range(min(50, pane.model.rowCount()))}
    assert len(heights) == 1
    assert pane.view.verticalHeader().sectionResizeMode(0).name == "Fixed"
    assert pane.model.index(0, 0).parent() == QModelIndex()


def test_return_on_a_row_opens_its_details(qtbot: QtBot, desk: SimDesk) -> None:
    pane = make_pane(qtbot, desk)
    opened: list[EventDetailsDialog] = []
    pane.details_opened.connect(opened.append)
    pane.view.setFocus()
    pane.view.setCurrentIndex(pane.model.index(2, COL_WHO))
    qtbot.keyClick(pane.view, Qt.Key.Key_Return)
    assert [d.access_event.id for d in opened] == [pane.model.event_at(2).id]


def test_a_closed_pane_no_longer_listens_to_the_store(
    qtbot: QtBot, desk: SimDesk, caplog: pytest.LogCaptureFixture
) -> None:
    pane = EventPane(desk.store, fetch_image=desk.client.fetch_image, clock=desk.clock)
    pane.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(pane), timeout=2000)
    add_sim_event(desk, access_point=CARROLL_MAIN)
    run(qtbot, desk.sync())
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]


def test_the_pane_follows_a_switch_to_the_dark_palette(
    qtbot: QtBot, desk: SimDesk, qapp: QApplication
) -> None:
    pane = make_pane(qtbot, desk)
    before = qapp.palette()
    try:
        window = dark_palette().color(QPalette.ColorRole.Window)
        dark_window = f"rgb({window.red()},{window.green()},{window.blue()})"
        assert dark_window not in pane.view.styleSheet()
        chip = pane.kind_buttons["tenant"].styleSheet()
        qapp.setPalette(dark_palette())
        qtbot.waitUntil(lambda: dark_window in pane.view.styleSheet(), timeout=2000)
        assert pane.kind_buttons["tenant"].styleSheet() != chip
        assert "palette(" not in pane.kind_buttons["tenant"].styleSheet()
    finally:
        qapp.setPalette(before)
