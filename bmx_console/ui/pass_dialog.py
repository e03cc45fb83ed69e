"""The two pass dialogs: the form ("New visitor pass", or "Delivery pass" preset for a
courier) and the pass itself (PIN and QR code, large, with Copy, Print and Save as PDF).

Nothing is issued without the form's confirmation, and the form never chooses "all doors" by
itself: with no door ticked, Create waits and says why. A delivery pass works once, for
``delivery_pass_hours``, preset to the doors whose names say package room or lobby.

The pass names its building and gives its times in the building's time zone, named; the
page itself (screen, print, PDF) is drawn by ``pass_page.PassPage``.

The form checks what it can beside each field with the pass service's own rules before
anything is sent, and shows the cloud's refusal as its sentence. If the keychain was made
and its key was not, the form says so and offers to delete the unfinished pass: it never
closes on a half-made pass.

The pass page (on screen, printed, or as a PDF) is drawn by one painter routine, so what
the visitor is handed is what the operator saw. The QR code is always dark on white.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QDateTime, QRectF, QStandardPaths, Qt, QTimeZone, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QIcon,
    QPainter,
    QPalette,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bmx_console.api.models import Building, Door
from bmx_console.clock import Clock
from bmx_console.core.passes import (
    DEFAULT_DELIVERY_NAME,
    Pass,
    PassHalfDone,
    PassService,
    check_contact,
    check_name,
    delivery_door_ids,
)
from bmx_console.errors import BmxError, ConfigError
from bmx_console.ui.dialog_kit import (
    Banner,
    FieldNote,
    StatusLine,
    heading,
    icon_pixmap,
    line_icon,
    muted,
    muted_color,
    scaled_font,
)
from bmx_console.ui.pass_page import (
    PassPage,
    building_text,
    building_zone,
    doors_text,
    pin_text,
    valid_text,
    when_text,
    window_text,
)
from bmx_console.ui.qr import qr_pixmap
from bmx_console.ui.qt_async import spawn

QR_SIZE = 300  # logical pixels on screen: scannable from a phone held at arm's length
PRIMARY_BUTTON_STYLE = (
    "QPushButton { background: palette(highlight); color: palette(highlighted-text);"
    " border: none; border-radius: 6px; padding: 0px 16px; font-weight: 600; }"
    "QPushButton:hover { background: palette(link); }"
    "QPushButton:disabled { background: palette(mid); }"
)


__all__ = [
    "PRIMARY_BUTTON_STYLE",
    "NewPassDialog",
    "PassDialog",
    "PassPage",
    "doors_text",
    "pin_text",
    "primary_icon",
    "when_text",
    "window_text",
]


def _mono_font(widget: QWidget, factor: float) -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    base = widget.font().pointSizeF()
    if base > 0:
        font.setPointSizeF(base * factor)
    font.setBold(True)
    return font


# -- the new pass form ---------------------------------------------------------------------


class NewPassDialog(QDialog):
    """The pass form: "New visitor pass", or with ``kind="delivery"`` a one-use pass for a
    courier. ``created`` carries the ``Pass`` once it exists with its key; the dialog then
    closes."""

    created = Signal(object)

    def __init__(
        self,
        service: PassService,
        doors: Sequence[Door],
        *,
        clock: Clock,
        building_name: str = "",
        time_zone: str | None = None,
        kind: Literal["visitor", "delivery"] = "visitor",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._clock = clock
        self._busy = False
        self._half_done: int | None = None
        self.kind = kind
        delivery = kind == "delivery"
        self.setWindowTitle(self.tr("Delivery pass") if delivery else self.tr("New visitor pass"))
        self.setMinimumWidth(560)

        title = heading(self.windowTitle())
        intro = muted(
            self.tr(
                "One use, for a short while, on the doors ticked below. You hand the courier "
                "the PIN and QR code; ButterflyMX sends nothing."
            )
            if delivery
            else self.tr(
                "You hand the visitor a PIN and a QR code — on screen, printed or copied into "
                "your own message. ButterflyMX sends nothing."
            )
        )

        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("Visitor's name"))
        self.name_edit.setAccessibleName(self.tr("Visitor's name"))
        self.name_edit.setMaxLength(80)
        if delivery:
            self.name_edit.setText(self.tr(DEFAULT_DELIVERY_NAME))
            self.name_edit.setAccessibleName(self.tr("Courier or company"))
        self.name_note = FieldNote()

        self.contact_edit = QLineEdit()
        self.contact_edit.setPlaceholderText(self.tr("Optional: phone or email"))
        self.contact_edit.setAccessibleName(self.tr("Visitor's phone or email (optional)"))
        contact_hint = muted(
            self.tr("Kept on this computer only, so the desk can reach the visitor."), small=True
        )
        self.contact_note = FieldNote()

        self.start_now = QRadioButton(self.tr("Now"))
        self.start_now.setAccessibleName(self.tr("Start now"))
        self.start_later = QRadioButton(self.tr("At"))
        self.start_later.setAccessibleName(self.tr("Start at a chosen time"))
        self.start_now.setChecked(True)
        starts = QButtonGroup(self)
        starts.addButton(self.start_now)
        starts.addButton(self.start_later)
        self.start_edit = QDateTimeEdit()
        self.start_edit.setCalendarPopup(True)
        self.start_edit.setDisplayFormat("ddd d MMM yyyy  HH:mm")
        self.start_edit.setAccessibleName(self.tr("Start time"))
        # The start is typed in the building's clock, the one the pass is printed in.
        qzone = QTimeZone(time_zone.encode()) if time_zone else QTimeZone.systemTimeZone()
        if not qzone.isValid():
            qzone = QTimeZone.systemTimeZone()
        self.start_edit.setTimeZone(qzone)
        next_quarter = _next_quarter_hour(clock.now())
        self.start_edit.setDateTime(
            QDateTime.fromSecsSinceEpoch(int(next_quarter.timestamp()), qzone)
        )
        self.start_edit.setMinimumDateTime(
            QDateTime.fromSecsSinceEpoch(int(clock.now().timestamp()), qzone)
        )
        self.zone_label = muted(
            qzone.displayName(
                QDateTime.fromSecsSinceEpoch(int(clock.now().timestamp()), qzone),
                QTimeZone.NameType.ShortName,
            )
        )
        self.start_edit.setEnabled(False)
        self.start_later.toggled.connect(self.start_edit.setEnabled)
        self.start_note = FieldNote()
        start_row = QHBoxLayout()
        start_row.setSpacing(12)
        start_row.addWidget(self.start_now)
        start_row.addWidget(self.start_later)
        start_row.addWidget(self.start_edit, 1)
        start_row.addWidget(self.zone_label)

        self.hours_spin = QSpinBox()
        self.hours_spin.setRange(1, max(1, service.max_hours))
        self.hours_spin.setValue(service.delivery_hours if delivery else service.visitor_hours)
        self.hours_spin.setSuffix(self.tr(" h"))
        self.hours_spin.setAccessibleName(self.tr("Length in hours"))
        self.hours_spin.setMinimumWidth(110)
        hours_row = QHBoxLayout()
        hours_row.setSpacing(12)
        hours_row.addWidget(self.hours_spin)
        hours_row.addWidget(
            muted(
                self.tr("Up to {0} h at this property").format(service.max_hours),
                small=True,
            ),
            1,
        )

        everywhere = (
            self.tr("All doors of {0}").format(building_name)
            if building_name
            else self.tr("All doors")
        )
        self.all_doors = QRadioButton(everywhere)
        self.all_doors.setAccessibleName(self.tr("All doors"))
        self.some_doors = QRadioButton(self.tr("Chosen doors"))
        self.some_doors.setAccessibleName(self.tr("Chosen doors"))
        # Every door is a choice the operator makes, never the form's.
        self.some_doors.setChecked(True)
        door_choice = QButtonGroup(self)
        door_choice.addButton(self.all_doors)
        door_choice.addButton(self.some_doors)
        self.door_list = QListWidget()
        self.door_list.setAccessibleName(self.tr("Doors the pass opens"))
        self.door_list.setMaximumHeight(170)
        preset = set(delivery_door_ids(doors)) if delivery else set()
        for door in doors:
            item = QListWidgetItem(door.name)
            item.setData(Qt.ItemDataRole.UserRole, door.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if door.id in preset else Qt.CheckState.Unchecked
            )
            self.door_list.addItem(item)
        self.some_doors.toggled.connect(self._doors_toggled)
        self.door_list.itemChanged.connect(lambda _item: self._update_create())
        self.doors_note = FieldNote()
        self.doors_hint = muted(
            self.tr("Tick the doors the pass opens, or choose “{0}”.").format(everywhere),
            small=True,
        )
        door_row = QHBoxLayout()
        door_row.setSpacing(12)
        door_row.addWidget(self.all_doors)
        door_row.addWidget(self.some_doors)
        door_row.addStretch(1)

        form = QFormLayout()
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(6)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(self.tr("Name"), self.name_edit)
        form.addRow("", self.name_note)
        form.addRow(self.tr("Phone or email"), self.contact_edit)
        form.addRow("", contact_hint)
        form.addRow("", self.contact_note)
        form.addRow(self.tr("Starts"), start_row)
        form.addRow("", self.start_note)
        form.addRow(self.tr("Length"), hours_row)
        form.addRow(self.tr("Doors"), door_row)
        form.addRow("", self.door_list)
        form.addRow("", self.doors_hint)
        form.addRow("", self.doors_note)
        if delivery:
            # A courier's number is not kept: the pass lasts a couple of hours.
            for row in (self.contact_edit, contact_hint, self.contact_note):
                form.setRowVisible(row, False)

        self.status = StatusLine()
        self.half_done_banner = Banner()
        self.cleanup_button = QPushButton(self.tr("Delete unfinished pass"))
        self.cleanup_button.setAccessibleName(self.tr("Delete the unfinished pass"))
        self.cleanup_button.setIcon(line_icon("close", self, "error"))
        self.cleanup_button.clicked.connect(self.delete_unfinished)
        self.cleanup_button.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button = self.buttons.addButton(
            self.tr("Create pass"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.create_button.setAccessibleName(
            self.tr("Create the delivery pass") if delivery else self.tr("Create the visitor pass")
        )
        self.create_button.setIcon(primary_icon("key", self))
        self.create_button.setDefault(True)
        self.create_button.setMinimumHeight(34)
        self.create_button.setStyleSheet(PRIMARY_BUTTON_STYLE)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAccessibleName(self.tr("Close without making a pass"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.half_done_banner)
        cleanup_row = QHBoxLayout()
        cleanup_row.addStretch(1)
        cleanup_row.addWidget(self.cleanup_button)
        layout.addLayout(cleanup_row)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.name_edit.setFocus()
        self._update_create()

    def _doors_toggled(self, chosen: bool) -> None:
        self.door_list.setVisible(chosen)
        if not chosen:
            self.doors_note.show_problem(None)
        self._update_create()
        self.adjustSize()

    def _update_create(self) -> None:
        """Create waits for a door: with none ticked it is off, and the hint says why."""
        no_door = self.chosen_door_ids() == []
        self.doors_hint.setVisible(no_door)
        self.create_button.setEnabled(not self._busy and self._half_done is None and not no_door)

    # -- what the form says ----------------------------------------------------------------

    def chosen_door_ids(self) -> list[int] | None:
        """None for every door; else the ticked doors, in list order."""
        if self.all_doors.isChecked():
            return None
        return [
            int(self.door_list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.door_list.count())
            if self.door_list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def chosen_start(self) -> datetime | None:
        if self.start_now.isChecked():
            return None
        seconds = self.start_edit.dateTime().toSecsSinceEpoch()
        return datetime.fromtimestamp(seconds, UTC)

    def _check(self) -> bool:
        """Each field's rule beside it; True when all hold."""
        ok = True
        for note, check in (
            (self.name_note, lambda: check_name(self.name_edit.text())),
            (self.contact_note, lambda: check_contact(self.contact_edit.text())),
            (
                self.start_note,
                lambda: self._service.check_visitor_pass(
                    "-", hours=self.hours_spin.value(), start=self.chosen_start()
                ),
            ),
        ):
            try:
                check()
            except ConfigError as exc:
                note.show_problem(_sentence(str(exc)))
                ok = False
            else:
                note.show_problem(None)
        doors = self.chosen_door_ids()
        self.doors_note.show_problem(
            self.tr("Tick at least one door, or choose all doors.") if doors == [] else None
        )
        return ok and doors != []

    # -- making the pass -------------------------------------------------------------------

    def submit(self) -> None:
        if self._busy or self._half_done is not None or not self._check():
            return
        self._set_busy(True, self.tr("Making the pass…"))
        spawn(self._create(), name=self.tr("Making the visitor pass"))

    async def _create(self) -> None:
        try:
            if self.kind == "delivery":
                doors = self.chosen_door_ids()
                made = await self._service.create_one_use_pass(
                    self.name_edit.text(),
                    start=self.chosen_start(),
                    hours=self.hours_spin.value(),
                    door_ids=doors if doors is not None else [d.id for d in await self._all()],
                )
            else:
                made = await self._service.create_visitor_pass(
                    self.name_edit.text(),
                    contact=self.contact_edit.text() or None,
                    start=self.chosen_start(),
                    hours=self.hours_spin.value(),
                    door_ids=self.chosen_door_ids(),
                )
        except PassHalfDone as exc:
            self._half_done = exc.keychain.id
            self._set_busy(False)
            self.status.clear()
            self.half_done_banner.show_message("error", str(exc))
            self.cleanup_button.show()
            self.create_button.setEnabled(False)
            return
        except BmxError as exc:
            self._set_busy(False)
            self.status.show_message("error", str(exc))
            return
        self._set_busy(False)
        self.created.emit(made)
        self.accept()

    async def _all(self) -> list[Door]:
        return await self._service.doors()

    def delete_unfinished(self) -> None:
        if self._half_done is None or self._busy:
            return
        self._set_busy(True, self.tr("Deleting the unfinished pass…"))
        spawn(self._delete(self._half_done), name=self.tr("Deleting the unfinished pass"))

    async def _delete(self, keychain_id: int) -> None:
        try:
            await self._service.revoke(keychain_id)
        except BmxError as exc:
            self._set_busy(False)
            self.status.show_message("error", str(exc))
            return
        self._half_done = None
        self._set_busy(False)
        self.half_done_banner.hide_message()
        self.cleanup_button.hide()
        self.status.show_message(
            "ok", self.tr("The unfinished pass was deleted. You can try again.")
        )

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        self._update_create()
        self.cleanup_button.setEnabled(not busy)
        for field in (self.name_edit, self.contact_edit, self.hours_spin):
            field.setEnabled(not busy)
        if busy:
            self.status.show_message("busy", text)


