"""Events that read like sentences: a resident's access tool is "PIN" or "Fob", a pass is
named, and a unit is its label, from the directory read with the roster."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from bmx_console.sim.access_tools import FOB_OFFSET, PIN_OFFSET
from bmx_console.ui.event_details import EventDetailsDialog
from bmx_console.ui.event_model import COL_METHOD, COL_WHO
from tests.gui.desk_support import run
from tests.gui.sim_desk import WithDirectory, open_sim_desk
from tests.gui.test_events_pane import CARROLL, SimDesk, add_sim_event, cell, make_pane


class DirectoryDesk(WithDirectory, SimDesk):
    pass


@pytest.fixture
def desk(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> Iterator[DirectoryDesk]:
    yield from open_sim_desk(qtbot, DirectoryDesk)


def _resident(desk: DirectoryDesk, with_fob: bool = True) -> dict:
    front = desk.cloud.front_desk_tenant_id(CARROLL)
    return next(
        t
        for t in desk.cloud.tenants
        if t["building_id"] == CARROLL and t["id"] != front and bool(t["id"] % 3) == with_fob
    )


def test_access_tools_read_as_pin_and_fob_and_units_as_labels(
    qtbot: QtBot, desk: DirectoryDesk
) -> None:
    pane = make_pane(qtbot, desk)
    tenant = _resident(desk)
    for tool in (tenant["id"] + PIN_OFFSET, tenant["id"] + FOB_OFFSET):
        add_sim_event(
            desk,
            building_id=CARROLL,
            entry_method={"access_tool": tool},
            tenant_id=tenant["id"],
            unit=tenant["unit"]["id"],
        )
    run(qtbot, desk.sync())
    pane.model.flush()

    assert [cell(pane, 0, COL_METHOD), cell(pane, 1, COL_METHOD)] == ["Fob", "PIN"]
    assert pane.model.search_text(pane.model.event_at(1)).count("pin") >= 1

    dialog = EventDetailsDialog(
        pane.model.event_at(1), desk.store, fetch_image=desk.client.fetch_image
    )
    qtbot.addWidget(dialog)
    assert dialog.field_labels["Method"].text() == "PIN"
    assert dialog.field_labels["Unit"].text() == tenant["unit"]["label"]
    assert cell(pane, 1, COL_WHO)  # the actor is still named


def test_a_pass_of_the_desk_is_named(qtbot: QtBot, desk: DirectoryDesk) -> None:
    pane = make_pane(qtbot, desk)
    keychain = next(k for k in desk.cloud.keychains if k["building_id"] == CARROLL)
    add_sim_event(desk, building_id=CARROLL, entry_method={"keychain": keychain["id"]})
    run(qtbot, desk.sync())
    pane.model.flush()
    assert cell(pane, 0, COL_METHOD) == f"Pass: {keychain['name']}"
