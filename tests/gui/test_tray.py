"""The tray icon and desktop notifications of the real desk against the simulator: the
tooltip follows the connection state, and notifications are requested for a call and for a
lost and restored connection when switched on, and not when off."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget
from pytestqt.qtbot import QtBot

from bmx_console.api.models import Call
from bmx_console.clock import FakeClock
from bmx_console.config import Settings
from bmx_console.core.store import Store
from bmx_console.desk import Desk
from bmx_console.sim.cloud import Cloud
from bmx_console.ui import tray as tray_module
from bmx_console.ui.tray import DeskTray
from tests.gui.desk_support import OpenDesk, Recorder, window

WAIT_MS = 8_000


@dataclass
class Messages:
    """Stands in for ``QSystemTrayIcon.showMessage``: what the desk asked the desktop to show."""

    shown: list[tuple[str, str]] = field(default_factory=list)

    def __call__(self, title: str, message: str, *_: Any) -> None:
        self.shown.append((title, message))

    def titles(self) -> list[str]:
        return [title for title, _ in self.shown]


@pytest.fixture
def desk(open_desk: OpenDesk, saved: list[Settings]) -> Desk:
    return open_desk(
        # Every poller comes round within a fraction of a second, back-off included.
        sleep=Recorder(cap=0.1),
        save_settings=saved.append,
        ready=lambda desk: desk.store.door_count() > 0 and desk.store.call_count() > 0,
        timeout=WAIT_MS,
    )


def tray_of(desk: Desk) -> DeskTray:
    assert desk.tray is not None
    return desk.tray


@pytest.fixture
def messages(desk: Desk) -> Messages:
    """The desk's tray, as on a desktop that has one, with showMessage spied on."""
    spy = Messages()
    tray = tray_of(desk)
    tray.available = True
    tray.icon.showMessage = spy  # type: ignore[method-assign, assignment]
    return spy


def test_the_tooltip_follows_the_connection_state(qtbot: QtBot, desk: Desk, cloud: Cloud) -> None:
    tray = tray_of(desk)
    qtbot.waitUntil(lambda: tray.tooltip == "bmx-console — Connected", timeout=WAIT_MS)
    connected_icon = tray.icon.icon().pixmap(32, 32).toImage()

    cloud.faults.add("/v4/buildings/*/access_logs", status=500)
    qtbot.waitUntil(lambda: tray.tooltip.startswith("bmx-console — Degraded"), timeout=WAIT_MS)
    assert "problem on its side" in tray.tooltip

    cloud.faults.clear()
    cloud.faults.add("*", drop=True)
    qtbot.waitUntil(lambda: tray.tooltip.startswith("bmx-console — Disconnected"), timeout=WAIT_MS)
    assert "dropped" in tray.tooltip
    assert tray.icon.icon().pixmap(32, 32).toImage() != connected_icon

    cloud.faults.clear()
    qtbot.waitUntil(lambda: tray.tooltip == "bmx-console — Connected", timeout=WAIT_MS)
    assert tray.icon.icon().pixmap(32, 32).toImage() == connected_icon


def test_a_new_call_is_notified_but_history_is_not(
    qtbot: QtBot, desk: Desk, cloud: Cloud, clock: FakeClock, messages: Messages
) -> None:
    assert desk.store.call_count() > 0
    assert messages.shown == []
    panel = cloud.panels[0]

    clock.advance(5)
    cloud.add_call(device=panel["id"])

    qtbot.waitUntil(lambda: bool(messages.shown), timeout=WAIT_MS)
    title, detail = messages.shown[0]
    assert title == f"Call from {panel['name']}"
    assert detail
    assert len(messages.shown) == 1


def test_a_panel_named_like_html_is_notified_as_text(
    qtbot: QtBot, desk: Desk, cloud: Cloud, clock: FakeClock, messages: Messages
) -> None:
    """Most Linux notification servers render body markup: a name must not become a link."""
    panel = cloud.panels[0]
    panel_record = next(p for p in cloud._panels if p["id"] == panel["id"])
    panel_record["name"] = '<a href="https://evil.example/">Lobby</a> & Co'
    clock.advance(5)
    cloud.add_call(device=panel["id"])
    qtbot.waitUntil(lambda: bool(messages.shown), timeout=WAIT_MS)
    title, detail = messages.shown[0]
    for text in (title, detail):
        assert "<" not in text and ">" not in text and "&" not in text
    assert "Lobby" in title


