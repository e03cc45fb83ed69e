"""Bad settings, bad files and bad arguments, through the real command line: each one exits 2
with a sentence, within a deadline, without a traceback and without sending anything."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bmx_console.config import config_path
from bmx_console.sim.cloud import Cloud
from bmx_console.sim.server import SimServer
from tests.integration.cli_support import ROOT, cli_env, run_cli, sim_args

DEADLINE_S = 30


@pytest.fixture(scope="module")
def server() -> Iterator[SimServer]:
    with SimServer(Cloud(seed=5, event_rate_per_min=0, call_rate_per_min=0)) as sim:
        yield sim


def settings_file(content: str | bytes) -> Path:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def assert_refused(code: int, err: str, out: str = "") -> None:
    assert code == 2, (code, err)
    assert "Traceback" not in err + out
    line = err.strip().splitlines()[-1]
    assert line.startswith("bmx-console: ") and len(line) > 30, err


def assert_nothing_sent(server: SimServer, keychains_before: int) -> None:
    assert server.cloud.releases == []
    assert len(server.cloud.keychains) == keychains_before


DEEP = "[" * 5000 + "]" * 5000

BAD_SETTINGS = {
    "kiosk not a table": ("kiosk = 3\n", "kiosk"),
    "interval as text": ('status_interval = "fast"\n', "status_interval"),
    "interval as float": ("request_timeout = 1e9\n", "request_timeout"),
    "flag as text": ('call_sound = "yes"\n', "call_sound"),
    "operator as number": ("operator = 5\n", "operator"),
    "client id as list": ('client_id = ["a"]\n', "client_id"),
    "door list nested": ("pinned_doors = [[1]]\n", "pinned_doors"),
    "door list as table": ("pinned_doors = {a = 1}\n", "pinned_doors"),
    "kiosk doors as text": ('[kiosk]\ndoors = "x"\n', "kiosk.doors"),
    "zero id": ("building_id = 0\n", "building_id"),
    "fullwidth digits": ('building_id = "１２３"\n', "building_id"),
    "arabic-indic digits": ('release_tenant_id = "١٢٣"\n', "release_tenant_id"),
    "arrays 5000 deep": (f"pinned_doors = {DEEP}\n", "nests"),
    "tables 5000 deep": ("x = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n", "nests"),
    "userinfo in api_base": (
        'api_base = "https://ops:hunter2@api.butterflymx.com"\n',
        "user name or password",
    ),
    "userinfo in token_url": (
        'token_url = "https://ops:hunter2@accounts.butterflymx.com/oauth/token"\n',
        "user name or password",
    ),
    "port out of range": ('api_base = "https://api.butterflymx.com:99999"\n', "api_base"),
    "not utf-8": (b"operator = '\xff\xfe'\n", "UTF-8"),
}


def test_every_bad_setting_is_refused_naming_its_field(server: SimServer) -> None:
    before = len(server.cloud.keychains)
    wrong: list[str] = []
    for case, (content, words) in BAD_SETTINGS.items():
        settings_file(content)
        result = run_cli([*sim_args(server), "doors"], timeout=DEADLINE_S)
        try:
            assert_refused(result.code, result.err, result.out)
            assert words in result.err
            assert "hunter2" not in result.err + result.out
        except AssertionError:
            wrong.append(f"{case}: exit {result.code}: {result.err.strip()[-300:]}")
    assert wrong == []
    assert_nothing_sent(server, before)


def test_a_fifo_in_place_of_the_settings_file_does_not_block(server: SimServer) -> None:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    result = run_cli([*sim_args(server), "doors"], timeout=DEADLINE_S)
    assert_refused(result.code, result.err)
    assert "is not a regular file" in result.err


def test_a_folder_in_place_of_the_settings_file_is_refused(server: SimServer) -> None:
    config_path().mkdir(parents=True)
    result = run_cli([*sim_args(server), "doors"], timeout=DEADLINE_S)
    assert_refused(result.code, result.err)
    assert "is not a regular file" in result.err


def test_a_settings_file_over_1_mb_is_refused(server: SimServer) -> None:
    settings_file("# padding\n" * 120_000)
    result = run_cli([*sim_args(server), "doors"], timeout=DEADLINE_S)
    assert_refused(result.code, result.err)
    assert "larger than 1 MB" in result.err


BAD_ARGUMENTS = {
    "zero release tenant": (["--release-tenant", "0", "pass", "list"], "release_tenant_id"),
    "fullwidth release tenant": (["--release-tenant", "１２３", "pass", "list"], "release"),
    "arabic-indic building": (["--building", "١٢٣", "doors"], "building_id"),
    "userinfo api base": (
        ["--api-base", "https://ops:hunter2@api.butterflymx.com", "doors"],
        "user name or password",
    ),
    "start without zone": (
        ["pass", "create", "--name", "Ana", "--hours", "2", "--start", "2030-01-01T00:00:00"],
        "--start needs a time zone",
    ),
    "start at the end of time": (
        ["pass", "create", "--name", "Ana", "--hours", "5", "--start", "9999-12-31T23:00:00Z"],
        "calendar",
    ),
    "start before the calendar": (
        ["pass", "create", "--name", "Ana", "--hours", "5", "--start", "0001-01-01T00:00+14:00"],
        "--start",
    ),
    "since before the calendar": (["events", "--since", "0001-01-01T00:00+14:00"], "--since"),
    "name with escape codes": (
        ["pass", "create", "--name", "Ana\x1b[2J\x1b]0;pwned\x07", "--hours", "1"],
        "control characters",
    ),
    "name with a right-to-left override": (
        ["pass", "create", "--name", "Ana\u202egpj.exe", "--hours", "1"],
        "\\u202e",
    ),
    "contact with escape codes": (
        ["pass", "create", "--name", "Ana", "--hours", "1", "--contact", "a\x1b[8m@b.example"],
        "control characters",
    ),
    "doors in other digits": (
        ["pass", "create", "--name", "Ana", "--hours", "1", "--doors", "1,２"],
        "--doors",
    ),
    "revoke arabic-indic id": (["pass", "revoke", "١٢٣"], "ID"),
    "revoke zero": (["pass", "revoke", "0"], "ID"),
    "unlock fullwidth id": (["unlock", "１２３"], "ADDRESS"),
}


def test_every_bad_argument_is_refused_before_anything_is_sent(server: SimServer) -> None:
    tenant = server.cloud.front_desk_tenant_id()
    before = len(server.cloud.keychains)
    wrong: list[str] = []
    for case, (args, words) in BAD_ARGUMENTS.items():
        result = run_cli([*sim_args(server, tenant=tenant), *args], timeout=DEADLINE_S)
        try:
            assert_refused(result.code, result.err, result.out)
            assert words in result.err
            assert "hunter2" not in result.err + result.out
            assert "\x1b" not in result.err and "\u202e" not in result.err
        except AssertionError:
            wrong.append(f"{case}: exit {result.code}: {result.err.strip()[-300:]}")
    assert wrong == []
    assert_nothing_sent(server, before)


def test_an_unknown_building_exits_4_naming_the_buildings_there_are(server: SimServer) -> None:
    result = run_cli([*sim_args(server), "--building", "424242", "doors"], timeout=DEADLINE_S)
    assert result.code == 4, result.err
    assert "building 424242 is not one these credentials can see" in result.err
    for building in server.cloud.buildings:
        assert f"{building['id']} ({building['name']})" in result.err


def test_kiosk_pin_without_a_terminal_exits_2() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bmx_console", "kiosk-pin"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=DEADLINE_S,
        env=cli_env({"PYTHONPATH": str(ROOT)}),
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "--stdin" in proc.stderr
    assert not config_path().exists()
