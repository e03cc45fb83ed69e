"""Every failure an operator can meet, with the sentence they will read."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
import respx

from bmx_console.api.client import BmxClient
from bmx_console.api.retry import RetryPolicy
from bmx_console.clock import FakeClock
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
    SignedOut,
)
from tests.api.conftest import API, SECRET, TOKEN_URL, Sleeps, token_reply

UNAUTHORIZED = {"errors": [{"field": "base", "code": "unauthorized", "messages": "Unauthorized"}]}
NOT_FOUND = {"errors": [{"field": "base", "code": "not_found", "message": "Resource not found"}]}


@pytest.fixture
def no_retry_client(
    http: httpx.AsyncClient, tokens: Any, clock: FakeClock, sleeps: Sleeps
) -> BmxClient:
    return BmxClient(
        http, tokens, api_base=API, clock=clock, sleep=sleeps, retry=RetryPolicy(max_attempts=1)
    )


async def test_401_refreshes_once_and_sends_again(
    client: BmxClient, router: respx.MockRouter, token_route: respx.Route
) -> None:
    token_route.side_effect = [token_reply("stale"), token_reply("fresh")]
    route = router.get(f"{API}/v4/buildings/5").mock(
        side_effect=[
            httpx.Response(401, json=UNAUTHORIZED),
            httpx.Response(200, json={"data": {"id": 5, "name": "Harbor Lofts"}}),
        ]
    )
    assert (await client.building(5)).name == "Harbor Lofts"
    assert [c.request.headers["authorization"] for c in route.calls] == [
        "Bearer stale",
        "Bearer fresh",
    ]
    assert token_route.call_count == 2


async def test_second_401_is_an_auth_error(
    client: BmxClient, router: respx.MockRouter, token_route: respx.Route
) -> None:
    token_route.side_effect = [token_reply("one"), token_reply("two"), token_reply("three")]
    route = router.get(f"{API}/v4/access_points").mock(
        return_value=httpx.Response(401, json=UNAUTHORIZED)
    )
    with pytest.raises(AuthError) as caught:
        await client.doors()
    assert str(caught.value).startswith(
        "ButterflyMX no longer accepts this desk, even after a fresh sign-in"
    )
    assert caught.value.details == "HTTP 401 on /v4/access_points"
    assert route.call_count == 2
    assert token_route.call_count == 2


async def test_401_whose_refresh_is_refused_says_sign_in_again(
    http: httpx.AsyncClient, router: respx.MockRouter, clock: FakeClock
) -> None:
    from bmx_console.api.auth import TokenManager

    tokens = TokenManager(
        http, token_url=TOKEN_URL, client_id="cid", refresh_token="rt", clock=clock
    )
    router.post(TOKEN_URL).mock(side_effect=[token_reply("a"), httpx.Response(400, json={})])
    router.get(f"{API}/v4/buildings").mock(return_value=httpx.Response(401, json=UNAUTHORIZED))
    client = BmxClient(http, tokens, api_base=API, clock=clock)
    with pytest.raises(SignedOut, match="sign in again"):
        await client.buildings()


async def test_403_on_doors_names_the_missing_scope(
    client: BmxClient, router: respx.MockRouter, token_route: respx.Route
) -> None:
    router.get(f"{API}/v4/access_points").mock(return_value=httpx.Response(403, json={}))
    with pytest.raises(Forbidden) as caught:
        await client.doors(5)
    assert str(caught.value) == (
        "ButterflyMX refused: this desk's account may not read doors (the door-read scope). "
        "Ask your ButterflyMX representative to add it."
    )
    assert caught.value.details == "HTTP 403 on /v4/access_points"


@pytest.mark.parametrize(
    ("call", "path", "permission"),
    [
        (lambda c: c.panels(), "/v4/devices", "panel-read"),
        (lambda c: c.calls(5), "/v4/buildings/5/calls", "call-read"),
        (lambda c: c.release_door(1, 2), "/v4/door_release_requests", "door-release"),
        (lambda c: c.delete_keychain(3), "/v4/keychains/3", "keychain-write"),
    ],
)
async def test_403_elsewhere_names_endpoint_and_permission(
    client: BmxClient,
    router: respx.MockRouter,
    token_route: respx.Route,
    call: Callable[[BmxClient], Awaitable[Any]],
    path: str,
    permission: str,
) -> None:
    router.route(url=f"{API}{path}").mock(return_value=httpx.Response(403))
    with pytest.raises(Forbidden) as caught:
        await call(client)
    assert caught.value.details == f"HTTP 403 on {path}"
    assert f"(the {permission} scope)" in str(caught.value)


async def test_404_on_release_means_the_endpoint_moved(
    client: BmxClient, router: respx.MockRouter, token_route: respx.Route
) -> None:
    router.post(f"{API}/v4/door_release_requests").mock(
        return_value=httpx.Response(404, json=NOT_FOUND)
    )
    with pytest.raises(ReleaseEndpointMissing) as caught:
        await client.release_door(1, 2)
    assert str(caught.value) == (
        "ButterflyMX no longer takes door releases where this desk sends them: the release "
        "service changed for this contract. Ask ButterflyMX for the current one; doors and "
        "events keep updating."
    )
    assert caught.value.details == "HTTP 404 on /v4/door_release_requests"


@pytest.mark.parametrize(
    ("call", "path", "sentence"),
    [
        (lambda c: c.building(123), "/v4/buildings/123", "Building 123 was not found"),
        (lambda c: c.keychain(9), "/v4/keychains/9", "Keychain 9 was not found"),
        (lambda c: c.access_events(77), "/v4/buildings/77/access_logs", "Not found"),
    ],
)
async def test_404_elsewhere_is_not_found(
    client: BmxClient,
    router: respx.MockRouter,
    token_route: respx.Route,
    call: Callable[[BmxClient], Awaitable[Any]],
    path: str,
    sentence: str,
) -> None:
    router.get(f"{API}{path}").mock(return_value=httpx.Response(404, json=NOT_FOUND))
    with pytest.raises(NotFound) as caught:
        await call(client)
    assert not isinstance(caught.value, ReleaseEndpointMissing)
    assert str(caught.value).startswith(sentence)
    assert caught.value.details == f"HTTP 404 on {path}"


async def test_422_joins_the_clouds_messages(
    client: BmxClient, router: respx.MockRouter, token_route: respx.Route
) -> None:
    router.post(f"{API}/v4/keychains/custom").mock(
        return_value=httpx.Response(
            422,
            json={
                "errors": [
                    {
                        "field": "starts_at",
                        "message": "Start time must be before the end time",
                        "code": "start_time_must_be_before_the_end_time",
                    },
                    {"field": "base", "messages": ["must have an associated unit or tenant"]},
                ]
            },
        )
    )
    from datetime import UTC, datetime

    moment = datetime(2026, 1, 1, tzinfo=UTC)
    with pytest.raises(InvalidRequest) as caught:
        await client.create_custom_keychain(name="x", tenant_id=1, starts_at=moment, ends_at=moment)
    assert str(caught.value) == (
        "ButterflyMX refused: starts_at: Start time must be before the end time; must have an "
        "associated unit or tenant."
    )
    assert caught.value.details == "HTTP 422 on /v4/keychains/custom"


async def test_422_without_a_body_still_reads(
    client: BmxClient, router: respx.MockRouter, token_route: respx.Route
) -> None:
    router.post(f"{API}/v4/virtual_keys").mock(return_value=httpx.Response(422, text="nope"))
    with pytest.raises(InvalidRequest, match="gave no reason"):
        await client.create_virtual_key(keychain_id=1, name="x")


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("12", 12), (None, 30), ("30", 30), ("Sat, 21 Nov 2026 14:00:25 GMT", 25)],
)
async def test_429_says_when_to_try_again(
    no_retry_client: BmxClient,
    router: respx.MockRouter,
    token_route: respx.Route,
    header: str | None,
    seconds: int,
) -> None:
    headers = {"Retry-After": header} if header else {}
    router.get(f"{API}/v4/buildings").mock(return_value=httpx.Response(429, headers=headers))
    with pytest.raises(RateLimited) as caught:
        await no_retry_client.buildings()
    assert str(caught.value) == (
        f"ButterflyMX asks the desk to slow down: try again in {seconds} s. If this repeats, "
        "poll less often (Settings → Polling)."
    )
    assert caught.value.retry_after == seconds


@pytest.mark.parametrize(
    ("header", "wait", "until"),
    [
        ("31", "1 min", "2026-11-21 14:01 UTC"),
        ("86400", "24 h", "2026-11-22 14:00 UTC"),
        ("Sat, 21 Nov 2026 16:30:10 GMT", "2 h 31 min", "2026-11-21 16:31 UTC"),
    ],
)
async def test_a_long_retry_after_stops_at_once_and_says_until_when(
    client: BmxClient,
    router: respx.MockRouter,
    token_route: respx.Route,
    sleeps: Sleeps,
    header: str,
    wait: str,
    until: str,
) -> None:
    route = router.get(f"{API}/v4/buildings").mock(
        return_value=httpx.Response(429, headers={"Retry-After": header})
    )
    with pytest.raises(RateLimited) as caught:
        await client.buildings()
    assert route.call_count == 1 and sleeps.delays == []
    assert f"it asks to wait {wait}, until {until}. Try again then" in str(caught.value)
    assert caught.value.retry_at is not None
    assert caught.value.retry_at.strftime("%Y-%m-%d %H:%M UTC") <= until
    assert caught.value.exit_code == 5


async def test_5xx_is_a_server_error(
    no_retry_client: BmxClient, router: respx.MockRouter, token_route: respx.Route
) -> None:
    router.get(f"{API}/v4/devices").mock(return_value=httpx.Response(502, text="Bad gateway"))
    with pytest.raises(ServerError) as caught:
        await no_retry_client.panels()
    assert caught.value.details == "HTTP 502 on /v4/devices"
    assert caught.value.status == 502


async def test_timeout_names_the_wait_and_endpoint(
    no_retry_client: BmxClient, router: respx.MockRouter, token_route: respx.Route
) -> None:
    router.get(f"{API}/v4/tenants").mock(side_effect=httpx.ReadTimeout("read timed out"))
    with pytest.raises(NetworkError) as caught:
        await no_retry_client.tenants()
    assert str(caught.value).startswith("ButterflyMX did not answer within 5 s.")
    assert caught.value.details == "on /v4/tenants"
    assert caught.value.sent is True


async def test_connect_error_says_cannot_reach_the_host(
    no_retry_client: BmxClient, router: respx.MockRouter, token_route: respx.Route
) -> None:
    router.get(f"{API}/v4/tenants").mock(
        side_effect=httpx.ConnectError("[Errno -2] Name or service not known")
    )
    with pytest.raises(NetworkError) as caught:
        await no_retry_client.tenants()
    assert str(caught.value) == (
        "cannot reach api.bmx.test: [Errno -2] Name or service not known. Check the network "
        "or proxy."
    )
    assert caught.value.sent is False


async def test_dropped_connection_may_have_been_sent(
    no_retry_client: BmxClient, router: respx.MockRouter, token_route: respx.Route
) -> None:
    router.get(f"{API}/v4/tenants").mock(
        side_effect=httpx.RemoteProtocolError("Server disconnected without sending a response.")
    )
    with pytest.raises(NetworkError) as caught:
        await no_retry_client.tenants()
    assert caught.value.sent is True
    assert "api.bmx.test" in str(caught.value)


@pytest.mark.parametrize(
    ("reply", "what"),
    [
        (
            httpx.Response(
                200,
                text="<!DOCTYPE html><html>Sign in to the guest Wi-Fi</html>",
                headers={"Content-Type": "text/html"},
            ),
            "an HTML page instead of JSON",
        ),
        (httpx.Response(200, text="{not json"), "a body that is not JSON (text/plain)"),
        (httpx.Response(200, json=[1, 2]), "JSON without 'data'"),
        (httpx.Response(200, json={"data": {"id": 1}}), "'data' is not a list"),
        (
            httpx.Response(302, headers={"Location": "https://portal.hotel/login"}),
            "a redirect to portal.hotel",
        ),
    ],
)
async def test_unexpected_replies_point_at_a_proxy(
    no_retry_client: BmxClient,
    router: respx.MockRouter,
    token_route: respx.Route,
    reply: httpx.Response,
    what: str,
) -> None:
    router.get(f"{API}/v4/access_points").mock(return_value=reply)
    with pytest.raises(ProtocolError) as caught:
        await no_retry_client.doors()
    assert str(caught.value) == (
        f"Something other than ButterflyMX answered ({what}): a proxy or a Wi-Fi sign-in page "
        "may be in the way. Check the network."
    )
    assert caught.value.endpoint == "/v4/access_points"


async def test_record_that_cannot_be_read_is_a_protocol_error(
    client: BmxClient, router: respx.MockRouter, token_route: respx.Route
) -> None:
    router.get(f"{API}/v4/buildings/5").mock(
        return_value=httpx.Response(200, json={"data": {"name": "no id"}})
    )
    with pytest.raises(ProtocolError) as caught:
        await client.building(5)
    assert caught.value.details == "on /v4/buildings/5"


async def test_redirect_is_not_followed_with_the_token(
    no_retry_client: BmxClient, router: respx.MockRouter, token_route: respx.Route
) -> None:
    router.get(f"{API}/v4/buildings").mock(
        return_value=httpx.Response(301, headers={"Location": "https://elsewhere.example/x"})
    )
    elsewhere = router.get("https://elsewhere.example/x")
    with pytest.raises(ProtocolError):
        await no_retry_client.buildings()
    assert elsewhere.call_count == 0


async def test_expired_snapshot_link(
    client: BmxClient, router: respx.MockRouter, token_route: respx.Route
) -> None:
    router.get("https://storage.example/s.png").mock(return_value=httpx.Response(403))
    with pytest.raises(NotFound, match="snapshot is no longer available"):
        await client.fetch_image("https://storage.example/s.png")
    assert token_route.call_count == 0


async def test_other_4xx_names_status_and_endpoint(
    client: BmxClient, router: respx.MockRouter, token_route: respx.Route
) -> None:
    router.get(f"{API}/v4/buildings").mock(return_value=httpx.Response(405))
    with pytest.raises(BmxError, match=r"ButterflyMX answered with an error") as caught:
        await client.buildings()
    assert caught.value.details == "HTTP 405 on /v4/buildings"


async def test_no_token_or_secret_in_errors_or_logs(
    client: BmxClient,
    router: respx.MockRouter,
    token_route: respx.Route,
    caplog: pytest.LogCaptureFixture,
) -> None:
    token_route.side_effect = None
    token_route.return_value = token_reply("at-very-secret")
    leaky = f"token at-very-secret and {SECRET}"
    replies = [
        httpx.Response(401, json={"errors": [{"messages": leaky}]}),
        httpx.Response(403, json={"message": leaky}),
        httpx.Response(404, json={"message": leaky}),
        httpx.Response(500, text=leaky),
        httpx.Response(200, text=f"<html>{leaky}</html>"),
        httpx.ConnectError("refused"),
    ]
    texts: list[str] = []
    with caplog.at_level(logging.DEBUG, logger="bmx_console.api"):
        for reply in replies:
            router.get(f"{API}/v4/buildings/1").mock(side_effect=[reply] * 8)
            with pytest.raises(BmxError) as caught:
                await client.building(1)
            texts += [str(caught.value), repr(caught.value)]
    texts += [caplog.text, repr(client)]
    for text in texts:
        assert "at-very-secret" not in text
        assert SECRET not in text


def test_a_reason_that_ends_a_sentence_is_not_given_a_second_full_stop() -> None:
    from bmx_console.api.http import network_error

    error = network_error(
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        host="api.bmx.test",
        endpoint="POST /v4/releases",
        timeout_s=10,
    )

    assert "response. Check the network" in str(error)
    assert ".." not in str(error)


async def test_a_release_answered_503_with_a_long_retry_after_may_have_gone_through(
    client: BmxClient, router: respx.MockRouter, token_route: respx.Route, sleeps: Sleeps
) -> None:
    route = router.post(f"{API}/v4/door_release_requests").mock(
        return_value=httpx.Response(503, headers={"Retry-After": "3600"})
    )
    with pytest.raises(RateLimited) as caught:
        await client.release_door(1, 2)
    assert route.call_count == 1 and sleeps.delays == []
    assert "ButterflyMX asks to wait 60 min, until 2026-11-21 15:00 UTC" in str(caught.value)
    assert "It may still have gone through" in str(caught.value)
    assert caught.value.retry_at is not None


@pytest.mark.parametrize(
    "reply",
    [
        httpx.Response(401, json=UNAUTHORIZED),
        httpx.Response(403),
        httpx.Response(404, json=NOT_FOUND),
        httpx.Response(422, json={"message": "access point is not in the tenant's building"}),
        httpx.Response(429, headers={"Retry-After": "5"}),
        httpx.Response(503),
        httpx.Response(405),
        httpx.Response(302, headers={"Location": "https://portal.hotel/login"}),
        httpx.Response(200, text="<html>Wi-Fi</html>", headers={"Content-Type": "text/html"}),
        httpx.ReadTimeout("read timed out"),
    ],
)
async def test_the_sentence_is_words_and_the_code_and_endpoint_are_details(
    no_retry_client: BmxClient,
    router: respx.MockRouter,
    token_route: respx.Route,
    reply: httpx.Response | Exception,
) -> None:
    token_route.side_effect = [token_reply(f"t{n}") for n in range(4)]
    router.post(f"{API}/v4/door_release_requests").mock(side_effect=[reply] * 4)
    with pytest.raises(BmxError) as caught:
        await no_retry_client.release_door(1, 2)
    sentence = str(caught.value)
    assert "HTTP" not in sentence and "/v4" not in sentence
    assert sentence[:1].isupper()
    assert "/v4/door_release_requests" in caught.value.details
    # The command line keeps the code after the sentence.
    assert caught.value.cli_text() == f"{sentence} ({caught.value.details})"
