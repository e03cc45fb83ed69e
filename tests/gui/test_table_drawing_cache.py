"""The door list and the events pane draw pills, glyphs and Release buttons from pixmaps kept
between repaints. A kept drawing must never outlive what it shows: after a state change, a
countdown tick, a new label or a switch of theme, every cell looks exactly as a freshly
built list draws it, and not as it did before. And the door list still re-sorts when the
column it is sorted by changes; late events still land in place."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from bmx_console.api.models import AccessEvent, Building, Door
from bmx_console.clock import FakeClock
from bmx_console.core.store import ReleaseStatus, Store
from bmx_console.ui.door_list import (
    COL_BUILDING,
    COL_LAST_EVENT,
    COL_NAME,
    COL_RELEASE,
    COL_STATE,
    DoorList,
    ReleaseButtonDelegate,
)
from bmx_console.ui.event_pane import COL_KIND, EventPane, EventTableModel
from bmx_console.ui.tables import RenderCache
from bmx_console.ui.theme import dark_palette, light_palette, theme_changed

BUILDING = Building(id=10, name="Carroll Gardens Lofts", time_zone="America/New_York")
DOORS = [
    Door(id=101, name="Main Entrance", building_id=10),
    Door(id=102, name="Lobby", building_id=10),
    Door(id=103, name="Package Room", building_id=10),
    Door(id=104, name="Garage Gate", building_id=10),
]
MAIN, LOBBY, PACKAGE, GARAGE = (d.id for d in DOORS)


async def no_release(_door_id: int) -> object:
    return None


@contextmanager
def theme(qapp: QApplication, palette: QPalette) -> Iterator[None]:
    """The application in another palette, as the theme manager switches it."""
    before = qapp.palette()
    qapp.setPalette(palette)
    theme_changed().emit()
    try:
        yield
    finally:
        qapp.setPalette(before)
        theme_changed().emit()


@pytest.fixture
def light(qapp: QApplication) -> Iterator[None]:
    with theme(qapp, light_palette()):
        yield


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store() -> Store:
    store = Store()
    store.set_roster([BUILDING], DOORS, [])
    return store


def door_list(qtbot: QtBot, store: Store, clock: FakeClock) -> DoorList:
    widget = DoorList(store, release=no_release, clock=clock)
    qtbot.addWidget(widget)
    widget.resize(1300, 500)
    widget.view.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def door_cell(widget: DoorList, door_id: int, column: int) -> QImage:
    """The cell as the view paints it now."""
    widget.model.flush_now()
    row = widget.proxy_row_of(door_id)
    assert row is not None
    index = widget.proxy.index(row, column)
    return widget.view.viewport().grab(widget.view.visualRect(index)).toImage()


def names(widget: DoorList) -> list[str]:
    widget.model.flush_now()
    return [str(widget.proxy.index(r, COL_NAME).data()) for r in range(widget.proxy.rowCount())]


def test_a_state_change_and_each_countdown_tick_show_the_new_pill_and_button(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, light: None, store: Store, clock: FakeClock
) -> None:
    shown = door_list(qtbot, store, clock)
    ready = door_cell(shown, LOBBY, COL_STATE), door_cell(shown, LOBBY, COL_RELEASE)

    store.set_release_status({LOBBY: ReleaseStatus("failed", failure="The panel is offline")})
    failed = door_cell(shown, LOBBY, COL_STATE), door_cell(shown, LOBBY, COL_RELEASE)
    assert failed[0] != ready[0]
    assert failed == (
        door_cell(door_list(qtbot, store, clock), LOBBY, COL_STATE),
        door_cell(door_list(qtbot, store, clock), LOBBY, COL_RELEASE),
    )

    # "Released · 10 s" then "Released · 9 s": a narrower pill.
    until = clock.monotonic() + 10
    store.set_release_status({LOBBY: ReleaseStatus("released", released_until=until)})
    ten = door_cell(shown, LOBBY, COL_STATE)
    clock.advance(1)
    shown.model.refresh_countdowns()
    nine = door_cell(shown, LOBBY, COL_STATE)
    assert nine != ten
    assert nine == door_cell(door_list(qtbot, store, clock), LOBBY, COL_STATE)
    assert door_cell(shown, LOBBY, COL_RELEASE) not in (ready[1], failed[1])


def test_a_switch_of_theme_repaints_pills_and_buttons_in_the_new_colours(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    qapp: QApplication,
    light: None,
    store: Store,
    clock: FakeClock,
) -> None:
    store.set_release_status(
        {
            LOBBY: ReleaseStatus("released", released_until=clock.monotonic() + 5),
            PACKAGE: ReleaseStatus("failed", failure="The panel is offline"),
        }
    )
    shown = door_list(qtbot, store, clock)
    cells = [(d, c) for d in (MAIN, LOBBY, PACKAGE) for c in (COL_STATE, COL_RELEASE)]
    in_light = [door_cell(shown, d, c) for d, c in cells]

    with theme(qapp, dark_palette()):
        qtbot.waitUntil(lambda: door_cell(shown, MAIN, COL_RELEASE) != in_light[1], timeout=2000)
        in_dark = [door_cell(shown, d, c) for d, c in cells]
        fresh = door_list(qtbot, store, clock)
        assert in_dark == [door_cell(fresh, d, c) for d, c in cells]
        assert all(dark != lit for dark, lit in zip(in_dark, in_light, strict=True))
        # The Release button is filled with the dark theme's accent, not the light one's.
        index = shown.proxy.index(shown.proxy_row_of(MAIN) or 0, COL_RELEASE)
        button = ReleaseButtonDelegate.button_rect(shown.view.visualRect(index))
        cell = shown.view.visualRect(index)
        fill = in_dark[1].pixelColor(
            int(button.left() - cell.left() + 4), int(button.center().y() - cell.top())
        )
        accent = dark_palette().color(QPalette.ColorRole.Highlight)
        assert fill.rgb() == accent.rgb()

    # Back in the light theme, as first drawn (the palette reaches the view through events).
    qtbot.waitUntil(lambda: [door_cell(shown, d, c) for d, c in cells] == in_light, timeout=2000)


def test_a_new_label_on_the_button_or_a_renamed_door_is_painted_at_once(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, light: None, store: Store, clock: FakeClock
) -> None:
    shown = door_list(qtbot, store, clock)
    plain = door_cell(shown, GARAGE, COL_RELEASE)

    # A door that asks for a confirmation first reads "Release…".
    shown.model.asks_first = lambda door_id: door_id == GARAGE
    asking = door_cell(shown, GARAGE, COL_RELEASE)
    assert asking != plain
    fresh = door_list(qtbot, store, clock)
    fresh.model.asks_first = shown.model.asks_first
    assert asking == door_cell(fresh, GARAGE, COL_RELEASE)

    renamed = [Door(id=GARAGE, name="Garage Door", building_id=10), *DOORS[:3]]
    before = door_cell(shown, GARAGE, COL_NAME)
    store.set_roster([BUILDING], renamed, [])
    assert door_cell(shown, GARAGE, COL_NAME) != before
    assert door_cell(shown, GARAGE, COL_NAME) == door_cell(
        door_list(qtbot, store, clock), GARAGE, COL_NAME
    )


def test_the_list_moves_a_door_when_the_column_it_is_sorted_by_changes(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, store: Store, clock: FakeClock
) -> None:
    shown = door_list(qtbot, store, clock)
    view = shown.view
    assert names(shown) == ["Garage Gate", "Lobby", "Main Entrance", "Package Room"]

    # Sorted by building, a new event changes no door's place.
    view.sortByColumn(COL_BUILDING, Qt.SortOrder.AscendingOrder)
    by_building = names(shown)
    now = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)
    store.add_events([AccessEvent(id=1, logged_at=now, door_id=MAIN, release_status="Unlocked")])
    assert names(shown) == by_building

    # Sorted by last event, newest first, the door with the newest event goes on top.
    view.sortByColumn(COL_LAST_EVENT, Qt.SortOrder.DescendingOrder)
    assert names(shown)[0] == "Main Entrance"
    later = now + timedelta(minutes=1)
    store.add_events([AccessEvent(id=2, logged_at=later, door_id=PACKAGE, release_status="Locked")])
    assert names(shown)[0] == "Package Room"

    # Sorted by state, a failed release comes first.
    view.sortByColumn(COL_STATE, Qt.SortOrder.AscendingOrder)
    store.set_release_status({LOBBY: ReleaseStatus("failed", failure="The panel is offline")})
    assert names(shown)[0] == "Lobby"

    # Sorted by name, a renamed door takes its new place.
    view.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
    store.set_roster([BUILDING], [Door(id=MAIN, name="Atrium", building_id=10), *DOORS[1:]], [])
    assert names(shown) == ["Atrium", "Garage Gate", "Lobby", "Package Room"]


def test_kind_pills_in_the_events_pane_follow_a_switch_of_theme(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    qapp: QApplication,
    light: None,
    store: Store,
    clock: FakeClock,
) -> None:
    now = clock.now()
    store.add_events(
        [
            AccessEvent(
                id=n,
                logged_at=now - timedelta(minutes=n),
                building_id=10,
                door_id=MAIN,
                release_status="Unlocked",
                release_type=kind,
                actor="Ava Chen",
                entry_method="Key fob",
            )
            for n, kind in enumerate(("Tenant", "Visitor", "Delivery"))
        ]
    )

    async def no_image(_url: str) -> bytes:
        return b""

    def pane() -> EventPane:
        widget = EventPane(store, fetch_image=no_image, clock=clock)
        qtbot.addWidget(widget)
        widget.resize(1000, 400)
        widget.show()
        qtbot.waitExposed(widget)
        return widget

    def kind_cells(widget: EventPane) -> list[QImage]:
        view = widget.view
        return [
            view.viewport().grab(view.visualRect(widget.model.index(row, COL_KIND))).toImage()
            for row in range(3)
        ]

    shown = pane()
    in_light = kind_cells(shown)
    assert in_light[0] != in_light[1] != in_light[2] != in_light[0]
    with theme(qapp, dark_palette()):
        qtbot.waitUntil(lambda: kind_cells(shown)[0] != in_light[0], timeout=2000)
        in_dark = kind_cells(shown)
        assert in_dark == kind_cells(pane())
        assert all(dark != lit for dark, lit in zip(in_dark, in_light, strict=True))
    qtbot.waitUntil(lambda: kind_cells(shown) == in_light, timeout=2000)


def test_kept_drawings_are_bounded_and_the_least_recently_used_go_first() -> None:
    cache = RenderCache(limit=3)
    for key in "abc":
        cache.put(key, key.upper())
    assert cache.get("a") == "A"  # used again: now the most recent
    cache.put("d", "D")
    assert len(cache) == 3
    assert cache.get("b") is None
    assert all(cache.get(key) is not None for key in "acd")
    cache.clear()
    assert len(cache) == 0


def test_a_late_poll_from_another_building_lands_in_place_in_one_insert(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, store: Store, clock: FakeClock
) -> None:
    def event(event_id: int, minute: float) -> AccessEvent:
        moment = datetime(2026, 11, 21, 14, tzinfo=UTC) + timedelta(minutes=minute)
        return AccessEvent(id=event_id, logged_at=moment, door_id=MAIN, release_status="Locked")

    model = EventTableModel(store, clock=clock)
    store.add_events([event(1, 0), event(2, 10), event(3, 20)])
    model.flush()
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    # Polled late: three events from between minutes 10 and 20, one from before minute 0.
    store.add_events([event(4, 12), event(5, 15), event(6, 18), event(7, -5)])
    model.flush()
    assert [model.event_at(r).id for r in range(model.rowCount())] == [3, 6, 5, 4, 2, 1, 7]
    assert inserted == [(1, 3), (6, 6)]
