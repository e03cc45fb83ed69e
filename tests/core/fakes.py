"""Records, a fake cloud client and a listener that remembers what it was told."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from bmx_console.api.models import AccessEvent, Building, Call, Door, Panel, Release
from bmx_console.clock import FakeClock
from bmx_console.core.health import ConnectionState
from bmx_console.core.store import StoreListener

T0 = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def building(bid: int = 1, name: str = "Harbor View") -> Building:
    return Building(id=bid, name=name, time_zone="America/New_York")


def door(did: int, name: str | None = None, bid: int = 1) -> Door:
    return Door(id=did, name=name or f"Door {did}", building_id=bid, panel_ids=(100 + did,))


def event(
    eid: int,
    when: datetime,
    door_id: int | None = 1,
    *,
    bid: int = 1,
    actor: str | None = None,
    release_type: str | None = "Visitor",
) -> AccessEvent:
    return AccessEvent(
        id=eid,
        logged_at=when,
        building_id=bid,
        door_id=door_id,
        release_status="Unlocked",
        release_type=release_type,
        actor=actor,
    )


def call(cid: int, when: datetime, *, bid: int = 1, status: str | None = None) -> Call:
    return Call(id=cid, logged_at=when, building_id=bid, panel_id=101, status=status)


class Recorder(StoreListener):
    """A store listener that writes down every notification, in order."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, Any]] = []

    def named(self, name: str) -> list[Any]:
        return [args for method, args in self.seen if method == name]

    def doors_reset(self) -> None:
        self.seen.append(("doors_reset", None))

    def doors_changed(self, indexes: Sequence[int]) -> None:
        self.seen.append(("doors_changed", list(indexes)))

    def roster_changed(self) -> None:
        self.seen.append(("roster_changed", None))

    def events_added(self, events: Sequence[AccessEvent]) -> None:
        self.seen.append(("events_added", [e.id for e in events]))

    def events_dropped(self, count: int) -> None:
        self.seen.append(("events_dropped", count))

    def calls_added(self, calls: Sequence[Call]) -> None:
        self.seen.append(("calls_added", [c.id for c in calls]))

    def calls_changed(self, calls: Sequence[Call]) -> None:
        self.seen.append(("calls_changed", [c.id for c in calls]))

    def health_changed(self) -> None:
        self.seen.append(("health_changed", None))

    def connection_changed(self, state: ConnectionState) -> None:
        self.seen.append(("connection_changed", state))


class FakeCloud:
    """Stands in for ``BmxClient``: serves lists, honours ``since`` like the real cloud, and
    can be told to fail or hang on the next calls."""

    def __init__(self) -> None:
        self.buildings_list: list[Building] = [building()]
        self.doors_list: list[Door] = [door(1, "Lobby"), door(2, "Garage")]
        self.panels_list: list[Panel] = [Panel(id=101, name="Lobby panel", building_id=1)]
        self.events_list: list[AccessEvent] = []
        self.calls_list: list[Call] = []
        self.requests: list[tuple[str, Any]] = []
        self._requested = asyncio.Event()
        # method name -> queue of exceptions to raise on its next calls
        self.failures: dict[str, list[BaseException]] = {}
        self.hang: asyncio.Event | None = None
        self.release_result: Callable[[int, int], Release] = lambda d, t: Release(
            id=900 + d, guid=f"guid-{d}", tenant_id=t, door_id=d, release_method="api"
        )

    async def _enter(self, method: str, arg: Any) -> None:
        self.requests.append((method, arg))
        self._requested.set()
        if self.hang is not None:
            await self.hang.wait()
        queue = self.failures.get(method)
        if queue:
            raise queue.pop(0)

    async def until_requests(self, count: int) -> None:
        """Wait until ``count`` requests in all have been made."""
        async with asyncio.timeout(5):
            while len(self.requests) < count:
                self._requested.clear()
                await self._requested.wait()

    def fail(self, method: str, *errors: BaseException) -> None:
        self.failures.setdefault(method, []).extend(errors)

    def calls_to(self, method: str) -> list[Any]:
        return [arg for name, arg in self.requests if name == method]

    async def buildings(self) -> list[Building]:
        await self._enter("buildings", None)
        return list(self.buildings_list)

    async def doors(self, building_id: int | None = None) -> list[Door]:
        await self._enter("doors", building_id)
        return list(self.doors_list)

    async def panels(self, building_id: int | None = None) -> list[Panel]:
        await self._enter("panels", building_id)
        return list(self.panels_list)

    async def access_events(
        self, building_id: int, since: datetime | None = None
    ) -> list[AccessEvent]:
        await self._enter("access_events", (building_id, since))
        return sorted(
            (
                e
                for e in self.events_list
                if e.building_id == building_id and (since is None or e.logged_at >= since)
            ),
            key=lambda e: (e.logged_at, e.id),
        )

    async def calls(self, building_id: int, since: datetime | None = None) -> list[Call]:
        await self._enter("calls", (building_id, since))
        return sorted(
            (
                c
                for c in self.calls_list
                if c.building_id == building_id and (since is None or c.logged_at >= since)
            ),
            key=lambda c: (c.logged_at, c.id),
        )

    async def release_door(self, door_id: int, tenant_id: int) -> Release:
        await self._enter("release_door", (door_id, tenant_id))
        return self.release_result(door_id, tenant_id)


class SteppedSleep:
    """An injectable ``sleep`` that records each requested delay, moves the fake clock by
    it, and lets the loop go only as many times as the test allows; then it blocks until
    ``allow`` is called again. Tests wait on ``delays`` growing instead of real time."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.delays: list[float] = []
        self._budget = 0
        self._changed = asyncio.Event()

    def allow(self, count: int = 1) -> None:
        self._budget += count
        self._changed.set()

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        self._changed.set()
        while self._budget <= 0:
            self._changed.clear()
            await self._changed.wait()
        self._budget -= 1
        self.clock.advance(seconds)

    async def until_sleeping(self, count: int) -> None:
        """Wait until the loop has asked to sleep ``count`` times in all."""
        async with asyncio.timeout(5):
            while len(self.delays) < count:
                self._changed.clear()
                await self._changed.wait()
