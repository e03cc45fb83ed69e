"""The cloud's access logs as witness of the local audit log, against the simulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bmx_console.api.client import BmxClient
from bmx_console.api.models import Release
from bmx_console.clock import FakeClock
from bmx_console.core.audit import AuditLog
from bmx_console.core.witness import compare, settle
from bmx_console.sim.cloud import Cloud
from tests.support import quiet_cloud, sim_client

START = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def cloud(clock: FakeClock) -> Cloud:
    return quiet_cloud(clock)


@pytest.fixture
async def client(cloud: Cloud, clock: FakeClock) -> AsyncIterator[BmxClient]:
    client = sim_client(cloud, clock)
    yield client
    await client.aclose()


@pytest.fixture
def audit(tmp_path: Path, clock: FakeClock) -> AsyncIterator[AuditLog]:
    with AuditLog(tmp_path / "audit.sqlite3", clock=clock) as log:
        yield log


def door_and_tenant(cloud: Cloud, index: int = 0) -> tuple[dict, int]:
    door = cloud.doors[index]
    return door, cloud.front_desk_tenant_id(door["building_id"])


def sent(audit: AuditLog, door: dict, tenant: int):
    return audit.record_release_sent(
        operator="Ann",
        door_id=door["id"],
        door_name=door["name"],
        tenant_id=tenant,
        building_id=door["building_id"],
        building_name="Tower",
    )


def cloud_release(cloud: Cloud, door: dict, tenant: int) -> None:
    cloud.release({}, tenant_id=tenant, access_point_id=door["id"])


async def test_a_release_the_cloud_logged_is_confirmed_at_the_next_start(
    cloud: Cloud, client: BmxClient, audit: AuditLog, clock: FakeClock
) -> None:
    door, tenant = door_and_tenant(cloud)
    first = sent(audit, door, tenant)
    clock.advance(3)
    cloud_release(cloud, door, tenant)  # executed; the answer never reached the desk
    clock.advance(2)
    other, other_tenant = door_and_tenant(cloud, 1)
    second = sent(audit, other, other_tenant)  # never reached the cloud

    confirmed, unknown = await settle(audit, client, clock=clock)

    assert [e.seq for e in confirmed] == [first.seq]
    assert [e.seq for e in unknown] == [second.seq]
    assert [e.seq for e in audit.unsettled()] == [second.seq]
    last = audit.entries(limit=1)[0]
    assert (last.outcome, last.ref) == ("confirmed", first.seq)
    assert "confirmed by ButterflyMX" in last.detail
    assert audit.verify().ok


async def test_a_cloud_record_is_not_claimed_by_a_release_of_another_tenant_or_too_far_off(
    cloud: Cloud, client: BmxClient, audit: AuditLog, clock: FakeClock
) -> None:
    door, tenant = door_and_tenant(cloud)
    cloud_release(cloud, door, tenant)
    clock.advance(180)  # three minutes later: outside the window
    sent(audit, door, tenant)

    confirmed, unknown = await settle(audit, client, clock=clock)
    assert confirmed == [] and len(unknown) == 1


async def test_cloud_check_lists_both_directions(
    cloud: Cloud, client: BmxClient, audit: AuditLog, clock: FakeClock
) -> None:
    since = clock.now()
    door, tenant = door_and_tenant(cloud)
    # A release in both logs.
    ok = sent(audit, door, tenant)
    cloud_release(cloud, door, tenant)
    audit.record_release_outcome(ok, "released", release=Release(1, "g", tenant, door["id"]))
    clock.advance(30)
    # The cloud logged one as the desk's tenant that the local log lacks.
    lonely_door, _ = door_and_tenant(cloud, 1)
    lonely_tenant = cloud.front_desk_tenant_id(lonely_door["building_id"])
    cloud_release(cloud, lonely_door, lonely_tenant)
    clock.advance(600)
    # The local log says released; the cloud never logged it.
    ghost = sent(audit, door, tenant)
    audit.record_release_outcome(ghost, "released", release=Release(2, "h", tenant, door["id"]))
    clock.advance(5)

    check = await compare(audit, client, since=since - timedelta(seconds=1), tenants={tenant})

    assert not check.ok
    assert [(d.door_id, d.at) for d in check.missing_locally] == [
        (lonely_door["id"], START + timedelta(seconds=30))
    ]
    assert [(d.door_id, d.at) for d in check.missing_in_cloud] == [
        (door["id"], START + timedelta(seconds=630))
    ]
    assert check.matched == 1
    assert lonely_door["name"] in check.missing_locally[0].sentence
    assert "ButterflyMX has no record" in check.missing_in_cloud[0].sentence
