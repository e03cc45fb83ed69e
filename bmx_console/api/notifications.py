"""Ending a panel's ringing: the v3 notification API the official clients use.

A v4 door release opens the door but does not end the call: the panel keeps dialling and
rolls over to the resident's phone. The official clients tell the panel with two v3 calls
(JSON:API, ``application/vnd.api+json``): ``GET /v3/me/calls`` for the call's ``guid`` and
its panel (the v3 panel id, which is not the v4 device id), then ``POST
/v3/notifications/open_door`` (answered and opened) or ``/v3/notifications/call_ended``
(declined).

``/v3/me`` is the token's person, so this works only for a desk signed in as a person (the
paste-code sign-in, as the front-desk tenant), never for bare client credentials. It is only
worth sending while the call still rings, and it is never retried: a second ``open_door``
would be noise at best, and a late one tells a panel that has moved on to something else.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx

from bmx_console.api.auth import TokenManager
from bmx_console.api.http import network_error
from bmx_console.api.models import parse_time
from bmx_console.clock import Clock, SystemClock
from bmx_console.errors import AuthError, BmxError, NotFound, ProtocolError

log = logging.getLogger("bmx_console.api")

JSON_API = "application/vnd.api+json"
ME_CALLS_PATH = "/v3/me/calls"
# How long a panel rings before it gives up on the desk (and rolls over to a phone call).
RING_WINDOW_S = 40.0

Notice = Literal["open_door", "call_ended"]
NOTICE_PATHS: dict[Notice, str] = {
    "open_door": "/v3/notifications/open_door",
    "call_ended": "/v3/notifications/call_ended",
}


@dataclass(frozen=True, slots=True)
class V3Call:
    """What the v3 API says about one of the signed-in person's calls."""

    id: int
    guid: str
    panel_id: int
    status: str | None = None
    logged_at: datetime | None = None

    @classmethod
    def from_api(cls, raw: Any) -> V3Call:
        if not isinstance(raw, dict):
            raise ValueError("a v3 call is not a JSON object")
        found = raw.get("attributes")
        attributes: dict[str, Any] = found if isinstance(found, dict) else {}
        relationships = raw.get("relationships")
        panel = relationships.get("panel") if isinstance(relationships, dict) else None
        panel_data = panel.get("data") if isinstance(panel, dict) else None
        panel_id = _int(panel_data.get("id")) if isinstance(panel_data, dict) else None
        call_id = _int(raw.get("id"))
        guid = attributes.get("guid")
        if call_id is None or panel_id is None or not isinstance(guid, str) or not guid:
            raise ValueError("a v3 call without an id, a guid or a panel")
        status = attributes.get("status")
        return cls(
            id=call_id,
            guid=guid,
            panel_id=panel_id,
            status=status if isinstance(status, str) else None,
            logged_at=parse_time(attributes.get("logged_at")),
        )


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


class TooLate(BmxError):
    """The call no longer rings: the panel is not told (it has moved on)."""


class CallNotifier:
    """Tells a ringing panel that its call was answered (door opened) or declined."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        tokens: TokenManager,
        *,
        api_base: str,
        clock: Clock = SystemClock(),  # noqa: B008 - stateless, safe to share
        ring_window_s: float = RING_WINDOW_S,
    ) -> None:
        self._http = http
        self._tokens = tokens
        self._base = api_base.rstrip("/")
        self._host = urlsplit(self._base).hostname or self._base
        self._clock = clock
        self.ring_window = timedelta(seconds=ring_window_s)

    @property
    def available(self) -> bool:
        """Whether the desk is signed in as a person, the only sign-in ``/v3/me`` knows."""
        return self._tokens.signed_in_as_person

    def still_rings(self, logged_at: datetime) -> bool:
        return self._clock.now() - logged_at <= self.ring_window

    async def my_calls(self) -> list[V3Call]:
        """The signed-in person's calls, as v3 lists them (the newest page)."""
        response = await self._send("GET", ME_CALLS_PATH)
        try:
            body = response.json()
        except ValueError:
            body = None
        items = body.get("data") if isinstance(body, dict) else None
        if not isinstance(items, list):
            raise ProtocolError(
                f"unexpected reply from {ME_CALLS_PATH}: no list of calls — a proxy or captive "
                "portal may be in the way.",
                endpoint=ME_CALLS_PATH,
            )
        calls: list[V3Call] = []
        for raw in items:
            try:
                calls.append(V3Call.from_api(raw))
            except ValueError:
                log.warning("skipped an unreadable call from %s", ME_CALLS_PATH)
        return calls

    async def notify(self, call_id: int, notice: Notice, logged_at: datetime | None = None) -> None:
        """Tell the panel of call ``call_id``; sent once, never retried. Raises ``TooLate``
        when the call no longer rings, and a ``BmxError`` with the sentence otherwise."""
        if logged_at is not None and not self.still_rings(logged_at):
            raise TooLate("the call no longer rings: the panel was not told.")
        if not self.available:
            raise AuthError(
                "the desk is signed in with client credentials: only a person's sign-in can "
                "end a call, so the panel keeps ringing until it times out."
            )
        found = next((c for c in await self.my_calls() if c.id == call_id), None)
        if found is None:
            raise NotFound(
                f"call {call_id} is not among this sign-in's calls: the panel keeps ringing "
                "until it times out.",
                endpoint=ME_CALLS_PATH,
            )
        if found.logged_at is not None and not self.still_rings(found.logged_at):
            raise TooLate("the call no longer rings: the panel was not told.")
        path = NOTICE_PATHS[notice]
        body = {
            "data": {
                "type": "notifications",
                "attributes": {
                    "call_guid": found.guid,
                    "source_id": found.panel_id,
                    "video": False,
                    "audio": False,
                },
            }
        }
        await self._send("POST", path, body=body)
        log.info("told the panel of call %s: %s", call_id, notice)

    async def _send(self, method: str, path: str, body: Any = None) -> httpx.Response:
        token = await self._tokens.access_token()
        headers = {"Authorization": f"Bearer {token}", "Accept": JSON_API}
        content = None
        if body is not None:
            # JSON:API by hand: httpx's json= would send application/json, which v3 refuses.
            headers["Content-Type"] = JSON_API
            content = json.dumps(body).encode("utf-8")
        try:
            response = await self._http.request(
                method,
                self._base + path,
                content=content,
                headers=headers,
                follow_redirects=False,
            )
        except httpx.TransportError as exc:
            log.warning("%s %s failed: %s", method, path, type(exc).__name__)
            raise network_error(
                exc, host=self._host, endpoint=path, timeout_s=self._http.timeout.read
            ) from exc
        log.log(
            logging.DEBUG if response.is_success else logging.INFO,
            "%s %s -> %s",
            method,
            path,
            response.status_code,
        )
        if response.is_success:
            return response
        status = response.status_code
        if status in (401, 403):
            raise AuthError(
                f"ButterflyMX refused {path} (HTTP {status}): this sign-in cannot answer calls.",
                status=status,
                endpoint=path,
            )
        raise BmxError(
            f"ButterflyMX answered HTTP {status} on {path}.", status=status, endpoint=path
        )