def test_calls_older_than_two_minutes_are_history_not_a_notification(
    qtbot: QtBot, qapp: QApplication
) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    clock = FakeClock()
    store = Store()
    tray = DeskTray(store, window, clock=clock, available=True)
    spy = Messages()
    tray.icon.showMessage = spy  # type: ignore[method-assign, assignment]
    now = clock.now()

    store.add_calls(
        [
            Call(id=1, logged_at=now - timedelta(minutes=30), panel_name="Lobby Panel"),
            Call(id=2, logged_at=now - timedelta(minutes=3), panel_name="Garage Panel"),
        ]
    )
    assert spy.shown == []
    store.add_calls(
        [
            Call(id=3, logged_at=now - timedelta(seconds=20), panel_name="Lobby Panel"),
            Call(id=4, logged_at=now, panel_name="Garage Panel", recipient_type="Attendant"),
        ]
    )

    assert spy.shown == [("2 calls", "From Garage Panel, Lobby Panel.")]
    tray.hide_icon()


def test_no_call_notification_when_switched_off_in_the_view_menu(
    qtbot: QtBot,
    desk: Desk,
    cloud: Cloud,
    clock: FakeClock,
    messages: Messages,
    saved: list[Settings],
) -> None:
    tray = tray_of(desk)
    view = window(desk).menu("view")
    assert tray.calls_action in view.actions()
    assert tray.connection_action in view.actions()

    tray.calls_action.trigger()

    assert not tray.notify_calls
    assert saved[-1].notify_calls is False and saved[-1].notify_connection is True
    clock.advance(5)
    call = cloud.add_call(device=cloud.panels[0]["id"])
    qtbot.waitUntil(lambda: desk.store.calls_newest_first(1)[0].id == call["id"], timeout=WAIT_MS)
    assert messages.shown == []


def test_connection_loss_and_recovery_are_notified_once_each(
    qtbot: QtBot, desk: Desk, cloud: Cloud, messages: Messages
) -> None:
    qtbot.waitUntil(lambda: desk.store.connection == "connected", timeout=WAIT_MS)

    cloud.faults.add("*", drop=True)
    qtbot.waitUntil(lambda: bool(messages.shown), timeout=WAIT_MS)
    assert messages.titles() == ["Connection to ButterflyMX lost"]
    assert "dropped" in messages.shown[0][1]

    cloud.faults.clear()
    qtbot.waitUntil(lambda: len(messages.shown) == 2, timeout=WAIT_MS)
    assert messages.titles() == [
        "Connection to ButterflyMX lost",
        "Connection to ButterflyMX restored",
    ]


def test_no_connection_notification_when_switched_off(
    qtbot: QtBot, desk: Desk, cloud: Cloud, messages: Messages, saved: list[Settings]
) -> None:
    tray = tray_of(desk)
    tray.connection_action.trigger()
    assert saved[-1].notify_connection is False

    cloud.faults.add("*", drop=True)
    qtbot.waitUntil(lambda: desk.store.connection == "disconnected", timeout=WAIT_MS)
    cloud.faults.clear()
    qtbot.waitUntil(lambda: desk.store.connection == "connected", timeout=WAIT_MS)

    assert messages.shown == []


def test_without_a_tray_the_window_asks_for_attention_instead(
    qtbot: QtBot, qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    alerts: list[object] = []
    monkeypatch.setattr(
        tray_module.QApplication, "alert", staticmethod(lambda w, *_: alerts.append(w))
    )
    spy = Messages()
    tray = DeskTray(Store(), window, clock=FakeClock(), available=False)
    tray.icon.showMessage = spy  # type: ignore[method-assign, assignment]

    tray.notify("Call from Lobby Panel", "For the front desk")

    assert spy.shown == []
    assert alerts == [window]
    assert not tray.icon.isVisible()


def test_the_tray_menu_offers_show_window_and_quit(qtbot: QtBot, qapp: QApplication) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    tray = DeskTray(Store(), window, clock=FakeClock(), available=False)

    labels = [a.text() for a in tray.menu.actions() if not a.isSeparator()]

    assert labels == ["Show window", "Quit"]
    window.show()
    tray.quit_action.trigger()
    assert not window.isVisible()
    assert isinstance(tray.icon, QSystemTrayIcon)
