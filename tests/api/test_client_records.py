"""Every client call: what it sends, what it makes of what comes back (nulls, missing and
extra fields included), pagination, and the filters the cloud may ignore."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
import respx

from bmx_console.api.client import BmxClient
from bmx_console.clock import FakeClock
from bmx_console.errors import ProtocolError
from tests.api.conftest import API, page

NOW = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)
EDT = timezone(timedelta(hours=-4))


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def params(route: respx.Route, index: int = -1) -> list[tuple[str, str]]:
    return list(route.calls[index].request.url.params.multi_items())


@pytest.fixture(autouse=True)
def _token(token_route: respx.Route) -> None:
    """Every test here runs signed in with client credentials."""


async def test_requests_carry_the_bearer_token_and_ask_for_json(
    client: BmxClient, router: respx.MockRouter
) -> None:
    route = router.get(f"{API}/v4/buildings").mock(return_value=httpx.Response(200, json=page([])))
    await client.buildings()
    headers = route.calls.last.request.headers
    assert headers["authorization"] == "Bearer access-1"
    assert headers["accept"] == "application/json"
    assert headers["user-agent"].startswith("bmx-console/")
    assert params(route) == [("page", "1"), ("per", "100")]


async def test_buildings_and_one_building(client: BmxClient, router: respx.MockRouter) -> None:
    router.get(f"{API}/v4/buildings").mock(
        return_value=httpx.Response(
            200,
            json=page(
                [
                    {
                        "id": 5,
                        "name": "Harbor Lofts",
                        "time_zone": "America/New_York",
                        "address": {"street": "1 Pier St", "city": "Boston", "zip_code": None},
                        "brand_new_field": {"x": 1},
                    },
                    {"id": 6, "name": None},
                ]
            ),
        )
    )
    router.get(f"{API}/v4/buildings/5").mock(
        return_value=httpx.Response(200, json={"data": {"id": 5, "name": "Harbor Lofts"}})
    )
    first, second = await client.buildings()
    assert (first.id, first.name, first.time_zone) == (5, "Harbor Lofts", "America/New_York")
    assert first.address == "1 Pier St, Boston"
    assert (second.name, second.time_zone, second.address) == ("Building 6", None, "")
    assert (await client.building(5)).name == "Harbor Lofts"


async def test_doors_filtered_by_building_on_both_sides(
    client: BmxClient, router: respx.MockRouter
) -> None:
    # The cloud ignored the filter and sent another building's door too.
    route = router.get(f"{API}/v4/access_points").mock(
        return_value=httpx.Response(
            200,
            json=page(
                [
                    {"id": 1, "name": "Lobby", "building_id": 5, "device_ids": [7, "8", None]},
                    {"id": 2, "name": "Elsewhere", "building_id": 99, "device_ids": []},
                    {"id": 3, "name": None, "building_id": None},
                ]
            ),
        )
    )
    doors = await client.doors(5)
    assert ("q[building_id_eq]", "5") in params(route)
    assert [(d.id, d.name, d.panel_ids) for d in doors] == [(1, "Lobby", (7, 8)), (3, "Door 3", ())]


async def test_doors_without_a_building_are_all_doors(
    client: BmxClient, router: respx.MockRouter
) -> None:
    route = router.get(f"{API}/v4/access_points").mock(
        return_value=httpx.Response(
            200, json=page([{"id": 1, "building_id": 5}, {"id": 2, "building_id": 6}])
        )
    )
    assert [d.id for d in await client.doors()] == [1, 2]
    assert not any(k.startswith("q[") for k, _ in params(route))


async def test_panels_keep_their_type(client: BmxClient, router: respx.MockRouter) -> None:
    router.get(f"{API}/v4/devices").mock(
        return_value=httpx.Response(
            200,
            json=page(
                [
                    {"id": 7, "name": "Front panel", "type": "panel", "model": "BMX-7"},
                    {"id": 8, "name": "Desk", "type": "front_desk_station", "building_id": 5},
                    {"id": 9, "type": None},
                ]
            ),
        )
    )
    panels = await client.panels(5)
    assert [(p.id, p.type) for p in panels] == [
        (7, "panel"),
        (8, "front_desk_station"),
        (9, "unknown"),
    ]
    assert panels[0].model == "BMX-7"


async def test_tenants_names_from_full_name_or_parts(
    client: BmxClient, router: respx.MockRouter
) -> None:
    router.get(f"{API}/v4/tenants").mock(
        return_value=httpx.Response(
            200,
            json=page(
                [
                    {"id": 1, "full_name": "Front Desk", "unit": {"id": 3, "label": "Lobby"}},
                    {"id": 2, "full_name": None, "first_name": "Alia", "last_name": "Atreides"},
                    {"id": 3, "full_name": None, "first_name": None, "unit": None},
                ]
            ),
        )
    )
    tenants = await client.tenants(5)
    assert [(t.name, t.unit_label) for t in tenants] == [
        ("Front Desk", "Lobby"),
        ("Alia Atreides", None),
        ("Tenant 3", None),
    ]


ACCESS_LOGS = [
    {
        "id": 156501242,
        "logged_at": "2026-11-21T13:59:00Z",
        "access_point": 22177636,
        "release_status": "Unlocked",
        "name": "Alia Atredis",
        "release_type": "Tenant",
        "unit": 843107216,
        "tenant_id": 37112193,
        "entry_method": "Swipe to open",
        "image_url": "https://cdn.example/a.png",
    },
    {
        "id": 525036436,
        "logged_at": "2026-11-21T13:58:00Z",
        "access_point": 22177636,
        "release_status": "Unlocked",
        "name": "Duncan Idaho",
        "release_type": "Visitor",
        "unit": 474917539,
        "tenant_id": 377389742,
        "entry_method": {"keychain": 254331397},
        "image_url": None,
    },
    {
        "id": 274552142,
        "logged_at": "2026-11-21T13:57:00Z",
        "access_point": 22177636,
        "release_status": "Unlocked",
        "name": "Unknown",
        "release_type": "Visitor",
        "entry_method": "Visitor Pass (using QR code)",
    },
    {
        "id": 623072202,
        "logged_at": "2026-11-21T13:56:00Z",
        "access_point": 842395203,
        "release_status": "Locked",
        "name": None,
        "release_type": None,
        "unit": None,
        "tenant_id": None,
        "entry_method": None,
        "image_url": None,
    },
    {
        "id": 11,
        "logged_at": "2026-11-21T13:55:00Z",
        "access_point": 842395203,
        "release_status": "Unlocked",
        "release_type": None,
        "entry_method": {"access_tool": 99},
    },
]


async def test_access_events_parse_every_shape(client: BmxClient, router: respx.MockRouter) -> None:
    router.get(f"{API}/v4/buildings/5/access_logs").mock(
        return_value=httpx.Response(200, json=page(ACCESS_LOGS))
    )
    events = await client.access_events(5)
    by_id = {e.id: e for e in events}
    assert [e.id for e in events] == [11, 623072202, 274552142, 525036436, 156501242]

    swipe = by_id[156501242]
    assert (swipe.actor, swipe.entry_method, swipe.kind) == (
        "Alia Atredis",
        "Swipe to open",
        "tenant",
    )
    assert (swipe.door_id, swipe.building_id, swipe.tenant_id) == (22177636, 5, 37112193)

    keychain = by_id[525036436]
    assert (keychain.entry_method, keychain.keychain_id, keychain.kind) == (
        "Keychain 254331397",
        254331397,
        "visitor",
    )
    unknown = by_id[274552142]
    assert unknown.actor is None
    assert unknown.actor_display == "Unknown"
    assert by_id[623072202].kind == "schedule"
    assert by_id[623072202].actor is None
    assert by_id[11].entry_method == "Access tool 99"


async def test_access_events_send_the_time_filter_in_ransack_form(
    client: BmxClient, router: respx.MockRouter
) -> None:
    route = router.get(f"{API}/v4/buildings/5/access_logs").mock(
        return_value=httpx.Response(200, json=page([]))
    )
    since = datetime(2026, 6, 17, 11, 12, 19, 654321, tzinfo=EDT)
    await client.access_events(5, since)
    assert ("q[logged_at_gteq]", "2026-06-17 15:12:19 UTC") in params(route)
    assert "q%5Blogged_at_gteq%5D=2026-06-17+15%3A12%3A19+UTC" in str(route.calls.last.request.url)


async def test_events_filtered_and_deduplicated_when_the_cloud_ignores_the_filter(
    client: BmxClient, router: respx.MockRouter
) -> None:
    since = datetime(2026, 11, 21, 13, 57, tzinfo=UTC)
    # Page 2 repeats a record from page 1, as a list shifting under new entries does.
    router.get(f"{API}/v4/buildings/5/access_logs", params={"page": "1"}).mock(
        return_value=httpx.Response(200, json=page(ACCESS_LOGS[:2], next_page=2))
    )
    router.get(f"{API}/v4/buildings/5/access_logs", params={"page": "2"}).mock(
        return_value=httpx.Response(200, json=page(ACCESS_LOGS[1:], current=2))
    )
    events = await client.access_events(5, since)
    assert [e.id for e in events] == [274552142, 525036436, 156501242]
    assert all(e.logged_at >= since for e in events)


async def test_walk_stops_when_an_ignored_filter_would_read_all_history(
    client: BmxClient, router: respx.MockRouter
) -> None:
    since = datetime(2026, 11, 21, 13, 58, 30, tzinfo=UTC)
    old = [{"id": 1000 - n, "logged_at": iso(since - timedelta(minutes=n + 1))} for n in range(3)]
    first = router.get(f"{API}/v4/buildings/5/calls", params={"page": "1"}).mock(
        return_value=httpx.Response(
            200, json=page([{"id": 5000, "logged_at": iso(since)}, *old[:1]], next_page=2)
        )
    )
    second = router.get(f"{API}/v4/buildings/5/calls", params={"page": "2"}).mock(
        return_value=httpx.Response(200, json=page(old[1:], current=2, next_page=3))
    )
    third = router.get(f"{API}/v4/buildings/5/calls", params={"page": "3"}).mock(
        return_value=httpx.Response(200, json=page(old, current=3, next_page=4))
    )
    calls = await client.calls(5, since)
    assert [c.id for c in calls] == [5000]
    assert (first.call_count, second.call_count, third.call_count) == (1, 1, 0)


async def test_calls_parse_recipient_unit_and_panel(
    client: BmxClient, router: respx.MockRouter
) -> None:
    router.get(f"{API}/v4/buildings/5/calls").mock(
        return_value=httpx.Response(
            200,
            json=page(
                [
                    {
                        "id": 2,
                        "building_id": 5,
                        "logged_at": "2026-11-21T13:00:01Z",
                        "notification_type": "call",
                        "recipient": {"id": 40, "type": "Attendant"},
                        "unit": None,
                        "device": {"id": 7, "name": "Front panel"},
                        "status": "opened_door",
                        "image_url": "https://cdn.example/c.png",
                    },
                    {"id": 1, "logged_at": "2026-11-21T13:00:00Z", "recipient": None},
                ]
            ),
        )
    )
    first, second = await client.calls(5)
    assert (first.id, second.id) == (1, 2)
    assert (first.recipient_id, first.panel_id, first.status, first.building_id) == (
        None,
        None,
        None,
        5,
    )
    assert (second.recipient_type, second.panel_name, second.status) == (
        "Attendant",
        "Front panel",
        "opened_door",
    )


async def test_unreadable_records_are_skipped_and_counted(
    client: BmxClient, router: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    router.get(f"{API}/v4/buildings/5/access_logs").mock(
        return_value=httpx.Response(
            200,
            json=page(
                [
                    ACCESS_LOGS[0],
                    {"id": 77, "logged_at": "yesterday-ish", "name": "Private Person"},
                    {"logged_at": "2026-11-21T13:00:00Z"},
                    "not an object",
                    ACCESS_LOGS[1],
                ]
            ),
        )
    )
    with caplog.at_level(logging.WARNING, logger="bmx_console.api"):
        events = await client.access_events(5)
    assert [e.id for e in events] == [525036436, 156501242]
    assert client.skipped_records == 3
    assert "/v4/buildings/5/access_logs (id 77)" in caplog.text
    assert "Private Person" not in caplog.text


async def test_pagination_follows_next_page(client: BmxClient, router: respx.MockRouter) -> None:
    route = router.get(f"{API}/v4/tenants").mock(
        side_effect=[
            httpx.Response(200, json=page([{"id": 1}], next_page=2)),
            httpx.Response(200, json=page([{"id": 2}], current=2, next_page="3")),
            httpx.Response(200, json=page([{"id": 3}], current=3)),
        ]
    )
    assert [t.id for t in await client.tenants()] == [1, 2, 3]
    assert [dict(params(route, i))["page"] for i in range(3)] == ["1", "2", "3"]


async def test_missing_page_info_is_one_page(client: BmxClient, router: respx.MockRouter) -> None:
    route = router.get(f"{API}/v4/devices").mock(
        return_value=httpx.Response(200, json={"data": [{"id": 1}]})
    )
    assert [p.id for p in await client.panels()] == [1]
    assert route.call_count == 1


@pytest.mark.parametrize("stuck", [1, 0])
async def test_next_page_that_does_not_advance_is_a_protocol_error(
    client: BmxClient, router: respx.MockRouter, stuck: int
) -> None:
    route = router.get(f"{API}/v4/access_points").mock(
        return_value=httpx.Response(200, json=page([{"id": 1}], next_page=stuck))
    )
    with pytest.raises(ProtocolError) as caught:
        await client.doors()
    assert "/v4/access_points" in str(caught.value)
    assert "does not advance" in str(caught.value)
    assert route.call_count == 1


async def test_per_page_is_sent_and_bounded(
    http: httpx.AsyncClient, tokens: Any, router: respx.MockRouter, clock: FakeClock
) -> None:
    route = router.get(f"{API}/v4/buildings").mock(return_value=httpx.Response(200, json=page([])))
    await BmxClient(http, tokens, api_base=API, clock=clock, per_page=25).buildings()
    await BmxClient(http, tokens, api_base=API, clock=clock, per_page=1000).buildings()
    assert [dict(params(route, i))["per"] for i in range(2)] == ["25", "100"]


async def test_release_door_posts_the_contract_body(
    client: BmxClient, router: respx.MockRouter
) -> None:
    route = router.post(f"{API}/v4/door_release_requests").mock(
        return_value=httpx.Response(
            201,
            json={
                "data": {
                    "access_point_id": 842395203,
                    "created_at": "2026-06-17T15:12:23Z",
                    "device_id": None,
                    "guid": "e2934b71-fd23-4c5f-80c7-d209c74a2f5e",
                    "id": 9,
                    "release_method": "api",
                    "tenant_id": 377389742,
                }
            },
        )
    )
    release = await client.release_door(842395203, 377389742)
    assert json.loads(route.calls.last.request.content) == {
        "door_release_request": {"tenant_id": 377389742, "access_point_id": 842395203}
    }
    assert (release.id, release.door_id, release.tenant_id, release.panel_id) == (
        9,
        842395203,
        377389742,
        None,
    )
    assert release.guid == "e2934b71-fd23-4c5f-80c7-d209c74a2f5e"
    assert release.created_at == datetime(2026, 6, 17, 15, 12, 23, tzinfo=UTC)


KEYCHAIN = {
    "id": 940364937,
    "name": "My Keychain",
    "starts_at": "2026-06-17T15:17:24Z",
    "ends_at": "2026-06-18T15:12:24Z",
    "type": "one_time_keychain",
    "building_id": 577696272,
    "tenant_id": 377389742,
    "unit_id": 474917539,
    "virtual_key_ids": [1035872622, 1035872623],
    "access_point_ids": [842395203],
    "device_ids": [708353660],
}


@pytest.mark.parametrize(
    ("method", "path"),
    [("create_custom_keychain", "custom"), ("create_one_time_keychain", "one_time")],
)
async def test_windowed_passes_post_the_contract_body(
    client: BmxClient, router: respx.MockRouter, method: str, path: str
) -> None:
    route = router.post(f"{API}/v4/keychains/{path}").mock(
        return_value=httpx.Response(201, json={"data": KEYCHAIN})
    )
    starts = datetime(2026, 6, 17, 11, 17, 24, tzinfo=EDT)
    keychain = await getattr(client, method)(
        name="Plumber",
        tenant_id=377389742,
        starts_at=starts,
        ends_at=starts + timedelta(hours=24),
        door_ids=[842395203],
    )
    assert json.loads(route.calls.last.request.content) == {
        "keychain": {
            "name": "Plumber",
            "tenant_id": 377389742,
            "starts_at": "2026-06-17T15:17:24Z",
            "ends_at": "2026-06-18T15:17:24Z",
            "access_point_ids": [842395203],
        }
    }
    assert keychain.id == 940364937
    assert keychain.door_ids == (842395203,)
    assert keychain.virtual_key_ids == (1035872622, 1035872623)


async def test_pass_without_doors_leaves_the_doors_to_the_cloud(
    client: BmxClient, router: respx.MockRouter
) -> None:
    route = router.post(f"{API}/v4/keychains/custom").mock(
        return_value=httpx.Response(201, json={"data": KEYCHAIN})
    )
    await client.create_custom_keychain(
        name="Guest", tenant_id=1, starts_at=NOW, ends_at=NOW + timedelta(hours=1)
    )
    assert "access_point_ids" not in json.loads(route.calls.last.request.content)["keychain"]


async def test_delivery_pass(client: BmxClient, router: respx.MockRouter) -> None:
    route = router.post(f"{API}/v4/keychains/delivery_pass").mock(
        return_value=httpx.Response(
            201, json={"data": {**KEYCHAIN, "name": "DoorDash", "type": "delivery_pass"}}
        )
    )
    keychain = await client.create_delivery_pass(name="DoorDash", tenant_id=377389742)
    assert json.loads(route.calls.last.request.content) == {
        "keychain": {"name": "DoorDash", "tenant_id": 377389742}
    }
    assert (keychain.name, keychain.type) == ("DoorDash", "delivery_pass")


async def test_keychains_list_one_and_delete(client: BmxClient, router: respx.MockRouter) -> None:
    listed = router.get(f"{API}/v4/keychains").mock(
        return_value=httpx.Response(
            200, json=page([KEYCHAIN, {**KEYCHAIN, "id": 2, "building_id": 1}, {"id": 3}])
        )
    )
    router.get(f"{API}/v4/keychains/3").mock(
        return_value=httpx.Response(
            200, json={"data": {"id": 3, "starts_at": None, "ends_at": "garbage"}}
        )
    )
    deleted = router.delete(f"{API}/v4/keychains/3").mock(return_value=httpx.Response(204))

    assert [k.id for k in await client.keychains(577696272)] == [940364937, 3]
    assert ("q[building_id_eq]", "577696272") in params(listed)
    one = await client.keychain(3)
    assert (one.name, one.type, one.starts_at, one.ends_at) == (
        "Keychain 3",
        "custom_keychain",
        None,
        None,
    )
    assert await client.delete_keychain(3) is None
    assert deleted.call_count == 1


VIRTUAL_KEY = {
    "created_at": "2026-06-17T15:12:28Z",
    "email": None,
    "first_used_at": None,
    "id": 1035872627,
    "keychain_id": 254331397,
    "last_used_at": None,
    "name": "Plumber",
    "usage_count": 0,
    "qr_code_url": "https://cdn.example/qr.png",
    "pin_code": "319895",
    "building_id": 577696272,
    "instructions_url": "https://example/public/virtual_keys/1035872627/abc",
}


async def test_create_virtual_key_keeps_the_pin_out_of_repr(
    client: BmxClient, router: respx.MockRouter
) -> None:
    route = router.post(f"{API}/v4/virtual_keys").mock(
        return_value=httpx.Response(201, json={"data": VIRTUAL_KEY})
    )
    key = await client.create_virtual_key(keychain_id=254331397, name="Plumber")
    assert json.loads(route.calls.last.request.content) == {
        "keychain_id": 254331397,
        "name": "Plumber",
    }
    assert (key.id, key.keychain_id, key.pin_code, key.usage_count) == (
        1035872627,
        254331397,
        "319895",
        0,
    )
    assert "319895" not in repr(key)


async def test_virtual_keys_by_keychain(client: BmxClient, router: respx.MockRouter) -> None:
    route = router.get(f"{API}/v4/virtual_keys").mock(
        return_value=httpx.Response(
            200,
            json=page(
                [VIRTUAL_KEY, {**VIRTUAL_KEY, "id": 2, "keychain_id": 8, "usage_count": None}]
            ),
        )
    )
    keys = await client.virtual_keys([254331397, 5])
    assert [k.id for k in keys] == [1035872627]
    sent = params(route)
    assert ("q[keychain_id_in][]", "254331397") in sent
    assert ("q[keychain_id_in][]", "5") in sent

    assert [k.usage_count for k in await client.virtual_keys()] == [0, 0]
    calls_before = route.call_count
    assert await client.virtual_keys([]) == []
    assert route.call_count == calls_before


async def test_fetch_image_sends_no_token(client: BmxClient, router: respx.MockRouter) -> None:
    route = router.get("https://storage.example/snapshots/abc.png").mock(
        return_value=httpx.Response(200, content=b"\x89PNG...")
    )
    assert await client.fetch_image("https://storage.example/snapshots/abc.png") == b"\x89PNG..."
    assert "authorization" not in route.calls.last.request.headers


async def test_fetch_image_never_logs_the_link(
    client: BmxClient, router: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    router.get("https://storage.example/snapshots/secret-key.png").mock(
        return_value=httpx.Response(200, content=b"img")
    )
    with caplog.at_level(logging.DEBUG, logger="bmx_console.api"):
        await client.fetch_image("https://storage.example/snapshots/secret-key.png")
    assert "storage.example" in caplog.text
    assert "secret-key" not in caplog.text
