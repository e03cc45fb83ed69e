"""The command line's wall time: ``bmx-console doors`` against the loopback simulator, from
spawning the process to its exit, against curl making the same HTTP requests. Target: at
most 100 ms.

The simulator runs in a process of its own (``bench/_sim_server.py``). The console is
configured as an integrator would (a config.toml with the client id and the simulator's URLs;
the client secret in BMX_CLIENT_SECRET, as for automation), with its own fresh folders and
compiled bytecode (as an installed console has). It runs as ``python -m bmx_console doors``
with the real interpreter (``sys.executable``, not a pyenv shim, whose own start-up is ~100
ms of bash). The requests one run made are read back from the simulator's request log, and
curl makes exactly those (the token, then each GET with the token), in one shell, so that
"curl" is the floor: the network and the server's share of the same work. One warm-up of
each is not counted; ``--runs`` samples each (default 10), alternating. Also reported: the
console's own import time (``python -X importtime``, the top entries) and what importing
trio, click, rich, pygments and sniffio cost (none should be more than a failed attempt but
sniffio).

Run: python bench/cli_latency.py [--runs 10] (no X server needed)
"""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _support import (
    SimProcess,
    child_env,
    emit,
    environment,
    loopback_settings,
    note,
    save_config_in,
    spread,
)

TARGET_MS = 100.0


def configure(home: Path, sim: dict[str, Any]) -> dict[str, str]:
    save_config_in(home, loopback_settings(sim))
    return child_env(home, BMX_CLIENT_SECRET=sim["client_secret"])


def run_console(env: dict[str, str], *extra: str) -> tuple[float, str]:
    started = time.monotonic()
    process = subprocess.run(
        [sys.executable, *extra, "-m", "bmx_console", "doors"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    wall = (time.monotonic() - started) * 1000
    if process.returncode != 0:
        raise RuntimeError(f"bmx-console doors failed ({process.returncode}): {process.stderr}")
    return wall, process.stderr


def curl_script(sim: dict[str, Any], requests: list[list[Any]]) -> str:
    """One shell script making the console's requests with curl: the token, then the rest."""
    base = sim["base_url"]
    token = (
        f"curl -sf -X POST -d grant_type=client_credentials -d client_id={sim['client_id']}"
        f" -d client_secret={sim['client_secret']} {shlex.quote(sim['token_url'])}"
    )
    lines = [f'T=$({token} | sed -E \'s/.*"access_token": *"([^"]+)".*/\\1/\')']
    for _ns, path, query in requests:
        if sim["token_url"].endswith(path):
            continue
        url = base + path + (f"?{query}" if query else "")
        lines.append(f'curl -sf -H "Authorization: Bearer $T" {shlex.quote(url)} > /dev/null')
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bmx-bench-cli-"))
    console: list[float] = []
    curl: list[float] = []
    with SimProcess() as server:
        sim = dict(server.info)
        env = configure(root / "home", sim)
        before = len(server.get("/_bench/requests"))
        run_console(env)  # warm-up: compiles the bytecode, not counted
        made = server.get("/_bench/requests")[before:]
        script = curl_script(sim, made)
        subprocess.run(["sh", "-c", script], check=True, timeout=60)
        for run in range(args.runs):
            for kind in ("console", "curl") if run % 2 == 0 else ("curl", "console"):
                if kind == "console":
                    console.append(run_console(env)[0])
                else:
                    started = time.monotonic()
                    subprocess.run(["sh", "-c", script], check=True, timeout=60)
                    curl.append((time.monotonic() - started) * 1000)
            note(f"run {run + 1}: console {console[-1]:.0f} ms, curl {curl[-1]:.0f} ms")
        _wall, trace = run_console(env, "-X", "importtime")
    imports: list[tuple[int, str, int]] = []  # cumulative us, module, nesting depth
    for line in trace.splitlines():
        if line.startswith("import time:") and "|" in line:
            _self, cumulative, name = line.removeprefix("import time:").split("|", 2)
            if cumulative.strip().isdigit():
                depth = len(name) - len(name.lstrip())
                imports.append((int(cumulative), name.strip(), depth))
    median = spread(console)["median"]
    result: dict[str, Any] = {
        "benchmark": "cli_latency",
        "measured": "wall time of `python -m bmx_console doors` (spawn to exit) against the "
        "loopback simulator, and of curl making the same requests",
        "unit": "ms",
        "runs": args.runs,
        "console_ms": spread(console),
        "curl_same_requests_ms": spread(curl),
        "requests": [p for _ns, p, _q in made],
        "imports_ms_top_level": {
            n: round(c / 1000, 1) for c, n, depth in sorted(imports, reverse=True) if depth <= 1
        },
        # Cumulative import ms of each (0.0: only a failed or hidden attempt, or none).
        "imported_ms": {
            name: round(max((c for c, n, _d in imports if n == name), default=0) / 1000, 1)
            for name in ("trio", "click", "rich", "pygments", "sniffio")
        },
        "python": sys.executable,
        "target": f"<= {TARGET_MS:g} ms",
        "pass": median <= TARGET_MS,
        "environment": environment(),
    }
    emit(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
