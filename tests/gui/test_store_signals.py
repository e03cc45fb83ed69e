"""Store changes reach the widgets through the store's Qt bridge: a closed and deleted widget
is no longer told (and nothing fails), the others still are, and the bridge goes with its
store."""

from __future__ import annotations

import gc
import logging
import weakref

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from bmx_console.clock import FakeClock
from bmx_console.core.store import Store
from bmx_console.ui.call_banner import CallBanner
from bmx_console.ui.event_pane import EventPane
from bmx_console.ui.store_signals import store_signals
from tests.core.fakes import at, building, call, door, event


async def no_image(_url: str) -> bytes:
    return b""


async def no_release(_door_id: int) -> object:
    return None


def roster_store() -> Store:
    store = Store()
    store.set_roster([building(1, "Harbor View")], [door(1, "Lobby"), door(2, "Garage")], [])
    return store


def delete(qtbot: QtBot, widget: QWidget) -> None:
    """What closing a window with WA_DeleteOnClose does: deleted on the loop's next turn."""
    gone: list[bool] = []
    widget.destroyed.connect(lambda: gone.append(True))
    widget.deleteLater()
    qtbot.waitUntil(lambda: bool(gone))


def test_a_deleted_event_pane_is_not_told_of_new_events_and_the_others_still_are(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    store = roster_store()
    clock = FakeClock(at(0))
    kept = EventPane(store, fetch_image=no_image, clock=clock)
    gone = EventPane(store, fetch_image=no_image, clock=clock)
    qtbot.addWidget(kept)
    delete(qtbot, gone)

    with caplog.at_level(logging.ERROR):
        store.add_events([event(1, at(0), door_id=1)])
        store.set_roster([building(1, "Harbor View")], [door(1, "Front door")], [])
        kept.model.flush()

    assert kept.model.rowCount() == 1
    assert kept.model.door_text(kept.model.event_at(0)) == "Front door"
    assert kept.door_filter.count() == 2  # "All doors" and the one door left
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_deleted_call_banner_does_not_ring_and_the_others_still_do(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    store = roster_store()
    clock = FakeClock(at(0))
    # Inside a window, as on the desk (a banner without a parent shows itself as a window).
    window = QWidget()
    qtbot.addWidget(window)
    kept = CallBanner(store, fetch_image=no_image, release=no_release, clock=clock, parent=window)
    gone = CallBanner(store, fetch_image=no_image, release=no_release, clock=clock)
    delete(qtbot, gone)

    with caplog.at_level(logging.ERROR):
        store.add_calls([call(7, at(0))])
        store.add_calls([call(7, at(0), status="canceled")])

    current = kept.current_call()
    assert current is not None
    assert current.status == "canceled"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_each_store_has_one_bridge_that_goes_with_the_store(qtbot: QtBot) -> None:
    store = Store()
    bridge = store_signals(store)
    assert store_signals(store) is bridge
    assert store_signals(Store()) is not bridge
    gone = weakref.ref(bridge)
    del bridge, store
    gc.collect()
    assert gone() is None
