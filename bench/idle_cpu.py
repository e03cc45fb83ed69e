"""Idle CPU of the desk window at 200 and at 20,000 doors: user + system CPU time of the
console process over 60 s of wall time, as a percentage of one core. Target <= 0.5 % at
both. Also the request rate the desk makes per building at its default settings (from the
simulator's request log over the same minute at 200 doors).

The console is the real program in a child process (``bench/_desk_child.py --mode idle``:
``bmx_console.cli.main``, configured through its config.toml) with the default intervals
(doors every 60 s, events every 30 s, calls every 10 s), against a loopback simulator in a
process of its own at its default traffic (6 events and 1 call a minute, so the polls bring
something now and then), so only the console's own work is counted. The clock starts once
the child says its doors, events and calls are loaded and shown, plus 5 s for start-up to
settle; CPU time comes from /proc/<pid>/stat (utime + stime, every thread of the process),
read every 10 s. Context switches (wake-ups) are read from /proc/<pid>/status too. One JSON
object per roster size (``--doors``, default 200,20000; 20 is the simulator's own property),
then one for the request rate.

A roster of more than 4,000 doors is read less often than every minute (1.5 s per page of
100 doors: every 5 minutes at 20,000), so at such a size the window is one whole roster
cycle instead of 60 s, with one roster refresh in it, and there are as many runs as fit in
the time of ``--runs`` windows of ``--seconds`` (at least one): the figure is the average
over the cycle, refresh included, not a minute that happens to miss it.

Run under Xvfb: xvfb-run -a -s "-screen 0 1600x1000x24" python bench/idle_cpu.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _support import BENCH, SimProcess, child_env, emit, environment, note, spread

from bmx_console.core.pollers import ROSTER_PAGE, SECONDS_PER_ROSTER_PAGE

TARGET_PERCENT = 0.5
SETTLE_S = 5.0
SLICE_S = 10.0
TICK = os.sysconf("SC_CLK_TCK")


def roster_cycle_s(doors: int, setting_s: float = 60.0) -> float:
    """How often the desk reads a roster of ``doors`` at the default status_interval."""
    return max(setting_s, math.ceil(doors / ROSTER_PAGE) * SECONDS_PER_ROSTER_PAGE)


def cpu_seconds(pid: int) -> float:
    """utime + stime of the whole process (all threads), in seconds."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    # After the command name: state is field 3, utime field 14, stime field 15.
    return (int(fields[11]) + int(fields[12])) / TICK


def thread_seconds(pid: int) -> dict[str, float]:
    """CPU seconds per thread name (Qt's XCB reader, the loop, pools...)."""
    threads: dict[str, float] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        threads[name] = threads.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / TICK
    return threads


def switches(pid: int) -> int:
    total = 0
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                total += int(line.split(":")[1])
    return total


