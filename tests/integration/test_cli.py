"""The command line, run as a user runs it, against the simulator over loopback."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bmx_console.config import Settings, save_settings
from bmx_console.sim.cloud import Cloud
from bmx_console.sim.server import SimServer
from tests.integration.cli_support import cli_env, run_cli, sim_args
from tests.support import Child, wait_for


@pytest.fixture
def server() -> Iterator[SimServer]:
    with SimServer(Cloud(seed=11)) as sim:
        yield sim


def test_doors_lists_every_door_of_the_simulator(server: SimServer) -> None:
    result = run_cli([*sim_args(server), "doors", "--json"])
    assert result.code == 0, result.err
    doors = json.loads(result.out)
    assert {d["id"] for d in doors} == {d["id"] for d in server.cloud.doors}
    assert all(d["name"] and d["building"] for d in doors)


def test_doors_table_is_aligned_and_readable(server: SimServer) -> None:
    result = run_cli([*sim_args(server), "doors"])
    assert result.code == 0, result.err
    header, *rows = result.out.splitlines()
    assert header.split()[:3] == ["ID", "NAME", "BUILDING"]
    name_column = header.index("NAME")
    assert all(row[name_column - 1] == " " for row in rows)
    assert len(rows) == len(server.cloud.doors)


def test_building_scope_limits_the_doors(server: SimServer) -> None:
    building = server.cloud.buildings[0]["id"]
    result = run_cli([*sim_args(server), "--building", str(building), "doors", "--json"])
    assert result.code == 0, result.err
    assert {d["building_id"] for d in json.loads(result.out)} == {building}


def test_unlock_releases_exactly_once_for_the_configured_tenant(server: SimServer) -> None:
    cloud = server.cloud
    door = cloud.doors[3]
    tenant = cloud.front_desk_tenant_id(door["building_id"])
    result = run_cli([*sim_args(server, tenant=tenant), "unlock", str(door["id"])])
    assert result.code == 0, result.err
    assert door["name"] in result.out
    releases = cloud.releases
    assert len(releases) == 1
    body = releases[0]["request"]["door_release_request"]
    assert body == {"tenant_id": tenant, "access_point_id": door["id"]}


def test_open_is_an_alias_of_unlock(server: SimServer) -> None:
    door = server.cloud.doors[0]
    tenant = server.cloud.front_desk_tenant_id(door["building_id"])
    assert run_cli([*sim_args(server, tenant=tenant), "open", str(door["id"])]).code == 0
    assert len(server.cloud.releases) == 1


def test_unknown_address_is_not_found_and_nothing_is_released(server: SimServer) -> None:
    result = run_cli([*sim_args(server, tenant=1), "unlock", "999999"])
    assert result.code == 4
    assert "no door with address '999999'" in result.err
    assert server.cloud.releases == []


def test_events_has_no_duplicates_over_polls_when_the_filter_is_ignored(
    server: SimServer,
) -> None:
    cloud = server.cloud
    save_settings(Settings(events_interval=1_000))
    cloud.faults.add("/v4/buildings/*/access_logs", ignore_filters=True)
    with Child(
        [sys.executable, "-m", "bmx_console", *sim_args(server), "events", "--follow", "--json"],
        timeout=20,
        env=cli_env(),
    ) as events:
        events.line_where(lambda line: line.rstrip() == "]", "closing the first batch")
        seen = [e["id"] for e in json.loads("\n".join(events.seen))]
        door = cloud.doors[0]["id"]
        for round_ in range(2):
            added = cloud.add_event(access_point=door, name=f"Courier {round_}")
            while True:
                event = json.loads(events.line())
                seen.append(event["id"])
                if event["id"] == added["id"]:
                    break
        assert len(seen) == len(set(seen)), "an event was printed twice"


@pytest.mark.parametrize(
    ("route", "fault", "command", "code", "sentence"),
    [
        (
            "/oauth/token",
            {"status": 401},
            ["doors"],
            3,
            "ButterflyMX refused the desk's credentials: the client ID or client secret is "
            "wrong, or the account lacks API scope. Have new ones issued in the ButterflyMX "
            "portal. (HTTP 401 on /oauth/token)",
        ),
        ("/v4/access_points", {"status": 403}, ["doors"], 3, "door-read scope"),
        (
            "/v4/door_release_requests",
            {"status": 404},
            ["unlock", "DOOR"],
            4,
            "the release service changed for this contract",
        ),
        (
            "/v4/access_points",
            {"status": 429, "retry_after": "1"},
            ["doors"],
            5,
            "asks the desk to slow down",
        ),
        ("/v4/access_points", {"status": 503}, ["doors"], 5, "HTTP 503"),
        ("/v4/door_release_requests", {"status": 500}, ["unlock", "DOOR"], 5, "HTTP 500"),
        ("/v4/access_points", {"body": "html"}, ["doors"], 5, "Something other than"),
        ("/v4/access_points", {"body": "malformed"}, ["doors"], 5, "Something other than"),
        ("/v4/access_points", {"drop": True}, ["doors"], 5, "ButterflyMX"),
    ],
)
def test_each_fault_gives_its_sentence_and_exit_code(
    server: SimServer, route: str, fault: dict, command: list[str], code: int, sentence: str
) -> None:
    cloud = server.cloud
    door = cloud.doors[0]
    command = [str(door["id"]) if part == "DOOR" else part for part in command]
    tenant = cloud.front_desk_tenant_id(door["building_id"])
    cloud.faults.add(route, **fault)
    result = run_cli([*sim_args(server, tenant=tenant), *command])
    assert result.code == code, result.err
    assert sentence in result.err
    assert "Traceback" not in result.err
    assert cloud.releases == []


def test_a_release_that_failed_with_5xx_was_sent_once_only(server: SimServer) -> None:
    cloud = server.cloud
    door = cloud.doors[0]
    cloud.faults.add("/v4/door_release_requests", status=502)
    tenant = cloud.front_desk_tenant_id(door["building_id"])
    result = run_cli([*sim_args(server, tenant=tenant), "unlock", str(door["id"])])
    assert result.code == 5
    assert cloud.request_count("/v4/door_release_requests") == 1


def test_usage_errors_exit_2(server: SimServer) -> None:
    assert run_cli(["frobnicate"]).code == 2
    result = run_cli([*sim_args(server), "events", "--since", "yesterday-ish"])
    assert result.code == 2
    assert "--since must be an ISO-8601 time" in result.err


def test_status_shows_connection_token_expiry_and_roster(server: SimServer) -> None:
    result = run_cli([*sim_args(server), "status", "--json"])
    assert result.code == 0, result.err
    status = json.loads(result.out)
    assert status["connection"] == "connected"
    assert status["token_expires_at"].endswith("Z")
    assert len(status["door_roster"]) == len(server.cloud.doors)


def test_config_masks_the_secret(server: SimServer) -> None:
    result = run_cli([*sim_args(server), "config", "--json"])
    assert result.code == 0, result.err
    shown = json.loads(result.out)
    assert shown["client_secret"].startswith("********")
    assert "demo-secret" not in result.out


def test_refresh_token_gets_a_fresh_token(server: SimServer) -> None:
    before = len(server.cloud.token_requests)
    result = run_cli([*sim_args(server), "refresh-token"])
    assert result.code == 0, result.err
    assert "refreshed" in result.out
    assert len(server.cloud.token_requests) > before


def test_demo_needs_no_account() -> None:
    result = run_cli(
        ["--demo", "doors"], env=cli_env({"BMX_CLIENT_ID": "", "BMX_CLIENT_SECRET": ""})
    )
    assert result.code == 0, result.err
    assert "Main Entrance" in result.out


def test_events_follow_prints_late_events_and_follows_through_an_outage(
    server: SimServer,
) -> None:
    cloud = server.cloud
    building = cloud.buildings[0]["id"]
    door = next(d["id"] for d in cloud.doors if d["building_id"] == building)
    save_settings(Settings(events_interval=1_000))
    command = [
        sys.executable,
        "-m",
        "bmx_console",
        *sim_args(server),
        "--building",
        str(building),
        "events",
        "--since",
        datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "--follow",
        "--json",
    ]
    with Child(command, env=cli_env()) as child:
        first_line = child.line()
        if first_line.strip() != "[]":
            child.line_where(lambda line: line.rstrip() == "]", "closing the first list")
        printed: list[int] = []

        def printed_until(event_id: int) -> None:
            # The simulator logs events of its own meanwhile: read on until this one.
            while event_id not in printed:
                printed.append(json.loads(child.line())["id"])

        printed_until(cloud.add_event(access_point=door, name="Courier A")["id"])
        # Logged two minutes before the newest event already printed (a panel that was
        # offline uploads its openings late): still printed.
        late_at = (cloud.clock.now() - timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
        printed_until(cloud.add_event(access_point=door, name="B", logged_at=late_at)["id"])
        # An outage: every try of a poll fails, the follow says so and goes on.
        cloud.faults.add("/v4/buildings/*/access_logs", status=503, times=4)
        wait_for(lambda: "falling behind" in child.stderr, "the follow to say it fell behind")
        printed_until(cloud.add_event(access_point=door, name="Courier C")["id"])
        wait_for(lambda: "caught up after" in child.stderr, "the follow to say it caught up")
        assert len(printed) == len(set(printed)), "an event was printed twice"
        assert child.proc.poll() is None, "the follow ended"
