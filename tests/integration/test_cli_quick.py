"""The listings' quick path (``bmx_console.cli_quick``), run as a user runs it against the
simulator over loopback, side by side with the full path: the same output to the byte, the
same exit code and sentence for each failure, and none of asyncio, httpx, httpcore, anyio or
ssl loaded on the way."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bmx_console.config import Settings, save_settings
from bmx_console.paths import user_paths
from bmx_console.sim.cloud import DEMO_CLIENT_SECRET, Cloud
from bmx_console.sim.server import SimServer
from tests.integration.cli_support import Result, cli_env, sim_args

# What the quick path is there to leave out (ssl too: the simulator speaks plain http).
ASYNC_STACK = ("asyncio", "httpx", "httpcore", "anyio", "ssl")

# Runs the CLI; at exit writes which of ASYNC_STACK the process loaded. With FULL_PATH set,
# the quick path declines every command, so that the full path runs the same command line.
_WRAPPER = """
import atexit, json, os, runpy, sys, types
if os.environ.get("FULL_PATH"):
    stub = types.ModuleType("bmx_console.cli_quick")
    stub.run_quick = lambda args, out: None
    sys.modules["bmx_console.cli_quick"] = stub
def _loaded():
    with open(os.environ["LOADED_FILE"], "w") as out:
        json.dump([m for m in json.loads(os.environ["WATCHED"]) if m in sys.modules], out)
