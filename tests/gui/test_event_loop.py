"""The console's event loop: callbacks in order, ahead of repaints, never lost, never hogging Qt."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from PySide6.QtCore import QEvent, QEventLoop, QObject, QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from bmx_console.api.models import Building, Door
from bmx_console.clock import FakeClock
from bmx_console.core.store import Store
from bmx_console.ui.door_list import COL_RELEASE, DoorList, ReleaseButtonDelegate
from bmx_console.ui.event_loop import DeskEventLoop
from bmx_console.ui.qt_async import spawn


class PaintLog(QObject):
    """Notes each paint of the widget it filters into a shared log."""

    def __init__(self, log: list[str]) -> None:
        super().__init__()
        self._log = log

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self._log.append("paint")
        return False


def test_a_release_clicked_in_the_door_list_is_sent_before_the_list_repaints(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    """What the operator gets: the request leaves first, the pressed look follows."""
    log: list[str] = []

    async def release(door_id: int) -> object:
        # The HTTP client yields to the loop on its way to the socket (httpcore's locks).
        for _ in range(3):
            await asyncio.sleep(0)
        log.append(f"release {door_id} sent")
        return None

    store = Store()
    building = Building(id=10, name="Carroll Gardens Lofts", time_zone="America/New_York")
    store.set_roster([building], [Door(id=7, name="Lobby", building_id=10)], [])
    door_list = DoorList(store, release=release, clock=FakeClock())
    qtbot.addWidget(door_list)
    door_list.resize(1300, 400)
    door_list.show()
    qtbot.waitExposed(door_list)
    viewport = door_list.view.viewport()
    painted = PaintLog(log)
    viewport.installEventFilter(painted)
    qtbot.waitUntil(lambda: "paint" in log)
    rect = ReleaseButtonDelegate.button_rect(
        door_list.view.visualRect(door_list.proxy.index(0, COL_RELEASE))
    )
    log.clear()
    QTest.mouseClick(
        viewport,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        QPoint(int(rect.center().x()), int(rect.center().y())),
    )
    qtbot.waitUntil(lambda: "release 7 sent" in log and "paint" in log)
    assert log.index("release 7 sent") < log.index("paint")


def test_a_release_on_its_way_is_not_held_behind_background_work(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    """Under a busy log the pollers' slices keep the loop's queue full; the release yields on
    its way to the socket, and each of those steps must not wait behind them."""
    steps: list[str] = []
    stop = False

    async def poller_slices() -> None:
        while not stop:
            steps.append("slice")
            await asyncio.sleep(0)

    async def release() -> None:
        for _ in range(3):  # httpcore's locks and the socket write
            await asyncio.sleep(0)
        steps.append("sent")

    pollers = [spawn(poller_slices(), name=f"poller {n}") for n in range(4)]
    qtbot.waitUntil(lambda: steps.count("slice") > 40)
    steps.clear()
    spawn(release(), name="Releasing Lobby", foreground=True)
    qtbot.waitUntil(lambda: "sent" in steps)
    stop = True
    qtbot.waitUntil(lambda: all(p.done() for p in pollers))
    assert steps[: steps.index("sent")].count("slice") <= 1


def test_foreground_work_that_never_stops_yielding_does_not_starve_qt_timers(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    limit = 1_000_000  # far more spins than fit in the timer's 10 ms; ends a broken loop
    spins = [0]
    fired: list[int] = []

    async def spin() -> None:
        while not fired and spins[0] < limit:
            spins[0] += 1
            await asyncio.sleep(0)

    task = spawn(spin(), name="a runaway release", foreground=True)
    QTimer.singleShot(10, lambda: fired.append(spins[0]))
    qtbot.waitUntil(lambda: bool(fired) and task.done(), timeout=10_000)
    assert 0 < fired[0] < limit


def test_callbacks_run_in_the_order_they_were_scheduled(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    ran: list[int] = []

    def first() -> None:
        ran.append(1)
        qloop.call_soon(ran.append, 4)  # scheduled while a batch runs: after the batch

    qloop.call_soon(first)
    qloop.call_soon(ran.append, 2)
    qloop.call_soon(ran.append, 3)
    qtbot.waitUntil(lambda: len(ran) == 4)
    assert ran == [1, 2, 3, 4]


def test_a_cancelled_callback_does_not_run(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    ran: list[str] = []
    qloop.call_soon(ran.append, "cancelled").cancel()
    qloop.call_soon(ran.append, "kept")
    qtbot.waitUntil(lambda: ran == ["kept"])
    qloop.call_soon(ran.append, "later")
    qtbot.waitUntil(lambda: ran == ["kept", "later"])


def test_a_failing_callback_is_reported_and_the_next_ones_still_run(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    reported: list[dict[str, Any]] = []
    qloop.set_exception_handler(lambda loop, context: reported.append(context))
    ran: list[str] = []

    def fail() -> None:
        raise ValueError("door 12 has no panel")

    qloop.call_soon(fail)
    qloop.call_soon(ran.append, "next")
    qtbot.waitUntil(lambda: ran == ["next"])
    assert [str(context.get("exception")) for context in reported] == ["door 12 has no panel"]


def test_a_callback_storm_does_not_starve_qt_timers(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    """A coroutine that never stops yielding must not freeze the window's clock or input."""
    limit = 100_000  # far more spins than fit in the timer's 10 ms; ends a broken loop
    spins = [0]
    fired: list[int] = []

    def spin() -> None:
        spins[0] += 1
        if not fired and spins[0] < limit:
            qloop.call_soon(spin)

    qloop.call_soon(spin)
    QTimer.singleShot(10, lambda: fired.append(spins[0]))
    qtbot.waitUntil(lambda: bool(fired), timeout=5000)
    assert 0 < fired[0] < limit  # the timer fired while the storm was still going


def test_callbacks_from_another_thread_run_on_the_loop(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    ran_in: list[str] = []

    def report() -> None:
        ran_in.append(threading.current_thread().name)

    worker = threading.Thread(
        target=lambda: qloop.call_soon_threadsafe(report), name="bmx-audit", daemon=True
    )
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(ran_in))
    assert ran_in == [threading.main_thread().name]


def test_callbacks_run_inside_a_nested_qt_event_loop(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    """A menu or a drag runs Qt's loop nested; asyncio work must go on underneath it,
    including the rest of the batch that was running when the nested loop started."""
    ran: list[str] = []
    nested = QEventLoop()

    def open_menu() -> None:
        ran.append("menu opened")
        qloop.call_soon(close_menu)
        nested.exec()
        ran.append("menu closed")

    def close_menu() -> None:
        ran.append("inside the menu")
        nested.quit()

    qloop.call_soon(open_menu)
    qloop.call_soon(ran.append, "queued with the menu")
    qtbot.waitUntil(lambda: len(ran) == 4)
    assert ran == ["menu opened", "queued with the menu", "inside the menu", "menu closed"]


def test_the_loop_runs_a_program_to_completion_and_closes(qapp: QApplication) -> None:
    """How run_app uses it: run_until_complete, then close."""
    loop = DeskEventLoop(qapp)
    steps: list[str] = []

    async def program() -> int:
        await asyncio.sleep(0)
        steps.append("yielded")
        await asyncio.sleep(0.01)
        steps.append("slept")
        answer = await asyncio.to_thread(lambda: 42)
        steps.append("thread")
        return answer

    try:
        assert loop.run_until_complete(program()) == 42
    finally:
        loop.close()
    assert steps == ["yielded", "slept", "thread"]
    assert loop.is_closed()
