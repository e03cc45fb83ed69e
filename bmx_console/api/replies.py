"""Reading what the cloud answered: its reasons, and the operator's sentence for the cases
where the answer itself is the problem (a write that may have gone through, a wait too long
to sit out, a list that never ends), the error for each status, the pages of a list, when a
failed request is sent again.

Nothing here needs the network stack: an answer is anything with a status, headers, a body
and ``json()`` (``Reply``), so that httpx's responses (the API client, the token manager) and
the command line's standard-library quick path (``bmx_console.cli_quick``) are read by the
same code and say the same sentences.
"""

from __future__ import annotations

import itertools
import logging
import math
import operator
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any, Generic, Literal, Protocol, TypeVar
from urllib.parse import urlsplit

from bmx_console.api.models import parse_time
from bmx_console.api.retry import RetryPolicy, parse_retry_after
from bmx_console.errors import (
    AuthError,
    BmxError,
    Forbidden,
    InvalidRequest,
    NetworkError,
    NotFound,
    ProtocolError,
    RateLimited,
    ReleaseEndpointMissing,
    ServerError,
    TokenRequestFailed,
    TransientError,
)

log = logging.getLogger("bmx_console.api")
T = TypeVar("T")
Params = list[tuple[str, str | int | float | bool | None]]
Grant = Literal["client_credentials", "refresh_token", "authorization_code"]

IDEMPOTENT = frozenset({"GET", "HEAD"})
RELEASE_PATH = "/v4/door_release_requests"
DEFAULT_RATE_LIMIT_WAIT_S = 30.0
# A Retry-After longer than this is not waited out by a command: it stops and says when.
LONG_RETRY_AFTER_S = 30.0
# Retries of one request end within this many request deadlines.
RETRY_BUDGET_DEADLINES = 4.0
# A list longer than this is not a real property's (the largest have a few thousand
# records): it is a server or proxy gone wrong, and reading on would never end.
MAX_PAGES = 500
MAX_RECORDS = 50_000
# A token reply is a few hundred bytes.
TOKEN_REPLY_MAX_BYTES = 64 * 1024
# Tokens are documented to last 24 h; a reply without a usable expires_in is taken at that.
DEFAULT_LIFETIME_S = 86_400.0


class Reply(Protocol):
    """An HTTP answer with its body read: an ``httpx.Response``, or the quick path's."""

    @property
    def status_code(self) -> int: ...

    @property
    def headers(self) -> Mapping[str, str]: ...

    @property
    def content(self) -> bytes: ...

    def json(self) -> Any: ...


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


def reasons(response: Reply) -> str:
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


# --- errors for a status ------------------------------------------------------------------


