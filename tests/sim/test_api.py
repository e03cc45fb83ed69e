"""The v4 routes as a client meets them in-process: paging, filters (and the silently
ignored one), releases that show up in the access log, passes, snapshots and the /_sim/
control routes."""

from __future__ import annotations

import struct
from datetime import timedelta
from typing import Any

import httpx
import pytest

from bmx_console.api.models import AccessEvent, Keychain, Release, VirtualKey
from bmx_console.clock import FakeClock
from bmx_console.sim.cloud import Cloud
from bmx_console.sim.seed import weak_pin
from bmx_console.sim.transport import in_process_transport

from .conftest import BASE, client_credentials


def _z(moment: Any) -> str:
    return str(moment.strftime("%Y-%m-%dT%H:%M:%SZ"))


async def _all_pages(api: httpx.AsyncClient, url: str, **params: Any) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    page: int | None = 1
    while page is not None:
        body = (await api.get(url, params={**params, "page": page})).json()
        records.extend(body["data"])
        page = body["page_info"]["next_page"]
    return records


# --- paging ----------------------------------------------------------------------------
async def test_pages_cover_the_whole_list_once(cloud: Cloud, api: httpx.AsyncClient) -> None:
    first = (await api.get("/v4/tenants", params={"per": 7})).json()
    assert first["page_info"] == {
        "current_page": 1,
        "total_pages": 5,
        "total_item_count": 30,
        "page_item_count": 7,
        "page_size": 7,
        "next_page": 2,
        "prev_page": None,
        "first_page": True,
        "last_page": False,
    }
    last = (await api.get("/v4/tenants", params={"per": 7, "page": 5})).json()["page_info"]
    assert (last["page_item_count"], last["next_page"], last["prev_page"]) == (2, None, 4)
    assert last["last_page"] is True
    ids = [t["id"] for t in await _all_pages(api, "/v4/tenants", per=7)]
    assert len(ids) == len(set(ids)) == 30
    assert set(ids) == {t["id"] for t in cloud.tenants}


async def test_page_size_defaults_to_50_and_is_capped_at_100(
    cloud: Cloud, api: httpx.AsyncClient
) -> None:
    building = cloud.buildings[0]["id"]
    url = f"/v4/buildings/{building}/access_logs"
    default = (await api.get(url)).json()
    capped = (await api.get(url, params={"per": 1000})).json()
    assert default["page_info"]["page_size"] == 50
    assert len(default["data"]) == 50
    assert capped["page_info"]["page_size"] == 100
    assert len(capped["data"]) == 100


async def test_a_page_past_the_end_is_empty_and_points_nowhere(api: httpx.AsyncClient) -> None:
    body = (await api.get("/v4/buildings", params={"page": 9})).json()
    assert body["data"] == []
    assert body["page_info"]["next_page"] is None
    assert body["page_info"]["page_item_count"] == 0


async def test_access_logs_are_newest_first_across_pages(
    cloud: Cloud, api: httpx.AsyncClient
) -> None:
    building = cloud.buildings[0]["id"]
    logs = await _all_pages(api, f"/v4/buildings/{building}/access_logs", per=100)
    times = [e["logged_at"] for e in logs]
    assert times == sorted(times, reverse=True)
    assert len(logs) == len(cloud.access_logs(building))


# --- filters ---------------------------------------------------------------------------
async def test_building_and_id_filters_narrow_the_list(
    cloud: Cloud, api: httpx.AsyncClient
) -> None:
    building = cloud.buildings[1]["id"]
    doors = (await api.get("/v4/access_points", params={"q[building_id_eq]": building})).json()
    assert {d["building_id"] for d in doors["data"]} == {building}
    wanted = [d["id"] for d in cloud.doors[:3]]
    picked = await api.get("/v4/access_points", params={"q[id_in][]": wanted})
    assert sorted(d["id"] for d in picked.json()["data"]) == sorted(wanted)
    panels = await api.get("/v4/devices", params={"q[building_id_eq]": building})
    assert {p["building_id"] for p in panels.json()["data"]} == {building}
    tenants = await api.get("/v4/tenants", params={"q[building_id_eq]": building})
    assert {t["building_id"] for t in tenants.json()["data"]} == {building}


