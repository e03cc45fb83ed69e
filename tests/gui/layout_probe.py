"""Run by test_layout_xvfb in its own X server (one size and scaling each): start the real
desk with a call up, measure what a guard can see, print it as JSON on the last line."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import keyring
from PySide6.QtCore import QRect, QSettings
from PySide6.QtWidgets import QApplication, QWidget

from bmx_console.config import Settings
from bmx_console.desk import Desk
from bmx_console.secrets import SecretStore
from bmx_console.ui.door_model import COL_NAME, COL_RELEASE, COL_STATE
from bmx_console.ui.event_loop import DeskEventLoop
from bmx_console.ui.theme import ThemeManager
from tests.support import MemoryKeyring, quiet_cloud

DEADLINE_S = 30


def window_manager() -> subprocess.Popen[bytes] | None:
    if shutil.which("openbox") is None:
        return None
    wm = subprocess.Popen(["openbox", "--sm-disable"], stderr=subprocess.DEVNULL)
    until = time.monotonic() + DEADLINE_S
    while time.monotonic() < until:
        out = subprocess.run(
            ["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], capture_output=True, text=True
        ).stdout
        if "window id" in out:
            break
        time.sleep(0.05)
    return wm


def global_rect(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(widget.rect().topLeft()), widget.size())


async def measure(app: QApplication, folder: Path) -> dict[str, Any]:
    cloud = quiet_cloud()
    desk = Desk(
        Settings(),
        SecretStore(),
        cloud=cloud,
        clock=cloud.clock,
        qsettings=QSettings(str(folder / "desk.ini"), QSettings.Format.IniFormat),
        audit_path=folder / "audit.sqlite3",
        theme=ThemeManager(app, "light"),
    )
    desk.start()
    main = desk.window
    assert main is not None

    async def until(condition: Any, what: str) -> None:
        deadline = time.monotonic() + DEADLINE_S
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(what)
            await asyncio.sleep(0.02)

    await until(lambda: desk.store.door_count() > 0 and main.isVisible(), "the doors")
    building = cloud.buildings[0]["id"]
    door = next(d for d in cloud.doors if d["building_id"] == building)
    cloud.add_call(
        device=door["device_ids"][0],
        recipient={"id": cloud.front_desk_tenant_id(building), "type": "Attendant"},
        status="initializing",
    )
    banner = main.call_banner
    assert banner is not None
    await until(banner.isVisible, "the call banner")
    screen = (main.screen() or app.primaryScreen()).availableGeometry()
    result: dict[str, Any] = {
        "screen": [screen.x(), screen.y(), screen.width(), screen.height()],
        "layouts": {},
    }
    for beside in (False, True):
        main.layout_action.setChecked(beside)
        main._layout_toggled()
        await asyncio.sleep(0.2)
        view = main.door_list.view
        header = view.horizontalHeader()
        viewport = view.viewport()
        columns = {}
        for name, column in (("name", COL_NAME), ("state", COL_STATE), ("release", COL_RELEASE)):
            left = header.sectionViewportPosition(column)
            columns[name] = {
                "hidden": view.isColumnHidden(column),
                "inside": left >= 0 and left + header.sectionSize(column) <= viewport.width(),
            }
        rows = sum(
            1
            for r in range(view.model().rowCount())
            if viewport.rect().contains(view.visualRect(view.model().index(r, COL_NAME)))
        )
        shot = os.environ.get("BMX_LAYOUT_SHOT")
        if shot:
            # The whole screen, so that the picture shows the window fits it.
            grab = main.screen().grabWindow(0)
            grab.save(shot.replace(".png", "-beside.png") if beside else shot)
        frame = main.frameGeometry()
        # Scaled, Qt rounds the window manager's frame margins up: a maximised window can
        # read one logical pixel larger than the screen it exactly fills.
        fits = screen.adjusted(-1, -1, 1, 1)
        result["layouts"]["beside" if beside else "below"] = {
            "window_inside": fits.contains(frame),
            "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
            "horizontal_scroll": view.horizontalScrollBar().isVisible(),
            "columns": columns,
            "rows_visible": rows,
            "status_inside": fits.contains(global_rect(main.status)),
        }
    await desk.aclose()
    return result


def main() -> None:
    wm = window_manager()
    keyring.set_keyring(MemoryKeyring())
    app = QApplication(sys.argv[:1])
    loop = DeskEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        with tempfile.TemporaryDirectory() as folder:
            result = loop.run_until_complete(
                asyncio.wait_for(measure(app, Path(folder)), DEADLINE_S)
            )
        print(json.dumps(result), flush=True)
    finally:
        if wm is not None:
            wm.kill()
    # The measurements are out: leave without Qt's and the interpreter's teardown, which
    # on a loaded machine has been seen to hang past the test's timeout at 3840×2160.
    os._exit(0)


if __name__ == "__main__":
    main()
