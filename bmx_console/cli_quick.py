"""The command line's quick path: ``buildings``, ``doors``, ``panels`` and ``status`` on the
standard library alone.

A listing is three requests (a token, then one or two lists), and the full path spent more
time importing asyncio, httpx, httpcore and anyio (~55 ms) than making them. Here the same
requests go over ``http.client``, one at a time, with the full path's rules: the same token
request (client credentials), the same bounds (a total deadline of ``request_timeout`` per
exchange, 20 MB per reply, 500 pages, 50,000 records), the same retries (``replies.retry_delay``
over the same ``RetryPolicy``, one fresh token after a 401), the same errors and sentences
(``replies``), the same records (``models``), rows (``core.rows``) and output
(``cli_output``), and the same ``--building`` check.

It takes only what it handles exactly: a client secret in BMX_CLIENT_SECRET, no proxy in the
environment, no ``--demo``. Anything else (the keyring, a saved sign-in, a proxy, the demo's
in-process simulator) is ``run_quick`` answering None, and the caller runs the full path.
No secret is ever logged, printed or put into an error: the token and the client secret are
sent and forgotten, and both are registered with the log's scrubber.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TextIO, TypeVar
from urllib.parse import urlencode, urlsplit

from bmx_console.api.models import Building, Door, Panel
from bmx_console.api.replies import (
    SIGN_IN_SERVICE,
    TOKEN_REPLY_MAX_BYTES,
    PageWalk,
    Params,
    deadline_error,
    failure,
    in_building,
    network_sentence,
    only_building,
    refusal_to_retry,
    retry_delay,
    sent_failure,
    token_lifetime,
    token_reply,
)
from bmx_console.api.retry import RetryPolicy
from bmx_console.api.transfer import MAX_BODY_BYTES, declared_too_large, too_large
from bmx_console.api.urls import check_url
from bmx_console.cli_input import check_building
from bmx_console.cli_output import (
    BUILDING_COLUMNS,
    DOOR_COLUMNS,
    PANEL_COLUMNS,
    rows_text,
    status_text,
)
from bmx_console.config import Settings, settings_from_args
from bmx_console.core.rows import Row, building_rows, door_rows, panel_rows, status_row
from bmx_console.errors import EXIT_OK, NetworkError, TransientError
from bmx_console.logs import register_secret

if TYPE_CHECKING:
    import http.client

log = logging.getLogger("bmx_console.api")
T = TypeVar("T")

# Any of these sends httpx through a proxy (trust_env): the full path knows how.
_PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")
_CHUNK = 64 * 1024


def run_quick(args: argparse.Namespace, out: TextIO) -> int | None:
    """Run a listing command on the quick path; None when it is not one this path takes
    exactly, and the full path must run it. ``BmxError`` is the caller's to report."""
    if args.command not in _LISTINGS or args.demo or _proxied():
        return None
    secret = os.environ.get("BMX_CLIENT_SECRET")
    if not secret:
        return None  # the keyring, or a saved sign-in: the full path reads them
    settings = settings_from_args(args)
    if not settings.client_id:
        return None  # the full path's sentence says where to set it
    from bmx_console import __version__

    register_secret(secret)
    logging.getLogger(__name__).info("bmx-console %s: %s (quick path)", __version__, args.command)
    with QuickClient(settings, secret, user_agent=f"bmx-console/{__version__}") as client:
        text = _LISTINGS[args.command](client, settings, args.json)
    out.write(text)
    return EXIT_OK


def _proxied() -> bool:
    return any(os.environ.get(v) or os.environ.get(v.lower()) for v in _PROXY_VARIABLES)


# --- the listings (what core.commands' get_* and cli_commands._run do) ------------------


def _seen_buildings(client: QuickClient, scope: int | None) -> list[Building]:
    found = client.list("/v4/buildings", Building.from_api)
    if scope is not None:
        # A mistyped building would otherwise show as a property without doors.
        check_building(scope, found)
    return found


def _buildings(client: QuickClient, settings: Settings, as_json: bool) -> str:
    scope = settings.building_id
    rows = building_rows(_seen_buildings(client, scope), scope)
    return rows_text(rows, BUILDING_COLUMNS, as_json=as_json)


