"""The store: what the door list, event log and status bar see."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from bmx_console.api.models import AccessEvent
from bmx_console.clock import FakeClock
from bmx_console.core.store import ReleaseStatus, Store, StoreListener
from bmx_console.errors import (
    Forbidden,
    NetworkError,
    RateLimited,
    ServerError,
    SignedOut,
)

from .fakes import Recorder, at, building, call, door, event


def roster_store(**kwargs: int) -> Store:
    store = Store(**kwargs)
    store.set_roster(
        [building(1, "Harbor View"), building(2, "Annex")],
        [door(1, "Lobby"), door(2, "Garage"), door(3, "Side gate", bid=2)],
        [],
    )
    return store


def test_rows_are_sorted_by_building_then_door_and_findable_by_id() -> None:
    store = roster_store()
    assert [(r.building_name, r.name) for r in store.doors] == [
        ("Annex", "Side gate"),
        ("Harbor View", "Garage"),
        ("Harbor View", "Lobby"),
    ]
    assert store.door_index(1) == 2
    assert store.door_at(2).time_zone == "America/New_York"
    assert store.door_index(99) is None


def test_roster_refresh_with_same_doors_keeps_indexes_and_reports_only_changed_rows() -> None:
    store = roster_store()
    listener = Recorder()
    store.subscribe(listener)
    store.set_roster(
        [building(1, "Harbor View"), building(2, "Annex")],
        [door(1, "Main lobby"), door(2, "Garage"), door(3, "Side gate", bid=2)],
        [],
    )
    assert store.door_at(2).name == "Main lobby"
    assert listener.named("doors_changed") == [[2]]
    assert listener.named("doors_reset") == []


def test_roster_refresh_with_one_renamed_door_rebuilds_and_announces_only_that_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The 60-s refresh of a big roster: the same doors again, as new objects from the
    # wire, one of them renamed. Only that row may change; the rest stay as they were,
    # not rebuilt (rebuilding 20,000 rows every minute was a visible stall).
    buildings = [building(1, "Harbor View"), building(2, "Annex")]
    roster = [door(i, bid=1 + i % 2) for i in range(1, 2001)]
    store = Store()
    store.set_roster(buildings, roster, [])
    before = list(store.doors)
    listener = Recorder()
    store.subscribe(listener)
    built: list[int] = []
    row_for = Store._row_for
    monkeypatch.setattr(Store, "_row_for", lambda self, d: built.append(d.id) or row_for(self, d))
    fresh = [
        door(d.id, "Roof hatch" if d.id == 700 else d.name, d.building_id or 1) for d in roster
    ]
    store.set_roster([building(1, "Harbor View"), building(2, "Annex")], fresh, [])
    renamed = store.door_index(700)
    assert renamed is not None
    assert listener.seen == [("doors_changed", [renamed])]
    assert store.door_at(renamed).name == "Roof hatch"
    assert built == [700]
    assert all(
        a is b for i, (a, b) in enumerate(zip(before, store.doors, strict=True)) if i != renamed
    )


def test_renamed_building_announces_its_doors_rows_without_a_reset() -> None:
    store = roster_store()
    listener = Recorder()
    store.subscribe(listener)
    store.set_roster(
        [building(1, "Harbor View"), building(2, "Annex West")],
        [door(1, "Lobby"), door(2, "Garage"), door(3, "Side gate", bid=2)],
        [],
    )
    assert listener.named("doors_changed") == [[0]]
    assert listener.named("doors_reset") == []
    assert store.door_at(0).building_name == "Annex West"


def test_new_door_resets_rows_but_keeps_release_state_and_last_event() -> None:
    store = roster_store()
    store.add_events([event(10, at(0), door_id=1)])
    store.set_release_status({1: ReleaseStatus(state="released", released_until=1005.0)})
    listener = Recorder()
    store.subscribe(listener)
    store.set_roster(
        [building(1, "Harbor View"), building(2, "Annex")],
        [door(1, "Lobby"), door(2, "Garage"), door(3, "Side gate", bid=2), door(4, "Roof")],
        [],
    )
    assert listener.named("doors_reset") == [None]
    row = store.door(1)
    assert row is not None
    assert row.state == "released"
    assert row.last_event == "Unlocked (Visitor)"
    assert store.door_count() == 4


def test_a_new_roster_is_made_in_steps_and_applied_at_once_with_what_happened_meanwhile() -> None:
    """A caller yields to the loop at each step: the door list keeps the old roster until
    the last step, and an event or a release that came in between is on its row."""
    store = roster_store()
    listener = Recorder()
    store.subscribe(listener)
    doors = [door(n, f"Door {n:05}") for n in range(10, 10_010)]
    steps = store.roster_steps([building(1, "Harbor View")], doors, [], rows_per_step=1000)
    made = 0
    for _step in steps:
        made += 1
        assert store.door_count() == 3  # still the old roster, whole
        if made == 5:
            store.add_events([event(1, at(5), door_id=20)])
            store.set_release_status({30: ReleaseStatus("sending")})
    assert made >= 10
    assert listener.named("doors_reset") == [None]
    assert store.door_count() == 10_000
    assert store.door_at(store.door_index(20)).last is not None
    assert store.door_at(store.door_index(30)).release.state == "sending"
    assert store.door_at(store.door_index(40)).last is None


def test_event_updates_last_event_of_its_door_only_when_newer() -> None:
    store = roster_store()
    store.add_events([event(10, at(60), door_id=1, actor="Ana Ruiz", release_type="Tenant")])
    store.add_events([event(9, at(30), door_id=1, actor=None)])
    row = store.door(1)
    assert row is not None
    assert (row.last_event, row.last_event_at, row.last_event_user) == (
        "Unlocked (Tenant)",
        at(60),
        "Ana Ruiz",
    )
    store.add_events([event(11, at(90), door_id=1, actor=None)])
    row = store.door(1)
    assert row is not None
    assert (row.last_event, row.last_event_user) == ("Unlocked (Visitor)", "Unknown")


def test_events_that_arrive_before_the_roster_still_show_on_the_door() -> None:
    store = Store()
    store.add_events([event(10, at(0), door_id=2)])
    store.set_roster([building()], [door(1), door(2)], [])
    row = store.door(2)
    assert row is not None
    assert row.last_event_at == at(0)


def test_one_batch_of_events_gives_one_doors_changed_for_all_touched_rows() -> None:
    store = roster_store()
    listener = Recorder()
    store.subscribe(listener)
    store.add_events(
        [
            event(1, at(0), door_id=1),
            event(2, at(1), door_id=2),
            event(3, at(2), door_id=1),
            event(4, at(3), door_id=None),
        ]
    )
    assert listener.named("doors_changed") == [[1, 2]]
    assert listener.named("events_added") == [[1, 2, 3, 4]]


def test_event_log_is_bounded_drops_oldest_and_ignores_repeats() -> None:
    store = Store(max_events=3)
    listener = Recorder()
    store.subscribe(listener)
    assert [e.id for e in store.add_events(event(i, at(i)) for i in range(1, 6))] == [3, 4, 5]
    assert [e.id for e in store.events_newest_first()] == [5, 4, 3]
    assert store.add_events([event(4, at(4)), event(5, at(5))]) == []
    store.add_events([event(6, at(6))])
    assert [e.id for e in store.events_newest_first()] == [6, 5, 4]
    assert store.event_at(0).id == 6
    assert listener.named("events_added") == [[3, 4, 5], [6]]
    # The batch that overflowed only reports rows the view had; the second drops one.
    assert listener.named("events_dropped") == [1]


def test_a_full_log_passes_over_events_older_than_all_it_holds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A sweep of a busy building's log brings back thousands of events the full log already
    let go; each was sorted into 50,000 records only to go straight back out."""
    from bmx_console.core import store as store_module

    store = Store(max_events=1000)
    store.add_events(event(i, at(i)) for i in range(1000, 2000))
    listener = Recorder()
    store.subscribe(listener)
    inserted: list[int] = []
    insort = store_module.bisect.insort
    monkeypatch.setattr(
        store_module.bisect,
        "insort",
        lambda items, record, **kw: (inserted.append(record.id), insort(items, record, **kw)),
    )
    # Let go earlier, read again by the sweep, and a late event within what is held.
    assert [e.id for e in store.add_events(event(i, at(i)) for i in range(500, 1000))] == []
    assert inserted == []
    assert [e.id for e in store.add_events([event(5000, at(1500.5))])] == [5000]
    assert inserted == [5000]
    assert store.event_count() == 1000
    assert store.events_newest_first()[-1].id == 1001
    assert listener.named("events_added") == [[5000]]
    assert listener.named("events_dropped") == [1]