def failure(
    response: Reply,
    method: str,
    endpoint: str,
    subject: str,
    *,
    now: datetime,
    max_retry_after_s: float,
    authorized: bool = True,
) -> BmxError:
    """The typed error, with the operator's sentence, for a reply that is not a success."""
    status = response.status_code
    if not authorized and status in (401, 403, 404, 410):
        # Storage answers these for a snapshot link that has expired or been removed.
        return NotFound(
            f"The {subject or 'file'} is no longer available: the link may have expired.",
            status=status,
            endpoint=endpoint,
        )
    if 300 <= status < 400:
        target = urlsplit(response.headers.get("Location", "")).hostname
        to = f" to {target}" if target else ""
        return ProtocolError(
            f"Something other than ButterflyMX answered (a redirect{to}): a proxy or a "
            "Wi-Fi sign-in page may be in the way. Check the network.",
            status=status,
            endpoint=endpoint,
        )
    if status == 401:
        return AuthError(
            "ButterflyMX no longer accepts this desk, even after a fresh sign-in: the "
            "account may have lost access. Sign in again, or have new credentials issued "
            "in the ButterflyMX portal.",
            status=status,
            endpoint=endpoint,
        )
    if status == 403:
        return Forbidden(
            f"ButterflyMX refused: this desk's account may not "
            f"{permission(method, endpoint)}. Ask your ButterflyMX representative to add it.",
            status=status,
            endpoint=endpoint,
        )
    if status == 404 and endpoint == RELEASE_PATH:
        return ReleaseEndpointMissing(
            "ButterflyMX no longer takes door releases where this desk sends them: the "
            "release service changed for this contract. Ask ButterflyMX for the current "
            "one; doors and events keep updating.",
            status=status,
            endpoint=endpoint,
        )
    if status == 404:
        what = f"{subject[:1].upper()}{subject[1:]} was not found" if subject else "Not found"
        return NotFound(
            f"{what} at ButterflyMX: it may have been removed, or this account cannot see it.",
            status=status,
            endpoint=endpoint,
        )
    if status in (400, 422):
        why = reasons(response)
        return InvalidRequest(
            f"ButterflyMX refused: {why}"
            if why
            else "ButterflyMX refused the request and gave no reason. Check what was entered.",
            status=status,
            endpoint=endpoint,
        )
    if status == 429:
        hinted = parse_retry_after(response.headers.get("Retry-After"), now)
        wait = min(DEFAULT_RATE_LIMIT_WAIT_S if hinted is None else hinted, max_retry_after_s)
        return RateLimited(
            f"ButterflyMX asks the desk to slow down: try again in {math.ceil(wait)} s. If "
            "this repeats, poll less often (Settings → Polling).",
            status=status,
            endpoint=endpoint,
            retry_after=wait,
        )
    if status >= 500:
        return ServerError(
            "ButterflyMX had a problem on its side; it is usually brief: try again in a minute.",
            status=status,
            endpoint=endpoint,
        )
    why = reasons(response)
    return BmxError(
        "ButterflyMX answered with an error"
        + (f": {why}." if why else ".")
        + " If this repeats, report it with the console's log.",
        status=status,
        endpoint=endpoint,
    )


SIGN_IN_SERVICE = "the ButterflyMX sign-in service"


def deadline_error(
    endpoint: str, deadline_s: float, *, sent: bool, service: str = "ButterflyMX"
) -> NetworkError:
    """The error for an exchange that did not finish within its total deadline; ``sent``
    is whether the request counts as having reached the server (a release is not sent
    again when it may have)."""
    return NetworkError(
        f"{service} did not answer within {deadline_s:g} s ({endpoint}). Check the network "
        "or proxy.",
        endpoint=endpoint,
        sent=sent,
    )


def network_sentence(
    reason: str,
    *,
    timed_out: bool,
    sent: bool,
    host: str,
    timeout_s: float | None,
    service: str = "ButterflyMX",
) -> str:
    """The operator's sentence for a request that got no HTTP answer: it timed out, never
    reached ``host`` (not ``sent``), or the connection dropped before the answer."""
    # The sentence adds its own full stop ("Server disconnected without sending a response.").
    reason = reason[:200].rstrip(".")
    if timed_out:
        within = f" within {timeout_s:g} s" if timeout_s else ""
        return f"{service} did not answer{within}. Check the network or proxy."
    if not sent:
        return f"cannot reach {host}: {reason}. Check the network or proxy."
    return (
        f"the connection to {host} dropped before {service} answered: {reason}. Check the "
        "network or proxy."
    )


# --- sending again ------------------------------------------------------------------------


def may_retry(error: TransientError, *, method: str, retries: int, policy: RetryPolicy) -> bool:
    """Whether a request that failed with ``error`` after ``retries`` retries is sent again.

    Reads are retried up to the policy's attempts. Anything else — a door release, creating
    or revoking a pass — is not idempotent: it is sent again only when the failure proves
    that nothing reached the server (the connection never opened), and only once. A 401 is
    handled apart: it means the request was refused outright, so it is always safe to send
    once more after a fresh token.
    """
    if retries + 1 >= policy.max_attempts:
        return False
    if method.upper() in IDEMPOTENT:
        return True
    return not error.sent and retries == 0


