"""Build a connection to ButterflyMX (or to the embedded simulator) from the settings.

Shared by the command line and the desk window, so both speak to the cloud the same way: one
``httpx.AsyncClient``, one token manager whose rotated refresh tokens go straight to the
keyring, and the API client on top.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import httpx

from bmx_console.api.auth import TokenManager
from bmx_console.api.client import BmxClient
from bmx_console.api.http import make_http_client
from bmx_console.clock import Clock, Sleep, SystemClock
from bmx_console.config import Settings
from bmx_console.errors import ConfigError, KeyringUnavailable
from bmx_console.logs import register_secret
from bmx_console.secrets import SecretStore

if TYPE_CHECKING:
    from bmx_console.sim.cloud import Cloud

log = logging.getLogger(__name__)
DEMO_API_BASE = "https://demo.bmx-console.invalid"


@dataclass
class Connection:
    settings: Settings
    client: BmxClient
    tokens: TokenManager
    cloud: Cloud | None = None

    @property
    def demo(self) -> bool:
        return self.cloud is not None

    async def aclose(self) -> None:
        await self.client.aclose()


def demo_cloud(*, event_rate_per_min: float = 10.0, call_rate_per_min: float = 1.0) -> Cloud:
    from bmx_console.sim.cloud import Cloud

    return Cloud(event_rate_per_min=event_rate_per_min, call_rate_per_min=call_rate_per_min)


def demo_settings(settings: Settings, cloud: Cloud) -> Settings:
    """The user's settings pointed at the in-process simulator, with the demo credentials."""
    from bmx_console.sim.cloud import DEMO_CLIENT_ID

    building = (
        settings.building_id if settings.building_id in {b["id"] for b in cloud.buildings} else None
    )
    return replace(
        settings,
        client_id=DEMO_CLIENT_ID,
        api_base=DEMO_API_BASE,
        token_url=f"{DEMO_API_BASE}/oauth/token",
        building_id=building,
        release_tenant_id=cloud.front_desk_tenant_id(building),
        # Each building's own front desk, so that the demo releases in all of them.
        release_tenants=tuple(sorted(cloud.front_desk_tenant_ids().items())),
        events_interval=min(settings.events_interval or 3_000, 3_000),
        calls_interval=min(settings.calls_interval or 5_000, 5_000),
    )


def connect(
    settings: Settings,
    secrets: SecretStore,
    *,
    cloud: Cloud | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    clock: Clock | None = None,
    sleep: Sleep | None = None,
) -> Connection:
    """A ready (not yet signed-in) connection; ``cloud`` selects the in-process simulator.
    ``sleep`` is how the client waits between retries (tests compress Retry-After with it)."""
    clock = clock or SystemClock()
    if cloud is not None:
        from bmx_console.sim.cloud import DEMO_CLIENT_SECRET
        from bmx_console.sim.transport import in_process_transport

        settings = demo_settings(settings, cloud)
        transport = in_process_transport(cloud)
        client_secret: str | None = DEMO_CLIENT_SECRET
        refresh_token = None
    else:
        if not settings.client_id:
            raise ConfigError(
                "client_id is not set: run `bmx-console` and open Settings, set BMX_CLIENT_ID, "
                "or try the simulator with --demo"
            )
        client_secret = secrets.client_secret(settings.client_id)
        # Client credentials need no saved sign-in: skip the keyring round-trip for it.
        refresh_token = (
            None if client_secret else secrets.refresh_token(settings.client_id, settings.token_url)
        )

    register_secret(client_secret)
    register_secret(refresh_token)

    def store_refresh_token(token: str | None) -> None:
        register_secret(token)
        if cloud is None:
            try:
                secrets.set_refresh_token(settings.client_id, settings.token_url, token)
            except KeyringUnavailable as exc:
                # This session keeps working; only the next start will need a new sign-in.
                # Raised on, so that the token manager knows (and says) it was not saved.
                log.warning("%s", exc)
                raise

    http = make_http_client(timeout_s=settings.request_timeout / 1000, transport=transport)
    tokens = TokenManager(
        http,
        token_url=settings.token_url,
        client_id=settings.client_id,
        client_secret=client_secret,
        refresh_token=refresh_token,
        on_refresh_token=store_refresh_token,
        clock=clock,
    )
    client = BmxClient(
        http, tokens, api_base=settings.api_base, clock=clock, sleep=sleep or asyncio.sleep
    )
    return Connection(settings=settings, client=client, tokens=tokens, cloud=cloud)
