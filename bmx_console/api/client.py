"""The ButterflyMX v4 REST API as typed calls and typed errors.

Three habits of the cloud shape this module:

* A list filter it cannot read is silently ignored: 200 with the unfiltered list. So every
  filter is applied here as well, records are de-duplicated by id, and a walk through the
  access log stops once a page is all older than asked for instead of reading history.
* There is no idempotency key. A door release, or creating or revoking a pass, that may
  have reached the server is never sent again automatically: a second release opens the
  door a second time. ``may_retry`` is the one place that decides.
* Anything between the desk and the cloud (a proxy, a captive portal) can answer instead of
  it; such a reply becomes a ProtocolError that says so, never a crash or a half record.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx

from bmx_console.api.auth import TokenManager
from bmx_console.api.http import check_url, network_error
from bmx_console.api.models import (
    AccessEvent,
    AccessTool,
    Building,
    Call,
    Door,
    Keychain,
    Panel,
    Release,
    Tenant,
    VirtualKey,
    format_api_time,
    format_filter_time,
)
from bmx_console.api.replies import (
    RELEASE_PATH,
    LogWalk,
    PageWalk,
    Params,
    all_older,
    deadline_error,
    decode_json,
    failure,
    in_building,
    int_id,
    only_building,
    refusal_to_retry,
    retry_delay,
    sent_failure,
    shape_error,
)
from bmx_console.api.retry import RetryPolicy
from bmx_console.api.transfer import DeadlineExceeded, send_bounded
from bmx_console.clock import Clock, Sleep, SystemClock
from bmx_console.errors import (
    BmxError,
    InvalidRequest,
    ProtocolError,
    TransientError,
    WriteUnconfirmed,
)

log = logging.getLogger("bmx_console.api")

T = TypeVar("T")


class BmxClient:
    def __init__(
        self,
        http: httpx.AsyncClient,
        tokens: TokenManager,
        *,
        api_base: str,
        retry: RetryPolicy = RetryPolicy(),  # noqa: B008 - frozen, safe to share
        sleep: Sleep = asyncio.sleep,
        clock: Clock = SystemClock(),  # noqa: B008 - stateless, safe to share
        per_page: int = 100,
        deadline_s: float | None = None,
    ) -> None:
        self._http = http
        # The whole of one request (connect, send, every byte of the reply); by default the
        # client's own timeout, i.e. the request_timeout setting.
        self._deadline_s = deadline_s or http.timeout.read or 15.0
        self._tokens = tokens
        self._base = check_url("api_base", api_base)
        self._host = urlsplit(self._base).hostname or self._base
        self._retry = retry
        self._sleep = sleep
        self._clock = clock
        self._per_page = max(1, min(per_page, 100))
        self._skipped = 0

    @property
    def http(self) -> httpx.AsyncClient:
        """The shared HTTP client, for the v3 notifications (``api.notifications``)."""
        return self._http

    @property
    def skipped_records(self) -> int:
        """Records dropped because they could not be read, since this client was made."""
        return self._skipped

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- buildings, doors, panels, tenants ---------------------------------------------------

    async def buildings(self) -> list[Building]:
        return await self._list("/v4/buildings", Building.from_api)

    async def building(self, building_id: int) -> Building:
        path = f"/v4/buildings/{building_id}"
        body = await self._get(path, subject=f"building {building_id}")
        return self._one(body, path, Building.from_api)

    async def doors(self, building_id: int | None = None) -> list[Door]:
        doors = await self._list("/v4/access_points", Door.from_api, _in_building(building_id))
        return _only_building(doors, building_id)

    async def panels(self, building_id: int | None = None) -> list[Panel]:
        panels = await self._list("/v4/devices", Panel.from_api, _in_building(building_id))
        return _only_building(panels, building_id)

    async def tenants(self, building_id: int | None = None) -> list[Tenant]:
        tenants = await self._list("/v4/tenants", Tenant.from_api, _in_building(building_id))
        return _only_building(tenants, building_id)

    async def access_tools(self, building_id: int | None = None) -> list[AccessTool]:
        """Residents' PINs and fobs, by kind; each one's code is dropped while parsing."""
        tools = await self._list("/v4/access_tools", AccessTool.from_api, _in_building(building_id))
        return [t for t in tools if building_id is None or t.building_id in (None, building_id)]

    # -- events and calls --------------------------------------------------------------------

    async def access_events(
        self, building_id: int, since: datetime | None = None
    ) -> list[AccessEvent]:
        """Access log entries at or after ``since``, oldest first, each once."""
        return await self._log(
            f"/v4/buildings/{building_id}/access_logs",
            lambda raw: AccessEvent.from_api(raw, building_id),
            since,
        )

    async def history(
        self, building_id: int, since: datetime, until: datetime
    ) -> tuple[list[AccessEvent], list[Call]]:
        """A building's access events and calls logged in [since, until], oldest first."""
        window: Params = [
            ("q[logged_at_gteq]", format_filter_time(since)),
            ("q[logged_at_lteq]", format_filter_time(until)),
        ]
        base = f"/v4/buildings/{building_id}"
        events = await self._read_log(
            f"{base}/access_logs",
            lambda raw: AccessEvent.from_api(raw, building_id),
            window,
            since,
        )
        calls = await self._read_log(
            f"{base}/calls", lambda raw: Call.from_api(raw, building_id), window, since
        )
        return (
            [e for e in events if e.logged_at <= until],
            [c for c in calls if c.logged_at <= until],
        )

    async def calls(self, building_id: int, since: datetime | None = None) -> list[Call]:
        """Panel calls at or after ``since``, oldest first, each once."""
        return await self._log(
            f"/v4/buildings/{building_id}/calls",
            lambda raw: Call.from_api(raw, building_id),
            since,
        )

    # -- release -----------------------------------------------------------------------------

    async def release_door(self, door_id: int, tenant_id: int) -> Release:
        """Open a door on behalf of ``tenant_id`` (the front-desk tenant, usually).

        Never repeated after it may have reached the cloud: see ``may_retry``.
        """
        response = await self._request(
            "POST",
            RELEASE_PATH,
            json={"door_release_request": {"tenant_id": tenant_id, "access_point_id": door_id}},
            subject=f"door {door_id}",
        )
        if response.status_code == 201:
            # 201 Created is the cloud saying the release was made, whatever the body.
            try:
                return self._one(_json(response, RELEASE_PATH), RELEASE_PATH, Release.from_api)
            except ProtocolError:
                log.warning("door release answered 201 without a readable release record")
                return Release.unrecorded(door_id=door_id, tenant_id=tenant_id)
        return self._written(response, RELEASE_PATH, Release.from_api, "the door release")

    # -- passes ------------------------------------------------------------------------------

    async def keychains(self, building_id: int | None = None) -> list[Keychain]:
        keychains = await self._list("/v4/keychains", Keychain.from_api, _in_building(building_id))
        return _only_building(keychains, building_id)

    async def keychain(self, keychain_id: int) -> Keychain:
        path = f"/v4/keychains/{keychain_id}"
        body = await self._get(path, subject=f"keychain {keychain_id}")
        return self._one(body, path, Keychain.from_api)

    async def create_custom_keychain(
        self,
        *,
        name: str,
        tenant_id: int,
        starts_at: datetime,
        ends_at: datetime,
        door_ids: Sequence[int] = (),
    ) -> Keychain:
        """A pass valid from ``starts_at`` to ``ends_at``; no ``door_ids`` means the cloud's
        default doors for the tenant."""
        return await self._create_keychain(
            "/v4/keychains/custom",
            _windowed(name, tenant_id, starts_at, ends_at, door_ids),
        )

    async def create_one_time_keychain(
        self,
        *,
        name: str,
        tenant_id: int,
        starts_at: datetime,
        ends_at: datetime,
        door_ids: Sequence[int] = (),
    ) -> Keychain:
        """A pass that works once within its window."""
        return await self._create_keychain(
            "/v4/keychains/one_time",
            _windowed(name, tenant_id, starts_at, ends_at, door_ids),
        )

    async def create_delivery_pass(self, *, name: str, tenant_id: int) -> Keychain:
        """A standing pass for a courier (e.g. "DoorDash"); the cloud sets its window."""
        return await self._create_keychain(
            "/v4/keychains/delivery_pass", {"name": name, "tenant_id": tenant_id}
        )

    async def delete_keychain(self, keychain_id: int) -> None:
        """Revoke a pass: its virtual keys stop working.

        Done only on 204, or 200 with an empty JSON object or this keychain's record: any
        other answer (a proxy's HTML page, someone else's JSON) proves nothing, and raises
        ``WriteUnconfirmed`` so that nobody is told a pass is dead that may still open doors.
        """
        path = f"/v4/keychains/{keychain_id}"
        response = await self._request("DELETE", path, subject=f"keychain {keychain_id}")
        if response.status_code == 204:
            return
        what = "an answer that does not confirm it"
        if response.status_code == 200:
            try:
                body = _json(response, path)
            except ProtocolError as exc:
                what = exc.sentence.split(": ", 1)[-1].split(" — ")[0]
            else:
                data = body.get("data") if isinstance(body, dict) else "not an object"
                if isinstance(body, dict) and "errors" not in body:
                    if data is None and set(body) <= {"data"}:
                        return
                    if isinstance(data, dict) and int_id(data.get("id")) == keychain_id:
                        return
        raise WriteUnconfirmed(
            f"ButterflyMX answered the revoke of keychain {keychain_id} with {what} (HTTP "
            f"{response.status_code}): the pass may still work. Check it with `bmx-console "
            "pass list` and revoke it again if it is there.",
            status=response.status_code,
            endpoint=path,
        )

    async def create_virtual_key(self, *, keychain_id: int, name: str) -> VirtualKey:
        """A key (PIN and QR code) on a pass. The body is unwrapped, as in the contract; the
        cloud's Rails parameter wrapping also accepts it where a wrapped body is expected."""
        path = "/v4/virtual_keys"
        response = await self._request(
            "POST",
            path,
            json={"keychain_id": keychain_id, "name": name},
            subject=f"keychain {keychain_id}",
        )
        return self._written(response, path, VirtualKey.from_api, "the virtual key")

    async def virtual_keys(self, keychain_ids: Sequence[int] | None = None) -> list[VirtualKey]:
        if keychain_ids is not None and not keychain_ids:
            return []
        params: Params = [("q[keychain_id_in][]", str(k)) for k in keychain_ids or ()]
        keys = await self._list("/v4/virtual_keys", VirtualKey.from_api, params)
        if keychain_ids is None:
            return keys
        wanted = set(keychain_ids)
        return [k for k in keys if k.keychain_id in wanted]

    # -- snapshots ---------------------------------------------------------------------------

    async def fetch_image(self, url: str) -> bytes:
        """A snapshot's bytes. The link is a public, unsigned storage URL: it is fetched
        without the bearer token (storage refuses requests that carry one, and the token
        must not leave for another host). The link itself grants access to the picture, so
        it is never logged; only its host is."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidRequest("the snapshot link is not a web address: it cannot be shown.")
        response = await self._request(
            "GET", f"snapshot on {parts.hostname}", url=url, subject="snapshot", authorized=False
        )
        return response.content

    # -- requests ----------------------------------------------------------------------------

    async def _create_keychain(self, path: str, keychain: dict[str, Any]) -> Keychain:
        response = await self._request("POST", path, json={"keychain": keychain})
        return self._written(response, path, Keychain.from_api, "the pass")

    async def _get(self, path: str, params: Params | None = None, subject: str = "") -> Any:
        return _json(await self._request("GET", path, params=params, subject=subject), path)

    async def _request(
        self,
        method: str,
        endpoint: str,
        *,
        url: str | None = None,
        params: Params | None = None,
        json: Any = None,
        subject: str = "",
        authorized: bool = True,
    ) -> httpx.Response:
        """Send with a token, refresh once on 401, retry what ``may_retry`` allows."""
        retries = 0
        refreshed = False
        started = self._clock.monotonic()
        while True:
            token: str | None = None
            try:
                if authorized:
                    token = await self._tokens.access_token()
                response = await self._send(method, endpoint, url, token, params, json)
            except TransientError as error:
                failed, hint = sent_failure(error)
            else:
                status = response.status_code
                if status == 401 and token is not None and not refreshed:
                    refreshed = True
                    self._tokens.invalidate(token)
                    log.info("%s %s -> 401: sending once more with a fresh token", method, endpoint)
                    continue
                if 200 <= status < 300:
                    return response
                refused = self._failure(response, method, endpoint, subject, authorized)
                failed, hint = refusal_to_retry(
                    refused, response.headers.get("Retry-After"), self._clock.now()
                )
            delay = retry_delay(
                failed,
                hint,
                method=method,
                endpoint=endpoint,
                retries=retries,
                spent_s=self._clock.monotonic() - started,
                deadline_s=self._deadline_s,
                policy=self._retry,
                now=self._clock.now(),
            )
            await self._sleep(delay)
            retries += 1

    async def _send(
        self,
        method: str,
        endpoint: str,
        url: str | None,
        token: str | None,
        params: Params | None,
        json: Any,
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token is not None else None
        started = self._clock.monotonic()
        try:
            response = await send_bounded(
                self._http,
                method,
                url or self._base + endpoint,
                deadline_s=self._deadline_s,
                endpoint=endpoint,
                params=params,
                json=json,
                headers=headers,
                # Only the token-less snapshot download may follow a redirect: a redirect on
                # an API call would carry the bearer token to wherever it points.
                follow_redirects=token is None,
            )
        except DeadlineExceeded:
            log.warning("%s %s: no complete answer within %g s", method, endpoint, self._deadline_s)
            # Whether it reached the server is unknown: count it as sent (a release is not
            # sent again).
            raise deadline_error(endpoint, self._deadline_s, sent=True) from None
        except httpx.TransportError as exc:
            log.warning(
                "%s %s failed after %.0f ms: %s",
                method,
                endpoint,
                (self._clock.monotonic() - started) * 1000,
                type(exc).__name__,
            )
            host = (urlsplit(url).hostname or "") if url else self._host
            raise network_error(
                exc, host=host, endpoint=endpoint, timeout_s=self._deadline_s
            ) from exc
        log.log(
            logging.DEBUG if response.is_success else logging.INFO,
            "%s %s -> %s in %.0f ms",
            method,
            endpoint,
            response.status_code,
            (self._clock.monotonic() - started) * 1000,
        )
        return response

    def _failure(
        self,
        response: httpx.Response,
        method: str,
        endpoint: str,
        subject: str,
        authorized: bool = True,
    ) -> BmxError:
        """The typed error, with the operator's sentence, for a reply that is not a success."""
        return failure(
            response,
            method,
            endpoint,
            subject,
            now=self._clock.now(),
            max_retry_after_s=self._retry.max_retry_after_s,
            authorized=authorized,
        )

    # -- envelopes and pages -----------------------------------------------------------------

    async def _list(
        self,
        path: str,
        parse: Callable[[Any], T],
        params: Params | None = None,
        *,
        enough: Callable[[list[Any]], bool] | None = None,
    ) -> list[T]:
        """Every page of a list, following ``page_info.next_page`` until null."""
        walk = PageWalk(path, parse, params, per_page=self._per_page, enough=enough)
        await self._walk(walk)
        return walk.records

    async def _walk(self, walk: PageWalk[Any]) -> None:
        try:
            while not walk.take(await self._request("GET", walk.path, params=walk.query())):
                pass
        finally:
            self._skipped += walk.skipped

    async def _read_log(
        self,
        path: str,
        parse: Callable[[Any], E],
        params: Params,
        since: datetime | None,
    ) -> list[E]:
        """A log at or after ``since``: each record once, oldest first (``LogWalk``)."""
        enough = None if since is None else _all_older(since)
        walk = LogWalk(path, parse, params, since=since, per_page=self._per_page, enough=enough)
        await self._walk(walk)
        return walk.oldest_first()

    async def _log(
        self,
        path: str,
        parse: Callable[[Any], E],
        since: datetime | None,
    ) -> list[E]:
        params: Params = []
        if since is not None:
            params.append(("q[logged_at_gteq]", format_filter_time(since)))
        return await self._read_log(path, parse, params, since)

    def _written(
        self, response: httpx.Response, path: str, parse: Callable[[Any], T], what: str
    ) -> T:
        """The record a write answered with. An answer that cannot be read proves neither
        that the write happened nor that it did not: the operator is told to check."""
        try:
            return self._one(_json(response, path), path, parse)
        except ProtocolError as exc:
            raise WriteUnconfirmed(
                f"{exc.sentence} ButterflyMX may have made {what} all the same: check before "
                "sending it again.",
                status=response.status_code,
                endpoint=path,
            ) from exc

    def _one(self, body: Any, path: str, parse: Callable[[Any], T]) -> T:
        if not isinstance(body, dict) or "data" not in body:
            raise _shape_error(path, "JSON without a 'data' record")
        try:
            return parse(body["data"])
        except (ValueError, TypeError, AttributeError, KeyError) as exc:
            raise _shape_error(path, f"a record that cannot be read ({exc})") from exc


_json = decode_json
_shape_error = shape_error
_all_older = all_older
_in_building = in_building
_only_building = only_building


E = TypeVar("E", AccessEvent, Call)


def _windowed(
    name: str, tenant_id: int, starts_at: datetime, ends_at: datetime, door_ids: Sequence[int]
) -> dict[str, Any]:
    keychain: dict[str, Any] = {
        "name": name,
        "tenant_id": tenant_id,
        "starts_at": format_api_time(starts_at),
        "ends_at": format_api_time(ends_at),
    }
    if door_ids:
        keychain["access_point_ids"] = list(door_ids)
    return keychain