def sent_failure(error: TransientError) -> tuple[TransientError, float | None]:
    """A request that failed on its way (the network, the sign-in service): the failure and
    the wait it asks for, if any (a rate-limited sign-in says how long)."""
    return error, error.retry_after if isinstance(error, RateLimited) else None


def refusal_to_retry(
    refused: BmxError, retry_after: str | None, now: datetime
) -> tuple[TransientError, float | None]:
    """A refusal worth another try, with the wait its ``Retry-After`` header asks for; any
    other refusal is raised."""
    if not isinstance(refused, TransientError):
        raise refused
    return refused, parse_retry_after(retry_after, now)


def retry_delay(
    failure: TransientError,
    hint: float | None,
    *,
    method: str,
    endpoint: str,
    retries: int,
    spent_s: float,
    deadline_s: float,
    policy: RetryPolicy,
    now: datetime,
) -> float:
    """Seconds to wait before sending a failed request again, or the error to report raised:
    a wait the cloud asks for (``hint``) that is too long to sit out, no time left within
    ``RETRY_BUDGET_DEADLINES`` request deadlines, or a request that may not be sent again."""
    if hint is not None and hint > LONG_RETRY_AFTER_S:
        # Waiting that long would look like a hang: stop, and say until when.
        raise long_wait(failure, hint, now, method) from failure
    delay = policy.delay(retries, hint)
    if spent_s + delay + deadline_s > RETRY_BUDGET_DEADLINES * deadline_s:
        log.info("%s %s: no time left for another try", method, endpoint)
        raise final_error(failure, method)
    if not may_retry(failure, method=method, retries=retries, policy=policy):
        raise final_error(failure, method)
    log.info(
        "%s %s failed (%s); retry %d in %.1f s",
        method,
        endpoint,
        type(failure).__name__,
        retries + 1,
        delay,
    )
    return delay


# --- bodies and pages ---------------------------------------------------------------------


def decode_json(response: Reply, endpoint: str) -> Any:
    if response.status_code == 204 or not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
        if "html" in content_type or response.content.lstrip()[:1] == b"<":
            what = "an HTML page instead of JSON"
        else:
            what = f"a body that is not JSON ({content_type or 'no content type'})"
        raise shape_error(endpoint, what) from None


def shape_error(endpoint: str, what: str) -> ProtocolError:
    return ProtocolError(
        f"Something other than ButterflyMX answered ({what}): a proxy or a Wi-Fi sign-in page "
        "may be in the way. Check the network.",
        endpoint=endpoint,
    )


def page_data(body: Any, path: str) -> list[Any]:
    if not isinstance(body, dict) or "data" not in body:
        raise shape_error(path, "JSON without 'data'")
    data = body["data"]
    if not isinstance(data, list):
        raise shape_error(path, "'data' is not a list")
    return data


def next_page(body: dict[str, Any], path: str) -> int | None:
    info = body.get("page_info")
    if not isinstance(info, dict):
        return None
    value = info.get("next_page")
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    raise shape_error(path, f"page_info.next_page is not a page number ({type(value).__name__})")


def parse_each(items: list[Any], parse: Callable[[Any], T], path: str) -> tuple[list[T], int]:
    """The records that could be read, and how many could not: one bad record must not cost
    the operator the others on the page."""
    parsed: list[T] = []
    skipped = 0
    for raw in items:
        try:
            parsed.append(parse(raw))
        except (ValueError, TypeError, AttributeError, KeyError) as exc:
            skipped += 1
            raw_id = raw.get("id") if isinstance(raw, dict) else None
            log.warning(
                "skipped an unreadable record from %s (id %s): %s",
                path,
                raw_id if isinstance(raw_id, int | str) else "?",
                type(exc).__name__,
            )
    return parsed, skipped


