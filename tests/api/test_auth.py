"""The token manager: grants, refresh ahead of expiry, one request for many callers,
rotated refresh tokens, refusals, and no secret in any text."""

from __future__ import annotations

import asyncio
import base64
import hashlib
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx

from bmx_console.api.auth import REDIRECT_URI, TokenManager
from bmx_console.api.client import BmxClient
from bmx_console.clock import FakeClock
from bmx_console.errors import (
    ConfigError,
    InvalidRequest,
    NetworkError,
    ProtocolError,
    ServerError,
    SignedOut,
    TokenRequestFailed,
)
from tests.api.conftest import API, SECRET, TOKEN_URL, page, token_reply

REFUSED = "signed out: sign in again — the saved sign-in was refused by ButterflyMX."


def form(request: httpx.Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.content.decode()).items()}


def refresh_manager(
    http: httpx.AsyncClient, clock: FakeClock, saved: list[str | None], token: str = "rt-1"
) -> TokenManager:
    return TokenManager(
        http,
        token_url=TOKEN_URL,
        client_id="cid",
        refresh_token=token,
        on_refresh_token=saved.append,
        clock=clock,
    )


async def test_client_credentials_sent_in_the_form_body(
    tokens: TokenManager, token_route: respx.Route
) -> None:
    states: list[str] = []
    tokens.add_listener(states.append)
    assert tokens.state == "idle"

    assert await tokens.access_token() == "access-1"

    sent = token_route.calls.last.request
    assert form(sent) == {
        "grant_type": "client_credentials",
        "client_id": "cid",
        "client_secret": SECRET,
    }
    assert "authorization" not in sent.headers
    assert sent.headers["content-type"] == "application/x-www-form-urlencoded"
    assert tokens.state == "signed_in"
    assert states == ["signed_in"]


async def test_token_is_reused_until_five_minutes_before_expiry(
    tokens: TokenManager, token_route: respx.Route, clock: FakeClock
) -> None:
    token_route.side_effect = [token_reply("a", expires_in=3600), token_reply("b")]
    assert await tokens.access_token() == "a"
    assert tokens.expires_at == clock.now() + timedelta(seconds=3600)

    clock.advance(3600 - 301)
    assert await tokens.access_token() == "a"
    assert token_route.call_count == 1

    clock.advance(2)  # now inside the last five minutes: refreshed before it can lapse
    assert await tokens.access_token() == "b"
    assert token_route.call_count == 2


async def test_short_lived_token_is_refreshed_at_half_life(
    tokens: TokenManager, token_route: respx.Route, clock: FakeClock
) -> None:
    token_route.side_effect = [token_reply("a", expires_in=300), token_reply("b")]
    assert await tokens.access_token() == "a"
    clock.advance(149)
    assert await tokens.access_token() == "a"
    clock.advance(2)
    assert await tokens.access_token() == "b"


async def test_missing_expires_in_is_taken_as_a_day(
    tokens: TokenManager, token_route: respx.Route, clock: FakeClock
) -> None:
    token_route.side_effect = [token_reply("a", expires_in=None), token_reply("b")]
    assert await tokens.access_token() == "a"
    clock.advance(23 * 3600)
    assert await tokens.access_token() == "a"
    assert token_route.call_count == 1


async def test_twenty_concurrent_callers_on_an_expired_token_make_one_request(
    tokens: TokenManager, token_route: respx.Route, clock: FakeClock
) -> None:
    token_route.side_effect = [token_reply("old", expires_in=3600)]
    assert await tokens.access_token() == "old"
    clock.advance(7200)

    release = asyncio.Event()

    async def slow_reply(request: httpx.Request) -> httpx.Response:
        await release.wait()
        return token_reply("new")

    token_route.side_effect = slow_reply
    callers = [asyncio.create_task(tokens.access_token()) for _ in range(20)]
    await asyncio.sleep(0)
    release.set()
    results = await asyncio.gather(*callers)

    assert results == ["new"] * 20
    assert token_route.call_count == 2  # the first sign-in, then exactly one refresh


async def test_concurrent_callers_share_one_failure_too(
    tokens: TokenManager, token_route: respx.Route
) -> None:
    token_route.side_effect = httpx.ConnectError("connection refused")
    results = await asyncio.gather(
        *(tokens.access_token() for _ in range(5)), return_exceptions=True
    )
    assert all(isinstance(r, NetworkError) for r in results)
    assert token_route.call_count == 1


async def test_cancelled_waiter_does_not_cancel_the_others(
    tokens: TokenManager, token_route: respx.Route
) -> None:
    release = asyncio.Event()

    async def slow_reply(request: httpx.Request) -> httpx.Response:
        await release.wait()
        return token_reply("shared")

    token_route.side_effect = slow_reply
    first = asyncio.create_task(tokens.access_token())
    second = asyncio.create_task(tokens.access_token())
    await asyncio.sleep(0)
    first.cancel()
    release.set()
    assert await second == "shared"
    assert first.cancelled()


