"""The audit log as a security desk uses it: record, look up, prove untouched, export."""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Iterator
from dataclasses import asdict
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from bmx_console.api.models import Release
from bmx_console.clock import FakeClock
from bmx_console.core.audit import (
    GENESIS_HASH,
    AuditError,
    AuditLog,
    _entry_hash,
)
from bmx_console.errors import BmxError
from bmx_console.paths import user_paths

START = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "audit.sqlite3"


@pytest.fixture
def log(db: Path, clock: FakeClock) -> Iterator[AuditLog]:
    with AuditLog(db, clock=clock) as opened:
        yield opened


def fill(log: AuditLog, clock: FakeClock, count: int) -> None:
    """One release a minute on doors 1..count, by alternating operators."""
    for n in range(1, count + 1):
        clock.advance(60)
        log.record_release(
            operator="Ann" if n % 2 else "Bob",
            door_id=n,
            door_name=f"Door {n}",
            outcome="released",
            release=Release(id=9000 + n, guid=f"guid-{n}", tenant_id=5, door_id=n),
        )


def tamper(db: Path, sql: str, *params: object) -> None:
    raw = sqlite3.connect(db)
    with raw:
        raw.execute(sql, params)
    raw.close()


def test_recorded_entry_reads_back_exactly(log: AuditLog, clock: FakeClock) -> None:
    clock.advance(1.25)
    written = log.record(
        operator="Ann Desk",
        action="pass_create",
        outcome="created",
        subject="Plumber (keychain 311)",
        detail="valid 09:00–17:00",
    )

    assert written.seq == 1
    assert written.at == START + timedelta(seconds=1.25)
    assert written.prev_hash == GENESIS_HASH
    assert len(written.hash) == 64
    assert log.entries() == [written]


def test_release_keeps_the_clouds_release_id_and_guid(log: AuditLog) -> None:
    released = log.record_release(
        operator="Ann",
        door_id=7,
        door_name="Lobby",
        outcome="released",
        release=Release(id=42, guid="5f1c-aa", tenant_id=3, door_id=7),
    )
    failed = log.record_release(
        operator="Ann",
        door_id=7,
        door_name="Lobby",
        outcome="failed",
        error="ButterflyMX did not answer in time; the door may not have opened.",
    )

    assert (released.action, released.release_id, released.release_guid) == (
        "release",
        42,
        "5f1c-aa",
    )
    assert (failed.release_id, failed.release_guid) == (None, None)
    assert failed.detail.startswith("ButterflyMX did not answer")
    assert [e.outcome for e in log.entries(newest_first=False)] == ["released", "failed"]


def test_entries_newest_first_limit_and_action(log: AuditLog, clock: FakeClock) -> None:
    fill(log, clock, 5)
    log.record(operator="Ann", action="pass_revoke", outcome="revoked", subject="keychain 12")

    assert [e.seq for e in log.entries(limit=3)] == [6, 5, 4]
    assert [e.seq for e in log.entries(limit=2, newest_first=False)] == [1, 2]
    assert [e.seq for e in log.entries(action="pass_revoke")] == [6]
    assert len(log.entries(action="release")) == 5


def test_since_and_until_select_a_time_window(log: AuditLog, clock: FakeClock) -> None:
    fill(log, clock, 5)  # at 14:01 .. 14:05

    since = START + timedelta(minutes=2)
    until = START + timedelta(minutes=4)
    assert [e.seq for e in log.entries(since=since, until=until)] == [3, 2]
    # The same instant written in another zone selects the same entries.
    plus_two = since.astimezone(timezone(timedelta(hours=2)))
    assert [e.seq for e in log.entries(since=plus_two, newest_first=False)] == [2, 3, 4, 5]


def test_text_search_ignores_case_across_people_doors_subjects_and_details(
    log: AuditLog,
) -> None:
    log.record(operator="Émile", action="release", outcome="released", door_name="Garage")
    log.record(operator="Ann", action="release", outcome="failed", door_name="Lobby Door")
    log.record(operator="Ann", action="pass_create", outcome="created", subject="Courier 50%")
    log.record(operator="Ann", action="release", outcome="failed", detail="Network DOWN")

    assert [e.seq for e in log.entries(text="ÉMILE")] == [1]
    assert [e.seq for e in log.entries(text="lobby")] == [2]
    assert [e.seq for e in log.entries(text="courier")] == [3]
    assert [e.seq for e in log.entries(text="down")] == [4]
    # Search text is taken literally, not as a LIKE pattern.
    assert [e.seq for e in log.entries(text="50%")] == [3]
    assert log.entries(text="5_%") == []
    # Outcome and action are filters of their own, not free text.
    assert log.entries(text="released") == []


