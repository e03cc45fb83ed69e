"""Names from a hostile portal (the simulator's hostile seed) printed by the real command
line: tables carry no control character but newline and tab, and show each one as a visible
escape; --json stays exact."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from bmx_console.sim.cloud import Cloud
from bmx_console.sim.server import SimServer
from tests.integration.cli_support import run_cli, sim_args

# Anything a terminal acts on: C0 but newline and tab, DEL, C1, bidi controls, separators.
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


@pytest.fixture(scope="module")
def server() -> Iterator[SimServer]:
    with SimServer(Cloud(seed=11, hostile=True, history_days=1)) as sim:
        cloud = sim.cloud
        desk = cloud.front_desk_tenant_id(cloud.buildings[0]["id"])
        cloud.create_keychain(
            "custom_keychain",
            {
                "name": '\x1b]0;owned\x07=HYPERLINK("x")\u202eevil',
                "tenant_id": desk,
                "starts_at": "2030-01-01T00:00:00Z",
                "ends_at": "2030-01-02T00:00:00Z",
            },
        )
        yield sim


@pytest.mark.parametrize(
    "command",
    [["buildings"], ["doors"], ["panels"], ["status"], ["events"], ["pass", "list"]],
    ids=lambda c: " ".join(c),
)
def test_tables_carry_no_control_characters(server: SimServer, command: list[str]) -> None:
    tenant = server.cloud.front_desk_tenant_id(server.cloud.buildings[0]["id"])
    result = run_cli([*sim_args(server, tenant=tenant), *command], timeout=60)
    assert result.code == 0, result.err
    found = sorted({f"U+{ord(c):04X}" for c in UNSAFE.findall(result.out + result.err)})
    assert found == []
    if command[0] in ("doors", "buildings"):
        assert "\\x1b[" in result.out
    if command[0] != "doors":
        return
    # --json stays exact: JSON escapes the characters itself.
    result = run_cli([*sim_args(server), "doors", "--json"], timeout=60)
    assert result.code == 0, result.err
    assert UNSAFE.findall(result.out) == []
    shown = {d["id"]: d["name"] for d in json.loads(result.out)}
    assert shown == {d["id"]: d["name"] for d in server.cloud.doors}


def test_a_release_of_a_hostile_door_prints_its_name_escaped(server: SimServer) -> None:
    cloud = server.cloud
    door = next(d for d in cloud.doors if "\x1b" in d["name"])
    tenant = cloud.front_desk_tenant_id(door["building_id"])
    result = run_cli([*sim_args(server, tenant=tenant), "unlock", str(door["id"])], timeout=60)
    assert result.code == 0, result.err
    assert UNSAFE.findall(result.out + result.err) == []
    assert "released " in result.out and "\\x1b" in result.out
