"""Pollers against a fake cloud, on a fake clock: nothing here waits for real time."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bmx_console.api.models import AccessEvent
from bmx_console.clock import FakeClock
from bmx_console.core import pollers as pollers_module
from bmx_console.core.cursor import CursorFile, events_key
from bmx_console.core.pollers import (
    DELIVERY_SLICE,
    CallPoller,
    EventPoller,
    Poller,
    Pollers,
    RosterPoller,
    backoff_delay,
)
from bmx_console.core.store import Store, StoreListener
from bmx_console.errors import (
    Forbidden,
    NetworkError,
    RateLimited,
    ServerError,
    SignedOut,
)

from .fakes import FakeCloud, Recorder, SteppedSleep, at, building, call, door, event

HOUR = 3600.0


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(at(0))


@pytest.fixture
def sleep(clock: FakeClock) -> SteppedSleep:
    return SteppedSleep(clock)


@pytest.fixture
def cloud() -> FakeCloud:
    return FakeCloud()


@pytest.fixture
def store() -> Store:
    return Store()


@pytest.fixture
async def running() -> AsyncIterator[list[Poller | Pollers]]:
    """Pollers a test starts go here and are stopped whatever the test's outcome."""
    started: list[Poller | Pollers] = []
    yield started
    for item in started:
        await item.stop()


def no_jitter() -> float:
    return 1.0


def event_poller(
    cloud: FakeCloud,
    store: Store,
    clock: FakeClock,
    sleep: SteppedSleep,
    cursor: CursorFile,
    *,
    interval_s: float = 30,
) -> EventPoller:
    return EventPoller(
        cloud, store, cursor, interval_s=interval_s, clock=clock, sleep=sleep, jitter=no_jitter
    )


def start_events_from_0(
    cloud: FakeCloud,
    store: Store,
    clock: FakeClock,
    sleep: SteppedSleep,
    running: list[Poller | Pollers],
    path: Path,
    *,
    interval_s: float = 30,
) -> EventPoller:
    """An events poller for building 1 whose cursor stands at ``at(0)``, started."""
    CursorFile(path).update({events_key(1): at(0)})
    poller = event_poller(cloud, store, clock, sleep, CursorFile(path), interval_s=interval_s)
    running.append(poller)
    poller.start()
    return poller


def test_backoff_grows_from_seconds_to_the_normal_interval() -> None:
    error = ServerError("The cloud failed.")
    assert [backoff_delay(30, n, error) for n in range(1, 7)] == [2, 4, 8, 16, 30, 30]
    assert backoff_delay(30, 1, error, jitter=0.75) == 1.5


def test_rate_limiting_waits_at_least_the_interval_and_honours_retry_after() -> None:
    assert backoff_delay(30, 1, RateLimited("Slow down.", retry_after=90)) == 90
    assert backoff_delay(30, 1, RateLimited("Slow down.", retry_after=5)) == 30
    assert backoff_delay(30, 9, RateLimited("Slow down.")) == 300
    assert backoff_delay(30, 1, RateLimited("Slow down.", retry_after=10**6)) == HOUR


async def test_failing_poller_backs_off_then_returns_to_its_interval(
    cloud: FakeCloud,
    store: Store,
    clock: FakeClock,
    sleep: SteppedSleep,
    running: list[Poller | Pollers],
) -> None:
    cloud.fail("access_events", *(ServerError("The cloud is having trouble.") for _ in range(3)))
    poller = event_poller(cloud, store, clock, sleep, CursorFile(None))
    running.append(poller)
    poller.start()
    await sleep.until_sleeping(1)
    health = store.health("events")
    assert health is not None
    assert health.last_error == "The cloud is having trouble."
    assert health.next_attempt == at(2)
    assert store.connection == "degraded"
    sleep.allow(3)
    await sleep.until_sleeping(4)
    assert sleep.delays == [2, 4, 8, 30]
    assert store.connection == "connected"