async def test_rotated_refresh_token_is_saved_before_the_next_api_call(
    http: httpx.AsyncClient, router: respx.MockRouter, clock: FakeClock
) -> None:
    order: list[str] = []

    def save(value: str | None) -> None:
        order.append(f"saved {value}")

    tokens = TokenManager(
        http,
        token_url=TOKEN_URL,
        client_id="cid",
        refresh_token="rt-1",
        on_refresh_token=save,
        clock=clock,
    )
    token_route = router.post(TOKEN_URL).mock(
        side_effect=[token_reply("a", refresh="rt-2"), token_reply("b", refresh="rt-3")]
    )

    def buildings(request: httpx.Request) -> httpx.Response:
        order.append(f"api {request.headers['authorization'].split()[1]}")
        return httpx.Response(200, json=page([]))

    router.get(f"{API}/v4/buildings").mock(side_effect=buildings)
    client = BmxClient(http, tokens, api_base=API, clock=clock)

    await client.buildings()
    clock.advance(86_400)
    await client.buildings()

    assert order == ["saved rt-2", "api a", "saved rt-3", "api b"]
    grants = [form(call.request) for call in token_route.calls]
    assert [g["grant_type"] for g in grants] == ["refresh_token", "refresh_token"]
    assert [g["refresh_token"] for g in grants] == ["rt-1", "rt-2"]
    assert all("client_secret" not in g for g in grants)


async def test_refused_refresh_signs_out_and_stops_asking(
    http: httpx.AsyncClient, router: respx.MockRouter, clock: FakeClock
) -> None:
    saved: list[str | None] = []
    tokens = refresh_manager(http, clock, saved)
    states: list[str] = []
    tokens.add_listener(states.append)
    token_route = router.post(TOKEN_URL).mock(
        return_value=httpx.Response(
            400, json={"error": "invalid_grant", "error_description": "revoked"}
        )
    )

    with pytest.raises(SignedOut) as first:
        await tokens.access_token()
    assert str(first.value) == REFUSED
    assert tokens.state == "signed_out"
    assert states == ["signed_out"]
    assert saved == [None]

    for _ in range(3):
        with pytest.raises(SignedOut) as again:
            await tokens.access_token()
        assert str(again.value) == REFUSED
    assert token_route.call_count == 1


async def test_refused_refresh_with_401_is_the_same(
    http: httpx.AsyncClient, router: respx.MockRouter, clock: FakeClock
) -> None:
    tokens = refresh_manager(http, clock, [])
    router.post(TOKEN_URL).mock(return_value=httpx.Response(401, json={}))
    with pytest.raises(SignedOut, match="refused by ButterflyMX"):
        await tokens.refresh()


@pytest.mark.parametrize("status", [400, 401])
async def test_client_credentials_refused_names_the_cause(
    tokens: TokenManager, token_route: respx.Route, status: int
) -> None:
    token_route.return_value = httpx.Response(status, json={"error": "invalid_client"})
    with pytest.raises(TokenRequestFailed) as caught:
        await tokens.access_token()
    assert str(caught.value).startswith(
        "ButterflyMX refused the desk's credentials: the client ID or client secret is wrong, "
        "or the account lacks API scope"
    )
    assert caught.value.details == f"HTTP {status} on /oauth/token"
    assert caught.value.status == status
    assert SECRET not in str(caught.value)


async def test_neither_secret_nor_refresh_token_is_signed_out_without_a_request(
    http: httpx.AsyncClient, router: respx.MockRouter
) -> None:
    route = router.post(TOKEN_URL)
    tokens = TokenManager(http, token_url=TOKEN_URL, client_id="cid")
    assert tokens.state == "signed_out"
    with pytest.raises(SignedOut, match=r"^signed out: sign in again"):
        await tokens.access_token()
    assert route.call_count == 0


async def test_network_failure_is_transient_not_signed_out(
    tokens: TokenManager, token_route: respx.Route
) -> None:
    token_route.side_effect = httpx.ConnectError("Name or service not known")
    with pytest.raises(NetworkError) as caught:
        await tokens.access_token()
    assert "cannot reach accounts.bmx.test" in str(caught.value)
    assert caught.value.sent is False
    assert tokens.state == "idle"


async def test_token_endpoint_timeout_names_the_wait(
    tokens: TokenManager, token_route: respx.Route
) -> None:
    token_route.side_effect = httpx.ReadTimeout("timed out")
    with pytest.raises(NetworkError, match="did not answer within 5 s"):
        await tokens.access_token()


