"""The simulator's v3 notification routes: JSON:API only, and a call it was told about
stops ringing."""

from __future__ import annotations

import httpx

from bmx_console.sim.cloud import Cloud
from bmx_console.sim.v3 import JSON_API, call_guid, notifications, v3_panel_id


def _notice(call: dict) -> dict:
    return {
        "data": {
            "type": "notifications",
            "attributes": {
                "call_guid": call_guid(call["id"]),
                "source_id": v3_panel_id(call["device"]["id"]),
                "video": False,
                "audio": False,
            },
        }
    }


async def test_me_calls_lists_the_ringing_call_as_json_api(
    cloud: Cloud, api: httpx.AsyncClient
) -> None:
    call = cloud.add_call(status="initializing")
    reply = await api.get("/v3/me/calls")
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith(JSON_API)
    listed = next(c for c in reply.json()["data"] if c["id"] == str(call["id"]))
    assert listed["attributes"]["guid"] == call_guid(call["id"])
    assert listed["relationships"]["panel"]["data"] == {
        "id": str(v3_panel_id(call["device"]["id"])),
        "type": "panels",
    }


async def test_a_plain_json_body_is_refused_with_415(cloud: Cloud, api: httpx.AsyncClient) -> None:
    call = cloud.add_call(status="initializing")
    reply = await api.post("/v3/notifications/open_door", json=_notice(call))
    assert reply.status_code == 415
    assert notifications(cloud) == []


async def test_open_door_and_call_ended_stop_the_ringing(
    cloud: Cloud, api: httpx.AsyncClient
) -> None:
    opened = cloud.add_call(status="initializing")
    declined = cloud.add_call(status="initializing")
    for path, call in (("open_door", opened), ("call_ended", declined)):
        reply = await api.post(
            f"/v3/notifications/{path}",
            content=httpx.Request("POST", "/", json=_notice(call)).content,
            headers={"Content-Type": JSON_API},
        )
        assert reply.status_code == 204, reply.text
    statuses = {c["id"]: c["status"] for c in cloud.calls(opened["building_id"])}
    assert statuses[opened["id"]] == "opened_door"
    assert statuses[declined["id"]] == "declined"


async def test_v3_needs_a_token(cloud: Cloud, anon: httpx.AsyncClient) -> None:
    assert (await anon.get("/v3/me/calls")).status_code == 401
