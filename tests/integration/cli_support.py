"""Run the real command line as a subprocess against a simulator on a loopback socket."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bmx_console.sim.cloud import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from bmx_console.sim.server import SimServer

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Result:
    code: int
    out: str
    err: str


def cli_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        BMX_CLIENT_ID=DEMO_CLIENT_ID,
        BMX_CLIENT_SECRET=DEMO_CLIENT_SECRET,
        PYTHONPATH=str(ROOT),
        QT_QPA_PLATFORM="offscreen",
    )
    env.update(extra or {})
    return env


def sim_args(server: SimServer, *, tenant: int | None = None) -> list[str]:
    args = ["--api-base", server.base_url, "--token-url", server.token_url]
    if tenant is not None:
        args += ["--release-tenant", str(tenant)]
    return args


def run_cli(
    args: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    timeout: float = 60,
    stdin: str | None = None,
) -> Result:
    proc = subprocess.run(
        [sys.executable, "-m", "bmx_console", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env or cli_env(),
        input=stdin,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)
