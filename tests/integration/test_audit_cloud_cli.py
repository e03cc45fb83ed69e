"""The command line's audit against the simulator on a loopback socket: unlocks killed while
the cloud holds its answers leave "sent" entries, the next start confirms them from the
access logs, and ``audit verify --cloud`` compares both logs both ways."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bmx_console.api.models import Release
from bmx_console.core.audit import AuditLog
from bmx_console.paths import user_paths
from bmx_console.sim.hold import release_hold
from bmx_console.sim.server import SimServer
from tests.integration.cli_support import cli_env, run_cli, sim_args
from tests.support import held_release_server, wait_for

UNLOCKS = 20
WAIT_S = 60.0


@pytest.fixture
def server() -> Iterator[SimServer]:
    with held_release_server() as sim:
        yield sim


def first_building(server: SimServer) -> tuple[list[dict], int]:
    cloud = server.cloud
    building = cloud.buildings[0]["id"]
    doors = [d for d in cloud.doors if d["building_id"] == building]
    return doors, cloud.front_desk_tenant_id(building)


def test_killed_parallel_unlocks_are_all_in_the_log_and_confirmed_at_the_next_start(
    server: SimServer,
) -> None:
    doors, tenant = first_building(server)
    hold = release_hold(server.cloud)
    hold.hold()
    args = sim_args(server, tenant=tenant)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "bmx_console", *args, "unlock", str(doors[n % 3]["id"])],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=cli_env(),
        )
        for n in range(UNLOCKS)
    ]
    try:
        wait_for(
            lambda: hold.waiting == UNLOCKS, f"{UNLOCKS} releases executed and held", timeout=WAIT_S
        )
        for proc in procs:
            proc.send_signal(signal.SIGKILL)
        for proc in procs:
            proc.wait(timeout=WAIT_S)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=WAIT_S)
    hold.lift()
    assert len(server.cloud.releases) == UNLOCKS

    with AuditLog(user_paths().audit(demo=False)) as log:
        sent = [e for e in log.entries() if e.outcome == "sent"]
        assert len(sent) == UNLOCKS
        assert len(log.unsettled()) == UNLOCKS
        assert all(e.tenant_id == tenant for e in sent)

    before = run_cli(["audit", "verify"])
    assert before.code == 0, before.out
    assert before.out.count("outcome unknown:") == UNLOCKS

    # The next start of an unlock settles what the killed ones left unknown.
    after = run_cli([*args, "unlock", str(doors[0]["id"])])
    assert after.code == 0, after.err
    assert f"{UNLOCKS} releases were of unknown outcome, now confirmed by ButterflyMX" in after.err
    with AuditLog(user_paths().audit(demo=False)) as log:
        assert log.unsettled() == []
        confirmed = [e for e in log.entries() if e.outcome == "confirmed"]
        assert len(confirmed) == UNLOCKS
        assert all("confirmed by ButterflyMX" in e.detail for e in confirmed)
        assert log.verify().ok


def test_verify_cloud_lists_what_either_log_lacks(server: SimServer, tmp_path: Path) -> None:
    doors, tenant = first_building(server)
    args = sim_args(server, tenant=tenant)
    done = run_cli([*args, "unlock", str(doors[0]["id"])])
    assert done.code == 0, done.err
    # The cloud logged a release as the desk's tenant that no local entry records...
    server.cloud.release({}, tenant_id=tenant, access_point_id=doors[1]["id"])
    # ...and the local log has a release the cloud never logged.
    with AuditLog(user_paths().audit(demo=False)) as log:
        ghost = log.record_release_sent(
            operator="Ann",
            door_id=doors[2]["id"],
            door_name=doors[2]["name"],
            tenant_id=tenant,
            building_id=doors[2]["building_id"],
        )
        log.record_release_outcome(
            ghost, "released", release=Release(999, "g-999", tenant, doors[2]["id"])
        )

    result = run_cli([*args, "audit", "verify", "--cloud"])

    assert result.code == 1, result.out + result.err
    lines = [line.strip() for line in result.out.splitlines()]
    assert any(
        line.startswith(f"{doors[1]['name']} (door {doors[1]['id']})")
        and "ButterflyMX logged this release; the local log lacks it" in line
        for line in lines
    ), result.out
    assert any(
        line.startswith(f"{doors[2]['name']} (door {doors[2]['id']})")
        and "ButterflyMX has no record of it" in line
        for line in lines
    ), result.out
    # The release made through the command line is in both logs: not listed.
    assert not any(line.startswith(f"{doors[0]['name']} (door") for line in lines)


def test_verify_cloud_agrees_when_both_logs_match(server: SimServer) -> None:
    doors, tenant = first_building(server)
    args = sim_args(server, tenant=tenant)
    assert run_cli([*args, "unlock", str(doors[0]["id"])]).code == 0
    result = run_cli([*args, "audit", "verify", "--cloud", "--since", "2000-01-01T00:00:00Z"])
    assert result.code == 0, result.out + result.err
    assert "ButterflyMX agrees: 1 release" in result.out
