"""The Passes tab of the real desk window against the in-process simulator: make a visitor
pass through the form and see its PIN and QR code, copy and save it as PDF, watch its use,
let it expire, revoke it, make a delivery pass, and clean up a half-made one."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage
from PySide6.QtWidgets import QComboBox, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from bmx_console.clock import FakeClock
from bmx_console.config import Settings
from bmx_console.core.audit import AuditLog
from bmx_console.desk import Desk
from bmx_console.sim.cloud import Cloud
from bmx_console.ui.pass_dialog import PassDialog, pin_text
from bmx_console.ui.passes_tab import COL_FIRST, COL_NAME, COL_USES, PassesTab
from bmx_console.ui.qr import QUIET_ZONE, qr_matrix
from tests.gui.desk_support import FAST, Recorder, close_desk, make_desk, window
from tests.support import MemoryKeyring

WAIT_MS = 5_000


@pytest.fixture
def settings() -> Settings:
    return FAST


@pytest.fixture
def desk(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    cloud: Cloud,
    clock: FakeClock,
    settings: Settings,
    memory_keyring: MemoryKeyring,
) -> Iterator[Desk]:
    desk = make_desk(qtbot, tmp_path, cloud=cloud, clock=clock, sleep=Recorder(), settings=settings)
    yield desk
    close_desk(qtbot, desk)


@pytest.fixture
def tab(qtbot: QtBot, desk: Desk) -> PassesTab:
    found = window(desk).open_tab("Passes")
    assert isinstance(found, PassesTab)
    qtbot.waitUntil(lambda: found._last_refresh is not None, timeout=WAIT_MS)
    return found


def cell(tab: PassesTab, keychain_id: int, column: int) -> str:
    row = tab.model.row_of(keychain_id)
    assert row is not None, f"pass {keychain_id} is not listed"
    return str(tab.model.index(row, column).data())


def listed_ids(tab: PassesTab) -> list[int]:
    return [p.id for p in tab.model.passes()]


def make_pass_through_the_form(
    qtbot: QtBot, tab: PassesTab, name: str = "Ana Lima", **fields: Any
) -> PassDialog:
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: tab.new_pass_dialog is not None and tab.new_pass_dialog.isVisible(),
        timeout=WAIT_MS,
    )
    form = tab.new_pass_dialog
    assert form is not None
    qtbot.keyClicks(form.name_edit, name)
    if "contact" in fields:
        qtbot.keyClicks(form.contact_edit, fields["contact"])
    if "hours" in fields:
        form.hours_spin.setValue(fields["hours"])
    qtbot.mouseClick(form.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: tab.pass_dialog is not None and tab.pass_dialog.isVisible(), timeout=WAIT_MS
    )
    assert tab.pass_dialog is not None
    return tab.pass_dialog


def read_qr(image: QImage) -> list[list[bool]]:
    """The modules a scanner would read from a drawn code: the quiet zone is measured from
    the first dark pixel on the diagonal (the top-left finder pattern), a module from the
    finder's width (seven modules)."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)

    def dark(x: float, y: float) -> bool:
        return QColor(image.pixel(int(x), int(y))).lightness() < 128

    start = next(i for i in range(min(image.width(), image.height())) if dark(i, i))
    end = start
    while dark(end, start):
        end += 1
    module = (end - start) / 7
    count = round((image.width() - 2 * start) / module)
    return [
        [dark(start + (x + 0.5) * module, start + (y + 0.5) * module) for x in range(count)]
        for y in range(count)
    ]


def test_a_pass_made_in_the_tab_shows_its_pin_and_a_qr_code_of_its_link(
    qtbot: QtBot, tab: PassesTab, desk: Desk, cloud: Cloud
) -> None:
    dialog = make_pass_through_the_form(qtbot, tab, contact="+1 555 010 0199", hours=4)

    keychain = cloud.keychains[-1]
    assert keychain["name"] == "Ana Lima"
    assert keychain["tenant_id"] == desk.settings.release_tenant_id
    [key] = [k for k in cloud.virtual_keys if k["keychain_id"] == keychain["id"]]
    assert (key["email"], key["sms_number"]) == (None, None)
    link = desk.settings.api_base + key["qr_code_url"]
    assert dialog.item.link == link
    assert dialog.pin_label.text() == pin_text(key["pin_code"])
    pixmap = dialog.qr_label.pixmap()
    assert not pixmap.isNull()
    assert pixmap.width() >= 250
    # What a scanner reads from the screen is the code of the key's link.
    assert read_qr(pixmap.toImage()) == qr_matrix(link)
    assert QUIET_ZONE == 4

    qtbot.waitUntil(lambda: keychain["id"] in listed_ids(tab), timeout=WAIT_MS)
    assert cell(tab, keychain["id"], COL_USES) == "0"
    assert tab.model.pass_at(tab.model.row_of(keychain["id"]) or 0).contact == "+1 555 010 0199"


