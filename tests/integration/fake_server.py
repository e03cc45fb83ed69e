"""A hostile cloud on a real loopback socket: a raw asyncio HTTP/1.1 server in a thread.

The simulator answers like ButterflyMX; this one answers however a test says, including the
ways a broken proxy or a hostile server would: a body trickled a byte a second, lists that
never end, a page of 200,000 records, HTML where JSON belongs. Each connection serves one
request and closes, which is all an HTTP client needs.
"""

from __future__ import annotations

import asyncio
import fnmatch
import json
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

CLIENT_ID = "fake-client"
CLIENT_SECRET = "fake-secret-value-1234"


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    body: bytes
    at: float = field(default_factory=time.monotonic)

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    # Seconds between bytes of the body: a trickle that never trips a per-read timeout.
    trickle_s: float | None = None
    # A body streamed in chunks (no Content-Length), for bodies too big to build at once.
    chunks: Callable[[], AsyncIterator[bytes]] | None = None


def json_reply(value: Any, status: int = 200, **headers: str) -> Reply:
    return Reply(status, json.dumps(value).encode(), headers=dict(headers))


def page(records: list[Any], *, current: int = 1, next_page: int | None = None) -> Reply:
    return json_reply(
        {"data": records, "page_info": {"current_page": current, "next_page": next_page}}
    )


Handler = Callable[[Request], Reply]


def _token(_: Request) -> Reply:
    return json_reply({"access_token": "fake-access", "token_type": "Bearer", "expires_in": 86400})


class FakeCloud:
    """``routes`` maps ``"METHOD /path-glob"`` to a handler; the first match answers."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {"POST /oauth/token": _token}
        self.requests: list[Request] = []
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/oauth/token"

    def route(self, pattern: str, handler: Handler) -> None:
        others = {k: v for k, v in self.routes.items() if k != pattern}
        self.routes = {pattern: handler, **others}

    def hits(self, method: str, glob: str) -> list[Request]:
        return [
            r for r in self.requests if r.method == method and fnmatch.fnmatchcase(r.path, glob)
        ]

    def __enter__(self) -> FakeCloud:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the fake cloud did not start")
        return self

    def __exit__(self, *_: object) -> None:
        loop = self._loop
        if loop is not None:
            loop.call_soon_threadsafe(loop.stop)
        self._thread.join(10)

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._server = loop.run_until_complete(asyncio.start_server(self._serve, "127.0.0.1", 0))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            self._server.close()
            # Trickles still writing to a client that left: end them before the loop goes.
            loop.run_until_complete(_cancel_all())
            loop.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, target, _ = lines[0].split(" ", 2)
            headers = {
                k.strip().lower(): v.strip()
                for k, _, v in (line.partition(":") for line in lines[1:] if line)
            }
            length = int(headers.get("content-length", "0") or 0)
            body = await reader.readexactly(length) if length else b""
            parts = urlsplit(target)
            request = Request(method, parts.path, parse_qs(parts.query), body)
            self.requests.append(request)
            reply = self._handler(request)(request)
            await self._send(writer, reply)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    def _handler(self, request: Request) -> Handler:
        for pattern, handler in self.routes.items():
            method, _, glob = pattern.partition(" ")
            if method == request.method and fnmatch.fnmatchcase(request.path, glob):
                return handler
        return lambda _: json_reply({"errors": [{"code": "not_found"}]}, 404)

    async def _send(self, writer: asyncio.StreamWriter, reply: Reply) -> None:
        head = [f"HTTP/1.1 {reply.status} Fake", f"Content-Type: {reply.content_type}"]
        head += [f"{k}: {v}" for k, v in reply.headers.items()]
        head.append("Connection: close")
        if reply.chunks is not None:
            head.append("Transfer-Encoding: chunked")
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode())
            async for chunk in reply.chunks():
                writer.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                await writer.drain()
            writer.write(b"0\r\n\r\n")
            await writer.drain()
            return
        head.append(f"Content-Length: {len(reply.body)}")
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode())
        if reply.trickle_s is None:
            writer.write(reply.body)
            await writer.drain()
            return
        for index in range(len(reply.body)):
            writer.write(reply.body[index : index + 1])
            await writer.drain()
            await asyncio.sleep(reply.trickle_s)


async def _cancel_all() -> None:
    current = asyncio.current_task()
    pending = [t for t in asyncio.all_tasks() if t is not current]
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
