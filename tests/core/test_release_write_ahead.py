"""The audit entry of a release is on disk before the request leaves, and an answer that never
came is recorded as unknown, not as failed."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path

import pytest

from bmx_console.api.models import Release
from bmx_console.clock import FakeClock
from bmx_console.core.audit import AuditLog
from bmx_console.core.release import ReleaseService
from bmx_console.core.store import Store
from bmx_console.errors import InvalidRequest, NetworkError, ServerError

from .fakes import at, building, door

TENANT = 55


class Client:
    """Looks at the audit file, from its own connection, at the moment the request leaves."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.seen_on_disk: list[list[tuple[str, str]]] = []
        self.error: BaseException | None = None
        self.hang: asyncio.Event | None = None
        self.started = asyncio.Event()

    async def release_door(self, door_id: int, tenant_id: int) -> Release:
        with AuditLog(self.db) as other:
            self.seen_on_disk.append([(e.action, e.outcome) for e in other.entries()])
        self.started.set()
        if self.hang is not None:
            await self.hang.wait()
        if self.error is not None:
            raise self.error
        return Release(id=71, guid="guid-71", tenant_id=tenant_id, door_id=door_id)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(at(0))


@pytest.fixture
def store() -> Store:
    store = Store()
    store.set_roster([building(3, "Tower A")], [door(1, "Lobby", bid=3)], [])
    return store


def releases(client: Client, store: Store, clock: FakeClock, audit: AuditLog) -> ReleaseService:
    return ReleaseService(
        client, store, tenant_id=TENANT, clock=clock, audit=audit, operator=lambda: "Ann"
    )


async def test_the_sent_entry_is_committed_before_the_request_leaves(
    tmp_path: Path, store: Store, clock: FakeClock
) -> None:
    db = tmp_path / "audit.sqlite3"
    client = Client(db)
    with AuditLog(db, clock=clock) as audit:
        outcome = await releases(client, store, clock, audit).release(1)
        entries = audit.entries(newest_first=False)

    assert outcome.result == "released"
    assert client.seen_on_disk == [[("release", "sent")]]
    sent, done = entries
    assert (sent.operator, sent.door_name, sent.building_name, sent.tenant_id) == (
        "Ann",
        "Lobby",
        "Tower A",
        TENANT,
    )
    assert (done.outcome, done.ref, done.release_id, done.release_guid) == (
        "released",
        sent.seq,
        71,
        "guid-71",
    )
    assert audit_unsettled(db) == []


def audit_unsettled(db: Path) -> list[int]:
    with AuditLog(db) as log:
        return [e.seq for e in log.unsettled()]


async def test_ctrl_c_during_a_release_records_unknown_not_failed(
    tmp_path: Path, store: Store, clock: FakeClock
) -> None:
    db = tmp_path / "audit.sqlite3"
    client = Client(db)
    client.hang = asyncio.Event()
    with AuditLog(db, clock=clock) as audit:
        task = asyncio.ensure_future(releases(client, store, clock, audit).release(1))
        await client.started.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        outcomes = [e.outcome for e in audit.entries(newest_first=False)]
        verify = audit.verify()
        audit.export_csv(tmp_path / "export.csv")

    with (tmp_path / "export.csv").open(newline="", encoding="utf-8") as f:
        exported = list(csv.DictReader(f))
    assert [(r["outcome"], r["release_state"]) for r in exported] == [
        ("sent", "outcome unknown"),
        ("unknown", ""),
    ]
    assert outcomes == ["sent", "unknown"]
    assert audit_unsettled(db) == [1]
    assert verify.ok
    assert verify.unknown and "outcome unknown" in verify.unknown[0]
    assert "Lobby (door 1), Tower A" in verify.unknown[0]


@pytest.mark.parametrize(
    ("error", "recorded"),
    [
        (NetworkError("ButterflyMX did not answer within 15 s."), "unknown"),
        (ServerError("Bad gateway.", status=502), "unknown"),
        (NetworkError("The network is unreachable.", sent=False), "failed"),
        (InvalidRequest("access_point: is not in the tenant's building", status=422), "failed"),
    ],
)
async def test_an_answer_that_never_came_is_unknown_a_refusal_is_failed(
    tmp_path: Path, store: Store, clock: FakeClock, error: Exception, recorded: str
) -> None:
    db = tmp_path / "audit.sqlite3"
    client = Client(db)
    client.error = error
    with AuditLog(db, clock=clock) as audit:
        outcome = await releases(client, store, clock, audit).release(1)
        last = audit.entries(limit=1)[0]

    assert outcome.result == "failed"
    assert outcome.unknown == (recorded == "unknown")
    assert last.outcome == recorded
    row = store.door(1)
    assert row is not None and row.release.failure is not None
    if recorded == "unknown":
        assert "check the door" in row.release.failure