def _door_roster(client: QuickClient, scope: int | None) -> list[Row]:
    seen = _seen_buildings(client, scope)
    doors = client.list("/v4/access_points", Door.from_api, in_building(scope))
    return door_rows(only_building(doors, scope), seen)


def _doors(client: QuickClient, settings: Settings, as_json: bool) -> str:
    return rows_text(_door_roster(client, settings.building_id), DOOR_COLUMNS, as_json=as_json)


def _panels(client: QuickClient, settings: Settings, as_json: bool) -> str:
    scope = settings.building_id
    if scope is not None:
        _seen_buildings(client, scope)
    panels = client.list("/v4/devices", Panel.from_api, in_building(scope))
    return rows_text(panel_rows(only_building(panels, scope)), PANEL_COLUMNS, as_json=as_json)


def _status(client: QuickClient, settings: Settings, as_json: bool) -> str:
    roster = _door_roster(client, settings.building_id)
    status = status_row(
        roster,
        demo=False,
        api_base=settings.api_base,
        building_id=settings.building_id,
        release_tenant_id=settings.release_tenant_id,
        token_expires_at=client.token_expires_at,
        checked_at=datetime.now(UTC),
    )
    return status_text(status, as_json=as_json)


_LISTINGS: dict[str, Callable[[QuickClient, Settings, bool], str]] = {
    "buildings": _buildings,
    "doors": _doors,
    "panels": _panels,
    "status": _status,
}


# --- HTTP on the standard library ---------------------------------------------------------


class _Headers(dict[str, str]):
    """A reply's headers, names in any case (as httpx's)."""

    def get(self, key: str, default: Any = None, /) -> Any:
        return super().get(key.lower(), default)


class Answer:
    """A reply with its body read (``replies.Reply``)."""

    def __init__(self, status: int, headers: _Headers, content: bytes) -> None:
        self.status_code = status
        self.headers = headers
        self.content = content

    def json(self) -> Any:
        return json.loads(self.content)


class _Deadline(Exception):
    """The exchange did not finish within its total deadline."""