async def test_retry_after_from_the_cloud_is_honoured_by_the_loop(
    cloud: FakeCloud,
    store: Store,
    clock: FakeClock,
    sleep: SteppedSleep,
    running: list[Poller | Pollers],
) -> None:
    cloud.fail("doors", RateLimited("ButterflyMX is rate-limiting.", retry_after=120))
    poller = RosterPoller(cloud, store, interval_s=60, clock=clock, sleep=sleep, jitter=no_jitter)
    running.append(poller)
    poller.start()
    await sleep.until_sleeping(1)
    assert sleep.delays == [120]
    assert store.door_count() == 0
    sleep.allow()
    await sleep.until_sleeping(2)
    assert store.door_count() == 2


async def test_a_roster_of_20000_doors_is_read_every_5_minutes_and_its_health_knows(
    cloud: FakeCloud,
    store: Store,
    clock: FakeClock,
    sleep: SteppedSleep,
    running: list[Poller | Pollers],
) -> None:
    """200 pages a minute was most of the desk's traffic and CPU at rest: a big roster is
    paced at 1.5 s a page, and the status bar counts it out of date only after twice that."""
    cloud.doors_list = [door(n, f"Door {n}") for n in range(1, 20_001)]
    poller = RosterPoller(cloud, store, interval_s=60, clock=clock, sleep=sleep, jitter=no_jitter)
    running.append(poller)
    poller.start()
    await sleep.until_sleeping(1)
    assert store.door_count() == 20_000
    assert sleep.delays == [300]
    health = store.health("doors")
    assert health is not None and health.interval_s == 300
    # Back to a small roster: the setting holds again.
    cloud.doors_list = cloud.doors_list[:3000]
    sleep.allow()
    await sleep.until_sleeping(2)
    assert sleep.delays[-1] == 60
    health = store.health("doors")
    assert health is not None and health.interval_s == 60


async def test_events_catch_up_from_the_cursor_after_a_gap(
    tmp_path: Path,
    cloud: FakeCloud,
    clock: FakeClock,
    sleep: SteppedSleep,
    running: list[Poller | Pollers],
) -> None:
    path = tmp_path / "cursor.json"
    # The desk was off for three hours; things happened meanwhile.
    clock.advance(3 * HOUR)
    cloud.events_list = [
        event(1, at(-10)),
        event(2, at(600)),
        event(3, at(2 * HOUR), door_id=2),
        event(4, at(3 * HOUR - 5)),
    ]
    store = Store()
    start_events_from_0(cloud, store, clock, sleep, running, path)
    await sleep.until_sleeping(1)
    assert cloud.calls_to("access_events") == [(1, at(-60))]
    assert [e.id for e in store.events_newest_first()] == [4, 3, 2, 1]
    assert CursorFile(path).get(events_key(1)) == at(3 * HOUR - 5)
    # The next tick reads only from the newest event seen, minus the overlap.
    cloud.events_list.append(event(5, at(3 * HOUR + 20)))
    sleep.allow()
    await sleep.until_sleeping(2)
    assert cloud.calls_to("access_events")[-1] == (1, at(3 * HOUR - 65))
    assert [e.id for e in store.events_newest_first(2)] == [5, 4]


async def test_a_fast_events_poll_reads_back_seconds_and_the_whole_overlap_every_30_s(
    tmp_path: Path,
    cloud: FakeCloud,
    clock: FakeClock,
    sleep: SteppedSleep,
    running: list[Poller | Pollers],
) -> None:
    """Polled every second, a busy building's log used to be read back a whole minute on
    every poll. Now a minute every 30 s, 5 s otherwise; an event logged 40 s late (a panel
    back online) still reaches the events pane, within half a minute."""
    path = tmp_path / "cursor.json"
    cloud.events_list = [event(1, at(0))]
    store = Store()
    start_events_from_0(cloud, store, clock, sleep, running, path, interval_s=1)
    await sleep.until_sleeping(1)
    cloud.events_list.append(event(2, at(-40)))  # logged 40 s before the newest seen
    sleep.allow(29)
    await sleep.until_sleeping(30)
    assert 2 not in {e.id for e in store.events_newest_first()}
    sleep.allow()
    await sleep.until_sleeping(31)
    reads = [since for _building, since in cloud.calls_to("access_events")]
    assert reads == [at(-60)] + [at(-5)] * 29 + [at(-60)]
    assert {e.id for e in store.events_newest_first()} == {1, 2}


