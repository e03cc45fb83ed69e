"""A banner that commands attention: the call's own strong colour in both themes, the
resident by name and unit label with the building named, the ringing count in the window
title with the taskbar alert, the snapshot large on a click, and keys that release and
acknowledge."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QMainWindow, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from bmx_console.ui.call_attention import WindowAttention
from bmx_console.ui.call_banner import CallBanner
from bmx_console.ui.theme import dark_palette, light_palette, state_colors
from tests.gui.sim_desk import WithDirectory, open_sim_desk
from tests.gui.test_calls_banner import (
    CARROLL,
    CARROLL_LOBBY,
    CARROLL_MAIN,
    CARROLL_MAIN_PANEL,
    KINZIE_MAIN_PANEL,
    SimDesk,
    make_banner,
    ring,
)

WAIT_MS = 5_000


class DirectoryDesk(WithDirectory, SimDesk):
    pass


@pytest.fixture
def desk(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> Iterator[DirectoryDesk]:
    yield from open_sim_desk(qtbot, DirectoryDesk)


@pytest.fixture
def palette() -> Iterator[None]:
    before = QApplication.palette()
    yield
    QApplication.setPalette(before)


def resident(desk: DirectoryDesk, building: int = CARROLL) -> dict:
    front = desk.cloud.front_desk_tenant_id(building)
    return next(t for t in desk.cloud.tenants if t["building_id"] == building and t["id"] != front)


def ring_resident(qtbot: QtBot, desk: DirectoryDesk, panel: int = CARROLL_MAIN_PANEL) -> dict:
    tenant = resident(desk, desk.cloud.panel(panel)["building_id"])
    ring(
        qtbot,
        desk,
        device=panel,
        recipient={"id": tenant["id"], "type": "Tenant"},
        unit={"id": tenant["unit"]["id"]},
    )
    return tenant


def strong_share(banner: CallBanner) -> float:
    """How much of the banner is painted in a strongly saturated colour."""
    image = banner.grab().toImage()
    strong = total = 0
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            color = image.pixelColor(x, y)
            total += 1
            strong += color.hsvSaturation() > 150 and color.value() > 120
    return strong / total


def test_a_ringing_call_names_the_resident_their_unit_and_the_building(
    qtbot: QtBot, desk: DirectoryDesk
) -> None:
    banner = make_banner(qtbot, desk)
    tenant = ring_resident(qtbot, desk)
    details = banner.details_label.text()
    name = f"{tenant['first_name']} {tenant['last_name']}"
    assert details.startswith(f"For {name} · {tenant['unit']['label']}  ·  ")
    assert str(tenant["unit"]["id"]) not in details
    assert desk.cloud.building(CARROLL)["name"] in details


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_banner_is_filled_with_a_strong_colour_of_its_own(
    qtbot: QtBot, desk: DirectoryDesk, palette: None, theme: str
) -> None:
    QApplication.setPalette(light_palette() if theme == "light" else dark_palette())
    banner = make_banner(qtbot, desk)
    banner.show()
    qtbot.waitExposed(banner)
    ring_resident(qtbot, desk)
    accent = banner.accent()
    window = QApplication.palette().color(QPalette.ColorRole.Window)
    assert accent.hsvSaturation() > 200
    assert abs(accent.lightness() - window.lightness()) > 60
    colors = state_colors()
    assert accent.name() not in {colors.info.name(), colors.warning.name(), colors.danger.name()}
    assert strong_share(banner) > 0.5


def test_the_title_counts_ringing_calls_and_the_taskbar_is_alerted(
    qtbot: QtBot, desk: DirectoryDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    alerts: list[object] = []
    monkeypatch.setattr(QApplication, "alert", staticmethod(lambda w, ms=0: alerts.append(w)))
    main = QMainWindow()
    qtbot.addWidget(main)
    main.setWindowTitle("bmx-console — Security desk")
    banner = make_banner(qtbot, desk)
    banner.ringing_changed.connect(WindowAttention(main).ringing)

    ring_resident(qtbot, desk)
    assert main.windowTitle() == "(1 ringing) bmx-console — Security desk"
    ring_resident(qtbot, desk, KINZIE_MAIN_PANEL)
    assert main.windowTitle() == "(2 ringing) bmx-console — Security desk"
    assert alerts == [main, main]
    banner.acknowledge()
    banner.acknowledge()
    assert main.windowTitle() == "bmx-console — Security desk"
    assert len(alerts) == 2


def test_a_click_on_the_snapshot_opens_it_large(qtbot: QtBot, desk: DirectoryDesk) -> None:
    banner = make_banner(qtbot, desk)
    banner.show()
    ring_resident(qtbot, desk)
    qtbot.mouseClick(banner.snapshot, Qt.MouseButton.LeftButton)
    large = banner.large_snapshot
    assert large is not None and large.isVisible()
    view = large.findChild(type(banner.snapshot), "largeSnapshot")
    assert view is not None
    qtbot.waitUntil(lambda: view.state == "loaded", timeout=WAIT_MS)
    assert view.width() >= 960 and view.height() >= 540
    large.close()


def in_active_window(qtbot: QtBot, banner: CallBanner) -> QWidget:
    """The banner in a window of the desk's kind that is the active one: shortcuts belong to
    the active window (under a real X server, activation is not implied)."""
    host = QWidget()
    qtbot.addWidget(host)
    QVBoxLayout(host).addWidget(banner)
    host.resize(1100, 200)
    host.show()
    host.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is host, timeout=WAIT_MS)
    return host


def test_the_keys_release_the_only_door_or_the_numbered_one_and_acknowledge(
    qtbot: QtBot, desk: DirectoryDesk
) -> None:
    banner = make_banner(qtbot, desk)
    station = next(
        p["id"]
        for p in desk.cloud.panels
        if p["building_id"] == CARROLL and p["type"] == "front_desk_station"
    )
    host = in_active_window(qtbot, banner)
    ring_resident(qtbot, desk, station)  # the front desk station opens the Lobby only
    assert list(banner.release_buttons) == [CARROLL_LOBBY]
    assert banner.release_buttons[CARROLL_LOBBY].text() == "Release Lobby  (Ctrl+Return)"

    qtbot.keyClick(host, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: banner.feedback()[0] == "released", timeout=WAIT_MS)
    released = [r["request"]["door_release_request"] for r in desk.cloud.releases]
    assert [r["access_point_id"] for r in released] == [CARROLL_LOBBY]
    qtbot.keyClick(host, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert banner.isHidden()

    desk.clock.advance(10)  # past the repeat guard for the Lobby
    ring_resident(qtbot, desk)  # Main Entrance and Lobby
    texts = [b.text() for b in banner.release_buttons.values()]  # in the order shown
    assert sorted(texts) == sorted(
        [f"Release Main Entrance  (Ctrl+{texts.index(t) + 1})" for t in texts if "Main" in t]
        + [f"Release Lobby  (Ctrl+{texts.index(t) + 1})" for t in texts if "Lobby" in t]
    )
    lobby_key = getattr(Qt.Key, f"Key_{list(banner.release_buttons).index(CARROLL_LOBBY) + 1}")
    qtbot.keyClick(host, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(desk.cloud.releases) == 1  # two doors: which one is not guessed
    qtbot.keyClick(host, lobby_key, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(desk.cloud.releases) == 2, timeout=WAIT_MS)
    assert desk.cloud.releases[-1]["request"]["door_release_request"]["access_point_id"] == (
        CARROLL_LOBBY
    )
    assert CARROLL_MAIN in banner.release_buttons
    banner.setParent(None)  # the banner is closed with the test's other widgets
