"""Shared test helpers."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import queue
import subprocess
import threading
import time
from collections.abc import Callable, Coroutine, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn, TypeVar
from urllib.parse import parse_qs, urlparse

import httpx
import keyring.backend
import pytest

from bmx_console.api.auth import TokenManager
from bmx_console.api.client import BmxClient
from bmx_console.api.http import make_http_client
from bmx_console.clock import Clock
from bmx_console.sim.cloud import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Cloud
from bmx_console.sim.transport import in_process_transport

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from bmx_console.ports import SettingsAccess, TestConnection
    from bmx_console.probes import Probes
    from bmx_console.secrets import SecretStore
    from bmx_console.sim.server import SimServer

T = TypeVar("T")

# In CI (scripts/test sets the first; CI services set the second) everything the tests need
# is installed, so a missing service, tool or document fails the run instead of skipping.
REAL_SERVICES = os.environ.get("BMX_REQUIRE_REAL_SERVICES") == "1" or os.environ.get(
    "CI", ""
).lower() in {"true", "1"}
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """An in-memory keyring for tests that are not about the keyring itself."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.values[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.values.pop((service, username), None)


def quiet_cloud(clock: Clock | None = None, **changes: Any) -> Cloud:
    """The tests' simulator: the same seeded property every time, with no live events or
    calls and one day of history, so that it changes only when the test says so (a test
    that wants live traffic passes, say, ``event_rate_per_min=30``)."""
    options: dict[str, Any] = {
        "seed": 7,
        "event_rate_per_min": 0,
        "call_rate_per_min": 0,
        "history_days": 1,
    }
    options.update(changes)
    return Cloud(clock=clock, **options)


SIM_BASE = "https://sim.bmx-console.test"


def sim_client(
    cloud: Cloud,
    clock: Clock,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    **client_options: Any,
) -> BmxClient:
    """The console's real API client on the simulator in-process, signed in with the demo's
    client credentials; ``transport`` wraps the in-process one (to record requests), and
    ``client_options`` go to ``BmxClient`` (a retry policy, a sleep)."""
    http = make_http_client(timeout_s=5.0, transport=transport or in_process_transport(cloud))
    tokens = TokenManager(
        http,
        token_url=f"{SIM_BASE}/oauth/token",
        client_id=DEMO_CLIENT_ID,
        client_secret=DEMO_CLIENT_SECRET,
        clock=clock,
    )
    return BmxClient(http, tokens, api_base=SIM_BASE, clock=clock, **client_options)


def run(qtbot: QtBot, coro: Coroutine[Any, Any, T], timeout: int = 10_000) -> T:
    """Run a coroutine on the running qasync loop from a synchronous Qt test, spinning Qt
    until it is done (failing after ``timeout`` ms)."""
    task = asyncio.ensure_future(coro)
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()


def require_or_skip(condition: bool, reason: str) -> None:
    """Skip on a developer machine without the service; fail in CI, where it must exist."""
    if condition:
        return
    if REAL_SERVICES:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


# -- child processes -------------------------------------------------------------------------

CHILD_WAIT_S = 30.0


@dataclass
class Finished:
    """What a child left when it ended: its exit status, the stdout lines nobody had read
    yet, and all of its stderr."""

    returncode: int
    rest: list[str]
    stderr: str

    @property
    def out(self) -> str:
        return "".join(f"{line}\n" for line in self.rest)


