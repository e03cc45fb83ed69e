"""The Passes tab of the real desk window against the in-process simulator: make a visitor
pass through the form and see its PIN and QR code, copy and save it as PDF, watch its use,
let it expire, revoke it, make a delivery pass, and clean up a half-made one."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from bmx_console.api.models import parse_time
from bmx_console.clock import FakeClock
from bmx_console.config import Settings
from bmx_console.core.audit import AuditLog
from bmx_console.desk import Desk
from bmx_console.sim.cloud import Cloud, CloudError
from bmx_console.ui.pass_dialog import NewPassDialog, PassDialog, pin_text
from bmx_console.ui.passes_tab import COL_FIRST, COL_NAME, COL_USES, PassesTab
from bmx_console.ui.qr import QUIET_ZONE, qr_matrix
from tests.gui.desk_support import FAST, OpenDesk, Recorder, window
from tests.support import REAL_SERVICES, require_or_skip

WAIT_MS = 5_000


@pytest.fixture
def settings() -> Settings:
    return FAST


@pytest.fixture
def desk(open_desk: OpenDesk, settings: Settings) -> Desk:
    return open_desk(settings=settings, sleep=Recorder())


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
    # Every door is the operator's explicit choice, never the form's default.
    qtbot.mouseClick(form.all_doors, Qt.MouseButton.LeftButton)
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
    poppler = bool(shutil.which("pdfinfo") and shutil.which("pdftotext"))
    assert poppler or not REAL_SERVICES, "needs poppler-utils in CI (scripts/test installs it)"
    if poppler:
        info = subprocess.run(
            ["pdfinfo", str(target)], capture_output=True, text=True, timeout=30
        ).stdout
        assert "Pages:           1" in info
        text = subprocess.run(
            ["pdftotext", str(target), "-"], capture_output=True, text=True, timeout=30
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


def open_form(qtbot: QtBot, button: QPushButton, tab: PassesTab) -> NewPassDialog:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: tab.new_pass_dialog is not None and tab.new_pass_dialog.isVisible(),
        timeout=WAIT_MS,
    )
    assert tab.new_pass_dialog is not None
    return tab.new_pass_dialog


def ticked(form: NewPassDialog) -> list[str]:
    items = [form.door_list.item(i) for i in range(form.door_list.count())]
    return [i.text() for i in items if i.checkState() == Qt.CheckState.Checked]


@pytest.mark.parametrize("settings", [replace(FAST, delivery_pass_hours=3)])
def test_delivery_pass_opens_a_preset_form_and_issues_one_use_for_the_chosen_doors(
    qtbot: QtBot, tab: PassesTab, cloud: Cloud
) -> None:
    before = len(cloud.keychains)
    form = open_form(qtbot, tab.delivery_button, tab)
    # Nothing is issued until the form is confirmed.
    assert len(cloud.keychains) == before
    assert form.windowTitle() == "Delivery pass"
    assert form.name_edit.text() == "Delivery"
    assert form.hours_spin.value() == 3
    assert not form.all_doors.isChecked()
    assert ticked(form) == ["Lobby", "Package Room"]
    assert form.create_button.isEnabled()

    qtbot.mouseClick(form.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.pass_dialog is not None, timeout=WAIT_MS)
    dialog = tab.pass_dialog
    assert dialog is not None
    record = cloud.keychain(dialog.item.id)
    assert record["type"] == "one_time_keychain"
    names = {d["id"]: d["name"] for d in cloud.doors}
    assert sorted(names[d] for d in record["access_point_ids"]) == ["Lobby", "Package Room"]
    window = parse_time(record["ends_at"]) - parse_time(record["starts_at"])  # type: ignore[operator]
    assert window <= timedelta(hours=3)
    assert dialog.item.kind == "delivery"
    assert "one use" in dialog.window_label.text()
    assert not dialog.qr_label.pixmap().isNull()
    qtbot.waitUntil(lambda: dialog.item.id in listed_ids(tab), timeout=WAIT_MS)
    assert cell(tab, dialog.item.id, COL_NAME) == "Delivery"
    # One use: a second scan at the panel is refused.
    cloud.use_pass(dialog.item.id)
    with pytest.raises(CloudError):
        cloud.use_pass(dialog.item.id)


def test_a_delivery_form_cancelled_issues_nothing(
    qtbot: QtBot, tab: PassesTab, cloud: Cloud
) -> None:
    before = len(cloud.keychains)
    form = open_form(qtbot, tab.delivery_button, tab)
    qtbot.mouseClick(form.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.new_pass_dialog is None, timeout=WAIT_MS)
    assert len(cloud.keychains) == before
    assert tab.pass_dialog is None


def test_a_visitor_pass_defaults_to_4_hours_and_no_door_until_one_is_chosen(
    qtbot: QtBot, tab: PassesTab, cloud: Cloud
) -> None:
    form = open_form(qtbot, tab.new_button, tab)
    assert form.hours_spin.value() == 4
    # A later start is typed in the building's own clock, named.
    assert form.start_edit.timeZone().id().data() == b"America/New_York"
    assert form.zone_label.text() == "EST"
    assert not form.all_doors.isChecked()
    assert ticked(form) == []
    assert not form.create_button.isEnabled()
    assert form.doors_hint.isVisible()
    assert "Tick the doors" in form.doors_hint.text()

    form.door_list.item(0).setCheckState(Qt.CheckState.Checked)
    assert form.create_button.isEnabled() and not form.doors_hint.isVisible()
    form.door_list.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert not form.create_button.isEnabled()
    qtbot.mouseClick(form.all_doors, Qt.MouseButton.LeftButton)
    assert form.create_button.isEnabled()


def test_a_half_made_pass_is_said_and_can_be_deleted_from_the_form(
    qtbot: QtBot, tab: PassesTab, cloud: Cloud
) -> None:
    cloud.faults.add("/v4/virtual_keys", status=500, times=1)
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.new_pass_dialog is not None, timeout=WAIT_MS)
    form = tab.new_pass_dialog
    assert form is not None
    qtbot.keyClicks(form.name_edit, "Ana")
    qtbot.mouseClick(form.all_doors, Qt.MouseButton.LeftButton)
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
    form.door_list.item(0).setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(form.create_button, Qt.MouseButton.LeftButton)
    assert form.name_note.isVisible() and "name" in form.name_note.text()
    assert form.contact_note.isVisible()
    assert cloud.request_count("/v4/keychains", "POST") == before
    assert form.isVisible()


@pytest.mark.parametrize("settings", [replace(FAST, pass_max_hours=8)])
def test_length_is_capped_by_the_property_setting(qtbot: QtBot, tab: PassesTab) -> None:
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.new_pass_dialog is not None, timeout=WAIT_MS)
    form = tab.new_pass_dialog
    assert form is not None
    assert (form.hours_spin.maximum(), form.hours_spin.value()) == (8, 4)


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


def test_the_pass_and_its_pdf_name_the_building_and_its_time_zone(
    qtbot: QtBot, tab: PassesTab, cloud: Cloud, desk: Desk, tmp_path: Path
) -> None:
    require_or_skip(shutil.which("pdftotext") is not None, "needs pdftotext (poppler-utils)")
    dialog = make_pass_through_the_form(qtbot, tab, hours=4)
    record = cloud.keychain(dialog.item.id)
    building = next(b for b in cloud.buildings if b["id"] == record["building_id"])
    zone = ZoneInfo(building["time_zone"])
    start = dialog.item.starts_at.astimezone(zone)  # type: ignore[union-attr]
    end = dialog.item.ends_at.astimezone(zone)  # type: ignore[union-attr]
    # The desk PC keeps UTC here; the pass keeps the building's own clock.
    assert start.utcoffset() != timedelta(0)
    if start.date() == end.date():
        expected = f"{start:%H:%M}–{end:%H:%M} {start.tzname()}, {start:%a} {start.day} {start:%b}"
    else:
        expected = f"{start:%H:%M} {start.tzname()}"
    on_screen = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert building["name"] in on_screen
    assert expected in dialog.window_label.text()

    target = tmp_path / "pass.pdf"
    assert dialog.save_pdf(str(target))
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    assert building["name"] in flat
    street = building["address"]["address"] if isinstance(building["address"], dict) else ""
    assert not street or street in flat
    assert expected in flat


def test_save_as_pdf_proposes_a_folder_that_exists_and_says_why_it_failed(
    qtbot: QtBot, tab: PassesTab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = make_pass_through_the_form(qtbot, tab)
    home = tmp_path / "fresh-account"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)
    chooser = dialog._file_dialog
    assert chooser is not None
    proposed = Path(chooser.selectedFiles()[0])
    assert proposed.parent.is_dir()
    assert proposed.parent == home / "Documents"
    chooser.reject()

    missing = tmp_path / "gone" / "pass.pdf"
    assert not dialog.save_pdf(str(missing))
    assert dialog.status.text == (
        f"The PDF was not saved: The folder {missing.parent} does not exist. Choose another folder."
    )
    assert "Could not start printing" not in dialog.status.text
