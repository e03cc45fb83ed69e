"""The first request imports nothing: whatever it needs came with the client, before the
desk's first poll, instead of stalling the window in the middle of it."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import asyncio, sys, threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from bmx_console.api.http import make_http_client

    class Ok(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Ok)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    async def first_request():
        client = make_http_client(timeout_s=5)
        before = set(sys.modules)
        response = await client.get(f"http://127.0.0.1:{server.server_port}/")
        assert response.status_code == 200
        after = set(sys.modules)
        await client.aclose()
        return sorted(after - before)

    print(" ".join(asyncio.run(first_request())))
    server.shutdown()
    """
)


def test_the_first_request_imports_nothing() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.split() == []