async def test_polled_every_30_s_every_events_poll_reads_back_the_whole_overlap(
    tmp_path: Path,
    cloud: FakeCloud,
    clock: FakeClock,
    sleep: SteppedSleep,
    running: list[Poller | Pollers],
) -> None:
    path = tmp_path / "cursor.json"
    cloud.events_list = [event(1, at(0))]
    start_events_from_0(cloud, Store(), clock, sleep, running, path)
    sleep.allow(2)
    await sleep.until_sleeping(3)
    reads = [since for _building, since in cloud.calls_to("access_events")]
    assert reads == [at(-60)] * 3


async def test_a_long_catch_up_reaches_the_window_in_slices_not_one_freeze(
    tmp_path: Path,
    cloud: FakeCloud,
    clock: FakeClock,
    sleep: SteppedSleep,
    running: list[Poller | Pollers],
) -> None:
    path = tmp_path / "cursor.json"
    clock.advance(3 * HOUR)
    cloud.events_list = [event(n, at(n)) for n in range(1, 1201)]
    store = Store()
    listener = Recorder()
    store.subscribe(listener)
    start_events_from_0(cloud, store, clock, sleep, running, path)
    await sleep.until_sleeping(1)
    batches = [ids for name, ids in listener.seen if name == "events_added"]
    assert [len(b) for b in batches] == [DELIVERY_SLICE, DELIVERY_SLICE, 200]
    assert [i for b in batches for i in b] == list(range(1, 1201))
    assert store.event_count() == 1200


async def test_a_sweep_lets_its_records_go_slice_by_slice(
    tmp_path: Path,
    cloud: FakeCloud,
    clock: FakeClock,
    sleep: SteppedSleep,
    running: list[Poller | Pollers],
) -> None:
    """A sweep of a busy log brings tens of thousands of records, most already held: the
    poll lets each go once handed on, instead of freeing them all in one turn at its end."""
    path = tmp_path / "cursor.json"
    clock.advance(3 * HOUR)
    fetched: list[AccessEvent] = [event(n, at(n)) for n in range(1, 1501)]

    async def access_events(building_id: int, since: Any = None) -> list[AccessEvent]:
        await cloud._enter("access_events", (building_id, since))
        return fetched

    cloud.access_events = access_events  # type: ignore[method-assign]
    store = Store()
    still_held: list[int] = []

    class Watch(StoreListener):
        def events_added(self, events: Any) -> None:
            still_held.append(len(fetched))

    store.subscribe(Watch())
    start_events_from_0(cloud, store, clock, sleep, running, path)
    await sleep.until_sleeping(1)
    assert store.event_count() == 1500
    assert len(still_held) == 3
    assert still_held[0] <= 1000 and still_held == sorted(still_held, reverse=True)
    assert still_held[-1] == 0


