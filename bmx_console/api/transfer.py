"""One HTTP exchange with hard limits: a total deadline and a ceiling on the body's size.

httpx's timeouts count per step (connect, each read), so a server that trickles a byte a
second never trips them: a poll, or a command, would hang for as long as the other side
likes. Here the whole exchange (connecting, sending, the headers and every byte of the body)
has one deadline, and the body is counted as it streams in, so that a reply of gigabytes is
refused before it fills the memory. The limits are far beyond any real property's replies.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from bmx_console.errors import ProtocolError

if TYPE_CHECKING:
    import httpx

# A full page of 100 records is some 100 kB; 20 MB is two hundred times that.
MAX_BODY_BYTES = 20 * 1024 * 1024


class BodyTooLarge(ProtocolError):
    """The reply's body went past ``MAX_BODY_BYTES``: it was not read to the end."""


class DeadlineExceeded(Exception):
    """The exchange did not finish within its total deadline."""


async def send_bounded(
    http: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    deadline_s: float,
    endpoint: str,
    max_bytes: int = MAX_BODY_BYTES,
    follow_redirects: bool = False,
    **request: Any,
) -> httpx.Response:
    """The reply with its body read, or ``DeadlineExceeded``, ``BodyTooLarge`` or httpx's
    own transport errors. The connection is released in every case."""
    import asyncio  # here: the command line's quick path reads this module without asyncio

    built = http.build_request(method, url, **request)
    try:
        async with asyncio.timeout(deadline_s):
            response = await http.send(built, stream=True, follow_redirects=follow_redirects)
            try:
                body = await _read(response, max_bytes, endpoint)
            finally:
                await response.aclose()
    except TimeoutError:
        raise DeadlineExceeded() from None
    # The body is read and decoded already: give the reply its bytes as httpx's own read()
    # does, so that .content, .json() and .text work as for any non-streamed reply.
    response._content = body
    return response


async def _read(response: httpx.Response, max_bytes: int, endpoint: str) -> bytes:
    if declared_too_large(response.headers, max_bytes):
        raise too_large(endpoint, max_bytes, response.status_code)
    parts: list[bytes] = []
    size = 0
    # Decoded bytes are counted, so that a small compressed reply cannot unpack to gigabytes.
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise too_large(endpoint, max_bytes, response.status_code)
        parts.append(chunk)
    return b"".join(parts)


def declared_too_large(headers: Mapping[str, str], max_bytes: int) -> bool:
    """Whether the reply's Content-Length says it is larger than ``max_bytes``."""
    declared = (headers.get("Content-Length") or "").strip()
    return declared.isascii() and declared.isdigit() and int(declared) > max_bytes


def too_large(endpoint: str, max_bytes: int, status: int) -> BodyTooLarge:
    return BodyTooLarge(
        f"unexpected reply from {endpoint}: the answer is larger than "
        f"{max_bytes // (1024 * 1024)} MB, far more than any real property sends; stopped "
        "reading it. A proxy may be in the way; if not, report this to ButterflyMX.",
        status=status,
        endpoint=endpoint,
    )
