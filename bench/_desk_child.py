"""A console process for the memory and idle-CPU benches: the real program, with a probe.

``python bench/_desk_child.py --mode memory|idle ...``, with the simulator's JSON line in the
BMX_BENCH_SIM environment variable and its demo client secret in BMX_CLIENT_SECRET (both set
by the parent), saves a config.toml for the loopback simulator (client id, URLs, release
tenant, operator) and runs ``bmx_console.cli.main([])``: the same start-up as
``bmx-console`` (logging, single instance, theme, the desk window, the pollers at their
default intervals). The only addition is a probe started with the desk (``Desk.start`` is
wrapped to learn which desk it is) that waits for the doors and events to be loaded and
shown, then:

* memory: lets the console idle ``--idle-s`` seconds, reads VmRSS and VmHWM from
  /proc/self/status and PSS from /proc/self/smaps_rollup, prints them as JSON and exits;
* idle: prints one JSON line saying it is ready and keeps running until it is terminated
  (the parent reads this process's CPU time from /proc/<pid>/stat meanwhile).

``--bare`` instead shows a bare PySide6 window (a QMainWindow with a label, the same size)
and reports its memory the same way.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import time
from typing import Any

import _support  # also puts the repository on sys.path


def status_kb() -> dict[str, Any]:
    """VmRSS and VmHWM (peak) of this process, in kB; how many modules it imported, and how
    much source text sits in ``linecache`` (PySide6's feature hook reads the source of every
    module imported after it, and the text stays there)."""
    import linecache

    wanted = {"VmRSS", "VmHWM", "RssAnon", "RssFile"}
    found: dict[str, Any] = {
        "modules": len(sys.modules),
        "linecache_source_mib": round(
            sum(
                sum(len(line) for line in entry[2])
                for entry in linecache.cache.values()
                if len(entry) > 2
            )
            / 2**20,
            2,
        ),
        "simulator_imported": "bmx_console.sim.cloud" in sys.modules,
    }
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in wanted:
                found[name] = int(value.split()[0])
    # PSS: each shared page (Qt's libraries, fonts) counted once over the processes that map
    # it, so that a library both windows load weighs what it does, not its whole size twice.
    with contextlib.suppress(OSError), open("/proc/self/smaps_rollup", encoding="ascii") as rollup:
        for line in rollup:
            name, _, value = line.partition(":")
            if name in ("Pss", "Pss_Anon", "Pss_File", "Pss_Shmem"):
                found[name] = int(value.split()[0])
    return found


def finish(payload: dict[str, Any]) -> None:
    print(json.dumps(payload), flush=True)
    os._exit(0)


def bare(idle_s: float) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QLabel("Hello from a bare PySide6 window"))
    window.resize(1480, 900)
    window.show()

    def exposed() -> None:
        handle = window.windowHandle()
        if handle is None or not handle.isExposed():
            QTimer.singleShot(50, exposed)
            return
        QTimer.singleShot(int(idle_s * 1000), lambda: finish(status_kb()))

    QTimer.singleShot(0, exposed)
    app.exec()


async def probe(
    desk: Any, mode: str, doors: int, events: int, idle_s: float, clear_linecache: bool
) -> None:
    from _support import until

    window = desk.window
    await until(lambda: desk.store.door_count() >= doors, 120, f"{doors} doors")
    await until(lambda: desk.store.event_count() >= events, 120, f"{events} events")
    await until(
        lambda: window.windowHandle() is not None and window.windowHandle().isExposed(),
        30,
        "the window on screen",
    )
    await desk.pollers.ready()
    if "calls" in desk.pollers:
        await desk.pollers["calls"].wait_first_success()
    await desk.settle()
    if clear_linecache:
        import linecache

        linecache.clearcache()
    if mode == "idle":
        print(json.dumps({"ready_ns": time.monotonic_ns()}), flush=True)
        return
    await asyncio.sleep(idle_s)
    finish(
        {
            **status_kb(),
            "doors": desk.store.door_count(),
            "events": desk.store.event_count(),
            "calls": desk.store.call_count(),
            **python_heap(),
        }
    )


def python_heap() -> dict[str, Any]:
    """Under ``python -X tracemalloc``: what Python allocated, by the file that allocated it
    (the memory bench's --explain)."""
    import tracemalloc

    if not tracemalloc.is_tracing():
        return {}
    snapshot = tracemalloc.take_snapshot()
    stats = snapshot.statistics("filename")
    total = sum(s.size for s in stats)
    return {
        "python_heap_mib": round(total / 2**20, 1),
        "python_heap_by_file_mib": {
            s.traceback[0].filename.split("site-packages/")[-1].split("/work/main/")[-1]: round(
                s.size / 2**20, 2
            )
            for s in stats[:25]
        },
    }


# Imported before PySide6 by --preimport: PySide6's import hook reads the source of every
# module imported after PySide6 (to look for "PySide6" in it), and that text stays in
# linecache; modules already imported are not read.
PREIMPORT = (
    "asyncio",
    "sqlite3",
    "email.message",
    "http.cookiejar",
    "zoneinfo",
    "httpx",
    "httpcore",
    "anyio",
    "anyio._backends._asyncio",
    "h11",
    "keyring",
    "keyring.backends.SecretService",
    "truststore",
    "platformdirs",
    "tomllib",
    "tomli_w",
    "qrcode",
)


def desk_child(
    sim: dict[str, Any],
    mode: str,
    doors: int,
    events: int,
    idle_s: float,
    clear_linecache: bool = False,
    intervals: dict[str, int] | None = None,
) -> int:
    # In the order the program itself loads them (bmx_console.app first, as cli.main does).
    from bmx_console import app, cli, config  # noqa: F401
    from bmx_console.desk import Desk

    config.save_settings(_support.front_desk_settings(sim, **(intervals or {})))
    tasks: list[asyncio.Task[None]] = []
    start = Desk.start

    def start_and_probe(desk: Any) -> None:
        start(desk)
        tasks.append(
            asyncio.ensure_future(probe(desk, mode, doors, events, idle_s, clear_linecache))
        )
        tasks[-1].add_done_callback(_probe_failed)

    Desk.start = start_and_probe  # type: ignore[method-assign]
    return cli.main([])


def _probe_failed(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        print(f"probe failed: {task.exception()!r}", file=sys.stderr, flush=True)
        os._exit(3)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=("memory", "idle"), default="memory")
    parser.add_argument("--bare", action="store_true")
    parser.add_argument("--doors", type=int, default=0)
    parser.add_argument("--events", type=int, default=0)
    parser.add_argument("--idle-s", type=float, default=5.0)
    parser.add_argument(
        "--no-event-call-polls",
        action="store_true",
        help="experiment: events_interval and calls_interval 0 (the door roster still polls)",
    )
    parser.add_argument(
        "--preimport",
        action="store_true",
        help="experiment: import the non-Qt dependencies before PySide6",
    )
    parser.add_argument(
        "--clear-linecache",
        action="store_true",
        help="experiment: drop the source text PySide6's import hook left in linecache",
    )
    args = parser.parse_args()
    if args.preimport:
        import importlib

        for name in PREIMPORT:
            with contextlib.suppress(ImportError):
                importlib.import_module(name)
    if args.bare:
        bare(args.idle_s)
        return 0
    return desk_child(
        json.loads(os.environ["BMX_BENCH_SIM"]),
        args.mode,
        args.doors,
        args.events,
        args.idle_s,
        args.clear_linecache,
        {"events_interval": 0, "calls_interval": 0} if args.no_event_call_polls else None,
    )


if __name__ == "__main__":
    sys.exit(main())
