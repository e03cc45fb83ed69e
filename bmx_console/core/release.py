"""One-click door release, with the row states the desk shows while it happens.

A release is sent once and never retried here: the cloud has no idempotency key, so a
retry after the request may have arrived could open the door twice (the client alone
decides the one safe resend, after a 401). A second press of the same door within a few
seconds is taken for a double click and dropped.

The audit log is written ahead: a ``sent`` entry is committed before the request leaves, so a
release the cloud executes while the desk crashes, is killed or loses power still has its
trace. Its outcome follows as a second entry, written before the row says so: ``released``
(with the cloud's release id), ``failed`` (the request was refused, or provably never left),
or ``unknown`` (sent, and no answer came: a timeout, a dropped connection, Ctrl+C). An
unknown outcome is settled later from the cloud's access log (``core.witness``).
"""

from __future__ import annotations

import asyncio
import getpass
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal, Protocol

from bmx_console.api.models import Release
from bmx_console.clock import Clock, SystemClock
from bmx_console.core.store import ReleaseStatus, Store
from bmx_console.errors import BmxError, ProtocolError, TransientError

logger = logging.getLogger(__name__)

ReleaseResult = Literal["released", "failed", "ignored"]
AuditOutcome = Literal["released", "failed", "unknown"]

NO_TENANT = (
    "No release tenant is set: set release_tenant_id in the settings to the front-desk "
    "tenant the console releases doors as."
)
# ButterflyMX refuses a release made as a tenant of another building (422), so each building
# needs its own front-desk tenant; without one its doors are not releasable from this desk.
TenantFor = Callable[[int | None], int | None]


def no_tenant_sentence(building_name: str | None) -> str:
    """Why a door of a building without a release tenant cannot be released."""
    if not building_name:
        return NO_TENANT
    return f"No front-desk tenant for {building_name} — choose one in Settings."


INTERRUPTED = (
    "The release was interrupted before ButterflyMX answered: check the door before pressing again."
)
UNEXPECTED = "The release failed because of an unexpected error; the log has details."
NO_ANSWER = (
    "ButterflyMX did not answer, so whether the door opened is unknown: check the door before "
    "pressing again."
)
# Gateway answers that do not say whether the cloud behind them executed the request.
_UNCERTAIN_STATUSES = (None, 502, 504)
# How long a failure stays red on its row (unless the next release succeeds first): long
# enough to be seen and dealt with, not all shift.
FAILURE_SHOWN_S = 300.0


class DoorReleaser(Protocol):
    """What the release service needs from ``BmxClient``."""

    async def release_door(self, door_id: int, tenant_id: int) -> Release: ...


class ReleaseAudit(Protocol):
    """What it needs from the audit log. Each call is synchronous: it returns once committed."""

    def record_release_sent(
        self,
        *,
        operator: str,
        door_id: int,
        door_name: str,
        tenant_id: int | None,
        building_id: int | None = None,
        building_name: str = "",
    ) -> Any: ...

    def record_release_outcome(
        self,
        sent: Any,
        outcome: str,
        *,
        release: Release | None = None,
        error: str | None = None,
        operator: str | None = None,
    ) -> object: ...

    def record_release(
        self,
        *,
        operator: str,
        door_id: int,
        door_name: str,
        outcome: str,
        release: Release | None = None,
        error: str | None = None,
    ) -> object: ...


def outcome_of(exc: BaseException) -> AuditOutcome:
    """Whether a release that raised ``exc`` surely did not happen ("failed") or may have."""
    if isinstance(exc, asyncio.CancelledError | ProtocolError):
        return "unknown"
    if isinstance(exc, TransientError):
        return "unknown" if exc.sent and exc.status in _UNCERTAIN_STATUSES else "failed"
    if isinstance(exc, BmxError):
        return "failed"
    return "unknown"


@dataclass(frozen=True, slots=True)
class ReleaseOutcome:
    """What came of one press. ``error`` is the failure sentence; ``notice`` why a press was
    ignored; ``audit_error`` is set when the press could not be recorded."""

    result: ReleaseResult
    door_id: int
    release: Release | None = None
    error: str | None = None
    notice: str | None = None
    audit_error: str | None = None
    # Sent, and no answer came: the door may have opened.
    unknown: bool = False
    # The error behind ``error``, for callers that map it further (the CLI's exit codes).
    cause: BmxError | None = field(default=None, repr=False, compare=False)


