"""Qt tests run on the console's qasync loop inside the pytest-qt application.

Without a qasync loop set as the current loop, coroutines spawned from slots would never
run; with it, ``qtbot.waitUntil`` spins Qt and asyncio together.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from bmx_console.clock import FakeClock, Sleep
from bmx_console.config import Settings
from bmx_console.secrets import SecretStore
from bmx_console.sim.cloud import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Cloud
from bmx_console.sim.transport import in_process_transport
from bmx_console.ui import qt_async, time_text
from bmx_console.ui.event_loop import DeskEventLoop
from tests.gui.desk_support import (
    FAST,
    Desk,
    OpenDesk,
    Recorder,
    close_desk,
    has_doors_and_events,
    make_desk,
    quiet_cloud,
    start_desk,
)
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
def shots(tmp_path: Path) -> Path:
    """Where screenshots go: ``$BMX_SCREENSHOTS_DIR`` (docs/ makes the README's), else a
    temporary folder."""
    folder = Path(os.environ.get("BMX_SCREENSHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def saved() -> list[Settings]:
    """What the desk asked to save, in order."""
    return []


@pytest.fixture
def sleep() -> Recorder:
    """The desk's waits (pollers, client retries), recorded and capped."""
    return Recorder()


@pytest.fixture
def open_desk(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    cloud: Cloud,
    clock: FakeClock,
    memory_keyring: MemoryKeyring,
) -> Iterator[OpenDesk]:
    """Opens the real desk on this test's simulator and clock (see ``OpenDesk``); every
    desk it opened is closed at the end, also one whose ``ready`` never came."""
    opened: list[Desk] = []

    def open_(
        *,
        settings: Settings = FAST,
        sleep: Sleep | None = None,
        save_settings: Callable[[Settings], object] | None = None,
        ready: Callable[[Desk], bool] | None = None,
        timeout: int = 5_000,
        on_property: bool = False,
    ) -> Desk:
        connection: dict[str, Any] = {"cloud": cloud}
        if on_property:
            settings = replace(settings, client_id=DEMO_CLIENT_ID)
            connection = {
                "secrets": SecretStore(env={"BMX_CLIENT_SECRET": DEMO_CLIENT_SECRET}),
                "transport": in_process_transport(cloud),
            }
        desk = make_desk(
            qtbot,
            tmp_path,
            settings=settings,
            clock=clock,
            sleep=sleep,
            save_settings=save_settings,
            start=False,
            **connection,
        )
        opened.append(desk)
        start_desk(qtbot, desk)
        if ready is not None:
            qtbot.waitUntil(lambda: ready(desk), timeout=timeout)
        assert desk.demo is not on_property
        return desk

    yield open_
    for desk in reversed(opened):
        close_desk(qtbot, desk)


@pytest.fixture
def desk(open_desk: OpenDesk, sleep: Recorder) -> Desk:
    """The real desk on the quiet simulator with its first doors and events in; modules
    that need another desk (settings, a different sleep) define their own."""
    return open_desk(sleep=sleep, ready=has_doors_and_events)
