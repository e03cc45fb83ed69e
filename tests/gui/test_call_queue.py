"""What the call banner holds, without the banner: which calls ring, which are missed, and
which one the operator sees first."""

from __future__ import annotations

from datetime import timedelta

from bmx_console.api.models import Call
from bmx_console.clock import FakeClock
from bmx_console.ui.call_queue import CallQueue
from tests.core.fakes import at

DESK = 42


def queue(clock: FakeClock) -> CallQueue:
    return CallQueue(
        clock, recent=timedelta(seconds=120), ring=timedelta(seconds=300), desk_tenant_id=DESK
    )


def call(cid: int, seconds: float, *, recipient: int | None = None) -> Call:
    return Call(id=cid, logged_at=at(seconds), building_id=1, panel_id=101, recipient_id=recipient)


def test_recent_calls_ring_older_ones_since_the_start_are_missed_and_history_is_neither() -> None:
    clock = FakeClock(at(0))
    calls = queue(clock)
    clock.advance(600)
    arrivals = calls.add([call(1, -10), call(2, 100), call(3, 590)])
    assert [c.id for c in arrivals.rang] == [3]
    assert arrivals.missed
    assert [c.id for c in calls.missed()] == [2]
    assert calls.unseen_missed == 1


def test_a_desk_call_is_shown_first_but_does_not_replace_a_desk_call_being_answered() -> None:
    clock = FakeClock(at(0))
    calls = queue(clock)
    calls.add([call(1, 0)])
    calls.add([call(2, 1, recipient=DESK)])
    current = calls.current()
    assert current is not None and current.id == 2
    arrivals = calls.add([call(3, 2, recipient=DESK)])
    assert [c.id for c in arrivals.desk_calls] == [3]
    current = calls.current()
    assert current is not None and current.id == 2


def test_calls_that_rang_too_long_are_missed_unless_answered_from_the_desk() -> None:
    clock = FakeClock(at(0))
    calls = queue(clock)
    calls.add([call(1, 0), call(2, 0, recipient=DESK)])
    calls.mark_handled(2)
    assert not calls.desk_call_waiting()
    clock.advance(301)
    expired = calls.expire()
    assert calls.to_missed(expired)
    assert [c.id for c in calls.missed()] == [1]
    assert calls.current() is None
