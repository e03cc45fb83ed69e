"""Every operator action lands in the audit log: the shift's start and end, a change of
operator, calls acknowledged, dismissed and released from, settings saved (by field name,
never a value), sign-in and sign-out; a kiosk's releases carry the kiosk's name."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from bmx_console.api.models import Call
from bmx_console.clock import FakeClock
from bmx_console.core.audit import AuditLog
from bmx_console.desk import Desk
from bmx_console.secrets import SecretStore
from tests.gui.desk_support import FAST, close_desk, make_desk, quiet_cloud, row, run, window
from tests.support import MemoryKeyring

WAIT_MS = 5_000


def actions(path: Path) -> list[tuple[str, str, str, str]]:
    with AuditLog(path) as log:
        return [
            (e.action, e.operator, e.subject, e.detail) for e in log.entries(newest_first=False)
        ]


def ring(desk: Desk, call_id: int, panel_id: int) -> None:
    desk.store.add_calls(
        [
            Call(
                id=call_id,
                logged_at=desk.clock.now() - timedelta(seconds=2),
                building_id=desk.store.doors[0].building_id,
                recipient_type="Attendant",
                panel_id=panel_id,
                panel_name="Lobby panel",
            )
        ]
    )


def test_shift_operator_calls_settings_and_sign_in_are_recorded(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    cloud = quiet_cloud(FakeClock())
    desk = make_desk(qtbot, tmp_path, cloud=cloud, clock=cloud.clock)
    qtbot.waitUntil(lambda: desk.store.door_count() > 0, timeout=WAIT_MS)
    started_as = desk.operator()
    try:
        # The operator hands over through File → Change operator….
        change = next(a for a in window(desk).menu("file").actions() if "operator" in a.text())
        change.trigger()
        assert desk.operator_prompt is not None and desk.operator_prompt.dialog is not None
        dialog = desk.operator_prompt.dialog
        dialog.name.setText("Sam Ortiz")
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: desk.operator() == "Sam Ortiz", timeout=WAIT_MS)

        banner = window(desk).call_banner
        assert banner is not None
        door = desk.store.doors[0]
        ring(desk, 501, door.door.panel_ids[0])
        qtbot.waitUntil(lambda: banner.current_call() is not None, timeout=WAIT_MS)  # type: ignore[attr-defined]
        banner.release_door(door.id)  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: row(desk, door.id).state == "released", timeout=WAIT_MS)
        banner.acknowledge()  # type: ignore[attr-defined]
        ring(desk, 502, door.door.panel_ids[0])
        qtbot.waitUntil(lambda: banner.current_call() is not None, timeout=WAIT_MS)  # type: ignore[attr-defined]
        banner.dismiss()  # type: ignore[attr-defined]

        new = desk.user_settings.with_changes(operator="Front desk", notify_calls=False)
        desk._settings_saved(new)  # what the Settings dialog's Save does
        desk.signed_in()  # what the sign-in dialog does once signed in
        desk._token_state("signed_out")  # the sign-in was refused or revoked
    finally:
        close_desk(qtbot, desk)

    recorded = actions(tmp_path / "audit.sqlite3")
    names = [a for a, *_ in recorded]
    assert names[0] == "shift_start" and names[-1] == "shift_end"
    assert ("operator_change", started_as, "Sam Ortiz", f"from {started_as}") in recorded
    call_release = next(r for r in recorded if r[0] == "call_release")
    assert call_release[1] == "Sam Ortiz" and call_release[2] == "call 501 from Lobby panel"
    assert names.index("call_release") < names.index("release")
    assert ("call_acknowledge", "Sam Ortiz", "call 501 from Lobby panel", "") in recorded
    assert ("call_dismiss", "Sam Ortiz", "call 502 from Lobby panel", "") in recorded
    settings = next(r for r in recorded if r[0] == "settings_change")
    assert settings[3] == "changed: operator, notify_calls"
    assert "sign_in" in names and "sign_out" in names


def test_a_kiosk_releases_under_its_configured_name_and_records_its_exit_and_pin(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    cloud = quiet_cloud(FakeClock())
    settings = FAST.with_changes(kiosk=replace(FAST.kiosk, name="Lobby kiosk, front lobby PC"))
    desk = Desk(
        settings,
        SecretStore(),
        cloud=cloud,
        clock=cloud.clock,
        audit_path=tmp_path / "audit.sqlite3",
        kiosk=True,
    )
    try:
        desk.start()
        qtbot.waitUntil(lambda: desk.store.door_count() > 0, timeout=WAIT_MS)
        door_id = desk.store.doors[0].id
        outcome = run(qtbot, desk.releases.release(door_id))
        assert outcome.result == "released"
        # Settings → Kiosk storing a new staff PIN (the kiosk itself never chooses one).
        access = desk.services.settings_access()
        assert access.set_kiosk_pin is not None and access.kiosk_pin_changed is not None
        access.set_kiosk_pin("482913")
        access.kiosk_pin_changed(False)
        assert desk.kiosk_window is not None
        desk.kiosk_window.exited.emit()  # type: ignore[attr-defined]
    finally:
        close_desk(qtbot, desk)

    recorded = actions(tmp_path / "audit.sqlite3")
    releases = [r for r in recorded if r[0] == "release"]
    assert releases and all(r[1] == "Lobby kiosk, front lobby PC" for r in releases)
    names = [r[0] for r in recorded]
    assert "kiosk_pin_change" in names and "kiosk_exit" in names


def test_without_a_usable_keyring_the_audit_tab_says_rollback_cannot_be_detected(
    qtbot: QtBot, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    import keyring.backends.fail

    from bmx_console.core.audit_anchor import AuditAnchor
    from bmx_console.secrets import KeyringAnchorStore
    from bmx_console.ui.audit_tab import AuditTab

    for secrets, warned in (
        (SecretStore(backend=keyring.backends.fail.Keyring()), True),
        (SecretStore(), False),
    ):
        path = tmp_path / f"audit-{warned}.sqlite3"
        with AuditLog(path, anchor=AuditAnchor(KeyringAnchorStore(secrets), path)) as log:
            tab = AuditTab(log)
            qtbot.addWidget(tab)
            tab.show()
            assert tab.keyring_warning.isVisible() == warned
            if warned:
                assert "cannot be detected" in tab.keyring_warning.text()
            tab.close()


def test_the_status_bar_shows_the_forwarding_backlog_until_the_server_answers(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    import socket
    import threading

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    cloud = quiet_cloud(FakeClock())
    settings = FAST.with_changes(audit_syslog=f"tcp://127.0.0.1:{port}")
    desk = make_desk(qtbot, tmp_path, cloud=cloud, clock=cloud.clock, settings=settings)
    received = bytearray()
    server = socket.socket()
    try:
        label = desk.audit_wiring.forwarding_label
        assert label is not None
        qtbot.waitUntil(label.isVisible, timeout=WAIT_MS)
        assert label.text().startswith("Audit copy: 1 entry not yet forwarded to 127.0.0.1")

        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", port))
        server.listen()

        def serve() -> None:
            conn, _ = server.accept()
            with conn:
                while chunk := conn.recv(4096):
                    received.extend(chunk)

        threading.Thread(target=serve, daemon=True).start()
        qtbot.waitUntil(lambda: not label.isVisible(), timeout=15_000)
        assert b"shift_start" in received
    finally:
        close_desk(qtbot, desk)
        server.close()