def default_operator() -> str:
    """The desktop account's user name, which is who sits at the desk."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


class ReleaseService:
    def __init__(
        self,
        client: DoorReleaser,
        store: Store,
        *,
        tenant_id: int | None,
        tenant_for: TenantFor | None = None,
        released_state_s: float = 5.0,
        repeat_guard_s: float = 3.0,
        clock: Clock | None = None,
        audit: ReleaseAudit | None = None,
        operator: Callable[[], str] = default_operator,
    ) -> None:
        self.tenant_id = tenant_id
        # The tenant for each building (settings' [release_tenants]); else tenant_id for all.
        self._tenant_for = tenant_for
        self.released_state_s = released_state_s
        self.repeat_guard_s = repeat_guard_s
        self._client = client
        self._store = store
        self._clock: Clock = clock or SystemClock()
        self._audit = audit
        self._operator = operator
        self._in_flight: set[int] = set()
        # Monotonic time of each door's last press that went out and did not fail.
        self._sent_at: dict[int, float] = {}
        # When each door's notice goes away; None keeps it until the next press.
        self._notice_until: dict[int, float | None] = {}

    async def release(self, door_id: int) -> ReleaseOutcome:
        now = self._clock.monotonic()
        if door_id in self._in_flight:
            return self._ignore(door_id, "Already sending — ignored a second press.")
        sent_at = self._sent_at.get(door_id)
        if sent_at is not None and now - sent_at < self.repeat_guard_s:
            return self._ignore(
                door_id,
                f"Already sent — ignored a second press within {self.repeat_guard_s:g} s",
            )
        door_name = self._door_name(door_id)
        self._notice_until.pop(door_id, None)
        tenant_id = self.tenant_for_door(door_id)
        if tenant_id is None:
            return self._failed(door_id, door_name, self.why_not_releasable(door_id) or NO_TENANT)
        self._in_flight.add(door_id)
        self._sent_at[door_id] = now
        self._set(door_id, ReleaseStatus(state="sending"))
        try:
            sent, sent_error = self._record_sent(door_id, door_name, tenant_id)
            try:
                release = await self._client.release_door(door_id, tenant_id)
            except asyncio.CancelledError as exc:
                self._failed(door_id, door_name, INTERRUPTED, sent=sent, outcome=outcome_of(exc))
                raise
            except BmxError as exc:
                logger.warning(
                    "Release of %s (door %d) failed: %s (%s)", door_name, door_id, exc, exc.details
                )
                outcome = outcome_of(exc)
                sentence = str(exc) if outcome == "failed" else f"{exc} {NO_ANSWER}"
                return self._failed(
                    door_id,
                    door_name,
                    sentence,
                    cause=exc,
                    sent=sent,
                    outcome=outcome,
                    audit_error=sent_error,
                )
            except Exception:
                logger.exception("Release of %s (door %d) failed unexpectedly.", door_name, door_id)
                return self._failed(
                    door_id,
                    door_name,
                    UNEXPECTED,
                    sent=sent,
                    outcome="unknown",
                    audit_error=sent_error,
                )
        finally:
            self._in_flight.discard(door_id)
        return self._released(door_id, door_name, release, sent=sent, audit_error=sent_error)

    def tick(self) -> None:
        """Return expired "released" rows to idle and clear expired notices. Idempotent;
        the window calls it every second, tests after moving the fake clock."""
        now = self._clock.monotonic()
        updates: dict[int, ReleaseStatus] = {}
        for door_id, status in self._store.release_statuses().items():
            new = status
            if new.state == "released" and (new.released_until or 0.0) <= now:
                new = replace(new, state="idle", released_until=None)
            if new.state == "failed" and new.failure_until is not None and new.failure_until <= now:
                new = replace(new, state="idle", failure=None, details=None, failure_until=None)
            until = self._notice_until.get(door_id)
            if new.notice is not None and until is not None and until <= now:
                new = replace(new, notice=None)
                del self._notice_until[door_id]
            if new != status:
                updates[door_id] = new
        if updates:
            self._store.set_release_status(updates)
        self._sent_at = {d: t for d, t in self._sent_at.items() if now - t < self.repeat_guard_s}

    # -- outcomes --------------------------------------------------------------------------

    def _ignore(self, door_id: int, notice: str) -> ReleaseOutcome:
        # An unwritten audit entry outranks a double click: keep that notice on the row.
        audit_notice_shown = door_id in self._notice_until and self._notice_until[door_id] is None
        if not audit_notice_shown:
            self._notice_until[door_id] = self._clock.monotonic() + self.released_state_s
            self._set(door_id, replace(self._store.release_status(door_id), notice=notice))
        return ReleaseOutcome(result="ignored", door_id=door_id, notice=notice)

    def _released(
        self,
        door_id: int,
        door_name: str,
        release: Release,
        *,
        sent: Any = None,
        audit_error: str | None = None,
    ) -> ReleaseOutcome:
        logger.info("Released %s (door %s): release id %s", door_name, door_id, release.id)
        audit_error = self._record(door_id, door_name, "released", release, None, sent) or (
            audit_error
        )
        notice = None
        if audit_error is not None:
            notice = f"Released, but the audit log could not be written: {audit_error}"
            self._notice_until[door_id] = None
        self._set(
            door_id,
            ReleaseStatus(
                state="released",
                released_until=self._clock.monotonic() + self.released_state_s,
                notice=notice,
            ),
        )
        return ReleaseOutcome(
            result="released", door_id=door_id, release=release, audit_error=audit_error
        )

    def _failed(
        self,
        door_id: int,
        door_name: str,
        sentence: str,
        cause: BmxError | None = None,
        *,
        sent: Any = None,
        outcome: AuditOutcome = "failed",
        audit_error: str | None = None,
    ) -> ReleaseOutcome:
        # A failed press does not arm the repeat guard: pressing again is a deliberate retry.
        self._sent_at.pop(door_id, None)
        audit_error = self._record(door_id, door_name, outcome, None, sentence, sent) or (
            audit_error
        )
        failure = sentence
        if audit_error is not None:
            failure = f"{sentence} The audit log could not be written either: {audit_error}"
        details = (cause.details or None) if cause is not None else None
        self._set(
            door_id,
            ReleaseStatus(
                state="failed",
                failure=failure,
                details=details,
                failed_at=self._clock.now(),
                failure_until=self._clock.monotonic() + FAILURE_SHOWN_S,
            ),
        )
        return ReleaseOutcome(
            result="failed",
            door_id=door_id,
            error=sentence,
            audit_error=audit_error,
            cause=cause,
            unknown=outcome == "unknown",
        )

    def _who(self) -> str:
        try:
            return self._operator()
        except Exception:
            logger.exception("Could not tell who the operator is; auditing as 'unknown'.")
            return "unknown"

    def _record_sent(self, door_id: int, door_name: str, tenant_id: int) -> tuple[Any, str | None]:
        """The write-ahead entry; (entry, None), or (None, the sentence) if it failed. A
        release goes out even then: the desk must keep opening doors, and says so."""
        if self._audit is None:
            return None, None
        row = self._store.door(door_id)
        try:
            entry = self._audit.record_release_sent(
                operator=self._who(),
                door_id=door_id,
                door_name=door_name,
                tenant_id=tenant_id,
                building_id=row.building_id if row is not None else None,
                building_name=row.building_name if row is not None else "",
            )
        except Exception as exc:
            logger.error(
                "Audit entry before the release of %s (door %d) could not be written.",
                door_name,
                door_id,
                exc_info=exc,
            )
            return None, str(exc) or type(exc).__name__
        return entry, None

    def _record(
        self,
        door_id: int,
        door_name: str,
        outcome: str,
        release: Release | None,
        error: str | None,
        sent: Any = None,
    ) -> str | None:
        """Write the outcome entry; on failure return the sentence, never raise."""
        if self._audit is None:
            return None
        try:
            if sent is not None:
                self._audit.record_release_outcome(
                    sent, outcome, release=release, error=error, operator=self._who()
                )
            else:
                self._audit.record_release(
                    operator=self._who(),
                    door_id=door_id,
                    door_name=door_name,
                    outcome=outcome,
                    release=release,
                    error=error,
                )
        except Exception as exc:
            logger.error(
                "Audit entry for the %s release of %s (door %d) could not be written.",
                outcome,
                door_name,
                door_id,
                exc_info=exc,
            )
            return str(exc) or type(exc).__name__
        return None

    def tenant_for_door(self, door_id: int) -> int | None:
        """The tenant this door is released as (its building's front desk), or None."""
        if self._tenant_for is None:
            return self.tenant_id
        row = self._store.door(door_id)
        return self._tenant_for(row.building_id if row is not None else None)

    def why_not_releasable(self, door_id: int) -> str | None:
        """The sentence a door shows when it cannot be released from this desk, else None."""
        if self.tenant_for_door(door_id) is not None:
            return None
        row = self._store.door(door_id)
        building = self._store.buildings.get(row.building_id) if row and row.building_id else None
        return no_tenant_sentence(building.name if building is not None else None)

    def _door_name(self, door_id: int) -> str:
        row = self._store.door(door_id)
        return row.name if row is not None else f"Door {door_id}"

    def _set(self, door_id: int, status: ReleaseStatus) -> None:
        self._store.set_release_status({door_id: status})
