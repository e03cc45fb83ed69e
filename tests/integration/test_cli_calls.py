"""The command line's calls and residents against the simulator over loopback: ``unlock
--call`` tells the ringing panel, ``calls`` names every status, ``tenants`` finds residents."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator

import pytest

from bmx_console import cli
from bmx_console.config import Settings, save_settings
from bmx_console.sim.cloud import DEMO_CLIENT_ID, Cloud
from bmx_console.sim.server import SimServer
from bmx_console.sim.v3 import call_guid, notifications, v3_panel_id
from tests.integration.cli_support import run_cli, sim_args
from tests.integration.test_no_secrets_on_disk import PastedCode

ATTENDANT = {"id": None, "type": "Attendant"}


@pytest.fixture
def server() -> Iterator[SimServer]:
    with SimServer(Cloud(seed=11, event_rate_per_min=0, call_rate_per_min=0)) as sim:
        yield sim


def _main_door(cloud: Cloud) -> dict:
    building = cloud.buildings[0]["id"]
    return next(d for d in cloud.doors if d["building_id"] == building and d["device_ids"])


def test_unlock_with_call_releases_and_tells_the_panel_once(
    server: SimServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    cloud = server.cloud
    door = _main_door(cloud)
    panel = door["device_ids"][0]
    tenant = cloud.front_desk_tenant_id(door["building_id"])
    save_settings(
        Settings(
            client_id=DEMO_CLIENT_ID,
            api_base=server.base_url,
            token_url=server.token_url,
            release_tenant_id=tenant,
        )
    )
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdin", PastedCode(out, cloud))
    assert cli.main(["login"], out=out) == 0  # a person's sign-in: the desk tenant's

    call = cloud.add_call(device=panel, recipient=ATTENDANT, status="initializing")
    code = cli.main(["unlock", str(door["id"]), "--call", str(call["id"])], out=out)

    assert code == 0
    assert f"told the panel of call {call['id']}" in out.getvalue()
    assert len(cloud.releases) == 1
    told = notifications(cloud)
    assert [n["path"] for n in told] == ["/v3/notifications/open_door"]
    assert told[0]["content_type"] == "application/vnd.api+json"
    attributes = told[0]["body"]["data"]["attributes"]
    assert attributes["call_guid"] == call_guid(call["id"])
    assert attributes["source_id"] == v3_panel_id(panel)
    status = next(c["status"] for c in cloud.calls(door["building_id"]) if c["id"] == call["id"])
    assert status == "opened_door"


def test_unlock_with_call_on_client_credentials_says_the_panel_keeps_ringing(
    server: SimServer,
) -> None:
    cloud = server.cloud
    door = _main_door(cloud)
    call = cloud.add_call(device=door["device_ids"][0], recipient=ATTENDANT)
    tenant = cloud.front_desk_tenant_id(door["building_id"])
    result = run_cli(
        [*sim_args(server, tenant=tenant), "unlock", str(door["id"]), "--call", str(call["id"])]
    )
    assert result.code == 0, result.err
    assert "keeps ringing until it times out" in result.err
    assert len(cloud.releases) == 1
    assert notifications(cloud) == []


ALL_STATUSES = {
    None: "Status not given",
    "initializing": "Ringing",
    "canceled": "Caller hung up",
    "timeout_online_signal": "Not answered",
    "opened_door": "Door opened",
    "declined": "Declined",
    "answered": "Answered",
    "connecting_sip": "Connecting the call",
    "voip_rollover": "Rolled over to a phone call",
    "rejected": "Rejected",
}


def test_calls_lists_calls_of_every_status_in_words(server: SimServer) -> None:
    cloud = server.cloud
    cloud.add_call(status="ringing_on_mars")  # a status nobody documented: shown as sent
    result = run_cli([*sim_args(server), "calls", "--json"])
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    words = {r["status_code"]: r["status"] for r in rows}
    assert words == {**ALL_STATUSES, "ringing_on_mars": "ringing_on_mars"}
    assert all(r["building"] and r["panel"] and r["logged_at"].endswith("Z") for r in rows)
    labels = {u["id"]: u["label"] for u in (t["unit"] for t in cloud.tenants)}
    to_tenants = [r for r in rows if r["recipient"] != "Front desk"]
    assert to_tenants and all(r["unit"] in labels.values() for r in to_tenants)
    names = {f"{t['first_name']} {t['last_name']}" for t in cloud.tenants}
    assert all(r["recipient"] in names for r in to_tenants)

    table = run_cli([*sim_args(server), "calls"])
    assert table.code == 0, table.err
    header = table.out.splitlines()[0].split()
    assert header == ["LOGGED_AT", "BUILDING", "PANEL", "RECIPIENT", "UNIT", "STATUS", "ID"]
    assert "Rolled over to a phone call" in table.out


def test_calls_since_limits_the_list(server: SimServer) -> None:
    newest = max(
        (c for b in server.cloud.buildings for c in server.cloud.calls(b["id"])),
        key=lambda c: c["logged_at"],
    )
    result = run_cli([*sim_args(server), "calls", "--since", newest["logged_at"], "--json"])
    assert result.code == 0, result.err
    assert [r["id"] for r in json.loads(result.out)] == [newest["id"]]