async def test_token_endpoint_server_error_is_transient(
    tokens: TokenManager, token_route: respx.Route
) -> None:
    token_route.return_value = httpx.Response(503)
    with pytest.raises(ServerError):
        await tokens.access_token()
    assert tokens.state == "idle"


@pytest.mark.parametrize(
    "reply",
    [
        httpx.Response(200, text="<html><body>Please log in to the proxy</body></html>"),
        httpx.Response(200, json=["not", "a", "token"]),
        httpx.Response(200, json={"token_type": "Bearer"}),
        httpx.Response(302, headers={"Location": "https://portal.example/login"}),
    ],
)
async def test_odd_token_replies_name_the_token_url(
    tokens: TokenManager, token_route: respx.Route, reply: httpx.Response
) -> None:
    token_route.return_value = reply
    with pytest.raises(ProtocolError) as caught:
        await tokens.access_token()
    assert TOKEN_URL in caught.value.details


async def test_network_blip_during_early_refresh_keeps_the_current_token(
    tokens: TokenManager, token_route: respx.Route, clock: FakeClock
) -> None:
    token_route.side_effect = [token_reply("a", expires_in=3600)]
    await tokens.access_token()
    clock.advance(3600 - 60)
    token_route.side_effect = httpx.ConnectError("down")
    assert await tokens.access_token() == "a"

    clock.advance(120)  # expired for real now: the failure is the caller's to see
    with pytest.raises(NetworkError):
        await tokens.access_token()


async def test_invalidate_forgets_only_the_current_token(
    tokens: TokenManager, token_route: respx.Route
) -> None:
    token_route.side_effect = [token_reply("a"), token_reply("b")]
    await tokens.access_token()
    tokens.invalidate("something-older")
    assert await tokens.access_token() == "a"
    tokens.invalidate("a")
    assert await tokens.access_token() == "b"
    assert token_route.call_count == 2


async def test_forced_refresh_gets_a_new_token(
    tokens: TokenManager, token_route: respx.Route
) -> None:
    token_route.side_effect = [token_reply("a"), token_reply("b")]
    await tokens.access_token()
    token = await tokens.refresh()
    assert token.access_token == "b"
    assert await tokens.access_token() == "b"


async def test_sign_in_with_pkce_and_pasted_code(
    http: httpx.AsyncClient, router: respx.MockRouter, clock: FakeClock
) -> None:
    saved: list[str | None] = []
    tokens = TokenManager(
        http, token_url=TOKEN_URL, client_id="cid", on_refresh_token=saved.append, clock=clock
    )
    route = router.post(TOKEN_URL).mock(return_value=token_reply("a", refresh="rt-new"))

    request = tokens.start_sign_in()
    url = urlsplit(request.url)
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert f"{url.scheme}://{url.netloc}{url.path}" == "https://accounts.bmx.test/oauth/authorize"
    assert query["response_type"] == "code"
    assert query["client_id"] == "cid"
    assert query["redirect_uri"] == REDIRECT_URI == "urn:ietf:wg:oauth:2.0:oob"
    assert query["code_challenge_method"] == "S256"
    assert query["state"] == request.state
    digest = hashlib.sha256(request.verifier.encode()).digest()
    assert query["code_challenge"] == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    assert request.verifier not in request.url
    assert 43 <= len(request.verifier) <= 128

    token = await tokens.finish_sign_in(request, "  pasted-code \n")

    sent = form(route.calls.last.request)
    assert sent == {
        "grant_type": "authorization_code",
        "code": "pasted-code",
        "redirect_uri": REDIRECT_URI,
        "client_id": "cid",
        "code_verifier": request.verifier,
    }
    assert token.access_token == "a"
    assert saved == ["rt-new"]
    assert tokens.state == "signed_in"
    assert await tokens.access_token() == "a"


async def test_sign_in_after_a_refusal_works_again(
    http: httpx.AsyncClient, router: respx.MockRouter, clock: FakeClock
) -> None:
    saved: list[str | None] = []
    tokens = refresh_manager(http, clock, saved)
    router.post(TOKEN_URL).mock(
        side_effect=[httpx.Response(400, json={}), token_reply("a", refresh="rt-2")]
    )
    with pytest.raises(SignedOut):
        await tokens.access_token()
    await tokens.finish_sign_in(tokens.start_sign_in(), "code")
    assert await tokens.access_token() == "a"
    assert saved == [None, "rt-2"]


async def test_refused_code_says_to_start_again(
    http: httpx.AsyncClient, router: respx.MockRouter
) -> None:
    tokens = TokenManager(http, token_url=TOKEN_URL, client_id="cid")
    router.post(TOKEN_URL).mock(return_value=httpx.Response(400, json={"error": "invalid_grant"}))
    with pytest.raises(TokenRequestFailed, match="Start the sign-in again"):
        await tokens.finish_sign_in(tokens.start_sign_in(), "typo")
    assert tokens.state == "signed_out"