class Child:
    """A child process whose stdout and stderr are read by threads as it writes them, so
    that every wait on it has a deadline (a test fails saying what it waited for and what the
    child printed instead of hanging) and a full pipe never blocks the child.

    Use it as a context manager: on the way out a child still running is killed."""

    def __init__(
        self,
        args: Sequence[str],
        *,
        timeout: float = CHILD_WAIT_S,
        stdin: bool = False,
        **popen: Any,
    ) -> None:
        self.timeout = timeout
        self.args = list(args)
        self.proc: subprocess.Popen[str] = subprocess.Popen(
            self.args,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            **popen,
        )
        #: Every stdout line handed out so far, in order (without the newline).
        self.seen: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._stderr: list[str] = []
        assert self.proc.stdout is not None and self.proc.stderr is not None
        self._readers = [
            threading.Thread(target=self._pump, args=(self.proc.stdout,), daemon=True),
            threading.Thread(target=self._collect, args=(self.proc.stderr,), daemon=True),
        ]
        for reader in self._readers:
            reader.start()
        self._ended = False

    def _pump(self, stream: IO[str]) -> None:
        for line in stream:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def _collect(self, stream: IO[str]) -> None:
        for line in stream:
            self._stderr.append(line)

    def _fail(self, why: str) -> NoReturn:
        # Collected by the reader threads; a moment's read of a list, never a wait.
        out = "\n".join(self.seen[-40:])
        err = "".join(self._stderr)[-3000:]
        pytest.fail(
            f"{why}\n  command: {' '.join(self.args)[:200]}\n"
            f"  --- stdout so far ---\n{out}\n  --- stderr so far ---\n{err}",
            pytrace=False,
        )

    def line(self, timeout: float | None = None) -> str:
        """The next stdout line; fails if none comes within ``timeout`` or the child ends."""
        wait = self.timeout if timeout is None else timeout
        if self._ended:
            self._fail("waited for a line from a child that had already ended")
        try:
            line = self._lines.get(timeout=wait)
        except queue.Empty:
            line = ""
            timed_out = True
        else:
            timed_out = False
        if timed_out:
            self._fail(f"no line from the child within {wait:g} s")
        if line is None:
            self._ended = True
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=5)
            status = self.proc.returncode
            self._fail(f"the child ended (exit status {status}) while a line was awaited")
        self.seen.append(line)
        return line

    def line_where(
        self, predicate: Callable[[str], bool], what: str, timeout: float | None = None
    ) -> str:
        """Skip lines until one satisfies ``predicate``, all within one deadline."""
        wait = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + wait
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self._fail(f"no line {what} within {wait:g} s")
            line = self.line(timeout=left)
            if predicate(line):
                return line

    @property
    def stderr(self) -> str:
        """What the child wrote to stderr so far."""
        return "".join(self._stderr)

    def send(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text)
        self.proc.stdin.flush()

    def finish(self, timeout: float | None = None, *, send_signal: int | None = None) -> Finished:
        """Optionally signal the child, wait (with a deadline) for it to end, and return what
        it left; closing stdin first tells a child waiting on it to go on."""
        wait = self.timeout if timeout is None else timeout
        if send_signal is not None and self.proc.poll() is None:
            self.proc.send_signal(send_signal)
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                self.proc.stdin.close()
        try:
            code: int | None = self.proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            code = None
        if code is None:
            self._fail(f"the child did not end within {wait:g} s")
        for reader in self._readers:
            reader.join(timeout=wait)
            if reader.is_alive():
                # A grandchild that inherited the pipe keeps it open after the child ended.
                self._fail(f"the child's output did not close within {wait:g} s of its exit")
        rest: list[str] = []
        while not self._ended and (line := self._lines.get_nowait()) is not None:
            rest.append(line)
        self._ended = True
        self.seen.extend(rest)
        return Finished(code, rest, "".join(self._stderr))

    def close(self) -> None:
        """Kill the child if it still runs; reap it and close its pipes."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=self.timeout)
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()

    def __enter__(self) -> Child:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def wait_for(
    condition: Callable[[], bool],
    what: str,
    *,
    timeout: float = CHILD_WAIT_S,
    alive: subprocess.Popen[Any] | Child | None = None,
) -> None:
    """Poll what an outside process does (a file it writes, a window it maps) until
    ``condition`` holds, failing at once if ``alive``, expected to keep running, exits."""
    proc = alive.proc if isinstance(alive, Child) else alive
    deadline = time.monotonic() + timeout
    while not condition():
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"the process exited (status {proc.returncode}) waiting for {what}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:g} s waiting for {what}")
        # Another process's state has no signal to wait on; a short poll is the wait.
        time.sleep(0.05)


def settings_access(
    secrets: SecretStore,
    probes: Probes | None = None,
    *,
    test_connection: TestConnection | None = None,
) -> SettingsAccess:
    """What the composition root gives the settings dialog and the wizard, for a test: the
    real save path into the test's folders and keyring, and the given probes."""
    import dataclasses

    from bmx_console.config import Settings
    from bmx_console.probes import make_probes
    from bmx_console.services import Services

    access = Services(Settings(), secrets).settings_access(probes or make_probes(secrets))
    if test_connection is not None:
        access = dataclasses.replace(access, test_connection=test_connection)
    return access


class PastedCode(io.StringIO):
    """Stands at the login prompt (as ``sys.stdin``): reads the sign-in address the console
    printed to ``out`` and pastes the code the simulator's sign-in page would show for it."""

    def __init__(self, out: io.StringIO, cloud: Cloud) -> None:
        super().__init__()
        self.out, self.cloud = out, cloud

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        url = next(w for w in self.out.getvalue().split() if "code_challenge=" in w)
        challenge = parse_qs(urlparse(url).query)["code_challenge"][0]
        return self.cloud.issue_auth_code(challenge) + "\n"


@contextlib.contextmanager
def held_release_server() -> Iterator[SimServer]:
    """The quiet simulator on a loopback port, whose release hold (``sim.hold``) a test may
    close; it is lifted at the end, so that no held request keeps the server from stopping."""
    from bmx_console.sim.hold import release_hold
    from bmx_console.sim.server import SimServer

    with SimServer(quiet_cloud()) as sim:
        try:
            yield sim
        finally:
            release_hold(sim.cloud).lift()
