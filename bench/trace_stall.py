"""What ran in the longest UI stalls of ``bench/event_stall.py``: a diagnostic, not a figure.

Runs the stall bench (same arguments, a short run by default) with two probes: every Qt
event that takes over 0.3 ms (as the application's ``notify`` sees it, with its receiver and
the receiver's parent) and every loop callback over 0.2 ms (``DeskEventLoop._run_one``,
named by its coroutine). For each of the worst gaps it prints, to stderr, what overlapped it,
in milliseconds from the gap's start, nested events indented. The probes slow the desk down
(Python sees every event), so read the shape of a gap, not its length.

Run under Xvfb: xvfb-run -a -s "-screen 0 1600x1000x24" python bench/trace_stall.py
[--doors 2000 --min-s 8 --max-s 9]
"""

from __future__ import annotations

import runpy
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))

import _support  # noqa: E402
import PySide6.QtWidgets as widgets  # noqa: E402

from bmx_console.ui import event_loop  # noqa: E402

# (started, ended, nesting, what), perf_counter seconds.
TRACE: list[tuple[float, float, int, str]] = []
_depth = [0]


def _probe_callbacks() -> None:
    run_one = event_loop.DeskEventLoop._run_one

    def timed(self: Any, handle: Any) -> None:
        started = time.perf_counter()
        run_one(self, handle)
        ended = time.perf_counter()
        if ended - started > 0.0002:
            owner = getattr(handle._callback, "__self__", None)
            get_coro = getattr(owner, "get_coro", None)
            name = get_coro().__qualname__ if get_coro else repr(handle._callback)[:80]
            TRACE.append((started, ended, _depth[0], f"callback {name}"))

    event_loop.DeskEventLoop._run_one = timed  # type: ignore[method-assign]


class _TracedApplication(widgets.QApplication):
    def notify(self, receiver: Any, event: Any) -> bool:
        _depth[0] += 1
        started = time.perf_counter()
        kind = event.type().name
        try:
            return super().notify(receiver, event)
        finally:
            ended = time.perf_counter()
            _depth[0] -= 1
            if ended - started > 0.0003 and _depth[0] < 2:
                try:
                    parent = receiver.parent()
                    where = f"{type(receiver).__name__} in {type(parent).__name__}"
                except RuntimeError:  # deleted while handling its event
                    where = "a deleted object"
                TRACE.append((started, ended, _depth[0], f"event {kind} -> {where}"))


def _report_worst() -> None:
    worst = _support.Heartbeat.worst

    def reported(self: Any, count: int = 5) -> list[dict[str, float]]:
        gaps = worst(self, count)
        for gap, i in zip(gaps, self.worst_indexes(count), strict=True):
            start, end = self.ticks[i], self.ticks[i + 1]
            print(f"== gap {gap['gap_ms']} ms at {gap['at_ms']} ms", file=sys.stderr)
            for began, ended, depth, what in sorted(TRACE):
                if ended >= start and began <= end:
                    offset, took = (began - start) * 1000, (ended - began) * 1000
                    print(f"   {offset:6.1f} +{took:5.1f} {'  ' * depth}{what}", file=sys.stderr)
        return gaps

    _support.Heartbeat.worst = reported  # type: ignore[method-assign]


def main() -> None:
    arguments = sys.argv[1:] or ["--doors", "2000", "--min-s", "8", "--max-s", "9"]
    sys.argv = [str(HERE / "event_stall.py"), *arguments]
    _probe_callbacks()
    widgets.QApplication = _TracedApplication  # type: ignore[misc]
    _report_worst()
    runpy.run_path(str(HERE / "event_stall.py"), run_name="__main__")


if __name__ == "__main__":
    main()
