"""The real kiosk under a real X server and window manager: close keys and the window
manager's close request change nothing, and the window stays mapped and full screen.

The app runs as a subprocess (``python -m bmx_console --demo --kiosk``) next to openbox; the
test talks to it only through X (xdotool, xprop, xwininfo) and reads its log to know when
each refused request has been handled, instead of sleeping.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bmx_console.paths import user_paths
from tests.support import require_or_skip, wait_for

pytestmark = pytest.mark.xvfb

ROOT = Path(__file__).resolve().parents[2]
TITLE = "^bmx-console kiosk$"
REFUSED_CLOSE = "Kiosk refused a request to close the window."
IGNORED_KEY = "Kiosk ignored a close key"


def x(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, timeout=30, check=False).stdout


@pytest.fixture
def window_manager() -> Iterator[None]:
    require_or_skip(bool(os.environ.get("DISPLAY")), "needs an X server (run under xvfb-run)")
    for tool in ("xdotool", "openbox", "xprop", "xwininfo"):
        require_or_skip(shutil.which(tool) is not None, f"needs {tool} (scripts/test installs it)")
    wm = subprocess.Popen(
        ["openbox", "--sm-disable"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for(
            lambda: "window id" in x("xprop", "-root", "_NET_SUPPORTING_WM_CHECK"),
            "openbox to manage the screen",
        )
        yield
    finally:
        wm.terminate()
        wm.wait(timeout=10)


@pytest.fixture
def kiosk_app(window_manager: None, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    output = (tmp_path / "kiosk.out").open("wb")
    app = subprocess.Popen(
        [sys.executable, "-m", "bmx_console", "--demo", "--kiosk"],
        cwd=ROOT,
        stdout=output,
        stderr=subprocess.STDOUT,
        env={k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"},
    )
    try:
        yield app
    finally:
        if app.poll() is None:
            app.send_signal(signal.SIGTERM)
            try:
                app.wait(timeout=10)
            except subprocess.TimeoutExpired:
                app.kill()
                app.wait(timeout=10)
        output.close()


def log_count(text: str) -> int:
    log = user_paths().log_dir / "bmx-console.log"
    return log.read_text(encoding="utf-8").count(text) if log.exists() else 0


def test_the_real_kiosk_refuses_every_close_and_stays_full_screen(
    kiosk_app: subprocess.Popen[bytes],
) -> None:
    found = subprocess.run(
        ["xdotool", "search", "--sync", "--onlyvisible", "--name", TITLE],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    window = found.stdout.split()[0]
    wait_for(
        lambda: "_NET_WM_STATE_FULLSCREEN" in x("xprop", "-id", window, "_NET_WM_STATE"),
        "the kiosk to go full screen",
        alive=kiosk_app,
    )
    screen = x("xdotool", "getdisplaygeometry").split()

    # Keys sent straight to the window, as a stuck keyboard or a curious visitor would.
    for number, key in enumerate(("Escape", "ctrl+w", "ctrl+q", "alt+F4"), start=1):
        x("xdotool", "key", "--window", window, key)
        if key != "alt+F4":
            wait_for(
                lambda n=number: log_count(IGNORED_KEY) >= n,
                f"the kiosk to ignore {key}",
                alive=kiosk_app,
            )
    # Alt+F4 typed for real: the window manager turns it into a close request.
    x("xdotool", "windowactivate", "--sync", window)
    x("xdotool", "key", "alt+F4")
    wait_for(
        lambda: log_count(REFUSED_CLOSE) >= 1,
        "the kiosk to refuse the close request",
        alive=kiosk_app,
    )
    for key in ("Escape", "ctrl+w", "ctrl+q"):
        x("xdotool", "key", key)
    wait_for(
        lambda: log_count(IGNORED_KEY) >= 6, "the kiosk to ignore typed close keys", alive=kiosk_app
    )

    assert kiosk_app.poll() is None, "the kiosk exited"
    info = x("xwininfo", "-id", window)
    assert "Map State: IsViewable" in info
    geometry = x("xdotool", "getwindowgeometry", window)
    match = re.search(r"Geometry: (\d+)x(\d+)", geometry)
    assert match is not None, geometry
    assert list(match.groups()) == screen
    assert "Position: 0,0" in geometry
    state = x("xprop", "-id", window, "_NET_WM_STATE")
    assert "_NET_WM_STATE_FULLSCREEN" in state
    assert "_NET_WM_STATE_ABOVE" in state
