"""What an audit entry is: its fields, how it is hashed, and the sentences that describe
entries and what is missing. Shared by the log (``core.audit``), its export and the cloud
check; no file access here."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bmx_console.core.audit_anchor import Anchor
from bmx_console.errors import BmxError

ACTION_RELEASE = "release"
ACTION_PASS_CREATE = "pass_create"
ACTION_PASS_REVOKE = "pass_revoke"
ACTION_SHIFT_START = "shift_start"
ACTION_SHIFT_END = "shift_end"
ACTION_OPERATOR_CHANGE = "operator_change"
ACTION_CALL_ACK = "call_acknowledge"
ACTION_CALL_DISMISS = "call_dismiss"
ACTION_CALL_RELEASE = "call_release"
ACTION_KIOSK_EXIT = "kiosk_exit"
ACTION_KIOSK_PIN = "kiosk_pin_change"
ACTION_SETTINGS = "settings_change"
ACTION_SIGN_IN = "sign_in"
ACTION_SIGN_OUT = "sign_out"
ACTION_EXPORT = "audit_export"
# Written by the log itself when it finds entries missing that the keyring anchor vouches for.
ACTION_GAP = "audit_gap"

OUTCOME_SENT = "sent"
OUTCOME_RELEASED = "released"
OUTCOME_FAILED = "failed"
OUTCOME_UNKNOWN = "unknown"
OUTCOME_CONFIRMED = "confirmed"
# What settles a sent release; "unknown" does not.
FINAL_OUTCOMES = (OUTCOME_RELEASED, OUTCOME_FAILED, OUTCOME_CONFIRMED)
UNKNOWN_TEXT = "outcome unknown"

GENESIS_HASH = "0" * 64

# Marks the file as ours, so that pointing the console at some other SQLite file is refused
# instead of quietly adding tables to it.
_APPLICATION_ID = 0x424D5841  # "BMXA"
_SCHEMA_VERSION = 2
# Fixed width, so that text order is time order and the stored text is what gets hashed.
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
_BUSY_TIMEOUT_S = 10.0

_COLUMNS_V1 = (
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
# Version 2 entries also name the building, the release tenant and the entry they settle;
# version 1 entries (older logs) keep their own hashes.
_COLUMNS = (*_COLUMNS_V1, "building_id", "building_name", "tenant_id", "ref", "v")
_HASHED = tuple(c for c in _COLUMNS if c != "hash")
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
_MIGRATE_V2 = (
    "ALTER TABLE entries ADD COLUMN building_id INTEGER",
    "ALTER TABLE entries ADD COLUMN building_name TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE entries ADD COLUMN tenant_id INTEGER",
    "ALTER TABLE entries ADD COLUMN ref INTEGER",
    "ALTER TABLE entries ADD COLUMN v INTEGER NOT NULL DEFAULT 1",
    "CREATE INDEX entries_ref ON entries (ref)",
)
_UNSETTLED = (
    _SELECT + " AS s WHERE action = 'release' AND outcome = 'sent' AND NOT EXISTS "
    "(SELECT 1 FROM entries AS o WHERE o.ref = s.seq AND o.outcome IN (?, ?, ?))"
)


class AuditError(BmxError):
    """The audit log cannot be opened, read or written; the sentence names the file."""


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One recorded operator action. ``detail`` is an error sentence or a note, never a secret.

    ``ref`` is the ``sent`` entry an outcome settles; ``tenant_id`` the release tenant."""

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
    building_id: int | None = None
    building_name: str = ""
    tenant_id: int | None = None
    ref: int | None = None


@dataclass(frozen=True, slots=True)
class VerifyResult:
    ok: bool
    checked: int
    problems: list[str]
    # Not tampering, but worth saying: no keyring, an anchor made just now.
    notes: list[str] = field(default_factory=list)
    # Releases whose outcome is still unknown, one sentence each.
    unknown: list[str] = field(default_factory=list)


NO_KEYRING_NOTE = (
    "No usable OS keyring on this PC: an earlier copy of the audit log put back, or an "
    "emptied or deleted log, cannot be detected."
)


def _format_time(value: datetime) -> str:
    # A naive time is taken as UTC rather than as local time: clocks here are all UTC.
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime(_TIME_FORMAT)


