from __future__ import annotations

import asyncio

from pytestqt.qtbot import QtBot

from bmx_console.errors import NetworkError
from bmx_console.ui.qt_async import spawn


def test_spawned_coroutine_runs_on_the_qt_loop(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    done: list[int] = []

    async def work() -> None:
        await asyncio.sleep(0.01)
        done.append(1)

    spawn(work(), name="work")
    qtbot.waitUntil(lambda: done == [1], timeout=2000)


def test_failure_in_background_work_reaches_the_operator(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    async def fail() -> None:
        raise NetworkError("cannot reach api.butterflymx.com: connection refused")

    spawn(fail(), name="Refreshing doors")
    qtbot.waitUntil(lambda: bool(qloop.reported_errors), timeout=2000)  # type: ignore[attr-defined]
    assert qloop.reported_errors == [  # type: ignore[attr-defined]
        "Refreshing doors: cannot reach api.butterflymx.com: connection refused"
    ]
