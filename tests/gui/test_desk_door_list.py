"""The door list on its own: search, building filter, pins on top, the painted Release
buttons, keyboard releases, staleness, and 2,000 doors."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QModelIndex, QPoint, QSortFilterProxyModel, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView
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
    DoorFilterProxy,
    DoorList,
    ReleaseButtonDelegate,
    local_time_text,
)
from bmx_console.ui.door_model import FLUSH_ROWS

NEW_YORK = Building(id=10, name="Carroll Gardens Lofts", time_zone="America/New_York")
CHICAGO = Building(id=20, name="The Kinzie", time_zone="America/Chicago")


def roster(store: Store, count_per_building: int = 3) -> list[Door]:
    names = ["Main Entrance", "Lobby", "Package Room", "Garage Gate", "Gym", "Rooftop"]
    doors = [
        Door(
            id=building.id * 1000 + n, name=f"{names[n % len(names)]} {n}", building_id=building.id
        )
        for building in (NEW_YORK, CHICAGO)
        for n in range(count_per_building)
    ]
    store.set_roster([NEW_YORK, CHICAGO], doors, [])
    return doors


class Releases:
    def __init__(self) -> None:
        self.door_ids: list[int] = []

    async def __call__(self, door_id: int) -> object:
        self.door_ids.append(door_id)
        return None


@pytest.fixture
def releases() -> Releases:
    return Releases()


@pytest.fixture
def store() -> Store:
    store = Store()
    roster(store)
    return store


@pytest.fixture
def door_list(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, store: Store, releases: Releases
) -> DoorList:
    widget = DoorList(store, release=releases, clock=FakeClock())
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def names(door_list: DoorList) -> list[str]:
    proxy = door_list.proxy
    return [str(proxy.index(r, COL_NAME).data()) for r in range(proxy.rowCount())]


def button_point(door_list: DoorList, proxy_row: int) -> QPoint:
    index = door_list.proxy.index(proxy_row, COL_RELEASE)
    door_list.view.scrollTo(index)
    rect = ReleaseButtonDelegate.button_rect(door_list.view.visualRect(index))
    return QPoint(int(rect.center().x()), int(rect.center().y()))


def test_search_matches_name_building_and_id_as_you_type(door_list: DoorList) -> None:
    assert door_list.proxy.rowCount() == 6
    door_list.search.setText("lobby")
    assert names(door_list) == ["Lobby 1", "Lobby 1"]
    door_list.search.setText("kinzie lobby")
    assert names(door_list) == ["Lobby 1"]
    door_list.search.setText("10002")
    assert names(door_list) == ["Package Room 2"]
    assert door_list.count_label.text() == "1 of 6 doors"
    door_list.search.clear()
    assert door_list.count_label.text() == "6 doors"


def test_search_words_are_plain_text_and_combine_with_the_building(
    door_list: DoorList,
) -> None:
    """What the guard types is looked for as typed: "." or "(" match only themselves."""
    door_list.search.setText("lobby.")
    assert names(door_list) == []
    door_list.search.setText("(")
    assert names(door_list) == []
    door_list.search.setText("1 lobby")  # words in any order, ids included
    assert names(door_list) == ["Lobby 1", "Lobby 1"]
    door_list.building.setCurrentIndex(2)  # The Kinzie
    assert names(door_list) == ["Lobby 1"]
    door_list.search.clear()
    assert door_list.proxy.rowCount() == 3
    door_list.building.setCurrentIndex(0)


def test_the_building_filter_shows_one_building(door_list: DoorList) -> None:
    combo = door_list.building
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "All buildings",
        "Carroll Gardens Lofts",
        "The Kinzie",
    ]
    combo.setCurrentIndex(2)
    shown = door_list.proxy
    assert {str(shown.index(r, COL_BUILDING).data()) for r in range(shown.rowCount())} == {
        "The Kinzie"
    }
    combo.setCurrentIndex(0)
    assert door_list.proxy.rowCount() == 6


def test_pinned_doors_stay_on_top_whichever_way_the_list_is_sorted(
    door_list: DoorList, store: Store
) -> None:
    pinned: list[object] = []
    door_list.pins_changed.connect(pinned.append)
    door_list.set_pinned(20002, True)
    assert pinned == [frozenset({20002})]
    view = door_list.view
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        for column in (COL_NAME, COL_BUILDING, COL_STATE, COL_LAST_EVENT):
            view.sortByColumn(column, order)
            assert names(door_list)[0] == "Package Room 2", (column, order)
            assert door_list.door_id_at(0) == 20002
    view.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
    assert names(door_list)[1:] == sorted(names(door_list)[1:], key=str.casefold)


def test_clicking_a_rows_release_button_releases_that_door(
    qtbot: QtBot, door_list: DoorList, releases: Releases
) -> None:
    target = door_list.door_id_at(4)
    QTest.mouseClick(
        door_list.view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        button_point(door_list, 4),
    )
    qtbot.waitUntil(lambda: releases.door_ids == [target], timeout=2000)


def test_a_press_whose_row_moved_away_before_the_release_opens_nothing(
    qtbot: QtBot, door_list: DoorList, releases: Releases
) -> None:
    viewport = door_list.view.viewport()
    point = button_point(door_list, 0)
    pressed = door_list.door_id_at(0)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    # Another door pinned to the top while the button is held: the order is held still…
    door_list.set_pinned(door_list.door_id_at(5) or 0, True)
    door_list.model.flush_now()
    assert door_list.door_id_at(0) == pressed
    # …and if the rows move all the same (an explicit re-sort), the release opens nothing.
    door_list.model.hold_order(False)
    assert door_list.door_id_at(0) != pressed
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    QTest.qWait(0)
    assert releases.door_ids == []


def press_resort_release(qtbot: QtBot, door_list: DoorList, *, resort: bool) -> int | None:
    """Press the top row's Release button, optionally re-sort another door under the
    pointer, and release there while the view hands the release to the row's delegate
    without its own press-index check (it does so while an editor is open in it: Qt's
    EditingState). Returns the door that was under the pointer at the press."""
    view = door_list.view
    viewport = view.viewport()
    point = button_point(door_list, 0)
    pressed = door_list.door_id_at(0)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    if resort:
        door_list.set_pinned(door_list.door_id_at(5) or 0, True)
        door_list.model.flush_now()
        # Held still while the button is down; re-sorted here regardless.
        door_list.model.hold_order(False)
        assert door_list.door_id_at(0) != pressed
    view.setState(QAbstractItemView.State.EditingState)
    try:
        QTest.mouseRelease(
            viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point
        )
    finally:
        view.setState(QAbstractItemView.State.NoState)
    return pressed


def test_the_release_button_itself_refuses_a_row_that_moved_under_the_pointer(
    qtbot: QtBot, door_list: DoorList, releases: Releases
) -> None:
    """The test above is held by Qt's own check (the view drops a release away from the
    pressed index); this one reaches the door list's check: the door released must be the
    door under the pointer at both the press and the release, or none is."""
    # The same gesture without a re-sort reaches the button and releases the door.
    pressed = press_resort_release(qtbot, door_list, resort=False)
    qtbot.waitUntil(lambda: releases.door_ids == [pressed], timeout=2000)
    releases.door_ids.clear()

    press_resort_release(qtbot, door_list, resort=True)
    # A later click's release arrives after any release that gesture would have started.
    later = door_list.door_id_at(3)
    QTest.mouseClick(
        door_list.view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        button_point(door_list, 3),
    )
    qtbot.waitUntil(lambda: len(releases.door_ids) > 0, timeout=2000)
    assert releases.door_ids == [later]


def test_enter_and_space_release_the_selected_door_and_arrows_move(
    qtbot: QtBot, door_list: DoorList, releases: Releases
) -> None:
    view = door_list.view
    view.setFocus()
    view.setCurrentIndex(door_list.proxy.index(0, COL_NAME))
    QTest.keyClick(view, Qt.Key.Key_Down)
    QTest.keyClick(view, Qt.Key.Key_Down)
    QTest.keyClick(view, Qt.Key.Key_Return)
    QTest.keyClick(view, Qt.Key.Key_Up)
    QTest.keyClick(view, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: len(releases.door_ids) == 2, timeout=2000)
    assert releases.door_ids == [door_list.door_id_at(2), door_list.door_id_at(1)]


def test_function_keys_release_the_doors_they_are_bound_to(
    qtbot: QtBot, door_list: DoorList, releases: Releases
) -> None:
    # Bound once by name (then id): F1 Lobby 1 of building 10, F3 Main Entrance 0 of 10.
    assert door_list.hotkeys[1] == 10001 and door_list.hotkeys[3] == 10000
    door_list.set_pinned(20001, True)
    door_list.view.sortByColumn(COL_LAST_EVENT, Qt.SortOrder.DescendingOrder)
    door_list.activateWindow()
    door_list.view.setFocus()
    qtbot.waitUntil(door_list.isActiveWindow, timeout=2000)
    QTest.keyClick(door_list.view, Qt.Key.Key_F1)
    QTest.keyClick(door_list.view, Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: len(releases.door_ids) == 2, timeout=2000)
    assert releases.door_ids == [10001, 10000]


def test_the_state_column_shows_sending_released_failed_and_the_notice(
    door_list: DoorList, store: Store
) -> None:
    clock = FakeClock()
    door_list.model._clock = clock
    store.set_release_status(
        {
            10000: ReleaseStatus("sending"),
            10001: ReleaseStatus("released", released_until=clock.monotonic() + 4.2),
            10002: ReleaseStatus("failed", failure="HTTP 404 on door release — ask ButterflyMX."),
            20000: ReleaseStatus(
                "released",
                released_until=clock.monotonic() + 1,
                notice="Already sent — ignored a second press within 3 s",
            ),
        }
    )
    door_list.model.flush_now()

    def state(door_id: int) -> str:
        row = door_list.proxy_row_of(door_id)
        assert row is not None
        return str(door_list.proxy.index(row, COL_STATE).data())

    assert state(10000) == "Sending…"
    assert state(10001) == "Released · 5 s"
    assert state(10002) == "Failed — HTTP 404 on door release — ask ButterflyMX."
    assert state(20000) == "Released · 1 s — Already sent — ignored a second press within 3 s"
    assert state(20001) == "Ready"
    row = door_list.proxy_row_of(10002)
    assert row is not None
    tooltip = door_list.proxy.index(row, COL_STATE).data(Qt.ItemDataRole.ToolTipRole)
    assert "HTTP 404 on door release" in tooltip


def test_last_event_is_shown_in_the_buildings_time_zone(door_list: DoorList, store: Store) -> None:
    store.add_events(
        [
            AccessEvent(
                id=1,
                logged_at=datetime(2026, 11, 21, 13, 2, tzinfo=UTC),
                building_id=20,
                door_id=20000,
                release_status="Unlocked",
                release_type="Visitor",
                actor="Zoe Quinn",
            )
        ]
    )
    door_list.model.flush_now()
    row = door_list.proxy_row_of(20000)
    assert row is not None
    text = str(door_list.proxy.index(row, COL_LAST_EVENT).data())
    assert text == "Unlocked (Visitor) · 13:02 · 07:02 CST · Zoe Quinn"


def test_local_time_text_is_the_desk_clock_with_the_building_clock_and_the_day() -> None:
    moment = datetime(2026, 11, 21, 2, 41, tzinfo=UTC)
    now = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)
    # The desk (UTC in tests) reads its own clock; each building's is added where it differs.
    assert local_time_text(moment, "America/New_York", now) == "02:41 · 21:41 EST"
    assert local_time_text(now, "America/Los_Angeles", now) == "14:00 · 06:00 PST"
    assert local_time_text(now, "Not/AZone", now) == "14:00"
    assert local_time_text(moment, None, now + timedelta(days=1)) == "Nov 21 02:41"


def test_a_stale_list_is_greyed_and_says_since_when(door_list: DoorList) -> None:
    since = datetime(2026, 11, 21, 14, 2, tzinfo=UTC)
    door_list.set_stale(since)
    assert door_list.view.stale
    assert door_list.stale_label.isVisible()
    assert f"stale since {since.astimezone().strftime('%H:%M')}" in door_list.stale_text
    door_list.set_stale(None)
    assert not door_list.view.stale
    assert door_list.stale_text == ""


def test_two_thousand_doors_load_sort_and_update_without_rebuilding(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, releases: Releases
) -> None:
    store = Store()
    started = time.perf_counter()
    doors = roster(store, count_per_building=1000)
    widget = DoorList(store, release=releases, clock=FakeClock())
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    qtbot.waitExposed(widget)
    widget.view.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
    loaded = time.perf_counter() - started
    assert widget.proxy.rowCount() == 2000
    assert loaded < 5.0, f"2,000 doors took {loaded:.2f} s to load and sort"

    changes: list[tuple[int, int]] = []
    # How many runs had been announced when the window's own next event came through.
    window_turn: list[int] = []

    def changed(first: QModelIndex, last: QModelIndex, _roles: object) -> None:
        if not changes:
            QTimer.singleShot(0, lambda: window_turn.append(len(changes)))
        changes.append((first.row(), last.row()))

    widget.model.dataChanged.connect(changed)
    resets: list[int] = []
    widget.model.modelReset.connect(lambda: resets.append(1))
    # A poll's worth of events, one for every door: a few runs of rows, one a loop turn, so
    # that a click or a keystroke is never held behind all 2,000 (40 ms at 20,000 doors).
    moment = datetime(2026, 11, 21, 13, 2, tzinfo=UTC)
    store.add_events(
        AccessEvent(id=n, logged_at=moment, building_id=door.building_id, door_id=door.id)
        for n, door in enumerate(doors, 1)
    )
    runs = 2000 // FLUSH_ROWS
    qtbot.waitUntil(lambda: len(changes) == runs, timeout=2000)
    assert resets == []
    assert changes == [(n, n + FLUSH_ROWS - 1) for n in range(0, 2000, FLUSH_ROWS)]
    assert window_turn and window_turn[0] < runs
    # Release outcomes are not held back: each door's row is told at once, none rebuilt.
    changes.clear()
    for door in doors:
        store.set_release_status({door.id: ReleaseStatus("released", released_until=2000.0)})
    assert resets == []
    assert sorted(first for first, _last in changes) == list(range(2000))
    assert widget.proxy.rowCount() == 2000


def test_keys_stay_with_their_doors_when_the_roster_comes_back_in_another_order(
    door_list: DoorList, store: Store
) -> None:
    bound: list[object] = []
    door_list.hotkeys_changed.connect(bound.append)
    first = door_list.hotkeys
    assert first[1] == 10001 and len(first) == 6
    doors = list(reversed(roster(Store())))
    store.set_roster([CHICAGO, NEW_YORK], doors, [])
    door_list.view.sortByColumn(COL_NAME, Qt.SortOrder.DescendingOrder)
    assert door_list.hotkeys == first
    assert bound == [], "nothing re-bound"
    # Moving a key takes it from the door that had it, and the door keeps only one key.
    door_list.bind_hotkey(20002, 1)
    assert door_list.hotkeys[1] == 20002
    assert 10001 not in door_list.hotkeys.values()
    assert list(door_list.hotkeys.values()).count(20002) == 1
    assert bound == [door_list.hotkeys]
    door_list.bind_hotkey(20002, None)
    assert 20002 not in door_list.hotkeys.values()


def test_a_release_outcome_reaches_its_row_without_waiting_for_the_coalescing(
    door_list: DoorList, store: Store
) -> None:
    # No event loop runs between the store's change and the check: the model's coalescing
    # timer cannot have fired, so only a row told at once passes.
    door_list.view.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
    proxy_row = door_list.proxy_row_of(20002)
    assert proxy_row is not None
    repainted: list[tuple[int, int, int, int]] = []
    door_list.proxy.dataChanged.connect(
        lambda a, b, _roles: repainted.append((a.row(), b.row(), a.column(), b.column()))
    )
    store.set_release_status({20002: ReleaseStatus("released", released_until=1005.0)})
    assert any(
        first <= proxy_row <= last and first_col <= COL_STATE <= last_col
        for first, last, first_col, last_col in repainted
    )
    assert str(door_list.proxy.index(proxy_row, COL_STATE).data()).startswith("Released")


def test_twenty_thousand_doors_sort_without_a_python_comparison_per_pair(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    releases: Releases,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A Python lessThan called back by Qt for every pair it compares froze the window for
    # seconds at this size; counted here, it must never be asked.
    compared: list[int] = []

    def less_than(proxy: DoorFilterProxy, left: object, right: object) -> bool:
        compared.append(1)
        return bool(QSortFilterProxyModel.lessThan(proxy, left, right))

    monkeypatch.setattr(DoorFilterProxy, "lessThan", less_than, raising=False)
    store = Store()
    doors = roster(store, count_per_building=10_000)
    store.set_pinned(doors[-1].id, True)
    widget = DoorList(store, release=releases, clock=FakeClock())
    qtbot.addWidget(widget)
    for column, order in (
        (COL_NAME, Qt.SortOrder.DescendingOrder),
        (COL_BUILDING, Qt.SortOrder.AscendingOrder),
        (COL_STATE, Qt.SortOrder.AscendingOrder),
    ):
        widget.view.sortByColumn(column, order)
        assert widget.proxy.rowCount() == 20_000
    widget.view.sortByColumn(COL_NAME, Qt.SortOrder.DescendingOrder)
    shown = [widget.door_id_at(row) for row in range(20_000)]
    by_name = sorted(doors[:-1], key=lambda d: (d.name.casefold(), d.id), reverse=True)
    assert shown == [doors[-1].id] + [d.id for d in by_name]
    assert compared == []


def test_release_buttons_stay_put_when_a_search_empties_the_scrollbar_or_doors_arrive(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, releases: Releases
) -> None:
    """A search that narrows 60 doors to one used to take the scroll bar away, widen the
    list and move every Release button sideways under the pointer; the first roster moved
    them the other way (and painted the list twice)."""
    store = Store()
    widget = DoorList(store, release=releases, clock=FakeClock())
    qtbot.addWidget(widget)
    widget.resize(1300, 500)
    widget.show()
    qtbot.waitExposed(widget)
    width = widget.view.viewport().width()
    roster(store, count_per_building=30)
    qtbot.waitUntil(lambda: widget.proxy.rowCount() == 60)
    assert widget.view.viewport().width() == width
    lobby = next(r for r in range(60) if names(widget)[r] == "Lobby 1")
    before = widget.view.mapToGlobal(button_point(widget, lobby))
    widget.search.setText("10001")
    qtbot.waitUntil(lambda: widget.proxy.rowCount() == 1)
    assert widget.view.viewport().width() == width
    assert widget.view.mapToGlobal(button_point(widget, 0)).x() == before.x()
