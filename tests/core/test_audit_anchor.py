"""Whole-file tampering, as an outsider with a file manager and a SQLite shell would do it:
the keyring's anchor makes a shorter log fail verify, with a sentence that says how much is
missing and since when."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import keyring.backends.fail
import pytest

from bmx_console.clock import FakeClock
from bmx_console.core.audit import GENESIS_HASH, AuditLog, verify_path
from bmx_console.core.audit_anchor import AuditAnchor
from bmx_console.secrets import KeyringAnchorStore, SecretStore

REPO = Path(__file__).resolve().parents[2]
START = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)


class FileStore:
    """An anchor store a child process can share with the test: a JSON file."""

    available = True

    def __init__(self, path: Path) -> None:
        self.path = path

    def _all(self) -> dict[str, str]:
        return json.loads(self.path.read_text()) if self.path.exists() else {}

    def get(self, name: str) -> str | None:
        return self._all().get(name)

    def set(self, name: str, value: str) -> None:
        values = self._all()
        values[name] = value
        self.path.write_text(json.dumps(values))


def anchored(db: Path) -> AuditAnchor:
    return AuditAnchor(KeyringAnchorStore(), db)


def write(db: Path, clock: FakeClock, count: int) -> None:
    with AuditLog(db, clock=clock, anchor=anchored(db)) as log:
        for n in range(count):
            clock.advance(60)
            log.record(operator="Ann", action="release", outcome="released", door_id=n)


def raw_sql(db: Path, *statements: str) -> None:
    conn = sqlite3.connect(db)
    with conn:
        for statement in statements:
            conn.execute(statement)
    conn.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "audit.sqlite3"


def test_a_new_installation_verifies_an_empty_log(db: Path) -> None:
    result = verify_path(db, anchored(db))
    assert result.ok and result.checked == 0
    with AuditLog(db, anchor=anchored(db)) as log:
        assert log.verify().ok


def test_an_earlier_copy_of_the_data_folder_put_back_fails(
    db: Path, clock: FakeClock, tmp_path: Path
) -> None:
    write(db, clock, 24)
    shutil.copytree(db.parent, tmp_path / "copy")
    write(db, clock, 8)
    shutil.rmtree(db.parent)
    shutil.copytree(tmp_path / "copy", db.parent)

    result = verify_path(db, anchored(db))

    assert not result.ok
    assert result.problems == [
        "8 entries are missing from the end, since 2026-11-21 14:24:00 UTC: the log ends at "
        "entry 24, but bmx-console had recorded up to entry 32 (2026-11-21 14:32:00 UTC); an "
        "earlier copy of the log was put back or its newest entries were lost"
    ]


def test_deleted_newest_rows_with_the_head_rolled_back_fail(db: Path, clock: FakeClock) -> None:
    write(db, clock, 10)
    with AuditLog(db) as log:
        seventh = next(e for e in log.entries() if e.seq == 7)
    raw_sql(
        db,
        "DELETE FROM entries WHERE seq > 7",
        "UPDATE meta SET value = '7' WHERE key = 'head_seq'",
        f"UPDATE meta SET value = '{seventh.hash}' WHERE key = 'head_hash'",
    )
    with AuditLog(db) as alone:
        assert alone.verify().ok  # what the file alone says

    result = verify_path(db, anchored(db))
    assert not result.ok
    assert result.problems[0].startswith("3 entries are missing from the end, since 2026-11-21")


def test_emptied_tables_with_the_head_reset_fail(db: Path, clock: FakeClock) -> None:
    write(db, clock, 5)
    raw_sql(
        db,
        "DELETE FROM entries",
        "UPDATE meta SET value = '0' WHERE key = 'head_seq'",
        f"UPDATE meta SET value = '{GENESIS_HASH}' WHERE key = 'head_hash'",
    )

    result = verify_path(db, anchored(db))
    assert result.problems == [
        "the log is empty, but bmx-console had recorded 5 entries on this PC, the last at "
        "2026-11-21 14:05:00 UTC: all 5 are missing (the file was emptied, replaced or "
        "deleted, or its -wal file lost)"
    ]


def test_a_zero_byte_file_fails(db: Path, clock: FakeClock) -> None:
    write(db, clock, 3)
    for suffix in ("-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    db.write_bytes(b"")

    result = verify_path(db, anchored(db))
    assert not result.ok
    assert "recorded 3 entries" in result.problems[0]
    assert db.stat().st_size == 0  # verify changed nothing


def test_a_deleted_file_fails_and_is_not_recreated_by_verify(db: Path, clock: FakeClock) -> None:
    write(db, clock, 4)
    for suffix in ("", "-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)

    result = verify_path(db, anchored(db))
    assert not result.ok
    assert result.problems[0].startswith(f"the audit log file {db} is missing")
    assert "recorded 4 entries" in result.problems[0]
    assert not db.exists()


def test_a_log_that_lost_entries_keeps_saying_so_after_the_desk_writes_again(
    db: Path, clock: FakeClock, tmp_path: Path
) -> None:
    write(db, clock, 5)
    shutil.copytree(db.parent, tmp_path / "copy")
    write(db, clock, 3)
    shutil.rmtree(db.parent)
    shutil.copytree(tmp_path / "copy", db.parent)

    # The desk starts on the old copy and goes on recording.
    write(db, clock, 2)

    result = verify_path(db, anchored(db))
    assert not result.ok
    assert result.problems[0].startswith("entries 6–8 are missing from the log (written between")
    with AuditLog(db) as log:
        gap = next(e for e in log.entries() if e.action == "audit_gap")
    assert "3 entries recorded after 2026-11-21 14:05:00 UTC" in gap.detail


def test_an_altered_anchor_fails(db: Path, clock: FakeClock, memory_keyring) -> None:
    write(db, clock, 2)
    name = anchored(db).name
    key = ("bmx-console", name)
    value = json.loads(memory_keyring.values[key])
    memory_keyring.values[key] = json.dumps({**value, "seq": 1})

    result = verify_path(db, anchored(db))
    assert not result.ok
    assert "does not verify" in result.problems[0]


def test_edits_swaps_and_deletions_are_still_caught_with_an_anchor(
    db: Path, clock: FakeClock
) -> None:
    write(db, clock, 5)
    raw_sql(db, "UPDATE entries SET operator = 'Mallory' WHERE seq = 2")
    assert verify_path(db, anchored(db)).problems == ["entry 2 was changed after it was written"]


def test_without_a_keyring_verify_says_rollback_cannot_be_detected(db: Path) -> None:
    store = KeyringAnchorStore(SecretStore(backend=keyring.backends.fail.Keyring()))
    with AuditLog(db, anchor=AuditAnchor(store, db)) as log:
        log.record(operator="Ann", action="release", outcome="released")
        result = log.verify()
    assert result.ok
    assert any("cannot be detected" in note for note in result.notes)


KILLED_WRITER = """
import json, sys
from pathlib import Path
from bmx_console.core.audit import AuditLog
from bmx_console.core.audit_anchor import AuditAnchor
sys.path.insert(0, sys.argv[3])
from tests.core.test_audit_anchor import FileStore

db, store = Path(sys.argv[1]), FileStore(Path(sys.argv[2]))
anchor = AuditAnchor(store, db)
log = AuditLog(db, anchor=anchor)
log._conn.execute("PRAGMA wal_autocheckpoint=0")
for n in range(60):
    log.record(operator="Ann", action="release", outcome="released", door_id=n)
    if n == 29:
        log._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
anchor.flush()
print("written", flush=True)
sys.stdin.readline()
"""


def test_a_lost_wal_after_a_kill_fails(tmp_path: Path, db: Path) -> None:
    store_path = tmp_path / "anchor.json"
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(db), str(store_path), str(REPO)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "written"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    wal = db.with_name(db.name + "-wal")
    assert wal.stat().st_size > 0
    wal.unlink()

    with AuditLog(db) as alone:
        assert alone.verify().ok  # 30 entries, and the file alone looks intact
    result = verify_path(db, AuditAnchor(FileStore(store_path), db))
    assert not result.ok
    assert result.problems[0].startswith("30 entries are missing from the end, since")
