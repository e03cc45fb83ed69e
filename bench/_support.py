"""What the bench scripts share: the environment they report, statistics, isolated settings
folders for child consoles, a simulator in its own process, and a UI-thread heartbeat.

Not a test module and not part of the package: the scripts are run by hand (see
docs/benchmarks.md), each printing one JSON object.
"""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def _cpu_times() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = [int(x) for x in stat.readline().split()[1:]]
    except OSError:
        return 0.0, 0.0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return float(sum(fields) - idle), float(sum(fields))


# When the script started: how busy the machine was during the run is read against this.
_STARTED = _cpu_times()


def environment() -> dict[str, Any]:
    """Versions, platform and machine load, so that a figure can be read in context."""
    import PySide6
    import qasync
    from PySide6.QtCore import qVersion

    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = []
    busy, total = _cpu_times()
    busy_share = (busy - _STARTED[0]) / (total - _STARTED[1]) if total > _STARTED[1] else 0.0
    return {
        # Every process on the machine, this benchmark included, over the run: on 2 cores
        # shared with other work, figures rise with this.
        "machine_busy_percent_during_run": round(busy_share * 100, 1),
        "python": platform.python_version(),
        "pyside6": PySide6.__version__,
        "qt": qVersion(),
        "qasync": getattr(qasync, "__version__", "?"),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "loadavg_1_5_15": load,
        "qt_qpa_platform": os.environ.get("QT_QPA_PLATFORM")
        or ("xcb" if os.environ.get("DISPLAY") else ""),
        "display": os.environ.get("DISPLAY", ""),
        "git": _git_revision(),
    }


def _git_revision() -> str:
    # run_all.sh --committed runs an exported copy (no .git) and names the commit itself.
    if os.environ.get("BMX_BENCH_REVISION"):
        return os.environ["BMX_BENCH_REVISION"]
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "?"
    return f"{head}{'+dirty' if dirty else ''}"


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of ``values``."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def spread(values: Iterable[float], digits: int = 1) -> dict[str, Any]:
    """Median, min, max and every value, rounded: how runs are reported."""
    items = [float(v) for v in values]
    return {
        "median": round(statistics.median(items), digits),
        "min": round(min(items), digits),
        "max": round(max(items), digits),
        "runs": [round(v, digits) for v in items],
    }


def emit(result: dict[str, Any]) -> None:
    """The script's one JSON object on stdout."""
    print(json.dumps(result, indent=None, sort_keys=False), flush=True)


def note(text: str) -> None:
    """Progress for the person running the bench, on stderr (stdout is the JSON)."""
    print(f"[bench] {text}", file=sys.stderr, flush=True)


def child_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a child console: its own config, data, log and state folders (no
    window geometry, pins, audit log or single-instance lock shared with anything else), and
    a shared cache folder so that fontconfig does not rebuild its cache on every start."""
    env = dict(os.environ)
    for name, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
    ):
        folder = home / sub
        folder.mkdir(parents=True, exist_ok=True)
        env[name] = str(folder)
    cache = Path(tempfile.gettempdir()) / "bmx-bench-cache"
    cache.mkdir(exist_ok=True)
    env["XDG_CACHE_HOME"] = str(cache)
    # An installed console has compiled bytecode (pip and PyInstaller write it); this
    # sandbox sets PYTHONDONTWRITEBYTECODE, which would make every child compile the whole
    # package from source. The children keep their bytecode outside the work tree instead.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(cache / "pycache")
    env.pop("BMX_CLIENT_ID", None)
    env.pop("BMX_CLIENT_SECRET", None)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    env.update(extra)
    return env


def isolate_here(home: Path) -> None:
    """Point this process's own config, data and state folders at ``home``."""
    for name, value in child_env(home).items():
        if name.startswith("XDG_"):
            os.environ[name] = value


