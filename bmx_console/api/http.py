"""The one HTTP client the console uses, and the rule for which URLs it may talk to.

A single ``httpx.AsyncClient`` is shared by the token manager and the API client so that
both go through the same proxy, trust store and connection pool.
"""

from __future__ import annotations

import ipaddress
import ssl
from importlib import metadata
from urllib.parse import urlsplit, urlunsplit

import httpx

from bmx_console.errors import ConfigError, NetworkError


def _version() -> str:
    try:
        return metadata.version("bmx-console")
    except metadata.PackageNotFoundError:
        return "0+unknown"


USER_AGENT = f"bmx-console/{_version()}"

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
    return httpx.AsyncClient(
        verify=_tls_verify(),
        trust_env=True,
        timeout=httpx.Timeout(timeout_s),
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        limits=httpx.Limits(keepalive_expiry=KEEPALIVE_EXPIRY_S),
        transport=transport,
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _without_userinfo(url: str) -> str:
    # A URL pasted from somewhere may carry user:password@; never echo that back.
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def check_url(field: str, url: str) -> str:
    """``url`` without a trailing slash, or ConfigError unless it is safe to send tokens to.

    Plain http is accepted only for loopback hosts (the simulator on 127.0.0.1).
    """
    text = url.strip()
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
    except ValueError:
        parts, host = None, ""
    scheme = parts.scheme.lower() if parts else ""
    if host and (scheme == "https" or (scheme == "http" and _is_loopback(host))):
        return text.rstrip("/")
    raise ConfigError(
        f"{field} must be an https:// URL (plain http is allowed only for loopback hosts "
        f"such as 127.0.0.1 or localhost): got {_without_userinfo(text)!r}"
    )


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
    # The sentence adds its own full stop ("Server disconnected without sending a response.").
    reason = (str(exc).strip() or type(exc).__name__)[:200].rstrip(".")
    if isinstance(exc, httpx.TimeoutException):
        within = f" within {timeout_s:g} s" if timeout_s else ""
        sentence = f"{service} did not answer{within}. Check the network or proxy."
    elif not sent:
        sentence = f"cannot reach {host}: {reason}. Check the network or proxy."
    else:
        sentence = (
            f"the connection to {host} dropped before {service} answered: {reason}. Check the "
            "network or proxy."
        )
    return NetworkError(sentence, endpoint=endpoint, sent=sent)