def test_verify_passes_on_an_untouched_log(log: AuditLog, clock: FakeClock) -> None:
    assert log.verify().ok
    fill(log, clock, 4)

    result = log.verify()

    assert result.ok
    assert result.checked == 4
    assert result.problems == []


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("door_name", "Side Gate"),
        ("operator", "Mallory"),
        ("outcome", "failed"),
        ("at", "2026-11-21T09:00:00.000000Z"),
        ("release_guid", None),
        ("door_id", 4),
    ],
)
def test_verify_names_an_edited_entry(
    log: AuditLog, clock: FakeClock, db: Path, column: str, value: object
) -> None:
    fill(log, clock, 4)

    tamper(db, f"UPDATE entries SET {column} = ? WHERE seq = 3", value)
    result = log.verify()

    assert not result.ok
    assert result.problems == ["entry 3 was changed after it was written"]


def test_verify_catches_an_edit_whose_hash_was_recomputed(
    log: AuditLog, clock: FakeClock, db: Path
) -> None:
    fill(log, clock, 4)
    second = next(e for e in log.entries() if e.seq == 2)
    forged = {**asdict(second), "at": "2026-11-21T14:02:00.000000Z", "door_name": "Side Gate"}

    tamper(
        db,
        "UPDATE entries SET door_name = ?, hash = ? WHERE seq = 2",
        "Side Gate",
        _entry_hash(forged),
    )
    result = log.verify()

    assert result.problems == ["entry 3 does not follow on from entry 2"]


def test_verify_catches_a_deleted_middle_entry(log: AuditLog, clock: FakeClock, db: Path) -> None:
    fill(log, clock, 5)

    tamper(db, "DELETE FROM entries WHERE seq IN (2, 3)")
    result = log.verify()

    assert not result.ok
    assert result.checked == 3
    assert result.problems == [
        "entries 2–3 are missing from the log "
        "(written between 2026-11-21 14:01:00 UTC and 2026-11-21 14:04:00 UTC)"
    ]


def test_verify_catches_a_deleted_first_entry(log: AuditLog, clock: FakeClock, db: Path) -> None:
    fill(log, clock, 3)

    tamper(db, "DELETE FROM entries WHERE seq = 1")

    assert log.verify().problems == [
        "entry 1 is missing from the log (written before 2026-11-21 14:02:00 UTC)"
    ]


def test_verify_catches_a_deleted_last_entry_even_after_later_records(
    log: AuditLog, clock: FakeClock, db: Path
) -> None:
    fill(log, clock, 4)

    tamper(db, "DELETE FROM entries WHERE seq = 4")
    assert log.verify().problems == ["entry 4 is missing from the end"]

    later = log.record(operator="Ann", action="release", outcome="released")
    assert later.seq == 5
    assert [p.split(" (")[0] for p in log.verify().problems] == ["entry 4 is missing from the log"]


def test_verify_catches_an_entry_appended_behind_the_logs_back(
    log: AuditLog, clock: FakeClock, db: Path
) -> None:
    fill(log, clock, 2)
    last = log.entries(limit=1)[0]

    tamper(
        db,
        "INSERT INTO entries (seq, at, operator, action, outcome, door_id, door_name, subject, "
        "detail, release_id, release_guid, prev_hash, hash) VALUES "
        "(3, '2026-11-21T14:03:00.000000Z', 'Mallory', 'release', 'released', 1, 'Door 1', "
        "'', '', NULL, NULL, ?, ?)",
        last.hash,
        "f" * 64,
    )

    problems = log.verify().problems
    assert "entry 3 was changed after it was written" in problems
    assert "entry 3 is beyond the last entry bmx-console recorded (2)" in problems