async def until(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    """Wait on the running loop until ``condition()`` holds (checked every 50 ms)."""
    import asyncio

    for _ in range(max(1, int(timeout_s / 0.05))):
        if condition():
            return
        await asyncio.sleep(0.05)
    if not condition():
        raise TimeoutError(f"timed out after {timeout_s:g} s waiting for {what}")


class SimProcess:
    """The simulator in a process of its own (``bench/_sim_server.py``), so that its work
    never counts as the console's CPU time, memory or event-loop stalls."""

    def __init__(self, *args: str) -> None:
        self._args = [sys.executable, str(BENCH / "_sim_server.py"), *args]
        self._process: subprocess.Popen[str] | None = None
        self.info: dict[str, Any] = {}

    def __enter__(self) -> SimProcess:
        self._process = subprocess.Popen(
            self._args,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=child_env(Path(tempfile.mkdtemp(prefix="bmx-bench-sim-"))),
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            self.close()
            raise RuntimeError("the simulator process did not start")
        self.info = json.loads(line)
        return self

    @property
    def base_url(self) -> str:
        return str(self.info["base_url"])

    def get(self, path: str) -> Any:
        import httpx

        response = httpx.get(self.base_url + path, timeout=10)
        response.raise_for_status()
        return response.json()

    def close(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        # Closing its stdin is how the simulator is told to stop.
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def __exit__(self, *_: object) -> None:
        self.close()


def loopback_settings(sim: SimProcess | dict[str, Any], **changes: Any) -> Any:
    """Settings of a console configured for the loopback simulator (as an integrator would
    configure a real one), with ``changes`` on top; ``sim`` is the process or its ``info``
    (in a child that was handed it)."""
    from bmx_console.config import Settings

    info = sim.info if isinstance(sim, SimProcess) else sim
    return Settings(
        client_id=info["client_id"],
        api_base=info["base_url"],
        token_url=info["token_url"],
        **changes,
    )


def loopback_desk(sim: SimProcess, settings: Any, home: Path) -> Any:
    """The real desk (not yet started) on ``settings`` for the loopback simulator, signed in
    with its client secret, with its window state, audit log and cursor under ``home``."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from bmx_console.desk import Desk
    from bmx_console.secrets import SecretStore
    from bmx_console.ui.theme import ThemeManager

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return Desk(
        settings,
        SecretStore(env={"BMX_CLIENT_SECRET": sim.info["client_secret"]}),
        qsettings=QSettings(str(home / "desk.ini"), QSettings.Format.IniFormat),
        theme=ThemeManager(app),
        audit_path=home / "audit.sqlite3",
        cursor_path=home / "cursor.json",
    )


def front_desk_settings(sim: SimProcess | dict[str, Any], **changes: Any) -> Any:
    """``loopback_settings`` of the bench's operator, releasing as the first building's
    front desk."""
    info = sim.info if isinstance(sim, SimProcess) else sim
    building = info["buildings"][0]
    return loopback_settings(
        info, release_tenant_id=info["front_desk"][str(building)], operator="bench", **changes
    )


def save_config_in(home: Path, settings: Any) -> None:
    """Save ``settings`` as the config.toml a child console with ``child_env(home)`` reads,
    leaving this process's own folders as they were."""
    from bmx_console import config
    from bmx_console.paths import Paths

    env = child_env(home)
    saved = {k: os.environ.get(k) for k in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME")}
    try:
        os.environ.update({k: env[k] for k in saved})
        config.save_settings(settings, Paths.for_user().config_file)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class Heartbeat:
    """A precise 5 ms timer on the UI thread; the longest gap between ticks is the longest
    time the event loop could not run anything."""

    def __init__(self, interval_ms: int = 5) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.interval_ms = interval_ms
        self.ticks: list[float] = []
        # The UI thread's own CPU time at each tick: a gap in which the thread used little
        # CPU was spent waiting for a core (other processes), not working.
        self.cpu: list[float] = []
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        self.ticks.append(time.perf_counter())
        self.cpu.append(time.thread_time())

    def start(self) -> None:
        self.ticks.clear()
        self.cpu.clear()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def gaps_ms(self) -> list[float]:
        return [(b - a) * 1000 for a, b in zip(self.ticks, self.ticks[1:], strict=False)]

    def worst_indexes(self, count: int = 5) -> list[int]:
        """The ticks that begin the longest gaps, longest first (gap i runs to tick i+1)."""
        ticks = self.ticks
        return sorted(range(len(ticks) - 1), key=lambda i: ticks[i] - ticks[i + 1])[:count]

    def worst(self, count: int = 5) -> list[dict[str, float]]:
        """The longest gaps, when they started (ms from the first tick), and how much CPU
        the UI thread used during each."""
        if len(self.ticks) < 2:
            return []
        start = self.ticks[0]
        order = self.worst_indexes(count)
        return [
            {
                "gap_ms": round((self.ticks[i + 1] - self.ticks[i]) * 1000, 1),
                "ui_thread_cpu_ms": round((self.cpu[i + 1] - self.cpu[i]) * 1000, 1),
                "at_ms": round((self.ticks[i] - start) * 1000),
            }
            for i in order
        ]


class GcWatch:
    """How long each of Python's garbage collections took while it was watching."""

    def __init__(self) -> None:
        import gc

        self._started: float | None = None
        self.collections: list[tuple[int, float]] = []
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        elif self._started is not None:
            self.collections.append((info["generation"], time.perf_counter() - self._started))
            self._started = None

    def stop(self) -> None:
        import gc

        if self._callback in gc.callbacks:
            gc.callbacks.remove(self._callback)

    def summary(self) -> dict[str, Any]:
        by_generation: dict[str, Any] = {}
        for generation in (0, 1, 2):
            times = [t * 1000 for g, t in self.collections if g == generation]
            by_generation[f"gen{generation}"] = {
                "count": len(times),
                "longest_ms": round(max(times), 1) if times else 0.0,
            }
        return by_generation
