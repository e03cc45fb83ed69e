"""Every screen of the desk on the simulator's hostile seed (names with HTML, formula
prefixes, control characters, right-to-left overrides and 500 characters): no label,
message box or tooltip renders markup from the cloud, and the names show as the text they
are. The confirmation dialog's picture goes to ``$BMX_SCREENSHOTS_DIR`` (docs/ for the README).
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QLabel, QToolTip, QWidget
from pytestqt.qtbot import QtBot

from bmx_console.api.models import Call
from bmx_console.clock import FakeClock
from bmx_console.desk import Desk
from bmx_console.secrets import SecretStore
from bmx_console.sim.cloud import Cloud
from bmx_console.ui.audit_tab import AuditTab
from bmx_console.ui.passes_tab import PassesTab
from bmx_console.ui.plain_text import tooltip_markup
from tests.gui.desk_support import (
    FAST,
    OpenDesk,
    click_release,
    close_desk,
    has_doors_and_events,
    window,
)
from tests.support import REAL_SERVICES, MemoryKeyring, quiet_cloud

WAIT_MS = 10_000
MARKUP = ("<img", "<a ", "<b ", "<b>")


def rendering(root: QWidget) -> list[str]:
    """Labels under ``root`` that would render markup: not plain text and not the
    console's own (escaped) markup; and own-markup labels that carry raw markup from data."""
    found = []
    # A label is polished (and so set to plain text) as it is first shown: one never shown
    # renders nothing.
    for label in (w for w in root.findChildren(QLabel) if w.isVisible()):
        own = label.property("bmxOwnMarkup") is True
        if (label.textFormat() != Qt.TextFormat.PlainText and not own) or (
            own and any(tag in label.text() for tag in ("<img", "<a "))
        ):
            found.append(label.text()[:80])
    return found


def top_levels() -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if w.isVisible()]


@pytest.fixture
def cloud(clock: FakeClock) -> Cloud:
    return quiet_cloud(clock, hostile=True)


@pytest.fixture
def desk(open_desk: OpenDesk, cloud: Cloud) -> Desk:
    settings = replace(FAST, sensitive_doors=(cloud.doors[0]["id"],))
    return open_desk(settings=settings, ready=has_doors_and_events, timeout=WAIT_MS)


def test_the_seed_really_is_hostile(cloud: Cloud) -> None:
    names = [d["name"] for d in cloud.doors] + [b["name"] for b in cloud.buildings]
    assert any("<img" in n for n in names)
    assert any(n.startswith(("=", "+", "@", "-")) for n in names)
    assert any("\x1b" in n or "\u202e" in n for n in names)