async def test_empty_code_is_refused_without_a_request(
    http: httpx.AsyncClient, router: respx.MockRouter
) -> None:
    route = router.post(TOKEN_URL)
    tokens = TokenManager(http, token_url=TOKEN_URL, client_id="cid")
    with pytest.raises(InvalidRequest, match="code is empty"):
        await tokens.finish_sign_in(tokens.start_sign_in(), "   ")
    assert route.call_count == 0


async def test_sign_out_forgets_everything_and_clears_the_keyring(
    http: httpx.AsyncClient, router: respx.MockRouter, clock: FakeClock
) -> None:
    saved: list[str | None] = []
    tokens = refresh_manager(http, clock, saved)
    route = router.post(TOKEN_URL).mock(return_value=token_reply("a"))
    await tokens.access_token()

    tokens.sign_out()

    assert tokens.state == "signed_out"
    assert tokens.expires_at is None
    assert saved == [None]
    with pytest.raises(SignedOut, match="you signed out"):
        await tokens.access_token()
    assert route.call_count == 1


async def test_sign_out_while_a_refresh_is_in_flight_wins(
    http: httpx.AsyncClient, router: respx.MockRouter, clock: FakeClock
) -> None:
    saved: list[str | None] = []
    tokens = refresh_manager(http, clock, saved)
    release = asyncio.Event()

    async def slow_reply(request: httpx.Request) -> httpx.Response:
        await release.wait()
        return token_reply("late", refresh="rt-late")

    router.post(TOKEN_URL).mock(side_effect=slow_reply)
    pending = asyncio.create_task(tokens.access_token())
    await asyncio.sleep(0)
    tokens.sign_out()
    release.set()
    with pytest.raises(SignedOut):
        await pending
    assert saved == [None]  # the late rotation is not written back over the sign-out
    assert tokens.state == "signed_out"


async def test_failing_keyring_callback_does_not_break_the_session(
    http: httpx.AsyncClient, router: respx.MockRouter, clock: FakeClock
) -> None:
    def broken(value: str | None) -> None:
        raise RuntimeError(f"keyring locked, could not store {value}")

    tokens = TokenManager(
        http,
        token_url=TOKEN_URL,
        client_id="cid",
        refresh_token="rt-1",
        on_refresh_token=broken,
        clock=clock,
    )
    router.post(TOKEN_URL).mock(return_value=token_reply("a", refresh="rt-2"))
    assert await tokens.access_token() == "a"


async def test_new_client_secret_after_a_refusal(
    tokens: TokenManager, token_route: respx.Route
) -> None:
    token_route.side_effect = [httpx.Response(401, json={}), token_reply("fixed")]
    with pytest.raises(TokenRequestFailed):
        await tokens.access_token()
    assert tokens.state == "signed_out"
    tokens.set_client_secret("re-minted")
    assert await tokens.access_token() == "fixed"
    assert form(token_route.calls.last.request)["client_secret"] == "re-minted"


def test_token_url_must_be_https(http: httpx.AsyncClient) -> None:
    with pytest.raises(ConfigError, match="token_url must be an https:// URL"):
        TokenManager(http, token_url="http://accounts.example/oauth/token", client_id="cid")


async def test_no_secret_in_any_text(
    http: httpx.AsyncClient, router: respx.MockRouter, clock: FakeClock
) -> None:
    saved: list[str | None] = []
    tokens = TokenManager(
        http,
        token_url=TOKEN_URL,
        client_id="cid",
        client_secret=SECRET,
        refresh_token="rt-secret-1",
        on_refresh_token=saved.append,
        clock=clock,
    )
    route = router.post(TOKEN_URL).mock(
        return_value=token_reply("at-secret-1", refresh="rt-secret-2")
    )
    token = await tokens.access_token()
    request = tokens.start_sign_in()
    texts = [repr(tokens), str(tokens), repr(await tokens.refresh()), repr(request)]

    secrets = [SECRET, "rt-secret-1", "rt-secret-2", "at-secret-1", token, request.verifier]
    route.side_effect = [
        httpx.Response(401, json={"error_description": f"bad secret {SECRET}"}),
        httpx.Response(500, text=SECRET),
        httpx.Response(200, text=f"<html>{SECRET}</html>"),
        httpx.ConnectError("refused"),
    ]
    for _ in range(4):
        tokens.invalidate("at-secret-1")
        with pytest.raises(Exception) as caught:
            await tokens.refresh()
        texts += [str(caught.value), repr(caught.value)]

    for text in texts:
        for secret in secrets:
            assert secret not in text, text
