"""The table of docs/benchmarks.md ("Where things stand") from a results file.

``python bench/summarize.py [bench/results.jsonl]`` prints one Markdown row per figure: what,
target, result, met or not, and how busy the machine was during that figure (load average
and the share of both cores in use). Paste it over the table and note the revision printed
above it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _p(d: dict[str, Any], key: str) -> str:
    figure = d[key]
    return f"p50 {figure['p50']:g}, **p99 {figure['p99']:g} ms** (max {figure['max']:g})"


ROWS: list[tuple[str, str, str, Callable[[dict[str, Any]], str]]] = [
    (
        "startup",
        "",
        "Start-up, frame / bare first paint (200 doors)",
        lambda d: (
            f"**{d['ratio_desk_over_bare']:g}×** ({d['desk_first_paint_ms']['median']:g}"
            f" / {d['bare_first_paint_ms']['median']:g} ms)"
        ),
    ),
    (
        "startup",
        "",
        "Start-up, doors on screen / bare first paint (target ≤ 2×)",
        lambda d: (
            f"**{d['ratio_doors_over_bare']:g}×** ({d['desk_doors_on_screen_ms']['median']:g} ms)"
        ),
    ),
    (
        "release_latency",
        "at_rest",
        "Release at rest: X click → request at server (≤ 10 ms p99)",
        lambda d: _p(d, "click_to_server_ms"),
    ),
    (
        "release_latency",
        "at_rest",
        "Release at rest: server's 201 → Released on screen (≤ 20 ms p99)",
        lambda d: _p(d, "server_201_to_released_on_screen_ms"),
    ),
    (
        "release_latency",
        "under_2000_events_per_s",
        "Release under load: X click → request at server (≤ 10 ms p99)",
        lambda d: _p(d, "click_to_server_ms") + f"; {d['events_per_s_arriving']} events/s seen",
    ),
    (
        "release_latency",
        "under_2000_events_per_s",
        "Release under load: 201 → Released on screen (≤ 20 ms p99)",
        lambda d: _p(d, "server_201_to_released_on_screen_ms"),
    ),
]


def rows(results: list[dict[str, Any]]) -> list[str]:
    out = ["| Figure | Result | Met | Load (1 min) / machine busy |", "| --- | --- | --- | --- |"]

    def load(d: dict[str, Any]) -> str:
        env = d.get("environment", {})
        avg = env.get("loadavg_1_5_15") or ["?"]
        return f"{avg[0]} / {env.get('machine_busy_percent_during_run', '?')} %"

    def met(ok: Any) -> str:
        return "met" if ok else "**not met**"

    for bench, scenario, title, text in ROWS:
        for d in results:
            if d.get("benchmark") == bench and d.get("scenario", "") == scenario:
                ok = d.get("pass")
                if bench == "startup":
                    ok = (
                        d["ratio_desk_over_bare"] <= 1.5
                        if "frame" in title
                        else d["ratio_doors_over_bare"] <= 2.0
                    )
                elif bench == "release_latency":
                    key = (
                        "click_to_server_ms"
                        if "request" in title
                        else "server_201_to_released_on_screen_ms"
                    )
                    ok = d[key]["p99"] <= (10.0 if key == "click_to_server_ms" else 20.0)
                out.append(f"| {title} | {text(d)} | {met(ok)} | {load(d)} |")
    for d in results:
        bench = d.get("benchmark")
        if bench == "event_stall":
            out.append(
                f"| Longest UI stall, {d['doors']:,} doors, real pollers at 2,000 events/s, "
                f"refresh + full GC ({d['target']}) | **{d['max_gap_ms']:g} ms** (load "
                f"{d['max_gap_initial_load_ms']:g}, refresh {d['max_gap_roster_refresh_ms']:g}, "
                f"full GC {d['max_gap_full_collection_ms']:g}); doors on screen "
                f"{d['roster_arrival_to_doors_painted_ms']} ms after the roster; "
                f"{d['events_per_s']} events/s seen | {met(d['pass'])} | {load(d)} |"
            )
        elif bench == "memory":
            out.append(
                f"| PSS at rest, {d['scenario'].replace('_', ' ')} / bare ({d['target']}) | "
                f"**{d['ratio_desk_over_bare_pss']:g}×** ({d['desk_pss_mib']['median']:g} / "
                f"{d['bare_pss_mib']['median']:g} MiB; RSS {d['ratio_desk_over_bare_rss']:g}×) | "
                f"{met(d['pass'])} | {load(d)} |"
            )
        elif bench == "idle_cpu":
            out.append(
                f"| Idle CPU over {d.get('window_s', 60) / 60:g} min, {d['doors']:,} doors "
                f"({d.get('roster_refreshes_in_window', 1)} roster refresh in it; ≤ 0.5 %) | "
                f"**{d['idle_cpu_percent']['median']:g} %** "
                f"({d['idle_cpu_percent']['min']:g}-{d['idle_cpu_percent']['max']:g}) | "
                f"{met(d['pass'])} | {load(d)} |"
            )
        elif bench == "request_rate":
            out.append(
                f"| Requests per building per minute, default settings ({d['doors']} doors) | "
                f"**{d['requests_per_min_per_building']:g}** ({d['requests_per_min']:g} in all: "
                + ", ".join(f"{k} {v:g}" for k, v in d["by_path_per_min"].items())
                + f") | (no target) | {load(d)} |"
            )
        elif bench == "cli_latency":
            out.append(
                f"| `bmx-console doors` wall time vs curl, same requests (≤ 100 ms) | "
                f"**{d['console_ms']['median']:g} ms** ({d['console_ms']['min']:g}-"
                f"{d['console_ms']['max']:g}); curl {d['curl_same_requests_ms']['median']:g} ms |"
                f" {met(d['pass'])} | {load(d)} |"
            )
    return out


def main() -> int:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/results.jsonl")
    results = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    revisions = sorted({d.get("environment", {}).get("git", "?") for d in results})
    print(f"Revision: {', '.join(revisions)}; {len(results)} figures from {path}\n")
    print("\n".join(rows(results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
