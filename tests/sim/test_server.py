"""The simulator as a server: SimServer on a thread, and ``python -m bmx_console.sim``."""

from __future__ import annotations

import os
import re
import signal
import sys
from pathlib import Path

import httpx
import pytest

from bmx_console.sim.cloud import Cloud
from bmx_console.sim.server import SimServer
from tests.support import Child

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


def test_the_command_prints_how_to_connect_and_stops_on_ctrl_c() -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with Child(
        [sys.executable, "-m", "bmx_console.sim", "--port", "0", "--seed", "3"],
        timeout=15,
        cwd=REPO,
        env=env,
    ) as process:
        process.line_where(lambda line: line.startswith("Press Ctrl+C"), "saying Press Ctrl+C")
        text = "\n".join(process.seen)
        base = re.search(r"base URL:\s+(http://\S+)", text)
        assert base, text
        assert f"token URL:     {base.group(1)}/oauth/token" in text
        assert "bmx-demo" in text
        assert "demo-secret" in text
        info = httpx.get(base.group(1) + "/_sim/info").json()["data"]
        for desk in info["front_desk_tenant_ids"]:
            assert f"{desk['tenant_id']}  {desk['building_name']}" in text
        assert process.finish(timeout=10, send_signal=signal.SIGINT).returncode == 0
