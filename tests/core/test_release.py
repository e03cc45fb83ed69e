"""Door release as the operator sees it on the row, and as the audit log records it."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from bmx_console.api.models import Release
from bmx_console.clock import FakeClock
from bmx_console.core.audit import AuditLog
from bmx_console.core.release import ReleaseService
from bmx_console.core.store import ReleaseStatus, Store
from bmx_console.errors import NetworkError, ReleaseEndpointMissing

from .fakes import FakeCloud, Recorder, at, building, door

TENANT = 55


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(at(0))


@pytest.fixture
def cloud() -> FakeCloud:
    return FakeCloud()


@pytest.fixture
def store() -> Store:
    store = Store()
    store.set_roster([building()], [door(1, "Lobby"), door(2, "Garage")], [])
    return store


class SpyAudit:
    """Records what was audited and, at that moment, what the row showed."""

    def __init__(self, store: Store, fail: bool = False) -> None:
        self.store = store
        self.fail = fail
        self.entries: list[dict[str, Any]] = []
        self.sent: list[dict[str, Any]] = []
        self.row_state_when_recorded: list[str] = []

    def record_release(self, **fields: Any) -> None:
        row = self.store.door(fields["door_id"])
        assert row is not None
        self.row_state_when_recorded.append(row.state)
        if self.fail:
            raise OSError("disk full")
        self.entries.append(fields)

    def record_release_sent(self, **fields: Any) -> dict[str, Any]:
        if self.fail:
            raise OSError("disk full")
        sent = {**fields, "outcome": "sent"}
        self.sent.append(sent)
        return sent

    def record_release_outcome(self, sent: dict[str, Any], outcome: str, **fields: Any) -> None:
        self.record_release(
            **{k: sent[k] for k in ("door_id", "door_name")},
            outcome=outcome,
            **fields,
        )


def service(cloud: FakeCloud, store: Store, clock: FakeClock, **kwargs: Any) -> ReleaseService:
    kwargs.setdefault("tenant_id", TENANT)
    return ReleaseService(cloud, store, clock=clock, operator=lambda: "desk-1", **kwargs)


def row_status(store: Store, door_id: int) -> ReleaseStatus:
    row = store.door(door_id)
    assert row is not None
    return row.release


async def test_release_sends_one_request_and_shows_released_then_idle(
    cloud: FakeCloud, store: Store, clock: FakeClock
) -> None:
    releases = service(cloud, store, clock)
    listener = Recorder()
    store.subscribe(listener)
    outcome = await releases.release(1)
    assert outcome.result == "released"
    assert outcome.release is not None
    assert outcome.release.guid == "guid-1"
    assert cloud.calls_to("release_door") == [(1, TENANT)]
    index = store.door_index(1)
    # Two row updates: "sending", then "released".
    assert listener.named("doors_changed") == [[index], [index]]
    assert row_status(store, 1) == ReleaseStatus(state="released", released_until=1005.0)
    clock.advance(4.9)
    releases.tick()
    assert row_status(store, 1).state == "released"
    clock.advance(0.1)
    releases.tick()
    releases.tick()
    assert row_status(store, 1) == ReleaseStatus()
    assert len(listener.named("doors_changed")) == 3


async def test_the_row_says_sending_while_the_request_is_out(
    cloud: FakeCloud, store: Store, clock: FakeClock
) -> None:
    cloud.hang = asyncio.Event()
    releases = service(cloud, store, clock)
    pending = asyncio.ensure_future(releases.release(1))
    await cloud.until_requests(1)
    assert row_status(store, 1).state == "sending"
    second = await releases.release(1)
    assert second.result == "ignored"
    assert row_status(store, 1).notice == "Already sending — ignored a second press."
    cloud.hang.set()
    assert (await pending).result == "released"
    assert len(cloud.calls_to("release_door")) == 1


async def test_a_second_press_within_the_guard_is_ignored_with_a_notice(
    cloud: FakeCloud, store: Store, clock: FakeClock
) -> None:
    releases = service(cloud, store, clock)
    await releases.release(1)
    clock.advance(2.9)
    outcome = await releases.release(1)
    assert outcome.result == "ignored"
    assert outcome.notice == "Already sent — ignored a second press within 3 s"
    status = row_status(store, 1)
    assert status.state == "released"
    assert status.notice == outcome.notice
    assert len(cloud.calls_to("release_door")) == 1
    # Another door is not held back, and the same door goes through after the guard.
    assert (await releases.release(2)).result == "released"
    clock.advance(0.2)
    assert (await releases.release(1)).result == "released"
    assert len(cloud.calls_to("release_door")) == 3
    assert row_status(store, 1).notice is None


async def test_the_ignored_notice_clears_on_its_own(
    cloud: FakeCloud, store: Store, clock: FakeClock
) -> None:
    releases = service(cloud, store, clock)
    await releases.release(1)
    clock.advance(1)
    await releases.release(1)
    clock.advance(5)
    releases.tick()
    assert row_status(store, 1) == ReleaseStatus()


async def test_a_failure_shows_the_sentence_and_is_never_retried(
    cloud: FakeCloud, store: Store, clock: FakeClock
) -> None:
    sentence = "ButterflyMX has no release endpoint at this path for your contract: ask them."
    cloud.fail("release_door", ReleaseEndpointMissing(sentence))
    releases = service(cloud, store, clock)
    outcome = await releases.release(1)
    assert (outcome.result, outcome.error) == ("failed", sentence)
    shown = row_status(store, 1)
    assert (shown.state, shown.failure, shown.failed_at) == ("failed", sentence, clock.now())
    assert len(cloud.calls_to("release_door")) == 1
    clock.advance(60)
    releases.tick()
    assert row_status(store, 1).state == "failed"
    # Pressing again after a failure is the operator's deliberate retry: it is sent.
    assert (await releases.release(1)).result == "released"


async def test_without_a_release_tenant_nothing_is_sent_and_the_operator_is_told_why(
    cloud: FakeCloud, store: Store, clock: FakeClock
) -> None:
    releases = service(cloud, store, clock, tenant_id=None)
    outcome = await releases.release(1)
    assert outcome.result == "failed"
    # The sentence names the door's building and where to fix it.
    assert outcome.error == "No front-desk tenant for Harbor View — choose one in Settings."
    assert cloud.calls_to("release_door") == []
    assert row_status(store, 1).failure == outcome.error


async def test_each_building_releases_as_its_own_front_desk(
    cloud: FakeCloud, store: Store, clock: FakeClock
) -> None:
    store.set_roster(
        [building(1), building(2, "Maple Court"), building(3, "The Kinzie")],
        [door(1, "Lobby"), door(2, "Gate", bid=2), door(3, "Garage", bid=3)],
        [],
    )
    desks = {1: 9001, 2: 9002}
    releases = ReleaseService(cloud, store, tenant_id=None, tenant_for=desks.get, clock=clock)
    for door_id in (1, 2):
        assert (await releases.release(door_id)).result == "released"
    assert cloud.calls_to("release_door") == [(1, 9001), (2, 9002)]
    # The Kinzie has no front desk: nothing is sent and the row says why.
    outcome = await releases.release(3)
    assert outcome.error == "No front-desk tenant for The Kinzie — choose one in Settings."
    assert releases.why_not_releasable(3) == outcome.error
    assert releases.why_not_releasable(1) is None
    assert cloud.calls_to("release_door") == [(1, 9001), (2, 9002)]


async def test_audit_is_written_before_the_row_turns_released_or_failed(
    cloud: FakeCloud, store: Store, clock: FakeClock
) -> None:
    audit = SpyAudit(store)
    releases = service(cloud, store, clock, audit=audit)
    await releases.release(1)
    cloud.fail("release_door", NetworkError("The network is unreachable.", sent=False))
    await releases.release(2)
    assert audit.row_state_when_recorded == ["sending", "sending"]
    assert [(e["door_name"], e["outcome"], e["operator"]) for e in audit.entries] == [
        ("Lobby", "released", "desk-1"),
        ("Garage", "failed", "desk-1"),
    ]
    assert isinstance(audit.entries[0]["release"], Release)
    assert audit.entries[1]["error"] == "The network is unreachable."


async def test_an_audit_that_cannot_be_written_is_said_on_the_row(
    cloud: FakeCloud, store: Store, clock: FakeClock
) -> None:
    releases = service(cloud, store, clock, audit=SpyAudit(store, fail=True))
    outcome = await releases.release(1)
    assert outcome.result == "released"
    assert outcome.audit_error == "disk full"
    status = row_status(store, 1)
    assert status.notice == "Released, but the audit log could not be written: disk full"
    # The warning outlives the released state, until the next press of that door.
    clock.advance(10)
    releases.tick()
    assert row_status(store, 1).state == "idle"
    assert row_status(store, 1).notice is not None


async def test_releases_land_in_the_real_audit_log(
    tmp_path: Path, cloud: FakeCloud, store: Store, clock: FakeClock
) -> None:
    with AuditLog(tmp_path / "audit.sqlite3", clock=clock) as audit:
        releases = service(cloud, store, clock, audit=audit)
        await releases.release(1)
        entry = audit.entries()[0]
    assert (entry.door_name, entry.outcome, entry.operator) == ("Lobby", "released", "desk-1")
    assert entry.release_guid == "guid-1"


async def test_a_release_cancelled_mid_request_does_not_stay_sending(
    cloud: FakeCloud, store: Store, clock: FakeClock
) -> None:
    cloud.hang = asyncio.Event()
    releases = service(cloud, store, clock)
    pending = asyncio.ensure_future(releases.release(1))
    await cloud.until_requests(1)
    pending.cancel()
    with pytest.raises(asyncio.CancelledError):
        await pending
    status = row_status(store, 1)
    assert status.state == "failed"
    assert status.failure is not None
    assert "check the door" in status.failure
