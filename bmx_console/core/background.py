"""Work that must not run on the window's thread (reading a whole audit file), awaited from
the loop."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


async def in_thread(work: Callable[[], T]) -> T:
    """Run ``work`` on a daemon thread and await its result on the loop.

    A plain thread rather than the loop's executor: qasync's executor threads are QThreads,
    and one still alive when the application object goes aborts the interpreter.
    """
    loop = asyncio.get_running_loop()
    result: asyncio.Future[T] = loop.create_future()

    def settle(value: Any, failed: bool) -> None:
        if result.done():
            return
        if failed:
            result.set_exception(value)
        else:
            result.set_result(value)

    def run() -> None:
        try:
            value = work()
        except BaseException as exc:  # handed to the awaiting coroutine, not lost
            loop.call_soon_threadsafe(settle, exc, True)
        else:
            loop.call_soon_threadsafe(settle, value, False)

    threading.Thread(target=run, name="bmx-audit", daemon=True).start()
    return await result
