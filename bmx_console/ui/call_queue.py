"""What the call banner holds, without Qt: the calls ringing (one of them shown), the missed
calls, and which calls were acknowledged or answered from this desk.

Calls come from polling, so "new" means new to this console: only calls logged within the
last ``recent`` ring; older ones that happened while the console was running (a network
gap) go straight to the missed list; history from before the start is neither. A call that
leaves the banner without being acknowledged or answered from here is missed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from bmx_console.api.models import Call
from bmx_console.clock import Clock


@dataclass(frozen=True, slots=True)
class Arrivals:
    """What a batch of new calls did: those that ring, those for the front desk among
    them, and whether any went straight to the missed list."""

    rang: list[Call]
    desk_calls: list[Call]
    missed: bool


class CallQueue:
    """The calls ringing, in the order shown, with one current; and the missed calls."""

    def __init__(
        self,
        clock: Clock,
        *,
        recent: timedelta,
        ring: timedelta,
        desk_tenant_id: int | None = None,
        desk_tenant_ids: Iterable[int] = (),
    ) -> None:
        self._clock = clock
        self._recent = recent
        self._ring = ring
        self.desk_tenant_id = desk_tenant_id
        # Every building's front-desk tenant (the settings' [release_tenants]).
        self.desk_tenant_ids = frozenset(desk_tenant_ids)
        self._started = clock.now()
        self._ringing: list[Call] = []
        self._index = 0
        self._acknowledged: set[int] = set()
        # Calls answered from this desk by a release: not missed, even if never acknowledged.
        self._handled: set[int] = set()
        self._missed: list[Call] = []
        self._unseen_missed = 0

    # -- reading -----------------------------------------------------------------------------

    def current(self) -> Call | None:
        return self._ringing[self._index] if self._ringing else None

    @property
    def index(self) -> int:
        return self._index

    def ringing(self) -> list[Call]:
        return list(self._ringing)

    def missed(self) -> list[Call]:
        """Missed calls in the order they were missed."""
        return list(self._missed)

    @property
    def missed_count(self) -> int:
        return len(self._missed)

    @property
    def unseen_missed(self) -> int:
        """Calls missed since the operator last looked at the missed calls."""
        return self._unseen_missed

    def is_for_desk(self, call: Call) -> bool:
        if (call.recipient_type or "").lower() == "attendant":
            return True
        if call.recipient_id is not None and call.recipient_id in self.desk_tenant_ids:
            return True
        return self.desk_tenant_id is not None and call.recipient_id == self.desk_tenant_id

    def desk_call_waiting(self) -> bool:
        """A call for the front desk rings that no release from here has answered."""
        return any(self.is_for_desk(c) and c.id not in self._handled for c in self._ringing)

    # -- changes -----------------------------------------------------------------------------

    def add(self, calls: Iterable[Call]) -> Arrivals:
        now = self._clock.now()
        known = {c.id for c in self._ringing} | {c.id for c in self._missed} | self._acknowledged
        rang: list[Call] = []
        missed = False
        for call in calls:
            if call.id in known:
                continue
            if now - call.logged_at <= self._recent:
                self._ringing.append(call)
                rang.append(call)
            elif call.logged_at >= self._started:
                self._missed.append(call)
                self._unseen_missed += 1
                missed = True
        desk_calls = [c for c in rang if self.is_for_desk(c)]
        if desk_calls:
            # The front desk's own calls come first, without taking the banner away from a
            # desk call the operator may be answering.
            shown = self._ringing[self._index] if self._index < len(self._ringing) else None
            if shown is None or shown in rang or not self.is_for_desk(shown):
                self._index = self._ringing.index(desk_calls[0])
        return Arrivals(rang=rang, desk_calls=desk_calls, missed=missed)

    def update(self, calls: Iterable[Call]) -> tuple[bool, bool]:
        """Known calls whose status moved on; returns whether a ringing call and whether a
        missed call was among them."""
        updated = {c.id: c for c in calls}
        self._ringing = [updated.get(c.id, c) for c in self._ringing]
        self._missed = [updated.get(c.id, c) for c in self._missed]
        return (
            any(c.id in updated for c in self._ringing),
            any(c.id in updated for c in self._missed),
        )

    def take_current(self, *, acknowledged: bool = False) -> Call | None:
        """The current call leaves the ringing calls (acknowledged, or to be missed)."""
        call = self.current()
        if call is None:
            return None
        if acknowledged:
            self._acknowledged.add(call.id)
        del self._ringing[self._index]
        self._index = min(self._index, max(0, len(self._ringing) - 1))
        return call

    def to_missed(self, calls: Iterable[Call]) -> bool:
        """Calls that left without being acknowledged or answered from here are missed;
        returns whether any was."""
        gone = [c for c in calls if c.id not in self._handled and c.id not in self._acknowledged]
        self._missed.extend(gone)
        self._unseen_missed += len(gone)
        return bool(gone)

    def step(self, by: int) -> bool:
        """Show the next (``by`` 1) or previous (-1) ringing call, if there is one."""
        index = self._index + by
        if not 0 <= index < len(self._ringing):
            return False
        self._index = index
        return True

    def expire(self) -> list[Call]:
        """Take out the calls that rang for too long; returns them."""
        now = self._clock.now()
        expired = [c for c in self._ringing if now - c.logged_at > self._ring]
        if expired:
            current = self.current()
            self._ringing = [c for c in self._ringing if c not in expired]
            if current in expired or current is None:
                self._index = 0
            else:
                self._index = self._ringing.index(current)
        return expired

    def mark_handled(self, call_id: int) -> None:
        """A release from this desk answered the call."""
        self._handled.add(call_id)

    def mark_missed_seen(self) -> bool:
        seen = self._unseen_missed > 0
        self._unseen_missed = 0
        return seen

    def clear_missed(self) -> None:
        self._missed.clear()
        self._unseen_missed = 0
