"""Run the real command line as a subprocess against a simulator on a loopback socket."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
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


class LineReader:
    """Lines of a running process's stdout, waited for without fixed sleeps."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.lines: queue.Queue[str] = queue.Queue()
        assert proc.stdout is not None
        threading.Thread(target=self._pump, args=(proc.stdout,), daemon=True).start()

    def _pump(self, stdout: Iterable[str]) -> None:
        for line in stdout:
            self.lines.put(line)

    def next(self, timeout: float = 20) -> str:
        return self.lines.get(timeout=timeout)

    def until(self, predicate: Callable[[str], bool], timeout: float = 20) -> Iterator[str]:
        while True:
            line = self.next(timeout)
            yield line
            if predicate(line):
                return
