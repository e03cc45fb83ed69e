"""Start-up: process spawn to the first paint of the desk window (``bmx-console``, configured
for a loopback simulator with 200 doors) and to its doors on screen, against a bare PySide6
window (a QMainWindow with a label), measured the same way in the same run. Targets: the
frame <= 1.5 x bare; the doors on screen <= 2 x bare (usable at once).

Each sample is a fresh child process (``python bench/startup.py --child desk|bare``). The
parent reads CLOCK_MONOTONIC just before spawning it; the child reads the same system-wide
clock once its main window has painted for the first time: a single-shot timer started from
the window's first ``paintEvent`` fires after the whole frame (every child widget) has been
painted and flushed to the X server. The desk child runs the real entry point
(``bmx_console.cli.main([])``, with a config.toml the parent saved for the loopback simulator
in a process of its own, ``--doors 200``: settings, connection, store, pollers, release
service, audit log, window); it only adds that paintEvent hook to the MainWindow class and
notes when a few phases start and end (run_app, run_console, connect, Desk.__init__,
Desk._build_window, Desk.start), for the breakdown. It also notes when the door list first
paints with doors in it (a zero timer after that paint, as for the frame): the second moment,
when the console can be used.

Every child gets fresh config/data folders (no saved geometry, no single-instance lock in
common with anything else), a shared font cache and compiled bytecode kept outside the work
tree (as an installed console has; this sandbox sets PYTHONDONTWRITEBYTECODE, which would
make the desk compile its own source files on every start). One warm-up pair is not counted.
With BMX_BENCH_PROFILE=file.prof a child also writes a cProfile of its start-up.

Run under Xvfb: xvfb-run -a -s "-screen 0 1600x1000x24" python bench/startup.py [--runs 5]
"""

from __future__ import annotations

import time

# The first thing a child does: when Python got this far.
T0_NS = time.monotonic_ns()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

TARGET_RATIO = 1.5
TARGET_DOORS_RATIO = 2.0
DOORS = 200
DOORS_TIMEOUT_MS = 15_000


PROFILE_ENV = "BMX_BENCH_PROFILE"
_profiler: Any = None


def _start_profile() -> None:
    """With BMX_BENCH_PROFILE=file.prof a child records a cProfile of its start-up."""
    global _profiler
    if os.environ.get(PROFILE_ENV):
        import cProfile

        _profiler = cProfile.Profile()
        _profiler.enable()


def _finish(stamps: dict[str, int]) -> None:
    if _profiler is not None:
        _profiler.disable()
        _profiler.dump_stats(os.environ[PROFILE_ENV])
    print(json.dumps(stamps), flush=True)
    # The figure is taken; tearing the console down properly is not what is measured.
    os._exit(0)


def child_bare() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QPaintEvent
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    stamps = {"script_ns": T0_NS, "imports_ns": time.monotonic_ns()}

    class Bare(QMainWindow):
        painted = False

        def paintEvent(self, event: QPaintEvent) -> None:
            super().paintEvent(event)
            if not self.painted:
                self.painted = True
                stamps["paint_event_ns"] = time.monotonic_ns()
                QTimer.singleShot(0, frame_done)

    def frame_done() -> None:
        stamps["first_paint_ns"] = time.monotonic_ns()
        _finish(stamps)

    app = QApplication(sys.argv[:1])
    stamps["qapplication_ns"] = time.monotonic_ns()
    window = Bare()
    window.setWindowTitle("bare")
    window.setCentralWidget(QLabel("Hello from a bare PySide6 window"))
    window.resize(1480, 900)
    window.show()
    stamps["shown_ns"] = time.monotonic_ns()
    app.exec()


