"""Visitor and delivery passes against the simulator (in-process and over loopback) and with
respx, checking what the cloud receives byte for byte where it matters."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from bmx_console.api.auth import TokenManager
from bmx_console.api.client import BmxClient
from bmx_console.api.http import make_http_client
from bmx_console.clock import FakeClock
from bmx_console.config import Settings
from bmx_console.connect import Connection, connect
from bmx_console.core.audit import ACTION_PASS_CREATE, ACTION_PASS_REVOKE, AuditLog
from bmx_console.core.passes import PassHalfDone, PassService, check_contact, delivery_door_ids
from bmx_console.errors import ConfigError, NotFound, WriteUnconfirmed
from bmx_console.logs import setup_logging
from bmx_console.secrets import SecretStore
from bmx_console.sim.cloud import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Cloud, CloudError
from bmx_console.sim.server import SimServer
from tests.support import quiet_cloud


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def cloud(clock: FakeClock) -> Cloud:
    return quiet_cloud(clock, seed=3)


@pytest.fixture
async def conn(cloud: Cloud, clock: FakeClock) -> AsyncIterator[Connection]:
    connection = connect(Settings(), SecretStore(), cloud=cloud, clock=clock)
    yield connection
    await connection.aclose()


@pytest.fixture
def audit(tmp_path: Path, clock: FakeClock) -> Iterator[AuditLog]:
    log = AuditLog(tmp_path / "audit.sqlite3", clock=clock)
    yield log
    log.close()


def service(
    conn: Connection,
    cloud: Cloud,
    clock: FakeClock,
    audit: AuditLog | None,
    notes: Path | None,
    *,
    max_hours: int = 24,
) -> PassService:
    return PassService(
        conn.client,
        tenant_id=cloud.front_desk_tenant_id(),
        max_hours=max_hours,
        audit=audit,
        operator=lambda: "dana",
        clock=clock,
        local_store_path=notes,
    )


@pytest.fixture
def passes(
    conn: Connection, cloud: Cloud, clock: FakeClock, audit: AuditLog, tmp_path: Path
) -> PassService:
    return service(conn, cloud, clock, audit, tmp_path / "data" / "passes.json")


def building_doors(cloud: Cloud) -> list[dict[str, Any]]:
    building = cloud.buildings[0]["id"]
    return [d for d in cloud.doors if d["building_id"] == building]


async def test_visitor_pass_is_a_keychain_for_the_desk_on_every_door_with_one_key(
    passes: PassService, cloud: Cloud, clock: FakeClock
) -> None:
    made = await passes.create_visitor_pass("Ana Lima", hours=4)

    keychain = cloud.keychain(made.id)
    assert keychain["tenant_id"] == cloud.front_desk_tenant_id()
    assert keychain["type"] == "custom_keychain"
    assert sorted(keychain["access_point_ids"]) == sorted(d["id"] for d in building_doors(cloud))
    assert keychain["starts_at"] == clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    assert keychain["ends_at"] == (clock.now() + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M:%SZ")
    keys = [k for k in cloud.virtual_keys if k["keychain_id"] == made.id]
    assert len(keys) == 1
    # Nothing was sent to anyone by ButterflyMX.
    assert (keys[0]["email"], keys[0]["sms_number"], keys[0]["sent_at"]) == (None, None, None)
    assert made.pin == keys[0]["pin_code"] and len(made.pin) == 6
    assert made.link is not None and made.link.endswith(keys[0]["qr_code_url"])
    assert (made.name, made.kind, made.uses) == ("Ana Lima", "visitor", 0)
    assert made.pin not in repr(made)


async def test_chosen_doors_and_a_later_start(
    passes: PassService, cloud: Cloud, clock: FakeClock
) -> None:
    doors = building_doors(cloud)
    chosen = [doors[1]["id"], doors[0]["id"]]
    start = clock.now() + timedelta(days=1)
    made = await passes.create_visitor_pass("Ben", hours=2, start=start, door_ids=chosen)
    keychain = cloud.keychain(made.id)
    assert keychain["access_point_ids"] == chosen
    assert made.starts_at == start and made.ends_at == start + timedelta(hours=2)


@pytest.mark.parametrize("hours", [25, 0, -1, 24.5])
async def test_hours_beyond_the_property_limit_are_refused_before_anything_is_sent(
    passes: PassService, cloud: Cloud, hours: float
) -> None:
    before = cloud.request_count("/v4/keychains", "POST")
    with pytest.raises(ConfigError) as caught:
        await passes.create_visitor_pass("Ana", hours=hours)
    assert "at most 24 h" in str(caught.value)
    assert "pass_max_hours" in str(caught.value)
    assert caught.value.exit_code == 2
    assert cloud.request_count("/v4/keychains", "POST") == before


async def test_the_limit_is_the_property_setting(
    conn: Connection, cloud: Cloud, clock: FakeClock
) -> None:
    passes = service(conn, cloud, clock, None, None, max_hours=72)
    made = await passes.create_visitor_pass("Long stay", hours=72)
    assert made.ends_at == clock.now() + timedelta(hours=72)
    with pytest.raises(ConfigError, match="at most 72 h"):
        await passes.create_visitor_pass("Too long", hours=73)


async def test_bad_name_door_start_or_contact_are_refused_with_a_sentence(
    passes: PassService, clock: FakeClock
) -> None:
    with pytest.raises(ConfigError, match="needs a name"):
        await passes.create_visitor_pass("   ", hours=1)
    with pytest.raises(ConfigError, match="not a door of this building: 999"):
        await passes.create_visitor_pass("Ana", hours=1, door_ids=[999])
    with pytest.raises(ConfigError, match="in the past"):
        await passes.create_visitor_pass("Ana", hours=1, start=clock.now() - timedelta(hours=1))
    with pytest.raises(ConfigError, match="neither a phone number nor an email"):
        await passes.create_visitor_pass("Ana", hours=1, contact="call me")


def test_contact_accepts_phone_numbers_and_emails() -> None:
    assert check_contact(" +1 (555) 010-0199 ") == "+1 (555) 010-0199"
    assert check_contact("ana@example.com") == "ana@example.com"
    assert check_contact("") is None
    with pytest.raises(ConfigError):
        check_contact("12345")


async def test_contact_is_kept_only_in_the_local_notes_never_with_the_pin(
    passes: PassService, cloud: Cloud, tmp_path: Path
) -> None:
    made = await passes.create_visitor_pass("Ana Lima", hours=3, contact="ana@example.com")
    assert made.contact == "ana@example.com"
    stored = (tmp_path / "data" / "passes.json").read_text()
    assert "ana@example.com" in stored and str(made.id) in stored
    assert made.pin is not None and made.pin not in stored
    assert (tmp_path / "data" / "passes.json").stat().st_mode & 0o077 == 0
    assert all(k["email"] is None for k in cloud.virtual_keys if k["keychain_id"] == made.id)
    [listed] = [p for p in await passes.active_passes() if p.id == made.id]
    assert listed.contact == "ana@example.com"


async def test_delivery_pass_in_one_step_with_the_key_the_cloud_made(
    passes: PassService, cloud: Cloud
) -> None:
    before = cloud.request_count("/v4/virtual_keys", "POST")
    made = await passes.create_delivery_pass("DoorDash")
    assert made.kind == "delivery"
    assert cloud.keychain(made.id)["type"] == "delivery_pass"
    [key] = [k for k in cloud.virtual_keys if k["keychain_id"] == made.id]
    assert made.pin == key["pin_code"]
    # The cloud made the key with the pass: the console did not add a second one.
    assert cloud.request_count("/v4/virtual_keys", "POST") == before


async def test_key_failure_says_the_pass_is_half_done_and_cleanup_deletes_it(
    passes: PassService, cloud: Cloud, audit: AuditLog
) -> None:
    cloud.faults.add("/v4/virtual_keys", status=500, times=1)
    with pytest.raises(PassHalfDone) as caught:
        await passes.create_visitor_pass("Ana", hours=2)
    half = caught.value
    assert f"keychain {half.keychain.id}" in str(half)
    assert "Delete the unfinished pass" in str(half)
    assert cloud.keychain(half.keychain.id)["virtual_key_ids"] == []
    # The key request is not repeated on its own: it may have gone through.
    assert cloud.request_count("/v4/virtual_keys", "POST") == 1

    await passes.revoke(half.keychain.id)
    assert half.keychain.id not in {k["id"] for k in cloud.keychains}
    outcomes = [(e.action, e.outcome) for e in audit.entries(newest_first=False)]
    assert outcomes == [(ACTION_PASS_CREATE, "half_done"), (ACTION_PASS_REVOKE, "revoked")]


async def test_active_list_has_usage_and_drops_passes_that_ended(
    passes: PassService, cloud: Cloud, clock: FakeClock
) -> None:
    short = await passes.create_visitor_pass("Short", hours=1)
    long = await passes.create_visitor_pass("Long", hours=8)
    listed = {p.id: p for p in await passes.active_passes()}
    assert set(listed) == {short.id, long.id}
    assert listed[long.id].uses == 0 and listed[long.id].first_used_at is None

    clock.advance(600)
    cloud.use_pass(long.id)
    listed = {p.id: p for p in await passes.active_passes()}
    assert listed[long.id].uses == 1
    assert listed[long.id].first_used_at == clock.now()
    assert listed[long.id].last_used_at == clock.now()

    clock.advance(3600)
    assert [p.id for p in await passes.active_passes()] == [long.id]


async def test_active_list_holds_only_the_desks_passes(passes: PassService, cloud: Cloud) -> None:
    desk = cloud.front_desk_tenant_id()
    residents = [k["id"] for k in cloud.keychains if k["tenant_id"] != desk]
    assert residents, "the simulator seeds residents' passes"
    made = await passes.create_visitor_pass("Ana", hours=1)
    assert [p.id for p in await passes.active_passes()] == [made.id]


async def test_revoke_deletes_the_keychain_and_is_audited_with_the_operator(
    passes: PassService, cloud: Cloud, audit: AuditLog, tmp_path: Path
) -> None:
    made = await passes.create_visitor_pass("Ana Lima", hours=2, contact="+1 555 010 0199")
    revoked = await passes.revoke(made.id)
    assert (revoked.keychain_id, revoked.name, revoked.audit_error) == (made.id, "Ana Lima", None)
    assert made.id not in {k["id"] for k in cloud.keychains}
    assert await passes.active_passes() == []
    assert "0199" not in (tmp_path / "data" / "passes.json").read_text()

    entries = audit.entries(newest_first=False)
    assert [(e.action, e.outcome, e.operator) for e in entries] == [
        (ACTION_PASS_CREATE, "created", "dana"),
        (ACTION_PASS_REVOKE, "revoked", "dana"),
    ]
    assert all(f"keychain {made.id}" in e.subject and "Ana Lima" in e.subject for e in entries)
    assert made.pin is not None and all(made.pin not in e.detail for e in entries)


async def test_revoking_an_unknown_pass_is_not_found_and_audited_as_failed(
    passes: PassService, audit: AuditLog
) -> None:
    with pytest.raises(NotFound, match="no pass with id 12345") as caught:
        await passes.revoke(12345)
    assert caught.value.exit_code == 4
    [entry] = audit.entries()
    assert (entry.action, entry.outcome) == (ACTION_PASS_REVOKE, "failed")


async def test_refused_creation_is_audited_as_failed(
    passes: PassService, cloud: Cloud, audit: AuditLog
) -> None:
    cloud.faults.add("/v4/keychains/custom", status=422, times=1)
    with pytest.raises(Exception, match="refused"):
        await passes.create_visitor_pass("Ana", hours=1)
    [entry] = audit.entries()
    assert (entry.action, entry.outcome, entry.operator) == (ACTION_PASS_CREATE, "failed", "dana")


async def test_no_release_tenant_is_a_clear_setting_error(
    conn: Connection, clock: FakeClock
) -> None:
    passes = PassService(conn.client, tenant_id=None, clock=clock)
    with pytest.raises(ConfigError, match="release_tenant_id is not set"):
        await passes.create_visitor_pass("Ana", hours=1)


async def test_pin_is_never_in_the_log_or_the_data_folder(
    conn: Connection, cloud: Cloud, clock: FakeClock, tmp_path: Path
) -> None:
    logs, data = tmp_path / "logs", tmp_path / "data"
    log_file = setup_logging(logs, level=logging.DEBUG)
    audit = AuditLog(data / "audit.sqlite3", clock=clock)
    try:
        passes = service(conn, cloud, clock, audit, data / "passes.json")
        made = await passes.create_visitor_pass("Ana", hours=2, contact="ana@example.com")
        await passes.active_passes()
        delivery = await passes.create_delivery_pass()
        await passes.revoke(made.id)
    finally:
        audit.close()
        for handler in logging.getLogger().handlers:
            handler.flush()
    assert "Made visitor pass" in log_file.read_text()
    pins = [made.pin, delivery.pin]
    assert all(pin and len(pin) == 6 for pin in pins)
    files = [p for folder in (logs, data) for p in folder.rglob("*") if p.is_file()]
    assert len(files) >= 3
    for path in files:
        content = path.read_bytes()
        for pin in pins:
            assert pin is not None and pin.encode() not in content, path


# --- over loopback ------------------------------------------------------------------------


async def test_create_list_use_and_revoke_over_loopback(tmp_path: Path) -> None:
    with SimServer(Cloud(seed=4, event_rate_per_min=0, call_rate_per_min=0)) as sim:
        http = make_http_client(timeout_s=5)
        tokens = TokenManager(
            http,
            token_url=sim.token_url,
            client_id=DEMO_CLIENT_ID,
            client_secret=DEMO_CLIENT_SECRET,
        )
        client = BmxClient(http, tokens, api_base=sim.base_url)
        try:
            passes = PassService(
                client,
                tenant_id=sim.cloud.front_desk_tenant_id(),
                local_store_path=tmp_path / "passes.json",
            )
            made = await passes.create_visitor_pass("Ana", hours=2)
            assert made.link is not None and made.link.startswith(sim.base_url)
            async with httpx.AsyncClient() as anonymous:
                qr = await anonymous.get(made.link)
            assert qr.status_code == 200 and qr.headers["content-type"] == "image/png"
            sim.cloud.use_pass(made.id)
            [listed] = await passes.active_passes()
            assert (listed.id, listed.uses) == (made.id, 1)
            assert listed.first_used_at is not None
            await passes.revoke(made.id)
            assert await passes.active_passes() == []
        finally:
            await client.aclose()


# --- request bodies, with respx -----------------------------------------------------------

API = "https://api.bmx.test"
TOKEN_URL = "https://accounts.bmx.test/oauth/token"


def _keychain(kid: int, **fields: Any) -> dict[str, Any]:
    return {
        "id": kid,
        "name": "Ana Lima",
        "type": "custom_keychain",
        "starts_at": "2026-11-21T14:00:00Z",
        "ends_at": "2026-11-21T18:00:00Z",
        "building_id": 10,
        "tenant_id": 77,
        "virtual_key_ids": [],
        "access_point_ids": [1, 2],
        **fields,
    }


@pytest.fixture
async def respx_client(clock: FakeClock) -> AsyncIterator[tuple[BmxClient, respx.MockRouter]]:
    with respx.mock(assert_all_called=False) as router:
        router.post(TOKEN_URL).mock(
            return_value=httpx.Response(
                200, json={"access_token": "a", "token_type": "Bearer", "expires_in": 86400}
            )
        )
        router.get(f"{API}/v4/access_points").mock(
            return_value=httpx.Response(
                200,
                json={
                    "data": [
                        {"id": 1, "name": "Main Entrance", "building_id": 10},
                        {"id": 2, "name": "Garage", "building_id": 10},
                    ],
                    "page_info": {"next_page": None},
                },
            )
        )
        http = make_http_client(timeout_s=5)
        tokens = TokenManager(
            http, token_url=TOKEN_URL, client_id="c", client_secret="s", clock=clock
        )
        client = BmxClient(http, tokens, api_base=API, clock=clock)
        yield client, router
        await client.aclose()


async def test_request_bodies_are_exactly_the_contracts(
    respx_client: tuple[BmxClient, respx.MockRouter], clock: FakeClock, tmp_path: Path
) -> None:
    client, router = respx_client
    created = router.post(f"{API}/v4/keychains/custom").mock(
        return_value=httpx.Response(201, json={"data": _keychain(500)})
    )
    key = router.post(f"{API}/v4/virtual_keys").mock(
        return_value=httpx.Response(
            201,
            json={
                "data": {
                    "id": 900,
                    "keychain_id": 500,
                    "name": "Ana Lima",
                    "pin_code": "468931",
                    "qr_code_url": "https://bmx.test/qr/900.png",
                    "usage_count": 0,
                }
            },
        )
    )
    passes = PassService(
        client,
        tenant_id=77,
        building_id=10,
        clock=clock,
        local_store_path=tmp_path / "passes.json",
    )
    made = await passes.create_visitor_pass(
        "  Ana   Lima ", hours=4, contact="+1 555 010 0199", door_ids=[2, 1]
    )
    assert json.loads(created.calls.last.request.content) == {
        "keychain": {
            "name": "Ana Lima",
            "tenant_id": 77,
            "starts_at": "2026-11-21T14:00:00Z",
            "ends_at": "2026-11-21T18:00:00Z",
            "access_point_ids": [2, 1],
        }
    }
    # The contract's virtual key body is bare (no wrapper, no extra properties); no email or
    # SMS number, so ButterflyMX sends nothing.
    assert json.loads(key.calls.last.request.content) == {"keychain_id": 500, "name": "Ana Lima"}
    for call in router.calls:
        assert b"0199" not in call.request.content
        assert b"recipients" not in call.request.content
    assert (made.pin, made.link) == ("468931", "https://bmx.test/qr/900.png")


async def test_delivery_and_revoke_requests(
    respx_client: tuple[BmxClient, respx.MockRouter], clock: FakeClock
) -> None:
    client, router = respx_client
    delivery = router.post(f"{API}/v4/keychains/delivery_pass").mock(
        return_value=httpx.Response(
            201, json={"data": _keychain(501, name="Delivery", type="delivery_pass")}
        )
    )
    router.get(f"{API}/v4/virtual_keys").mock(
        return_value=httpx.Response(
            200,
            json={
                "data": [{"id": 901, "keychain_id": 501, "pin_code": "319895"}],
                "page_info": {"next_page": None},
            },
        )
    )
    router.get(f"{API}/v4/keychains/501").mock(
        side_effect=[
            httpx.Response(200, json={"data": _keychain(501, name="Delivery")}),
            httpx.Response(404, json={"errors": [{"code": "not_found"}]}),
        ]
    )
    deleted = router.delete(f"{API}/v4/keychains/501").mock(return_value=httpx.Response(204))
    passes = PassService(client, tenant_id=77, building_id=10, clock=clock)
    made = await passes.create_delivery_pass()
    assert json.loads(delivery.calls.last.request.content) == {
        "keychain": {"name": "Delivery", "tenant_id": 77}
    }
    assert made.pin == "319895"
    await passes.revoke(501)
    assert deleted.call_count == 1


async def test_the_desks_delivery_pass_is_one_use_short_and_on_the_chosen_doors(
    passes: PassService, cloud: Cloud, clock: FakeClock, audit: AuditLog
) -> None:
    doors = await passes.doors()
    preset = delivery_door_ids(doors)
    assert sorted(d.name for d in doors if d.id in preset) == ["Lobby", "Package Room"]
    made = await passes.create_one_use_pass("UPS", hours=2, door_ids=preset)
    record = cloud.keychain(made.id)
    assert record["type"] == "one_time_keychain"
    assert sorted(record["access_point_ids"]) == sorted(preset)
    assert (made.ends_at - made.starts_at) == timedelta(hours=2)  # type: ignore[operator]
    assert made.kind == "delivery" and made.one_use and made.pin
    [entry] = [e for e in audit.entries() if e.action == ACTION_PASS_CREATE]
    assert entry.detail.startswith("one use; ")
    cloud.use_pass(made.id)
    with pytest.raises(CloudError):
        cloud.use_pass(made.id)


async def test_a_delivery_pass_longer_than_the_property_allows_is_refused_unsent(
    conn: Connection, cloud: Cloud, clock: FakeClock
) -> None:
    short = service(conn, cloud, clock, None, None, max_hours=3)
    before = cloud.request_count("/v4/keychains/one_time", "POST")
    with pytest.raises(ConfigError, match="at most 3 h"):
        await short.create_one_use_pass("UPS", hours=4, door_ids=[building_doors(cloud)[0]["id"]])
    assert cloud.request_count("/v4/keychains/one_time", "POST") == before


def test_form_defaults_never_exceed_the_longest_pass(conn: Connection, cloud: Cloud) -> None:
    capped = PassService(conn.client, tenant_id=1, max_hours=3, visitor_hours=6, delivery_hours=5)
    assert (capped.visitor_hours, capped.delivery_hours) == (3, 3)
    assert PassService(conn.client, tenant_id=1).visitor_hours == 4


async def test_the_building_of_the_passes_has_its_name_address_and_zone(
    passes: PassService, cloud: Cloud
) -> None:
    building = await passes.building()
    tenant = next(t for t in cloud.tenants if t["id"] == cloud.front_desk_tenant_id())
    record = next(b for b in cloud.buildings if b["id"] == tenant["building_id"])
    assert (building.name, building.time_zone) == (record["name"], record["time_zone"])
    assert building.address


@pytest.mark.parametrize(
    ("deleted", "read_back", "outcome"),
    [
        # A proxy's 502 after the cloud had deleted it: the read-back proves it gone.
        (httpx.Response(502), httpx.Response(404, json={"errors": []}), "revoked"),
        # An HTML page, and the pass is still there: it may still open doors.
        (httpx.Response(200, html="<html>Sign in</html>"), None, "unconfirmed"),
        (httpx.Response(202), None, "unconfirmed"),
        (httpx.Response(504), None, "unconfirmed"),
    ],
)
async def test_a_revoke_counts_only_when_the_pass_reads_back_as_gone(
    respx_client: tuple[BmxClient, respx.MockRouter],
    clock: FakeClock,
    audit: AuditLog,
    deleted: httpx.Response,
    read_back: httpx.Response | None,
    outcome: str,
) -> None:
    client, router = respx_client
    still_there = httpx.Response(200, json={"data": _keychain(501, name="Dog walker")})
    reads = router.get(f"{API}/v4/keychains/501").mock(
        side_effect=[still_there, read_back or still_there]
    )
    router.delete(f"{API}/v4/keychains/501").mock(return_value=deleted)
    passes = PassService(client, tenant_id=77, building_id=10, clock=clock, audit=audit)
    if outcome == "revoked":
        assert (await passes.revoke(501)).name == "Dog walker"
    else:
        with pytest.raises(WriteUnconfirmed) as caught:
            await passes.revoke(501)
        assert "The pass may still work" in str(caught.value)
        assert caught.value.exit_code != 0
    assert reads.call_count == 2
    entries = audit.entries(action=ACTION_PASS_REVOKE)
    assert [e.outcome for e in entries] == [outcome]
    if outcome == "unconfirmed":
        assert entries[0].detail.startswith("revoke unconfirmed")
