"""Which URLs the console may send its tokens to: the rule, without the network stack.

Kept apart from ``bmx_console.api.http`` so that checking a setting (``config``) and the
command line's quick path never import httpx for it.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit, urlunsplit

from bmx_console.errors import ConfigError


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
        _ = parts.port  # a port out of range raises here, not at the first request
    except ValueError:
        parts, host = None, ""
    scheme = parts.scheme.lower() if parts else ""
    if parts is not None and "@" in parts.netloc:
        # Credentials in a URL end up in logs, in proxies' logs and on screen: the console
        # signs in with its own tokens, so a URL that carries some is refused, unshown.
        raise ConfigError(
            f"{field} must not contain a user name or password (the part before @): got "
            f"{_without_userinfo(text)!r}. Remove it: the console signs in with the client "
            "id and secret, or by pasted code"
        )
    if host and (scheme == "https" or (scheme == "http" and _is_loopback(host))):
        return text.rstrip("/")
    raise ConfigError(
        f"{field} must be an https:// URL (plain http is allowed only for loopback hosts "
        f"such as 127.0.0.1 or localhost): got {_without_userinfo(text)!r}"
    )