def _timed(owner: Any, name: str, stamps: dict[str, int], label: str, end: bool = True) -> None:
    """Note when the first call of ``owner.name`` starts and (unless ``end`` is false, as for
    a coroutine function, whose call returns at once) ends: the desk's phases."""
    original = getattr(owner, name, None)
    if original is None:
        return  # renamed or gone: that phase is not in the breakdown

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        first = f"{label}_start_ns" not in stamps
        if first:
            stamps[f"{label}_start_ns"] = time.monotonic_ns()
        try:
            return original(*args, **kwargs)
        finally:
            if first and end:
                stamps[f"{label}_end_ns"] = time.monotonic_ns()

    setattr(owner, name, wrapper)


def child_desk() -> None:
    from PySide6.QtGui import QPaintEvent

    stamps = {"script_ns": T0_NS}
    from bmx_console import app, cli
    from bmx_console.ui.main_window import MainWindow

    stamps["imports_ns"] = time.monotonic_ns()
    done = {"window": False, "doors": False}
    waiting_doors = {"yes": False}

    def maybe_finish() -> None:
        if done["window"] and done["doors"]:
            _finish(stamps)

    def frame_done() -> None:
        # Emitted by the window from a zero timer started in its first paintEvent: the whole
        # frame has been painted and flushed (the bare child does the same).
        if "first_paint_ns" not in stamps:
            stamps["first_paint_ns"] = time.monotonic_ns()
            done["window"] = True
            QTimer.singleShot(DOORS_TIMEOUT_MS, lambda: _finish(stamps))
            maybe_finish()

    window_init = MainWindow.__init__

    def main_window_init(self: MainWindow, *args: Any, **kwargs: Any) -> None:
        window_init(self, *args, **kwargs)
        self.first_painted.connect(frame_done)

    doors_paint: list[Any] = []

    def door_view_paint(self: Any, event: QPaintEvent) -> None:
        doors_paint[0](self, event)
        model = self.model()
        if not waiting_doors["yes"] and model is not None and model.rowCount() > 0:
            waiting_doors["yes"] = True

            def doors_done() -> None:
                stamps["doors_painted_ns"] = time.monotonic_ns()
                done["doors"] = True
                maybe_finish()

            QTimer.singleShot(0, doors_done)

    from PySide6.QtCore import QTimer

    MainWindow.__init__ = main_window_init  # type: ignore[method-assign]
    _timed(app, "run_app", stamps, "run_app")
    _timed(app, "show_frame", stamps, "show_frame")
    # The console behind the frame (``bmx_console.desk``) loads after the frame is on screen:
    # note when its import starts and ends, then time its phases.
    import importlib.abc
    import importlib.machinery

    def on_desk_import(desk: Any) -> None:
        stamps["desk_import_end_ns"] = time.monotonic_ns()
        # The door list loads with the desk, after the frame: watch it paint its doors.
        from bmx_console.ui.door_list import DoorTableView

        doors_paint.append(DoorTableView.paintEvent)
        DoorTableView.paintEvent = door_view_paint  # type: ignore[method-assign]
        _timed(desk, "connect", stamps, "connect")
        _timed(desk.Desk, "_build_into", stamps, "build_into")
        _timed(desk.Desk, "start", stamps, "start")
        _timed(desk.Desk, "__init__", stamps, "desk_init")

    class DeskImportWatch(importlib.abc.MetaPathFinder):
        def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
            if name != "bmx_console.desk":
                return None
            stamps["desk_import_start_ns"] = time.monotonic_ns()
            spec = importlib.machinery.PathFinder.find_spec(name, path, target)
            loader = spec.loader if spec is not None else None
            if loader is not None and hasattr(loader, "exec_module"):
                execute = loader.exec_module

                def exec_module(module: Any) -> None:
                    execute(module)
                    on_desk_import(module)

                loader.exec_module = exec_module  # type: ignore[method-assign]
            return spec

    sys.meta_path.insert(0, DeskImportWatch())
    sys.exit(cli.main([]))


def configure(home: Path, sim: dict[str, Any]) -> dict[str, str]:
    """Save the desk child's config.toml for the loopback simulator (as an integrator would
    configure a real console) in ``home``; returns the child's extra environment."""
    from _support import front_desk_settings, save_config_in

    save_config_in(home, front_desk_settings(sim))
    return {"BMX_CLIENT_SECRET": sim["client_secret"]}


