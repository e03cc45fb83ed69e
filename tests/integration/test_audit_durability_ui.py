"""Issue 4's promise, end to end: a console killed with SIGKILL in the middle of a burst of
releases has lost none of the releases it had already shown the operator as done.

A child process runs the real pieces the desk runs (the API client, the store, one
ReleaseService per building writing to the real AuditLog) against a simulator on a loopback
socket, releasing every door over and over. A store listener stands in for the door list: the
moment a row turns "released" (what the operator would see) it prints ``REPORTED door id,
release id``. The test kills the child mid-burst and opens the audit log it left behind.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bmx_console.core.audit import AuditLog
from bmx_console.sim.cloud import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from bmx_console.sim.server import SimServer
from tests.support import Child, quiet_cloud

REPO = Path(__file__).resolve().parents[2]
WAIT_S = 60.0
REPORTS_BEFORE_KILL = 40

CONSOLE = r"""
import asyncio
import os
import sys
from pathlib import Path

from bmx_console.config import Settings
from bmx_console.connect import connect
from bmx_console.core.audit import AuditLog
from bmx_console.core.release import ReleaseService
from bmx_console.core.store import Store, StoreListener
from bmx_console.secrets import SecretStore

api_base, token_url, db = sys.argv[1], sys.argv[2], Path(sys.argv[3])
tenants = {int(b): int(t) for b, t in (pair.split(":") for pair in sys.argv[4].split(","))}


class Answers:
    # The client as the service sees it, remembering each door's latest release answer so the
    # row listener can name the release it shows as done.
    def __init__(self, client):
        self.client = client
        self.latest = {}

    async def release_door(self, door_id, tenant_id):
        release = await self.client.release_door(door_id, tenant_id)
        self.latest[door_id] = release
        return release


class Rows(StoreListener):
    # Stands in for the door list: reads the rows it is told changed, as the view would.
    def __init__(self, store, answers):
        self.store = store
        self.answers = answers

    def doors_changed(self, indexes):
        for index in indexes:
            row = self.store.door_at(index)
            if row.state == "released":
                release = self.answers.latest[row.id]
                print("REPORTED", row.id, release.id, flush=True)


async def main():
    client_id = os.environ["BMX_CLIENT_ID"]
    settings = Settings(client_id=client_id, api_base=api_base, token_url=token_url)
    connection = connect(settings, SecretStore())
    client = connection.client
    store = Store()
    store.set_roster(await client.buildings(), await client.doors(), await client.panels())
    audit = AuditLog(db)
    answers = Answers(client)
    rows = Rows(store, answers)
    store.subscribe(rows)
    services = {
        building: ReleaseService(
            answers, store, tenant_id=tenant, audit=audit, operator=lambda: "night desk",
            repeat_guard_s=0.0,
        )
        for building, tenant in tenants.items()
    }
    doors = [(row.id, services[row.building_id]) for row in store.doors]
    print("READY", len(doors), flush=True)
    while True:
        outcomes = await asyncio.gather(*(service.release(door) for door, service in doors))
        failed = [o for o in outcomes if o.result != "released"]
        if failed:
            print("FAILED", failed, flush=True)
            return
        # Back to idle, so the next round's release turns the row "released" again.
        store.set_release_status({door: type(store.release_status(door))() for door, _ in doors})


asyncio.run(main())
"""


class Console:
    """The child process, each line it prints waited for with a deadline."""

    def __init__(self, server: SimServer, db: Path) -> None:
        tenants = ",".join(f"{b}:{t}" for b, t in server.cloud.front_desk_tenant_ids().items())
        env = {
            **os.environ,
            "PYTHONPATH": str(REPO),
            "BMX_CLIENT_ID": DEMO_CLIENT_ID,
            "BMX_CLIENT_SECRET": DEMO_CLIENT_SECRET,
        }
        self.child = Child(
            [sys.executable, "-c", CONSOLE, server.base_url, server.token_url, str(db), tenants],
            timeout=WAIT_S,
            cwd=REPO,
            env=env,
        )
        self.reported: list[tuple[int, int]] = []

    def _take(self, line: str) -> str:
        if line.startswith("REPORTED "):
            _, door_id, release_id = line.split()
            self.reported.append((int(door_id), int(release_id)))
        return line

    def next_line(self) -> str:
        line = self.child.line().strip()
        if line.startswith("FAILED"):
            pytest.fail(f"a release failed during the burst: {line}")
        return self._take(line)

    def kill_and_drain(self) -> int:
        """SIGKILL, then collect every line the child printed before it died."""
        done = self.child.finish(send_signal=signal.SIGKILL)
        for line in done.rest:
            self._take(line.strip())
        return done.returncode

    def close(self) -> None:
        self.child.close()


@pytest.fixture
def server() -> Iterator[SimServer]:
    with SimServer(quiet_cloud()) as sim:
        yield sim


def test_no_release_the_desk_showed_as_done_is_lost_to_a_sigkill(
    server: SimServer, tmp_path: Path
) -> None:
    db = tmp_path / "audit.sqlite3"
    console = Console(server, db)
    try:
        ready = console.next_line()
        assert ready.startswith("READY ")
        door_count = int(ready.split()[1])
        assert door_count == len(server.cloud.doors) > 10
        while len(console.reported) < REPORTS_BEFORE_KILL:
            console.next_line()

        code = console.kill_and_drain()
    finally:
        console.close()

    assert code == -signal.SIGKILL
    assert len(server.cloud.releases) >= len(console.reported) >= REPORTS_BEFORE_KILL
    with AuditLog(db) as log:
        entries = log.entries(newest_first=False)
        result = log.verify()
    recorded = {
        (e.door_id, e.release_id)
        for e in entries
        if e.action == "release" and e.outcome == "released"
    }
    missing = [pair for pair in console.reported if pair not in recorded]
    assert not missing, f"shown as released but not in the audit log: {missing}"
    assert len(set(console.reported)) == len(console.reported)
    assert {door for door, _ in console.reported} == {d["id"] for d in server.cloud.doors}
    assert all(e.operator == "night desk" for e in entries)
    # Every entry is a release the cloud really answered, with its guid.
    answered = {r["response"]["id"]: r["response"]["guid"] for r in server.cloud.releases}
    assert all(answered[e.release_id] == e.release_guid for e in entries if e.release_id)
    assert result.ok, result.problems
    assert result.checked == len(entries)
