"""Holding release answers: the simulated cloud executes each door release (and logs it in the
access log, as the real one does) but keeps the HTTP answer back until the hold is lifted.

This is the moment a crash costs the most: the door has opened and the desk does not know
yet. Tests hold the answers, kill the desk or the command line, and check that the audit log
still has every release the cloud executed."""

from __future__ import annotations

import asyncio
import threading
import weakref

from starlette.routing import BaseRoute, Route

from bmx_console.sim.cloud import Cloud


class ReleaseHold:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holding = False
        self._waiting = 0
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []

    @property
    def holding(self) -> bool:
        return self._holding

    @property
    def waiting(self) -> int:
        """Releases executed whose answer is being held back now."""
        return self._waiting

    def hold(self) -> None:
        self._holding = True

    def lift(self) -> None:
        """Let every held answer go (from any thread)."""
        with self._lock:
            self._holding = False
            waiters, self._waiters = self._waiters, []
        for loop, event in waiters:
            loop.call_soon_threadsafe(event.set)

    async def wait(self) -> None:
        """Called by the release route after the cloud executed the release."""
        event = asyncio.Event()
        with self._lock:
            if not self._holding:
                return
            self._waiters.append((asyncio.get_running_loop(), event))
            self._waiting += 1
        try:
            await event.wait()
        finally:
            with self._lock:
                self._waiting -= 1


_holds: weakref.WeakKeyDictionary[Cloud, ReleaseHold] = weakref.WeakKeyDictionary()
_holds_lock = threading.Lock()


def release_hold(cloud: Cloud) -> ReleaseHold:
    """The hold of ``cloud``'s release answers (one per cloud, made on first use)."""
    with _holds_lock:
        hold = _holds.get(cloud)
        if hold is None:
            hold = _holds[cloud] = ReleaseHold()
        return hold


def hold_routes(cloud: Cloud) -> list[BaseRoute]:
    """``POST /_sim/hold_releases {"hold": true|false}``, for a simulator in another process;
    ``GET`` says whether answers are held and how many wait."""
    from starlette.requests import Request
    from starlette.responses import JSONResponse

    hold = release_hold(cloud)

    async def route(request: Request) -> JSONResponse:
        if request.method == "POST":
            body = await request.json()
            if bool(body.get("hold")):
                hold.hold()
            else:
                hold.lift()
        return JSONResponse({"data": {"holding": hold.holding, "waiting": hold.waiting}})

    return [Route("/_sim/hold_releases", route, methods=["GET", "POST"])]
