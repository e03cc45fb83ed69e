"""The desk window SIGKILLed in the middle of a burst, while the cloud has executed every
release and holds back its answers: each executed release is in the audit log as sent, of
unknown outcome, and the next start confirms each from ButterflyMX's access logs."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from bmx_console import config
from bmx_console.config import Settings
from bmx_console.core.audit import AuditLog, verify_path
from bmx_console.desk import Desk
from bmx_console.paths import user_paths
from bmx_console.secrets import SecretStore
from bmx_console.sim.cloud import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from bmx_console.sim.hold import release_hold
from bmx_console.sim.server import SimServer
from bmx_console.ui.audit_tab import COL_OUTCOME, AuditTab
from tests.gui.desk_support import call_on_loop, close_desk
from tests.support import held_release_server

REPO = Path(__file__).resolve().parents[2]
WAIT_S = 60.0
BURST = 6

# The real application (bmx_console.cli.main: the frame, the desk, its window), with one
# addition: once the first doors and events are in, it presses Release on BURST doors the
# way the door list's button does, through the release gate.
DESK = f"""
import sys
from bmx_console import desk as desk_module
from bmx_console.cli import main
from bmx_console.ui import qt_async

started = desk_module.Desk.start

def start(self):
    started(self)

    async def burst():
        await self.pollers.ready()
        for row in list(self.store.doors)[:{BURST}]:
            qt_async.spawn(self.release_gate.release(row.id), name="release")
        print("PRESSED", flush=True)

    qt_async.spawn(burst(), name="burst")

desk_module.Desk.start = start
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture
def server() -> Iterator[SimServer]:
    with held_release_server() as sim:
        yield sim


def wait_for(condition, what: str, proc: subprocess.Popen[str] | None = None) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + WAIT_S
    while not condition():
        if proc is not None and proc.poll() is not None:
            err = proc.stderr.read() if proc.stderr else ""
            pytest.fail(f"the desk ended early ({proc.returncode}) waiting for {what}: {err}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def desk_settings(server: SimServer) -> Settings:
    building = server.cloud.buildings[0]["id"]
    return Settings(
        client_id=DEMO_CLIENT_ID,
        api_base=server.base_url,
        token_url=server.token_url,
        building_id=building,
        release_tenant_id=server.cloud.front_desk_tenant_id(building),
        operator="night desk",
        events_interval=1_000,
    )


def test_a_desk_killed_mid_burst_loses_no_executed_release_and_the_next_start_confirms_them(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    server: SimServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = desk_settings(server)
    config.save_settings(settings)
    hold = release_hold(server.cloud)
    hold.hold()
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "BMX_CLIENT_ID": DEMO_CLIENT_ID,
        "BMX_CLIENT_SECRET": DEMO_CLIENT_SECRET,
    }
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    proc = subprocess.Popen(
        [sys.executable, "-c", DESK],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    try:
        wait_for(lambda: hold.waiting == BURST, f"{BURST} releases executed and held", proc)
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=WAIT_S) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=WAIT_S)
        if proc.stderr is not None:
            proc.stderr.close()
    hold.lift()

    executed = [
        r["request"]["door_release_request"]["access_point_id"] for r in server.cloud.releases
    ]
    assert len(executed) == BURST
    audit_path = user_paths().data_dir / "audit.sqlite3"
    with AuditLog(audit_path) as log:
        unsettled = log.unsettled()
    assert sorted(e.door_id for e in unsettled) == sorted(executed)
    assert all(e.operator == "night desk" for e in unsettled)
    before = verify_path(audit_path)
    assert before.ok and len(before.unknown) == BURST

    # The next start.
    monkeypatch.setenv("BMX_CLIENT_SECRET", DEMO_CLIENT_SECRET)
    desk = Desk(
        settings,
        SecretStore(),
        qsettings=QSettings(str(user_paths().config_dir / "desk.ini"), QSettings.Format.IniFormat),
        audit_path=audit_path,
    )
    try:
        call_on_loop(qtbot, desk.start)
        qtbot.waitUntil(lambda: desk.audit.unsettled() == [], timeout=int(WAIT_S * 1000))
        confirmed = [e for e in desk.audit.entries() if e.outcome == "confirmed"]
        assert sorted(e.door_id for e in confirmed) == sorted(executed)
        assert all("confirmed by ButterflyMX" in e.detail for e in confirmed)
        assert desk.window is not None
        tab = desk.window.open_tab("Audit")
        assert isinstance(tab, AuditTab)
        shown = [str(tab.model.index(r, COL_OUTCOME).data()) for r in range(tab.model.rowCount())]
        assert shown.count("Confirmed by ButterflyMX") == BURST
        assert "Outcome unknown" not in shown
    finally:
        close_desk(qtbot, desk)
    assert verify_path(audit_path).unknown == []
