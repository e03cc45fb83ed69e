"""Reading what the cloud answered: its reasons, and the operator's sentence for the cases
where the answer itself is the problem (a write that may have gone through, a wait too long
to sit out, a list that never ends)."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

import httpx

from bmx_console.errors import ProtocolError, RateLimited, TransientError

IDEMPOTENT = frozenset({"GET", "HEAD"})
# What an operator would call the permission a 403 says is missing, by resource.
_RESOURCE_NOUNS = {
    "access_points": "door",
    "devices": "panel",
    "tenants": "tenant",
    "buildings": "building",
    "access_logs": "access-log",
    "calls": "call",
    "keychains": "keychain",
    "virtual_keys": "virtual-key",
}
MAY_HAVE_GONE_THROUGH = " It may still have gone through: check before sending it again."


def permission(method: str, endpoint: str) -> str:
    """What the account may not do, in words, with the scope its administrator will ask for:
    "read doors (the door-read scope)"."""
    segments = [s for s in endpoint.split("/") if s and not s.isdigit() and s != "v4"]
    if "door_release_requests" in segments:
        return "release doors (the door-release scope)"
    noun = next((_RESOURCE_NOUNS[s] for s in reversed(segments) if s in _RESOURCE_NOUNS), None)
    if noun is None:
        return "do this"
    read = method.upper() in IDEMPOTENT
    words = f"{'read' if read else 'change'} {noun.replace('-', ' ')}s"
    return f"{words} (the {noun}-{'read' if read else 'write'} scope)"


def reasons(response: httpx.Response) -> str:
    """The cloud's own words from an error body (``message`` or ``messages``), joined."""
    try:
        body = response.json()
    except ValueError:
        return ""
    found: list[str] = []

    def add(field: Any, text: Any) -> None:
        if isinstance(text, list):
            for item in text:
                add(field, item)
            return
        if not isinstance(text, str) or not text.strip():
            return
        label = field if isinstance(field, str) and field not in ("", "base") else ""
        line = f"{label}: {text.strip()}" if label else text.strip()
        if line not in found:
            found.append(line)

    if isinstance(body, dict):
        errors = body.get("errors")
        if isinstance(errors, list):
            for item in errors:
                if isinstance(item, dict):
                    add(item.get("field"), item.get("message") or item.get("messages"))
                else:
                    add("", item)
        elif isinstance(errors, dict):
            for field, text in errors.items():
                add(field, text)
        for key in ("message", "messages", "error_description"):
            add("", body.get(key))
    text = "; ".join(found)
    if len(text) > 300:
        text = text[:297] + "…"
    return text + ("" if not text or text.endswith((".", "…")) else ".")


def cautioned(error: TransientError) -> TransientError:
    return type(error)(
        error.sentence + MAY_HAVE_GONE_THROUGH,
        status=error.status,
        endpoint=error.endpoint,
        retry_after=error.retry_after,
        sent=error.sent,
    )


def final_error(failure: TransientError, method: str) -> TransientError:
    """The error to raise when no retry is left: a write that may have reached the cloud
    says so (a 429 is a refusal: nothing was done)."""
    if method.upper() not in IDEMPOTENT and failure.sent and not isinstance(failure, RateLimited):
        return cautioned(failure)
    return failure


def long_wait(
    failure: TransientError, seconds: float, now: datetime, method: str = "GET"
) -> TransientError:
    """The error for a wait too long to sit out: a RateLimited that says until when (and,
    for a write the server may have done before it answered, that it may have)."""
    at = now + timedelta(seconds=seconds)
    # Shown to the minute, rounded up: "try again at" must never be early.
    shown = at.replace(second=0, microsecond=0)
    if shown < at:
        shown += timedelta(minutes=1)
    when = f"{_duration(seconds)}, until {shown.strftime('%Y-%m-%d %H:%M UTC')}"
    if isinstance(failure, RateLimited):
        sentence = (
            f"rate limited by ButterflyMX (HTTP 429): it asks to wait {when}. Try again then; "
            "if this repeats, increase status_interval and events_interval."
        )
    else:
        sentence = f"{failure.sentence} ButterflyMX asks to wait {when} before trying again."
        if method.upper() not in IDEMPOTENT and failure.sent:
            sentence += MAY_HAVE_GONE_THROUGH
    return RateLimited(
        sentence,
        status=failure.status,
        endpoint=failure.endpoint,
        retry_after=seconds,
        sent=failure.sent if not isinstance(failure, RateLimited) else False,
        retry_at=at,
    )


def _duration(seconds: float) -> str:
    minutes = math.ceil(seconds / 60)
    if minutes < 120:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def list_too_long(path: str, what: str) -> ProtocolError:
    return ProtocolError(
        f"unexpected reply from {path}: the list goes on for {what}, far more than any real "
        "property has; stopped reading so as not to run out of memory. Report this to "
        "ButterflyMX.",
        endpoint=path,
    )


def int_id(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return None
