"""The operator audit log: who released which door, and who issued or revoked which pass.

Entries live in a local SQLite file, each committed with ``synchronous=FULL`` before
``record`` returns, so the desk can report a release only once its record would survive a
crash or a power cut.

Each entry carries the SHA-256 of its own fields plus the hash of the entry before it (the
first entry chains from a fixed genesis value), and a ``meta`` head record holds the number
and hash of the last entry, updated in the same transaction as the entry itself.

What ``verify`` can prove: that nobody edited an entry, deleted entries from the middle or the
end, or reordered them *with ordinary tools* (a SQLite browser, a stray ``DELETE``), since any
of these breaks a hash, a link or the head record.

What it cannot prove: that nobody rewrote the whole file. The chain has no secret key; anyone
who can write the file can recompute every hash and the head after changing what they like.
The defence is to export the log regularly (``export_csv``) to somewhere the desk cannot
rewrite: a later copy of the database must then contain an earlier export's entries, with the
same hashes.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from bmx_console.api.models import Release
from bmx_console.clock import Clock, SystemClock
from bmx_console.errors import BmxError

ACTION_RELEASE = "release"
ACTION_PASS_CREATE = "pass_create"
ACTION_PASS_REVOKE = "pass_revoke"

GENESIS_HASH = "0" * 64

# Marks the file as ours, so that pointing the console at some other SQLite file is refused
# instead of quietly adding tables to it.
_APPLICATION_ID = 0x424D5841  # "BMXA"
_SCHEMA_VERSION = 1
# Fixed width, so that text order is time order and the stored text is what gets hashed.
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
_BUSY_TIMEOUT_S = 10.0

_COLUMNS = (
    "seq",
    "at",
    "operator",
    "action",
    "outcome",
    "door_id",
    "door_name",
    "subject",
    "detail",
    "release_id",
    "release_guid",
    "prev_hash",
    "hash",
)
_SELECT = f"SELECT {', '.join(_COLUMNS)} FROM entries"

_SCHEMA = (
    """CREATE TABLE entries (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        operator TEXT NOT NULL,
        action TEXT NOT NULL,
        outcome TEXT NOT NULL,
        door_id INTEGER,
        door_name TEXT NOT NULL,
        subject TEXT NOT NULL,
        detail TEXT NOT NULL,
        release_id INTEGER,
        release_guid TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    )""",
    "CREATE INDEX entries_at ON entries (at)",
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)

_SYSTEM_CLOCK = SystemClock()


class AuditError(BmxError):
    """The audit log cannot be opened, read or written; the sentence names the file."""


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One recorded operator action. ``detail`` is an error sentence or a note, never a secret."""

    seq: int
    at: datetime
    operator: str
    action: str
    outcome: str
    door_id: int | None
    door_name: str
    subject: str
    detail: str
    release_id: int | None
    release_guid: str | None
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class VerifyResult:
    ok: bool
    checked: int
    problems: list[str]


