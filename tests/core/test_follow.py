"""`events --follow` keeps up: 600 events a second over three buildings, some logged late,
through an outage and a rate limit, each printed exactly once, in simulated time."""

from __future__ import annotations

import bisect
import random
from datetime import datetime, timedelta

from bmx_console.api.models import AccessEvent
from bmx_console.clock import FakeClock
from bmx_console.core.follow import DEFAULT_OVERLAP, EventFollower
from bmx_console.errors import AuthError, NetworkError, RateLimited

BUILDINGS = (101, 202, 303)
PER_BUILDING_PER_S = 200  # 600 a second in all
RUN_S = 8 * 60  # longer than the overlap, so that forgetting old ids is exercised
LATE_SHARE = 0.02
MAX_LATE_S = 150
OUTAGE = (120.0, 150.0)  # seconds after the start: a 30-second outage
RATE_LIMITED_AT = 300.0


class LateLoggingCloud:
    """An access log where an event shows up at ``visible_at``, which for some events is
    minutes after their ``logged_at`` (a panel that was offline uploading its openings)."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.start = clock.now()
        rng = random.Random(20261202)
        self.log: dict[int, list[tuple[datetime, datetime, AccessEvent]]] = {}
        self.late = 0
        next_id = 1
        for building in BUILDINGS:
            rows = []
            for n in range(RUN_S * PER_BUILDING_PER_S):
                logged = self.start + timedelta(seconds=n / PER_BUILDING_PER_S)
                delay = 0.0
                if rng.random() < LATE_SHARE:
                    delay = rng.uniform(20, MAX_LATE_S)
                    self.late += 1
                event = AccessEvent(
                    id=next_id, logged_at=logged, building_id=building, release_status="Unlocked"
                )
                next_id += 1
                rows.append((logged, logged + timedelta(seconds=delay), event))
            self.log[building] = rows
        self.keys = {b: [r[0] for r in rows] for b, rows in self.log.items()}
        self.reads = 0
        self.rate_limited = False

    @property
    def all_ids(self) -> set[int]:
        return {e.id for rows in self.log.values() for _, _, e in rows}

    async def access_events(self, building: int, since: datetime | None) -> list[AccessEvent]:
        self.reads += 1
        elapsed = (self.clock.now() - self.start).total_seconds()
        if OUTAGE[0] <= elapsed < OUTAGE[1]:
            raise NetworkError("ButterflyMX did not answer within 15 s.", sent=True)
        if elapsed >= RATE_LIMITED_AT and not self.rate_limited:
            self.rate_limited = True
            raise RateLimited("rate limited by ButterflyMX (HTTP 429)", retry_after=20)
        now = self.clock.now()
        rows = self.log[building]
        first = 0 if since is None else bisect.bisect_left(self.keys[building], since)
        last = bisect.bisect_right(self.keys[building], now)
        return [e for _, visible, e in rows[first:last] if visible <= now]


async def test_a_fast_follow_prints_every_event_once_through_late_logs_and_outages() -> None:
    clock = FakeClock()
    cloud = LateLoggingCloud(clock)
    printed: list[int] = []
    notices: list[str] = []
    most_remembered = 0
    follower = EventFollower(
        cloud.access_events,
        BUILDINGS,
        emit=lambda e: printed.append(e.id),
        notice=notices.append,
        clock=clock,
        sleep=clock.sleep,
        interval_s=5.0,
    )
    follower.start_from(None)
    end = cloud.start + timedelta(seconds=RUN_S + MAX_LATE_S + 10)
    while clock.now() < end:
        await follower.run(polls=1)
        most_remembered = max(most_remembered, follower.remembered)

    assert cloud.late > 5_000
    assert len(printed) == len(set(printed)), "an event was printed twice"
    assert set(printed) == cloud.all_ids, "an event was never printed"
    # Kept ids are about one overlap's worth of events, not the whole run's.
    per_overlap = len(BUILDINGS) * PER_BUILDING_PER_S * DEFAULT_OVERLAP.total_seconds()
    assert most_remembered <= per_overlap * 1.1
    assert most_remembered < len(printed) * 0.75
    behind = [n for n in notices if "falling behind" in n]
    back = [n for n in notices if "caught up after" in n]
    assert len(behind) == 2 and len(back) == 2, notices
    assert "did not answer" in behind[0] and "rate limited" in behind[1]


async def test_what_only_the_operator_can_fix_ends_the_follow() -> None:
    clock = FakeClock()

    async def refused(building: int, since: datetime | None) -> list[AccessEvent]:
        raise AuthError("HTTP 401 from ButterflyMX even after a fresh sign-in.")

    follower = EventFollower(
        refused,
        [1],
        emit=lambda e: None,
        notice=lambda s: None,
        clock=clock,
        sleep=clock.sleep,
        interval_s=5.0,
    )
    try:
        await follower.run(polls=3)
    except AuthError:
        return
    raise AssertionError("an AuthError must end the follow")
