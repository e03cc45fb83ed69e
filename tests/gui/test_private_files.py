"""Nothing the desk writes is readable by the other accounts on the PC: settings, the audit
database with its -wal and -shm, logs, the polling cursor, pass notes, window settings, each
0600 in folders of 0700, also when an older version left them readable."""

from __future__ import annotations

import asyncio
import logging
import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from bmx_console import config
from bmx_console.core.passes import PassNote, PassNotes
from bmx_console.core.pin import hash_pin
from bmx_console.desk import Desk
from bmx_console.logs import setup_logging
from bmx_console.paths import user_paths
from bmx_console.secrets import SecretStore
from bmx_console.services import save_kiosk_pin_hash
from bmx_console.sim.cloud import Cloud
from tests.gui.desk_support import FAST, call_on_loop, click_release, close_desk, row
from tests.support import MemoryKeyring

WAIT_MS = 5_000


@pytest.fixture
def loose_umask() -> Iterator[None]:
    previous = os.umask(0o022)  # the usual desktop default: new files 0644
    try:
        yield
    finally:
        os.umask(previous)


def readable_by_others(folders: list[Path]) -> list[str]:
    found = []
    for folder in folders:
        for path in [folder, *folder.rglob("*")]:
            mode = stat.S_IMODE(path.lstat().st_mode)
            if mode & 0o077:
                found.append(f"{path} {oct(mode)}")
    return found


def test_no_file_or_folder_of_the_desk_is_readable_by_group_or_others(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    loose_umask: None,
    memory_keyring: MemoryKeyring,
) -> None:
    folders = [user_paths().config_dir, user_paths().data_dir, user_paths().log_dir]
    # What an older version left behind: readable by everyone.
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o755)
    old_config = config.config_path()
    old_config.write_text('operator = "Ann"\n')
    old_config.chmod(0o644)

    log_file = setup_logging(user_paths().log_dir)
    logging.getLogger("bmx_console.test").warning("a line in the log")
    save_kiosk_pin_hash(hash_pin("482913"))
    config.save_settings(config.load_settings().with_changes(operator="Ann"))
    PassNotes(user_paths().data_dir / "passes.json").put(
        PassNote(keychain_id=7, name="Plumber", contact="+1 555 0100", created_at=datetime.now(UTC))
    )
    cloud = Cloud(seed=7, event_rate_per_min=0, call_rate_per_min=0, history_days=1)
    desk = Desk(
        FAST,
        SecretStore(),
        cloud=cloud,
        qsettings=QSettings(str(user_paths().config_dir / "desk.ini"), QSettings.Format.IniFormat),
        audit_path=user_paths().data_dir / "audit.sqlite3",
        cursor_path=user_paths().data_dir / "cursor.json",
    )
    try:
        call_on_loop(qtbot, desk.start)
        qtbot.waitUntil(lambda: desk.store.door_count() > 0, timeout=WAIT_MS)
        door_id = desk.store.doors[0].id
        click_release(qtbot, desk, door_id)
        qtbot.waitUntil(lambda: row(desk, door_id).state == "released", timeout=WAIT_MS)
        wal = desk.audit.path.with_name(desk.audit.path.name + "-wal")
        assert wal.exists()
        # While it runs, the live audit files are already private.
        assert readable_by_others([user_paths().data_dir]) == []
    finally:
        close_desk(qtbot, desk)
    QSettings(str(user_paths().config_dir / "desk.ini"), QSettings.Format.IniFormat).sync()

    assert log_file.exists() and (user_paths().data_dir / "cursor.json").exists()
    assert readable_by_others(folders) == []
