"""One console per user: a second launch raises the first and exits; a crash never locks out."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from pytestqt.qtbot import QtBot

from bmx_console.paths import user_paths
from bmx_console.ui.single_instance import SingleInstance
from tests.support import Child, wait_for

ROOT = Path(__file__).resolve().parents[2]

SECOND_LAUNCH = """
import sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from bmx_console.ui.single_instance import SingleInstance
app = QCoreApplication([])
instance = SingleInstance(Path(sys.argv[1]))
first = instance.acquire()
print("primary" if first else "secondary", flush=True)
if first:
    sys.stdin.readline()  # hold the lock until the test says so (or kills us)
"""


def _launch(folder: Path) -> Child:
    return Child(
        [sys.executable, "-c", SECOND_LAUNCH, str(folder)],
        cwd=ROOT,
        stdin=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def test_a_second_launch_asks_the_first_to_come_forward_and_exits_0(
    qtbot: QtBot, tmp_path: Path
) -> None:
    first = SingleInstance(tmp_path)
    assert first.acquire()
    try:
        with qtbot.waitSignal(first.activated, timeout=10_000), _launch(tmp_path) as second:
            done = second.finish(timeout=10)
        assert done.out.strip() == "secondary"
        assert done.returncode == 0
    finally:
        first.release()


def test_once_the_first_quits_the_next_launch_is_the_console(tmp_path: Path) -> None:
    first = SingleInstance(tmp_path)
    assert first.acquire()
    first.release()
    with _launch(tmp_path) as again:
        assert again.line().strip() == "primary"
        again.send("\n")
        assert again.finish(timeout=10).returncode == 0


def test_a_crashed_console_does_not_lock_the_next_one_out(tmp_path: Path) -> None:
    with _launch(tmp_path) as crashed:
        assert crashed.line().strip() == "primary"
        crashed.finish(timeout=10, send_signal=signal.SIGKILL)
    assert (tmp_path / "bmx-console.lock").exists()

    successor = SingleInstance(tmp_path)
    try:
        assert successor.acquire()
        assert successor.is_primary
    finally:
        successor.release()


def test_a_second_bmx_console_raises_the_running_kiosk_and_exits_0(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    log = user_paths().log_dir / "bmx-console.log"
    lock = user_paths().data_dir / "bmx-console.lock"
    command = [sys.executable, "-m", "bmx_console", "--demo"]
    with (tmp_path / "first.out").open("wb") as output:
        first = subprocess.Popen(
            [*command, "--kiosk"], cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        wait_for(lambda: lock.exists() and log.exists(), "the first console to start", alive=first)
        second = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )
        assert second.returncode == 0, second.stderr
        assert "already running" in second.stdout
        wait_for(
            lambda: "asked this console to come to the front" in log.read_text("utf-8"),
            "the first console to hear the second",
            alive=first,
        )
        assert first.poll() is None
    finally:
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=10)
