"""The one HTTP client the console uses, and the rule for which URLs it may talk to.

A single ``httpx.AsyncClient`` is shared by the token manager and the API client so that
both go through the same proxy, trust store and connection pool.
"""

from __future__ import annotations

import functools
import ssl
import sys

from bmx_console.api.replies import network_sentence
from bmx_console.api.urls import check_url
from bmx_console.errors import NetworkError

__all__ = ["check_url", "make_http_client", "network_error", "user_agent"]


def _import_httpx() -> None:
    """Import httpx without its command-line tool: ``import httpx`` imports ``httpx._main``,
    which imports click, rich and pygments wherever they are installed (~10 ms of every
    command's start) for a tool the console never runs. Hidden for this one import only."""
    if "httpx" in sys.modules or "httpx._main" in sys.modules:
        return
    sys.modules["httpx._main"] = None  # type: ignore[assignment]  # makes the import fail
    try:
        import httpx  # noqa: F401
    finally:
        if sys.modules.get("httpx._main", 0) is None:
            del sys.modules["httpx._main"]


_import_httpx()

import httpx  # noqa: E402


@functools.cache
def user_agent() -> str:
    # Read when the first client is made, not at import: the installed metadata costs a
    # command ~15 ms, and the package reads it once for its logs and About box anyway.
    from bmx_console import __version__

    return f"bmx-console/{__version__}"


def __getattr__(name: str) -> str:
    if name == "USER_AGENT":
        return user_agent()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# How long an idle connection is kept for the next request. Longer than the calls poll
# (10 s), so that the polls reuse one connection instead of a TCP and TLS handshake each;
# well under the idle timeout of the servers in front of an API (60 s for an AWS load
# balancer), so that the client is always the side that gives a connection up: a server
# closing it just as a request goes out would fail that request.
KEEPALIVE_EXPIRY_S = 30.0


def _tls_verify() -> ssl.SSLContext | bool:
    # Corporate networks inspect TLS with their own root certificate, which lives in the OS
    # trust store and not in certifi's bundle; truststore reads the OS store. Verification is
    # never turned off: without truststore, httpx's certifi defaults apply.
    try:
        import truststore
    except ImportError:
        return True
    return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def make_http_client(
    *, timeout_s: float, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """The shared client: TLS verified, proxies from the environment, no redirects followed.

    Redirects are not followed because the API never redirects: a redirect means a captive
    portal or a login proxy, and following it would hand the bearer token to that host.
    """
    _import_httpcore_without_trio()
    # httpcore picks its async backend at the first request, which imports anyio's asyncio
    # backend then: 20-35 ms in the middle of the desk's first poll, on the UI thread. Every
    # first request needs it, so it comes with the client.
    import anyio._backends._asyncio  # noqa: F401

    return httpx.AsyncClient(
        verify=_tls_verify(),
        trust_env=True,
        timeout=httpx.Timeout(timeout_s),
        follow_redirects=False,
        headers={"User-Agent": user_agent(), "Accept": "application/json"},
        limits=httpx.Limits(keepalive_expiry=KEEPALIVE_EXPIRY_S),
        transport=transport,
    )


def _import_httpcore_without_trio() -> None:
    """Import httpcore (httpx does it when the first client is made) without trio.

    httpcore chooses its async locks by importing trio if it can, whatever loop runs: where
    trio is installed (a test or dev tool brought it) that was ~45 ms of every command's
    start. The console runs on asyncio only, where httpcore uses anyio; trio is hidden for
    that one import and importable again afterwards."""
    if "httpcore" in sys.modules or "trio" in sys.modules:
        return
    sys.modules["trio"] = None  # type: ignore[assignment]  # makes `import trio` fail
    try:
        import httpcore  # noqa: F401
    finally:
        if sys.modules.get("trio", 0) is None:
            del sys.modules["trio"]


# Failures that happen before a single byte of the request reaches the server: only after
# one of these may a request that is not idempotent (a door release) be sent again.
_NOT_SENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.ProxyError,
    httpx.UnsupportedProtocol,
)


def network_error(
    exc: httpx.TransportError,
    *,
    host: str,
    endpoint: str,
    timeout_s: float | None,
    service: str = "ButterflyMX",
) -> NetworkError:
    """The operator's sentence for a request that got no HTTP answer."""
    sent = not isinstance(exc, _NOT_SENT)
    sentence = network_sentence(
        str(exc).strip() or type(exc).__name__,
        timed_out=isinstance(exc, httpx.TimeoutException),
        sent=sent,
        host=host,
        timeout_s=timeout_s,
        service=service,
    )
    return NetworkError(sentence, endpoint=endpoint, sent=sent)