class PageWalk(Generic[T]):
    """Every page of a list, following ``page_info.next_page`` until null: ``query()`` is the
    next page's query, ``take(reply)`` reads it and says whether the walk is over; the
    records are in ``records``. Bounded by ``MAX_PAGES`` and ``MAX_RECORDS``."""

    def __init__(
        self,
        path: str,
        parse: Callable[[Any], T],
        params: Params | None = None,
        *,
        per_page: int = 100,
        enough: Callable[[list[Any]], bool] | None = None,
    ) -> None:
        self.path = path
        self.records: list[T] = []
        self.skipped = 0
        self._parse = parse
        self._params = params or []
        self._per_page = per_page
        self._enough = enough
        self._page = 1
        self._pages = 0
        self._received = 0

    def query(self) -> Params:
        if self._pages >= MAX_PAGES:
            raise list_too_long(self.path, f"more than {MAX_PAGES} pages")
        return [*self._params, ("page", str(self._page)), ("per", str(self._per_page))]

    def take(self, response: Reply) -> bool:
        path = self.path
        # Counted before parsing: a 20 MB page of tiny records would parse into millions of
        # objects. A record has at most a few nested objects.
        if response.content.count(b"{") > 8 * MAX_RECORDS:
            raise list_too_long(path, f"more than {MAX_RECORDS:,} records")
        body = decode_json(response, path)
        self._pages += 1
        items = page_data(body, path)
        self._received += len(items)
        if self._received > MAX_RECORDS:
            raise list_too_long(path, f"more than {MAX_RECORDS:,} records")
        parsed, skipped = parse_each(items, self._parse, path)
        self._keep(parsed)
        self.skipped += skipped
        following = next_page(body, path)
        if following is None or (self._enough is not None and self._enough(items)):
            return True
        if following <= self._page:
            raise ProtocolError(
                f"unexpected reply from {path}: page {self._page} names page {following} as "
                "the next one, which does not advance; stopped reading so as not to loop. "
                "Report this to ButterflyMX.",
                endpoint=path,
            )
        self._page = following
        return False

    def _keep(self, parsed: list[T]) -> None:
        self.records.extend(parsed)


class Logged(Protocol):
    """A log record: an access event or a panel call."""

    @property
    def id(self) -> int: ...

    @property
    def logged_at(self) -> datetime: ...


L = TypeVar("L", bound=Logged)


class LogWalk(PageWalk[L]):
    """The pages of a log, listed newest first: each record once (its first read), only
    those at or after ``since``, and ``oldest_first()`` at the end.

    The work is done page by page as they come, each in its own loop turn: a sweep of a
    busy building's log is tens of thousands of records, and keeping each once, then sorting
    them all at the end, was one turn of 15 ms. When the pages came in the log's order (as
    the cloud lists it), the records only need reversing.
    """

    def __init__(
        self,
        path: str,
        parse: Callable[[Any], L],
        params: Params | None = None,
        *,
        since: datetime | None = None,
        per_page: int = 100,
        enough: Callable[[list[Any]], bool] | None = None,
    ) -> None:
        super().__init__(path, parse, params, per_page=per_page, enough=enough)
        self._since = since
        self._seen: set[int] = set()
        self._last: tuple[datetime, int] | None = None
        self._in_order = True

    def _keep(self, parsed: list[L]) -> None:
        since, seen, kept = self._since, self._seen, self.records
        for record in parsed:
            if record.id in seen or (since is not None and record.logged_at < since):
                continue
            seen.add(record.id)
            key = (record.logged_at, record.id)
            if self._last is not None and key > self._last:
                self._in_order = False
            self._last = key
            kept.append(record)

    def oldest_first(self) -> list[L]:
        if self._in_order:
            return self.records[::-1]
        return sorted(self.records, key=_LOG_ORDER)


_LOG_ORDER = operator.attrgetter("logged_at", "id")


