"""The operator at shift start: the name the desk is asked for goes into every audit entry,
and File → Change operator… hands the desk over mid-shift."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from bmx_console.clock import FakeClock
from bmx_console.config import Settings
from bmx_console.core.audit import AuditLog
from bmx_console.core.release import default_operator
from bmx_console.desk import Desk
from bmx_console.secrets import SecretStore
from bmx_console.sim.cloud import Cloud
from bmx_console.ui.shift_dialog import ShiftDialog
from tests.gui.desk_support import FAST, call_on_loop, click_release, close_desk, quiet_cloud, row
from tests.support import MemoryKeyring

WAIT_MS = 5_000

DeskFactory = Callable[..., Desk]


@pytest.fixture
def cloud() -> Cloud:
    return quiet_cloud(FakeClock())


@pytest.fixture
def start_desk(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    cloud: Cloud,
    memory_keyring: MemoryKeyring,
) -> Iterator[DeskFactory]:
    desks: list[Desk] = []

    def start(settings: Settings = FAST, **kwargs: object) -> Desk:
        desk = Desk(
            settings,
            SecretStore(),
            cloud=cloud,
            clock=cloud.clock,
            qsettings=QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat),
            audit_path=tmp_path / "audit.sqlite3",
            **kwargs,  # type: ignore[arg-type]
        )
        desks.append(desk)
        call_on_loop(qtbot, desk.start)
        qtbot.waitUntil(lambda: desk.store.door_count() > 0, timeout=WAIT_MS)
        return desk

    yield start
    for desk in desks:
        close_desk(qtbot, desk)


def shift_dialog(qtbot: QtBot, desk: Desk) -> ShiftDialog:
    prompt = desk.operator_prompt
    assert prompt is not None
    qtbot.waitUntil(
        lambda: prompt.dialog is not None and prompt.dialog.isVisible(), timeout=WAIT_MS
    )
    assert prompt.dialog is not None
    return prompt.dialog


def lobby(cloud: Cloud) -> int:
    building = cloud.buildings[0]["id"]
    return next(
        d["id"] for d in cloud.doors if d["building_id"] == building and d["name"] == "Lobby"
    )


def release_and_read_operator(qtbot: QtBot, desk: Desk, cloud: Cloud, tmp_path: Path) -> str:
    door_id = lobby(cloud)
    before = len(cloud.releases)
    click_release(qtbot, desk, door_id)
    qtbot.waitUntil(lambda: len(cloud.releases) == before + 1, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: row(desk, door_id).state == "released", timeout=WAIT_MS)
    desk.clock.advance(10)  # type: ignore[attr-defined]
    desk.releases.tick()
    with AuditLog(tmp_path / "audit.sqlite3") as log:
        return log.entries(limit=1)[0].operator


def test_the_name_given_at_shift_start_goes_into_the_audit_log(
    qtbot: QtBot, start_desk: DeskFactory, cloud: Cloud, tmp_path: Path
) -> None:
    desk = start_desk(ask_operator=True)
    dialog = shift_dialog(qtbot, desk)
    assert dialog.title.text() == "Who is on the desk?"
    assert dialog.name.text() == default_operator()

    dialog.name.setText("  Dana   Whitfield ")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert desk.operator() == "Dana Whitfield"
    assert release_and_read_operator(qtbot, desk, cloud, tmp_path) == "Dana Whitfield"


def test_closing_the_question_keeps_the_desktop_account_for_the_session(
    qtbot: QtBot, start_desk: DeskFactory
) -> None:
    desk = start_desk(ask_operator=True)
    dialog = shift_dialog(qtbot, desk)

    qtbot.keyClick(dialog.name, Qt.Key.Key_Escape)

    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert desk.operator_name == default_operator()


def test_an_empty_name_cannot_start_the_shift(qtbot: QtBot, start_desk: DeskFactory) -> None:
    desk = start_desk(ask_operator=True)
    dialog = shift_dialog(qtbot, desk)

    dialog.name.setText("   ")

    assert not dialog.start_button.isEnabled()
    assert dialog.problem.isVisible()
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert dialog.isVisible()


def test_change_operator_hands_the_desk_over_mid_shift(
    qtbot: QtBot, start_desk: DeskFactory, cloud: Cloud, tmp_path: Path
) -> None:
    desk = start_desk(operator_name="Dana Whitfield")
    assert desk.window is not None
    assert release_and_read_operator(qtbot, desk, cloud, tmp_path) == "Dana Whitfield"
    file_menu = desk.window.menu("file")
    change = next(a for a in file_menu.actions() if a.text() == "Change &operator…")
    labels = [a.text() for a in file_menu.actions() if not a.isSeparator()]
    assert labels.index("Change &operator…") < labels.index("&Quit")

    change.trigger()
    dialog = shift_dialog(qtbot, desk)
    assert dialog.name.text() == "Dana Whitfield"
    dialog.name.setText("Sam Ortiz")
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert release_and_read_operator(qtbot, desk, cloud, tmp_path) == "Sam Ortiz"
    with AuditLog(tmp_path / "audit.sqlite3") as log:
        released = [e for e in log.entries(newest_first=False) if e.outcome == "released"]
        assert [e.operator for e in released] == [
            "Dana Whitfield",
            "Sam Ortiz",
        ]


def test_a_desk_whose_settings_name_the_operator_does_not_ask(
    qtbot: QtBot, start_desk: DeskFactory, cloud: Cloud, tmp_path: Path
) -> None:
    desk = start_desk(replace(FAST, operator="Front Desk A"), ask_operator=True)

    assert desk.operator_prompt is not None and desk.operator_prompt.dialog is None
    assert release_and_read_operator(qtbot, desk, cloud, tmp_path) == "Front Desk A"
