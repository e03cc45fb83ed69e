"""The window is on screen before the console behind it has loaded.

``bmx-console`` paints the desk window's frame first and only then loads asyncio, the network
stack, the keyring, the simulator and SQLite, and builds the desk into that same window. These
tests run the real entry point in a separate process (as the operator starts it) and look at
what the first frame is, what had been loaded when it was painted, and that the doors then
appear in the very same window.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from bmx_console.clock import FakeClock
from bmx_console.config import Settings
from bmx_console.desk import Desk, run_console
from bmx_console.paths import user_paths
from bmx_console.secrets import SecretStore
from bmx_console.sim.cloud import Cloud
from bmx_console.ui.desk_frame import new_window, window_settings
from bmx_console.ui.main_window import MainWindow
from tests.gui.desk_support import run
from tests.support import Child

# Runs ``bmx-console --demo --smoke-test PATH`` and reports, as JSON lines, what the window
# looked like and what was loaded at its first frame, and which window the doors appeared in.
PROBE = textwrap.dedent(
    """
    import json, sys
    from bmx_console import cli
    from bmx_console.ui.main_window import MainWindow

    frames = []
    init = MainWindow.__init__

    def watched_init(self, *args, **kwargs):
        init(self, *args, **kwargs)

        def first_frame():
            central = self.centralWidget()
            frames.append(id(self))
            print(json.dumps({
                "frame": True,
                "loaded": sorted(
                    m for m in ("asyncio", "httpx", "keyring", "sqlite3", "qasync",
                                "bmx_console.sim.cloud", "bmx_console.desk")
                    if m in sys.modules
                ),
                "text": getattr(central, "text", lambda: "")(),
                "settings_enabled": self.settings_action.isEnabled(),
            }), flush=True)

        self.first_painted.connect(first_frame)

    MainWindow.__init__ = watched_init
    code = cli.main(sys.argv[1:])
    print(json.dumps({"windows_made": len(frames), "exit": code}), flush=True)
    sys.exit(code)
    """
)


def demo_frame() -> MainWindow:
    """The demo desk's window frame, made as ``bmx_console.app`` makes it before the desk."""
    return new_window(
        qsettings=window_settings(user_paths().window_state),
        theme=None,
        demo=True,
        log_folder=user_paths().log_dir,
    )


def run_probe(*args: str) -> tuple[subprocess.CompletedProcess[str], list[dict[str, object]]]:
    env = dict(os.environ)
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        timeout=90,
        env=env,
    )
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return done, lines


def test_the_frame_is_painted_before_the_network_stack_loads_and_the_doors_fill_it(
    tmp_path: Path,
) -> None:
    done, lines = run_probe("--demo", "--smoke-test", str(tmp_path / "shot.png"))

    assert done.returncode == 0, done.stderr[-3000:]
    frame = next(line for line in lines if line.get("frame"))
    assert frame["text"] == "Starting the desk…"
    # Nothing the operator could use yet is offered.
    assert frame["settings_enabled"] is False
    assert frame["loaded"] == []
    # One window: the doors arrived in the frame that was painted first.
    assert lines[-1] == {"windows_made": 1, "exit": 0}
    assert "smoke test passed: 20 doors" in done.stdout


def test_a_frame_gets_the_desk_menus_once_the_desk_is_built_into_it(
    qapp: QApplication, qloop: object, clock: FakeClock, cloud: Cloud
) -> None:
    frame = demo_frame()
    assert not frame.settings_action.isEnabled()
    assert not frame.commands_action.isEnabled()
    assert not frame.filters_action.isEnabled()

    desk = Desk(Settings(), SecretStore(), cloud=cloud, clock=clock, window=frame)
    try:
        assert desk.window is frame
        assert frame.door_list is not None
        assert frame.settings_action.isEnabled()
        assert frame.commands_action.isEnabled()
        assert frame.filters_action.isEnabled()
        assert frame.event_pane is not None
    finally:
        frame.close()
        frame.deleteLater()


def test_closing_the_frame_before_the_desk_is_built_ends_the_console(
    qapp: QApplication, qloop: object, qtbot: QtBot
) -> None:
    frame = demo_frame()
    frame.show()
    frame.close()
    args = argparse.Namespace(demo=True, kiosk=False, smoke_test=None)

    result = run(qtbot, run_console(qapp, args, Settings(), SecretStore(), None, early=frame))

    assert result == 0
    # No desk was built into it.
    assert not frame.built


def test_ctrl_c_in_the_terminal_closes_the_console_at_rest(tmp_path: Path) -> None:
    """It closes the window and exits 0, as the Quit menu does: no traceback, no hang."""
    probe = textwrap.dedent(
        """
        import sys
        from bmx_console import cli
        from bmx_console.desk import Desk

        start = Desk.start

        def started(desk):
            start(desk)
            print("ready", flush=True)

        Desk.start = started
        sys.exit(cli.main(["--demo"]))
        """
    )
    env = dict(os.environ)
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    with Child([sys.executable, "-c", probe], env=env) as console:
        assert console.line(timeout=60).strip() == "ready"
        done = console.finish(timeout=30, send_signal=signal.SIGINT)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr


def test_the_status_bar_says_connecting_until_the_cloud_first_answers(
    qtbot: QtBot, clock: FakeClock
) -> None:
    from bmx_console.core.store import Store
    from bmx_console.ui.status_bar import StatusBar

    store = Store()
    store.register_poller("doors", 60)
    status = StatusBar(store, clock=clock, token_expiry=lambda: None)
    qtbot.addWidget(status)

    assert status.connection_text == "Connecting…"
    assert "first answer" in status.connection_tooltip

    store.record_success("doors", at=clock.now())

    assert status.connection_text == "Connected"
    assert status.connection_tooltip == "All updates are arriving."


def test_an_error_reported_while_the_window_is_a_frame_shows_once_the_desk_is_built(
    qapp: QApplication, qloop: object, clock: FakeClock, cloud: Cloud
) -> None:
    frame = demo_frame()
    frame.report_error("The simulator hiccuped")

    Desk(Settings(), SecretStore(), cloud=cloud, clock=clock, window=frame)
    try:
        assert not frame.error_banner.isHidden()
        assert frame.error_banner.detail.text() == "The simulator hiccuped"
    finally:
        frame.close()
        frame.deleteLater()
