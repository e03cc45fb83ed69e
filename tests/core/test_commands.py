"""The GEM driver's commands and the settings probes, against the in-process simulator."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest

from bmx_console.api.models import Tenant
from bmx_console.config import Settings
from bmx_console.connect import Connection, connect
from bmx_console.core.commands import EVENT_LIMIT, suggest_release_tenant
from bmx_console.core.store import ReleaseStatus, Store
from bmx_console.errors import ConfigError, SignedOut, TokenRequestFailed
from bmx_console.probes import Probes, commands_for, make_probes
from bmx_console.secrets import SecretStore
from bmx_console.sim.cloud import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Cloud
from bmx_console.sim.transport import in_process_transport
from tests.support import MemoryKeyring

SIM = "https://sim.bmx.test"
SIM_SETTINGS = Settings(client_id=DEMO_CLIENT_ID, api_base=SIM, token_url=f"{SIM}/oauth/token")


@pytest.fixture
def cloud() -> Cloud:
    return Cloud()


@pytest.fixture
async def conn(cloud: Cloud, memory_keyring: MemoryKeyring) -> AsyncIterator[Connection]:
    connection = connect(Settings(), SecretStore(), cloud=cloud)
    yield connection
    await connection.aclose()


def probes_for(cloud: Cloud) -> tuple[SecretStore, Probes]:
    secrets = SecretStore()
    return secrets, make_probes(secrets, transport=lambda: in_process_transport(cloud))


async def test_get_doors_lists_every_door_with_its_building(conn: Connection, cloud: Cloud) -> None:
    rows = await commands_for(conn)["get_doors"]()
    buildings = {b["id"]: b["name"] for b in cloud.buildings}
    assert sorted(r["id"] for r in rows) == sorted(d["id"] for d in cloud.doors)
    for row in rows:
        assert row["building"] == buildings[row["building_id"]]
        assert isinstance(row["panel_ids"], list)


async def test_commands_follow_the_building_scope(cloud: Cloud, memory_keyring: object) -> None:
    building = cloud.buildings[1]
    conn = connect(Settings(building_id=building["id"]), SecretStore(), cloud=cloud)
    try:
        commands = commands_for(conn)
        assert [b["id"] for b in await commands["get_buildings"]()] == [building["id"]]
        doors = await commands["get_doors"]()
        panels = await commands["get_panels"]()
    finally:
        await conn.aclose()
    assert doors and {d["building_id"] for d in doors} == {building["id"]}
    assert panels and {p["building_id"] for p in panels} == {building["id"]}
    assert {p["type"] for p in panels} <= {p["type"] for p in cloud.panels}


async def test_get_events_walks_the_last_hour_newest_first(conn: Connection, cloud: Cloud) -> None:
    now = cloud.clock.now()
    old = cloud.add_event(logged_at=(now - timedelta(hours=3)).isoformat())
    first = cloud.add_event(logged_at=(now - timedelta(minutes=20)).isoformat(), name="Ada Park")
    last = cloud.add_event(logged_at=(now - timedelta(minutes=2)).isoformat())
    rows = await commands_for(conn)["get_events"]()
    ids = [r["id"] for r in rows]
    assert old["id"] not in ids
    assert ids.index(last["id"]) < ids.index(first["id"])
    assert len(rows) <= EVENT_LIMIT
    ada = rows[ids.index(first["id"])]
    assert ada["who"] == "Ada Park"
    assert ada["logged_at"].endswith("Z")
    door_names = {d["id"]: d["name"] for d in cloud.doors}
    assert ada["door"] == door_names[ada["door_id"]]


async def test_get_status_adds_what_the_desk_knows_about_each_door(
    conn: Connection, cloud: Cloud
) -> None:
    store = Store()
    door = cloud.doors[0]
    from bmx_console.api.models import Building, Door, Panel

    store.set_roster(
        [Building.from_api(b) for b in cloud.buildings],
        [Door.from_api(d) for d in cloud.doors],
        [Panel.from_api(p) for p in cloud.panels],
    )
    store.set_release_status({door["id"]: ReleaseStatus(state="released", released_until=1.0)})
    status = await commands_for(conn, store)["get_status"]()
    assert isinstance(status, dict)
    assert status["doors"] == len(cloud.doors)
    assert status["demo"] is True
    states = {row["id"]: row["state"] for row in status["door_roster"]}
    assert states[door["id"]] == "released"
    assert set(states.values()) == {"released", "idle"}


async def test_results_are_json_and_never_carry_a_token(conn: Connection) -> None:
    commands = commands_for(conn)
    refreshed = await commands["refresh_token"]()
    assert refreshed["token"] == "refreshed"
    assert refreshed["expires_at"].endswith("Z")
    access = await conn.tokens.access_token()
    dumped = json.dumps({name: await run() for name, run in commands.items()})
    assert access not in dumped
    assert DEMO_CLIENT_SECRET not in dumped


def tenant(tid: int, name: str, unit: str | None = None) -> Tenant:
    return Tenant(id=tid, name=name, building_id=1, unit_label=unit)


def test_the_front_desk_tenant_is_suggested_over_weaker_matches() -> None:
    tenants = [
        tenant(1, "Lobby Attendant"),
        tenant(2, "Desk Lamp Smith"),
        tenant(3, "Front Desk", "DESK"),
        tenant(4, "Ada Park", "4B"),
    ]
    assert suggest_release_tenant(tenants) == tenants[2]
    assert suggest_release_tenant([tenant(5, "Concierge"), tenant(6, "Lobby")]).id == 5  # type: ignore[union-attr]
    assert suggest_release_tenant([tenant(7, "Ada Park"), tenant(8, "Frontera Deskins")]) is None


async def test_test_connection_counts_buildings_and_doors(
    cloud: Cloud, memory_keyring: MemoryKeyring
) -> None:
    _, probes = probes_for(cloud)
    sentence = await probes.test_connection(SIM_SETTINGS, DEMO_CLIENT_SECRET)
    assert sentence == (
        f"Connected: {len(cloud.buildings)} buildings, {len(cloud.doors)} doors visible"
    )
    # A secret being tried out is not stored anywhere.
    assert memory_keyring.values == {}


async def test_test_connection_with_one_building_names_it(
    cloud: Cloud, memory_keyring: MemoryKeyring
) -> None:
    _, probes = probes_for(cloud)
    building = cloud.buildings[0]
    scoped = SIM_SETTINGS.with_changes(building_id=building["id"])
    sentence = await probes.test_connection(scoped, DEMO_CLIENT_SECRET)
    doors = [d for d in cloud.doors if d["building_id"] == building["id"]]
    assert sentence == f"Connected: {building['name']}, {len(doors)} doors visible"
    with pytest.raises(ConfigError, match="building_id 999999 is not visible"):
        await probes.test_connection(
            SIM_SETTINGS.with_changes(building_id=999999), DEMO_CLIENT_SECRET
        )


async def test_test_connection_reports_refused_credentials(
    cloud: Cloud, memory_keyring: MemoryKeyring
) -> None:
    _, probes = probes_for(cloud)
    cloud.faults.add("/oauth/token", status=401)
    with pytest.raises(TokenRequestFailed, match="client ID or client secret is wrong"):
        await probes.test_connection(SIM_SETTINGS, DEMO_CLIENT_SECRET)


async def test_test_connection_uses_the_stored_secret_when_none_is_typed(
    cloud: Cloud, memory_keyring: MemoryKeyring
) -> None:
    secrets, probes = probes_for(cloud)
    with pytest.raises(SignedOut, match="no client secret"):
        await probes.test_connection(SIM_SETTINGS, None)
    secrets.set_client_secret(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)
    assert (await probes.test_connection(SIM_SETTINGS, None)).startswith("Connected:")


async def test_list_tenants_of_one_building_includes_its_front_desk(
    cloud: Cloud, memory_keyring: MemoryKeyring
) -> None:
    _, probes = probes_for(cloud)
    building = cloud.buildings[0]["id"]
    tenants = await probes.list_tenants(SIM_SETTINGS, DEMO_CLIENT_SECRET, building)
    assert tenants and {t.building_id for t in tenants} == {building}
    suggested = suggest_release_tenant(tenants)
    assert suggested is not None and suggested.id == cloud.front_desk_tenant_id(building)
    buildings = await probes.list_buildings(SIM_SETTINGS, DEMO_CLIENT_SECRET)
    assert sorted(b.id for b in buildings) == sorted(b["id"] for b in cloud.buildings)


async def test_probe_connections_are_closed_after_use(
    cloud: Cloud, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed: list[bool] = []
    original = httpx.AsyncClient.aclose

    async def counting_close(self: httpx.AsyncClient) -> None:
        closed.append(True)
        await original(self)

    monkeypatch.setattr(httpx.AsyncClient, "aclose", counting_close)
    _, probes = probes_for(cloud)
    await probes.list_buildings(SIM_SETTINGS, DEMO_CLIENT_SECRET)
    cloud.faults.add("/v4/tenants", status=500)
    with pytest.raises(Exception, match="problem on its side"):
        await probes.list_tenants(SIM_SETTINGS, DEMO_CLIENT_SECRET, None)
    assert closed == [True, True]
