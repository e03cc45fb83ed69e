"""Short-lived connection checks, and the GEM commands over a running connection.

``make_probes`` builds the checks that the settings dialog and the first-run wizard run before
anything is saved: each opens its own connection from the settings being edited and closes it
afterwards, so a typo never disturbs the desk's running connection. The dialogs get these
callables from the composition root; they never import the keyring or the network stack.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from bmx_console.api.models import Building, Tenant
from bmx_console.clock import Clock
from bmx_console.config import Settings
from bmx_console.connect import Connection, connect
from bmx_console.core.commands import Command, CommandTarget, driver_commands
from bmx_console.errors import ConfigError
from bmx_console.secrets import SecretStore

if TYPE_CHECKING:
    import httpx

    from bmx_console.core.store import Store

T = TypeVar("T")


def commands_for(
    conn: Connection, store: Store | None = None, *, clock: Clock | None = None
) -> dict[str, Command]:
    """The GEM driver's commands over ``conn`` (the desk passes its store for get_status)."""
    target = CommandTarget(
        client=conn.client,
        tokens=conn.tokens,
        api_base=conn.settings.api_base,
        building_id=conn.settings.building_id,
        release_tenant_id=conn.settings.release_tenant_id,
        demo=conn.demo,
    )
    return driver_commands(target, store, clock=clock)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


TransportFactory = Callable[[], "httpx.AsyncBaseTransport"]


@dataclass(frozen=True)
class Probes:
    """What the settings dialog and the wizard call; each opens and closes its own connection.

    ``secret`` is the client secret being typed (not yet stored), or ``None`` to use what the
    keyring (or BMX_CLIENT_SECRET) holds, including a sign-in saved there.
    """

    test_connection: Callable[[Settings, str | None], Awaitable[str]]
    list_buildings: Callable[[Settings, str | None], Awaitable[list[Building]]]
    list_tenants: Callable[[Settings, str | None, int | None], Awaitable[list[Tenant]]]
    # A connection for the paste-code sign-in; its refresh token goes to the keyring. The
    # caller closes it (``await conn.aclose()``) when the sign-in is over.
    sign_in_connection: Callable[[Settings], Connection]


def make_probes(
    secrets: SecretStore,
    *,
    transport: TransportFactory | None = None,
    clock: Clock | None = None,
) -> Probes:
    """Probes over real HTTP (or over ``transport()``, a fresh transport per connection)."""

    def open_connection(settings: Settings, secret: str | None = None) -> Connection:
        conn = connect(settings, secrets, transport=transport() if transport else None, clock=clock)
        if secret:
            conn.tokens.set_client_secret(secret)
        return conn

    async def with_connection(
        settings: Settings, secret: str | None, work: Callable[[Connection], Awaitable[T]]
    ) -> T:
        conn = open_connection(settings, secret)
        try:
            return await work(conn)
        finally:
            await conn.aclose()

    async def test_connection(settings: Settings, secret: str | None) -> str:
        async def check(conn: Connection) -> str:
            buildings = await conn.client.buildings()
            scope = settings.building_id
            if scope is not None:
                chosen = next((b for b in buildings if b.id == scope), None)
                if chosen is None:
                    visible = ", ".join(f"{b.name} ({b.id})" for b in buildings[:5]) or "none"
                    raise ConfigError(
                        f"building_id {scope} is not visible to these credentials (they see: "
                        f"{visible}); pick one of those, or leave building_id empty for all "
                        "buildings."
                    )
                doors = await conn.client.doors(scope)
                return f"Connected: {chosen.name}, {_plural(len(doors), 'door', 'doors')} visible"
            doors = await conn.client.doors(None)
            return (
                f"Connected: {_plural(len(buildings), 'building', 'buildings')}, "
                f"{_plural(len(doors), 'door', 'doors')} visible"
            )

        return await with_connection(settings, secret, check)

    async def list_buildings(settings: Settings, secret: str | None) -> list[Building]:
        async def fetch(conn: Connection) -> list[Building]:
            return sorted(await conn.client.buildings(), key=lambda b: b.name.casefold())

        return await with_connection(settings, secret, fetch)

    async def list_tenants(
        settings: Settings, secret: str | None, building_id: int | None
    ) -> list[Tenant]:
        async def fetch(conn: Connection) -> list[Tenant]:
            tenants = await conn.client.tenants(building_id)
            return sorted(tenants, key=lambda t: (t.name.casefold(), t.id))

        return await with_connection(settings, secret, fetch)

    return Probes(
        test_connection=test_connection,
        list_buildings=list_buildings,
        list_tenants=list_tenants,
        sign_in_connection=open_connection,
    )
