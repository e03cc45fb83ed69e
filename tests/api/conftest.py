"""Shared fixtures: a FakeClock, the real shared HTTP client, and respx in front of it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import respx

from bmx_console.api.auth import TokenManager
from bmx_console.api.client import BmxClient
from bmx_console.api.http import make_http_client
from bmx_console.clock import FakeClock

API = "https://api.bmx.test"
TOKEN_URL = "https://accounts.bmx.test/oauth/token"
SECRET = "s3cr3t-client-secret-value"


def token_reply(
    access: str = "access-1", *, expires_in: Any = 86_400, refresh: str | None = None
) -> httpx.Response:
    body: dict[str, Any] = {"access_token": access, "token_type": "Bearer", "scope": "public"}
    if expires_in is not None:
        body["expires_in"] = expires_in
    if refresh is not None:
        body["refresh_token"] = refresh
    return httpx.Response(200, json=body)


def page(data: list[Any], *, current: int = 1, next_page: int | None = None) -> dict[str, Any]:
    return {
        "data": data,
        "page_info": {"current_page": current, "next_page": next_page, "page_size": 100},
    }


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as mock:
        yield mock


@pytest.fixture
async def http(router: respx.MockRouter) -> AsyncIterator[httpx.AsyncClient]:
    client = make_http_client(timeout_s=5)
    yield client
    await client.aclose()


@pytest.fixture
def tokens(http: httpx.AsyncClient, clock: FakeClock) -> TokenManager:
    return TokenManager(
        http, token_url=TOKEN_URL, client_id="cid", client_secret=SECRET, clock=clock
    )


class Sleeps:
    """An injected ``sleep`` that records each delay and advances the clock instead."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        await self.clock.sleep(seconds)


@pytest.fixture
def sleeps(clock: FakeClock) -> Sleeps:
    return Sleeps(clock)


@pytest.fixture
def client(
    http: httpx.AsyncClient, tokens: TokenManager, clock: FakeClock, sleeps: Sleeps
) -> BmxClient:
    return BmxClient(http, tokens, api_base=API, sleep=sleeps, clock=clock)


@pytest.fixture
def token_route(router: respx.MockRouter) -> respx.Route:
    return router.post(TOKEN_URL).mock(return_value=token_reply())
