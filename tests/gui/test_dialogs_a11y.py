"""Every control in the dialogs has a name a screen reader can say."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from bmx_console.config import Settings
from bmx_console.connect import connect
from bmx_console.probes import commands_for
from bmx_console.secrets import SecretStore
from bmx_console.sim.cloud import Cloud
from bmx_console.ui.commands_dialog import CommandsDialog
from bmx_console.ui.settings_dialog import SettingsDialog
from bmx_console.ui.sign_in_dialog import SignInDialog
from bmx_console.ui.wizard import FirstRunWizard
from tests.support import MemoryKeyring, settings_access


def unnamed_controls(root: QWidget) -> list[str]:
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, QAbstractButton | QLineEdit | QAbstractItemView):
            continue
        if isinstance(widget, QHeaderView) or widget.isHidden():
            continue
        # Parts Qt builds inside a line edit or a view (clear button, corner button).
        if isinstance(widget.parent(), QLineEdit | QAbstractItemView):
            continue
        if not widget.accessibleName().strip():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


@pytest.mark.parametrize("which", ["settings", "wizard", "sign_in", "commands"])
def test_every_control_has_an_accessible_name(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, memory_keyring: MemoryKeyring, which: str
) -> None:
    secrets = SecretStore()
    access = settings_access(secrets)
    conn = connect(Settings(), secrets, cloud=Cloud())
    dialog: QWidget
    if which == "settings":
        dialog = SettingsDialog(Settings(), access)
    elif which == "wizard":
        dialog = FirstRunWizard(access)
    elif which == "sign_in":
        dialog = SignInDialog(conn.tokens)
    else:
        dialog = CommandsDialog(commands_for(conn))
    qtbot.addWidget(dialog)
    dialog.show()
    try:
        assert unnamed_controls(dialog) == []
    finally:
        closing = asyncio.get_event_loop().create_task(conn.aclose())
        qtbot.waitUntil(closing.done, timeout=2000)
