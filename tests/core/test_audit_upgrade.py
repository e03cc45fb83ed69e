"""A log written by the previous version (schema 1) keeps verifying: read-only as it is, and
after the upgrade that adds the new columns, with new entries chained after the old."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bmx_console.core.audit import GENESIS_HASH, AuditLog, verify_path
from bmx_console.core.audit_records import _COLUMNS_V1, _SCHEMA, _entry_hash


def old_log(path: Path, count: int) -> None:
    conn = sqlite3.connect(path)
    with conn:
        for statement in _SCHEMA:
            conn.execute(statement)
        prev = GENESIS_HASH
        for seq in range(1, count + 1):
            values = {
                "seq": seq,
                "at": f"2026-11-21T14:0{seq}:00.000000Z",
                "operator": "Ann",
                "action": "release",
                "outcome": "released",
                "door_id": seq,
                "door_name": f"Door {seq}",
                "subject": "",
                "detail": "",
                "release_id": 900 + seq,
                "release_guid": f"g{seq}",
                "prev_hash": prev,
                "v": 1,
            }
            values["hash"] = prev = _entry_hash(values)
            conn.execute(
                f"INSERT INTO entries ({', '.join(_COLUMNS_V1)}) "
                f"VALUES ({', '.join(':' + c for c in _COLUMNS_V1)})",
                values,
            )
        conn.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?)",
            [("head_seq", str(count)), ("head_hash", prev)],
        )
        conn.execute("PRAGMA application_id = 1112365121")
        conn.execute("PRAGMA user_version = 1")
    conn.close()


def test_an_old_log_verifies_read_only_and_after_the_upgrade(tmp_path: Path) -> None:
    db = tmp_path / "audit.sqlite3"
    old_log(db, 3)

    before = verify_path(db)
    assert before.ok and before.checked == 3
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (1,)  # left as it was

    with AuditLog(db) as log:
        log.record_release_sent(operator="Bob", door_id=9, door_name="Gym", tenant_id=5)
        result = log.verify()
        entries = log.entries(newest_first=False)
    assert result.ok and result.checked == 4
    assert entries[3].prev_hash == entries[2].hash
    assert [e.release_id for e in entries[:3]] == [901, 902, 903]