def test_a_late_event_sorts_into_place_in_the_newest_first_view() -> None:
    store = Store()
    store.add_events([event(1, at(0)), event(3, at(20))])
    store.add_events([event(2, at(10))])
    assert [e.id for e in store.events_newest_first()] == [3, 2, 1]
    assert store.event_row(2) == 1


def test_events_since_filters_by_time_building_and_door() -> None:
    store = Store()
    store.add_events(
        [
            event(1, at(0), door_id=1),
            event(2, at(10), door_id=2),
            event(3, at(20), door_id=3, bid=2),
        ]
    )
    assert [e.id for e in store.events_since(at(10))] == [2, 3]
    assert [e.id for e in store.events_since(at(0), building_id=1)] == [1, 2]
    assert [e.id for e in store.events_since(at(0), door_id=3)] == [3]


def test_calls_are_deduplicated_and_a_status_change_is_reported() -> None:
    store = Store()
    listener = Recorder()
    store.subscribe(listener)
    store.add_calls([call(1, at(0), status="initializing")])
    assert store.add_calls([call(1, at(0), status="initializing")]) == []
    store.add_calls([call(1, at(0), status="opened_door"), call(2, at(5))])
    assert listener.named("calls_added") == [[1], [2]]
    assert listener.named("calls_changed") == [[1]]
    assert store.call_count() == 2
    assert store.call_at(1).status == "opened_door"


