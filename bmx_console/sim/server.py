"""The simulator on a loopback socket, served by uvicorn on a daemon thread, for tests that
need real connections (timeouts, dropped connections) and for ``python -m bmx_console.sim``."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from types import TracebackType

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from bmx_console.sim.asgi import ABORT_KEY, create_app
from bmx_console.sim.cloud import Cloud

_START_TIMEOUT_S = 10.0
_STOP_TIMEOUT_S = 5.0
# Idle connections are kept longer than the console keeps them (``KEEPALIVE_EXPIRY_S``), as
# nginx does (75 s), so the console's polls reuse one connection and it is the console that
# closes it: uvicorn's default of 5 s would close it between two polls.
IDLE_TIMEOUT_S = 75


class _DroppingH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, plus a way for the app to close the connection without
    answering: a ``drop`` fault must look like a server that vanished, not like a 500."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.app_state = {**self.app_state, ABORT_KEY: transport.close}
        # uvicorn writes the head and the body of a reply separately; with Nagle on, the
        # body waits for the client's delayed ACK and every request costs 40 ms.
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        self.ready.set()


class SimServer:
    """``with SimServer() as sim:`` serves a fresh cloud at ``sim.base_url`` until the end."""

    def __init__(self, cloud: Cloud | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.cloud = cloud if cloud is not None else Cloud()
        self.host = host
        self._requested_port = port
        self._port: int | None = None
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the simulator is not started")
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def token_url(self) -> str:
        return self.base_url + "/oauth/token"

    @property
    def authorize_url(self) -> str:
        return self.base_url + "/oauth/authorize"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> SimServer:
        """Bind, serve on a daemon thread, and return once connections are accepted."""
        if self.running:
            return self
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self._requested_port))
        except OSError:
            sock.close()
            raise
        self._port = sock.getsockname()[1]
        config = uvicorn.Config(
            create_app(self.cloud),
            http=_DroppingH11Protocol,
            loop="asyncio",
            lifespan="off",
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=1,
            timeout_keep_alive=IDLE_TIMEOUT_S,
        )
        server = _Server(config)
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="bmx-sim", daemon=True
        )
        self._server, self._thread = server, thread
        thread.start()
        deadline = time.monotonic() + _START_TIMEOUT_S
        while not server.ready.wait(0.05):
            if not thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the simulator did not start on {self.host}:{self._port}")
        return self

    def stop(self) -> None:
        if self._server is None or self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(_STOP_TIMEOUT_S)
        if self._thread.is_alive():
            self._server.force_exit = True
            self._thread.join(_STOP_TIMEOUT_S)
        self._server = None
        self._thread = None

    def wait(self) -> None:
        """Block until the server stops (or the waiting thread is interrupted)."""
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> SimServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
