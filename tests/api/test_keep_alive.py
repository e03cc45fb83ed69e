"""Connections kept alive between polls, over a real loopback simulator: the polls reuse one
connection instead of a handshake each, and a release that loses such a connection is still
never sent twice.

httpcore times idle connections with ``time.monotonic()``; the tests move that clock (only
for httpcore's connections module) instead of waiting out the intervals.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpcore._async.http11 as httpcore_http11
import httpx
import pytest

from bmx_console.api.auth import TokenManager
from bmx_console.api.client import BmxClient
from bmx_console.api.http import KEEPALIVE_EXPIRY_S, make_http_client
from bmx_console.errors import NetworkError
from bmx_console.sim.cloud import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Cloud
from bmx_console.sim.server import IDLE_TIMEOUT_S, SimServer

CALLS_INTERVAL_S = 10.0


class PoolClock:
    """httpcore's monotonic clock, ``offset`` seconds ahead of the real one."""

    def __init__(self) -> None:
        self.offset = 0.0

    def monotonic(self) -> float:
        return time.monotonic() + self.offset


@pytest.fixture
def pool_clock(monkeypatch: pytest.MonkeyPatch) -> PoolClock:
    clock = PoolClock()
    # Fails loudly, rather than passing without effect, if httpcore stops timing this way.
    monkeypatch.setattr(httpcore_http11, "time", clock)
    return clock


@pytest.fixture(scope="module")
def sim() -> Iterator[SimServer]:
    with SimServer(Cloud(event_rate_per_min=0, call_rate_per_min=0)) as server:
        yield server


class Connections:
    """The local port of the connection each answer came over: one port, one connection."""

    def __init__(self) -> None:
        self.ports: list[int] = []
        self.last: Any = None

    async def __call__(self, response: httpx.Response) -> None:
        self.last = response.extensions["network_stream"]
        self.ports.append(self.last.get_extra_info("client_addr")[1])

    @property
    def opened(self) -> int:
        return len(set(self.ports))


async def no_wait(_seconds: float) -> None:
    return None


@pytest.fixture
def connections() -> Connections:
    return Connections()


@pytest.fixture
async def client(sim: SimServer, connections: Connections) -> AsyncIterator[BmxClient]:
    sim.cloud.faults.clear()
    http = make_http_client(timeout_s=5)
    http.event_hooks["response"].append(connections)
    tokens = TokenManager(
        http,
        token_url=sim.token_url,
        client_id=DEMO_CLIENT_ID,
        client_secret=DEMO_CLIENT_SECRET,
    )
    client = BmxClient(http, tokens, api_base=sim.base_url, sleep=no_wait)
    yield client
    await client.aclose()
    sim.cloud.faults.clear()


async def test_two_polls_ten_seconds_apart_go_over_one_connection(
    sim: SimServer, client: BmxClient, connections: Connections, pool_clock: PoolClock
) -> None:
    building = sim.cloud.buildings[0]["id"]
    await client.calls(building)
    pool_clock.offset += CALLS_INTERVAL_S
    await client.calls(building)

    assert len(connections.ports) >= 3, "a token and two polls"
    assert connections.opened == 1
    # The simulator keeps an idle connection longer than the client does, so it is never
    # the one that closes it between two polls.
    assert IDLE_TIMEOUT_S > KEEPALIVE_EXPIRY_S

    # After a longer silence the client starts afresh (and the clock moved above is the
    # one it goes by).
    pool_clock.offset += KEEPALIVE_EXPIRY_S + 1
    await client.calls(building)
    assert connections.opened == 2


async def test_a_release_whose_kept_alive_connection_drops_is_not_sent_again(
    sim: SimServer, client: BmxClient, connections: Connections, pool_clock: PoolClock
) -> None:
    await client.buildings()
    kept_alive = connections.last.get_extra_info("socket")
    pool_clock.offset += CALLS_INTERVAL_S
    sim.cloud.faults.add("/v4/door_release_requests", drop=True, times=1)
    door = sim.cloud.doors[0]["id"]

    with pytest.raises(NetworkError) as caught:
        await client.release_door(door, sim.cloud.front_desk_tenant_id())

    assert caught.value.sent is True
    assert "may still have gone through" in str(caught.value)
    # Once: the fault drops only the first, so a resend would have been answered.
    assert sim.cloud.request_count("/v4/door_release_requests") == 1
    assert sim.cloud.releases == []
    assert kept_alive.fileno() == -1, "the release went out over the kept-alive connection"
