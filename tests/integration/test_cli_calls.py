"""The command line's calls and residents against the simulator over loopback: ``unlock
--call`` tells the ringing panel, ``calls`` names every status, ``tenants`` finds residents."""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bmx_console import cli
from bmx_console.config import Settings, save_settings
from bmx_console.sim.access_tools import PIN_OFFSET, all_tools, pin_code
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


def _standalone(code: str) -> re.Pattern[str]:
    # A PIN shows as a number of its own; the same six digits inside a nine-digit record
    # id are not the PIN.
    return re.compile(rf"(?<![0-9A-Fa-f]){re.escape(code)}(?![0-9A-Fa-f])")


def test_events_say_pin_and_no_access_tool_code_is_written_or_shown(
    server: SimServer, isolated_dirs: dict[str, Path], tmp_path: Path
) -> None:
    cloud = server.cloud
    building = cloud.buildings[0]["id"]
    front = cloud.front_desk_tenant_id(building)
    tenant = next(
        t
        for t in cloud.tenants
        if t["building_id"] == building and t["id"] != front and t["id"] % 3
    )
    cloud.add_event(
        building_id=building,
        entry_method={"access_tool": tenant["id"] + PIN_OFFSET},
        tenant_id=tenant["id"],
        unit=tenant["unit"]["id"],
    )
    codes = [t["code"] for t in all_tools(cloud.tenants)]
    assert pin_code(tenant["id"]) in codes

    events = run_cli([*sim_args(server), "events", "--json"])
    assert events.code == 0, events.err
    mine = [e for e in json.loads(events.out) if e["entry_method"] == "PIN"]
    assert mine and mine[-1]["unit"] == tenant["unit"]["label"]
    assert mine[-1]["who"] == f"{tenant['first_name']} {tenant['last_name']}"
    table = run_cli([*sim_args(server), "events"])
    assert table.code == 0 and " PIN " in table.out
    outputs = [events, table]
    for command in (["calls"], ["tenants", "--json"], ["status", "--json"]):
        outputs.append(run_cli([*sim_args(server), *command]))
    # The desk too: its roster poller reads the access tools.
    outputs.append(
        run_cli([*sim_args(server), "--smoke-test", str(tmp_path / "desk.png")], timeout=90)
    )
    assert all(o.code == 0 for o in outputs), [o.err for o in outputs if o.code]
    assert cloud.request_count("/v4/access_tools") >= 2  # the CLI and the desk read them

    written = [p for folder in isolated_dirs.values() for p in folder.rglob("*") if p.is_file()]
    assert any(p.suffix == ".log" or "log" in p.name for p in written), "nothing logged"
    texts = [p.read_bytes().decode("utf-8", "replace") for p in written]
    texts += [o.out + o.err for o in outputs]
    leaks = [c for c in codes for text in texts if _standalone(c).search(text)]
    assert leaks == []


def test_tenants_search_finds_a_resident_without_full_name_by_first_and_last_name(
    server: SimServer,
) -> None:
    cloud = server.cloud
    tenant = next(t for t in cloud.tenants if t["first_name"] != "Front")
    assert tenant["full_name"] is None  # as on live accounts
    query = f"{tenant['first_name']} {tenant['last_name'][:3]}".lower()
    result = run_cli([*sim_args(server), "tenants", "--search", query, "--json"])
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    assert [r["id"] for r in rows] == [tenant["id"]]
    assert rows[0]["name"] == f"{tenant['first_name']} {tenant['last_name']}"
    assert rows[0]["unit"] == tenant["unit"]["label"]
    assert rows[0]["floor"] == tenant["unit"]["floor"]
    assert rows[0]["building"] == tenant["building_name"]

    by_unit = run_cli([*sim_args(server), "tenants", "--search", tenant["unit"]["label"]])
    assert by_unit.code == 0, by_unit.err
    assert by_unit.out.splitlines()[0].split() == ["NAME", "UNIT", "FLOOR", "BUILDING", "ID"]
    assert str(tenant["id"]) in by_unit.out
