"""The desk fits the screen: from 1280×800 to 3840×2160 at 100, 150 and 200 % scaling, the
window opens inside the screen's available area, the status bar is on screen, the door list
never scrolls sideways, and its name, state and Release columns are all visible, with the
doors above the events (the default layout) and beside them; at 1280×800 at least eight
doors show with a call banner up.

Each size runs the real desk with a call up in its own X server with openbox
(``layout_probe.py``), scaled with QT_SCALE_FACTOR, and reads its measurements back.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support import require_or_skip

pytestmark = pytest.mark.xvfb

ROOT = Path(__file__).resolve().parents[2]
# Each common desk screen at 100 % and 150 %, the large ones at 200 % too.
SCREENS = [
    *((size, scale) for size in ("1280x800", "1366x768", "1920x1080") for scale in ("1", "1.5")),
    *(("2560x1440", scale) for scale in ("1", "1.5", "2")),
    *(("3840x2160", scale) for scale in ("1", "2")),
]
# With a call banner up, a 1280×800 desk at 100 % still shows this many doors.
ROWS_AT_1280 = 8


def probe(size: str, scale: str) -> dict[str, Any]:
    for tool in ("xvfb-run", "openbox", "xprop"):
        require_or_skip(shutil.which(tool) is not None, f"needs {tool} (scripts/test installs it)")
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    env["QT_SCALE_FACTOR"] = scale
    env["PYTHONPATH"] = str(ROOT)
    command = ["xvfb-run", "-a", "-s", f"-screen 0 {size}x24"]
    done = subprocess.run(
        [*command, sys.executable, "-m", "tests.gui.layout_probe"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=100,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert done.returncode == 0 and lines, done.stdout[-2000:] + done.stderr[-2000:]
    return dict(json.loads(lines[-1]))


@pytest.mark.parametrize(("size", "scale"), SCREENS)
def test_the_desk_fits_the_screen(size: str, scale: str) -> None:
    found = probe(size, scale)
    for layout, seen in found["layouts"].items():
        where = f"{size} at {scale}×, doors {layout} the events"
        assert seen["window_inside"], f"{where}: window {seen['frame']} off {found['screen']}"
        assert seen["status_inside"], f"{where}: the status bar is off screen"
        assert not seen["horizontal_scroll"], f"{where}: the door list scrolls sideways"
        columns = seen["columns"]
        for name in ("name", "state", "release"):
            assert not columns[name]["hidden"] and columns[name]["inside"], f"{where}: {name}"
        if (size, scale) == ("1280x800", "1"):
            rows = seen["rows_visible"]
            assert rows >= ROWS_AT_1280, f"{where}: only {rows} doors show beside a call"