def all_older(since: datetime) -> Callable[[list[Any]], bool]:
    """Whether a page proves that later pages hold nothing at or after ``since``.

    Only meaningful when the cloud ignored the time filter: the log comes newest first, so a
    page whose entries are all older than ``since``, in that order, ends the walk. A page
    in any other order proves nothing, and the walk goes on.
    """

    def enough(items: list[Any]) -> bool:
        times = [parse_time(i.get("logged_at")) for i in items if isinstance(i, dict)]
        known = [t for t in times if t is not None]
        if len(known) < 2 or len(known) != len(items):
            return False
        newest_first = all(a >= b for a, b in itertools.pairwise(known))
        return newest_first and known[0] < since

    return enough


def in_building(building_id: int | None) -> Params:
    return [] if building_id is None else [("q[building_id_eq]", str(building_id))]


class _InBuilding(Protocol):
    @property
    def building_id(self) -> int | None: ...


B = TypeVar("B", bound=_InBuilding)


def only_building(records: list[B], building_id: int | None) -> list[B]:
    # Records without a building_id are kept: the filter was sent, and they cannot be judged.
    if building_id is None:
        return records
    return [r for r in records if r.building_id in (None, building_id)]


# --- the sign-in service's answer -----------------------------------------------------------


def token_reply(response: Reply, grant: Grant, token_url: str, *, now: datetime) -> dict[str, Any]:
    """The token reply's JSON object, or the error for it. A refused refresh token (400 or
    401 to the ``refresh_token`` grant) is the token manager's to handle before this."""
    status = response.status_code
    token_path = urlsplit(token_url).path or "/"
    if status in (400, 401):
        if grant == "client_credentials":
            raise TokenRequestFailed(
                "ButterflyMX refused the desk's credentials: the client ID or client "
                "secret is wrong, or the account lacks API scope. Have new ones issued in "
                "the ButterflyMX portal.",
                status=status,
                endpoint=token_path,
            )
        raise TokenRequestFailed(
            "Sign-in failed: the code was mistyped, already used or has expired. Start "
            "the sign-in again and paste the new code.",
            status=status,
            endpoint=token_path,
        )
    if status == 429:
        wait = parse_retry_after(response.headers.get("Retry-After"), now)
        wait = 30.0 if wait is None else wait
        raise RateLimited(
            f"The ButterflyMX sign-in service asks the desk to slow down: try again in "
            f"{wait:.0f} s.",
            status=status,
            endpoint=token_path,
            retry_after=wait,
            sent=False,
        )
    if status >= 500:
        raise ServerError(
            "The ButterflyMX sign-in service had a problem on its side; it is usually "
            "brief: try again in a minute.",
            status=status,
            endpoint=token_path,
            sent=False,
        )
    if 300 <= status < 400:
        raise ProtocolError(
            "Something other than the ButterflyMX sign-in service answered (it sent the "
            "desk elsewhere): a proxy or a Wi-Fi sign-in page may be in the way.",
            status=status,
            endpoint=token_url,
        )
    if status >= 400:
        raise TokenRequestFailed(
            f"The ButterflyMX sign-in service at {token_url} refused the desk: check "
            "the token URL in Settings and that the account has API access.",
            status=status,
            endpoint=token_path,
        )
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise ProtocolError(
            "Something other than the ButterflyMX sign-in service answered (not a sign-in "
            "reply): a proxy or a Wi-Fi sign-in page may be in the way.",
            status=status,
            endpoint=token_url,
        )
    if not isinstance(data.get("access_token"), str) or not data["access_token"]:
        raise ProtocolError(
            "The ButterflyMX sign-in service answered without a token: a proxy or a Wi-Fi "
            "sign-in page may be in the way.",
            status=status,
            endpoint=token_url,
        )
    return data


def token_lifetime(data: dict[str, Any]) -> float:
    """Seconds the token in a token reply lasts: its ``expires_in``, or the documented 24 h."""
    value: Any = data.get("expires_in")
    if isinstance(value, bool):
        return DEFAULT_LIFETIME_S
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return DEFAULT_LIFETIME_S
    return seconds if 0 < seconds < float("inf") else DEFAULT_LIFETIME_S