def run_child(kind: str, home: Path, sim: dict[str, Any] | None = None) -> dict[str, float]:
    from _support import child_env

    extra = configure(home, sim) if kind == "desk" and sim is not None else {}
    env = child_env(home, **extra)
    start = time.monotonic_ns()
    process = subprocess.run(
        [sys.executable, __file__, "--child", kind],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    lines = [line for line in process.stdout.splitlines() if line.startswith("{")]
    if process.returncode != 0 or not lines:
        raise RuntimeError(
            f"{kind} child failed (exit {process.returncode}): {process.stderr[-2000:]}"
        )
    stamps: dict[str, int] = json.loads(lines[-1])

    return {
        name.removesuffix("_ns") + "_ms": (stamp - start) / 1e6 for name, stamp in stamps.items()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", choices=("bare", "desk"))
    args = parser.parse_args()
    if args.child:
        _start_profile()
    if args.child == "bare":
        child_bare()
        return 0
    if args.child == "desk":
        child_desk()
        return 0

    from _support import SimProcess, emit, environment, note, spread

    samples: dict[str, list[dict[str, float]]] = {"bare": [], "desk": []}
    root = Path(tempfile.mkdtemp(prefix="bmx-bench-startup-"))
    with SimProcess("--doors", str(DOORS)) as server:
        sim = dict(server.info)
        for run in range(args.runs + 1):
            # Alternate which goes first, so that neither always starts on a warmer cache.
            order = ("bare", "desk") if run % 2 == 0 else ("desk", "bare")
            for kind in order:
                sample = run_child(kind, root / f"{kind}-{run}", sim)
                if run == 0:
                    note(f"warm-up {kind}: {sample['first_paint_ms']:.0f} ms (not counted)")
                    continue
                samples[kind].append(sample)
                note(
                    f"run {run} {kind}: first paint {sample['first_paint_ms']:.0f} ms"
                    + (
                        f", doors {sample['doors_painted_ms']:.0f} ms"
                        if "doors_painted_ms" in sample
                        else ""
                    )
                )

    bare = [s["first_paint_ms"] for s in samples["bare"]]
    desk = [s["first_paint_ms"] for s in samples["desk"]]
    bare_median = spread(bare)["median"]
    desk_median = spread(desk)["median"]
    ratio = desk_median / bare_median
    pair_ratios = [d / b for d, b in zip(desk, bare, strict=True)]
    doors = [s.get("doors_painted_ms", float("inf")) for s in samples["desk"]]
    doors_ratio = spread(doors)["median"] / bare_median
    result: dict[str, Any] = {
        "benchmark": "startup",
        "measured": "process spawn -> first paint of the main window (frame flushed), and "
        f"-> the door list painted with its doors ({DOORS} doors, loopback simulator)",
        "unit": "ms",
        "runs": args.runs,
        "bare_first_paint_ms": spread(bare),
        "desk_first_paint_ms": spread(desk),
        "ratio_desk_over_bare": round(ratio, 2),
        "ratio_per_run": spread(pair_ratios, 2),
        "desk_doors_on_screen_ms": spread(doors),
        "ratio_doors_over_bare": round(doors_ratio, 2),
        "target": f"frame <= {TARGET_RATIO} x bare; doors on screen <= {TARGET_DOORS_RATIO} x "
        "bare's first paint",
        "pass": ratio <= TARGET_RATIO and doors_ratio <= TARGET_DOORS_RATIO,
        "breakdown_ms_median": {
            kind: {
                key: spread([s[key] for s in runs if key in s])["median"]
                for key in sorted({k for s in runs for k in s}, key=lambda k: runs[0].get(k, 0))
            }
            for kind, runs in samples.items()
        },
        "environment": environment(),
    }
    emit(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
