"""The driver commands dialog on a connection to the in-process simulator."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from bmx_console.api.models import Building, Door, Panel
from bmx_console.config import Settings
from bmx_console.connect import Connection, connect
from bmx_console.core.store import ReleaseStatus, Store
from bmx_console.probes import commands_for
from bmx_console.secrets import SecretStore
from bmx_console.sim.cloud import Cloud
from bmx_console.ui import qt_async
from bmx_console.ui.commands_dialog import CommandsDialog
from tests.support import run


@pytest.fixture
def cloud() -> Cloud:
    return Cloud()


@pytest.fixture
def conn(cloud: Cloud, qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> Iterator[Connection]:
    connection = connect(Settings(), SecretStore(), cloud=cloud)
    yield connection
    run(qtbot, connection.aclose())


def open_dialog(qtbot: QtBot, conn: Connection, store: Store | None = None) -> CommandsDialog:
    dialog = CommandsDialog(commands_for(conn, store))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def run_command(qtbot: QtBot, dialog: CommandsDialog, name: str) -> None:
    dialog.select(name)
    qtbot.mouseClick(dialog._run, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.status.tone in ("ok", "error"), timeout=5000)


def column(table: QTableView, name: str) -> list[str]:
    model = table.model()
    columns = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    index = columns.index(name)
    return [model.index(r, index, QModelIndex()).data() for r in range(model.rowCount())]


def test_get_doors_shows_the_simulators_doors(qtbot: QtBot, cloud: Cloud, conn: Connection) -> None:
    dialog = open_dialog(qtbot, conn)
    assert [dialog._list.item(r).text() for r in range(dialog._list.count())] == [
        "get_buildings",
        "get_doors",
        "get_panels",
        "get_status",
        "get_events",
        "refresh_token",
    ]

    run_command(qtbot, dialog, "get_doors")

    assert dialog.status.tone == "ok"
    assert dialog.status.text.startswith(f"get_doors: {len(cloud.doors)} rows")
    assert dialog.rows_table.isVisible()
    assert sorted(column(dialog.rows_table, "name")) == sorted(d["name"] for d in cloud.doors)
    ids = {str(d["id"]) for d in cloud.doors}
    assert set(column(dialog.rows_table, "id")) == ids


def test_rows_can_be_filtered_and_copied_as_json(
    qtbot: QtBot, cloud: Cloud, conn: Connection
) -> None:
    dialog = open_dialog(qtbot, conn)
    run_command(qtbot, dialog, "get_doors")
    door = cloud.doors[3]

    qtbot.keyClicks(dialog._filter, str(door["id"]))
    assert column(dialog.rows_table, "name") == [door["name"]]

    qtbot.mouseClick(dialog._copy, Qt.MouseButton.LeftButton)
    copied = json.loads(QGuiApplication.clipboard().text())
    assert copied == dialog.last_result
    assert {row["id"] for row in copied} == {d["id"] for d in cloud.doors}


def test_get_status_shows_fields_and_the_roster_with_release_states(
    qtbot: QtBot, cloud: Cloud, conn: Connection
) -> None:
    store = Store()
    store.set_roster(
        [Building.from_api(b) for b in cloud.buildings],
        [Door.from_api(d) for d in cloud.doors],
        [Panel.from_api(p) for p in cloud.panels],
    )
    released = cloud.doors[0]
    store.set_release_status({released["id"]: ReleaseStatus(state="released")})
    dialog = open_dialog(qtbot, conn, store)

    run_command(qtbot, dialog, "get_status")

    fields = dict(
        zip(column(dialog.record_table, "field"), column(dialog.record_table, "value"), strict=True)
    )
    assert fields["doors"] == str(len(cloud.doors))
    assert fields["connection"] == "connected"
    assert "door_roster" not in fields
    assert dialog.nested_table.isVisible()
    states = dict(
        zip(column(dialog.nested_table, "id"), column(dialog.nested_table, "state"), strict=True)
    )
    assert states.pop(str(released["id"])) == "released"
    assert set(states.values()) == {"idle"}


def test_a_failing_command_shows_its_sentence(qtbot: QtBot, cloud: Cloud, conn: Connection) -> None:
    dialog = open_dialog(qtbot, conn)
    cloud.faults.add("/v4/devices", status=403)

    run_command(qtbot, dialog, "get_panels")

    assert dialog.status.tone == "error"
    assert dialog.status.text.startswith("get_panels: ")
    assert "may not read panels (the panel-read scope)" in dialog.status.text
    assert dialog.last_result is None
    assert not dialog._copy.isEnabled()


def test_closing_cancels_a_running_command(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, cloud: Cloud, conn: Connection
) -> None:
    cloud.faults.add("/v4/access_points", latency_s=30)
    dialog = open_dialog(qtbot, conn)
    dialog.select("get_doors")
    dialog.run_selected()
    assert dialog.status.tone == "busy"
    assert not dialog._run.isEnabled()

    dialog.reject()

    qtbot.waitUntil(lambda: not qt_async.running_tasks(), timeout=3000)
    assert qloop.reported_errors == []  # type: ignore[attr-defined]
