"""The cloud as witness: the access logs ButterflyMX keeps of every release, compared with the
local audit log.

Each API release the desk makes shows up in the building's access log as an unlock of that
door by the release tenant (the desk's "Front Desk" placeholder). The access log carries no
release id, so a local entry and a cloud record are matched by door, tenant and time: the
cloud's ``logged_at`` must lie within ``MATCH_WINDOW`` of the local ``sent`` entry. Two
minutes each way: the request itself may take up to its timeout (15 s by default) before the
cloud executes it, the cloud logs a release a moment after executing it, and the desk PC's
clock may be off the cloud's by a minute or more (an unsynchronised PC drifts about that much
a month). A wider window would pair a release with a neighbour's record at a busy door; each
cloud record is used for one local entry at most, nearest in time first.

Two uses:

* ``settle``: releases whose outcome never came (crash, kill, power cut, Ctrl+C, a timeout)
  are looked up at the next start; one with a matching cloud record gets a ``confirmed``
  entry (confirmed by ButterflyMX). One without stays unknown, and the caller says so: the
  cloud may log late, or the request may never have arrived.
* ``compare``: ``audit verify --cloud`` and the Audit tab's "Check against ButterflyMX" list
  every cloud release made as a desk tenant that the local log lacks, and every local
  ``released`` the cloud has no record of.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal, Protocol

from bmx_console.api.models import AccessEvent, Building, Door
from bmx_console.clock import Clock, SystemClock
from bmx_console.core.audit import (
    ACTION_RELEASE,
    OUTCOME_CONFIRMED,
    OUTCOME_FAILED,
    OUTCOME_RELEASED,
    OUTCOME_SENT,
    AuditEntry,
    AuditLog,
    show_time,
    where,
)
from bmx_console.core.audit_records import _format_time

log = logging.getLogger(__name__)

MATCH_WINDOW = timedelta(minutes=2)
DEFAULT_PERIOD = timedelta(days=1)
WITNESS = "ButterflyMX"
_NOT_DESK = {"visitor", "delivery"}


class AccessLogReader(Protocol):
    """What the witness needs from ``BmxClient``."""

    async def buildings(self) -> list[Building]: ...

    async def doors(self, building_id: int | None = None) -> list[Door]: ...

    async def access_events(
        self, building_id: int, since: datetime | None = None
    ) -> list[AccessEvent]: ...


@dataclass(frozen=True, slots=True)
class Discrepancy:
    kind: Literal["missing_locally", "missing_in_cloud"]
    at: datetime
    door_id: int | None
    door_name: str
    building_name: str

    @property
    def place_and_time(self) -> str:
        place = f"{self.door_name} (door {self.door_id}), {self.building_name}".rstrip(", ")
        return f"{place} at {show_time(_format_time(self.at))}"

    @property
    def sentence(self) -> str:
        if self.kind == "missing_locally":
            return f"{self.place_and_time}: ButterflyMX logged this release; the local log lacks it"
        return f"{self.place_and_time}: recorded here as released; ButterflyMX has no record of it"


@dataclass(slots=True)
class CloudCheck:
    since: datetime
    until: datetime
    matched: int = 0
    confirmed: list[AuditEntry] = field(default_factory=list)
    still_unknown: list[AuditEntry] = field(default_factory=list)
    missing_locally: list[Discrepancy] = field(default_factory=list)
    missing_in_cloud: list[Discrepancy] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing_locally and not self.missing_in_cloud

    def summary(self) -> str:
        """One paragraph for the Audit tab and the command line."""
        period = f"since {show_time(_format_time(self.since))}"
        parts: list[str] = []
        if self.ok:
            parts.append(
                f"ButterflyMX agrees: {self.matched} release{'' if self.matched == 1 else 's'} "
                f"{period}, each in both logs."
            )
        else:
            if self.missing_locally:
                n = len(self.missing_locally)
                parts.append(
                    f"{n} release{' was' if n == 1 else 's were'} logged by ButterflyMX as the "
                    "desk's tenant but not here: "
                    + "; ".join(d.place_and_time for d in self.missing_locally)
                    + "."
                )
            if self.missing_in_cloud:
                n = len(self.missing_in_cloud)
                parts.append(
                    f"{n} release{' is' if n == 1 else 's are'} recorded here as released but "
                    "not logged by ButterflyMX: "
                    + "; ".join(d.place_and_time for d in self.missing_in_cloud)
                    + "."
                )
        parts.extend(settle_sentences(self.confirmed, self.still_unknown))
        return " ".join(parts)


def settle_sentences(confirmed: Sequence[AuditEntry], unknown: Sequence[AuditEntry]) -> list[str]:
    out: list[str] = []
    if confirmed:
        out.append(
            f"{len(confirmed)} release{' was' if len(confirmed) == 1 else 's were'} of unknown "
            "outcome, now confirmed by ButterflyMX."
        )
    if unknown:
        out.append(
            f"{len(unknown)} release{'' if len(unknown) == 1 else 's'} still of unknown "
            "outcome: ButterflyMX has no access log of "
            + ("it" if len(unknown) == 1 else "them")
            + " (yet): "
            + "; ".join(f"{where(e)} at {show_time(_format_time(e.at))}" for e in unknown)
            + "."
        )
    return out


@dataclass(slots=True)
class _Attempt:
    sent: AuditEntry
    final: str | None  # released, failed, confirmed, or None (still unknown)


async def settle(
    audit: AuditLog,
    reader: AccessLogReader,
    *,
    tenants: Iterable[int] = (),
    clock: Clock | None = None,
) -> tuple[list[AuditEntry], list[AuditEntry]]:
    """Record ``confirmed`` for each release of unknown outcome that the cloud logged;
    returns (confirmed sent entries, those still unknown)."""
    pending = audit.unsettled()
    if not pending:
        return [], []
    now = (clock or SystemClock()).now()
    since = min(e.at for e in pending) - MATCH_WINDOW
    check = await _match(audit, reader, since, now, tenants, building_ids=None)
    return check.confirmed, check.still_unknown


async def compare(
    audit: AuditLog,
    reader: AccessLogReader,
    *,
    since: datetime | None = None,
    tenants: Iterable[int] = (),
    building_id: int | None = None,
    clock: Clock | None = None,
) -> CloudCheck:
    """Both ways: cloud releases as a desk tenant missing here, local releases the cloud
    never logged; unknown outcomes it can settle are settled on the way."""
    now = (clock or SystemClock()).now()
    since = since or now - DEFAULT_PERIOD
    buildings = [building_id] if building_id is not None else None
    return await _match(audit, reader, since, now, tenants, building_ids=buildings, report=True)


async def _match(
    audit: AuditLog,
    reader: AccessLogReader,
    since: datetime,
    until: datetime,
    tenants: Iterable[int],
    *,
    building_ids: list[int] | None,
    report: bool = False,
) -> CloudCheck:
    check = CloudCheck(since=since, until=until)
    attempts = _attempts(audit.entries(since=since - MATCH_WINDOW, newest_first=False))
    desk_tenants = set(tenants) | {a.sent.tenant_id for a in attempts if a.sent.tenant_id}
    doors = {d.id: d for d in await reader.doors()}
    names = {b.id: b.name for b in await reader.buildings()}
    wanted_buildings: set[int] = set(building_ids) if building_ids else set(names)
    if not report:
        # Settling reads only the buildings of the releases it settles.
        wanted_buildings = {
            b for a in attempts if a.final is None and (b := _building_of(a.sent, doors))
        }
    events: list[AccessEvent] = []
    for building in sorted(wanted_buildings):
        found = await reader.access_events(building, since - MATCH_WINDOW)
        events += [e for e in found if _is_desk_release(e, desk_tenants)]
    candidates = [a for a in attempts if a.final != OUTCOME_FAILED]
    if building_ids:
        candidates = [a for a in candidates if _building_of(a.sent, doors) in wanted_buildings]
    pairs: list[tuple[float, int, int]] = []
    for ai, attempt in enumerate(candidates):
        for ei, event in enumerate(events):
            if event.door_id != attempt.sent.door_id:
                continue
            tenant = attempt.sent.tenant_id
            if tenant is not None and event.tenant_id != tenant:
                continue
            gap = abs((event.logged_at - attempt.sent.at).total_seconds())
            if gap <= MATCH_WINDOW.total_seconds():
                pairs.append((gap, ai, ei))
    used_attempts: set[int] = set()
    used_events: set[int] = set()
    for _gap, ai, ei in sorted(pairs):
        if ai in used_attempts or ei in used_events:
            continue
        used_attempts.add(ai)
        used_events.add(ei)
        attempt, event = candidates[ai], events[ei]
        if attempt.sent.at >= since or event.logged_at >= since:
            check.matched += 1
        if attempt.final is None and attempt.sent.outcome == OUTCOME_SENT:
            audit.record_release_outcome(
                attempt.sent,
                OUTCOME_CONFIRMED,
                operator=attempt.sent.operator,
                error=(
                    f"confirmed by {WITNESS}: access log {event.id} at "
                    f"{show_time(_format_time(event.logged_at))}"
                ),
            )
            check.confirmed.append(attempt.sent)
    for ai, attempt in enumerate(candidates):
        if ai in used_attempts:
            continue
        if attempt.final is None:
            check.still_unknown.append(attempt.sent)
        elif report and attempt.sent.at >= since:
            check.missing_in_cloud.append(_local(attempt.sent, doors, names))
    if report:
        for ei, event in enumerate(events):
            if ei not in used_events and event.logged_at >= since:
                check.missing_locally.append(_cloud(event, doors, names))
    if check.confirmed or check.still_unknown:
        log.info(
            "Releases of unknown outcome: %d confirmed by the access log, %d still unknown.",
            len(check.confirmed),
            len(check.still_unknown),
        )
    return check


def _attempts(entries: Sequence[AuditEntry]) -> list[_Attempt]:
    """Release attempts: each ``sent`` with its final outcome, and older one-entry releases."""
    attempts: dict[int, _Attempt] = {}
    ordered: list[_Attempt] = []
    for entry in entries:
        if entry.action != ACTION_RELEASE:
            continue
        if entry.outcome == OUTCOME_SENT:
            attempt = _Attempt(entry, None)
            attempts[entry.seq] = attempt
            ordered.append(attempt)
        elif entry.ref is not None:
            target = attempts.get(entry.ref)
            if target is not None and entry.outcome in (
                OUTCOME_RELEASED,
                OUTCOME_FAILED,
                OUTCOME_CONFIRMED,
            ):
                target.final = entry.outcome
        elif entry.outcome == OUTCOME_RELEASED:
            # Written in one entry by an older version: a release the cloud answered.
            ordered.append(_Attempt(entry, OUTCOME_RELEASED))
    return ordered


def _is_desk_release(event: AccessEvent, tenants: set[int]) -> bool:
    if event.tenant_id is None or event.tenant_id not in tenants:
        return False
    if event.keychain_id is not None or (event.release_type or "").lower() in _NOT_DESK:
        return False  # a visitor's pass issued for the desk tenant, not a release
    return event.release_status.lower() != "locked"


def _building_of(entry: AuditEntry, doors: dict[int, Door]) -> int | None:
    if entry.building_id is not None:
        return entry.building_id
    door = doors.get(entry.door_id) if entry.door_id is not None else None
    return door.building_id if door is not None else None


def _local(entry: AuditEntry, doors: dict[int, Door], names: dict[int, str]) -> Discrepancy:
    building = _building_of(entry, doors)
    return Discrepancy(
        "missing_in_cloud",
        entry.at,
        entry.door_id,
        entry.door_name,
        entry.building_name or names.get(building or -1, ""),
    )


def _cloud(event: AccessEvent, doors: dict[int, Door], names: dict[int, str]) -> Discrepancy:
    door = doors.get(event.door_id) if event.door_id is not None else None
    building = event.building_id or (door.building_id if door else None)
    return Discrepancy(
        "missing_locally",
        event.logged_at,
        event.door_id,
        door.name if door else f"door {event.door_id}",
        names.get(building or -1, ""),
    )


__all__ = [
    "MATCH_WINDOW",
    "AccessLogReader",
    "CloudCheck",
    "Discrepancy",
    "compare",
    "settle",
    "settle_sentences",
]