def test_a_damaged_entry_is_reported_not_crashed_on(
    log: AuditLog, clock: FakeClock, db: Path
) -> None:
    fill(log, clock, 3)

    tamper(db, "UPDATE entries SET door_id = X'00ff', at = 'yesterday' WHERE seq = 2")

    assert log.verify().problems == ["entry 2 was changed after it was written"]
    with pytest.raises(AuditError, match=str(db)) as caught:
        log.entries()
    assert "entry 2" in str(caught.value)


def test_export_writes_every_field_since_a_time(
    log: AuditLog, clock: FakeClock, tmp_path: Path
) -> None:
    fill(log, clock, 4)
    out = tmp_path / "export.csv"

    recorded = {e.seq: e for e in log.entries()}

    written = log.export_csv(out, since=START + timedelta(minutes=3))

    with out.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert written == 2
    assert [r["seq"] for r in rows] == ["3", "4"]
    assert rows[0] == {
        "seq": "3",
        "at": "2026-11-21T14:03:00.000000Z",
        "operator": "Ann",
        "action": "release",
        "outcome": "released",
        "door_id": "3",
        "door_name": "Door 3",
        "subject": "",
        "detail": "",
        "release_id": "9003",
        "release_guid": "guid-3",
        "prev_hash": recorded[2].hash,
        "hash": recorded[3].hash,
        "building_id": "",
        "building_name": "",
        "tenant_id": "",
        "ref": "",
        "release_state": "",
    }
    assert rows[1]["prev_hash"] == rows[0]["hash"]
    assert log.export_csv(out) == 4


def test_export_to_a_missing_folder_names_it(log: AuditLog, tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "export.csv"

    with pytest.raises(AuditError, match="no-such-folder"):
        log.export_csv(target)


def test_the_chain_continues_across_restarts(db: Path, clock: FakeClock) -> None:
    with AuditLog(db, clock=clock) as first:
        fill(first, clock, 2)
        before = first.entries(limit=1)[0]

    with AuditLog(db, clock=clock) as second:
        after = second.record(operator="Bob", action="release", outcome="ignored")
        assert (after.seq, after.prev_hash) == (3, before.hash)
        assert second.verify().ok


def test_a_file_that_is_not_a_database_is_refused_with_its_name(db: Path) -> None:
    db.write_bytes(b"this is not SQLite at all" * 200)

    with pytest.raises(BmxError, match=str(db)):
        AuditLog(db)


def test_some_other_sqlite_file_is_refused_and_left_untouched(db: Path) -> None:
    other = sqlite3.connect(db)
    with other:
        other.execute("CREATE TABLE photos (id INTEGER)")
    other.close()
    before = db.read_bytes()

    with pytest.raises(AuditError, match="is not a bmx-console audit log"):
        AuditLog(db)
    assert db.read_bytes() == before


def test_a_folder_in_place_of_the_file_is_refused(db: Path) -> None:
    db.mkdir()

    with pytest.raises(AuditError, match=str(db)):
        AuditLog(db)


def test_a_lock_held_too_long_by_another_writer_is_reported(db: Path) -> None:
    log = AuditLog(db, busy_timeout=0.05)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")

    with pytest.raises(AuditError, match="locked by another bmx-console"):
        log.record(operator="Ann", action="release", outcome="released")

    other.execute("ROLLBACK")
    other.close()
    assert log.record(operator="Ann", action="release", outcome="released").seq == 1
    log.close()


def test_names_from_broken_json_are_stored_not_crashed_on(log: AuditLog) -> None:
    entry = log.record(operator="Ann", action="release", outcome="released", door_name="Gate\ud800")

    assert entry.door_name == "Gate\ufffd"
    assert log.entries()[0].door_name == "Gate\ufffd"
    assert log.verify().ok


def test_a_closed_log_says_so(db: Path) -> None:
    log = AuditLog(db)
    log.close()

    with pytest.raises(AuditError, match="closed"):
        log.record(operator="Ann", action="release", outcome="released")


def test_default_location_is_the_users_data_folder(isolated_dirs: dict[str, Path]) -> None:
    path = user_paths().audit(demo=False)

    assert path == isolated_dirs["data"] / "bmx-console" / "audit.sqlite3"
    with AuditLog(path) as log:
        assert log.record(operator="Ann", action="release", outcome="released").seq == 1
