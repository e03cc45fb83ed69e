"""The log file: written from the first record, rolled over at its limit, 0600 each, and
logging.handlers loaded only once a rollover is due (it costs every command's start)."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from bmx_console import logs

ROOT = Path(__file__).resolve().parents[2]


def test_the_log_rolls_over_at_its_limit_and_keeps_five_private_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(logs, "LOG_MAX_BYTES", 2_000)
    folder = tmp_path / "log"
    root = logging.getLogger()
    level = root.level
    path = logs.setup_logging(folder)
    try:
        for number in range(300):
            logging.getLogger("bmx_console.test").info("line %d %s", number, "x" * 40)
    finally:
        for handler in [h for h in root.handlers if getattr(h, "_bmx", False)]:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(level)
    kept = sorted(p.name for p in folder.iterdir())
    assert kept == ["bmx-console.log", *(f"bmx-console.log.{n}" for n in range(1, 6))]
    assert all(0 < (folder / name).stat().st_size <= 2_000 for name in kept)
    assert all((folder / name).stat().st_mode & 0o777 == 0o600 for name in kept)
    assert "line 299" in path.read_text(encoding="utf-8")


def test_logging_handlers_is_not_loaded_until_a_rollover_is_due(tmp_path: Path) -> None:
    script = (
        "import logging, sys\n"
        "from pathlib import Path\n"
        "from bmx_console.logs import setup_logging\n"
        f"setup_logging(Path({str(tmp_path)!r}))\n"
        "logging.getLogger('bmx_console.test').warning('a line')\n"
        "print('logging.handlers' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    assert done.stdout.strip() == "False"
    assert "a line" in (tmp_path / "bmx-console.log").read_text(encoding="utf-8")
