"""``bmx-console pass ...`` run as a subprocess against the simulator over loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bmx_console.core.audit import AuditLog
from bmx_console.paths import user_paths
from bmx_console.sim.cloud import Cloud
from bmx_console.sim.server import SimServer
from tests.integration.cli_support import run_cli, sim_args


@pytest.fixture
def server() -> Iterator[SimServer]:
    with SimServer(Cloud(seed=11, event_rate_per_min=0, call_rate_per_min=0)) as sim:
        yield sim


def desk_args(server: SimServer) -> list[str]:
    return sim_args(server, tenant=server.cloud.front_desk_tenant_id())


def test_create_list_use_and_revoke(server: SimServer, isolated_dirs: dict[str, Path]) -> None:
    cloud = server.cloud
    created = run_cli(
        [
            *desk_args(server),
            "pass",
            "create",
            "--name",
            "Ana Lima",
            "--hours",
            "3",
            "--contact",
            "+1 555 010 0199",
            "--json",
        ]
    )
    assert created.code == 0, created.err
    made = json.loads(created.out)
    keychain = cloud.keychain(made["id"])
    assert keychain["tenant_id"] == cloud.front_desk_tenant_id()
    [key] = [k for k in cloud.virtual_keys if k["keychain_id"] == made["id"]]
    assert made["pin"] == key["pin_code"]
    assert made["link"] == server.base_url + key["qr_code_url"]
    assert (key["email"], key["sms_number"]) == (None, None)

    listed = run_cli([*desk_args(server), "pass", "list", "--json"])
    assert listed.code == 0, listed.err
    [row] = json.loads(listed.out)
    assert (row["id"], row["name"], row["uses"], row["first_used_at"]) == (
        made["id"],
        "Ana Lima",
        0,
        None,
    )
    assert "pin" not in row
    assert row["contact"] == "+1 555 010 0199"

    cloud.use_pass(made["id"])
    [row] = json.loads(run_cli([*desk_args(server), "pass", "list", "--json"]).out)
    assert row["uses"] == 1 and row["first_used_at"] is not None

    revoked = run_cli([*desk_args(server), "pass", "revoke", str(made["id"])])
    assert revoked.code == 0, revoked.err
    assert f'revoked pass "Ana Lima" (keychain {made["id"]})' in revoked.out
    assert made["id"] not in {k["id"] for k in cloud.keychains}
    assert run_cli([*desk_args(server), "pass", "list"]).out == "(none)\n"

    audit = AuditLog(user_paths().audit(demo=False))
    try:
        entries = audit.entries(newest_first=False)
    finally:
        audit.close()
    assert [(e.action, e.outcome) for e in entries] == [
        ("pass_create", "created"),
        ("pass_revoke", "revoked"),
    ]
    data = [p for p in isolated_dirs["data"].rglob("*") if p.is_file()]
    assert data and all(made["pin"].encode() not in p.read_bytes() for p in data)


def test_text_output_shows_the_pin_and_the_link_for_the_operator(server: SimServer) -> None:
    result = run_cli([*desk_args(server), "pass", "create", "--name", "Ben", "--hours", "1"])
    assert result.code == 0, result.err
    [key] = server.cloud.virtual_keys[-1:]
    lines = dict(line.split(None, 1) for line in result.out.splitlines())
    assert lines["pin"] == key["pin_code"]
    assert lines["link"].startswith(server.base_url)


def test_hours_beyond_the_limit_exit_2_with_the_sentence(server: SimServer) -> None:
    before = len(server.cloud.keychains)
    result = run_cli([*desk_args(server), "pass", "create", "--name", "Ana", "--hours", "30"])
    assert result.code == 2
    assert "at most 24 h" in result.err and "pass_max_hours" in result.err
    assert len(server.cloud.keychains) == before
    missing = run_cli([*desk_args(server), "pass", "create", "--name", "Ana"])
    assert missing.code == 2 and "--hours is needed" in missing.err


def test_chosen_doors_and_start(server: SimServer) -> None:
    cloud = server.cloud
    building = cloud.buildings[0]["id"]
    doors = [d["id"] for d in cloud.doors if d["building_id"] == building][:2]
    result = run_cli(
        [
            *desk_args(server),
            "pass",
            "create",
            "--name",
            "Cleaner",
            "--hours",
            "2",
            "--doors",
            ",".join(map(str, doors)),
            "--start",
            "2099-01-02T08:00:00Z",
            "--json",
        ]
    )
    assert result.code == 0, result.err
    keychain = cloud.keychain(json.loads(result.out)["id"])
    assert keychain["access_point_ids"] == doors
    assert (keychain["starts_at"], keychain["ends_at"]) == (
        "2099-01-02T08:00:00Z",
        "2099-01-02T10:00:00Z",
    )
    bad = run_cli(
        [*desk_args(server), "pass", "create", "--name", "X", "--hours", "1", "--doors", "a"]
    )
    assert bad.code == 2 and "--doors must be door ids" in bad.err


def test_a_delivery_pass_is_one_use_short_and_on_the_package_doors(server: SimServer) -> None:
    """The same safe pass as the desk's: never ButterflyMX's 30-day, every-door delivery."""
    result = run_cli([*desk_args(server), "pass", "create", "--delivery", "--json"])
    assert result.code == 0, result.err
    made = json.loads(result.out)
    assert (made["kind"], made["name"]) == ("delivery", "Delivery")
    keychain = server.cloud.keychain(made["id"])
    assert made["pin"] and keychain["type"] == "one_time_keychain"
    starts = datetime.fromisoformat(keychain["starts_at"].replace("Z", "+00:00"))
    ends = datetime.fromisoformat(keychain["ends_at"].replace("Z", "+00:00"))
    assert ends - starts == timedelta(hours=2)
    names = {server.cloud.door(d)["name"] for d in keychain["access_point_ids"]}
    assert names and all(("Package" in n) or ("Lobby" in n) for n in names)


def test_half_done_pass_names_the_cleanup_and_unknown_revoke_is_not_found(
    server: SimServer,
) -> None:
    cloud = server.cloud
    cloud.faults.add("/v4/virtual_keys", status=500, times=1)
    result = run_cli([*desk_args(server), "pass", "create", "--name", "Ana", "--hours", "1"])
    assert result.code == 5
    orphan = next(k for k in cloud.keychains if k["name"] == "Ana")
    assert f"keychain {orphan['id']}" in result.err
    assert f"bmx-console pass revoke {orphan['id']}" in result.err
    cleaned = run_cli([*desk_args(server), "pass", "revoke", str(orphan["id"])])
    assert cleaned.code == 0, cleaned.err
    unknown = run_cli([*desk_args(server), "pass", "revoke", str(orphan["id"])])
    assert unknown.code == 4 and f"no pass with id {orphan['id']}" in unknown.err
