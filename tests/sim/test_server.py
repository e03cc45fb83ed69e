"""The simulator as a server: SimServer on a thread, and ``python -m bmx_console.sim``."""

from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from bmx_console.sim.cloud import Cloud
from bmx_console.sim.server import SimServer

from .conftest import client_credentials

REPO = Path(__file__).parents[2]


def test_sim_server_serves_until_stopped() -> None:
    cloud = Cloud(event_rate_per_min=0, call_rate_per_min=0)
    with SimServer(cloud) as sim:
        assert sim.cloud is cloud
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", sim.base_url)
        assert sim.token_url == sim.base_url + "/oauth/token"
        token = httpx.post(sim.token_url, data=client_credentials()).json()["access_token"]
        reply = httpx.get(
            sim.base_url + "/v4/buildings", headers={"Authorization": f"Bearer {token}"}
        )
        assert reply.status_code == 200
        assert [b["id"] for b in reply.json()["data"]] == [b["id"] for b in cloud.buildings]
        base = sim.base_url
    with pytest.raises(httpx.ConnectError):
        httpx.get(base + "/_sim/info")


def test_two_servers_get_their_own_ports_and_clouds() -> None:
    with SimServer(Cloud(seed=1)) as one, SimServer(Cloud(seed=2)) as two:
        assert one.port != two.port
        first = httpx.get(one.base_url + "/_sim/info").json()["data"]
        second = httpx.get(two.base_url + "/_sim/info").json()["data"]
    assert first["front_desk_tenant_ids"] != second["front_desk_tenant_ids"]


def test_a_port_in_use_is_reported_at_start() -> None:
    with SimServer() as taken:
        clash = SimServer(port=taken.port)
        with pytest.raises(OSError):
            clash.start()
        assert not clash.running


def _read_until(process: subprocess.Popen[bytes], marker: str, timeout_s: float) -> str:
    """The process's output up to the line starting with ``marker``; fails rather than hangs."""
    assert process.stdout is not None
    fd = process.stdout.fileno()
    output = b""
    deadline = time.monotonic() + timeout_s
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if not selector.select(deadline - time.monotonic()):
                break
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            output += chunk
            text = output.decode()
            if any(line.startswith(marker) for line in text.splitlines()):
                return text
    pytest.fail(f"no {marker!r} line; output so far:\n{output.decode()}")


def test_the_command_prints_how_to_connect_and_stops_on_ctrl_c() -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "bmx_console.sim", "--port", "0", "--seed", "3"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        text = _read_until(process, "Press Ctrl+C", timeout_s=15)
        base = re.search(r"base URL:\s+(http://\S+)", text)
        assert base, text
        assert f"token URL:     {base.group(1)}/oauth/token" in text
        assert "bmx-demo" in text
        assert "demo-secret" in text
        info = httpx.get(base.group(1) + "/_sim/info").json()["data"]
        for desk in info["front_desk_tenant_ids"]:
            assert f"{desk['tenant_id']}  {desk['building_name']}" in text
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
