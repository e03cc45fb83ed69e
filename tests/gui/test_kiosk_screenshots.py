"""Screenshots of the real kiosk and pass windows on the simulator: a kiosk that is not set up
yet (what the public sees: only whom to ask), the demo kiosk's entrance doors, and a visitor
pass naming its building in the building's time zone.

They go to a temporary folder, or to ``$BMX_SCREENSHOTS_DIR``; the README's pictures are made
under a window manager with ``xvfb-run -a -s "-screen 0 1280x800x24" sh -c 'openbox & sleep 1;
BMX_SCREENSHOTS_DIR=docs python -m pytest tests/gui/test_kiosk_screenshots.py'``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from bmx_console.clock import FakeClock
from bmx_console.config import KioskSettings
from bmx_console.desk import Desk
from bmx_console.ui.passes_tab import PassesTab
from bmx_console.ui.theme import ThemeManager
from tests.gui.desk_support import close_desk, make_desk, window
from tests.gui.test_kiosk import Lobby, lobby, make_kiosk  # noqa: F401 (the lobby fixture)
from tests.support import MemoryKeyring, quiet_cloud

WAIT_MS = 10_000


def save(widget: QWidget, path: Path) -> None:
    QApplication.processEvents()
    assert widget.grab().save(str(path))
    image = QImage(str(path))
    assert image.width() > 400 and image.height() > 300
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 11) for y in range(0, image.height(), 7)
    }
    assert len(colours) > 8, f"{path.name} looks blank"


def test_a_kiosk_not_set_up_yet(qtbot: QtBot, lobby: Lobby, shots: Path) -> None:  # noqa: F811
    kiosk = make_kiosk(qtbot, lobby, demo=False, settings=KioskSettings())
    assert kiosk.empty.isVisible()
    assert kiosk.empty.text() == "This kiosk is not set up yet — please ask the front desk"
    save(kiosk, shots / "kiosk-not-set-up.png")


def test_the_demo_kiosk_shows_its_entrances(qtbot: QtBot, lobby: Lobby, shots: Path) -> None:  # noqa: F811
    kiosk = make_kiosk(qtbot, lobby, settings=KioskSettings())
    assert [t.name() for t in kiosk.tiles] == ["Lobby", "Main Entrance", "Package Room"]
    save(kiosk, shots / "kiosk.png")


@pytest.fixture
def desk(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    qapp: QApplication,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
) -> Iterator[Desk]:
    clock = FakeClock()
    cloud = quiet_cloud(clock)
    desk = make_desk(qtbot, tmp_path, cloud=cloud, clock=clock, theme=ThemeManager(qapp, "light"))
    yield desk
    close_desk(qtbot, desk)


def test_a_visitor_pass_naming_its_building(qtbot: QtBot, desk: Desk, shots: Path) -> None:
    tab = window(desk).open_tab("Passes")
    assert isinstance(tab, PassesTab)
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.new_pass_dialog is not None, timeout=WAIT_MS)
    form = tab.new_pass_dialog
    assert form is not None
    qtbot.keyClicks(form.name_edit, "Ana Lima")
    for index in range(form.door_list.count()):
        if form.door_list.item(index).text() in ("Lobby", "Main Entrance"):
            form.door_list.item(index).setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(form.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.pass_dialog is not None, timeout=WAIT_MS)
    dialog = tab.pass_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.building_label.isVisible() and dialog.building_label.text()
    save(dialog, shots / "pass.png")
