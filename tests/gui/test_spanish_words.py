"""The words the desk takes from outside ui/ (call statuses from core.words, the ringer's
"no sound device", the token's expiry date) are Spanish on a Spanish desk."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from bmx_console.clock import FakeClock
from bmx_console.core.store import Store
from bmx_console.ringtone import NO_DEVICE
from bmx_console.ui.door_model import DoorTableModel
from bmx_console.ui.status_bar import moment_text
from bmx_console.ui.translations import install_translations
from tests.core.fakes import at, building, door, event
from tests.gui.sim_desk import open_sim_desk
from tests.gui.test_calls_banner import KINZIE_MAIN_PANEL, SimDesk, make_banner, ring

ATTENDANT = {"id": None, "type": "Attendant"}


@pytest.fixture
def spanish(qapp: QApplication) -> Iterator[None]:
    assert install_translations(qapp, "es") == "es"
    try:
        yield
    finally:
        install_translations(qapp, "en")


@pytest.fixture
def desk(qtbot: QtBot, qloop: asyncio.AbstractEventLoop, spanish: None) -> Iterator[SimDesk]:
    yield from open_sim_desk(qtbot, SimDesk)


def test_a_connecting_call_and_no_sound_device_read_in_spanish(qtbot: QtBot, desk: SimDesk) -> None:
    banner = make_banner(qtbot, desk)
    ring(qtbot, desk, device=KINZIE_MAIN_PANEL, recipient=ATTENDANT, status="connecting_sip")
    details = banner.details_label.text()
    assert "Conectando la llamada" in details
    assert "Connecting" not in details

    banner.sound_problem.emit(NO_DEVICE)
    qtbot.waitUntil(banner.sound_note.isVisible)
    assert banner.sound_note.text().startswith("No hay ningún dispositivo de sonido")


def test_the_token_expiry_on_another_day_is_dated_in_spanish(spanish: None) -> None:
    now = datetime(2026, 12, 2, 21, 0, tzinfo=UTC)  # a Wednesday
    text = moment_text(now + timedelta(days=1, hours=2), now)
    english = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Dec", "Jan"}
    assert not english & set(text.replace(".", " ").split()), text
    assert "dic" in text, text


def test_a_doors_last_event_reads_in_spanish(spanish: None) -> None:
    """The cloud's "Unlocked (Tenant)" and its "Unknown" person, on a door row."""
    clock = FakeClock(at(120))
    store = Store()
    store.set_roster([building(1, "Harbor View")], [door(1, "Lobby")], [])
    store.add_events([event(10, at(60), door_id=1, actor="Unknown", release_type="Tenant")])
    model = DoorTableModel(store, clock=clock)
    model.flush_now()
    what, when_who = model.last_event_lines(store.doors[0])
    assert what == "Abierta (Inquilino)"
    assert when_who.endswith("Desconocido"), when_who
    assert "Unknown" not in when_who and "Unlocked" not in what
