"""The simulator's HTTP face: the v4 routes the console uses, the OAuth endpoints, public
snapshot links, and ``/_sim/`` control routes for tests that run in another process.

Served the way the contract shows it: ``{"data": ...}`` envelopes, ``page_info`` on lists,
``{"errors": [...]}`` on failure (``messages``, plural, on 401), filters that the cloud
cannot read silently ignored.
"""

from __future__ import annotations

import asyncio
import base64
import html
import json
import math
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, unquote

import httpx
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from bmx_console.sim.access_tools import routes as access_tool_routes
from bmx_console.sim.cloud import Cloud, CloudError, parse_time
from bmx_console.sim.faults import Fault
from bmx_console.sim.hold import hold_routes, release_hold
from bmx_console.sim.images import qr_png, snapshot_png
from bmx_console.sim.schemas import REQUEST_SCHEMAS, validate
from bmx_console.sim.seed import Record
from bmx_console.sim.tokens import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, OOB_REDIRECT_URI
from bmx_console.sim.v3 import routes as v3_routes

# Where a server that can really drop a connection puts the function doing it (scope
# "state"); see server.py. In-process there is no connection, so the drop is an exception.
ABORT_KEY = "bmx_sim.abort"
_IGNORE_FILTERS = "bmx_sim.ignore_filters"

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100

UNAUTHORIZED_BODY = {
    "errors": [{"field": "base", "code": "unauthorized", "messages": "Unauthorized"}]
}
_STATUS_ERRORS = {
    400: ("bad_request", "Bad request"),
    403: ("forbidden", "You are not allowed to perform this action"),
    404: ("not_found", "Resource not found"),
    409: ("conflict", "Conflict"),
    422: ("unprocessable_entity", "Unprocessable entity"),
    429: ("too_many_requests", "Too many requests"),
    500: ("internal_server_error", "Internal server error"),
    502: ("bad_gateway", "Bad gateway"),
    503: ("service_unavailable", "Service unavailable"),
    504: ("gateway_timeout", "Gateway timeout"),
}
_LOGIN_PAGE = (
    "<!DOCTYPE html><html><head><title>Sign in | ButterflyMX</title></head><body>"
    "<h1>Sign in to ButterflyMX</h1><form method='post' action='/login'>"
    "<input name='email'><input name='password' type='password'><button>Sign in</button>"
    "</form></body></html>"
)
_URL_FIELDS = ("image_url", "qr_code_url", "instructions_url")


def error_body(path: str, status: int) -> dict[str, Any]:
    """What the cloud (or the account server, under /oauth) answers with ``status``."""
    if path.startswith("/oauth"):
        if status == 401:
            return {"error": "invalid_client", "error_description": "Client authentication failed."}
        code = "invalid_request" if status < 500 else "server_error"
        return {"error": code, "error_description": f"HTTP {status}"}
    if status == 401:
        return UNAUTHORIZED_BODY
    code, message = _STATUS_ERRORS.get(status, ("error", f"HTTP {status}"))
    return {"errors": [{"field": "base", "code": code, "message": message}]}


def _errors(status: int, errors: list[dict[str, str]]) -> JSONResponse:
    return JSONResponse({"errors": errors}, status_code=status)


