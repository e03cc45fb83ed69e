"""Building the real desk (``bmx_console.desk.Desk``) against the simulator in GUI tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

import httpx
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QMenu
from pytestqt.qtbot import QtBot

from bmx_console.clock import Clock, Sleep
from bmx_console.config import Settings
from bmx_console.core.store import DoorRow
from bmx_console.desk import Desk
from bmx_console.secrets import SecretStore
from bmx_console.sim.cloud import Cloud
from bmx_console.ui.door_list import COL_RELEASE, ReleaseButtonDelegate
from bmx_console.ui.main_window import MainWindow
from bmx_console.ui.theme import ThemeManager
from tests.support import quiet_cloud, run

__all__ = ["quiet_cloud", "run"]  # here too, where most GUI tests have long found them

T = TypeVar("T")

# Short cadences so a test sees a poll within a second or two; the release state lasts 5 s
# on the fake clock, which only moves when the test moves it.
FAST = Settings(
    status_interval=15_000,
    events_interval=1_000,
    calls_interval=2_000,
    released_state_ms=5_000,
)


async def _call(function: Callable[[], object]) -> None:
    function()


def call_on_loop(qtbot: QtBot, function: Callable[[], object]) -> None:
    """Call ``function`` from inside the running loop (what starts tasks needs one)."""
    run(qtbot, _call(function))


@dataclass
class Recorder:
    """The desk's sleep (pollers and client retries): remembers every wait it was asked
    for, per poller, and waits at most ``cap`` seconds, so that a Retry-After of half a
    minute plays out in a moment while normal cadences stay as they are."""

    delays: dict[str, list[float]] = field(default_factory=dict)
    cap: float = 0.5

    async def __call__(self, seconds: float) -> None:
        task = asyncio.current_task()
        name = task.get_name() if task else "?"
        self.delays.setdefault(name.removeprefix("poller:"), []).append(seconds)
        await asyncio.sleep(min(seconds, self.cap))


def make_desk(
    qtbot: QtBot,
    tmp_path: Path,
    *,
    cloud: Cloud | None = None,
    settings: Settings = FAST,
    secrets: SecretStore | None = None,
    clock: Clock | None = None,
    sleep: Sleep | None = None,
    save_settings: Callable[[Settings], object] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    theme: ThemeManager | None = None,
    start: bool = True,
) -> Desk:
    extra: dict[str, Any] = {}
    if save_settings is not None:
        extra["save_settings"] = save_settings
    desk = Desk(
        settings,
        secrets or SecretStore(),
        cloud=cloud,
        clock=clock,
        sleep=sleep,
        qsettings=QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat),
        audit_path=tmp_path / "audit.sqlite3",
        transport=transport,
        theme=theme,
        **extra,
    )
    if start:
        start_desk(qtbot, desk)
    return desk


def start_desk(qtbot: QtBot, desk: Desk) -> None:
    """Start a desk made with ``start=False`` and wait until its window is on screen."""
    call_on_loop(qtbot, desk.start)
    assert desk.window is not None
    qtbot.waitExposed(desk.window)


def has_doors(desk: Desk) -> bool:
    return desk.store.door_count() > 0


def has_doors_and_events(desk: Desk) -> bool:
    return desk.store.door_count() > 0 and desk.store.event_count() > 0


class OpenDesk(Protocol):
    """The ``open_desk`` fixture (tests/gui/conftest.py): the real desk on the test's
    simulator and clock, started, and closed when the test ends. ``ready`` is waited for
    (up to ``timeout`` ms) before the desk is handed over. ``on_property`` configures it for
    a property instead of the demo (whose choices last the session only): the demo's client
    id and secret, the simulator reached in-process as if it were the cloud."""

    def __call__(
        self,
        *,
        settings: Settings = ...,
        sleep: Sleep | None = ...,
        save_settings: Callable[[Settings], object] | None = ...,
        ready: Callable[[Desk], bool] | None = ...,
        timeout: int = ...,
        on_property: bool = ...,
    ) -> Desk: ...


def window(desk: Desk) -> MainWindow:
    assert desk.window is not None
    return desk.window


def row(desk: Desk, door_id: int) -> DoorRow:
    found = desk.store.door(door_id)
    assert found is not None
    return found


def state_text(desk: Desk, door_id: int) -> str:
    """What the State cell of that door says."""
    door_list = window(desk).door_list
    proxy_row = door_list.proxy_row_of(door_id)
    assert proxy_row is not None
    return str(door_list.proxy.index(proxy_row, 2).data())


def click_release(qtbot: QtBot, desk: Desk, door_id: int) -> None:
    """Click the painted Release button of that door's row, as a person would."""
    door_list = window(desk).door_list
    door_list.model.flush_now()
    proxy_row = door_list.proxy_row_of(door_id)
    assert proxy_row is not None
    view = door_list.view
    index = door_list.proxy.index(proxy_row, COL_RELEASE)
    view.scrollTo(index)
    # A person clicks what they see: not in the moment after the list moved on screen (the
    # window laying out, a banner appearing), when the desk ignores clicks on purpose.
    qtbot.waitUntil(lambda: not view.recently_shifted(), timeout=5_000)
    rect = ReleaseButtonDelegate.button_rect(view.visualRect(index))
    point = QPoint(int(rect.center().x()), int(rect.center().y()))
    QTest.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point
    )


def sign_in_entry(main: MainWindow) -> QAction:
    """The File menu's Sign in… entry, which must be there and enabled: a desk built without
    its sign-in dialog fails the test that asks, instead of passing over it."""
    file_menu = next((m for m in main.menuBar().findChildren(QMenu) if m.title() == "&File"), None)
    assert file_menu is not None, "the desk has no File menu"
    entry = next((a for a in file_menu.actions() if a.text().replace("&", "") == "Sign in…"), None)
    assert entry is not None, "the File menu has no Sign in… entry"
    assert entry.isEnabled(), "the File menu's Sign in… entry is disabled"
    return entry


def wait_for_sign_in(qtbot: QtBot, main: MainWindow, timeout: int = 5_000) -> QDialog:
    """The Sign-in dialog the desk opens by itself once the cloud signs it out."""
    from bmx_console.ui.sign_in_dialog import SignInDialog

    sign_in_entry(main)
    qtbot.waitUntil(lambda: main.open_dialog("sign_in") is not None, timeout=timeout)
    dialog = main.open_dialog("sign_in")
    assert isinstance(dialog, SignInDialog), f"the sign-in dialog is {dialog!r}"
    return dialog


def close_desk(qtbot: QtBot, desk: Desk) -> None:
    run(qtbot, desk.aclose())
