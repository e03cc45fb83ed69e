"""A store fed from the in-process simulator by hand, for widget tests that need real records
but not the whole desk: the real client over a transport that remembers every request."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
from pytestqt.qtbot import QtBot

from bmx_console.api.client import BmxClient
from bmx_console.api.models import Building
from bmx_console.clock import FakeClock
from bmx_console.core.directory import refresh_directory
from bmx_console.core.store import Store
from bmx_console.sim.cloud import Cloud
from bmx_console.sim.transport import in_process_transport
from tests.gui.desk_support import run
from tests.support import SIM_BASE, quiet_cloud, sim_client

BASE = SIM_BASE


class RecordingTransport(httpx.AsyncBaseTransport):
    """Passes requests to the simulator and remembers them, headers included."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@dataclass
class SimDeskBase:
    cloud: Cloud
    clock: FakeClock
    client: BmxClient
    transport: RecordingTransport
    store: Store = field(default_factory=Store)

    async def roster(self) -> list[Building]:
        """The pollers' roster round; returns the buildings for the per-building logs."""
        buildings = await self.client.buildings()
        self.store.set_roster(buildings, await self.client.doors(), await self.client.panels())
        return buildings

    async def sync(self) -> None:
        await self.roster()


class WithDirectory(SimDeskBase):
    """Mixed in before a desk: its roster round also loads the residents' directory."""

    async def roster(self) -> list[Building]:
        buildings = await super().roster()
        await refresh_directory(self.client, self.store, None)
        return buildings


D = TypeVar("D", bound=SimDeskBase)


def open_sim_desk(qtbot: QtBot, kind: type[D], **cloud_changes: Any) -> Iterator[D]:
    """A quiet seeded simulator on a fake clock (``cloud_changes`` go to ``quiet_cloud``),
    synced once; the client closed after."""
    clock = FakeClock()
    cloud = quiet_cloud(clock, **cloud_changes)
    transport = RecordingTransport(in_process_transport(cloud))
    # Retries of failed GETs advance the fake clock instead of waiting.
    client = sim_client(cloud, clock, transport=transport, sleep=clock.sleep)
    desk = kind(cloud=cloud, clock=clock, client=client, transport=transport)
    run(qtbot, desk.sync())
    yield desk
    run(qtbot, client.aclose())
