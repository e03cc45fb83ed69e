"""Pollers, store and release service with the real client against the in-process simulator."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bmx_console.api.client import BmxClient
from bmx_console.api.models import AccessEvent
from bmx_console.clock import FakeClock
from bmx_console.core.cursor import CursorFile, events_key
from bmx_console.core.pollers import Pollers
from bmx_console.core.release import ReleaseService
from bmx_console.core.store import Store, StoreListener
from bmx_console.sim.cloud import Cloud
from tests.support import quiet_cloud, sim_client

from .fakes import SteppedSleep


class EventWatch(StoreListener):
    """A store listener that lets a test await the events it expects."""

    def __init__(self) -> None:
        self.seen: list[AccessEvent] = []
        self._arrived = asyncio.Event()

    def events_added(self, events: list[AccessEvent]) -> None:
        self.seen.extend(events)
        self._arrived.set()

    async def until(self, expected: Callable[[AccessEvent], bool]) -> AccessEvent:
        async with asyncio.timeout(10):
            while True:
                found = next((e for e in self.seen if expected(e)), None)
                if found is not None:
                    return found
                self._arrived.clear()
                await self._arrived.wait()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def cloud(clock: FakeClock) -> Cloud:
    return quiet_cloud(clock)


@pytest.fixture
async def client(cloud: Cloud, clock: FakeClock) -> AsyncIterator[BmxClient]:
    client = sim_client(cloud, clock)
    yield client
    await client.aclose()


async def test_pollers_bring_the_simulator_roster_and_events_into_the_store(
    tmp_path: Path, cloud: Cloud, client: BmxClient, clock: FakeClock
) -> None:
    store = Store()
    watch = EventWatch()
    store.subscribe(watch)
    cursor = CursorFile(tmp_path / "cursor.json")
    sleep = SteppedSleep(clock)
    pollers = Pollers.create(client, store, cursor, clock=clock, sleep=sleep, jitter=lambda: 1.0)
    pollers.start()
    try:
        await asyncio.wait_for(pollers.ready(), 10)
        assert store.door_count() == len(cloud.doors)
        assert store.connection == "connected"
        hour_ago = clock.now().timestamp() - 3600
        assert all(e.logged_at.timestamp() >= hour_ago for e in store.events_newest_first())

        lobby = store.door_at(0)
        clock.advance(5)
        new_id = int(
            cloud.add_event(access_point=lobby.id, name="Zoe Quinn", release_type="Visitor")["id"]
        )
        pollers.poll_now("events")
        await watch.until(lambda e: e.id == new_id)
        row = store.door(lobby.id)
        assert row is not None
        assert (row.last_event, row.last_event_user) == ("Unlocked (Visitor)", "Zoe Quinn")
        assert cursor.get(events_key(lobby.building_id or 0)) == clock.now()

        # A release from the desk comes back through the access log as an unlock.
        releases = ReleaseService(
            client,
            store,
            tenant_id=cloud.front_desk_tenant_id(lobby.building_id),
            clock=clock,
            operator=lambda: "desk-1",
        )
        clock.advance(5)
        outcome = await releases.release(lobby.id)
        assert outcome.result == "released"
        assert len(cloud.releases) == 1
        pollers.poll_now("events")
        unlock = await watch.until(lambda e: e.logged_at == clock.now())
        assert (unlock.door_id, unlock.kind) == (lobby.id, "api")
        row = store.door(lobby.id)
        assert row is not None
        assert row.last_event_at == clock.now()
    finally:
        await pollers.stop()