async def test_merging_three_busy_buildings_is_spread_over_the_slices_too(
    tmp_path: Path,
    cloud: FakeCloud,
    clock: FakeClock,
    sleep: SteppedSleep,
    running: list[Poller | Pollers],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The buildings' logs are merged as they are handed over, not all at once before the
    first slice: no loop turn of the poll orders more than about two slices' records (all
    15,000 in one turn froze the window for 16 ms)."""
    CursorFile(tmp_path / "cursor.json").update({events_key(b): at(0) for b in (1, 2, 3)})
    clock.advance(3 * HOUR)
    cloud.buildings_list = [building(b) for b in (1, 2, 3)]
    cloud.events_list = [
        event(b * 10_000 + n, at(n), bid=b) for b in (1, 2, 3) for n in range(5000)
    ]
    ordered = 0
    log_order = pollers_module._log_order

    def counted(record: AccessEvent) -> Any:
        nonlocal ordered
        ordered += 1
        return log_order(record)

    monkeypatch.setattr(pollers_module, "_log_order", counted)
    per_turn: list[int] = []

    async def turns() -> None:
        while True:
            per_turn.append(ordered)
            await asyncio.sleep(0)

    ticker = asyncio.ensure_future(turns())
    store = Store()
    poller = event_poller(cloud, store, clock, sleep, CursorFile(tmp_path / "cursor.json"))
    running.append(poller)
    poller.start()
    await sleep.until_sleeping(1)
    ticker.cancel()
    assert store.event_count() == 15_000
    assert ordered >= 15_000
    assert max(b - a for a, b in itertools.pairwise(per_turn)) <= 2 * DELIVERY_SLICE


async def test_first_run_without_cursor_loads_the_last_hour_only(
    cloud: FakeCloud,
    store: Store,
    clock: FakeClock,
    sleep: SteppedSleep,
    running: list[Poller | Pollers],
) -> None:
    clock.advance(2 * HOUR)
    cloud.events_list = [event(1, at(HOUR - 1)), event(2, at(HOUR + 1))]
    poller = event_poller(cloud, store, clock, sleep, CursorFile(None))
    running.append(poller)
    poller.start()
    await sleep.until_sleeping(1)
    assert [e.id for e in store.events_newest_first()] == [2]


async def test_an_event_from_a_panel_clock_in_the_future_does_not_push_the_cursor_ahead(
    cloud: FakeCloud,
    store: Store,
    clock: FakeClock,
    sleep: SteppedSleep,
    running: list[Poller | Pollers],
) -> None:
    cursor = CursorFile(None)
    cloud.events_list = [event(1, at(HOUR))]
    poller = event_poller(cloud, store, clock, sleep, cursor)
    running.append(poller)
    poller.start()
    await sleep.until_sleeping(1)
    assert cursor.get(events_key(1)) == at(0)


async def test_one_forbidden_building_does_not_hide_the_other_buildings_events(
    cloud: FakeCloud,
    store: Store,
    clock: FakeClock,
    sleep: SteppedSleep,
    running: list[Poller | Pollers],
) -> None:
    cloud.buildings_list = [building(1), building(2, "Annex")]
    cloud.events_list = [event(1, at(-5), bid=1), event(2, at(-4), bid=2)]
    cloud.fail("access_events", Forbidden("These credentials cannot read the access log."))
    poller = event_poller(cloud, store, clock, sleep, CursorFile(None))
    running.append(poller)
    poller.start()
    await sleep.until_sleeping(1)
    assert [e.id for e in store.events_newest_first()] == [2]
    health = store.health("events")
    assert health is not None
    assert health.last_error == "These credentials cannot read the access log."
    assert store.connection == "degraded"


async def test_a_loop_stopped_by_an_unexpected_error_is_logged_shown_and_restarted(
    cloud: FakeCloud,
    store: Store,
    clock: FakeClock,
    sleep: SteppedSleep,
    running: list[Poller | Pollers],
    caplog: pytest.LogCaptureFixture,
) -> None:
    bug = RuntimeError("a bug in a parser")
    cloud.fail("calls", bug)
    cloud.calls_list = [call(1, at(-30))]
    poller = CallPoller(
        cloud, store, CursorFile(None), interval_s=10, clock=clock, sleep=sleep, jitter=no_jitter
    )
    running.append(poller)
    poller.start()
    await sleep.until_sleeping(1)
    logged = [r for r in caplog.records if r.exc_info and r.exc_info[1] is bug]
    assert logged and logged[0].levelname == "ERROR"
    assert "calls" in logged[0].getMessage()
    health = store.health("calls")
    assert health is not None
    assert health.last_error == (
        "The calls check stopped unexpectedly and was restarted; the log has the details."
    )
    assert store.connection == "degraded"
    # Restarted after a short back-off, not at once and not never.
    assert sleep.delays == [2.0]
    assert health.next_attempt == at(2)
    sleep.allow()
    await sleep.until_sleeping(2)
    assert store.call_count() == 1
    health = store.health("calls")
    assert health is not None and health.last_error is None
    assert store.connection == "connected"
    assert sleep.delays[-1] == 10
    assert poller.running


class StoreThatFailsOnce(Store):
    """A store whose first ``record_success`` raises, as a broken bookkeeping step would."""

    def __init__(self) -> None:
        super().__init__()
        self.failures_left = 1

    def record_success(self, name: str, **kwargs: Any) -> None:
        if self.failures_left:
            self.failures_left -= 1
            raise RuntimeError("bookkeeping bug")
        super().record_success(name, **kwargs)


async def test_an_error_outside_the_request_does_not_end_the_loop_either(
    cloud: FakeCloud,
    clock: FakeClock,
    sleep: SteppedSleep,
    running: list[Poller | Pollers],
) -> None:
    store = StoreThatFailsOnce()
    cloud.calls_list = [call(1, at(-30))]
    poller = CallPoller(
        cloud, store, CursorFile(None), interval_s=10, clock=clock, sleep=sleep, jitter=no_jitter
    )
    running.append(poller)
    poller.start()
    await sleep.until_sleeping(1)
    health = store.health("calls")
    assert health is not None and health.last_error is not None
    assert "stopped unexpectedly" in health.last_error
    sleep.allow()
    await sleep.until_sleeping(2)
    assert len(cloud.calls_to("calls")) == 2
    health = store.health("calls")
    assert health is not None and health.last_success == at(2)
    assert poller.running


async def test_a_call_whose_status_moves_on_is_picked_up_by_the_overlap(
    cloud: FakeCloud,
    store: Store,
    clock: FakeClock,
    sleep: SteppedSleep,
    running: list[Poller | Pollers],
) -> None:
    cloud.calls_list = [call(1, at(-5), status="initializing")]
    poller = CallPoller(
        cloud, store, CursorFile(None), interval_s=10, clock=clock, sleep=sleep, jitter=no_jitter
    )
    running.append(poller)
    poller.start()
    await sleep.until_sleeping(1)
    cloud.calls_list = [call(1, at(-5), status="opened_door")]
    sleep.allow()
    await sleep.until_sleeping(2)
    assert store.call_at(0).status == "opened_door"


async def test_signed_out_pauses_until_resume(
    cloud: FakeCloud,
    store: Store,
    clock: FakeClock,
    sleep: SteppedSleep,
    running: list[Poller | Pollers],
) -> None:
    cloud.fail("doors", SignedOut("Signed out of ButterflyMX: sign in again."))
    pollers = Pollers(
        [RosterPoller(cloud, store, interval_s=60, clock=clock, sleep=sleep, jitter=no_jitter)]
    )
    running.append(pollers)
    pollers.start()
    with pytest.raises(SignedOut):
        await asyncio.wait_for(pollers.ready(), 5)
    assert store.connection == "signed_out"
    health = store.health("doors")
    assert health is not None
    assert (health.paused, health.next_attempt) == (True, None)
    pollers.poll_now()
    sleep.allow(5)
    for _ in range(10):
        await asyncio.sleep(0)
    assert cloud.calls_to("doors") == [None]
    assert sleep.delays == []
    pollers.resume()
    await sleep.until_sleeping(1)
    assert cloud.calls_to("doors") == [None, None]
    assert store.connection == "connected"
    assert store.door_count() == 2


async def test_poll_now_ticks_without_waiting_for_the_interval(
    cloud: FakeCloud,
    store: Store,
    clock: FakeClock,
    sleep: SteppedSleep,
    running: list[Poller | Pollers],
) -> None:
    poller = RosterPoller(cloud, store, interval_s=60, clock=clock, sleep=sleep, jitter=no_jitter)
    running.append(poller)
    poller.start()
    await sleep.until_sleeping(1)
    cloud.doors_list.append(door(3, "Roof"))
    poller.poll_now()
    await sleep.until_sleeping(2)
    assert store.door_count() == 3
    assert clock.now() == at(0)


async def test_scoped_roster_drops_doors_of_other_buildings_when_the_filter_is_ignored(
    cloud: FakeCloud,
    store: Store,
    clock: FakeClock,
    sleep: SteppedSleep,
    running: list[Poller | Pollers],
) -> None:
    cloud.buildings_list = [building(1), building(2, "Annex")]
    cloud.doors_list = [door(1), door(2), door(3, bid=2)]
    poller = RosterPoller(cloud, store, building_id=2, clock=clock, sleep=sleep, jitter=no_jitter)
    running.append(poller)
    poller.start()
    await sleep.until_sleeping(1)
    assert [r.id for r in store.doors] == [3]
    assert list(store.buildings) == [2]
    assert cloud.calls_to("doors") == [2]


async def test_scoped_roster_to_an_invisible_building_says_what_to_check(
    cloud: FakeCloud,
    store: Store,
    clock: FakeClock,
    sleep: SteppedSleep,
    running: list[Poller | Pollers],
) -> None:
    poller = RosterPoller(cloud, store, building_id=42, clock=clock, sleep=sleep, jitter=no_jitter)
    running.append(poller)
    poller.start()
    await sleep.until_sleeping(1)
    health = store.health("doors")
    assert health is not None
    assert health.last_error is not None
    assert "building_id" in health.last_error


async def test_ready_returns_once_doors_and_events_have_succeeded(
    cloud: FakeCloud,
    store: Store,
    clock: FakeClock,
    sleep: SteppedSleep,
    running: list[Poller | Pollers],
) -> None:
    cloud.fail("access_events", NetworkError("The network is unreachable."))
    cloud.events_list = [event(1, at(-1))]
    pollers = Pollers.create(
        cloud, store, CursorFile(None), clock=clock, sleep=sleep, jitter=no_jitter
    )
    running.append(pollers)
    assert pollers.names == ("doors", "events", "calls")
    pollers.start()
    ready = asyncio.ensure_future(pollers.ready())
    await sleep.until_sleeping(3)
    assert not ready.done()
    sleep.allow(3)
    await asyncio.wait_for(ready, 5)
    assert store.event_count() == 1


def test_an_events_interval_of_zero_leaves_events_out(cloud: FakeCloud, store: Store) -> None:
    pollers = Pollers.create(cloud, store, CursorFile(None), events_interval_s=0)
    assert pollers.names == ("doors", "calls")


async def test_stop_finishes_promptly_while_a_request_hangs(
    cloud: FakeCloud, store: Store, clock: FakeClock, sleep: SteppedSleep
) -> None:
    cloud.hang = asyncio.Event()
    pollers = Pollers.create(cloud, store, CursorFile(None), clock=clock, sleep=sleep)
    pollers.start()
    await cloud.until_requests(3)
    began = time.monotonic()
    await pollers.stop()
    assert time.monotonic() - began < 2
    assert not any(p.running for p in pollers)


async def test_stop_gives_up_waiting_on_a_request_that_ignores_cancellation(
    store: Store, clock: FakeClock, sleep: SteppedSleep
) -> None:
    release = asyncio.Event()

    class Stubborn(Poller):
        async def poll(self) -> None:
            while not release.is_set():
                try:
                    await release.wait()
                except asyncio.CancelledError:
                    continue

    poller = Stubborn("doors", 60, store, clock=clock, sleep=sleep)
    task = poller.start()
    await asyncio.sleep(0)
    began = time.monotonic()
    await poller.stop(grace_s=0.05)
    assert time.monotonic() - began < 1
    release.set()
    task.cancel()
    await asyncio.wait({task}, timeout=1)
