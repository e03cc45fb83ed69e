"""The desk's real start path, many times over: after every start the pollers keep asking.

``Desk.settle()`` once ran Qt's event queue from inside its coroutine. With the desk's loop
the queue holds the posted event that runs asyncio's ready callbacks, so another task's step
could run inside settle's: asyncio refused it ("Cannot enter into task"), and the task whose
step was refused, often the calls poller, never ran again. It happened in about one start
in fifteen, so one start proves little: this starts the desk thirty times, and counts both
what the simulator was asked and what asyncio reported.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from bmx_console.clock import FakeClock
from tests.gui.desk_support import FAST, close_desk, make_desk, quiet_cloud, run
from tests.support import MemoryKeyring

STARTS = 30
CALLS = "/v4/buildings/*/calls"
EVENTS = "/v4/buildings/*/access_logs"


def refused_steps(caplog: pytest.LogCaptureFixture) -> list[str]:
    """What asyncio logged about a task step it would not run."""
    found = []
    for record in caplog.records:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += f" {record.exc_info[1]}"
        if "Cannot enter into task" in text:
            found.append(text)
    return found


def start_and_settle(qtbot: QtBot, folder: Path) -> None:
    """One start of the real desk, settled as the smoke test does while the first polls are
    still in flight; then every poller must still answer a poll-now."""
    clock = FakeClock()
    cloud = quiet_cloud(clock)
    desk = make_desk(qtbot, folder, cloud=cloud, clock=clock, settings=FAST)
    try:
        run(qtbot, desk.settle())
        qtbot.waitUntil(lambda: cloud.request_count(CALLS) > 0, timeout=5_000)
        run(qtbot, desk.settle())
        calls, events = cloud.request_count(CALLS), cloud.request_count(EVENTS)
        desk.pollers.poll_now()
        qtbot.waitUntil(
            lambda: cloud.request_count(CALLS) > calls and cloud.request_count(EVENTS) > events,
            timeout=5_000,
        )
    finally:
        close_desk(qtbot, desk)


def test_every_start_leaves_the_calls_poller_asking(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.ERROR)
    for start in range(STARTS):
        start_and_settle(qtbot, tmp_path / f"start-{start}")
        assert refused_steps(caplog) == [], f"start {start + 1} of {STARTS}"