def _entry_hash(values: dict[str, Any]) -> str:
    """SHA-256 of the entry's fields and the previous hash, in a fixed order, as JSON.

    Version 1 entries hash the fields they were written with; any other ``v`` (version 2, or
    a value changed behind bmx-console's back) hashes every field, ``v`` included."""
    if values.get("v", 2) == 1:
        parts = ["bmx-audit/1", *(values[c] for c in _COLUMNS_V1 if c != "hash")]
    else:
        parts = ["bmx-audit/2", *(values.get(c, 2) if c == "v" else values[c] for c in _HASHED)]
    canonical = json.dumps(parts, ensure_ascii=True, separators=(",", ":"), default=_tampered_value)
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


def _span(first: int, last: int) -> str:
    return f"entry {first} is" if first == last else f"entries {first}–{last} are"


def show_time(stored: str | None) -> str:
    """A stored time as a person reads it, in UTC."""
    if not stored:
        return "an unknown time"
    try:
        moment = datetime.strptime(stored, _TIME_FORMAT)
    except ValueError:
        return stored
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def _between(before: str | None, after: str) -> str:
    if before is None:
        return f"(written before {show_time(after)})"
    return f"(written between {show_time(before)} and {show_time(after)})"


def anchor_problem(
    anchor: Anchor, last_seq: int, times: dict[int, str], hashes: dict[int, str]
) -> str | None:
    """What the keyring's anchor says is wrong with a file whose entries end at ``last_seq``."""
    if anchor.seq > last_seq:
        missing = anchor.seq - last_seq
        noun = "entry is" if missing == 1 else "entries are"
        if last_seq == 0:
            return (
                f"the log is empty, but bmx-console had recorded {anchor.seq} entries on this "
                f"PC, the last at {show_time(anchor.at)}: all {anchor.seq} are missing (the "
                "file was emptied, replaced or deleted, or its -wal file lost)"
            )
        return (
            f"{missing} {noun} missing from the end, since {show_time(times.get(last_seq))}: "
            f"the log ends at entry {last_seq}, but bmx-console had recorded up to entry "
            f"{anchor.seq} ({show_time(anchor.at)}); an earlier copy of the log was put back "
            "or its newest entries were lost"
        )
    if hashes.get(anchor.seq) != anchor.hash:
        return (
            f"entry {anchor.seq} is not the entry bmx-console recorded as number {anchor.seq} "
            f"at {show_time(anchor.at)}: the log was rewritten or replaced"
        )
    return None


def gap_sentence(anchor: Anchor, last_seq: int, last: AuditEntry | None) -> str:
    """The note written into a log that lost entries the anchor vouches for."""
    first = last_seq + 1
    since = f"after {show_time(_format_time(last.at))}" if last is not None else "from the start"
    return (
        f"{_span(first, anchor.seq).replace(' is', '').replace(' are', '')} were missing "
        f"from this file when bmx-console opened it: {anchor.seq - last_seq} entries recorded "
        f"{since} up to {show_time(anchor.at)}."
    )


def where(entry: Any) -> str:
    """Door and building, as sentences name them."""
    door = entry.door_name or (f"door {entry.door_id}" if entry.door_id is not None else "")
    if entry.door_id is not None and entry.door_name:
        door = f"{entry.door_name} (door {entry.door_id})"
    if entry.building_name:
        return f"{door}, {entry.building_name}"
    if entry.building_id is not None:
        return f"{door}, building {entry.building_id}"
    return door


def unknown_sentence(entry: AuditEntry) -> str:
    return (
        f"release of {where(entry)} at {show_time(_format_time(entry.at))} by "
        f"{entry.operator}: outcome unknown (sent, no answer recorded)"
    )


def verify_sentence(result: VerifyResult) -> str:
    """What the operator reads after Verify chain."""
    after = ""
    if result.unknown:
        n = len(result.unknown)
        after += (
            f" {n} release{' has' if n == 1 else 's have'} an unknown outcome: "
            "Check against ButterflyMX to settle " + ("it." if n == 1 else "them.")
        )
    for note in result.notes:
        after += " " + note
    if result.ok:
        if result.checked == 0:
            return "Chain intact — the log has no entries yet." + after
        noun = "entry checks" if result.checked == 1 else f"{result.checked:,} entries check"
        return f"Chain intact — {'the' if result.checked == 1 else 'all'} {noun} out." + after
    count = len(result.problems)
    noun = "problem" if count == 1 else "problems"
    return f"Tampered with — {count} {noun}: " + "; ".join(result.problems) + "." + after