def test_a_call_seen_twice_in_one_batch_keeps_its_latest_status() -> None:
    store = Store()
    added = store.add_calls([call(1, at(0), status="initializing"), call(1, at(0), status=None)])
    assert [c.status for c in added] == [None]
    assert store.call_at(0).status is None
    assert store.calls_newest_first(1) == added


def test_pinned_doors_apply_when_the_roster_arrives() -> None:
    store = Store()
    store.set_pinned_doors([2])
    store.set_roster([building()], [door(1), door(2)], [])
    assert [r.pinned for r in store.doors] == [False, True]
    listener = Recorder()
    store.subscribe(listener)
    store.set_pinned(1, True)
    assert listener.named("doors_changed") == [[0]]


@pytest.mark.parametrize(
    ("errors", "expected"),
    [
        ({}, "connected"),
        ({"doors": ServerError("The cloud failed.")}, "degraded"),
        ({"events": RateLimited("Slow down.", retry_after=30)}, "degraded"),
        ({"events": Forbidden("No scope.")}, "degraded"),
        ({"doors": NetworkError("No network.")}, "degraded"),
        (
            {"doors": NetworkError("No network."), "events": NetworkError("No network.")},
            "disconnected",
        ),
        ({"doors": NetworkError("No network."), "events": SignedOut("Sign in.")}, "signed_out"),
    ],
)
def test_connection_state_is_derived_from_poller_health(
    errors: dict[str, Exception], expected: str
) -> None:
    store = Store()
    for name in ("doors", "events"):
        store.register_poller(name, 30)
        if name in errors:
            store.record_failure(name, errors[name], at=at(0))
        else:
            store.record_success(name, at=at(0))
    assert store.connection == expected


def test_recovery_is_announced_once_and_clears_the_error() -> None:
    store = Store()
    listener = Recorder()
    store.subscribe(listener)
    store.register_poller("doors", 60)
    store.record_failure("doors", NetworkError("The network is down."), at=at(0))
    store.record_failure("doors", NetworkError("The network is down."), at=at(5))
    store.record_success("doors", at=at(10))
    assert listener.named("connection_changed") == ["disconnected", "connected"]
    health = store.health("doors")
    assert health is not None
    assert (health.last_error, health.failing_since, health.last_success) == (None, None, at(10))


def test_a_poller_is_stale_after_failing_for_twice_its_interval() -> None:
    clock = FakeClock(at(0))
    store = Store()
    store.register_poller("events", 30)
    store.record_success("events", at=clock.now())
    clock.advance(30)
    store.record_failure("events", ServerError("The cloud failed."), at=clock.now())
    clock.advance(60)
    assert not store.is_stale("events", clock.now())
    clock.advance(1)
    assert store.is_stale("events", clock.now())
    assert store.stale_since("events") == at(0)
    health = store.health("events")
    assert health is not None
    assert health.last_error == "The cloud failed."


def test_a_broken_listener_does_not_stop_the_others() -> None:
    store = Store()

    class Broken(StoreListener):
        def events_added(self, events: Sequence[AccessEvent]) -> None:
            raise RuntimeError("view bug")

    broken, kept = Broken(), Recorder()
    store.subscribe(broken)
    store.subscribe(kept)
    store.add_events([event(1, at(0))])
    assert kept.named("events_added") == [[1]]


def test_a_listener_is_told_each_change_through_its_methods_until_it_unsubscribes() -> None:
    store = roster_store()
    listener = Recorder()
    unsubscribe = store.subscribe(listener)
    assert store.subscribe(listener) is not None  # a second subscribe is not a second call
    store.add_events([event(1, at(0), door_id=1)])
    store.add_calls([call(7, at(1))])
    store.add_calls([call(7, at(1), status="canceled")])
    store.register_poller("events", 30)
    assert listener.seen == [
        ("doors_changed", [store.door_index(1)]),
        ("events_added", [1]),
        ("calls_added", [7]),
        ("calls_changed", [7]),
        ("health_changed", None),
    ]
    unsubscribe()
    store.add_events([event(2, at(2), door_id=2)])
    store.record_failure("events", SignedOut("Signed out."), at=at(3))
    assert len(listener.seen) == 5


def test_a_listener_may_unsubscribe_while_it_is_being_told() -> None:
    store = Store()
    after = Recorder()

    class Once(Recorder):
        def events_added(self, events: Sequence[AccessEvent]) -> None:
            super().events_added(events)
            stop()

    once = Once()
    stop = store.subscribe(once)
    store.subscribe(after)
    store.add_events([event(1, at(0))])
    store.add_events([event(2, at(1))])
    assert once.named("events_added") == [[1]]
    assert after.named("events_added") == [[1], [2]]