class AuditLog:
    """An append-only, hash-chained record of operator actions in one SQLite file.

    Several processes (the desk window and the command line) may write the same file: each
    append reads the head and writes the next entry inside one ``BEGIN IMMEDIATE`` transaction,
    so the chain never forks, and a writer waits up to ``busy_timeout`` seconds for another.
    """

    def __init__(
        self,
        path: Path,
        *,
        clock: Clock = _SYSTEM_CLOCK,
        busy_timeout: float = _BUSY_TIMEOUT_S,
    ) -> None:
        self.path = Path(path)
        self._clock = clock
        self._busy_timeout = busy_timeout
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise AuditError(
                f"Cannot create the folder for the audit log {self.path} "
                f"({exc.strerror or exc}). Check the folder's permissions."
            ) from exc
        if self.path.is_dir():
            raise AuditError(
                f"The audit log {self.path} is a folder, not a file. "
                "Move it aside or choose another audit log location."
            )
        self._conn: sqlite3.Connection | None = None
        try:
            # Autocommit mode: transactions are begun and ended explicitly below.
            self._conn = sqlite3.connect(self.path, timeout=busy_timeout, isolation_level=None)
            self._conn.execute("PRAGMA synchronous=FULL")
            self._conn.create_function("bmx_matches", 5, _matches, deterministic=True)
            self._prepare()
            # Only once the file is known to be ours: switching to WAL rewrites its header.
            self._conn.execute("PRAGMA journal_mode=WAL").fetchone()
        except sqlite3.Error as exc:
            self.close()
            raise self._error(exc) from exc
        except AuditError:
            self.close()
            raise

    def __enter__(self) -> AuditLog:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def record(
        self,
        *,
        operator: str,
        action: str,
        outcome: str,
        door_id: int | None = None,
        door_name: str = "",
        subject: str = "",
        detail: str = "",
        release_id: int | None = None,
        release_guid: str | None = None,
    ) -> AuditEntry:
        """Append one entry; it is committed to disk when this returns, or ``AuditError``."""
        at_text = _format_time(self._clock.now())
        values: dict[str, Any] = {
            "at": at_text,
            "operator": _clean(operator),
            "action": _clean(action),
            "outcome": _clean(outcome),
            "door_id": door_id,
            "door_name": _clean(door_name),
            "subject": _clean(subject),
            "detail": _clean(detail),
            "release_id": release_id,
            "release_guid": None if release_guid is None else _clean(release_guid),
        }
        with self._transaction("BEGIN IMMEDIATE") as conn:
            head_seq, head_hash = self._head(conn)
            (last_seq,) = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM entries").fetchone()
            # Chaining from the head, not from the last row, keeps a deleted last entry visible
            # to verify() after later appends (the new entry leaves a gap).
            seq = max(head_seq, int(last_seq)) + 1
            values["seq"] = seq
            values["prev_hash"] = head_hash
            values["hash"] = _entry_hash(values)
            conn.execute(
                f"INSERT INTO entries ({', '.join(_COLUMNS)}) "
                f"VALUES ({', '.join(':' + c for c in _COLUMNS)})",
                values,
            )
            conn.executemany(
                "UPDATE meta SET value = ? WHERE key = ?",
                [(str(seq), "head_seq"), (values["hash"], "head_hash")],
            )
        return self._entry(tuple(values[c] for c in _COLUMNS))

    def record_release(
        self,
        *,
        operator: str,
        door_id: int,
        door_name: str,
        outcome: str,
        release: Release | None = None,
        error: str | None = None,
    ) -> AuditEntry:
        """Record one release attempt: ``release`` is the cloud's answer, ``error`` its failure."""
        return self.record(
            operator=operator,
            action=ACTION_RELEASE,
            outcome=outcome,
            door_id=door_id,
            door_name=door_name,
            detail=error or "",
            release_id=release.id if release is not None else None,
            release_guid=(release.guid or None) if release is not None else None,
        )

    def entries(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        text: str | None = None,
        action: str | None = None,
        limit: int | None = None,
        newest_first: bool = True,
    ) -> list[AuditEntry]:
        """Entries at or after ``since`` and before ``until``; ``text`` matches operator, door
        name, subject or detail, ignoring case; ``limit`` keeps the first N in the chosen order."""
        clauses: list[str] = []
        params: list[Any] = []
        if since is not None:
            clauses.append("at >= ?")
            params.append(_format_time(since))
        if until is not None:
            clauses.append("at < ?")
            params.append(_format_time(until))
        if action is not None:
            clauses.append("action = ?")
            params.append(action)
        if text:
            clauses.append("bmx_matches(?, operator, door_name, subject, detail)")
            params.append(_clean(text).casefold())
        sql = _SELECT
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += " ORDER BY seq " + ("DESC" if newest_first else "ASC")
        if limit is not None:
            sql += " LIMIT ?"
            params.append(max(0, limit))
        conn = self._connection()
        try:
            rows = conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise self._error(exc) from exc
        return [self._entry(row) for row in rows]

    def verify(self) -> VerifyResult:
        """Recompute the chain from the first entry to the head record and say what is wrong."""
        problems: list[str] = []
        checked = 0
        with self._transaction("BEGIN") as conn:
            expected_seq = 1
            prev_hash = GENESIS_HASH
            for row in conn.execute(_SELECT + " ORDER BY seq"):
                values = dict(zip(_COLUMNS, row, strict=True))
                seq = values["seq"]
                checked += 1
                if seq < expected_seq:
                    problems.append(f"entry {seq} has a number no entry can have")
                elif seq > expected_seq:
                    problems.append(f"{_span(expected_seq, seq - 1)} missing from the log")
                elif values["prev_hash"] != prev_hash:
                    problems.append(f"entry {seq} does not follow on from entry {seq - 1}")
                if _entry_hash(values) != values["hash"]:
                    problems.append(f"entry {seq} was changed after it was written")
                expected_seq = max(expected_seq, seq + 1)
                prev_hash = values["hash"]
            last_seq = expected_seq - 1
            try:
                head_seq, head_hash = self._head(conn)
            except AuditError:
                problems.append(
                    "the head record is missing or damaged, so entries deleted from the end "
                    "cannot be detected"
                )
            else:
                if head_seq > last_seq:
                    problems.append(f"{_span(last_seq + 1, head_seq)} missing from the end")
                elif head_seq < last_seq:
                    problems.append(
                        f"{_span(head_seq + 1, last_seq)} beyond the last entry bmx-console "
                        f"recorded ({head_seq})"
                    )
                elif head_hash != prev_hash:
                    problems.append(f"entry {last_seq} is not the entry that was written last")
        return VerifyResult(ok=not problems, checked=checked, problems=problems)

    def export_csv(self, path: Path, *, since: datetime | None = None) -> int:
        """Write entries (oldest first, every field, hashes included) to ``path``; rows written.

        Values are written exactly as recorded, so an export can later be checked against the
        database; a spreadsheet may interpret a name starting with ``=`` as a formula.
        """
        target = Path(path)
        rows = self.entries(since=since, newest_first=False)
        names = [f.name for f in fields(AuditEntry)]
        tmp_name = ""
        try:
            fd, tmp_name = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
            )
            with os.fdopen(fd, "w", newline="", encoding="utf-8") as out:
                writer = csv.writer(out)
                writer.writerow(names)
                for entry in rows:
                    writer.writerow(_csv_value(getattr(entry, name)) for name in names)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp_name, target)
        except OSError as exc:
            if tmp_name:
                with contextlib.suppress(OSError):
                    os.unlink(tmp_name)
            raise AuditError(
                f"Cannot write the audit export {target} ({exc.strerror or exc}). "
                "Check the folder exists and can be written."
            ) from exc
        return len(rows)

    def _prepare(self) -> None:
        with self._transaction("BEGIN IMMEDIATE") as conn:
            (app_id,) = conn.execute("PRAGMA application_id").fetchone()
            (version,) = conn.execute("PRAGMA user_version").fetchone()
            tables = {
                name
                for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if app_id == 0 and version == 0 and not tables:
                for statement in _SCHEMA:
                    conn.execute(statement)
                conn.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [("head_seq", "0"), ("head_hash", GENESIS_HASH)],
                )
                conn.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
            elif app_id != _APPLICATION_ID:
                raise AuditError(
                    f"{self.path} is not a bmx-console audit log. "
                    "Choose another audit log location; this file was left untouched."
                )
            elif version > _SCHEMA_VERSION:
                raise AuditError(
                    f"The audit log {self.path} was written by a newer bmx-console. "
                    "Update bmx-console on this computer."
                )
            elif not {"entries", "meta"} <= tables:
                raise AuditError(
                    f"The audit log {self.path} is damaged (tables are missing). Keep the file "
                    "as evidence, move it aside and start again to begin a new log."
                )
            # A write that changes nothing proves now, not at the first release, that the
            # file can be written.
            conn.execute("UPDATE meta SET value = value WHERE key = 'head_seq'")

    def _head(self, conn: sqlite3.Connection) -> tuple[int, str]:
        head = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        seq_text, head_hash = head.get("head_seq"), head.get("head_hash")
        if (
            not isinstance(seq_text, str)
            or not (seq_text.isascii() and seq_text.isdigit())
            or not isinstance(head_hash, str)
        ):
            raise AuditError(
                f"The audit log {self.path} is damaged (its head record is missing). Keep the "
                "file as evidence, move it aside and start again to begin a new log."
            )
        return int(seq_text), head_hash

    @contextlib.contextmanager
    def _transaction(self, begin: str) -> Iterator[sqlite3.Connection]:
        conn = self._connection()
        try:
            conn.execute(begin)
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise self._error(exc) from exc

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise AuditError(f"The audit log {self.path} is closed.")
        return self._conn

    def _entry(self, row: tuple[Any, ...]) -> AuditEntry:
        v = dict(zip(_COLUMNS, row, strict=True))
        try:
            at = datetime.strptime(str(v["at"]), _TIME_FORMAT).replace(tzinfo=UTC)
        except ValueError:
            raise AuditError(
                f"The audit log {self.path} is damaged: entry {v['seq']} has no readable time. "
                "Keep the file as evidence and check it with verify."
            ) from None
        return AuditEntry(
            seq=int(v["seq"]),
            at=at,
            operator=_text(v["operator"]),
            action=_text(v["action"]),
            outcome=_text(v["outcome"]),
            door_id=_maybe_int(v["door_id"]),
            door_name=_text(v["door_name"]),
            subject=_text(v["subject"]),
            detail=_text(v["detail"]),
            release_id=_maybe_int(v["release_id"]),
            release_guid=None if v["release_guid"] is None else _text(v["release_guid"]),
            prev_hash=_text(v["prev_hash"]),
            hash=_text(v["hash"]),
        )

    def _error(self, exc: sqlite3.Error) -> AuditError:
        name = getattr(exc, "sqlite_errorname", "")
        if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
            sentence = (
                f"The audit log {self.path} is damaged or is not a database. Keep the file as "
                "evidence, move it aside and start again to begin a new log."
            )
        elif name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            sentence = (
                f"The audit log {self.path} stayed locked by another bmx-console for "
                f"{self._busy_timeout:g} s. Try again, or close the other program using it."
            )
        elif name.startswith(("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_CANTOPEN", "SQLITE_AUTH")):
            sentence = (
                f"The audit log {self.path} cannot be opened for writing. Check the permissions "
                "of the file and its folder."
            )
        elif name.startswith("SQLITE_FULL"):
            sentence = f"The disk holding the audit log {self.path} is full. Free some space."
        elif name.startswith("SQLITE_IOERR"):
            sentence = f"The audit log {self.path} could not be read or written (a disk error)."
        else:
            sentence = f"The audit log {self.path} cannot be used ({exc})."
        return AuditError(sentence)