def _next_quarter_hour(moment: datetime) -> datetime:
    moment = moment.replace(second=0, microsecond=0)
    return moment + timedelta(minutes=15 - moment.minute % 15)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


class PassDialog(QDialog):
    """A pass just made (or reopened from the list): PIN and QR code large, with Copy,
    Print and Save as PDF."""

    def __init__(
        self,
        item: Pass,
        *,
        doors: Mapping[int, str],
        clock: Clock,
        building: Building | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.item = item
        self._doors = dict(doors)
        self._clock = clock
        self.building = building
        self._zone = building_zone(building)
        self._print_dialog: QPrintDialog | None = None
        self._file_dialog: QFileDialog | None = None
        delivery = item.kind == "delivery"
        self.setWindowTitle(
            self.tr("Delivery pass — {0}") if delivery else self.tr("Visitor pass — {0}")
        )
        self.setWindowTitle(self.windowTitle().format(item.name))

        self.building_label = QLabel(building_text(building))
        self.building_label.setFont(scaled_font(self.building_label, 1.0, bold=True))
        self.building_label.setWordWrap(True)
        self.building_label.setVisible(building is not None)
        self.building_label.setAccessibleName(self.building_label.text())
        kind = QLabel(self.tr("DELIVERY PASS") if delivery else self.tr("VISITOR PASS"))
        kind.setFont(scaled_font(kind, 0.9, bold=True))
        _set_color(kind, muted_color(kind))
        title = heading(item.name)
        title.setAccessibleName(self.tr("Pass for {0}").format(item.name))
        self.window_label = window = QLabel(valid_text(item, self._zone))
        window.setFont(scaled_font(window, 1.1))
        window.setAccessibleName(window.text())
        doors_label = muted(doors_text(item.door_ids, self._doors))
        doors_label.setAccessibleName(self.tr("Doors: {0}").format(doors_label.text()))

        self.qr_label = QLabel()
        self.qr_label.setFixedSize(QR_SIZE, QR_SIZE)
        self.qr_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_label.setAccessibleName(self.tr("QR code for the visitor to scan"))
        if item.link:
            self.qr_label.setPixmap(qr_pixmap(item.link, QR_SIZE, self.devicePixelRatioF()))
        else:
            self.qr_label.setText(self.tr("ButterflyMX gave no QR code for this pass."))
            self.qr_label.setWordWrap(True)
        qr_frame = QFrame()
        qr_frame.setObjectName("qrFrame")
        qr_frame.setStyleSheet(
            "#qrFrame { background: white; border-radius: 12px; border: 1px solid #d4d8e0; }"
        )
        qr_layout = QVBoxLayout(qr_frame)
        qr_layout.setContentsMargins(10, 10, 10, 10)
        qr_layout.addWidget(self.qr_label)

        pin_caption = QLabel(self.tr("PIN"))
        pin_caption.setFont(scaled_font(pin_caption, 1.0, bold=True))
        _set_color(pin_caption, muted_color(pin_caption))
        self.pin_label = QLabel(pin_text(item.pin))
        font = _mono_font(self.pin_label, 4.2)
        font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 108)
        self.pin_label.setFont(font)
        self.pin_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.pin_label.setAccessibleName(self.tr("PIN"))
        self.pin_label.setAccessibleDescription(" ".join(item.pin or ""))
        how = muted(
            self.tr(
                "The visitor enters the PIN on the panel's keypad, or holds the QR code up to "
                "the panel's camera."
            )
        )
        self.link_label = QLabel()
        self.link_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.link_label.setAccessibleName(self.tr("Pass link"))
        self.link_label.setWordWrap(True)
        self.link_label.setFont(scaled_font(self.link_label, 0.9))
        _set_color(self.link_label, muted_color(self.link_label))
        self.link_label.setText(item.link or "")
        self.link_label.setVisible(bool(item.link))

        details = QVBoxLayout()
        details.setSpacing(6)
        details.addWidget(pin_caption)
        details.addWidget(self.pin_label)
        details.addSpacing(8)
        details.addWidget(how)
        details.addStretch(1)
        details.addWidget(doors_label)
        details.addWidget(self.link_label)

        body = QHBoxLayout()
        body.setSpacing(28)
        body.addWidget(qr_frame, 0, Qt.AlignmentFlag.AlignTop)
        body.addLayout(details, 1)

        self.copy_button = QPushButton(line_icon("copy", self), self.tr("Copy PIN and link"))
        self.copy_button.setAccessibleName(self.tr("Copy the PIN and the link"))
        self.copy_button.clicked.connect(self.copy)
        self.print_button = QPushButton(line_icon("printer", self), self.tr("Print…"))
        self.print_button.setAccessibleName(self.tr("Print the pass"))
        self.print_button.clicked.connect(self.print_pass)
        self.pdf_button = QPushButton(line_icon("file", self), self.tr("Save as PDF…"))
        self.pdf_button.setAccessibleName(self.tr("Save the pass as a PDF file"))
        self.pdf_button.clicked.connect(self.choose_pdf)
        self.close_button = QPushButton(self.tr("Done"))
        self.close_button.setAccessibleName(self.tr("Close the pass"))
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.accept)
        for button in (self.copy_button, self.print_button, self.pdf_button, self.close_button):
            button.setMinimumHeight(34)
        actions = QHBoxLayout()
        actions.setSpacing(8)
        actions.addWidget(self.copy_button)
        actions.addWidget(self.print_button)
        actions.addWidget(self.pdf_button)
        actions.addStretch(1)
        actions.addWidget(self.close_button)

        self.status = StatusLine()
        self.audit_banner = Banner()
        if item.audit_error:
            self.audit_banner.show_message(
                "warning",
                self.tr("The pass works, but it could not be written to the audit log: {0}").format(
                    item.audit_error
                ),
            )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 22, 28, 20)
        layout.setSpacing(8)
        layout.addWidget(self.building_label)
        layout.addWidget(kind)
        layout.addWidget(title)
        layout.addWidget(window)
        layout.addSpacing(14)
        layout.addLayout(body)
        layout.addSpacing(10)
        layout.addWidget(self.audit_banner)
        layout.addWidget(self.status)
        layout.addLayout(actions)

    # -- Copy --------------------------------------------------------------------------------

    def clipboard_text(self) -> str:
        item = self.item
        lines = [
            self.tr("Pass for {0}").format(item.name),
            *([building_text(self.building)] if self.building is not None else []),
            valid_text(item, self._zone),
            self.tr("PIN: {0}").format(item.pin or "—"),
        ]
        if item.link:
            lines.append(self.tr("QR code: {0}").format(item.link))
        return "\n".join(lines)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.clipboard_text())
        self.status.show_message("ok", self.tr("The PIN and the link are on the clipboard."))

    # -- Print and PDF -----------------------------------------------------------------------

    def print_pass(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print the pass"))
        dialog.accepted.connect(lambda: self._printed(printer))
        self._print_dialog = dialog
        # QPrintDialog's own open() wants a receiver; the plain window-modal one is QDialog's.
        QDialog.open(dialog)

    def _printed(self, printer: QPrinter) -> None:
        if not self.print_to(printer):
            return
        if printer.outputFileName():
            done = self.tr("Printed to {0}.").format(printer.outputFileName())
        else:
            done = self.tr("Sent to the printer {0}.").format(printer.printerName())
        self.status.show_message("ok", done)

    def pdf_folder(self) -> Path:
        """Where "Save as PDF" proposes to save: the platform's documents folder, made if a
        fresh account has none yet; the home folder if it cannot be made."""
        found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        folder = Path(found) if found else Path.home()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return Path.home()
        return folder

    def choose_pdf(self) -> None:
        safe = "".join(c if c.isalnum() or c in " -_" else "_" for c in self.item.name).strip()
        dialog = QFileDialog(self, self.tr("Save the pass as PDF"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("PDF files (*.pdf)"))
        dialog.setDefaultSuffix("pdf")
        folder = self.pdf_folder()
        dialog.setDirectory(str(folder))
        dialog.selectFile(str(folder / f"Pass - {safe or 'visitor'}.pdf"))
        dialog.fileSelected.connect(self.save_pdf)
        self._file_dialog = dialog
        dialog.open()

    def pdf_problem(self, path: str) -> str | None:
        """Why a PDF cannot be written at ``path``, in plain words; None when it can."""
        target = Path(path)
        folder = target.parent
        if not folder.is_dir():
            return self.tr("The folder {0} does not exist. Choose another folder.").format(folder)
        if not os.access(folder, os.W_OK | os.X_OK):
            return self.tr(
                "You may not save files in {0}. Choose another folder, such as your Documents."
            ).format(folder)
        if target.is_dir():
            return self.tr("{0} is a folder. Choose a file name.").format(target)
        if target.exists() and not os.access(target, os.W_OK):
            return self.tr(
                "{0} exists and cannot be replaced (read-only, or open in another program)."
            ).format(target)
        return None

    def save_pdf(self, path: str) -> bool:
        problem = self.pdf_problem(path)
        if problem is not None:
            self.status.show_message("error", self.tr("The PDF was not saved: {0}").format(problem))
            return False
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(path)
        printer.setDocName(self.windowTitle())
        if not self.print_to(printer):
            return False
        self.status.show_message("ok", self.tr("Saved to {0}.").format(path))
        return True

    def print_to(self, printer: QPrinter) -> bool:
        painter = QPainter()
        if not painter.begin(printer):
            target = printer.outputFileName()
            self.status.show_message(
                "error",
                self.tr(
                    "Could not write {0}: the disk may be full, or the file open in another "
                    "program."
                ).format(target)
                if target
                else self.tr(
                    "The printer {0} did not accept the pass: check that it is on and connected."
                ).format(printer.printerName()),
            )
            return False
        try:
            page = printer.pageRect(QPrinter.Unit.DevicePixel)
            PassPage(self.item, self._doors, self._clock.now(), self.building).paint(
                painter, QRectF(0, 0, page.width(), page.height())
            )
        finally:
            painter.end()
        return True


def primary_icon(name: str, widget: QWidget) -> QIcon:
    """An icon for a button in ``PRIMARY_BUTTON_STYLE``: drawn in the selection's text colour."""
    color = widget.palette().color(QPalette.ColorRole.HighlightedText)
    result = QIcon()
    for size in (16, 20, 24):
        result.addPixmap(icon_pixmap(name, color, size))
    return result


def _set_color(label: QLabel, color: QColor) -> None:
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, color)
    label.setPalette(palette)
