"""The console survives a long shift of Qt calls despite PySide6 6.12.0's reference leaks."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

LONG_SHIFT = textwrap.dedent(
    """
    import bmx_console.ui  # the guard is applied on import
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
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "still running" in done.stdout
