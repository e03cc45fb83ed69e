"""When a request is sent again, how long the client waits first, and above all which
requests are never sent twice (a door release opens the door each time it arrives)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import respx

from bmx_console.api.client import BmxClient
from bmx_console.api.retry import RetryPolicy, parse_retry_after
from bmx_console.errors import NetworkError, RateLimited, ServerError
from tests.api.conftest import API, Sleeps, page, token_reply

NOW = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)
RELEASED = {"data": {"id": 9, "guid": "g", "tenant_id": 2, "access_point_id": 1}}
KEYCHAIN = {"data": {"id": 3, "name": "Guest"}}


# -- the policy -----------------------------------------------------------------------------


def test_backoff_doubles_up_to_the_cap_with_jitter() -> None:
    policy = RetryPolicy()
    middle = [policy.delay(n, None, rand=lambda: 0.5) for n in range(6)]
    assert middle == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert policy.delay(0, None, rand=lambda: 0.0) == 0.375
    assert policy.delay(10, None, rand=lambda: 1.0) == 10.0


def test_retry_after_wins_and_is_capped() -> None:
    policy = RetryPolicy(max_retry_after_s=60)
    assert policy.delay(3, 2.0, rand=lambda: 0.0) == 2.0
    assert policy.delay(0, 3600.0) == 60.0
    assert policy.delay(0, -5.0) == 0.0


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("7", 7.0),
        (" 1.5 ", 1.5),
        ("-3", 0.0),
        ("Sat, 21 Nov 2026 14:01:00 GMT", 60.0),
        ("Sat, 21 Nov 2026 13:00:00 GMT", 0.0),
        ("soon", None),
        ("", None),
        (None, None),
        ("nan", None),
    ],
)
def test_parse_retry_after(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value, NOW) == seconds


# -- reads are retried ----------------------------------------------------------------------


async def test_get_retries_transient_failures_with_backoff(
    client: BmxClient, router: respx.MockRouter, token_route: respx.Route, sleeps: Sleeps
) -> None:
    route = router.get(f"{API}/v4/buildings").mock(
        side_effect=[
            httpx.Response(503),
            httpx.ReadTimeout("slow"),
            httpx.Response(502),
            httpx.Response(200, json=page([{"id": 1}])),
        ]
    )
    assert [b.id for b in await client.buildings()] == [1]
    assert route.call_count == 4
    assert len(sleeps.delays) == 3
    for n, delay in enumerate(sleeps.delays):
        assert 0.5 * 2**n * 0.75 <= delay <= 0.5 * 2**n * 1.25


async def test_get_gives_up_after_max_attempts(
    client: BmxClient, router: respx.MockRouter, token_route: respx.Route, sleeps: Sleeps
) -> None:
    route = router.get(f"{API}/v4/buildings").mock(return_value=httpx.Response(500))
    with pytest.raises(ServerError):
        await client.buildings()
    assert route.call_count == 4
    assert len(sleeps.delays) == 3


async def test_get_honours_retry_after_up_to_the_cap(
    http: httpx.AsyncClient,
    tokens: Any,
    router: respx.MockRouter,
    token_route: respx.Route,
    sleeps: Sleeps,
) -> None:
    client = BmxClient(
        http,
        tokens,
        api_base=API,
        sleep=sleeps,
        clock=sleeps.clock,
        retry=RetryPolicy(max_retry_after_s=20),
        deadline_s=60,
    )
    # The injected sleep moves the clock: the date is read 3 + 20 s from now.
    http_date = (sleeps.clock.now() + timedelta(seconds=32)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    router.get(f"{API}/v4/devices").mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "3"}),
            httpx.Response(429, headers={"Retry-After": "25"}),
            httpx.Response(503, headers={"Retry-After": http_date}),
            httpx.Response(200, json=page([])),
        ]
    )
    assert await client.panels() == []
    assert sleeps.delays == [3.0, 20.0, 9.0]


async def test_rate_limit_without_retry_after_backs_off(
    client: BmxClient, router: respx.MockRouter, token_route: respx.Route, sleeps: Sleeps
) -> None:
    router.get(f"{API}/v4/devices").mock(
        side_effect=[httpx.Response(429), httpx.Response(200, json=page([]))]
    )
    await client.panels()
    assert 0.375 <= sleeps.delays[0] <= 0.625


async def test_each_page_gets_its_own_retries(
    client: BmxClient, router: respx.MockRouter, token_route: respx.Route, sleeps: Sleeps
) -> None:
    router.get(f"{API}/v4/tenants").mock(
        side_effect=[
            httpx.Response(200, json=page([{"id": 1}], next_page=2)),
            httpx.Response(503),
            httpx.Response(200, json=page([{"id": 2}], current=2)),
        ]
    )
    assert [t.id for t in await client.tenants()] == [1, 2]
    assert len(sleeps.delays) == 1


async def test_token_endpoint_blip_is_retried_for_reads(
    client: BmxClient, router: respx.MockRouter, token_route: respx.Route, sleeps: Sleeps
) -> None:
    token_route.side_effect = [httpx.ConnectError("down"), token_reply("a")]
    router.get(f"{API}/v4/buildings").mock(return_value=httpx.Response(200, json=page([])))
    assert await client.buildings() == []
    assert len(sleeps.delays) == 1


# -- a release is never sent twice once it may have arrived ---------------------------------


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ReadTimeout("no answer"),
        httpx.WriteTimeout("stuck writing"),
        httpx.Response(500),
        httpx.Response(503, headers={"Retry-After": "1"}),
        httpx.Response(429, headers={"Retry-After": "1"}),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.ReadError("connection reset by peer"),
    ],
    ids=["read-timeout", "write-timeout", "500", "503", "429", "dropped", "reset"],
)
async def test_release_is_not_retried_once_it_may_have_arrived(
    client: BmxClient,
    router: respx.MockRouter,
    token_route: respx.Route,
    sleeps: Sleeps,
    failure: Any,
) -> None:
    route = router.post(f"{API}/v4/door_release_requests").mock(
        side_effect=[failure, httpx.Response(201, json=RELEASED)]
    )
    with pytest.raises((NetworkError, ServerError, RateLimited)) as caught:
        await client.release_door(1, 2)
    assert route.call_count == 1
    assert sleeps.delays == []
    if not isinstance(caught.value, RateLimited):
        assert "check before sending it again" in str(caught.value)


async def test_release_is_sent_once_more_after_401_and_a_fresh_token(
    client: BmxClient, router: respx.MockRouter, token_route: respx.Route
) -> None:
    token_route.side_effect = [token_reply("old"), token_reply("new")]
    route = router.post(f"{API}/v4/door_release_requests").mock(
        side_effect=[
            httpx.Response(401, json={"errors": [{"messages": "Unauthorized"}]}),
            httpx.Response(201, json=RELEASED),
        ]
    )
    assert (await client.release_door(1, 2)).id == 9
    assert route.call_count == 2
    assert route.calls[1].request.headers["authorization"] == "Bearer new"


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ConnectError("connection refused"),
        httpx.ConnectTimeout("connect timed out"),
        httpx.PoolTimeout("no free connection"),
    ],
    ids=["connect-error", "connect-timeout", "pool-timeout"],
)
async def test_release_is_sent_once_more_when_it_never_left(
    client: BmxClient,
    router: respx.MockRouter,
    token_route: respx.Route,
    sleeps: Sleeps,
    failure: Exception,
) -> None:
    route = router.post(f"{API}/v4/door_release_requests").mock(
        side_effect=[failure, httpx.Response(201, json=RELEASED)]
    )
    assert (await client.release_door(1, 2)).id == 9
    assert route.call_count == 2
    assert len(sleeps.delays) == 1


async def test_release_is_sent_at_most_twice_when_the_connection_keeps_failing(
    client: BmxClient, router: respx.MockRouter, token_route: respx.Route
) -> None:
    route = router.post(f"{API}/v4/door_release_requests").mock(
        side_effect=httpx.ConnectError("connection refused")
    )
    with pytest.raises(NetworkError, match=r"cannot reach api\.bmx\.test") as caught:
        await client.release_door(1, 2)
    assert route.call_count == 2
    assert "check before" not in str(caught.value)


async def test_release_after_a_failed_token_request_is_still_sent_once(
    client: BmxClient, router: respx.MockRouter, token_route: respx.Route
) -> None:
    token_route.side_effect = [httpx.ConnectError("down"), token_reply("a")]
    route = router.post(f"{API}/v4/door_release_requests").mock(
        return_value=httpx.Response(201, json=RELEASED)
    )
    assert (await client.release_door(1, 2)).id == 9
    assert route.call_count == 1


PASS_WRITES: list[tuple[str, str, Callable[[BmxClient], Awaitable[Any]]]] = [
    (
        "POST",
        "/v4/keychains/custom",
        lambda c: c.create_custom_keychain(
            name="g", tenant_id=1, starts_at=NOW, ends_at=NOW + timedelta(hours=1)
        ),
    ),
    (
        "POST",
        "/v4/keychains/one_time",
        lambda c: c.create_one_time_keychain(
            name="g", tenant_id=1, starts_at=NOW, ends_at=NOW + timedelta(hours=1)
        ),
    ),
    (
        "POST",
        "/v4/keychains/delivery_pass",
        lambda c: c.create_delivery_pass(name="d", tenant_id=1),
    ),
    ("DELETE", "/v4/keychains/3", lambda c: c.delete_keychain(3)),
    ("POST", "/v4/virtual_keys", lambda c: c.create_virtual_key(keychain_id=3, name="v")),
]


@pytest.mark.parametrize(("method", "path", "call"), PASS_WRITES)
async def test_pass_writes_follow_the_release_rule(
    client: BmxClient,
    router: respx.MockRouter,
    token_route: respx.Route,
    method: str,
    path: str,
    call: Callable[[BmxClient], Awaitable[Any]],
) -> None:
    # A revoke is done on 204; the other writes answer with the record they made.
    def ok() -> httpx.Response:
        return httpx.Response(204) if method == "DELETE" else httpx.Response(201, json=KEYCHAIN)

    route = router.route(method=method, url=f"{API}{path}").mock(
        side_effect=[httpx.Response(502), ok()]
    )
    with pytest.raises(ServerError):
        await call(client)
    assert route.call_count == 1

    route.side_effect = [httpx.ConnectError("refused"), ok()]
    await call(client)
    assert route.call_count == 3
