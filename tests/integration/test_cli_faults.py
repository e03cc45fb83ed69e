"""The command line against a hostile or broken cloud on a real loopback socket: every
command ends in bounded time and memory, with a sentence and the right exit code, and never
reports a write as done (or failed) when the answer does not say so."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bmx_console.config import Settings, save_settings
from bmx_console.core.audit import ACTION_PASS_REVOKE, AuditLog
from bmx_console.paths import user_paths
from tests.integration.cli_support import Result, cli_env
from tests.integration.fake_server import (
    CLIENT_ID,
    CLIENT_SECRET,
    FakeCloud,
    Reply,
    Request,
    json_reply,
    page,
)

BUILDING = {"id": 1, "name": "The Ashford", "time_zone": "America/New_York"}
DOOR = {"id": 11, "name": "Main Entrance", "building_id": 1, "device_ids": []}
TENANT = 21


@pytest.fixture
def fake() -> Iterator[FakeCloud]:
    with FakeCloud() as cloud:
        cloud.route("GET /v4/buildings", lambda _: page([BUILDING]))
        yield cloud


def env() -> dict[str, str]:
    return cli_env({"BMX_CLIENT_ID": CLIENT_ID, "BMX_CLIENT_SECRET": CLIENT_SECRET})


# Runs the CLI and, at exit, writes the process's own peak memory (VmHWM: the high-water
# mark of this program alone; ru_maxrss would include the forking test process's size).
_MEASURED = """
import atexit, os, runpy, sys
def _peak():
    with open("/proc/self/status") as status:
        kb = next(line.split()[1] for line in status if line.startswith("VmHWM"))
    with open(os.environ["PEAK_FILE"], "w") as out:
        out.write(kb)