atexit.register(_loaded)
sys.argv[0] = "bmx-console"
runpy.run_module("bmx_console", run_name="__main__")
"""


@dataclass
class Run:
    result: Result
    loaded: list[str]
    seconds: float
    requests: int


def run(
    server: SimServer | None,
    args: list[str],
    *,
    full: bool = False,
    env: dict[str, str] | None = None,
    timeout: float = 60,
) -> Run:
    loaded_file = Path(tempfile.mkdtemp()) / "loaded.json"
    extra = {"LOADED_FILE": str(loaded_file), "WATCHED": json.dumps(ASYNC_STACK)}
    if full:
        extra["FULL_PATH"] = "1"
    before = server.cloud.request_count() if server else 0
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *args],
        capture_output=True,
        text=True,
        env={**cli_env(env), **extra},
        timeout=timeout,
    )
    seconds = time.monotonic() - started
    requests = server.cloud.request_count() - before if server else 0
    return Run(
        Result(proc.returncode, proc.stdout, proc.stderr),
        json.loads(loaded_file.read_text()),
        seconds,
        requests,
    )


def both(
    server: SimServer | None, args: list[str], env: dict[str, str] | None = None
) -> tuple[Run, Run]:
    quick = run(server, args, env=env)
    full = run(server, args, env=env, full=True)
    return quick, full


@pytest.fixture(scope="module")
def hostile() -> Iterator[SimServer]:
    # Names with escape sequences, bidi overrides and line breaks: the rows are data.
    with SimServer(Cloud(seed=11, hostile=True)) as sim:
        yield sim


@pytest.fixture
def server() -> Iterator[SimServer]:
    with SimServer(Cloud(seed=11)) as sim:
        yield sim


def both_succeed(hostile: SimServer, command: list[str], scoped: bool) -> tuple[Run, Run]:
    """``command`` (in one building if ``scoped``) run both ways: each succeeds, silently,
    the quick one without the async stack and with no more requests than the full path (no
    retry, no second token)."""
    scope = ["--building", str(hostile.cloud.buildings[1]["id"])] if scoped else []
    quick, full = both(hostile, [*sim_args(hostile), *scope, *command])
    assert quick.result.code == full.result.code == 0, quick.result.err + full.result.err
    assert quick.loaded == []
    assert quick.result.err == full.result.err == ""
    assert quick.requests <= full.requests
    return quick, full


LISTINGS = [
    ["buildings"],
    ["doors"],
    ["panels"],
    ["buildings", "--json"],
    ["doors", "--json"],
    ["panels", "--json"],
]


@pytest.mark.parametrize("scoped", [False, True], ids=["all", "one-building"])
@pytest.mark.parametrize("command", LISTINGS, ids=lambda c: " ".join(c))
def test_a_listing_prints_what_the_full_path_prints_without_the_async_stack(
    hostile: SimServer, command: list[str], scoped: bool
) -> None:
    quick, full = both_succeed(hostile, command, scoped)
    assert "httpx" in full.loaded  # the comparison is with the full path
    assert quick.result.out == full.result.out
    if "--json" in command:
        rows = json.loads(quick.result.out)
        assert rows and all(isinstance(row["id"], int) for row in rows)


def without_times(text: str) -> str:
    """``text`` with each time masked: two runs check (and get their tokens) at two times."""
    return re.sub(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(Z| UTC)", "<time>", text)


@pytest.mark.parametrize("scoped", [False, True], ids=["all", "one-building"])
@pytest.mark.parametrize("command", [["status"], ["status", "--json"]], ids=" ".join)
def test_status_prints_what_the_full_path_prints_without_the_async_stack(
    hostile: SimServer, command: list[str], scoped: bool
) -> None:
    quick, full = both_succeed(hostile, command, scoped)
    assert without_times(quick.result.out) == without_times(full.result.out)
    if "--json" in command:
        status = json.loads(quick.result.out)
        assert status["connection"] == "connected" and status["demo"] is False
        assert status["token_expires_at"].endswith("Z")
        assert status["doors"] == len(status["door_roster"]) > 0


def test_the_scope_is_checked_as_on_the_full_path(hostile: SimServer) -> None:
    quick, full = both(hostile, [*sim_args(hostile), "--building", "4242", "doors"])
    assert quick.result.code == full.result.code == 4
    assert quick.result.err == full.result.err
    assert "building 4242 is not one these credentials can see" in quick.result.err
    assert quick.result.out == full.result.out == ""
    assert quick.loaded == []


FAULTS: list[tuple[str, dict[str, Any], int]] = [
    ("/oauth/token", {"status": 500}, 5),
    ("/oauth/token", {"status": 429, "retry_after": "1"}, 5),
    ("/oauth/token", {"drop": True}, 5),
    ("/v4/buildings", {"status": 503}, 5),
    ("/v4/buildings", {"status": 500, "times": 1}, 0),
    ("/v4/access_points", {"status": 429, "retry_after": "1"}, 5),
    ("/v4/access_points", {"status": 403}, 3),
    ("/v4/access_points", {"status": 404}, 4),
    ("/v4/access_points", {"body": "malformed"}, 5),
    ("/v4/access_points", {"body": "html"}, 5),
    ("/v4/access_points", {"body": "wrong_shape"}, 5),
    ("/v4/access_points", {"drop": True}, 5),
]


@pytest.mark.parametrize(
    ("route", "fault", "code"),
    FAULTS,
    ids=[f"{r} {next(iter(f.items()))}" for r, f, _ in FAULTS],
)
def test_a_failure_gives_the_full_paths_code_and_sentence(
    server: SimServer, route: str, fault: dict[str, Any], code: int
) -> None:
    # A short deadline keeps the retries short; both paths budget four of them per request.
    save_settings(Settings(request_timeout=1_000))
    runs = []
    for full in (False, True):
        server.cloud.faults.clear()
        server.cloud.faults.add(route, **fault)
        runs.append(run(server, [*sim_args(server), "doors"], full=full))
    quick, full_run = runs
    assert quick.result.code == full_run.result.code == code, quick.result.err
    if fault.get("drop"):
        assert re.match(r"bmx-console: the connection to 127.0.0.1 dropped", quick.result.err)
        assert without_transport_word(quick.result.err) == without_transport_word(
            full_run.result.err
        )
    else:
        assert quick.result.err == full_run.result.err
    assert quick.result.out == full_run.result.out
    assert "Traceback" not in quick.result.err
    assert quick.loaded == []
    # Bounded as the full path is: four request deadlines of retries, and the start.
    assert quick.seconds < 4 * 1.0 + 3


def test_a_wrong_client_secret_is_an_auth_failure_on_both_paths(server: SimServer) -> None:
    quick, full = both(
        server, [*sim_args(server), "doors"], env={"BMX_CLIENT_SECRET": "not-the-secret"}
    )
    assert quick.result.code == full.result.code == 3
    assert quick.result.err == full.result.err
    assert "ButterflyMX refused the desk's credentials" in quick.result.err
    assert "not-the-secret" not in quick.result.err + quick.result.out
    assert quick.loaded == []


def without_transport_word(sentence: str) -> str:
    """A dropped connection's sentence without the transport's own word for it at the end
    ("Server disconnected without sending a response", or "ReadError" for a reset): which
    of the two a drop is depends on the TCP exchange (a reset when the server closes with
    unread bytes), not on the path; the same event is worded the same on both."""
    return re.sub(r"(answered: ).*?(\. Check the network)", r"\1…\2", sentence)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_an_unreachable_cloud_fails_alike_and_in_bounded_time(host: str) -> None:
    # localhost: a name to look up (on a thread, within the deadline), and two addresses.
    save_settings(Settings(request_timeout=1_000))
    base = f"http://{host}:{closed_port()}"
    args = ["--api-base", base, "--token-url", f"{base}/oauth/token", "buildings"]
    quick, full = both(None, args)
    assert quick.result.code == full.result.code == 5
    assert quick.result.err == full.result.err
    assert f"cannot reach {host}: " in quick.result.err
    assert "Traceback" not in quick.result.err
    assert quick.loaded == []
    assert quick.seconds < 4 * 1.0 + 3


def test_a_bad_setting_is_refused_alike() -> None:
    args = ["--api-base", "http://api.butterflymx.com", "doors"]
    quick, full = both(None, args)
    assert quick.result.code == full.result.code == 2
    assert quick.result.err == full.result.err
    assert "api_base must be an https:// URL" in quick.result.err
    assert quick.loaded == []


def test_no_secret_reaches_the_output_or_the_log(server: SimServer) -> None:
    quick = run(server, [*sim_args(server), "doors", "--json"])
    assert quick.result.code == 0, quick.result.err
    log = (user_paths().log_dir / "bmx-console.log").read_text(encoding="utf-8")
    assert "doors (quick path)" in log
    issued = server.cloud.tokens.issued_secrets()
    assert issued
    for secret in (DEMO_CLIENT_SECRET, *issued):
        assert secret not in quick.result.out + quick.result.err + log


@pytest.mark.parametrize(
    "env",
    [{"HTTPS_PROXY": "http://127.0.0.1:9"}, {"BMX_CLIENT_SECRET": ""}],
    ids=["a proxy", "no secret in the environment"],
)
def test_what_the_quick_path_does_not_take_goes_by_the_full_path(
    server: SimServer, env: dict[str, str]
) -> None:
    """A proxy is the full path's to use; a secret in the keyring (or a saved sign-in) is
    the full path's to read. Here the keyring is empty: the full path's sentence."""
    quick, full = both(server, [*sim_args(server), "doors"], env=env)
    assert "httpx" in quick.loaded
    assert (quick.result.code, quick.result.out, quick.result.err) == (
        full.result.code,
        full.result.out,
        full.result.err,
    )
