"""The simulator's v3 face: the JSON:API notification routes that end a panel's ringing.

``GET /v3/me/calls`` lists the recent calls as JSON:API (string ids, ``attributes`` with the
call's ``guid``, the panel as a relationship with its v3 id, which is not the v4 device id);
``POST /v3/notifications/open_door`` and ``/call_ended`` take
``{"data":{"type":"notifications","attributes":{"call_guid","source_id",...}}}`` with
``Content-Type: application/vnd.api+json`` (a plain JSON body is refused with 415, as the
cloud does), answer 204, and the call stops ringing: its status becomes ``opened_door`` or
``declined``. What the simulator was told is kept for tests (``notifications(cloud)``).
"""

from __future__ import annotations

import json
import threading
import uuid
import weakref
from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bmx_console.sim.cloud import Cloud
from bmx_console.sim.cloud_state import parse_time

JSON_API = "application/vnd.api+json"
ME_CALLS_WINDOW = timedelta(minutes=30)
# v3 numbers panels on its own: far from the v4 device ids, so that a mix-up shows.
V3_PANEL_OFFSET = 1_000_000_000
_STATUS_AFTER = {"open_door": "opened_door", "call_ended": "declined"}

_told: weakref.WeakKeyDictionary[Cloud, list[dict[str, Any]]] = weakref.WeakKeyDictionary()
_told_lock = threading.Lock()


def call_guid(call_id: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://sim.bmx-console/calls/{call_id}"))


def v3_panel_id(device_id: int) -> int:
    return device_id + V3_PANEL_OFFSET


def notifications(cloud: Cloud) -> list[dict[str, Any]]:
    """Every notification the simulator accepted: path, body, content type and call id."""
    with _told_lock:
        return [dict(n) for n in _told.get(cloud, [])]


def _errors(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"status": str(status), "code": code, "title": message}]},
        status_code=status,
        media_type=JSON_API,
    )


def _authorized(cloud: Cloud, request: Request) -> bool:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and cloud.tokens.is_valid(token.strip())


def _all_calls(cloud: Cloud) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    for building in cloud.buildings:
        calls.extend(cloud.calls(building["id"]))
    return calls


def _as_v3(call: dict[str, Any]) -> dict[str, Any]:
    device = call.get("device") or {}
    panel = (
        {"data": {"id": str(v3_panel_id(device["id"])), "type": "panels"}}
        if device.get("id") is not None
        else {"data": None}
    )
    return {
        "id": str(call["id"]),
        "type": "calls",
        "attributes": {
            "guid": call_guid(call["id"]),
            "status": call.get("status"),
            "logged_at": call.get("logged_at"),
            "notification_type": call.get("notification_type"),
        },
        "relationships": {"panel": panel},
    }


def routes(cloud: Cloud) -> list[Route]:
    """The v3 routes over ``cloud``, for ``create_app`` to serve beside the v4 ones."""

    async def me_calls(request: Request) -> Response:
        if not _authorized(cloud, request):
            return _errors(401, "unauthorized", "Unauthorized")
        since = cloud.clock.now() - ME_CALLS_WINDOW
        recent = [
            c for c in _all_calls(cloud) if (parse_time(c.get("logged_at")) or since) >= since
        ]
        recent.sort(key=lambda c: (str(c["logged_at"]), c["id"]), reverse=True)
        return JSONResponse({"data": [_as_v3(c) for c in recent]}, media_type=JSON_API)

    def notification(kind: str) -> Any:
        async def handler(request: Request) -> Response:
            if not _authorized(cloud, request):
                return _errors(401, "unauthorized", "Unauthorized")
            content_type = request.headers.get("content-type", "").split(";")[0].strip()
            if content_type != JSON_API:
                return _errors(415, "unsupported_media_type", f"Use {JSON_API}")
            try:
                body = json.loads(await request.body())
                attributes = body["data"]["attributes"]
                guid = attributes["call_guid"]
                source_id = attributes["source_id"]
            except (ValueError, KeyError, TypeError):
                return _errors(400, "bad_request", "Not a JSON:API notification")
            if body["data"].get("type") != "notifications":
                return _errors(422, "invalid", "data.type must be notifications")
            call = next((c for c in _all_calls(cloud) if call_guid(c["id"]) == guid), None)
            device = (call or {}).get("device") or {}
            if call is None or device.get("id") is None:
                return _errors(404, "not_found", "No such call")
            if source_id != v3_panel_id(device["id"]):
                return _errors(422, "invalid", "source_id is not the call's panel")
            _set_status(cloud, call["building_id"], call["id"], _STATUS_AFTER[kind])
            with _told_lock:
                _told.setdefault(cloud, []).append(
                    {
                        "path": request.url.path,
                        "content_type": content_type,
                        "body": body,
                        "call_id": call["id"],
                    }
                )
            return Response(status_code=204)

        return handler

    async def sim_told(request: Request) -> Response:
        return JSONResponse({"data": notifications(cloud)})

    return [
        Route("/v3/me/calls", me_calls),
        Route("/v3/notifications/open_door", notification("open_door"), methods=["POST"]),
        Route("/v3/notifications/call_ended", notification("call_ended"), methods=["POST"]),
        Route("/_sim/v3_notifications", sim_told),
    ]


def _set_status(cloud: Cloud, building_id: int, call_id: int, status: str) -> None:
    # The cloud's own record, under its lock: the v4 calls list then shows the new status.
    with cloud._lock:
        for record in cloud._calls.get(building_id, []):
            if record["id"] == call_id:
                record["status"] = status
