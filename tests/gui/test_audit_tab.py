"""The Audit tab in the real desk window against the simulator: a release shows up on its
own, filters narrow it, Verify chain says intact and then tampered, and Export CSV writes the
file the operator chose."""

from __future__ import annotations

import asyncio
import csv
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from bmx_console.clock import FakeClock
from bmx_console.core.audit import AuditLog
from bmx_console.core.release import default_operator
from bmx_console.desk import Desk
from bmx_console.sim.cloud import Cloud
from bmx_console.ui.audit_tab import (
    COL_ACTION,
    COL_OPERATOR,
    COL_OUTCOME,
    COL_RELEASE,
    COL_SUBJECT,
    COL_TIME,
    PERIOD_CUSTOM,
    PERIOD_TODAY,
    AuditTab,
    local_time,
)
from bmx_console.ui.theme import ThemeManager
from tests.gui.desk_support import click_release, close_desk, make_desk, quiet_cloud, row, window
from tests.support import MemoryKeyring

WAIT_MS = 5_000


@pytest.fixture
def cloud() -> Cloud:
    return quiet_cloud(FakeClock())


@pytest.fixture
def desk(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    cloud: Cloud,
    memory_keyring: MemoryKeyring,
) -> Iterator[Desk]:
    desk = make_desk(qtbot, tmp_path, cloud=cloud, clock=cloud.clock)
    qtbot.waitUntil(lambda: desk.store.door_count() > 0, timeout=WAIT_MS)
    yield desk
    close_desk(qtbot, desk)


def audit_tab(desk: Desk) -> AuditTab:
    tab = window(desk).open_tab("Audit")
    assert isinstance(tab, AuditTab)
    return tab


def shown(tab: AuditTab) -> int:
    """Rows the test made: every desk also records the start of its shift (the oldest row)."""
    return sum(1 for e in tab.model.entries if e.action != "shift_start")


def cell(tab: AuditTab, row_number: int, column: int) -> str:
    return str(tab.model.index(row_number, column).data())


def release_door(qtbot: QtBot, desk: Desk, cloud: Cloud, name: str) -> int:
    building = cloud.buildings[0]["id"]
    door_id = next(
        d["id"] for d in cloud.doors if d["building_id"] == building and d["name"] == name
    )
    window(desk).tabs.setCurrentIndex(0)
    click_release(qtbot, desk, door_id)
    qtbot.waitUntil(lambda: row(desk, door_id).state == "released", timeout=WAIT_MS)
    return door_id


def test_a_release_from_the_desk_appears_newest_first_with_its_release_id(
    qtbot: QtBot, desk: Desk, cloud: Cloud
) -> None:
    tab = audit_tab(desk)
    assert shown(tab) == 0
    assert window(desk).tabs.tabBar().isVisible()

    lobby = release_door(qtbot, desk, cloud, "Lobby")
    tab = audit_tab(desk)
    qtbot.waitUntil(lambda: shown(tab) == 1, timeout=WAIT_MS)
    entrance = release_door(qtbot, desk, cloud, "Main Entrance")
    tab = audit_tab(desk)
    qtbot.waitUntil(lambda: shown(tab) == 2, timeout=WAIT_MS)

    answered = [r["response"] for r in cloud.releases]
    assert cell(tab, 0, COL_SUBJECT) == f"Main Entrance · door {entrance}"
    assert cell(tab, 1, COL_SUBJECT) == f"Lobby · door {lobby}"
    assert cell(tab, 0, COL_OPERATOR) == default_operator()
    assert cell(tab, 0, COL_ACTION) == "Door release"
    assert cell(tab, 0, COL_OUTCOME) == "Released"
    assert cell(tab, 0, COL_RELEASE) == f"{answered[1]['id']} · {answered[1]['guid'][:8]}…"
    entry = tab.model.entry_at(0)
    assert entry is not None and entry.release_guid == answered[1]["guid"]
    # Local time, as the desk's own clock shows it.
    assert cell(tab, 0, COL_TIME) == local_time(entry.at)
    assert tab.count_label.text() == "3 entries"  # with the start of the shift


def test_filters_by_text_action_outcome_and_dates(
    qtbot: QtBot, desk: Desk, cloud: Cloud, tmp_path: Path
) -> None:
    release_door(qtbot, desk, cloud, "Lobby")
    with AuditLog(tmp_path / "audit.sqlite3") as cli:
        cli.record(
            operator="cli-user",
            action="pass_create",
            outcome="created",
            subject="Visitor pass for Ann Lee",
        )
        cli.record_release(
            operator="cli-user",
            door_id=1,
            door_name="Bike Room",
            outcome="failed",
            error="ButterflyMX did not answer in time.",
        )
    tab = audit_tab(desk)
    qtbot.waitUntil(lambda: shown(tab) == 3, timeout=WAIT_MS)

    tab.search.setText("lobby")
    qtbot.waitUntil(lambda: shown(tab) == 1, timeout=WAIT_MS)
    assert cell(tab, 0, COL_SUBJECT).startswith("Lobby")
    tab.search.setText("did not answer")
    qtbot.waitUntil(lambda: cell(tab, 0, COL_SUBJECT).startswith("Bike Room"), timeout=WAIT_MS)
    assert shown(tab) == 1
    tab.search.clear()
    qtbot.waitUntil(lambda: shown(tab) == 3, timeout=WAIT_MS)

    tab.action.setCurrentIndex(tab.action.findData("pass_create"))
    assert [cell(tab, r, COL_ACTION) for r in range(shown(tab))] == ["Pass issued"]
    tab.action.setCurrentIndex(tab.action.findData("release"))
    assert shown(tab) == 2
    tab.outcome.setCurrentIndex(tab.outcome.findData("failed"))
    assert [cell(tab, r, COL_SUBJECT) for r in range(shown(tab))] == ["Bike Room · door 1"]
    tab.outcome.setCurrentIndex(tab.outcome.findData("released"))
    assert shown(tab) == 1
    assert cell(tab, 0, COL_SUBJECT).startswith("Lobby")
    tab.action.setCurrentIndex(0)
    tab.outcome.setCurrentIndex(0)

    tab.period.setCurrentIndex(tab.period.findData(PERIOD_TODAY))
    assert shown(tab) == 3
    tab.period.setCurrentIndex(tab.period.findData(PERIOD_CUSTOM))
    assert tab.date_from.isVisible() and tab.date_to.isVisible()
    newest = tab.model.entry_at(0)
    assert newest is not None
    day = newest.at.astimezone().date()
    before = day - timedelta(days=3)
    tab.date_from.setDate(QDate(before.year, before.month, before.day))
    yesterday = day - timedelta(days=1)
    tab.date_to.setDate(QDate(yesterday.year, yesterday.month, yesterday.day))
    assert shown(tab) == 0
    assert tab.count_label.text() == "0 entries"
    tab.date_to.setDate(QDate(day.year, day.month, day.day))
    assert shown(tab) == 3


