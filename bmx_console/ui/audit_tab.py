"""The Audit tab: every operator action (releases, passes, shifts, calls, settings), newest
first; releases whose outcome never came show as "Outcome unknown" until ButterflyMX's access
log confirms them, and "Check against ButterflyMX" compares both logs.

The table reads the audit log the release service writes (and the command line, from another
process). It notices new entries by asking the database for its newest entry once a second
while the tab is shown, which costs one indexed query; a change reloads the matching entries
and, when the new ones simply sit on top of the old, inserts just those rows, so the
operator's selection and scroll position stay put.

Verifying the chain and exporting CSV read the whole file, which for years of releases takes
a while: both run on a short-lived thread with their own connection, never on the window's.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import (
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHideEvent,
    QIcon,
    QPainter,
    QPainterPath,
    QPalette,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bmx_console.clock import Clock, SystemClock
from bmx_console.core import audit as records
from bmx_console.core.audit import (
    ACTION_PASS_CREATE,
    ACTION_PASS_REVOKE,
    ACTION_RELEASE,
    NO_KEYRING_NOTE,
    OUTCOME_SENT,
    OUTCOME_UNKNOWN,
    AuditEntry,
    AuditLog,
    VerifyResult,
    verify_path,
    verify_sentence,
)
from bmx_console.core.audit_anchor import AuditAnchor
from bmx_console.core.background import in_thread
from bmx_console.ui import icons
from bmx_console.ui.confirm import FollowsTheme
from bmx_console.ui.dialog_kit import StatusLine, heading, line_icon
from bmx_console.ui.qt_async import spawn
from bmx_console.ui.tables import RecordTableModel, setup_table_view
from bmx_console.ui.theme import state_colors
from bmx_console.ui.time_text import dated_time_text

T = TypeVar("T")
ModelIndex = QModelIndex | QPersistentModelIndex

COL_TIME = 0
COL_OPERATOR = 1
COL_ACTION = 2
COL_SUBJECT = 3
COL_OUTCOME = 4
COL_RELEASE = 5
COL_DETAIL = 6

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1

# More than a desk reads on screen; the export has everything.
MAX_ROWS = 5_000
POLL_MS = 1_000
SEARCH_DELAY_MS = 250
ROW_HEIGHT = 36

ANY = ""
PERIOD_ALL, PERIOD_TODAY, PERIOD_WEEK, PERIOD_MONTH, PERIOD_CUSTOM = range(5)
_GOOD_OUTCOMES = {"released", "created", "confirmed"}
_BAD_OUTCOMES = {"failed", "missing"}
_UNKNOWN = "outcome_unknown"  # shown for an unknown outcome, and for a sent never answered
CloudChecker = Callable[[], Awaitable[object]]


def verify_file(path: Path, anchor: AuditAnchor | None = None) -> VerifyResult:
    return verify_path(path, anchor)


def export_file(path: Path, target: Path, operator: str | None = None) -> int:
    with AuditLog(path) as log:
        return log.export_csv(target, operator=operator)


class AuditTableModel(RecordTableModel):
    """Audit entries, newest first, as the tab's filters last selected them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[AuditEntry] = []
        # Sent releases with no final outcome among the entries shown.
        self.unsettled: set[int] = set()
        # Set by the tab in its palette's colours: unlock for releases, key for passes.
        self.action_icons: dict[str, QIcon] = {}
        self._headers = {
            COL_TIME: self.tr("Time"),
            COL_OPERATOR: self.tr("Operator"),
            COL_ACTION: self.tr("Action"),
            COL_SUBJECT: self.tr("Door or pass"),
            COL_OUTCOME: self.tr("Outcome"),
            COL_RELEASE: self.tr("Release id · guid"),
            COL_DETAIL: self.tr("Detail"),
        }

    @property
    def entries(self) -> list[AuditEntry]:
        return list(self._entries)

    def entry_at(self, row: int) -> AuditEntry | None:
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def shown_outcome(self, entry: AuditEntry, unsettled: set[int] | None = None) -> str:
        """The outcome as the tab shows it: a sent release never answered is unknown."""
        pending = self.unsettled if unsettled is None else unsettled
        if entry.outcome == OUTCOME_SENT and entry.seq in pending:
            return _UNKNOWN
        if entry.outcome == OUTCOME_UNKNOWN:
            return _UNKNOWN if entry.ref in pending else "unknown_then_confirmed"
        return entry.outcome

    def show(self, entries: list[AuditEntry], unsettled: set[int] | None = None) -> None:
        """Show ``entries``; when they are the old ones with newer ones on top, only the new
        rows are inserted (and any pushed past the end removed)."""
        if unsettled is not None and unsettled != self.unsettled:
            # A release settled since: its row's outcome changes, so redraw them all.
            self.unsettled = set(unsettled)
            self.beginResetModel()
            self._entries = list(entries)
            self.endResetModel()
            return
        old = self._entries
        top_seq = old[0].seq if old else None
        added = 0
        if top_seq is not None:
            while added < len(entries) and entries[added].seq > top_seq:
                added += 1
        kept = entries[added:]
        if not old or kept != old[: len(kept)]:
            self.beginResetModel()
            self._entries = list(entries)
            self.endResetModel()
            return
        if len(kept) < len(old):
            self.beginRemoveRows(QModelIndex(), len(kept), len(old) - 1)
            self._entries = old[: len(kept)]
            self.endRemoveRows()
        if added:
            self.beginInsertRows(QModelIndex(), 0, added - 1)
            self._entries = entries[:added] + self._entries
            self.endInsertRows()

    def _row_count(self) -> int:
        return len(self._entries)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.entry_at(index.row()) if index.isValid() else None
        if entry is None:
            return None
        column = index.column()
        if role == ENTRY_ROLE:
            return entry
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.text(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(entry, column)
        if role == Qt.ItemDataRole.DecorationRole and column == COL_ACTION:
            return self.action_icons.get(entry.action)
        return None

    def text(self, entry: AuditEntry, column: int) -> str:
        if column == COL_TIME:
            return local_time(entry.at)
        if column == COL_OPERATOR:
            return entry.operator
        if column == COL_ACTION:
            return self.action_text(entry.action)
        if column == COL_SUBJECT:
            return self._subject(entry)
        if column == COL_OUTCOME:
            return self.outcome_text(self.shown_outcome(entry))
        if column == COL_RELEASE:
            return release_text(entry)
        if column == COL_DETAIL:
            return entry.detail
        return ""

    def action_text(self, action: str) -> str:
        return {
            ACTION_RELEASE: self.tr("Door release"),
            ACTION_PASS_CREATE: self.tr("Pass issued"),
            ACTION_PASS_REVOKE: self.tr("Pass revoked"),
            records.ACTION_SHIFT_START: self.tr("Shift start"),
            records.ACTION_SHIFT_END: self.tr("Shift end"),
            records.ACTION_OPERATOR_CHANGE: self.tr("Operator change"),
            records.ACTION_CALL_ACK: self.tr("Call acknowledged"),
            records.ACTION_CALL_DISMISS: self.tr("Call dismissed"),
            records.ACTION_CALL_RELEASE: self.tr("Release from call"),
            records.ACTION_KIOSK_EXIT: self.tr("Kiosk exit"),
            records.ACTION_KIOSK_PIN: self.tr("Kiosk PIN change"),
            records.ACTION_SETTINGS: self.tr("Settings changed"),
            records.ACTION_SIGN_IN: self.tr("Sign-in"),
            records.ACTION_SIGN_OUT: self.tr("Sign-out"),
            records.ACTION_EXPORT: self.tr("Audit export"),
            records.ACTION_GAP: self.tr("Entries missing"),
        }.get(action, action)

    def outcome_text(self, outcome: str) -> str:
        if outcome == _UNKNOWN:
            return self.tr("Outcome unknown")
        if outcome == "confirmed":
            return self.tr("Confirmed by ButterflyMX")
        if outcome == "unknown_then_confirmed":
            return self.tr("Unknown, later confirmed")
        return outcome[:1].upper() + outcome[1:].replace("_", " ")

    def _subject(self, entry: AuditEntry) -> str:
        if entry.door_name and entry.door_id is not None:
            return self.tr("{0} · door {1}").format(entry.door_name, entry.door_id)
        return (
            entry.door_name
            or entry.subject
            or (self.tr("Door {0}").format(entry.door_id) if entry.door_id is not None else "")
        )

    def _tooltip(self, entry: AuditEntry, column: int) -> str | None:
        if column == COL_TIME:
            return self.tr("{0} (UTC {1})").format(
                local_time(entry.at), entry.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
            )
        if column == COL_RELEASE and entry.release_guid:
            return self.tr("Release {0}, guid {1}").format(entry.release_id, entry.release_guid)
        if column == COL_DETAIL and entry.detail:
            return entry.detail
        if column == COL_SUBJECT and entry.subject:
            return entry.subject
        return None


def local_time(moment: datetime) -> str:
    """The desk's own clock, dated (``time_text`` has the one way of telling time)."""
    return dated_time_text(moment)


def release_text(entry: AuditEntry) -> str:
    if entry.release_id is None:
        return ""
    if entry.release_guid:
        return f"{entry.release_id} · {entry.release_guid[:8]}…"
    return str(entry.release_id)


class OutcomeDelegate(QStyledItemDelegate):
    """The outcome as a tinted pill: green done, red failed, grey anything else."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        entry = index.data(ENTRY_ROLE)
        if not isinstance(entry, AuditEntry):
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        widget = option.widget
        style = widget.style() if widget else None
        plain = QStyleOptionViewItem(option)
        plain.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, plain, painter, widget)
        colors = state_colors(option.palette)
        model = index.model()
        outcome = (
            model.shown_outcome(entry) if isinstance(model, AuditTableModel) else entry.outcome
        )
        color = (
            colors.success
            if outcome in _GOOD_OUTCOMES
            else colors.danger
            if outcome in _BAD_OUTCOMES
            else colors.warning
            if outcome == _UNKNOWN
            else colors.muted
        )
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        font = QFont(option.font)
        font.setWeight(QFont.Weight.DemiBold)
        metrics = QFontMetrics(font)
        rect = QRectF(option.rect).adjusted(8, 0, -6, 0)
        height = min(24.0, rect.height() - 10)
        pill = QRectF(
            rect.left(),
            rect.center().y() - height / 2,
            metrics.horizontalAdvance(text) + 20,
            height,
        )
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        path = QPainterPath()
        path.addRoundedRect(pill, height / 2, height / 2)
        base = option.palette.color(QPalette.ColorRole.Base)
        painter.fillPath(path, colors.tint(color, base, 0.2 if colors.dark else 0.13))
        painter.setFont(font)
        painter.setPen(color)
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()


class AuditTab(FollowsTheme, QWidget):
    """The audit log's tab: filters, the entries, Verify chain and Export CSV…."""

    def __init__(
        self,
        audit: AuditLog,
        *,
        clock: Clock | None = None,
        check_cloud: CloudChecker | None = None,
        operator: Callable[[], str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._styled_for: tuple[int, int, int] | None = None
        self._audit = audit
        self._check_cloud = check_cloud
        self._operator = operator
        self._clock: Clock = clock or SystemClock()
        self._head_seq: int | None = None
        self._truncated = False
        self.export_dialog: QFileDialog | None = None
        self.model = AuditTableModel(self)

        self.title = heading(self.tr("Audit log"), level=2)
        self.location = QLabel(str(audit.path), self)
        self.location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.location.setToolTip(self.tr("The audit log's file on this computer"))

        self.verify_button = QPushButton(self.tr("Verify chain"), self)
        self.verify_button.setAccessibleName(self.tr("Verify the audit log's hash chain"))
        self.verify_button.setToolTip(
            self.tr("Check that no entry was changed, deleted or reordered since it was written")
        )
        self.verify_button.clicked.connect(self.verify)
        self.cloud_button = QPushButton(self.tr("Check against ButterflyMX"), self)
        self.cloud_button.setAccessibleName(
            self.tr("Compare the releases with ButterflyMX's access logs")
        )
        self.cloud_button.setToolTip(
            self.tr(
                "Compare the last day's releases with ButterflyMX's access logs, both ways, "
                "and settle releases whose outcome is unknown"
            )
        )
        self.cloud_button.clicked.connect(self.check_cloud)
        self.cloud_button.setVisible(check_cloud is not None)
        anchor = audit.anchor
        self.keyring_warning = QLabel(NO_KEYRING_NOTE, self)
        self.keyring_warning.setWordWrap(True)
        self.keyring_warning.setAccessibleName(self.tr("Audit log protection"))
        self.keyring_warning.setVisible(anchor is None or not anchor.available)
        self.export_button = QPushButton(self.tr("Export CSV…"), self)
        self.export_button.setAccessibleName(self.tr("Export the audit log as CSV"))
        self.export_button.setToolTip(
            self.tr("Keep a copy where this desk cannot change it: the best proof of the log")
        )
        self.export_button.clicked.connect(self.choose_export_file)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search operator, door, pass or detail"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Search the audit log"))
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self.reload)

        self.action = QComboBox(self)
        self.action.setAccessibleName(self.tr("Action filter"))
        for label, value in (
            (self.tr("All actions"), ANY),
            (self.tr("Door releases"), ACTION_RELEASE),
            (self.tr("Passes issued"), ACTION_PASS_CREATE),
            (self.tr("Passes revoked"), ACTION_PASS_REVOKE),
            (self.tr("Shifts"), records.ACTION_SHIFT_START),
            (self.tr("Calls acknowledged"), records.ACTION_CALL_ACK),
            (self.tr("Settings changed"), records.ACTION_SETTINGS),
        ):
            self.action.addItem(label, value)
        self.outcome = QComboBox(self)
        self.outcome.setAccessibleName(self.tr("Outcome filter"))
        for label, value in (
            (self.tr("All outcomes"), ANY),
            (self.tr("Released"), "released"),
            (self.tr("Failed"), "failed"),
            (self.tr("Outcome unknown"), _UNKNOWN),
            (self.tr("Confirmed by ButterflyMX"), "confirmed"),
            (self.tr("Created"), "created"),
            (self.tr("Revoked"), "revoked"),
        ):
            self.outcome.addItem(label, value)
        self.period = QComboBox(self)
        self.period.setAccessibleName(self.tr("Date range"))
        for period_label, period in (
            (self.tr("All dates"), PERIOD_ALL),
            (self.tr("Today"), PERIOD_TODAY),
            (self.tr("Last 7 days"), PERIOD_WEEK),
            (self.tr("Last 30 days"), PERIOD_MONTH),
            (self.tr("Between…"), PERIOD_CUSTOM),
        ):
            self.period.addItem(period_label, period)
        today = self._today()
        self.date_from = QDateEdit(QDate(today.year, today.month, today.day), self)
        self.date_to = QDateEdit(QDate(today.year, today.month, today.day), self)
        for edit, name in (
            (self.date_from, self.tr("From date")),
            (self.date_to, self.tr("To date (included)")),
        ):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(name)
            edit.dateChanged.connect(lambda _date: self.reload())
            edit.hide()
        self.date_to_label = QLabel(self.tr("to"), self)
        self.date_to_label.hide()
        for combo in (self.action, self.outcome, self.period):
            combo.currentIndexChanged.connect(self._filters_changed)
        self.count_label = QLabel(self)
        self.count_label.setAccessibleName(self.tr("Number of entries shown"))

        self.result = StatusLine(self)

        self.view = QTableView(self)
        self.view.setModel(self.model)
        setup_table_view(self.view, self.tr("Audit entries"), row_height=ROW_HEIGHT)
        self.view.setTabKeyNavigation(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(COL_DETAIL, QHeaderView.ResizeMode.Stretch)
        for column, width in (
            (COL_TIME, 190),
            (COL_OPERATOR, 150),
            (COL_ACTION, 130),
            (COL_SUBJECT, 260),
            (COL_OUTCOME, 120),
            (COL_RELEASE, 150),
        ):
            self.view.setColumnWidth(column, width)
        self._outcome_delegate = OutcomeDelegate(self)
        self.view.setItemDelegateForColumn(COL_OUTCOME, self._outcome_delegate)

        top = QHBoxLayout()
        top.setSpacing(10)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(self.title)
        titles.addWidget(self.location)
        top.addLayout(titles, 1)
        top.addWidget(self.verify_button, 0, Qt.AlignmentFlag.AlignBottom)
        top.addWidget(self.cloud_button, 0, Qt.AlignmentFlag.AlignBottom)
        top.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignBottom)
        filters = QHBoxLayout()
        filters.setSpacing(10)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.action)
        filters.addWidget(self.outcome)
        filters.addWidget(self.period)
        filters.addWidget(self.date_from)
        filters.addWidget(self.date_to_label)
        filters.addWidget(self.date_to)
        filters.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 8, 2, 4)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.keyring_warning)
        layout.addWidget(self.result)
        layout.addWidget(self.view, 1)

        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self.check_for_new)
        self._restyle()
        self.reload()

    # -- reading the log -----------------------------------------------------------------

    def check_for_new(self) -> None:
        """Reload if the log has an entry the table has not seen (cheap: one indexed row)."""
        if not self.isVisible():
            return
        try:
            newest = self._audit.entries(limit=1)
        except Exception as exc:
            self.result.show_message("error", str(exc))
            return
        head = newest[0].seq if newest else None
        if head != self._head_seq:
            self.reload()

    def reload(self) -> None:
        since, until = self._range()
        action = self.action.currentData() or None
        outcome = self.outcome.currentData() or None
        text = self.search.text().strip() or None
        try:
            newest = self._audit.entries(limit=1)
            entries = self._audit.entries(
                since=since,
                until=until,
                text=text,
                action=action,
                # With an outcome to match, the limit applies after matching.
                limit=None if outcome else MAX_ROWS + 1,
            )
        except Exception as exc:
            self.result.show_message("error", str(exc))
            return
        self._head_seq = newest[0].seq if newest else None
        try:
            unsettled = {e.seq for e in self._audit.unsettled()}
        except Exception as exc:
            self.result.show_message("error", str(exc))
            unsettled = set()
        # One row per release: its "sent" entry only while nothing answers it.
        answered = {e.ref for e in entries if e.ref is not None}
        entries = [e for e in entries if not (e.outcome == OUTCOME_SENT and e.seq in answered)]
        if outcome == _UNKNOWN:
            entries = [e for e in entries if self.model.shown_outcome(e, unsettled) == _UNKNOWN]
        elif outcome:
            entries = [e for e in entries if e.outcome == outcome]
        self._truncated = len(entries) > MAX_ROWS
        self.model.show(entries[:MAX_ROWS], unsettled)
        self._update_count()

    def _range(self) -> tuple[datetime | None, datetime | None]:
        """The period as UTC bounds: from local midnight, up to (not including) the local
        midnight after the last day."""
        period = self.period.currentData()
        today = self._today()
        if period == PERIOD_TODAY:
            return _local_midnight(today), None
        if period == PERIOD_WEEK:
            return _local_midnight(today - timedelta(days=6)), None
        if period == PERIOD_MONTH:
            return _local_midnight(today - timedelta(days=29)), None
        if period == PERIOD_CUSTOM:
            first, last = sorted((_day(self.date_from.date()), _day(self.date_to.date())))
            return _local_midnight(first), _local_midnight(last + timedelta(days=1))
        return None, None

    def _today(self) -> date:
        return self._clock.now().astimezone().date()

    def _filters_changed(self) -> None:
        custom = self.period.currentData() == PERIOD_CUSTOM
        for widget in (self.date_from, self.date_to_label, self.date_to):
            widget.setVisible(custom)
        self.reload()

    def _update_count(self) -> None:
        shown = self.model.rowCount()
        if self._truncated:
            text = self.tr("newest {0:,} entries").format(shown)
        elif shown == 1:
            text = self.tr("1 entry")
        else:
            text = self.tr("{0:,} entries").format(shown)
        self.count_label.setText(text)

    # -- verify and export ---------------------------------------------------------------

    def verify(self) -> None:
        self.verify_button.setEnabled(False)
        self.result.show_message("busy", self.tr("Checking every entry of the audit log…"))
        spawn(self._verify(), name=self.tr("Verifying the audit log"))

    async def _verify(self) -> None:
        try:
            outcome = await in_thread(lambda: verify_file(self._audit.path, self._audit.anchor))
        except Exception as exc:
            self.result.show_message("error", str(exc))
            return
        finally:
            self.verify_button.setEnabled(True)
        self.result.show_message("ok" if outcome.ok else "error", verify_sentence(outcome))

    def check_cloud(self) -> None:
        if self._check_cloud is None:
            return
        self.cloud_button.setEnabled(False)
        self.result.show_message(
            "busy", self.tr("Reading ButterflyMX's access logs of the last day…")
        )
        spawn(self._check(), name=self.tr("Checking the audit log against ButterflyMX"))

    async def _check(self) -> None:
        assert self._check_cloud is not None
        try:
            check = await self._check_cloud()
        except Exception as exc:
            self.result.show_message("error", str(exc))
            return
        finally:
            self.cloud_button.setEnabled(True)
        ok = bool(getattr(check, "ok", False))
        summary = getattr(check, "summary", None)
        text = summary() if callable(summary) else str(check)
        self.result.show_message("ok" if ok else "error", text)
        self.reload()

    def choose_export_file(self) -> QFileDialog:
        """The save dialog (window-modal, not blocking the loop); the export starts when a
        file is chosen."""
        if self.export_dialog is not None and self.export_dialog.isVisible():
            self.export_dialog.raise_()
            return self.export_dialog
        dialog = QFileDialog(self, self.tr("Export the audit log"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setNameFilter(self.tr("CSV files (*.csv)"))
        dialog.setDefaultSuffix("csv")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.selectFile(f"bmx-audit-{self._today():%Y-%m-%d}.csv")
        dialog.fileSelected.connect(self.export_to)
        dialog.finished.connect(dialog.deleteLater)
        self.export_dialog = dialog
        dialog.open()
        return dialog

    def export_to(self, path: str) -> None:
        if not path:
            return
        self.export_button.setEnabled(False)
        self.result.show_message("busy", self.tr("Exporting the audit log to {0}…").format(path))
        spawn(self._export(Path(path)), name=self.tr("Exporting the audit log"))

    async def _export(self, target: Path) -> None:
        try:
            operator = self._operator() if self._operator is not None else None
            rows = await in_thread(lambda: export_file(self._audit.path, target, operator))
        except Exception as exc:
            self.result.show_message("error", str(exc))
            return
        finally:
            self.export_button.setEnabled(True)
        done = (
            self.tr("Exported 1 entry to {0}.").format(target)
            if rows == 1
            else self.tr("Exported {0:,} entries to {1}.").format(rows, target)
        )
        self.result.show_message(
            "ok", done + " " + self.tr("Keep it where this desk cannot change it.")
        )

    # -- look ----------------------------------------------------------------------------

    # The log is only re-read while the tab is on screen: a hidden tab costs no wake-ups.
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._poll.start()
        self.check_for_new()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._poll.stop()

    def _restyle(self) -> None:
        self._mark_styled()
        palette = self.palette()
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        self.location.setStyleSheet(f"color: {muted.name()};")
        self.count_label.setStyleSheet(f"color: {muted.name()};")
        self.model.action_icons = {
            ACTION_RELEASE: _row_icon("unlock", palette),
            ACTION_PASS_CREATE: _row_icon("key", palette),
            ACTION_PASS_REVOKE: _row_icon("close", palette),
        }
        self.verify_button.setIcon(line_icon("check_circle", self))
        self.cloud_button.setIcon(line_icon("refresh", self))
        warning = state_colors(palette).warning
        self.keyring_warning.setStyleSheet(f"color: {warning.name()};")
        self.export_button.setIcon(line_icon("folder", self))
        header_fill = palette.color(QPalette.ColorRole.Window).name()
        line = palette.color(QPalette.ColorRole.Mid).name()
        self.view.horizontalHeader().setStyleSheet(
            f"QHeaderView::section {{ background: {header_fill}; color: {muted.name()};"
            f" border: none; border-bottom: 1px solid {line}; padding: 7px 10px;"
            " font-weight: 600; }"
        )
        for widget in (
            self.search,
            self.action,
            self.outcome,
            self.period,
            self.date_from,
            self.date_to,
            self.verify_button,
            self.cloud_button,
            self.export_button,
        ):
            widget.setMinimumHeight(34)
        search_icon = icons.icon("search", QColor(muted))
        if not self.search.actions():
            self.search.addAction(search_icon, QLineEdit.ActionPosition.LeadingPosition)


def _row_icon(name: str, palette: QPalette) -> QIcon:
    """An icon in the rows' text colour, and in the selection's on a selected row."""
    result = QIcon()
    for mode, role in (
        (QIcon.Mode.Normal, QPalette.ColorRole.Text),
        (QIcon.Mode.Selected, QPalette.ColorRole.HighlightedText),
    ):
        color = palette.color(role)
        for size in (16, 20, 24):
            for ratio in (1.0, 2.0):
                result.addPixmap(icons.pixmap(name, color, size, ratio), mode)
    return result


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time()).astimezone()


__all__ = ["AuditTab", "AuditTableModel", "verify_sentence"]
