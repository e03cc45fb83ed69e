"""Names from the cloud are data: a door named like HTML shows its name, it does not render.

A door named ``<img src="file:///…">`` used to load a picture from the local disk inside
"Release …?" and hide the door's real name; a building named ``<a href=…>`` rendered as a
link. Every label is now plain text, every tooltip escaped, whatever the widget."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton, QToolTip, QWidget
from pytestqt.qtbot import QtBot

from bmx_console.clock import FakeClock
from bmx_console.desk import Desk
from bmx_console.sim.cloud import Cloud
from bmx_console.ui.confirm import ConfirmReleaseDialog
from bmx_console.ui.plain_text import install_plain_text_guard, tooltip_markup
from tests.gui.desk_support import FAST, click_release, close_desk, make_desk
from tests.support import MemoryKeyring

PICTURE = '<img src="file:///etc/hosts">Side Door'
LINK = '<a href="https://evil.example/">Maple Court</a>'
WAIT_MS = 5_000


def rendered_labels(root: QWidget) -> list[QLabel]:
    """Labels that would render markup: not plain text, and not the console's own markup."""
    return [
        label
        for label in root.findChildren(QLabel)
        if label.textFormat() != Qt.TextFormat.PlainText
        and label.property("bmxOwnMarkup") is not True
    ]


@pytest.fixture
def hostile_cloud(clock: FakeClock) -> Cloud:
    from tests.support import quiet_cloud

    cloud = quiet_cloud(clock)
    building = cloud.buildings[0]["id"]
    door = next(d for d in cloud._doors if d["building_id"] == building)
    door["name"] = PICTURE
    next(b for b in cloud._buildings if b["id"] == building)["name"] = LINK
    return cloud


@pytest.fixture
def desk(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    hostile_cloud: Cloud,
    clock: FakeClock,
    memory_keyring: MemoryKeyring,
) -> Iterator[Desk]:
    side = next(d["id"] for d in hostile_cloud.doors if d["name"] == PICTURE)
    settings = replace(FAST, sensitive_doors=(side,))
    desk = make_desk(qtbot, tmp_path, cloud=hostile_cloud, clock=clock, settings=settings)
    qtbot.waitUntil(lambda: desk.store.door(side) is not None, timeout=WAIT_MS)
    yield desk
    close_desk(qtbot, desk)


def test_release_asks_with_the_doors_real_name_as_text(
    qtbot: QtBot, desk: Desk, hostile_cloud: Cloud
) -> None:
    side = next(d["id"] for d in hostile_cloud.doors if d["name"] == PICTURE)
    click_release(qtbot, desk, side)
    assert desk.release_gate is not None
    qtbot.waitUntil(lambda: desk.release_gate.dialog_for(side) is not None, timeout=WAIT_MS)
    dialog = desk.release_gate.dialog_for(side)
    assert isinstance(dialog, ConfirmReleaseDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)

    assert dialog.question.text() == f"Release {PICTURE} — {LINK}?"
    assert dialog.question.textFormat() == Qt.TextFormat.PlainText
    assert rendered_labels(dialog) == []
    assert desk.window is not None
    assert rendered_labels(desk.window) == []
    dialog.reject()


def test_a_message_box_shows_a_name_as_text(qtbot: QtBot, qapp: QApplication) -> None:
    install_plain_text_guard(qapp)
    box = QMessageBox(QMessageBox.Icon.Warning, "bmx-console", f"Revoke the pass “{PICTURE}”?")
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    assert rendered_labels(box) == []
    box.close()


def test_a_tooltip_shows_a_name_as_text(qtbot: QtBot, qapp: QApplication) -> None:
    install_plain_text_guard(qapp)
    button = QPushButton("Release")
    button.setToolTip(PICTURE)
    qtbot.addWidget(button)
    button.show()
    qtbot.waitExposed(button)
    event = QHelpEvent(QEvent.Type.ToolTip, QPoint(5, 5), button.mapToGlobal(QPoint(5, 5)))
    QApplication.sendEvent(button, event)
    qtbot.waitUntil(lambda: QToolTip.isVisible(), timeout=WAIT_MS)
    assert QToolTip.text() == tooltip_markup(PICTURE)
    assert "&lt;img" in QToolTip.text() and "<img" not in QToolTip.text()
    QToolTip.hideText()
