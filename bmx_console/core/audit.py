"""The operator audit log: who released which door, issued or revoked which pass, started a
shift, answered a call, changed a setting.

Entries live in a local SQLite file, each committed with ``synchronous=FULL`` before
``record`` returns. A door release is written twice: ``sent`` before the request leaves (so a
crash, a kill or a power cut while the cloud executes it still leaves a trace), then its
outcome (``released``, ``failed`` or ``unknown``) chained after it and pointing back at it
(``ref``). A ``sent`` with no final outcome is a release whose outcome is unknown until the
cloud's access log settles it (``core.witness``): ``confirmed`` by ButterflyMX.

Each entry carries the SHA-256 of its own fields plus the hash of the entry before it (the
first entry chains from a fixed genesis value), and a ``meta`` head record holds the number
and hash of the last entry, updated in the same transaction as the entry itself. The same
head is kept outside the file, in the OS keyring (``core.audit_anchor``), so that a file
which lost its newest entries (an earlier copy put back, emptied, deleted, its ``-wal`` lost)
no longer verifies.

What ``verify`` can prove: that nobody edited, deleted or reordered entries with ordinary
tools, and, with the keyring anchor, that the file is not an older or emptied one.

What it cannot prove: that nobody who holds both the keyring and the file rewrote both. The
chain has no secret key; the anchor's key sits in the keyring beside it. Forwarding every
entry to a syslog server (``core.forward``) and exporting regularly put a copy out of reach.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from bmx_console.api.models import Release
from bmx_console.clock import Clock, SystemClock
from bmx_console.core.audit_anchor import Anchor, AnchorDamaged, AuditAnchor
from bmx_console.core.audit_records import (  # noqa: F401 (the log's names, re-exported)
    _APPLICATION_ID,
    _BUSY_TIMEOUT_S,
    _COLUMNS,
    _MIGRATE_V2,
    _SCHEMA,
    _SCHEMA_VERSION,
    _SELECT,
    _TIME_FORMAT,
    _UNSETTLED,
    ACTION_CALL_ACK,
    ACTION_CALL_DISMISS,
    ACTION_CALL_RELEASE,
    ACTION_EXPORT,
    ACTION_GAP,
    ACTION_KIOSK_EXIT,
    ACTION_KIOSK_PIN,
    ACTION_OPERATOR_CHANGE,
    ACTION_PASS_CREATE,
    ACTION_PASS_REVOKE,
    ACTION_RELEASE,
    ACTION_SETTINGS,
    ACTION_SHIFT_END,
    ACTION_SHIFT_START,
    ACTION_SIGN_IN,
    ACTION_SIGN_OUT,
    FINAL_OUTCOMES,
    GENESIS_HASH,
    NO_KEYRING_NOTE,
    OUTCOME_CONFIRMED,
    OUTCOME_FAILED,
    OUTCOME_RELEASED,
    OUTCOME_SENT,
    OUTCOME_UNKNOWN,
    UNKNOWN_TEXT,
    AuditEntry,
    AuditError,
    VerifyResult,
    _between,
    _clean,
    _entry_hash,
    _format_time,
    _matches,
    _maybe_int,
    _span,
    _text,
    anchor_problem,
    gap_sentence,
    show_time,
    unknown_sentence,
    verify_sentence,
    where,
)
from bmx_console.private_files import private_dir, tighten, touch_private

_SYSTEM_CLOCK = SystemClock()


class AuditLog:
    """An append-only, hash-chained record of operator actions in one SQLite file.

    Several processes (the desk window and the command line) may write the same file: each
    append reads the head and writes the next entry inside one ``BEGIN IMMEDIATE`` transaction,
    so the chain never forks, and a writer waits up to ``busy_timeout`` seconds for another.

    ``anchor`` keeps the head in the OS keyring too; ``readonly`` opens an existing file for
    ``verify`` without changing (or creating) anything.
    """

    def __init__(
        self,
        path: Path,
        *,
        clock: Clock = _SYSTEM_CLOCK,
        busy_timeout: float = _BUSY_TIMEOUT_S,
        anchor: AuditAnchor | None = None,
        readonly: bool = False,
    ) -> None:
        self.path = Path(path)
        self.anchor = anchor
        self.readonly = readonly
        self._clock = clock
        self._busy_timeout = busy_timeout
        self._listeners: list[Callable[[AuditEntry], object]] = []
        if not readonly:
            try:
                private_dir(self.path.parent)
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
            if readonly:
                uri = self.path.absolute().as_uri() + "?mode=ro"
                self._conn = sqlite3.connect(
                    uri, uri=True, timeout=busy_timeout, isolation_level=None
                )
            else:
                # SQLite gives the -wal and -shm files the database file's mode: 0600.
                touch_private(self.path)
                self._conn = sqlite3.connect(self.path, timeout=busy_timeout, isolation_level=None)
            self._conn.execute("PRAGMA synchronous=FULL")
            self._conn.create_function("bmx_matches", 5, _matches, deterministic=True)
            if readonly:
                self._check_readonly()
            else:
                self._prepare()
                # Only once the file is known to be ours: switching to WAL rewrites its header.
                self._conn.execute("PRAGMA journal_mode=WAL").fetchone()
                for suffix in ("-wal", "-shm"):
                    tighten(self.path.with_name(self.path.name + suffix))
                self._anchor_at_open()
        except sqlite3.Error as exc:
            self.close()
            raise self._error(exc) from exc
        except (AuditError, OSError) as exc:
            self.close()
            if isinstance(exc, OSError):
                raise AuditError(
                    f"Cannot create the audit log {self.path} ({exc.strerror or exc})."
                ) from exc
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
        if self.anchor is not None and not self.readonly:
            # Within the desk's quit budget; a keyring that hangs leaves the anchor behind,
            # which verify tolerates (it only narrows what the anchor proves).
            self.anchor.flush(timeout_s=1.0)

    def add_listener(self, listener: Callable[[AuditEntry], object]) -> None:
        """``listener(entry)`` after each entry this process commits (the syslog forwarder)."""
        self._listeners.append(listener)

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
        building_id: int | None = None,
        building_name: str = "",
        tenant_id: int | None = None,
        ref: int | None = None,
    ) -> AuditEntry:
        """Append one entry; it is committed to disk when this returns, or ``AuditError``."""
        values: dict[str, Any] = {
            "at": _format_time(self._clock.now()),
            "operator": _clean(operator),
            "action": _clean(action),
            "outcome": _clean(outcome),
            "door_id": door_id,
            "door_name": _clean(door_name),
            "subject": _clean(subject),
            "detail": _clean(detail),
            "release_id": release_id,
            "release_guid": None if release_guid is None else _clean(release_guid),
            "building_id": building_id,
            "building_name": _clean(building_name),
            "tenant_id": tenant_id,
            "ref": ref,
            "v": 2,
        }
        with self._transaction("BEGIN IMMEDIATE") as conn:
            self._append(conn, values)
        entry = self._entry(tuple(values[c] for c in _COLUMNS))
        self._committed(entry)
        return entry

    def _append(self, conn: sqlite3.Connection, values: dict[str, Any]) -> None:
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

    def _committed(self, entry: AuditEntry) -> None:
        if self.anchor is not None:
            self.anchor.update(Anchor(entry.seq, entry.hash, _format_time(entry.at)))
        for listener in list(self._listeners):
            with contextlib.suppress(Exception):
                listener(entry)

    def record_release_sent(
        self,
        *,
        operator: str,
        door_id: int,
        door_name: str,
        tenant_id: int | None,
        building_id: int | None = None,
        building_name: str = "",
    ) -> AuditEntry:
        """The write-ahead entry of a release, committed before the request leaves."""
        return self.record(
            operator=operator,
            action=ACTION_RELEASE,
            outcome=OUTCOME_SENT,
            door_id=door_id,
            door_name=door_name,
            building_id=building_id,
            building_name=building_name,
            tenant_id=tenant_id,
        )

    def record_release_outcome(
        self,
        sent: AuditEntry,
        outcome: str,
        *,
        release: Release | None = None,
        error: str | None = None,
        operator: str | None = None,
    ) -> AuditEntry:
        """The outcome of the release ``sent`` announced, chained after it."""
        return self.record(
            operator=sent.operator if operator is None else operator,
            action=ACTION_RELEASE,
            outcome=outcome,
            door_id=sent.door_id,
            door_name=sent.door_name,
            building_id=sent.building_id,
            building_name=sent.building_name,
            tenant_id=sent.tenant_id,
            detail=error or "",
            release_id=release.id if release is not None else None,
            release_guid=(release.guid or None) if release is not None else None,
            ref=sent.seq,
        )

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
        """Record one release attempt in one entry (a release refused before it was sent)."""
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

    def unsettled(self) -> list[AuditEntry]:
        """``sent`` releases with no final outcome yet (oldest first)."""
        conn = self._connection()
        try:
            rows = conn.execute(_UNSETTLED + " ORDER BY seq", FINAL_OUTCOMES).fetchall()
        except sqlite3.Error as exc:
            raise self._error(exc) from exc
        return [self._entry(row) for row in rows]

    def unsettled_seqs(self, seqs: list[int]) -> set[int]:
        """Which of the ``sent`` entries ``seqs`` are still without a final outcome."""
        if not seqs:
            return set()
        wanted = set(seqs)
        return {e.seq for e in self.unsettled() if e.seq in wanted}

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
        """Recompute the chain from the first entry to the head record, compare the end with
        the keyring's anchor, and say what is wrong."""
        problems: list[str] = []
        checked = 0
        times: dict[int, str] = {}
        hashes: dict[int, str] = {}
        notes: list[str] = []
        # The anchor before the file: it is written after each commit, so read in this order
        # it never runs ahead of a file another process is writing meanwhile.
        known, damaged = self._read_anchor(notes)
        with self._transaction("BEGIN") as conn:
            expected_seq = 1
            prev_hash = GENESIS_HASH
            prev_at: str | None = None
            for row in conn.execute(_SELECT + " ORDER BY seq"):
                values = dict(zip(_COLUMNS, row, strict=True))
                seq = values["seq"]
                checked += 1
                if seq < expected_seq:
                    problems.append(f"entry {seq} has a number no entry can have")
                elif seq > expected_seq:
                    problems.append(
                        f"{_span(expected_seq, seq - 1)} missing from the log "
                        + _between(prev_at, str(values["at"]))
                    )
                elif values["prev_hash"] != prev_hash:
                    problems.append(f"entry {seq} does not follow on from entry {seq - 1}")
                if _entry_hash(values) != values["hash"]:
                    problems.append(f"entry {seq} was changed after it was written")
                expected_seq = max(expected_seq, seq + 1)
                prev_hash = values["hash"]
                prev_at = str(values["at"])
                times[seq], hashes[seq] = prev_at, prev_hash
            last_seq = expected_seq - 1
            head_problem = None
            try:
                head_seq, head_hash = self._head(conn)
            except AuditError:
                head_problem = (
                    "the head record is missing or damaged, so entries deleted from the end "
                    "cannot be detected"
                )
            else:
                if head_seq > last_seq:
                    head_problem = f"{_span(last_seq + 1, head_seq)} missing from the end"
                elif head_seq < last_seq:
                    head_problem = (
                        f"{_span(head_seq + 1, last_seq)} beyond the last entry bmx-console "
                        f"recorded ({head_seq})"
                    )
                elif head_hash != prev_hash:
                    head_problem = f"entry {last_seq} is not the entry that was written last"
        if known is None and last_seq and self.anchor is not None and not damaged and not notes:
            notes.append(
                "This log has no copy of its head in the OS keyring yet (an older version "
                "wrote it, or the keyring was reset): the next entry starts one."
            )
        outside = damaged or (anchor_problem(known, last_seq, times, hashes) if known else None)
        if outside:
            problems.append(outside)
        elif head_problem:
            problems.append(head_problem)
        unknown = [unknown_sentence(e) for e in self.unsettled()]
        return VerifyResult(
            ok=not problems, checked=checked, problems=problems, notes=notes, unknown=unknown
        )

    def _read_anchor(self, notes: list[str]) -> tuple[Anchor | None, str | None]:
        """The keyring's anchor, or None; and the problem if it was altered."""
        if self.anchor is None:
            return None, None
        if not self.anchor.available:
            notes.append(NO_KEYRING_NOTE)
            return None, None
        try:
            return self.anchor.read(), None
        except AnchorDamaged:
            return None, (
                "the copy of the log's head kept in the OS keyring does not verify (it was "
                "altered), so an earlier copy of the log put back cannot be ruled out"
            )
        except Exception as exc:
            notes.append(f"The OS keyring could not be read ({exc}): " + NO_KEYRING_NOTE)
            return None, None

    def export_csv(
        self,
        path: Path,
        *,
        since: datetime | None = None,
        raw: bool = False,
        operator: str | None = None,
    ) -> int:
        """Write entries (oldest first, every field) to ``path``; rows written. See
        ``core.audit_export``: cells are made safe to open unless ``raw``. With ``operator``,
        the export itself is recorded."""
        from bmx_console.core.audit_export import export_csv

        rows = self.entries(since=since, newest_first=False)
        unsettled = {e.seq for e in self.unsettled()}
        count = export_csv(rows, Path(path), raw=raw, unsettled=unsettled)
        if operator is not None:
            self.record(
                operator=operator,
                action=ACTION_EXPORT,
                outcome="exported",
                subject=str(path),
                detail=f"{count} entries{' (raw)' if raw else ''}",
            )
        return count

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
                version = 1
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
            if version < 2:
                for statement in _MIGRATE_V2:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
            # A write that changes nothing proves now, not at the first release, that the
            # file can be written.
            conn.execute("UPDATE meta SET value = value WHERE key = 'head_seq'")

    def _check_readonly(self) -> None:
        conn = self._connection()
        (app_id,) = conn.execute("PRAGMA application_id").fetchone()
        tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if app_id == 0 and not tables:
            # An empty (or zero-byte) file: verify it as an empty log.
            conn.close()
            self._conn = sqlite3.connect(":memory:", isolation_level=None)
            self._conn.create_function("bmx_matches", 5, _matches, deterministic=True)
            for statement in (*_SCHEMA, *_MIGRATE_V2):
                self._conn.execute(statement)
            self._conn.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                [("head_seq", "0"), ("head_hash", GENESIS_HASH)],
            )
            return
        if app_id != _APPLICATION_ID:
            raise AuditError(f"{self.path} is not a bmx-console audit log.")
        if "entries" not in tables or "meta" not in tables:
            raise AuditError(
                f"The audit log {self.path} is damaged (tables are missing). Keep the file "
                "as evidence."
            )
        (version,) = conn.execute("PRAGMA user_version").fetchone()
        if version < _SCHEMA_VERSION:
            # An older file, read without migrating it: verified from a copy in memory.
            copy = sqlite3.connect(":memory:", isolation_level=None)
            conn.backup(copy)
            conn.close()
            self._conn = copy
            copy.create_function("bmx_matches", 5, _matches, deterministic=True)
            for statement in _MIGRATE_V2:
                copy.execute(statement)

    def _anchor_at_open(self) -> None:
        """Start the anchor for a log that has none; when the file ends before the anchor,
        say so in the file itself before anything else is written."""
        anchor = self.anchor
        if anchor is None or not anchor.available:
            return
        try:
            known = anchor.read()
        except AnchorDamaged:
            return  # kept as evidence: verify reports it
        except Exception:
            return
        with self._transaction("BEGIN IMMEDIATE") as conn:
            head_seq, _ = self._head(conn)
            row = conn.execute(_SELECT + " ORDER BY seq DESC LIMIT 1").fetchone()
            last = self._entry(row) if row else None
            last_seq = max(head_seq, last.seq if last else 0)
            if known is None:
                if last is not None:
                    anchor.write_now(Anchor(last.seq, last.hash, _format_time(last.at)))
                return
            if known.seq <= last_seq:
                return
            values: dict[str, Any] = {
                "at": _format_time(self._clock.now()),
                "operator": "bmx-console",
                "action": ACTION_GAP,
                "outcome": "missing",
                "door_id": None,
                "door_name": "",
                "subject": str(self.path),
                "detail": gap_sentence(known, last_seq, last),
                "release_id": None,
                "release_guid": None,
                "building_id": None,
                "building_name": "",
                "tenant_id": None,
                "ref": None,
                "v": 2,
            }
            # Continue the chain from the anchor: the missing entries stay a visible gap.
            conn.executemany(
                "UPDATE meta SET value = ? WHERE key = ?",
                [(str(known.seq), "head_seq"), (known.hash, "head_hash")],
            )
            self._append(conn, values)
        entry = self._entry(tuple(values[c] for c in _COLUMNS))
        anchor.write_now(Anchor(entry.seq, entry.hash, _format_time(entry.at)))

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
            building_id=_maybe_int(v["building_id"]),
            building_name=_text(v["building_name"]),
            tenant_id=_maybe_int(v["tenant_id"]),
            ref=_maybe_int(v["ref"]),
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


def verify_path(path: Path, anchor: AuditAnchor | None = None) -> VerifyResult:
    """Verify the log at ``path`` without creating or changing it: a missing file is a log
    with no entries, which only a new installation (no anchor yet) may have."""
    path = Path(path)
    if not path.exists():
        if anchor is not None and anchor.available:
            try:
                known = anchor.read()
            except AnchorDamaged:
                known = None
            if known is not None:
                problem = anchor_problem(known, 0, {}, {})
                return VerifyResult(
                    ok=False,
                    checked=0,
                    problems=[f"the audit log file {path} is missing; " + (problem or "")],
                )
        notes = [NO_KEYRING_NOTE] if anchor is not None and not anchor.available else []
        return VerifyResult(ok=True, checked=0, problems=[], notes=notes)
    with AuditLog(path, anchor=anchor, readonly=True) as log:
        return log.verify()