def test_copy_puts_the_pin_and_the_link_on_the_clipboard(qtbot: QtBot, tab: PassesTab) -> None:
    dialog = make_pass_through_the_form(qtbot, tab)
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert dialog.item.pin is not None and f"PIN: {dialog.item.pin}" in copied
    assert dialog.item.link is not None and dialog.item.link in copied
    assert "Ana Lima" in copied
    assert "clipboard" in dialog.status.text


def test_save_as_pdf_writes_a_one_page_pass_offscreen(
    qtbot: QtBot, tab: PassesTab, tmp_path: Path
) -> None:
    dialog = make_pass_through_the_form(qtbot, tab)
    target = tmp_path / "pass.pdf"
    assert dialog.save_pdf(str(target))
    content = target.read_bytes()
    assert content.startswith(b"%PDF")
    assert b"/Type /Page" in content or b"/Type/Page" in content
    assert str(target) in dialog.status.text
    if shutil.which("pdfinfo") and shutil.which("pdftotext"):
        info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True).stdout
        assert "Pages:           1" in info
        text = subprocess.run(
            ["pdftotext", str(target), "-"], capture_output=True, text=True
        ).stdout
        assert "Ana Lima" in text
        assert pin_text(dialog.item.pin).replace(" ", "") in text.replace(" ", "")


def test_use_at_a_panel_shows_in_the_list(
    qtbot: QtBot, tab: PassesTab, cloud: Cloud, clock: FakeClock
) -> None:
    dialog = make_pass_through_the_form(qtbot, tab)
    made = dialog.item.id
    dialog.accept()
    qtbot.waitUntil(lambda: made in listed_ids(tab), timeout=WAIT_MS)
    assert cell(tab, made, COL_FIRST) == "—"

    clock.advance(300)
    cloud.use_pass(made)
    qtbot.mouseClick(tab.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cell(tab, made, COL_USES) == "1", timeout=WAIT_MS)
    assert cell(tab, made, COL_FIRST).startswith("Today ")


def test_an_ended_pass_drops_out_of_the_list(
    qtbot: QtBot, tab: PassesTab, desk: Desk, clock: FakeClock
) -> None:
    short = asyncio.ensure_future(desk.passes.create_visitor_pass("Short visit", hours=1))
    qtbot.waitUntil(short.done, timeout=WAIT_MS)
    long = asyncio.ensure_future(desk.passes.create_visitor_pass("Long visit", hours=6))
    qtbot.waitUntil(long.done, timeout=WAIT_MS)
    tab.refresh()
    qtbot.waitUntil(lambda: len(listed_ids(tab)) == 2, timeout=WAIT_MS)

    clock.advance(3600)
    tab._drop_timer.timeout.emit()
    assert listed_ids(tab) == [long.result().id]
    assert tab.count_label.text() == "1 active pass"
    reread = tab.refresh()
    qtbot.waitUntil(reread.done, timeout=WAIT_MS)
    assert listed_ids(tab) == [long.result().id]


def test_revoke_asks_naming_the_pass_and_only_a_yes_revokes(
    qtbot: QtBot, tab: PassesTab, desk: Desk, cloud: Cloud, tmp_path: Path
) -> None:
    dialog = make_pass_through_the_form(qtbot, tab, name="Marcus Chen")
    made = dialog.item.id
    dialog.accept()
    qtbot.waitUntil(lambda: made in listed_ids(tab), timeout=WAIT_MS)
    assert not tab.revoke_button.isEnabled()
    assert tab.select(made)
    assert tab.revoke_button.isEnabled()

    qtbot.mouseClick(tab.revoke_button, Qt.MouseButton.LeftButton)
    box = tab.confirm_box
    assert box is not None and box.isVisible()
    assert "Marcus Chen" in box.text()
    keep = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.RejectRole)
    qtbot.mouseClick(keep, Qt.MouseButton.LeftButton)
    assert made in {k["id"] for k in cloud.keychains}

    qtbot.mouseClick(tab.revoke_button, Qt.MouseButton.LeftButton)
    box = tab.confirm_box
    assert box is not None
    revoke = next(
        b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole
    )
    qtbot.mouseClick(revoke, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: made not in listed_ids(tab), timeout=WAIT_MS)
    assert made not in {k["id"] for k in cloud.keychains}
    assert "Revoked “Marcus Chen”" in tab.status.text

    audit = AuditLog(tmp_path / "audit.sqlite3")
    try:
        # The pass entries, after the desk's own record of its shift starting.
        actions = [
            (e.action, e.outcome)
            for e in audit.entries(newest_first=False)
            if e.action.startswith("pass_")
        ]
    finally:
        audit.close()
    assert actions == [("pass_create", "created"), ("pass_revoke", "revoked")]


