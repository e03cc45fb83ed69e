"""The quick path over HTTPS, as it talks to the real cloud: the simulator behind a TLS front
on loopback (a self-signed certificate made for the test). Trusted, the listing is the same as
over plain http; not trusted, both paths refuse it with the same sentence and code."""

from __future__ import annotations

import io
import selectors
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bmx_console import cli, cli_quick
from bmx_console.config import Settings, save_settings
from bmx_console.sim.cloud import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Cloud
from bmx_console.sim.server import SimServer
from tests.integration.cli_support import sim_args
from tests.integration.test_cli_quick import both


class TlsFront:
    """Accepts TLS on a loopback port and passes the bytes on to ``backend_port``."""

    def __init__(self, backend_port: int, cert: Path, key: Path) -> None:
        self._backend = backend_port
        self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._context.load_cert_chain(cert, key)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self._stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._stop.set()
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            tls = self._context.wrap_socket(client, server_side=True)
        except (ssl.SSLError, OSError):
            client.close()  # a client that does not trust the certificate gives up here
            return
        backend = socket.create_connection(("127.0.0.1", self._backend))
        # One thread per connection reads and writes both sides: an SSL socket must not be
        # used from two threads at once.
        with tls, backend, selectors.DefaultSelector() as selector:
            selector.register(tls, selectors.EVENT_READ, backend)
            selector.register(backend, selectors.EVENT_READ, tls)
            while not self._stop.is_set():
                for key, _ in selector.select(timeout=0.5):
                    source: socket.socket = key.fileobj  # type: ignore[assignment]
                    try:
                        data = source.recv(65536)
                    except (ssl.SSLWantReadError, BlockingIOError):
                        continue
                    except OSError:
                        return
                    if not data:
                        return
                    key.data.sendall(data)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


@pytest.fixture
def tls_sim(certificate: tuple[Path, Path]) -> Iterator[tuple[SimServer, str]]:
    with SimServer(Cloud(seed=11)) as sim:
        front = TlsFront(sim.port, *certificate)
        try:
            yield sim, f"https://localhost:{front.port}"
        finally:
            front.close()


def test_a_listing_over_https_is_the_same_as_over_http(
    tls_sim: tuple[SimServer, str],
    certificate: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sim, base = tls_sim
    monkeypatch.setenv("BMX_CLIENT_ID", DEMO_CLIENT_ID)
    monkeypatch.setenv("BMX_CLIENT_SECRET", DEMO_CLIENT_SECRET)
    trusted = ssl.create_default_context(cafile=str(certificate[0]))
    monkeypatch.setattr(cli_quick, "_tls_context", lambda: trusted)
    over_http, over_https = io.StringIO(), io.StringIO()
    assert cli.main([*sim_args(sim), "doors", "--json"], out=over_http) == 0
    before = sim.cloud.request_count()
    https_args = ["--api-base", base, "--token-url", f"{base}/oauth/token"]
    assert cli.main([*https_args, "doors", "--json"], out=over_https) == 0
    assert over_https.getvalue() == over_http.getvalue()
    # The token and two lists, each sent once, through the TLS front.
    assert sim.cloud.request_count() - before == 3


def test_an_untrusted_certificate_is_refused_alike_on_both_paths(
    tls_sim: tuple[SimServer, str],
) -> None:
    save_settings(Settings(request_timeout=1_000))
    _sim, base = tls_sim
    args = ["--api-base", base, "--token-url", f"{base}/oauth/token", "doors"]
    quick, full = both(None, args)
    assert quick.result.code == full.result.code == 5
    assert quick.result.err == full.result.err
    assert "CERTIFICATE_VERIFY_FAILED" in quick.result.err
    assert "Traceback" not in quick.result.err
    assert "httpx" not in quick.loaded
