"""A desk over several buildings releases each door as its own building's front desk:
ButterflyMX refuses a release made as a tenant of another building (422)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bmx_console.config import Settings, config_path, save_settings
from bmx_console.sim.cloud import Cloud
from bmx_console.sim.server import SimServer
from tests.integration.cli_support import run_cli, sim_args


@pytest.fixture
def server() -> Iterator[SimServer]:
    with SimServer(Cloud(seed=11, event_rate_per_min=0, call_rate_per_min=0)) as sim:
        yield sim


def one_door_per_building(cloud: Cloud) -> dict[int, dict]:
    doors: dict[int, dict] = {}
    for door in cloud.doors:
        doors.setdefault(door["building_id"], door)
    assert len(doors) == 3
    return doors


def test_each_door_goes_out_as_its_own_buildings_tenant(server: SimServer) -> None:
    cloud = server.cloud
    desks = cloud.front_desk_tenant_ids()
    save_settings(Settings(release_tenants=tuple(sorted(desks.items()))))
    assert "[release_tenants]" in config_path().read_text(encoding="utf-8")

    doors = one_door_per_building(cloud)
    for door in doors.values():
        result = run_cli([*sim_args(server), "unlock", str(door["id"])])
        assert result.code == 0, result.err
        assert f"released {door['name']}" in result.out

    sent = [r["request"]["door_release_request"] for r in cloud.releases]
    assert sent == [
        {"tenant_id": desks[building], "access_point_id": door["id"]}
        for building, door in doors.items()
    ]


def test_a_door_of_a_building_without_a_tenant_exits_2_and_sends_nothing(
    server: SimServer,
) -> None:
    cloud = server.cloud
    desks = cloud.front_desk_tenant_ids()
    doors = one_door_per_building(cloud)
    covered, uncovered, _ = doors
    save_settings(Settings(release_tenants=((covered, desks[covered]),)))

    result = run_cli([*sim_args(server), "unlock", str(doors[uncovered]["id"])])

    assert result.code == 2
    building = cloud.building(uncovered)["name"]
    assert building in result.err
    assert "[release_tenants]" in result.err
    assert cloud.releases == []


def test_release_tenant_on_the_command_line_overrides_the_table(server: SimServer) -> None:
    cloud = server.cloud
    desks = cloud.front_desk_tenant_ids()
    doors = one_door_per_building(cloud)
    building, door = next(iter(doors.items()))
    save_settings(Settings(release_tenants=((building, 1234567),)))

    result = run_cli([*sim_args(server, tenant=desks[building]), "unlock", str(door["id"])])

    assert result.code == 0, result.err
    assert cloud.releases[0]["request"]["door_release_request"]["tenant_id"] == desks[building]


def test_the_demo_releases_in_all_three_of_its_buildings() -> None:
    from tests.integration.cli_support import cli_env

    env = cli_env({"BMX_CLIENT_ID": "", "BMX_CLIENT_SECRET": ""})
    listed = run_cli(["--demo", "doors", "--json"], env=env)
    assert listed.code == 0, listed.err
    import json

    firsts: dict[int, int] = {}
    for door in json.loads(listed.out):
        firsts.setdefault(door["building_id"], door["id"])
    assert len(firsts) == 3
    for door_id in firsts.values():
        result = run_cli(["--demo", "unlock", str(door_id)], env=env)
        assert result.code == 0, result.err