atexit.register(_peak)
sys.argv[0] = "bmx-console"
runpy.run_module("bmx_console", run_name="__main__")
"""


def run(fake: FakeCloud, *args: str, timeout: float = 60) -> tuple[Result, float]:
    """Run the real CLI; also its peak memory in MB."""
    peak_file = Path(tempfile.mkdtemp()) / "peak"
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            _MEASURED,
            "--api-base",
            fake.base_url,
            "--token-url",
            fake.token_url,
            *args,
        ],
        capture_output=True,
        text=True,
        env={**env(), "PEAK_FILE": str(peak_file)},
        timeout=timeout,
    )
    result = Result(proc.returncode, proc.stdout, proc.stderr)
    return result, int(peak_file.read_text()) / 1024


def no_traceback(result: Result) -> None:
    assert "Traceback" not in result.err + result.out


def test_a_body_trickled_a_byte_a_second_ends_within_the_deadline(fake: FakeCloud) -> None:
    save_settings(Settings(request_timeout=1_000))
    body = json.dumps({"data": [DOOR] * 20, "page_info": {"next_page": None}}).encode()
    fake.route("GET /v4/access_points", lambda _: Reply(body=body, trickle_s=1.0))
    result, _ = run(fake, "doors")
    ended = time.monotonic()
    assert result.code == 5, result.err
    assert "ButterflyMX did not answer within 1 s (/v4/access_points)" in result.err
    no_traceback(result)
    first = fake.hits("GET", "/v4/access_points")[0].at
    # Each try ends at its deadline, and the retries together within four of them.
    assert ended - first < 4 * 1.0 + 1.5


def test_pages_without_end_stop_with_a_sentence_in_bounded_memory(fake: FakeCloud) -> None:
    def endless(request: Request) -> Reply:
        number = int(request.query.get("page", ["1"])[0])
        doors = [{**DOOR, "id": number * 1000 + i} for i in range(100)]
        return page(doors, current=number, next_page=number + 1)

    fake.route("GET /v4/access_points", endless)
    result, peak_mb = run(fake, "doors", timeout=120)
    assert result.code == 5, result.err
    assert "the list goes on for more than 500 pages" in result.err
    assert "stopped reading" in result.err
    no_traceback(result)
    assert len(fake.hits("GET", "/v4/access_points")) == 500
    assert peak_mb < 200


def test_a_page_of_200000_records_stops_with_a_sentence_in_bounded_memory(
    fake: FakeCloud,
) -> None:
    async def huge() -> AsyncIterator[bytes]:
        yield b'{"data": ['
        for start in range(0, 200_000, 10_000):
            yield ",".join(
                json.dumps({"id": i, "name": f"Door {i}", "building_id": 1})
                for i in range(start + 1, start + 10_001)
            ).encode() + (b"," if start + 10_000 < 200_000 else b"")
        yield b'], "page_info": {"next_page": null}}'

    fake.route("GET /v4/access_points", lambda _: Reply(chunks=huge))
    result, peak_mb = run(fake, "doors")
    assert result.code == 5, result.err
    assert "the list goes on for more than 50,000 records" in result.err
    no_traceback(result)
    assert peak_mb < 200


def test_a_body_over_20_mb_is_refused_unread(fake: FakeCloud) -> None:
    async def endless_bytes() -> AsyncIterator[bytes]:
        yield b'{"data": [{"id": 1, "name": "'
        for _ in range(30):
            yield b"x" * 1024 * 1024

    fake.route("GET /v4/access_points", lambda _: Reply(chunks=endless_bytes))
    result, peak_mb = run(fake, "doors")
    assert result.code == 5, result.err
    assert "the answer is larger than 20 MB" in result.err
    no_traceback(result)
    assert peak_mb < 200


def revoke_unconfirmed_audit() -> list[tuple[str, str]]:
    with AuditLog(user_paths().audit(demo=False)) as audit:
        return [(e.outcome, e.detail) for e in audit.entries(action=ACTION_PASS_REVOKE)]


def test_a_revoke_answered_by_an_html_page_is_not_reported_revoked(fake: FakeCloud) -> None:
    keychain = {"id": 7, "name": "Dog walker", "tenant_id": TENANT, "type": "custom_keychain"}
    fake.route("GET /v4/keychains/7", lambda _: json_reply({"data": keychain}))
    fake.route(
        "DELETE /v4/keychains/7",
        lambda _: Reply(200, b"<html><body>Please sign in</body></html>", "text/html"),
    )
    result, _ = run(fake, "--release-tenant", str(TENANT), "pass", "revoke", "7")
    assert result.code != 0
    assert "revoked" not in result.out
    assert "not confirmed" in result.err and "The pass may still work" in result.err
    no_traceback(result)
    entries = revoke_unconfirmed_audit()
    assert [outcome for outcome, _ in entries] == ["unconfirmed"]
    assert entries[0][1].startswith("revoke unconfirmed")


def test_a_revoke_is_done_when_the_pass_reads_back_as_gone(fake: FakeCloud) -> None:
    keychain = {"id": 7, "name": "Dog walker", "tenant_id": TENANT, "type": "custom_keychain"}
    reads = iter(
        [json_reply({"data": keychain}), json_reply({"errors": [{"code": "not_found"}]}, 404)]
    )
    fake.route("GET /v4/keychains/7", lambda _: next(reads))
    fake.route("DELETE /v4/keychains/7", lambda _: Reply(204))
    result, _ = run(fake, "--release-tenant", str(TENANT), "pass", "revoke", "7")
    assert result.code == 0, result.err
    assert 'revoked pass "Dog walker" (keychain 7)' in result.out
    assert [outcome for outcome, _ in revoke_unconfirmed_audit()] == ["revoked"]
    # Done only once reading it back proved it gone.
    assert len(fake.hits("GET", "/v4/keychains/7")) == 2


def test_a_release_answered_201_with_an_empty_object_is_a_release(fake: FakeCloud) -> None:
    fake.route("GET /v4/access_points", lambda _: page([DOOR]))
    fake.route("POST /v4/door_release_requests", lambda _: json_reply({}, 201))
    result, _ = run(fake, "--release-tenant", str(TENANT), "unlock", str(DOOR["id"]))
    assert result.code == 0, result.err
    assert "released Main Entrance (door 11) (ButterflyMX accepted it but sent no record)" in (
        result.out
    )
    assert len(fake.hits("POST", "/v4/door_release_requests")) == 1


@pytest.mark.parametrize(
    ("route", "args"),
    [
        ("POST /v4/door_release_requests", ["unlock", "11"]),
        ("POST /v4/keychains/one_time", ["pass", "create", "--delivery", "--doors", "11"]),
    ],
)
def test_an_unreadable_answer_to_a_write_says_it_may_have_gone_through(
    fake: FakeCloud, route: str, args: list[str]
) -> None:
    fake.route("GET /v4/access_points", lambda _: page([DOOR]))
    fake.route("GET /v4/tenants", lambda _: page([{"id": TENANT, "building_id": 1}]))
    fake.route("GET /v4/buildings/1", lambda _: Reply(200, json.dumps({"data": BUILDING}).encode()))
    fake.route(route, lambda _: Reply(200, b"<html>Welcome to the hotel Wi-Fi</html>", "text/html"))
    result, _ = run(fake, "--release-tenant", str(TENANT), *args)
    assert result.code == 5, result.err
    assert "an HTML page instead of JSON" in result.err
    assert "may have made" in result.err and "check before sending it again" in result.err
    no_traceback(result)
    assert len(fake.hits("POST", route.split(" ")[1])) == 1


def test_a_retry_after_of_a_day_stops_at_once_and_says_when(fake: FakeCloud) -> None:
    fake.route("GET /v4/access_points", lambda _: json_reply({}, 429, **{"Retry-After": "86400"}))
    started = datetime.now(UTC)
    result, _ = run(fake, "doors", timeout=30)
    assert result.code == 5, result.err
    tomorrow = started + timedelta(days=1)
    assert "rate limited by ButterflyMX (HTTP 429): it asks to wait 24 h, until " in result.err
    assert tomorrow.strftime("%Y-%m-%d") in result.err
    assert len(fake.hits("GET", "/v4/access_points")) == 1
    no_traceback(result)


def test_a_sign_in_service_that_trickles_ends_within_the_deadline(fake: FakeCloud) -> None:
    save_settings(Settings(request_timeout=1_000))
    token = json.dumps({"access_token": "x" * 40, "expires_in": 86400}).encode()
    fake.route("POST /oauth/token", lambda _: Reply(body=token, trickle_s=1.0))
    result, _ = run(fake, "doors")
    ended = time.monotonic()
    assert result.code == 5, result.err
    assert "the ButterflyMX sign-in service did not answer within 1 s" in result.err
    no_traceback(result)
    assert ended - fake.hits("POST", "/oauth/token")[0].at < 4 * 1.0 + 1.5


def test_a_sign_in_service_asking_to_wait_a_day_stops_at_once(fake: FakeCloud) -> None:
    fake.route("POST /oauth/token", lambda _: json_reply({}, 429, **{"Retry-After": "86400"}))
    result, _ = run(fake, "doors", timeout=30)
    assert result.code == 5, result.err
    assert "it asks to wait 24 h, until " in result.err
    assert len(fake.hits("POST", "/oauth/token")) == 1
    no_traceback(result)
