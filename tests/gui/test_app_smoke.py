"""``bmx-console --smoke-test PATH``, run as the operator would run it (a separate process):
it waits for the first doors and events, saves a screenshot and exits 0, or exits non-zero
with the reason when the cloud cannot be reached."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage


def console(
    *args: str, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **(extra_env or {})}
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run(
        [sys.executable, "-m", "bmx_console", *args],
        capture_output=True,
        text=True,
        timeout=90,
        env=env,
    )


def test_demo_smoke_test_saves_a_screenshot_of_the_window_and_exits_0(tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"

    done = console("--demo", "--smoke-test", str(shot))

    assert done.returncode == 0, done.stderr[-3000:]
    assert "smoke test passed: 20 doors" in done.stdout
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = QImage(str(shot))
    assert image.width() >= 960 and image.height() >= 600
    # A real rendering, not a blank frame: many distinct colours.
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 17) for y in range(0, image.height(), 13)
    }
    assert len(colours) > 20


def test_smoke_test_against_an_unreachable_cloud_exits_non_zero_with_the_reason(
    tmp_path: Path,
) -> None:
    shot = tmp_path / "shot.png"

    done = console(
        "--api-base",
        "http://127.0.0.1:9",
        "--token-url",
        "http://127.0.0.1:9/oauth/token",
        "--smoke-test",
        str(shot),
        extra_env={"BMX_CLIENT_ID": "bmx-demo", "BMX_CLIENT_SECRET": "not-used-here"},
    )

    assert done.returncode != 0
    assert "smoke test failed" in done.stderr
    assert "cannot reach 127.0.0.1" in done.stderr
    assert not shot.exists()


def test_smoke_test_without_settings_says_what_to_set(tmp_path: Path) -> None:
    done = console("--smoke-test", str(tmp_path / "shot.png"))

    assert done.returncode == 2
    assert "client_id is not set" in done.stderr