def one_run(sim: SimProcess, home: Path, seconds: float, polls: bool = True) -> dict[str, Any]:
    env = child_env(
        home,
        BMX_BENCH_SIM=json.dumps({k: v for k, v in sim.info.items() if k != "client_secret"}),
        BMX_CLIENT_SECRET=sim.info["client_secret"],
    )
    child = subprocess.Popen(
        [
            sys.executable,
            str(BENCH / "_desk_child.py"),
            "--mode",
            "idle",
            "--doors",
            str(sim.info["doors"]),
            "--events",
            "1" if polls else "0",
            *([] if polls else ["--no-event-call-polls"]),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        if not line.startswith("{"):
            raise RuntimeError("the console did not get ready")
        time.sleep(SETTLE_S)
        start_cpu, start_wall = cpu_seconds(child.pid), time.monotonic()
        start_ns = time.monotonic_ns()
        start_threads, start_switches = thread_seconds(child.pid), switches(child.pid)
        slices: list[float] = []
        last_cpu, last_wall = start_cpu, start_wall
        while time.monotonic() - start_wall < seconds - 1e-3:
            time.sleep(min(SLICE_S, seconds - (time.monotonic() - start_wall)))
            cpu, wall = cpu_seconds(child.pid), time.monotonic()
            slices.append((cpu - last_cpu) / (wall - last_wall) * 100)
            last_cpu, last_wall = cpu, wall
        wall = last_wall - start_wall
        end_ns = time.monotonic_ns()
        requests = [r for r in sim.get("/_bench/requests") if start_ns <= r[0] <= end_ns]
        end_threads = thread_seconds(child.pid)
        woke = switches(child.pid) - start_switches
        if child.poll() is not None:
            raise RuntimeError(f"the console exited early ({child.returncode})")
    finally:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    percent = (last_cpu - start_cpu) / wall * 100
    return {
        "percent": percent,
        "cpu_s": last_cpu - start_cpu,
        "wall_s": wall,
        "slices": slices,
        "wakeups_per_s": woke / wall,
        "requests": requests,
        "threads_cpu_s": {
            name: round(end_threads.get(name, 0.0) - start_threads.get(name, 0.0), 2)
            for name in end_threads
            if end_threads.get(name, 0.0) - start_threads.get(name, 0.0) > 0
        },
    }


def request_rate(requests: list[list[Any]], buildings: list[int], wall_s: float) -> dict[str, Any]:
    """Requests a minute, by what they ask for and per building."""
    by_kind: dict[str, int] = {}
    per_building = dict.fromkeys(buildings, 0)
    for _ns, path, query in requests:
        kind = re.sub(r"/\d+", "/{id}", path)
        by_kind[kind] = by_kind.get(kind, 0) + 1
        for building in buildings:
            if str(building) in path or str(building) in query:
                per_building[building] += 1
    minutes = wall_s / 60
    return {
        "requests_per_min": round(len(requests) / minutes, 1),
        "requests_per_min_per_building": round(len(requests) / minutes / len(buildings), 1),
        "building_scoped_requests_per_min": {
            str(b): round(n / minutes, 1) for b, n in per_building.items()
        },
        "by_path_per_min": {k: round(n / minutes, 1) for k, n in sorted(by_kind.items())},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--doors", default="200,20000", help="comma-separated roster sizes")
    parser.add_argument(
        "--no-event-call-polls",
        action="store_true",
        help="experiment: the same desk without its event and call polls (roster only), to "
        "tell the timers' share from the polls'",
    )
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bmx-bench-idle-"))
    rate: dict[str, Any] | None = None
    for doors in (int(n) for n in args.doors.split(",")):
        runs: list[dict[str, Any]] = []
        window_s = max(args.seconds, roster_cycle_s(doors))
        count = max(1, round(args.runs * args.seconds / window_s))
        with SimProcess(*(["--doors", str(doors)] if doors > 20 else [])) as sim:
            buildings = list(sim.info["buildings"])
            for run in range(count):
                runs.append(
                    one_run(
                        sim,
                        root / f"{doors}-run-{run}",
                        window_s,
                        not args.no_event_call_polls,
                    )
                )
                note(f"{doors} doors, run {run + 1}: {runs[-1]['percent']:.2f} % of one core")
        if rate is None:
            rate = {
                "doors": doors,
                **request_rate(runs[0]["requests"], buildings, runs[0]["wall_s"]),
            }
        median = spread([r["percent"] for r in runs], 2)["median"]
        emit(
            {
                "benchmark": "idle_cpu",
                "scenario": f"{doors}_doors",
                "measured": f"user+sys CPU time of the console process over {window_s:g} s "
                "of wall time at rest (one roster cycle, at least a minute), default "
                "intervals, as % of one core",
                "unit": "% of one core",
                "doors": doors,
                "window_s": window_s,
                "roster_refreshes_in_window": int(window_s // roster_cycle_s(doors)),
                "runs": count,
                "idle_cpu_percent": spread([r["percent"] for r in runs], 2),
                "cpu_seconds": spread([r["cpu_s"] for r in runs], 2),
                "percent_per_10s_slice_first_run": [round(s, 2) for s in runs[0]["slices"]],
                "wakeups_per_s": spread([r["wakeups_per_s"] for r in runs]),
                "threads_cpu_s_first_run": runs[0]["threads_cpu_s"],
                "experiment": "no-event-call-polls" if args.no_event_call_polls else None,
                "target": f"<= {TARGET_PERCENT:g} % of one core",
                "pass": median <= TARGET_PERCENT,
                "environment": environment(),
            }
        )
    if rate is not None:
        emit(
            {
                "benchmark": "request_rate",
                "measured": "requests the idle desk made to the simulator over the idle "
                "minute, default intervals (doors 60 s, events 30 s, calls 10 s)",
                "unit": "requests per minute",
                **rate,
                "environment": environment(),
            }
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