def test_delivery_pass_in_one_click(qtbot: QtBot, tab: PassesTab, cloud: Cloud) -> None:
    qtbot.mouseClick(tab.delivery_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.pass_dialog is not None, timeout=WAIT_MS)
    dialog = tab.pass_dialog
    assert dialog is not None
    assert dialog.item.kind == "delivery"
    assert cloud.keychain(dialog.item.id)["type"] == "delivery_pass"
    assert not dialog.qr_label.pixmap().isNull()
    qtbot.waitUntil(lambda: dialog.item.id in listed_ids(tab), timeout=WAIT_MS)
    assert cell(tab, dialog.item.id, COL_NAME) == "Delivery"


def test_a_half_made_pass_is_said_and_can_be_deleted_from_the_form(
    qtbot: QtBot, tab: PassesTab, cloud: Cloud
) -> None:
    cloud.faults.add("/v4/virtual_keys", status=500, times=1)
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.new_pass_dialog is not None, timeout=WAIT_MS)
    form = tab.new_pass_dialog
    assert form is not None
    qtbot.keyClicks(form.name_edit, "Ana")
    qtbot.mouseClick(form.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(form.cleanup_button.isVisible, timeout=WAIT_MS)
    orphan = next(k for k in cloud.keychains if k["name"] == "Ana")
    assert f"keychain {orphan['id']}" in form.half_done_banner.text
    assert not form.create_button.isEnabled()
    assert tab.pass_dialog is None

    qtbot.mouseClick(form.cleanup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form.cleanup_button.isVisible(), timeout=WAIT_MS)
    assert orphan["id"] not in {k["id"] for k in cloud.keychains}
    assert "deleted" in form.status.text


def test_the_form_checks_fields_before_sending(qtbot: QtBot, tab: PassesTab, cloud: Cloud) -> None:
    before = cloud.request_count("/v4/keychains", "POST")
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.new_pass_dialog is not None, timeout=WAIT_MS)
    form = tab.new_pass_dialog
    assert form is not None
    qtbot.keyClicks(form.contact_edit, "call me")
    form.some_doors.setChecked(True)
    qtbot.mouseClick(form.create_button, Qt.MouseButton.LeftButton)
    assert form.name_note.isVisible() and "name" in form.name_note.text()
    assert form.contact_note.isVisible()
    assert form.doors_note.isVisible()
    assert cloud.request_count("/v4/keychains", "POST") == before
    assert form.isVisible()


@pytest.mark.parametrize("settings", [replace(FAST, pass_max_hours=8)])
def test_length_is_capped_by_the_property_setting(qtbot: QtBot, tab: PassesTab) -> None:
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.new_pass_dialog is not None, timeout=WAIT_MS)
    form = tab.new_pass_dialog
    assert form is not None
    assert (form.hours_spin.maximum(), form.hours_spin.value()) == (8, 8)


def test_chosen_doors_and_search(qtbot: QtBot, tab: PassesTab, cloud: Cloud) -> None:
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.new_pass_dialog is not None, timeout=WAIT_MS)
    form = tab.new_pass_dialog
    assert form is not None
    qtbot.keyClicks(form.name_edit, "Gym guest")
    form.some_doors.setChecked(True)
    gym = next(
        form.door_list.item(i)
        for i in range(form.door_list.count())
        if form.door_list.item(i).text() == "Gym"
    )
    gym.setCheckState(Qt.CheckState.Checked)
    gym_id = gym.data(Qt.ItemDataRole.UserRole)
    qtbot.mouseClick(form.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.pass_dialog is not None, timeout=WAIT_MS)
    made = tab.pass_dialog.item if tab.pass_dialog else None
    assert made is not None
    assert cloud.keychain(made.id)["access_point_ids"] == [gym_id]
    qtbot.waitUntil(lambda: made.id in listed_ids(tab), timeout=WAIT_MS)

    tab.search.setText("gym")
    assert tab.proxy.rowCount() == 1
    tab.search.setText("nobody")
    assert tab.proxy.rowCount() == 0
    assert tab.empty_label.isVisible() or not tab.isVisible()
    assert "none match" in tab.count_label.text()


def test_print_opens_the_print_dialog_without_blocking_and_prints_the_pass(
    qtbot: QtBot, tab: PassesTab, tmp_path: Path
) -> None:
    dialog = make_pass_through_the_form(qtbot, tab)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    printing = dialog._print_dialog
    assert printing is not None and printing.isVisible()
    # What the operator picks in Qt's print dialog: print to a file, named here.
    printers = printing.findChild(QComboBox, "printers")
    assert printers is not None
    printers.setCurrentIndex(printers.findText("Print to File (PDF)"))
    target = tmp_path / "printed.pdf"
    file_name = printing.findChild(QLineEdit, "filename")
    assert file_name is not None
    file_name.setText(str(target))
    printing.accept()
    qtbot.waitUntil(target.exists, timeout=WAIT_MS)
    assert target.read_bytes().startswith(b"%PDF")
    assert dialog.status.text == f"Printed to {target}."