def _format_time(value: datetime) -> str:
    # A naive time is taken as UTC rather than as local time: clocks here are all UTC.
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime(_TIME_FORMAT)


def _entry_hash(values: dict[str, Any]) -> str:
    """SHA-256 of the entry's fields and the previous hash, in a fixed order, as JSON."""
    canonical = json.dumps(
        ["bmx-audit/1", *(values[c] for c in _COLUMNS if c != "hash")],
        ensure_ascii=True,
        separators=(",", ":"),
        default=_tampered_value,
    )
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def _tampered_value(value: Any) -> str:
    # Only values written behind bmx-console's back (a blob, say) reach here; encoding them
    # distinctly makes verify() report the entry instead of crashing.
    if isinstance(value, bytes):
        return f"<blob {value.hex()}>"
    return f"<{type(value).__name__} {value!r}>"


def _matches(needle: str, *haystacks: Any) -> bool:
    return any(needle in str(h).casefold() for h in haystacks if h is not None)


def _clean(value: str) -> str:
    # Lone surrogates (JSON "\ud800" from the cloud) cannot be stored as UTF-8; they become U+FFFD.
    return str(value).encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _maybe_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return _format_time(value)
    return str(value)


def _span(first: int, last: int) -> str:
    return f"entry {first} is" if first == last else f"entries {first}–{last} are"
