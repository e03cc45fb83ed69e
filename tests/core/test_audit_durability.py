"""Several writers on one audit file, and a writer killed mid-burst: the chain must hold and
nothing reported as recorded may be lost."""

from __future__ import annotations

import itertools
import os
import signal
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bmx_console.clock import FakeClock
from bmx_console.core.audit import AuditLog
from tests.support import Child

REPO = Path(__file__).resolve().parents[2]
WAIT_S = 60.0

WRITER = """
import sys
from pathlib import Path
from bmx_console.core.audit import AuditLog

log = AuditLog(Path(sys.argv[1]))
operator, count = sys.argv[2], int(sys.argv[3])
pause_after = int(sys.argv[4]) if len(sys.argv) > 4 else None
print("ready", flush=True)
sys.stdin.readline()
for n in range(count):
    entry = log.record_release(operator=operator, door_id=n, door_name="Lobby", outcome="released")
    print("reported", entry.seq, flush=True)
    if n + 1 == pause_after:
        print("paused", flush=True)
        sys.stdin.readline()
"""


class Writer:
    """A writer process, each line it prints waited for with a deadline."""

    def __init__(self, db: Path, operator: str, count: int, pause_after: int | None = None) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        pause = [] if pause_after is None else [str(pause_after)]
        self.child = Child(
            [sys.executable, "-c", WRITER, str(db), operator, str(count), *pause],
            timeout=WAIT_S,
            stdin=True,
            cwd=REPO,
            env=env,
        )
        self.proc = self.child.proc
        self.reported: list[int] = []

    def _take(self, line: str) -> str:
        if line.startswith("reported "):
            self.reported.append(int(line.split()[1]))
        return line

    def next_line(self) -> str:
        return self._take(self.child.line().strip())

    def go(self) -> None:
        self.child.send("go\n")

    def drain(self, send_signal: int | None = None) -> None:
        """Collect whatever the process printed before it ended."""
        for line in self.child.finish(send_signal=send_signal).rest:
            self._take(line.strip())

    def kill(self) -> None:
        self.child.close()


@pytest.fixture
def writers() -> Iterator[list[Writer]]:
    started: list[Writer] = []
    yield started
    for writer in started:
        writer.kill()


def test_two_logs_on_one_file_keep_one_chain(tmp_path: Path) -> None:
    db = tmp_path / "audit.sqlite3"
    clock = FakeClock()
    desk = AuditLog(db, clock=clock)
    cli = AuditLog(db, clock=clock)

    written = []
    for n in range(6):
        clock.advance(1)
        log = desk if n % 2 == 0 else cli
        written.append(log.record(operator=f"op{n}", action="release", outcome="released"))

    assert [e.seq for e in written] == [1, 2, 3, 4, 5, 6]
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(written))
    assert desk.entries(newest_first=False) == written == cli.entries(newest_first=False)
    assert desk.verify().ok and cli.verify().ok
    desk.close()
    cli.close()


def test_two_processes_writing_at_once_keep_one_chain(
    tmp_path: Path, writers: list[Writer]
) -> None:
    db = tmp_path / "audit.sqlite3"
    AuditLog(db).close()
    # Each writer pauses after its first entry until both have written one, so the two
    # bursts overlap however the machine schedules them; then they race for the rest.
    writers.extend([Writer(db, "desk", 150, pause_after=1), Writer(db, "cli", 150, pause_after=1)])
    for writer in writers:
        assert writer.next_line() == "ready"
    for writer in writers:
        writer.go()
    for writer in writers:
        while writer.next_line() != "paused":
            pass
    for writer in writers:
        writer.go()
    for writer in writers:
        writer.drain()

    with AuditLog(db) as log:
        result = log.verify()
        operators = [e.operator for e in log.entries(newest_first=False)]
    assert result.ok, result.problems
    assert result.checked == 300
    assert sorted(writers[0].reported + writers[1].reported) == list(range(1, 301))
    # The two bursts really overlapped, so the serialisation was exercised.
    switches = sum(a != b for a, b in itertools.pairwise(operators))
    assert switches > 1


def test_every_reported_release_survives_a_kill_mid_burst(
    tmp_path: Path, writers: list[Writer]
) -> None:
    db = tmp_path / "audit.sqlite3"
    writer = Writer(db, "desk", 100_000)
    writers.append(writer)
    assert writer.next_line() == "ready"
    writer.go()
    while len(writer.reported) < 25:
        writer.next_line()

    writer.drain(send_signal=signal.SIGKILL)

    assert writer.proc.returncode == -signal.SIGKILL
    with AuditLog(db) as log:
        stored = {e.seq for e in log.entries()}
        result = log.verify()
        after = log.record(operator="desk", action="release", outcome="released")
    assert set(writer.reported) <= stored
    assert stored == set(range(1, max(stored) + 1))
    assert result.ok, result.problems
    assert after.seq == max(stored) + 1


def test_the_file_is_in_wal_mode_so_readers_do_not_block_the_desk(tmp_path: Path) -> None:
    db = tmp_path / "audit.sqlite3"
    with AuditLog(db) as log:
        log.record(operator="desk", action="release", outcome="released")
        reader = sqlite3.connect(db, isolation_level=None)
        reader.execute("BEGIN")
        reader.execute("SELECT COUNT(*) FROM entries").fetchone()

        log.record(operator="desk", action="release", outcome="released")

        (mode,) = reader.execute("PRAGMA journal_mode").fetchone()
        reader.execute("COMMIT")
        reader.close()
    assert mode == "wal"
