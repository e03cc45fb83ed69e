"""The audit log's copy off the desk, received by a real rsyslogd (Debian's rsyslog package)
started here with its own configuration on a free loopback port."""

from __future__ import annotations

import errno
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bmx_console.core.audit import AuditLog
from bmx_console.core.forward import SyslogForwarder
from tests.support import require_or_skip

WAIT_S = 30.0
SD = re.compile(r'\[bmx-audit@32473 seq="(\d+)" hash="([0-9a-f]{64})" prev="([0-9a-f]{64})"')


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def free_port(kind: int) -> int:
    with socket.socket(socket.AF_INET, kind) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Rsyslog:
    def __init__(self, folder: Path, transport: str) -> None:
        binary = shutil.which("rsyslogd") or (
            "/usr/sbin/rsyslogd" if Path("/usr/sbin/rsyslogd").exists() else None
        )
        require_or_skip(binary is not None, "rsyslogd is not installed (Debian package rsyslog)")
        assert binary is not None
        self.binary = binary
        self.folder = folder
        self.transport = transport
        self.port = free_port(socket.SOCK_STREAM if transport == "tcp" else socket.SOCK_DGRAM)
        self.out = folder / "received.log"
        self.conf = folder / "rsyslog.conf"
        module = "imtcp" if transport == "tcp" else "imudp"
        self.conf.write_text(
            f'global(workDirectory="{folder}")\n'
            f'module(load="{module}")\n'
            f'input(type="{module}" port="{self.port}" address="127.0.0.1")\n'
            'template(name="raw" type="string" string="%rawmsg%\\n")\n'
            f'action(type="omfile" file="{self.out}" template="raw")\n'
        )
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"{self.transport}://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [self.binary, "-n", "-f", str(self.conf), "-i", str(self.folder / "rsyslogd.pid")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._listening, "rsyslogd to listen")

    def _listening(self) -> bool:
        assert self.proc is not None
        if self.proc.poll() is not None:
            pytest.fail(f"rsyslogd exited with {self.proc.returncode}; see {self.conf}")
        if self.transport == "tcp":
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            except OSError:
                return False
            return True
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            try:
                probe.bind(("127.0.0.1", self.port))
            except OSError as exc:
                return exc.errno == errno.EADDRINUSE
            return False

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=WAIT_S)
        self.proc = None

    def received(self) -> list[tuple[int, str, str]]:
        if not self.out.exists():
            return []
        found = []
        for line in self.out.read_text(encoding="utf-8", errors="replace").splitlines():
            match = SD.search(line)
            if match:
                found.append((int(match[1]), match[2], match[3]))
        return found


@pytest.fixture
def rsyslog_factory(tmp_path: Path) -> Iterator[Callable[[str], Rsyslog]]:
    started: list[Rsyslog] = []

    def make(transport: str) -> Rsyslog:
        server = Rsyslog(tmp_path, transport)
        started.append(server)
        server.start()
        return server

    yield make
    for server in started:
        server.stop()


def record(log: AuditLog, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        log.record(
            operator="Ann", action="release", outcome="sent", door_id=n, door_name=f"Door {n}"
        )


def chain(log: AuditLog) -> list[tuple[int, str, str]]:
    return [(e.seq, e.hash, e.prev_hash) for e in log.entries(newest_first=False)]


def test_every_entry_arrives_once_in_order_with_its_hash(
    rsyslog_factory: Callable[[str], Rsyslog], tmp_path: Path
) -> None:
    server = rsyslog_factory("udp")
    with AuditLog(tmp_path / "audit.sqlite3") as log:
        forwarder = SyslogForwarder(server.url, log.path).start()
        log.add_listener(forwarder.wake)
        try:
            record(log, 25)
            wait_for(lambda: len(server.received()) >= 25, "25 entries at the syslog server")
        finally:
            forwarder.stop()
        assert server.received() == chain(log)
    assert forwarder.backlog == 0


def test_taking_the_server_away_and_back_loses_nothing_and_reorders_nothing(
    rsyslog_factory: Callable[[str], Rsyslog], tmp_path: Path
) -> None:
    server = rsyslog_factory("tcp")
    with AuditLog(tmp_path / "audit.sqlite3") as log:
        forwarder = SyslogForwarder(server.url, log.path, retry_max_s=0.2).start()
        log.add_listener(forwarder.wake)
        record(log, 10)
        wait_for(lambda: len(server.received()) == 10, "the first 10 entries")

        server.stop()
        record(log, 10, start=10)  # the releases go on; nothing waits on the server
        wait_for(lambda: forwarder.backlog == 10 and bool(forwarder.last_error), "a backlog")
        assert forwarder.status().startswith("Audit copy: 10 entries not yet forwarded")
        # The desk closes and starts again while the server is away: the backlog is kept.
        forwarder.stop()
        record(log, 5, start=20)

        server.start()
        again = SyslogForwarder(server.url, log.path, retry_max_s=0.2).start()
        log.add_listener(again.wake)
        try:
            wait_for(lambda: len(server.received()) >= 25, "the backlog after the server is back")
            record(log, 3, start=25)
            wait_for(lambda: len(server.received()) >= 28, "new entries after the backlog")
        finally:
            again.stop()
        assert server.received() == chain(log)
        assert again.status() == ""
