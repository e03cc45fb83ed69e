"""The simulator without a socket: an httpx transport that calls the ASGI app directly.

Used by ``bmx-console --demo`` and by tests that do not need a real connection. A dropped
connection fault surfaces here as ``httpx.RemoteProtocolError`` raised by the request.
"""

from __future__ import annotations

import httpx

from bmx_console.sim.asgi import create_app
from bmx_console.sim.cloud import Cloud


def in_process_transport(cloud: Cloud) -> httpx.AsyncBaseTransport:
    return httpx.ASGITransport(app=create_app(cloud))