class _SimMiddleware:
    """Before any route: bring the cloud up to the clock, apply a fault, check the token."""

    def __init__(self, app: ASGIApp, cloud: Cloud) -> None:
        self.app = app
        self.cloud = cloud

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        self.cloud.advance()
        if not path.startswith("/_sim/"):
            self.cloud.log_request(scope["method"], path)
            fault = self.cloud.faults.take(path)
            if fault is not None and await self._apply(fault, scope, receive, send):
                return
        if path.startswith("/v4/") and not self._authorized(scope):
            response = JSONResponse(
                UNAUTHORIZED_BODY,
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer realm="Doorkeeper", error="invalid_token"'},
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _authorized(self, scope: Scope) -> bool:
        for name, value in scope["headers"]:
            if name == b"authorization":
                scheme, _, token = value.decode("latin-1").partition(" ")
                return scheme.lower() == "bearer" and self.cloud.tokens.is_valid(token.strip())
        return False

    async def _apply(self, fault: Fault, scope: Scope, receive: Receive, send: Send) -> bool:
        """Apply ``fault``; true when it answered (or dropped) the request itself."""
        if fault.latency_s:
            await asyncio.sleep(fault.latency_s)
        if fault.ignore_filters:
            scope[_IGNORE_FILTERS] = True
        if fault.drop:
            await _drop(scope, receive)
            return True
        status = fault.effective_status
        headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
        response: Response
        if fault.body == "html":
            response = HTMLResponse(_LOGIN_PAGE, status_code=status or 200, headers=headers)
        elif fault.body == "malformed":
            response = Response(
                b'{"data": [{"id": 1, "name": "Main Entr',
                status_code=status or 200,
                media_type="application/json",
                headers=headers,
            )
        elif fault.body == "wrong_shape":
            response = JSONResponse(
                {"status": "ok", "result": {"items": []}},
                status_code=status or 200,
                headers=headers,
            )
        elif status is not None:
            response = JSONResponse(
                error_body(scope["path"], status), status_code=status, headers=headers
            )
        else:
            return False
        await response(scope, receive, send)
        return True


async def _drop(scope: Scope, receive: Receive) -> None:
    abort: Callable[[], None] | None = scope.get("state", {}).get(ABORT_KEY)
    if abort is None:
        raise httpx.RemoteProtocolError("Server disconnected without sending a response.")
    abort()
    # Wait until the server has seen the connection go, so it does not answer a 500 on it.
    while (await receive())["type"] != "http.disconnect":
        pass


# --- query helpers ----------------------------------------------------------------------
def _int(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


class _Query:
    """Ransack-style filters, each silently ignored when its value cannot be read."""

    def __init__(self, request: Request) -> None:
        self._params = request.query_params
        self.ignored = bool(request.scope.get(_IGNORE_FILTERS))

    def int_eq(self, name: str) -> int | None:
        return None if self.ignored else _int(self._params.get(f"q[{name}_eq]"))

    def int_in(self, name: str) -> set[int] | None:
        if self.ignored:
            return None
        raw = self._params.getlist(f"q[{name}_in][]") + self._params.getlist(f"q[{name}_in]")
        values = {v for v in (_int(r) for r in raw) if v is not None}
        return values or None

    def time(self, name: str) -> datetime | None:
        return None if self.ignored else parse_time(self._params.get(f"q[{name}]"))

    def text(self, name: str) -> str | None:
        value = None if self.ignored else self._params.get(f"q[{name}]")
        return value.strip().lower() if value and value.strip() else None


def _where(records: Iterable[Record], query: _Query, *fields: str) -> list[Record]:
    out = list(records)
    for field in fields:
        equal = query.int_eq(field)
        if equal is not None:
            out = [r for r in out if r.get(field) == equal]
        among = query.int_in(field)
        if among is not None:
            out = [r for r in out if r.get(field) in among]
    return out


def _named(records: list[Record], query: _Query) -> list[Record]:
    exact, start = query.text("name_eq"), query.text("name_start")
    if exact is not None:
        records = [r for r in records if str(r.get("name", "")).lower() == exact]
    if start is not None:
        records = [r for r in records if str(r.get("name", "")).lower().startswith(start)]
    return records


def _absolute(request: Request, record: Record) -> Record:
    base = str(request.base_url).rstrip("/")
    out = dict(record)
    for field in _URL_FIELDS:
        value = out.get(field)
        if isinstance(value, str) and value.startswith("/"):
            out[field] = base + value
    return out


def _one(request: Request, record: Record, status: int = 200) -> JSONResponse:
    return JSONResponse({"data": _absolute(request, record)}, status_code=status)


def _paging(request: Request) -> tuple[int, int]:
    """The page asked for and its size, as the cloud reads ``page`` and ``per``."""
    page = _int(request.query_params.get("page"))
    per = _int(request.query_params.get("per"))
    page = page if page is not None and page >= 1 else 1
    per = DEFAULT_PER_PAGE if per is None else min(max(per, 1), MAX_PER_PAGE)
    return page, per


def _page(request: Request, records: list[Record]) -> JSONResponse:
    """One page of ``records`` with the contract's ``page_info`` (Kaminari's numbers)."""
    page, per = _paging(request)
    return _page_reply(request, page, per, len(records), records[(page - 1) * per : page * per])


def _page_reply(
    request: Request, page: int, per: int, total: int, items: list[Record]
) -> JSONResponse:
    total_pages = max(1, math.ceil(total / per))
    out_of_range = page > total_pages
    return JSONResponse(
        {
            "data": [_absolute(request, r) for r in items],
            "page_info": {
                "current_page": page,
                "total_pages": total_pages,
                "total_item_count": total,
                "page_item_count": len(items),
                "page_size": per,
                "next_page": page + 1 if page < total_pages else None,
                "prev_page": page - 1 if page > 1 and not out_of_range else None,
                "first_page": page == 1,
                "last_page": page == total_pages,
            },
        }
    )


async def _json(request: Request) -> Any:
    raw = await request.body()
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError:
        raise CloudError(
            400, [{"field": "base", "code": "invalid_json", "message": "The body is not JSON"}]
        ) from None


def _checked(body: Any, route: str) -> None:
    errors = validate(body, REQUEST_SCHEMAS[route])
    if errors:
        raise CloudError(422, errors)


def _path_id(request: Request, name: str = "id") -> int:
    return int(request.path_params[name])


# --- the app -------------------------------------------------------------------------
def create_app(cloud: Cloud) -> Starlette:
    """The simulator as an ASGI app over ``cloud``."""

    async def buildings(request: Request) -> Response:
        query = _Query(request)
        return _page(request, _named(_where(cloud.buildings, query, "id"), query))

    async def building(request: Request) -> Response:
        return _one(request, cloud.building(_path_id(request)))

    async def doors(request: Request) -> Response:
        query = _Query(request)
        return _page(request, _named(_where(cloud.doors, query, "building_id", "id"), query))

    async def door(request: Request) -> Response:
        return _one(request, cloud.door(_path_id(request)))

    async def panels(request: Request) -> Response:
        query = _Query(request)
        records = _named(_where(cloud.panels, query, "building_id", "id"), query)
        kind = query.text("type_eq")
        if kind is not None:
            records = [r for r in records if r["type"] == kind]
        return _page(request, records)

    async def panel(request: Request) -> Response:
        return _one(request, cloud.panel(_path_id(request)))

    async def tenants(request: Request) -> Response:
        query = _Query(request)
        return _page(request, _where(cloud.tenants, query, "building_id", "id"))

    async def tenant(request: Request) -> Response:
        return _one(request, cloud.tenant(_path_id(request)))

    def log_page(request: Request, log: str) -> Response:
        query = _Query(request)
        page, per = _paging(request)
        total, items = cloud.log_page(
            log,
            _path_id(request, "building_id"),
            query.time("logged_at_gteq"),
            query.time("logged_at_lteq"),
            slice((page - 1) * per, page * per),
        )
        return _page_reply(request, page, per, total, items)

    async def access_logs(request: Request) -> Response:
        return log_page(request, "access_logs")

    async def access_log(request: Request) -> Response:
        return _one(request, _by_id(cloud.access_logs(_path_id(request, "building_id")), request))

    async def calls(request: Request) -> Response:
        return log_page(request, "calls")

    async def call(request: Request) -> Response:
        return _one(request, _by_id(cloud.calls(_path_id(request, "building_id")), request))

    async def release(request: Request) -> Response:
        body = await _json(request)
        _checked(body, "/v4/door_release_requests")
        inner = body["door_release_request"]
        data = cloud.release(
            body,
            tenant_id=inner["tenant_id"],
            access_point_id=inner.get("access_point_id"),
            device_id=inner.get("device_id"),
        )
        await release_hold(cloud).wait()
        return JSONResponse({"data": data}, status_code=201)

    async def keychains(request: Request) -> Response:
        query = _Query(request)
        records = _where(cloud.keychains, query, "building_id", "tenant_id", "unit_id", "id")
        return _page(request, _named(records, query))

    async def keychain(request: Request) -> Response:
        if request.method == "DELETE":
            cloud.delete_keychain(_path_id(request))
            return Response(status_code=204)
        return _one(request, cloud.keychain(_path_id(request)))

    def create_keychain(route: str, kind: str) -> Callable[[Request], Any]:
        async def handler(request: Request) -> Response:
            body = await _json(request)
            _checked(body, route)
            return _one(request, cloud.create_keychain(kind, body["keychain"]), 201)

        return handler

    async def virtual_keys(request: Request) -> Response:
        if request.method == "POST":
            body = await _json(request)
            # bmx-api.md: clients send it wrapped in "virtual_key"; the contract shows it bare.
            if isinstance(body, dict) and set(body) == {"virtual_key"}:
                body = body["virtual_key"]
            _checked(body, "/v4/virtual_keys")
            return _one(request, cloud.create_virtual_key(body), 201)
        query = _Query(request)
        records = _where(cloud.virtual_keys, query, "keychain_id", "building_id", "id")
        return _page(request, _named(records, query))

    async def virtual_key(request: Request) -> Response:
        if request.method == "DELETE":
            cloud.delete_virtual_key(_path_id(request))
            return Response(status_code=204)
        return _one(request, cloud.virtual_key(_path_id(request)))

    async def token(request: Request) -> Response:
        raw = (await request.body()).decode("utf-8", "replace")
        params: dict[str, str]
        if "json" in request.headers.get("content-type", ""):
            try:
                loaded = json.loads(raw or "{}")
            except ValueError:
                loaded = None
            if not isinstance(loaded, dict):
                return JSONResponse(error_body("/oauth/token", 400), status_code=400)
            params = {k: str(v) for k, v in loaded.items() if v is not None}
        else:
            params = dict(parse_qsl(raw, keep_blank_values=True))
        reply = cloud.tokens.grant(params, _basic_auth(request))
        return JSONResponse(
            reply.body,
            status_code=reply.status,
            headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
        )

    async def authorize(request: Request) -> Response:
        params = request.query_params
        problem = None
        if not cloud.tokens.known_client(params.get("client_id")):
            problem = "invalid_client: unknown client_id"
        elif params.get("redirect_uri") != OOB_REDIRECT_URI:
            problem = f"invalid_redirect_uri: use {OOB_REDIRECT_URI}"
        elif params.get("response_type", "code") != "code":
            problem = "unsupported_response_type: use code"
        elif not params.get("code_challenge") or params.get("code_challenge_method") != "S256":
            problem = "invalid_request: a code_challenge with code_challenge_method=S256 is needed"
        if problem is not None:
            return HTMLResponse(
                f"<!DOCTYPE html><html><body><h1>Authorization error</h1><p>{html.escape(problem)}"
                "</p></body></html>",
                status_code=400,
            )
        code = cloud.issue_auth_code(params["code_challenge"])
        return HTMLResponse(
            "<!DOCTYPE html><html><head><title>Authorization code | ButterflyMX</title></head>"
            "<body><h1>Authorization code:</h1>"
            f"<code id='authorization_code'>{html.escape(code)}</code>"
            "<p>Copy this code and paste it into bmx-console.</p></body></html>"
        )

    async def image(request: Request) -> Response:
        name: str = request.path_params["name"]
        if name.startswith("qr-"):
            key_id = _int(name.removeprefix("qr-"))
            if key_id is None:
                raise CloudError(404, error_body("/", 404)["errors"])
            key = _absolute(request, cloud.virtual_key(key_id))
            png = await run_in_threadpool(qr_png, str(key["instructions_url"]))
        else:
            label, caption = cloud.snapshot_label(name)
            png = await run_in_threadpool(snapshot_png, label, caption)
        return Response(png, media_type="image/png", headers={"Cache-Control": "max-age=86400"})

    async def instructions(request: Request) -> Response:
        key = _absolute(request, cloud.virtual_key(_path_id(request)))
        if not str(key["instructions_url"]).endswith("/" + request.path_params["token"]):
            raise CloudError(404, error_body("/", 404)["errors"])
        keychain = cloud.keychain(key["keychain_id"])
        return HTMLResponse(
            "<!DOCTYPE html><html><head><title>Your visitor pass</title></head><body>"
            f"<h1>{html.escape(str(key['name']))}</h1>"
            f"<p>Valid from {keychain['starts_at']} to {keychain['ends_at']}.</p>"
            f"<img alt='QR code' src='{html.escape(str(key['qr_code_url']))}'>"
            "<p>Hold the QR code up to the panel's camera.</p></body></html>"
        )

    # --- control routes for tests in another process --------------------------------
    async def sim_info(request: Request) -> Response:
        base = str(request.base_url).rstrip("/")
        desks = cloud.front_desk_tenant_ids()
        return JSONResponse(
            {
                "data": {
                    "base_url": base,
                    "token_url": base + "/oauth/token",
                    "authorize_url": base + "/oauth/authorize",
                    "client_id": DEMO_CLIENT_ID,
                    "client_secret": DEMO_CLIENT_SECRET,
                    "front_desk_tenant_ids": [
                        {
                            "building_id": b["id"],
                            "building_name": b["name"],
                            "tenant_id": desks[b["id"]],
                        }
                        for b in cloud.buildings
                    ],
                }
            }
        )

    async def sim_releases(request: Request) -> Response:
        return JSONResponse({"data": cloud.releases})

    async def sim_request_count(request: Request) -> Response:
        count = cloud.request_count(
            request.query_params.get("route"), request.query_params.get("method")
        )
        return JSONResponse({"data": {"count": count}})

    async def sim_token_requests(request: Request) -> Response:
        return JSONResponse({"data": cloud.token_requests})

    async def sim_faults(request: Request) -> Response:
        if request.method == "DELETE":
            cloud.faults.clear()
            return Response(status_code=204)
        if request.method == "GET":
            return JSONResponse({"data": [f.as_dict() for f in cloud.faults.active()]})
        body = await _json(request)
        if not isinstance(body, dict) or "route" not in body:
            raise CloudError(
                422, [{"field": "route", "code": "blank", "message": "can't be blank"}]
            )
        try:
            fault = cloud.faults.add(**body)
        except (TypeError, ValueError) as exc:
            raise CloudError(
                422, [{"field": "base", "code": "invalid", "message": str(exc)}]
            ) from None
        return JSONResponse({"data": fault.as_dict()}, status_code=201)

    async def sim_use_pass(request: Request) -> Response:
        body = await _json(request)
        keychain_id = _int(body.get("keychain_id")) if isinstance(body, dict) else None
        if keychain_id is None:
            raise CloudError(
                422, [{"field": "keychain_id", "code": "blank", "message": "can't be blank"}]
            )
        return _one(request, cloud.use_pass(keychain_id, phrase=bool(body.get("phrase"))), 201)

    async def sim_events(request: Request) -> Response:
        body = await _json(request)
        return _one(request, cloud.add_event(**(body or {})), 201)

    async def sim_calls(request: Request) -> Response:
        body = await _json(request)
        return _one(request, cloud.add_call(**(body or {})), 201)

    async def sim_expire_tokens(request: Request) -> Response:
        cloud.expire_tokens()
        return Response(status_code=204)

    async def sim_revoke_refresh_tokens(request: Request) -> Response:
        cloud.revoke_refresh_tokens()
        return Response(status_code=204)

    async def sim_auth_code(request: Request) -> Response:
        body = await _json(request)
        challenge = body.get("code_challenge") if isinstance(body, dict) else None
        if not isinstance(challenge, str) or not challenge:
            raise CloudError(
                422, [{"field": "code_challenge", "code": "blank", "message": "can't be blank"}]
            )
        return JSONResponse({"data": {"code": cloud.issue_auth_code(challenge)}}, status_code=201)

    async def cloud_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, CloudError)
        return _errors(exc.status, exc.errors)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return JSONResponse(
            error_body(request.url.path, exc.status_code), status_code=exc.status_code
        )

    keychain_routes = [
        Route(path, create_keychain(path, kind), methods=["POST"])
        for path, kind in (
            ("/v4/keychains/custom", "custom_keychain"),
            ("/v4/keychains/one_time", "one_time_keychain"),
            ("/v4/keychains/delivery_pass", "delivery_pass"),
        )
    ]
    routes = [
        Route("/v4/buildings", buildings),
        Route("/v4/buildings/{id:int}", building),
        Route("/v4/access_points", doors),
        Route("/v4/access_points/{id:int}", door),
        Route("/v4/devices", panels),
        Route("/v4/devices/{id:int}", panel),
        Route("/v4/tenants", tenants),
        Route("/v4/tenants/{id:int}", tenant),
        Route("/v4/buildings/{building_id:int}/access_logs", access_logs),
        Route("/v4/buildings/{building_id:int}/access_logs/{id:int}", access_log),
        Route("/v4/buildings/{building_id:int}/calls", calls),
        Route("/v4/buildings/{building_id:int}/calls/{id:int}", call),
        Route("/v4/door_release_requests", release, methods=["POST"]),
        Route("/v4/keychains", keychains),
        *keychain_routes,
        Route("/v4/keychains/{id:int}", keychain, methods=["GET", "DELETE"]),
        Route("/v4/virtual_keys", virtual_keys, methods=["GET", "POST"]),
        Route("/v4/virtual_keys/{id:int}", virtual_key, methods=["GET", "DELETE"]),
        Route("/oauth/token", token, methods=["POST"]),
        Route("/oauth/authorize", authorize),
        Route("/sim-images/{name}.png", image),
        Route("/public/virtual_keys/{id:int}/{token}", instructions),
        Route("/_sim/info", sim_info),
        Route("/_sim/releases", sim_releases),
        Route("/_sim/token_requests", sim_token_requests),
        Route("/_sim/request_count", sim_request_count),
        Route("/_sim/faults", sim_faults, methods=["GET", "POST", "DELETE"]),
        Route("/_sim/use_pass", sim_use_pass, methods=["POST"]),
        Route("/_sim/events", sim_events, methods=["POST"]),
        Route("/_sim/calls", sim_calls, methods=["POST"]),
        Route("/_sim/expire_tokens", sim_expire_tokens, methods=["POST"]),
        Route("/_sim/revoke_refresh_tokens", sim_revoke_refresh_tokens, methods=["POST"]),
        Route("/_sim/auth_code", sim_auth_code, methods=["POST"]),
        *hold_routes(cloud),
        *v3_routes(cloud),
        *access_tool_routes(cloud, _page, _Query, _where),
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(_SimMiddleware, cloud=cloud)],
        exception_handlers={CloudError: cloud_error, HTTPException: http_error},
    )


def _by_id(records: list[Record], request: Request) -> Record:
    wanted = _path_id(request)
    for record in records:
        if record["id"] == wanted:
            return record
    raise CloudError(404, error_body("/", 404)["errors"])


def _basic_auth(request: Request) -> tuple[str, str] | None:
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    return (unquote(client_id), unquote(secret)) if sep else None
