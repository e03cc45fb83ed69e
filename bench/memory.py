"""Memory at rest, as PSS: the desk with 200 doors and 10,000 events, and with the store's
full 50,000 events (its own bound), against a bare PySide6 window. Target at 50,000 events:
desk <= 2 x bare in PSS.

Both are fresh child processes under the same X server (``bench/_desk_child.py``). The desk
child is the real program (``bmx_console.cli.main``, configured through its config.toml for a
loopback simulator that runs in a process of its own, so none of the simulator's memory is
counted) with the pollers at their default intervals. The simulator's property has 200 doors
and 10,000 access events in the last 50 minutes, all of which the console's first events
poll reads (it starts one hour back). The child waits until the 200 doors and 10,000 events
are in its store and shown, the window is exposed and the first calls poll is done, idles
5 s, then reads PSS from /proc/self/smaps_rollup (and VmRSS, VmHWM from /proc/self/status,
informative). The bare child shows a QMainWindow with a label at the same size, waits until
it is exposed, idles 5 s and reads the same. Runs alternate between the two. PSS, not RSS:
RSS counts every shared page (Qt's libraries, fonts) whole in each process, which weighs the
two windows by the libraries they both map rather than by what each of them holds.
``--events`` picks the sizes (default 10000,50000); one JSON object per size.

Run under Xvfb: xvfb-run -a -s "-screen 0 1600x1000x24" python bench/memory.py [--runs 3]
[--events 10000,50000]
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
EVENTS = (10_000, 50_000)
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


def measure(events: int, runs: int, root: Path, args: argparse.Namespace) -> dict[str, Any]:
    bare: list[dict[str, Any]] = []
    desk: list[dict[str, Any]] = []
    with SimProcess("--doors", str(DOORS), "--events", str(events)) as sim:
        info = dict(sim.info)
        for run in range(runs):
            order = ("bare", "desk") if run % 2 == 0 else ("desk", "bare")
            for kind in order:
                home = root / f"{events}-{kind}-{run}"
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
                                str(events),
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
                note(
                    f"{events} events, run {run + 1} {kind}: PSS {last['Pss'] / 1024:.1f} MiB,"
                    f" VmRSS {last['VmRSS'] / 1024:.1f} MiB"
                )

    def mib(records: list[dict[str, Any]], key: str) -> dict[str, Any]:
        return spread([r[key] / 1024 for r in records])

    ratio = mib(desk, "Pss")["median"] / mib(bare, "Pss")["median"]
    rss_ratio = mib(desk, "VmRSS")["median"] / mib(bare, "VmRSS")["median"]
    return {
        "benchmark": "memory",
        "scenario": f"{DOORS}_doors_{events}_events",
        "measured": "PSS (/proc/self/smaps_rollup) at rest (window shown, data loaded, "
        f"{IDLE_S:g} s idle), fresh processes",
        "unit": "MiB",
        "runs": runs,
        "bare_pss_mib": mib(bare, "Pss"),
        "desk_pss_mib": mib(desk, "Pss"),
        "ratio_desk_over_bare_pss": round(ratio, 2),
        "desk_over_bare_pss_mib": round(mib(desk, "Pss")["median"] - mib(bare, "Pss")["median"], 1),
        "desk_pss_anon_mib": mib(desk, "Pss_Anon"),
        "bare_pss_anon_mib": mib(bare, "Pss_Anon"),
        "bare_rss_mib": mib(bare, "VmRSS"),
        "desk_rss_mib": mib(desk, "VmRSS"),
        "ratio_desk_over_bare_rss": round(rss_ratio, 2),
        "desk_peak_rss_mib": mib(desk, "VmHWM"),
        "desk_loaded": {"doors": desk[0]["doors"], "events": desk[0]["events"]},
        "modules_imported": {"bare": bare[0]["modules"], "desk": desk[0]["modules"]},
        "experiment": [
            name
            for name, on in (
                ("clear-linecache", args.clear_linecache),
                ("preimport", args.preimport),
            )
            if on
        ],
        "target": f"desk <= {TARGET_RATIO:g} x bare in PSS"
        + (" (the figure: the store's full 50,000 events)" if events >= 50_000 else ""),
        "pass": ratio <= TARGET_RATIO,
        "environment": environment(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--events",
        default=",".join(str(n) for n in EVENTS),
        help="comma-separated event counts, one figure each",
    )
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
    for events in (int(n) for n in args.events.split(",")):
        emit(measure(events, args.runs, root, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