def test_no_screen_renders_markup_from_the_cloud(
    qtbot: QtBot, desk: Desk, cloud: Cloud, clock: FakeClock, shots: Path
) -> None:
    main = window(desk)
    assert rendering(main) == []

    # The event details dialog: the resident's name, the door, the building.
    assert main.event_pane is not None
    event = desk.store.events_newest_first(1)[0]
    details = main.event_pane.open_details(event)  # type: ignore[attr-defined]
    qtbot.waitExposed(details)
    assert rendering(details) == []
    details.close()

    # The call banner: the panel's name and the building.
    door = desk.store.door(cloud.doors[0]["id"])  # the sensitive one
    assert door is not None
    panel = cloud.panels[0]
    desk.store.add_calls(
        [
            Call(
                id=9001,
                logged_at=clock.now() - timedelta(seconds=2),
                building_id=door.building_id,
                recipient_type="Attendant",
                panel_id=door.door.panel_ids[0] if door.door.panel_ids else panel["id"],
                panel_name=panel["name"],
            )
        ]
    )
    banner = main.call_banner
    assert banner is not None
    qtbot.waitUntil(lambda: banner.current_call() is not None, timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert rendering(main) == []

    # The confirmation of a sensitive door named like HTML.
    click_release(qtbot, desk, door.id)
    assert desk.release_gate is not None
    qtbot.waitUntil(lambda: desk.release_gate.dialog_for(door.id) is not None, timeout=WAIT_MS)
    confirm = desk.release_gate.dialog_for(door.id)
    assert confirm is not None
    qtbot.waitExposed(confirm)
    assert door.name in confirm.question.text()
    assert rendering(confirm) == []
    assert confirm.grab().save(str(shots / "hostile-confirm.png"))
    confirm.reject()

    # Passes, with the revoke question naming a pass named like HTML.
    made = asyncio.ensure_future(
        desk.passes.create_visitor_pass(
            '<img src="file:///etc/hosts">Guest', hours=2, door_ids=[door.id]
        )
    )
    qtbot.waitUntil(made.done, timeout=WAIT_MS)
    passes = main.open_tab("Passes")
    assert isinstance(passes, PassesTab)
    qtbot.waitUntil(lambda: passes._last_refresh is not None, timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: made.result().id in [p.id for p in passes.model.passes()], timeout=WAIT_MS
    )
    assert passes.select(made.result().id)
    box = passes.revoke_selected()
    assert box is not None
    qtbot.waitExposed(box)
    assert rendering(box) == []
    box.reject()

    # The audit tab, with the release just confirmed away and the shift start.
    audit = main.open_tab("Audit")
    assert isinstance(audit, AuditTab)
    qtbot.waitUntil(audit.isVisible, timeout=WAIT_MS)
    assert rendering(audit) == []

    for widget in top_levels():
        assert rendering(widget) == [], widget

    # A tooltip with a cloud name shows it escaped (the guard installed by the desk).
    holder = QLabel("x")
    holder.setToolTip(door.name)
    qtbot.addWidget(holder)
    holder.show()
    qtbot.waitExposed(holder)
    QApplication.sendEvent(
        holder, QHelpEvent(QEvent.Type.ToolTip, QPoint(2, 2), holder.mapToGlobal(QPoint(2, 2)))
    )
    qtbot.waitUntil(QToolTip.isVisible, timeout=WAIT_MS)
    assert QToolTip.text() == tooltip_markup(door.name)
    QToolTip.hideText()


def test_the_kiosk_shows_hostile_names_as_text(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    cloud: Cloud,
    clock: FakeClock,
    memory_keyring: MemoryKeyring,
) -> None:
    doors = tuple(d["id"] for d in cloud.doors[:3])
    settings = replace(FAST, kiosk=replace(FAST.kiosk, doors=doors, show_events=True))
    desk = Desk(
        settings,
        SecretStore(),
        cloud=cloud,
        clock=clock,
        audit_path=tmp_path / "audit.sqlite3",
        kiosk=True,
    )
    try:
        kiosk = desk.kiosk_window
        assert kiosk is not None
        desk.start()
        qtbot.waitExposed(kiosk)
        qtbot.waitUntil(lambda: desk.store.door_count() > 0, timeout=WAIT_MS)
        assert rendering(kiosk) == []
    finally:
        close_desk(qtbot, desk)


def test_a_pass_pdf_prints_a_name_like_html_as_text(
    qtbot: QtBot, desk: Desk, tmp_path: Path
) -> None:
    from bmx_console.ui.pass_dialog import PassDialog

    passes = window(desk).open_tab("Passes")
    assert isinstance(passes, PassesTab)
    qtbot.waitUntil(lambda: passes._last_refresh is not None, timeout=WAIT_MS)
    name = '<b style="color:red">Ana</b> & Co'
    task = asyncio.ensure_future(
        desk.passes.create_visitor_pass(name, hours=2, door_ids=[desk.store.doors[0].id])
    )
    qtbot.waitUntil(task.done, timeout=WAIT_MS)
    doors = {row.id: row.name for row in desk.store.doors}
    building = next(iter(desk.store.buildings.values()))
    dialog = PassDialog(
        task.result(), doors=doors, clock=desk.clock, building=building, parent=window(desk)
    )
    qtbot.addWidget(dialog)
    target = tmp_path / "pass.pdf"
    assert dialog.save_pdf(str(target))
    poppler = bool(shutil.which("pdftotext"))
    assert poppler or not REAL_SERVICES, "needs poppler-utils in CI (scripts/test installs it)"
    if poppler:
        text = subprocess.run(
            ["pdftotext", str(target), "-"], capture_output=True, text=True, timeout=30
        ).stdout
        # The markup is printed as the letters it is (rendered, only "Ana" would show).
        assert 'b style="color:red">Ana' in text
