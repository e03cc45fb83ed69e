"""Fixtures for the simulator's tests: a cloud on a FakeClock, an in-process client that is
signed in, and one loopback server per module (faults cleared after every test)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from bmx_console.clock import FakeClock
from bmx_console.sim.cloud import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Cloud
from bmx_console.sim.server import SimServer
from bmx_console.sim.transport import in_process_transport
from tests.support import SHARED, require_or_skip

CONTRACT_PATH = SHARED / "docs" / "bmx-openapi.json"
BASE = "http://bmx-sim.test"


def load_contract() -> dict[str, Any]:
    """The published contract; CI has ../shared beside the clone, so there it must exist."""
    require_or_skip(
        CONTRACT_PATH.exists(), f"the contract is not beside the repository: {CONTRACT_PATH}"
    )
    contract: dict[str, Any] = json.loads(CONTRACT_PATH.read_text())
    return contract


def contract_or_none() -> dict[str, Any] | None:
    """For parametrizing at collection time, where a skip is not possible yet: a test
    parametrized from ``None`` must still take the ``contract`` fixture, which then skips
    or, in CI, fails."""
    if not CONTRACT_PATH.exists():
        return None
    contract: dict[str, Any] = json.loads(CONTRACT_PATH.read_text())
    return contract


def client_credentials() -> dict[str, str]:
    return {
        "grant_type": "client_credentials",
        "client_id": DEMO_CLIENT_ID,
        "client_secret": DEMO_CLIENT_SECRET,
    }


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def cloud(clock: FakeClock) -> Cloud:
    # No live traffic unless a test asks for it: what a test sees is what it made.
    return Cloud(clock=clock, event_rate_per_min=0, call_rate_per_min=0)


@pytest.fixture
async def anon(cloud: Cloud) -> AsyncIterator[httpx.AsyncClient]:
    """An in-process client without a token."""
    async with httpx.AsyncClient(transport=in_process_transport(cloud), base_url=BASE) as client:
        yield client


@pytest.fixture
async def public(cloud: Cloud) -> AsyncIterator[httpx.AsyncClient]:
    """Another in-process client that never signs in: snapshot and QR links, /_sim/ routes."""
    async with httpx.AsyncClient(transport=in_process_transport(cloud), base_url=BASE) as client:
        yield client


@pytest.fixture
async def api(anon: httpx.AsyncClient) -> httpx.AsyncClient:
    """The same client, signed in with the demo client credentials."""
    reply = await anon.post("/oauth/token", data=client_credentials())
    assert reply.status_code == 200, reply.text
    anon.headers["Authorization"] = f"Bearer {reply.json()['access_token']}"
    return anon


@pytest.fixture(scope="module")
def server() -> Iterator[SimServer]:
    with SimServer(Cloud(event_rate_per_min=0, call_rate_per_min=0)) as sim:
        yield sim


@pytest.fixture
def sim(server: SimServer) -> Iterator[SimServer]:
    """The module's loopback server, with no fault left over from another test."""
    server.cloud.faults.clear()
    yield server
    server.cloud.faults.clear()


@pytest.fixture
async def remote(sim: SimServer) -> AsyncIterator[httpx.AsyncClient]:
    """A signed-in client of the loopback server."""
    async with httpx.AsyncClient(base_url=sim.base_url, timeout=5.0) as client:
        reply = await client.post("/oauth/token", data=client_credentials())
        assert reply.status_code == 200, reply.text
        client.headers["Authorization"] = f"Bearer {reply.json()['access_token']}"
        yield client
