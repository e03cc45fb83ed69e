"""The simulated property and its life on the clock: what is seeded, what the history holds,
what appears as time passes, and the test hooks."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bmx_console.api.models import AccessEvent, Call, Door, Panel, Tenant
from bmx_console.clock import FakeClock
from bmx_console.sim.cloud import Cloud, CloudError

PANEL_TYPES = {
    "panel",
    "keypad",
    "smart_lock",
    "front_desk_station",
    "virtual_intercom",
    "cloud_based_access_controller",
}


def _all_events(cloud: Cloud) -> list[dict]:
    return [e for b in cloud.buildings for e in cloud.access_logs(b["id"])]


def _all_calls(cloud: Cloud) -> list[dict]:
    return [c for b in cloud.buildings for c in cloud.calls(b["id"])]


def test_the_property_is_three_buildings_in_three_time_zones(cloud: Cloud) -> None:
    zones = [b["time_zone"] for b in cloud.buildings]
    assert zones == ["America/New_York", "America/Chicago", "America/Los_Angeles"]
    assert all(b["address"]["address"] and b["address"]["city"] for b in cloud.buildings)
    assert 18 <= len(cloud.doors) <= 22
    assert 27 <= len(cloud.tenants) <= 33
    assert {p["type"] for p in cloud.panels} == PANEL_TYPES


def test_doors_reference_panels_of_their_own_building(cloud: Cloud) -> None:
    panels = {p["id"]: Panel.from_api(p) for p in cloud.panels}
    for raw in cloud.doors:
        door = Door.from_api(raw)
        for panel_id in door.panel_ids:
            assert panels[panel_id].building_id == door.building_id
    names = {d["name"] for d in cloud.doors}
    assert {"Main Entrance", "Lobby", "Package Room", "Garage Gate", "Gym"} <= names


def test_each_building_has_a_front_desk_tenant(cloud: Cloud) -> None:
    for building in cloud.buildings:
        desk_id = cloud.front_desk_tenant_id(building["id"])
        desk = next(t for t in cloud.tenants if t["id"] == desk_id)
        assert (desk["first_name"], desk["last_name"]) == ("Front", "Desk")
        assert desk["unit"]["label"] == "DESK"
        assert Tenant.from_api(desk).building_id == building["id"]
    assert cloud.front_desk_tenant_id() == cloud.front_desk_tenant_id(cloud.buildings[0]["id"])


def test_the_same_seed_makes_the_same_property_and_history(clock: FakeClock) -> None:
    one = Cloud(seed=11, clock=clock)
    two = Cloud(seed=11, clock=clock)
    other = Cloud(seed=12, clock=clock)
    assert one.doors == two.doors
    assert one.tenants == two.tenants
    assert _all_events(one) == _all_events(two)
    assert [d["id"] for d in one.doors] != [d["id"] for d in other.doors]


def test_history_covers_the_last_days_with_every_kind_of_event(cloud: Cloud) -> None:
    now = cloud.clock.now()
    events = _all_events(cloud)
    times = [AccessEvent.from_api(e).logged_at for e in events]
    assert min(times) >= now - timedelta(days=3)
    assert max(times) <= now
    assert min(times) < now - timedelta(days=2, hours=12)
    kinds = Counter(AccessEvent.from_api(e).kind for e in events)
    assert {"tenant", "visitor", "delivery", "schedule"} <= set(kinds)
    methods = {e["entry_method"] for e in events if isinstance(e["entry_method"], str)}
    assert {"Swipe to open", "Visitor Pass (using QR code)", "App call", "Remote Doorman"} <= (
        methods
    )
    assert any(
        isinstance(e["entry_method"], dict) and "keychain" in e["entry_method"] for e in events
    )
    assert any(e["name"] is None and e["release_type"] for e in events)
    assert any(e["name"] == "Unknown" for e in events)
    locked = [e for e in events if e["release_status"] == "Locked"]
    assert locked
    assert all(
        e["name"] is None and e["release_type"] is None and e["entry_method"] is None
        for e in locked
    )


def test_history_has_calls_of_every_status_to_tenants_and_attendants(cloud: Cloud) -> None:
    calls = _all_calls(cloud)
    assert {c["status"] for c in calls} == {
        None,
        "initializing",
        "canceled",
        "timeout_online_signal",
        "opened_door",
        # Seen on real accounts, beyond the contract's list.
        "declined",
        "answered",
        "connecting_sip",
        "voip_rollover",
        "rejected",
    }
    parsed = [Call.from_api(c) for c in calls]
    assert {c.recipient_type for c in parsed} == {"Tenant", "Attendant"}
    assert all(c.panel_id and c.panel_name and c.image_url for c in parsed)
    attendant = next(c for c in calls if c["recipient"]["type"] == "Attendant")
    assert attendant["recipient"]["id"] is None
    assert attendant["unit"] is None


def test_nothing_new_appears_while_the_clock_stands_still(cloud: Cloud) -> None:
    before = _all_events(cloud)
    cloud.advance()
    cloud.advance()
    assert _all_events(cloud) == before


def test_events_and_calls_arrive_at_their_rates_as_the_clock_moves(clock: FakeClock) -> None:
    cloud = Cloud(clock=clock, event_rate_per_min=6.0, call_rate_per_min=1.0)
    start = clock.now()
    before_events = {e["id"] for e in _all_events(cloud)}
    before_calls = {c["id"] for c in _all_calls(cloud)}
    clock.advance(20 * 60)
    cloud.advance()
    new_events = [e for e in _all_events(cloud) if e["id"] not in before_events]
    new_calls = [c for c in _all_calls(cloud) if c["id"] not in before_calls]
    # Poisson arrivals: 120 events and 20 calls expected; the seed fixes the exact numbers.
    assert 80 <= len(new_events) <= 170
    assert 8 <= len(new_calls) <= 35
    for record in new_events + new_calls:
        moment = datetime.fromisoformat(record["logged_at"].replace("Z", "+00:00"))
        assert start < moment <= clock.now()


def test_a_zero_rate_means_no_live_traffic(cloud: Cloud, clock: FakeClock) -> None:
    before = {e["id"] for e in _all_events(cloud)}
    calls_before = _all_calls(cloud)
    clock.advance(3600)
    cloud.advance()
    # Only the door schedules act (07:00 in Los Angeles falls within this hour).
    new = [e for e in _all_events(cloud) if e["id"] not in before]
    assert new
    assert {AccessEvent.from_api(e).kind for e in new} == {"schedule"}
    assert _all_calls(cloud) == calls_before


def test_logs_older_than_a_week_are_forgotten(cloud: Cloud, clock: FakeClock) -> None:
    oldest_seeded = min(e["logged_at"] for e in _all_events(cloud))
    clock.advance(8 * 86400)
    cloud.advance()
    kept = _all_events(cloud)
    assert kept  # the door schedules kept going
    assert min(e["logged_at"] for e in kept) >= _z(clock.now() - timedelta(days=7))
    assert oldest_seeded not in {e["logged_at"] for e in kept}
    assert all(c["logged_at"] >= _z(clock.now() - timedelta(days=7)) for c in _all_calls(cloud))


def test_scheduled_doors_lock_at_ten_pm_local_time(clock: FakeClock) -> None:
    cloud = Cloud(clock=clock, event_rate_per_min=0, call_rate_per_min=0)
    building = cloud.buildings[0]
    zone = ZoneInfo(building["time_zone"])
    local_now = clock.now().astimezone(zone)
    ten_pm = datetime(local_now.year, local_now.month, local_now.day, 22, tzinfo=zone)
    if ten_pm <= local_now:
        ten_pm += timedelta(days=1)
    clock.advance((ten_pm.astimezone(UTC) - clock.now()).total_seconds() - 1)
    cloud.advance()
    assert not [e for e in cloud.access_logs(building["id"]) if e["logged_at"] == _z(ten_pm)]
    clock.advance(1)
    cloud.advance()
    locked = [e for e in cloud.access_logs(building["id"]) if e["logged_at"] == _z(ten_pm)]
    assert locked
    assert {e["release_status"] for e in locked} == {"Locked"}
    assert {AccessEvent.from_api(e).kind for e in locked} == {"schedule"}


def _z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_add_event_fills_in_a_plausible_event_and_keeps_given_fields(cloud: Cloud) -> None:
    door = next(d for d in cloud.doors if d["building_id"] == cloud.buildings[1]["id"])
    event = cloud.add_event(access_point=door["id"], name=None, release_type="Visitor")
    assert cloud.access_logs(door["building_id"])[0] == event
    assert event["access_point"] == door["id"]
    assert event["name"] is None
    assert event["release_type"] == "Visitor"
    assert event["logged_at"] == _z(cloud.clock.now())
    assert AccessEvent.from_api(event).door_id == door["id"]


def test_add_event_at_a_past_time_sorts_into_the_log(cloud: Cloud) -> None:
    building = cloud.buildings[0]["id"]
    at = cloud.clock.now() - timedelta(days=1)
    event = cloud.add_event(building_id=building, logged_at=at, entry_method={"keychain": 5})
    log = cloud.access_logs(building)
    assert event in log
    assert log[0] != event
    assert [e["logged_at"] for e in log] == sorted((e["logged_at"] for e in log), reverse=True)


def test_add_call_takes_a_panel_id(cloud: Cloud) -> None:
    panel = next(p for p in cloud.panels if p["type"] == "virtual_intercom")
    call = cloud.add_call(device=panel["id"], status="initializing")
    assert call["device"] == {"id": panel["id"], "name": panel["name"]}
    assert call["building_id"] == panel["building_id"]
    assert cloud.calls(panel["building_id"])[0] == call


def test_an_answered_call_also_logs_the_door_it_opened(cloud: Cloud) -> None:
    panel = next(p for p in cloud.panels if p["type"] == "panel")
    call = cloud.add_call(device=panel["id"], status="opened_door")
    opened = cloud.access_logs(panel["building_id"])[0]
    door_ids = {d["id"] for d in cloud.doors if panel["id"] in d["device_ids"]}
    assert opened["access_point"] in door_ids
    assert opened["image_url"] == call["image_url"]


def test_use_pass_logs_a_visitor_at_the_first_door_and_counts_the_use(cloud: Cloud) -> None:
    now = cloud.clock.now()
    keychain = next(
        k
        for k in cloud.keychains
        if k["starts_at"] <= _z(now) < k["ends_at"] and k["virtual_key_ids"]
    )
    key_before = next(k for k in cloud.virtual_keys if k["keychain_id"] == keychain["id"])
    event = cloud.use_pass(keychain["id"])
    assert event["entry_method"] == {"keychain": keychain["id"]}
    assert event["access_point"] == keychain["access_point_ids"][0]
    assert event["release_type"] == "Visitor"
    assert AccessEvent.from_api(event).keychain_id == keychain["id"]
    assert cloud.access_logs(keychain["building_id"])[0] == event
    key = next(k for k in cloud.virtual_keys if k["id"] == key_before["id"])
    assert key["usage_count"] == key_before["usage_count"] + 1
    assert key["last_used_at"] == _z(now)
    assert key["first_used_at"] == (key_before["first_used_at"] or _z(now))

    phrased = cloud.use_pass(keychain["id"], phrase=True)
    assert phrased["entry_method"] == "Visitor Pass (using QR code)"


def test_a_pass_outside_its_window_is_refused(cloud: Cloud) -> None:
    expired = next(k for k in cloud.keychains if k["ends_at"] < _z(cloud.clock.now()))
    before = _all_events(cloud)
    with pytest.raises(CloudError) as refused:
        cloud.use_pass(expired["id"])
    assert refused.value.status == 422
    assert _all_events(cloud) == before


def test_an_unknown_building_or_pass_is_not_found(cloud: Cloud) -> None:
    with pytest.raises(CloudError) as missing:
        cloud.access_logs(1)
    assert missing.value.status == 404
    with pytest.raises(CloudError):
        cloud.use_pass(1)
    with pytest.raises(KeyError):
        cloud.front_desk_tenant_id(1)


def test_records_handed_out_are_copies(cloud: Cloud) -> None:
    doors = cloud.doors
    doors[0]["name"] = "Changed by a test"
    assert cloud.doors[0]["name"] != "Changed by a test"