class _NoAnswer(Exception):
    """The exchange failed before a full answer; ``sent`` is False when the connection never
    opened (nothing reached the server)."""

    def __init__(self, reason: str, *, sent: bool, timed_out: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.sent = sent
        self.timed_out = timed_out


def _import_http_client(https: bool) -> Any:
    """``http.client``; for plain http (the loopback simulator) without loading ``ssl``
    (~4 ms), which http.client imports only to offer HTTPS. The copy made without it is
    not left in ``sys.modules``: whatever imports http.client later gets the whole one."""
    if https or "http.client" in sys.modules or "ssl" in sys.modules:
        import http.client

        return http.client
    sys.modules["ssl"] = None  # type: ignore[assignment]  # makes `import ssl` fail
    try:
        import http.client as without_ssl
    finally:
        if sys.modules.get("ssl", 0) is None:
            del sys.modules["ssl"]
    del sys.modules["http.client"]
    delattr(sys.modules["http"], "client")
    return without_ssl


def _tls_context() -> Any:
    """The full path's trust: the OS store through truststore, else certifi's bundle."""
    import ssl

    try:
        import truststore
    except ImportError:
        try:
            import certifi
        except ImportError:
            return ssl.create_default_context()
        return ssl.create_default_context(cafile=certifi.where())
    return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


class QuickClient:
    """One blocking connection per host, kept alive between requests; tokens by client
    credentials. Every exchange ends within ``request_timeout``: a watchdog shuts the socket
    down at the deadline, whatever step it is in."""

    def __init__(
        self,
        settings: Settings,
        client_secret: str,
        *,
        user_agent: str,
        retry: RetryPolicy = RetryPolicy(),  # noqa: B008 - frozen, safe to share
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._base = check_url("api_base", settings.api_base)
        self._token_url = check_url("token_url", settings.token_url)
        self._token_path = urlsplit(self._token_url).path or "/"
        self._client_id = settings.client_id
        self._secret = client_secret
        self._deadline_s = settings.request_timeout / 1000
        self._headers = {"User-Agent": user_agent, "Accept": "application/json"}
        self._retry = retry
        self._sleep = sleep
        self._token: str | None = None
        self.token_expires_at: datetime | None = None
        self._connections: dict[tuple[str, str, int | None], http.client.HTTPConnection] = {}

    def __enter__(self) -> QuickClient:
        return self

    def __exit__(self, *_: object) -> None:
        for connection in self._connections.values():
            connection.close()
        self._connections.clear()

    # -- lists -------------------------------------------------------------------------------

    def list(self, path: str, parse: Callable[[Any], T], params: Params | None = None) -> list[T]:
        """Every page of a list (``replies.PageWalk``, as the API client's)."""
        walk = PageWalk(path, parse, params)
        while not walk.take(self.get(path, walk.query())):
            pass
        return walk.records

    def get(self, path: str, params: Params) -> Answer:
        """GET with a token: once more with a fresh token after a 401, retried as the API
        client retries a read (``replies.retry_delay``)."""
        retries = 0
        refreshed = False
        started = time.monotonic()
        while True:
            try:
                token = self._access_token()
                response = self._send(path, params, token)
            except TransientError as error:
                failed, hint = sent_failure(error)
            else:
                status = response.status_code
                if status == 401 and not refreshed:
                    refreshed = True
                    self._token = None
                    log.info("GET %s -> 401: sending once more with a fresh token", path)
                    continue
                if 200 <= status < 300:
                    return response
                refused = failure(
                    response,
                    "GET",
                    path,
                    "",
                    now=datetime.now(UTC),
                    max_retry_after_s=self._retry.max_retry_after_s,
                )
                failed, hint = refusal_to_retry(
                    refused, response.headers.get("Retry-After"), datetime.now(UTC)
                )
            self._sleep(
                retry_delay(
                    failed,
                    hint,
                    method="GET",
                    endpoint=path,
                    retries=retries,
                    spent_s=time.monotonic() - started,
                    deadline_s=self._deadline_s,
                    policy=self._retry,
                    now=datetime.now(UTC),
                )
            )
            retries += 1

    def _send(self, path: str, params: Params, token: str) -> Answer:
        query = urlencode([(k, "" if v is None else str(v)) for k, v in params])
        url = f"{self._base}{path}?{query}" if query else self._base + path
        headers = {**self._headers, "Authorization": f"Bearer {token}"}
        started = time.monotonic()
        try:
            response = self._exchange("GET", url, headers, None, MAX_BODY_BYTES, path)
        except _Deadline:
            log.warning("GET %s: no complete answer within %g s", path, self._deadline_s)
            # Whether it reached the server is unknown: counted as sent, as on the full path.
            raise deadline_error(path, self._deadline_s, sent=True) from None
        except _NoAnswer as exc:
            log.warning(
                "GET %s failed after %.0f ms: %s",
                path,
                (time.monotonic() - started) * 1000,
                exc.reason,
            )
            raise self._network_error(exc, self._base, path, "ButterflyMX") from None
        log.log(
            logging.DEBUG if 200 <= response.status_code < 300 else logging.INFO,
            "GET %s -> %s in %.0f ms",
            path,
            response.status_code,
            (time.monotonic() - started) * 1000,
        )
        return response

    # -- the token ---------------------------------------------------------------------------

    def _access_token(self) -> str:
        if self._token is None:
            self._token = self._request_token()
        return self._token

    def _request_token(self) -> str:
        """Client credentials, as ``TokenManager``: the same form, bounds and errors."""
        form = urlencode(
            {
                "grant_type": "client_credentials",
                "client_id": self._client_id,
                "client_secret": self._secret,
            }
        ).encode("ascii")
        headers = {**self._headers, "Content-Type": "application/x-www-form-urlencoded"}
        path = self._token_path
        started = time.monotonic()
        try:
            response = self._exchange(
                "POST", self._token_url, headers, form, TOKEN_REPLY_MAX_BYTES, path
            )
        except _Deadline:
            log.warning("POST %s: no complete answer within %g s", path, self._deadline_s)
            raise deadline_error(
                path, self._deadline_s, sent=False, service=SIGN_IN_SERVICE
            ) from None
        except _NoAnswer as exc:
            log.warning("POST %s failed: %s", path, exc.reason)
            error = self._network_error(exc, self._token_url, path, SIGN_IN_SERVICE)
            # The API request this token was for has not been sent: safe to send later.
            error.sent = False
            raise error from None
        log.debug(
            "POST %s -> %s in %.0f ms",
            path,
            response.status_code,
            (time.monotonic() - started) * 1000,
        )
        data = token_reply(response, "client_credentials", self._token_url, now=datetime.now(UTC))
        token = str(data["access_token"])
        register_secret(token)
        self.token_expires_at = datetime.now(UTC) + timedelta(seconds=token_lifetime(data))
        log.info("New access token from %s (quick path)", path)
        return token

    # -- one exchange --------------------------------------------------------------------------

    def _network_error(self, exc: _NoAnswer, url: str, endpoint: str, service: str) -> NetworkError:
        host = urlsplit(url).hostname or url
        sentence = network_sentence(
            exc.reason,
            timed_out=exc.timed_out,
            sent=exc.sent,
            host=host,
            timeout_s=self._deadline_s,
            service=service,
        )
        return NetworkError(sentence, endpoint=endpoint, sent=exc.sent)

    def _exchange(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: bytes | None,
        max_bytes: int,
        endpoint: str,
    ) -> Answer:
        """One request and its whole reply within the deadline: ``_Deadline``, ``_NoAnswer``,
        ``BodyTooLarge`` or the answer. A connection that failed is not used again."""
        parts = urlsplit(url)
        key = (parts.scheme, parts.hostname or "", parts.port)
        connection = self._connections.get(key)
        if connection is None:
            connection = self._connect(parts.scheme, parts.hostname or "", parts.port)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        with self._watchdog(connection) as expired:
            try:
                answer = self._talk(
                    connection, method, target, headers, body, max_bytes, endpoint, expired
                )
            except BaseException:
                connection.close()
                self._connections.pop(key, None)
                raise
        self._connections[key] = connection
        return answer

    def _connect(self, scheme: str, host: str, port: int | None) -> http.client.HTTPConnection:
        client = _import_http_client(scheme == "https")
        connection: http.client.HTTPConnection
        if scheme == "https":
            connection = client.HTTPSConnection(
                host, port, timeout=self._deadline_s, context=_tls_context()
            )
        else:
            connection = client.HTTPConnection(host, port, timeout=self._deadline_s)
        # http.client's own hook for how the socket is made (its tests use it too).
        connection._create_connection = _open_socket  # type: ignore[attr-defined]
        return connection

    @contextmanager
    def _watchdog(self, connection: http.client.HTTPConnection) -> Iterator[threading.Event]:
        """Shuts the connection's socket down at the deadline: a server that trickles a byte
        a second resets the socket's own timeout at every byte, and would never trip it."""
        expired = threading.Event()

        def expire() -> None:
            expired.set()
            sock = connection.sock
            if sock is not None:
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

        timer = threading.Timer(self._deadline_s, expire)
        timer.daemon = True
        timer.start()
        try:
            yield expired
        finally:
            timer.cancel()

    def _talk(
        self,
        connection: http.client.HTTPConnection,
        method: str,
        target: str,
        headers: dict[str, str],
        body: bytes | None,
        max_bytes: int,
        endpoint: str,
        expired: threading.Event,
    ) -> Answer:
        if connection.sock is None:
            try:
                connection.connect()
            except OSError as exc:  # refused, unknown host, TLS, timed out
                if expired.is_set():
                    raise _Deadline() from None
                timed_out = isinstance(exc, TimeoutError)
                reason = "timed out" if timed_out else _connect_reason(exc)
                raise _NoAnswer(reason, sent=False, timed_out=timed_out) from None
        try:
            connection.request(method, target, body=body, headers=headers)
        except Exception as exc:
            raise _failed(exc, expired, "WriteError") from None
        try:
            reply = connection.getresponse()
            got = _Headers((k.lower(), v) for k, v in reply.getheaders())
            content = _read(reply, got, max_bytes, endpoint)
        except Exception as exc:
            raise _failed(exc, expired, "ReadError") from None
        if expired.is_set():
            raise _Deadline()
        return Answer(reply.status, got, content)


def _read(
    reply: http.client.HTTPResponse, headers: _Headers, max_bytes: int, endpoint: str
) -> bytes:
    if declared_too_large(headers, max_bytes):
        raise too_large(endpoint, max_bytes, reply.status)
    parts: list[bytes] = []
    size = 0
    while chunk := reply.read1(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise too_large(endpoint, max_bytes, reply.status)
        parts.append(chunk)
    # read1 does not close a reply whose Content-Length is all read; until it is closed,
    # the connection refuses the next request (CannotSendRequest).
    reply.close()
    return b"".join(parts)


def _failed(exc: Exception, expired: threading.Event, step: str) -> Exception:
    """What a failure in sending (``step`` "WriteError") or in reading the answer
    ("ReadError") is: the deadline, a timeout, or a connection that dropped, in httpx's
    words (the full path's sentence quotes them). Anything else is raised as it is."""
    if expired.is_set():
        return _Deadline()
    if isinstance(exc, TimeoutError):
        return _NoAnswer("timed out", sent=True, timed_out=True)
    name = type(exc).__name__
    if name == "RemoteDisconnected":  # the connection closed before a status line
        return _NoAnswer("Server disconnected without sending a response.", sent=True)
    if isinstance(exc, ConnectionError):  # reset, broken pipe, aborted
        return _NoAnswer(step, sent=True)
    if isinstance(exc, OSError) or type(exc).__module__ == "http.client":
        # A TLS failure, an IncompleteRead, a status line that is not HTTP.
        return _NoAnswer(_reason(exc), sent=True)
    return exc  # BodyTooLarge, or a bug: not a network failure


def _open_socket(
    address: tuple[str, int], timeout: float, source_address: Any = None
) -> socket.socket:
    """``socket.create_connection``, with the name looked up on a thread of its own and
    waited for at most ``timeout``: getaddrinfo cannot be interrupted, and a resolver that
    does not answer would hold the command past its deadline (the watchdog has no socket
    to shut down yet). An address in digits needs no lookup."""
    host, port = address
    family = _ip_family(host)
    if family is not None:
        return _connected(family, socket.SOCK_STREAM, 0, (host, port), timeout, source_address)
    # An ASCII name as bytes: a str would load the idna codec (~1 ms) for nothing.
    name: str | bytes = host.encode("ascii") if host.isascii() else host
    found: list[Any] = []
    failed: list[OSError] = []

    def look_up() -> None:
        try:
            found.extend(socket.getaddrinfo(name, port, 0, socket.SOCK_STREAM))
        except OSError as exc:
            failed.append(exc)

    worker = threading.Thread(target=look_up, name="bmx-resolve", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise TimeoutError(f"looking up {host} took more than {timeout:g} s")
    if failed:
        raise failed[0]
    error: OSError = OSError(f"no address found for {host}")
    for each_family, kind, proto, _name, sockaddr in found:
        try:
            return _connected(each_family, kind, proto, sockaddr, timeout, source_address)
        except OSError as exc:
            error = exc
    raise error


def _connected(
    family: int, kind: int, proto: int, sockaddr: Any, timeout: float, source_address: Any
) -> socket.socket:
    sock = socket.socket(family, kind, proto)
    try:
        sock.settimeout(timeout)
        if source_address:
            sock.bind(source_address)
        sock.connect(sockaddr)
    except BaseException:
        sock.close()
        raise
    return sock


def _ip_family(host: str) -> int | None:
    """The address family of an address written in digits; None for a name."""
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            socket.inet_pton(family, host)
        except OSError:
            continue
        return family
    return None


def _connect_reason(exc: OSError) -> str:
    """A failed connect in httpx's words: the name did not resolve, TLS failed (each as its
    own error says), or the TCP connection was not made (anyio says it so, whatever the
    errno: refused, unreachable)."""
    ssl = sys.modules.get("ssl")
    if isinstance(exc, socket.gaierror) or (ssl is not None and isinstance(exc, ssl.SSLError)):
        return _reason(exc)
    return "All connection attempts failed"


def _reason(exc: BaseException) -> str:
    if type(exc).__name__ == "IncompleteRead":
        return "peer closed connection without sending complete message body"
    return str(exc).strip() or type(exc).__name__
