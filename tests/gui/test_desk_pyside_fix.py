"""The Qt binding survives a long shift of calls.

PySide6 6.12.0 on Python 3.11 drops a reference to True on every signal emit and to None on
every call that returns nothing, and aborts the interpreter ("deallocating None") after a few
thousand calls; pyproject keeps that release out. This test is the tripwire for a binding
with the same bug.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

LONG_SHIFT = textwrap.dedent(
    """
    from PySide6.QtCore import QObject, QStringListModel, Qt, Signal
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication([])

    class Ticker(QObject):
        ticked = Signal()

    ticker, label, model = Ticker(), QLabel(), QStringListModel(["door"])
    for _ in range(100_000):
        ticker.ticked.emit()
        label.setText("Released")
        model.index(0, 0).data(Qt.ItemDataRole.UserRole)
    print("still running")
    """
)


def test_hundreds_of_thousands_of_qt_calls_do_not_abort_the_interpreter() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    done = subprocess.run(
        [sys.executable, "-c", LONG_SHIFT],
        capture_output=True,
        text=True,
        timeout=90,  # under pytest-timeout's 120 s, so this deadline is the one that reports
        env=env,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "still running" in done.stdout
