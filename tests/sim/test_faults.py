"""Faults over a real loopback server (and the drop in-process): what a client sees when the
cloud fails, is slow, vanishes mid-request, or answers something other than the contract."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import pytest

from bmx_console.sim.cloud import Cloud
from bmx_console.sim.server import SimServer


class _AnyText:
    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and bool(other)


ANY_TEXT = _AnyText()


@pytest.mark.parametrize(
    "status,code",
    [
        (403, "forbidden"),
        (404, "not_found"),
        (500, "internal_server_error"),
        (502, "bad_gateway"),
        (503, "service_unavailable"),
    ],
)
async def test_a_status_fault_answers_with_the_contract_error_shape(
    status: int, code: str, sim: SimServer, remote: httpx.AsyncClient
) -> None:
    sim.cloud.faults.add("/v4/access_points", status=status)
    reply = await remote.get("/v4/access_points")
    assert reply.status_code == status
    assert reply.json() == {"errors": [{"field": "base", "code": code, "message": ANY_TEXT}]}


async def test_a_401_fault_uses_messages_plural(sim: SimServer, remote: httpx.AsyncClient) -> None:
    sim.cloud.faults.add("/v4/buildings", status=401)
    reply = await remote.get("/v4/buildings")
    assert reply.status_code == 401
    assert reply.json()["errors"][0] == {
        "field": "base",
        "code": "unauthorized",
        "messages": "Unauthorized",
    }


async def test_a_429_carries_retry_after_and_times_limits_the_fault(
    sim: SimServer, remote: httpx.AsyncClient
) -> None:
    sim.cloud.faults.add("/v4/buildings/*/access_logs", status=429, retry_after="7", times=2)
    building = sim.cloud.buildings[0]["id"]
    first = await remote.get(f"/v4/buildings/{building}/access_logs")
    second = await remote.get(f"/v4/buildings/{building}/access_logs")
    third = await remote.get(f"/v4/buildings/{building}/access_logs")
    assert [first.status_code, second.status_code, third.status_code] == [429, 429, 200]
    assert first.headers["Retry-After"] == "7"
    assert (await remote.get("/v4/buildings")).status_code == 200  # glob did not match


async def test_retry_after_as_an_http_date_is_sent_as_given(
    sim: SimServer, remote: httpx.AsyncClient
) -> None:
    when = "Sat, 21 Nov 2026 14:00:30 GMT"
    sim.cloud.faults.add("/v4/devices", retry_after=when, times=1)
    reply = await remote.get("/v4/devices")
    assert reply.status_code == 429
    assert reply.headers["Retry-After"] == when


async def test_a_token_endpoint_fault_uses_the_oauth_error_shape(
    sim: SimServer, remote: httpx.AsyncClient
) -> None:
    sim.cloud.faults.add("/oauth/token", status=401, times=1)
    reply = await remote.post("/oauth/token", data={"grant_type": "client_credentials"})
    assert reply.status_code == 401
    assert reply.json()["error"] == "invalid_client"


async def test_a_dropped_connection_is_a_transport_error_not_a_500(
    sim: SimServer, remote: httpx.AsyncClient
) -> None:
    body = {"door_release_request": {"tenant_id": 1, "access_point_id": 1}}
    sim.cloud.faults.add("/v4/door_release_requests", drop=True, times=1)
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        await remote.post("/v4/door_release_requests", json=body)
    # The server lives on: the next request is answered.
    assert (await remote.get("/v4/buildings")).status_code == 200


async def test_a_drop_in_process_raises_remote_protocol_error(
    cloud: Cloud, api: httpx.AsyncClient
) -> None:
    cloud.faults.add("*", drop=True, times=1)
    with pytest.raises(httpx.RemoteProtocolError):
        await api.get("/v4/buildings")
    assert (await api.get("/v4/buildings")).status_code == 200


async def test_latency_delays_one_route_without_blocking_others(
    sim: SimServer, remote: httpx.AsyncClient
) -> None:
    sim.cloud.faults.add("/v4/buildings", latency_s=0.3, times=1)
    started = time.monotonic()
    slow = asyncio.ensure_future(remote.get("/v4/buildings"))
    quick = await remote.get("/v4/devices")
    assert quick.status_code == 200
    assert not slow.done(), "the quick request waited for the slow one"
    assert (await slow).status_code == 200
    assert time.monotonic() - started >= 0.3


async def test_latency_beyond_the_client_timeout_is_a_read_timeout(
    sim: SimServer, remote: httpx.AsyncClient
) -> None:
    sim.cloud.faults.add("/v4/buildings", latency_s=0.5, times=1)
    with pytest.raises(httpx.ReadTimeout):
        await remote.get("/v4/buildings", timeout=0.1)


async def test_an_html_login_page_instead_of_json(
    sim: SimServer, remote: httpx.AsyncClient
) -> None:
    sim.cloud.faults.add("/v4/access_points", body="html")
    reply = await remote.get("/v4/access_points")
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/html")
    assert "<form" in reply.text


async def test_a_truncated_json_body(sim: SimServer, remote: httpx.AsyncClient) -> None:
    sim.cloud.faults.add("/v4/access_points", body="malformed")
    reply = await remote.get("/v4/access_points")
    assert reply.status_code == 200
    assert reply.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        reply.json()


async def test_valid_json_of_the_wrong_shape(sim: SimServer, remote: httpx.AsyncClient) -> None:
    sim.cloud.faults.add("/v4/access_points", body="wrong_shape")
    reply = await remote.get("/v4/access_points")
    assert reply.status_code == 200
    assert "data" not in reply.json()


async def test_ignore_filters_serves_the_unfiltered_list(
    sim: SimServer, remote: httpx.AsyncClient
) -> None:
    building = sim.cloud.buildings[0]["id"]
    params = {"q[building_id_eq]": str(building), "per": "100"}
    filtered = (await remote.get("/v4/access_points", params=params)).json()["data"]
    sim.cloud.faults.add("/v4/access_points", ignore_filters=True, times=1)
    ignored = (await remote.get("/v4/access_points", params=params)).json()["data"]
    assert {d["building_id"] for d in filtered} == {building}
    assert len(ignored) == len(sim.cloud.doors) > len(filtered)


async def test_faults_apply_before_authentication_and_clear(
    sim: SimServer, remote: httpx.AsyncClient
) -> None:
    sim.cloud.faults.add("*", status=503)
    async with httpx.AsyncClient(base_url=sim.base_url) as anonymous:
        assert (await anonymous.get("/v4/buildings")).status_code == 503
    sim.cloud.faults.clear()
    assert (await remote.get("/v4/buildings")).status_code == 200


async def test_faults_can_be_set_and_cleared_over_http(
    sim: SimServer, remote: httpx.AsyncClient
) -> None:
    added = await remote.post(
        "/_sim/faults", json={"route": "/v4/tenants", "status": 500, "times": 1}
    )
    assert added.status_code == 201
    assert added.json()["data"]["status"] == 500
    # A "*" fault never blocks the control routes, so a test can always clear it.
    await remote.post("/_sim/faults", json={"route": "*", "status": 502})
    assert (await remote.get("/v4/tenants")).status_code == 500
    assert (await remote.get("/v4/tenants")).status_code == 502
    assert (await remote.delete("/_sim/faults")).status_code == 204
    assert (await remote.get("/v4/tenants")).status_code == 200
    bad = await remote.post("/_sim/faults", json={"route": "*", "body": "xml"})
    assert bad.status_code == 422


async def test_requests_are_counted_whatever_the_answer(
    sim: SimServer, remote: httpx.AsyncClient
) -> None:
    route = "/v4/door_release_requests"
    before = sim.cloud.request_count(route)
    sim.cloud.faults.add(route, status=502, times=1)
    body = {"door_release_request": {"tenant_id": 1, "access_point_id": 1}}
    assert (await remote.post(route, json=body)).status_code == 502
    assert (await remote.post(route, json=body)).status_code == 422
    assert sim.cloud.request_count(route) == before + 2
    assert sim.cloud.request_count(route, method="GET") == 0
    counted = await remote.get("/_sim/request_count", params={"route": route, "method": "POST"})
    assert counted.json()["data"]["count"] == before + 2