def test_new_entries_are_inserted_on_top_keeping_the_selection(
    qtbot: QtBot, desk: Desk, cloud: Cloud
) -> None:
    release_door(qtbot, desk, cloud, "Lobby")
    tab = audit_tab(desk)
    qtbot.waitUntil(lambda: shown(tab) == 1, timeout=WAIT_MS)
    tab.view.selectRow(0)
    inserted: list[tuple[int, int]] = []
    tab.model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    resets: list[bool] = []
    tab.model.modelReset.connect(lambda: resets.append(True))

    release_door(qtbot, desk, cloud, "Gym")
    audit_tab(desk)

    qtbot.waitUntil(lambda: shown(tab) == 2, timeout=WAIT_MS)
    assert inserted == [(0, 0)] and resets == []
    selected = tab.view.selectionModel().selectedRows()
    assert [i.row() for i in selected] == [1]
    assert cell(tab, 1, COL_SUBJECT).startswith("Lobby")


def test_verify_says_intact_then_tampered_after_a_row_is_edited(
    qtbot: QtBot, desk: Desk, cloud: Cloud, tmp_path: Path
) -> None:
    release_door(qtbot, desk, cloud, "Lobby")
    release_door(qtbot, desk, cloud, "Gym")
    tab = audit_tab(desk)
    qtbot.waitUntil(lambda: shown(tab) == 2, timeout=WAIT_MS)

    qtbot.mouseClick(tab.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.result.tone == "ok", timeout=WAIT_MS)
    # Each release is two entries (sent, then released), after the start of the shift.
    assert tab.result.text == "Chain intact — all 5 entries check out."
    assert tab.verify_button.isEnabled()

    with sqlite3.connect(tmp_path / "audit.sqlite3") as db:
        db.execute("UPDATE entries SET operator = 'someone else' WHERE seq = 2")
    qtbot.mouseClick(tab.verify_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: tab.result.tone == "error", timeout=WAIT_MS)
    assert tab.result.text.startswith("Tampered with — 1 problem: ")
    assert "entry 2 was changed after it was written" in tab.result.text


def test_export_writes_the_csv_chosen_in_the_save_dialog(
    qtbot: QtBot, desk: Desk, cloud: Cloud, tmp_path: Path
) -> None:
    release_door(qtbot, desk, cloud, "Lobby")
    tab = audit_tab(desk)
    qtbot.waitUntil(lambda: shown(tab) == 1, timeout=WAIT_MS)
    target = tmp_path / "exports" / "audit-export.csv"
    target.parent.mkdir()

    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    dialog = tab.export_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    assert dialog.selectedFiles()[0].endswith(".csv")
    dialog.selectFile(str(target))
    dialog.accept()

    qtbot.waitUntil(lambda: tab.result.tone == "ok", timeout=WAIT_MS)
    with target.open(newline="", encoding="utf-8") as f:
        every = list(csv.DictReader(f))
    assert tab.result.text.startswith(f"Exported {len(every)} entries to {target}")
    rows = [r for r in every if r["action"] == "release" and r["outcome"] != "sent"]
    release = cloud.releases[0]["response"]
    assert len(rows) == 1
    assert rows[0]["door_name"] == "Lobby"
    assert rows[0]["outcome"] == "released"
    assert rows[0]["release_id"] == str(release["id"])
    assert rows[0]["release_guid"] == release["guid"]


def test_export_to_a_folder_that_cannot_be_written_says_so(
    qtbot: QtBot, desk: Desk, tmp_path: Path
) -> None:
    tab = audit_tab(desk)

    tab.export_to(str(tmp_path / "missing-folder" / "audit.csv"))

    qtbot.waitUntil(lambda: tab.result.tone == "error", timeout=WAIT_MS)
    assert "Cannot write the audit export" in tab.result.text
    assert tab.export_button.isEnabled()


def test_switching_to_the_dark_theme_restyles_the_tab(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path
) -> None:
    theme = ThemeManager(qapp)
    theme.apply("light")
    try:
        with AuditLog(tmp_path / "audit.sqlite3") as log:
            tab = AuditTab(log)
            qtbot.addWidget(tab)
            light_header = tab.view.horizontalHeader().styleSheet()

            theme.apply("dark")

            qtbot.waitUntil(
                lambda: tab.view.horizontalHeader().styleSheet() != light_header,
                timeout=WAIT_MS,
            )
            window = tab.palette().color(QPalette.ColorRole.Window).name()
            assert f"background: {window}" in tab.view.horizontalHeader().styleSheet()
    finally:
        theme.apply("light")