@pytest.mark.parametrize(
    "since_format", ["%Y-%m-%d %H:%M:%S UTC", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S+00:00"]
)
async def test_logged_at_filters_read_the_ransack_and_iso_forms(
    since_format: str, cloud: Cloud, api: httpx.AsyncClient
) -> None:
    building = cloud.buildings[0]["id"]
    since = cloud.clock.now() - timedelta(hours=6)
    until = cloud.clock.now() - timedelta(hours=1)
    url = f"/v4/buildings/{building}/access_logs"
    params = {
        "q[logged_at_gteq]": since.strftime(since_format),
        "q[logged_at_lteq]": until.strftime(since_format),
        "per": 100,
    }
    window = await _all_pages(api, url, **params)
    everything = cloud.access_logs(building)
    expected = [e for e in everything if _z(since) <= e["logged_at"] <= _z(until)]
    assert window == [{**e, "image_url": _url(e["image_url"])} for e in expected]
    assert 0 < len(window) < len(everything)


def _url(path: str | None) -> str | None:
    return BASE + path if path else None


async def test_a_page_of_a_long_log_window_copies_that_page_only(
    cloud: Cloud, api: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A busy building's overlap window is thousands of records; each page request used to
    copy all of them (tens of milliseconds a page, which a door release queued behind)."""
    from bmx_console.sim import cloud_state

    building = cloud.buildings[0]["id"]
    since = cloud.clock.now() - timedelta(minutes=5)
    for n in range(1500):
        cloud.add_event(building_id=building, logged_at=_z(since + timedelta(seconds=n / 10)))
    copied = 0
    clone = cloud_state._clone

    def counting(value: Any) -> Any:
        nonlocal copied
        copied += isinstance(value, dict) and "logged_at" in value
        return clone(value)

    monkeypatch.setattr(cloud_state, "_clone", counting)
    url = f"/v4/buildings/{building}/access_logs"
    body = (
        await api.get(url, params={"q[logged_at_gteq]": _z(since), "per": 100, "page": 3})
    ).json()
    assert copied == 100
    window = [e for e in cloud.access_logs(building) if e["logged_at"] >= _z(since)]
    assert [e["id"] for e in body["data"]] == [e["id"] for e in window[200:300]]
    assert body["page_info"]["total_item_count"] == len(window) >= 1500
    assert body["page_info"]["total_pages"] == -(-len(window) // 100)
    past = (await api.get(url, params={"q[logged_at_gteq]": _z(since), "page": 99})).json()
    assert (past["data"], past["page_info"]["page_item_count"]) == ([], 0)


@pytest.mark.parametrize(
    "param,value",
    [
        ("q[logged_at_gteq]", "yesterday afternoon"),
        ("q[logged_at_gteq]", "2026-13-45 99:00:00 UTC"),
        ("q[building_id_eq]", "the-ashford"),
    ],
)
async def test_a_filter_the_cloud_cannot_read_is_silently_ignored(
    param: str, value: str, cloud: Cloud, api: httpx.AsyncClient
) -> None:
    building = cloud.buildings[0]["id"]
    url = f"/v4/buildings/{building}/access_logs" if "logged_at" in param else "/v4/access_points"
    plain = (await api.get(url, params={"per": 100})).json()
    odd = await api.get(url, params={param: value, "per": 100})
    assert odd.status_code == 200
    assert odd.json() == plain


async def test_calls_filter_by_time_too(cloud: Cloud, api: httpx.AsyncClient) -> None:
    building = cloud.buildings[2]["id"]
    since = cloud.clock.now() - timedelta(hours=12)
    calls = await _all_pages(
        api,
        f"/v4/buildings/{building}/calls",
        **{"q[logged_at_gteq]": since.strftime("%Y-%m-%d %H:%M:%S UTC")},
    )
    assert calls
    assert all(c["logged_at"] >= _z(since) for c in calls)
    assert len(calls) < len(cloud.calls(building))


async def test_an_unknown_building_is_404(api: httpx.AsyncClient) -> None:
    reply = await api.get("/v4/buildings/1/access_logs")
    assert reply.status_code == 404
    assert reply.json()["errors"][0]["code"] == "not_found"


# --- releases --------------------------------------------------------------------------
async def test_a_release_is_logged_as_an_api_unlock_of_that_door(
    cloud: Cloud, api: httpx.AsyncClient
) -> None:
    door = cloud.doors[2]
    desk = cloud.front_desk_tenant_id(door["building_id"])
    body = {"door_release_request": {"tenant_id": desk, "access_point_id": door["id"]}}
    reply = await api.post("/v4/door_release_requests", json=body)
    assert reply.status_code == 201
    release = Release.from_api(reply.json()["data"])
    assert (release.door_id, release.tenant_id, release.release_method) == (
        door["id"],
        desk,
        "api",
    )
    assert cloud.releases == [{"request": body, "response": reply.json()["data"]}]

    since = cloud.clock.now().strftime("%Y-%m-%d %H:%M:%S UTC")
    logs = await api.get(
        f"/v4/buildings/{door['building_id']}/access_logs", params={"q[logged_at_gteq]": since}
    )
    event = AccessEvent.from_api(logs.json()["data"][0])
    assert event.door_id == door["id"]
    assert event.release_status == "Unlocked"
    assert event.kind == "api"
    assert event.actor == "Front Desk"
    assert event.tenant_id == desk


async def test_a_release_by_panel_logs_the_door_behind_that_panel(
    cloud: Cloud, api: httpx.AsyncClient
) -> None:
    door = next(d for d in cloud.doors if d["device_ids"])
    desk = cloud.front_desk_tenant_id(door["building_id"])
    body = {"door_release_request": {"tenant_id": desk, "device_id": door["device_ids"][0]}}
    reply = await api.post("/v4/door_release_requests", json=body)
    assert reply.status_code == 201
    assert reply.json()["data"]["access_point_id"] is None
    assert reply.json()["data"]["device_id"] == door["device_ids"][0]
    logged = cloud.access_logs(door["building_id"])[0]
    assert logged["entry_method"] == "API"
    assert door["device_ids"][0] in next(
        d["device_ids"] for d in cloud.doors if d["id"] == logged["access_point"]
    )


@pytest.mark.parametrize("problem", ["unknown tenant", "unknown door", "door elsewhere"])
async def test_a_release_the_cloud_cannot_do_is_422_and_opens_nothing(
    problem: str, cloud: Cloud, api: httpx.AsyncClient
) -> None:
    building, other = cloud.buildings[0]["id"], cloud.buildings[1]["id"]
    tenant = cloud.front_desk_tenant_id(building)
    door = next(d["id"] for d in cloud.doors if d["building_id"] == building)
    if problem == "unknown tenant":
        tenant = 1
    elif problem == "unknown door":
        door = 1
    else:
        door = next(d["id"] for d in cloud.doors if d["building_id"] == other)
    before = cloud.access_logs(building)
    reply = await api.post(
        "/v4/door_release_requests",
        json={"door_release_request": {"tenant_id": tenant, "access_point_id": door}},
    )
    assert reply.status_code == 422
    assert reply.json()["errors"][0]["message"]
    assert cloud.releases == []
    assert cloud.access_logs(building) == before


# --- passes ----------------------------------------------------------------------------
async def test_a_custom_pass_with_recipients_gets_a_key_each(
    cloud: Cloud, api: httpx.AsyncClient
) -> None:
    door = cloud.doors[0]
    tenant = next(t for t in cloud.tenants if t["building_id"] == door["building_id"])
    starts = cloud.clock.now() + timedelta(hours=1)
    body = {
        "keychain": {
            "name": "Book club",
            "tenant_id": tenant["id"],
            "starts_at": _z(starts),
            "ends_at": _z(starts + timedelta(hours=3)),
            "recipients": ["reader@example.com", "+12125550123"],
            "access_point_ids": [door["id"]],
        }
    }
    reply = await api.post("/v4/keychains/custom", json=body)
    assert reply.status_code == 201
    keychain = Keychain.from_api(reply.json()["data"])
    assert keychain.type == "custom_keychain"
    assert keychain.door_ids == (door["id"],)
    assert keychain.starts_at == starts.replace(microsecond=0)
    assert set(door["device_ids"]) <= set(reply.json()["data"]["device_ids"])
    assert len(keychain.virtual_key_ids) == 2
    listed = await api.get("/v4/keychains", params={"q[tenant_id_eq]": tenant["id"]})
    assert keychain.id in [k["id"] for k in listed.json()["data"]]
    keys = await api.get("/v4/virtual_keys", params={"q[keychain_id_eq]": keychain.id})
    recipients = {(k["email"], k["sms_number"]) for k in keys.json()["data"]}
    assert recipients == {("reader@example.com", None), (None, "+12125550123")}


async def test_a_delivery_pass_opens_every_door_of_the_building_for_30_days(
    cloud: Cloud, api: httpx.AsyncClient
) -> None:
    tenant = cloud.tenants[3]
    reply = await api.post(
        "/v4/keychains/delivery_pass",
        json={"keychain": {"name": "Groceries", "tenant_id": tenant["id"]}},
    )
    assert reply.status_code == 201
    keychain = Keychain.from_api(reply.json()["data"])
    building_doors = {d["id"] for d in cloud.doors if d["building_id"] == tenant["building_id"]}
    assert set(keychain.door_ids) == building_doors
    assert keychain.type == "delivery_pass"
    assert keychain.starts_at == cloud.clock.now()
    assert keychain.ends_at == cloud.clock.now() + timedelta(days=30)
    assert len(keychain.virtual_key_ids) == 1


async def test_revoking_a_pass_removes_it_and_its_keys(
    cloud: Cloud, api: httpx.AsyncClient
) -> None:
    keychain = cloud.keychains[0]
    assert (await api.delete(f"/v4/keychains/{keychain['id']}")).status_code == 204
    assert (await api.get(f"/v4/keychains/{keychain['id']}")).status_code == 404
    for key_id in keychain["virtual_key_ids"]:
        assert (await api.get(f"/v4/virtual_keys/{key_id}")).status_code == 404
    assert (await api.delete(f"/v4/keychains/{keychain['id']}")).status_code == 404


@pytest.mark.parametrize("wrapped", [True, False])
async def test_a_virtual_key_is_accepted_wrapped_or_bare(
    wrapped: bool, cloud: Cloud, api: httpx.AsyncClient
) -> None:
    keychain = cloud.keychains[0]
    fields = {"keychain_id": keychain["id"], "name": "Ana (cleaner)"}
    reply = await api.post("/v4/virtual_keys", json={"virtual_key": fields} if wrapped else fields)
    assert reply.status_code == 201
    key = VirtualKey.from_api(reply.json()["data"])
    assert key.keychain_id == keychain["id"]
    assert key.name == "Ana (cleaner)"
    assert key.pin_code is not None
    assert len(key.pin_code) == 6
    assert key.pin_code.isdigit()
    assert not weak_pin(key.pin_code)
    assert key.usage_count == 0
    assert key.id in cloud.keychain(keychain["id"])["virtual_key_ids"]


async def test_a_weak_pin_is_refused_as_the_contract_shows(
    cloud: Cloud, api: httpx.AsyncClient
) -> None:
    body = {"keychain_id": cloud.keychains[0]["id"], "pin_code": "111111"}
    reply = await api.post("/v4/virtual_keys", json=body)
    assert reply.status_code == 422
    assert reply.json()["errors"][0]["code"] == "low_entropy"


async def test_a_key_for_an_unknown_pass_is_422(api: httpx.AsyncClient) -> None:
    reply = await api.post("/v4/virtual_keys", json={"virtual_key": {"keychain_id": 1}})
    assert reply.status_code == 422


async def test_a_keys_qr_code_and_instructions_are_public_links_on_the_simulator(
    cloud: Cloud, api: httpx.AsyncClient, public: httpx.AsyncClient
) -> None:
    key = (await api.get(f"/v4/virtual_keys/{cloud.virtual_keys[0]['id']}")).json()["data"]
    assert key["qr_code_url"].startswith(BASE + "/sim-images/qr-")
    qr = await public.get(key["qr_code_url"])
    assert qr.status_code == 200
    assert qr.headers["content-type"] == "image/png"
    assert qr.content.startswith(b"\x89PNG\r\n\x1a\n")
    page = await public.get(key["instructions_url"])
    assert page.status_code == 200
    assert key["qr_code_url"] in page.text
    assert key["pin_code"] not in page.text


async def test_using_a_pass_shows_in_the_log_and_in_the_keys_usage(
    cloud: Cloud, api: httpx.AsyncClient, clock: FakeClock
) -> None:
    tenant = cloud.tenants[1]
    door = next(d for d in cloud.doors if d["building_id"] == tenant["building_id"])
    created = await api.post(
        "/v4/keychains/one_time",
        json={
            "keychain": {
                "name": "Plumber",
                "tenant_id": tenant["id"],
                "starts_at": _z(clock.now()),
                "ends_at": _z(clock.now() + timedelta(hours=4)),
                "access_point_ids": [door["id"]],
            }
        },
    )
    keychain_id = created.json()["data"]["id"]
    key = await api.post("/v4/virtual_keys", json={"virtual_key": {"keychain_id": keychain_id}})
    clock.advance(90)
    used = await api.post("/_sim/use_pass", json={"keychain_id": keychain_id})
    assert used.status_code == 201
    logs = await api.get(f"/v4/buildings/{tenant['building_id']}/access_logs")
    event = AccessEvent.from_api(logs.json()["data"][0])
    assert event.keychain_id == keychain_id
    assert event.door_id == door["id"]
    assert event.kind == "visitor"
    after = VirtualKey.from_api(
        (await api.get(f"/v4/virtual_keys/{key.json()['data']['id']}")).json()["data"]
    )
    assert after.usage_count == 1
    assert after.first_used_at == after.last_used_at == clock.now()


async def test_using_an_expired_pass_over_http_is_422(cloud: Cloud, api: httpx.AsyncClient) -> None:
    expired = next(k for k in cloud.keychains if k["ends_at"] < _z(cloud.clock.now()))
    reply = await api.post("/_sim/use_pass", json={"keychain_id": expired["id"]})
    assert reply.status_code == 422


# --- snapshots -------------------------------------------------------------------------
async def test_snapshots_are_pngs_served_without_a_token(
    cloud: Cloud, api: httpx.AsyncClient, public: httpx.AsyncClient
) -> None:
    building = cloud.buildings[0]["id"]
    logs = (await api.get(f"/v4/buildings/{building}/access_logs")).json()["data"]
    url = next(e["image_url"] for e in logs if e["image_url"])
    assert url.startswith(BASE + "/sim-images/")
    first = await public.get(url)
    second = await public.get(url)
    assert first.status_code == 200
    assert first.headers["content-type"] == "image/png"
    assert first.content[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", first.content[16:24])
    assert (width, height) == (320, 180)
    assert first.content == second.content


# --- control routes --------------------------------------------------------------------
async def test_sim_info_names_the_urls_credentials_and_front_desks(
    cloud: Cloud, public: httpx.AsyncClient
) -> None:
    info = (await public.get("/_sim/info")).json()["data"]
    assert info["token_url"] == BASE + "/oauth/token"
    assert (info["client_id"], info["client_secret"]) == ("bmx-demo", "demo-secret")
    assert {d["building_id"]: d["tenant_id"] for d in info["front_desk_tenant_ids"]} == (
        cloud.front_desk_tenant_ids()
    )


async def test_sim_routes_add_events_and_calls_and_report_releases(
    cloud: Cloud, api: httpx.AsyncClient
) -> None:
    door = cloud.doors[5]
    added = await api.post(
        "/_sim/events", json={"access_point": door["id"], "release_type": "Delivery"}
    )
    assert added.status_code == 201
    assert cloud.access_logs(door["building_id"])[0]["id"] == added.json()["data"]["id"]
    panel = cloud.panels[0]
    call = await api.post("/_sim/calls", json={"device": panel["id"], "status": "initializing"})
    assert call.status_code == 201
    assert cloud.calls(panel["building_id"])[0]["status"] == "initializing"

    desk = cloud.front_desk_tenant_id(door["building_id"])
    body = {"door_release_request": {"tenant_id": desk, "access_point_id": door["id"]}}
    await api.post("/v4/door_release_requests", json=body)
    releases = (await api.get("/_sim/releases")).json()["data"]
    assert [r["request"] for r in releases] == [body]
    grants = (await api.get("/_sim/token_requests")).json()["data"]
    assert [g["grant_type"] for g in grants] == ["client_credentials"]


async def test_sim_expire_tokens_signs_everyone_out(api: httpx.AsyncClient) -> None:
    assert (await api.post("/_sim/expire_tokens")).status_code == 204
    assert (await api.get("/v4/buildings")).status_code == 401


async def test_live_events_appear_on_the_next_request(clock: FakeClock) -> None:
    cloud = Cloud(clock=clock, event_rate_per_min=6.0, call_rate_per_min=0)
    async with httpx.AsyncClient(transport=in_process_transport(cloud), base_url=BASE) as c:
        token = (await c.post("/oauth/token", data=client_credentials())).json()["access_token"]
        c.headers["Authorization"] = f"Bearer {token}"
        since = clock.now().strftime("%Y-%m-%d %H:%M:%S UTC")
        counts = []
        for _ in range(3):
            clock.advance(300)
            found = 0
            for building in cloud.buildings:
                reply = await c.get(
                    f"/v4/buildings/{building['id']}/access_logs",
                    params={"q[logged_at_gteq]": since, "per": 100},
                )
                found += reply.json()["page_info"]["total_item_count"]
            counts.append(found)
    assert counts[0] > 0
    assert counts[0] < counts[1] < counts[2]
