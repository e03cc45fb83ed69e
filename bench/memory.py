"""Resident memory at rest: the desk with 200 doors and 10,000 events against a bare PySide6
window. Target: desk <= 2 x bare.

Both are fresh child processes under the same X server (``bench/_desk_child.py``). The desk
child is the real program (``bmx_console.cli.main``, configured through its config.toml for a
loopback simulator that runs in a process of its own, so none of the simulator's memory is
counted) with the pollers at their default intervals. The simulator's property has 200 doors
and 10,000 access events in the last 50 minutes, all of which the console's first events
poll reads (it starts one hour back). The child waits until the 200 doors and 10,000 events
are in its store and shown, the window is exposed and the first calls poll is done, idles
5 s, then reads VmRSS (and the peak, VmHWM) from /proc/self/status. The bare child shows a
QMainWindow with a label at the same size, waits until it is exposed, idles 5 s and reads
the same. Runs alternate between the two.

Run under Xvfb: xvfb-run -a -s "-screen 0 1600x1000x24" python bench/memory.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from _support import BENCH, SimProcess, child_env, emit, environment, note, spread

TARGET_RATIO = 2.0
DOORS = 200
EVENTS = 10_000
IDLE_S = 5.0


def run_child(args: list[str], home: Path, sim: dict[str, Any] | None) -> dict[str, Any]:
    extra = {}
    if sim is not None:
        extra = {
            "BMX_BENCH_SIM": json.dumps({k: v for k, v in sim.items() if k != "client_secret"}),
            "BMX_CLIENT_SECRET": sim["client_secret"],
        }
    process = subprocess.run(
        [sys.executable, str(BENCH / "_desk_child.py"), *args],
        capture_output=True,
        text=True,
        env=child_env(home, **extra),
        timeout=300,
    )
    lines = [line for line in process.stdout.splitlines() if line.startswith("{")]
    if process.returncode != 0 or not lines:
        raise RuntimeError(f"child {args} failed ({process.returncode}): {process.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--preimport",
        action="store_true",
        help="experiment: the desk imports its non-Qt dependencies before PySide6, so that "
        "PySide6's import hook does not read their source",
    )
    parser.add_argument(
        "--clear-linecache",
        action="store_true",
        help="experiment: the desk drops the source text PySide6's import hook leaves in "
        "linecache before it idles (what a one-line fix in app.py would do)",
    )
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bmx-bench-memory-"))
    bare: list[dict[str, Any]] = []
    desk: list[dict[str, Any]] = []
    with SimProcess("--doors", str(DOORS), "--events", str(EVENTS)) as sim:
        info = dict(sim.info)
        for run in range(args.runs):
            order = ("bare", "desk") if run % 2 == 0 else ("desk", "bare")
            for kind in order:
                home = root / f"{kind}-{run}"
                if kind == "bare":
                    bare.append(run_child(["--bare", "--idle-s", str(IDLE_S)], home, None))
                else:
                    desk.append(
                        run_child(
                            [
                                "--mode",
                                "memory",
                                "--doors",
                                str(DOORS),
                                "--events",
                                str(EVENTS),
                                "--idle-s",
                                str(IDLE_S),
                                *(["--clear-linecache"] if args.clear_linecache else []),
                                *(["--preimport"] if args.preimport else []),
                            ],
                            home,
                            {**info, "client_secret": sim.info["client_secret"]},
                        )
                    )
                last = (bare if kind == "bare" else desk)[-1]
                note(f"run {run + 1} {kind}: VmRSS {last['VmRSS'] / 1024:.1f} MiB")

    bare_mib = [b["VmRSS"] / 1024 for b in bare]
    desk_mib = [d["VmRSS"] / 1024 for d in desk]
    ratio = spread(desk_mib)["median"] / spread(bare_mib)["median"]
    result: dict[str, Any] = {
        "benchmark": "memory",
        "measured": "VmRSS at rest (window shown, data loaded, 5 s idle), fresh processes",
        "unit": "MiB",
        "runs": args.runs,
        "bare_rss_mib": spread(bare_mib),
        "desk_rss_mib": spread(desk_mib),
        "ratio_desk_over_bare": round(ratio, 2),
        "desk_over_bare_mib": round(spread(desk_mib)["median"] - spread(bare_mib)["median"], 1),
        "bare_peak_mib": spread([b["VmHWM"] / 1024 for b in bare]),
        "desk_peak_mib": spread([d["VmHWM"] / 1024 for d in desk]),
        "desk_anon_mib": spread([d["RssAnon"] / 1024 for d in desk]),
        "bare_anon_mib": spread([b["RssAnon"] / 1024 for b in bare]),
        "desk_loaded": {"doors": desk[0]["doors"], "events": desk[0]["events"]},
        "modules_imported": {"bare": bare[0]["modules"], "desk": desk[0]["modules"]},
        "linecache_source_mib": {
            "bare": bare[0]["linecache_source_mib"],
            "desk": desk[0]["linecache_source_mib"],
        },
        "desk_imported_the_simulator": desk[0]["simulator_imported"],
        "experiment": [
            name
            for name, on in (
                ("clear-linecache", args.clear_linecache),
                ("preimport", args.preimport),
            )
            if on
        ],
        "target": f"desk <= {TARGET_RATIO:g} x bare",
        "pass": ratio <= TARGET_RATIO,
        "environment": environment(),
    }
    emit(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
