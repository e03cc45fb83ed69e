"""Qt tests run on the console's qasync loop inside the pytest-qt application.

Without a qasync loop set as the current loop, coroutines spawned from slots would never
run; with it, ``qtbot.waitUntil`` spins Qt and asyncio together.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from bmx_console.clock import FakeClock
from bmx_console.config import Settings
from bmx_console.sim.cloud import Cloud
from bmx_console.ui import qt_async, time_text
from bmx_console.ui.event_loop import DeskEventLoop
from tests.gui.desk_support import Desk, Recorder, close_desk, make_desk, quiet_cloud
from tests.support import MemoryKeyring


@pytest.fixture(autouse=True)
def desk_zone() -> Iterator[None]:
    """Every GUI test's desk sits in UTC with desk times unless it says otherwise: what a
    test sees does not depend on the zone of the machine running it."""
    time_text.set_desk_zone(UTC)
    time_text.set_time_display(time_text.DESK)
    yield
    time_text.set_desk_zone(None)
    time_text.set_time_display(time_text.DESK)


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    loop = DeskEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    errors: list[str] = []
    qt_async.set_error_reporter(errors.append)
    loop.reported_errors = errors  # type: ignore[attr-defined]
    try:
        yield loop
    finally:
        qt_async.clear_error_reporters()
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in pending:
            task.cancel()
        # already_running=True marked the loop as running in this thread; left so, every
        # pytest-asyncio test after the first GUI test fails with "cannot be called from a
        # running event loop".
        asyncio.events._set_running_loop(None)
        asyncio.set_event_loop(None)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def cloud(clock: FakeClock) -> Cloud:
    """A simulator on the test's clock that makes no traffic of its own."""
    return quiet_cloud(clock)


@pytest.fixture
def saved() -> list[Settings]:
    """What the desk asked to save, in order."""
    return []


@pytest.fixture
def sleep() -> Recorder:
    """The desk's waits (pollers, client retries), recorded and capped."""
    return Recorder()


@pytest.fixture
def desk(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    cloud: Cloud,
    clock: FakeClock,
    sleep: Recorder,
    memory_keyring: MemoryKeyring,
) -> Iterator[Desk]:
    """The real desk on the quiet simulator with its first doors and events in; modules
    that need another desk (settings, a different sleep) define their own."""
    desk = make_desk(qtbot, tmp_path, cloud=cloud, clock=clock, sleep=sleep)
    qtbot.waitUntil(
        lambda: desk.store.door_count() > 0 and desk.store.event_count() > 0, timeout=5_000
    )
    yield desk
    close_desk(qtbot, desk)
