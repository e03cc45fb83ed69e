"""The driver commands dialog: run get_doors and friends from the desk, as integrators do in GEM.

A result that is a list of rows is shown as a sortable, filterable table; a single record as a
key/value list (with any list of rows inside it, such as get_status's door roster, as a table
beneath). "Copy as JSON" copies exactly what the command returned.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFontDatabase, QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bmx_console.core.commands import COMMAND_NOTES
from bmx_console.ui.dialog_kit import (
    SUBTITLE_ROLE,
    StatusLine,
    TwoLineDelegate,
    heading,
    line_icon,
    muted,
    reported_on,
    scaled_font,
)
from bmx_console.ui.qt_async import spawn

CommandMap = Mapping[str, Callable[[], Awaitable[object]]]
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


def cell_text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return QCoreApplication.translate("CommandsDialog", "yes" if value else "no")
    if isinstance(value, list | tuple):
        if all(not isinstance(v, dict | list) for v in value):
            return ", ".join(str(v) for v in value) or "—"
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _is_rows(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, dict) for v in value)


class RowsModel(QAbstractTableModel):
    """Rows of plain dicts; the columns are every key, in the order first seen."""

    def __init__(
        self,
        rows: list[dict[str, Any]],
        parent: QWidget | None = None,
        *,
        align_numbers: bool = True,
    ) -> None:
        super().__init__(parent)
        self._rows = rows
        self._align_numbers = align_numbers
        columns: dict[str, None] = {}
        for row in rows:
            columns.update(dict.fromkeys(row))
        self.columns = list(columns)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        value = self._rows[index.row()].get(self.columns[index.column()])
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return cell_text(value)
        if role == SORT_ROLE:
            # Numbers sort as numbers; everything else by its text.
            if isinstance(value, int | float) and not isinstance(value, bool):
                return float(value)
            return cell_text(value).casefold()
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        if role == Qt.ItemDataRole.TextAlignmentRole and numeric and self._align_numbers:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section]
        return None


def make_table(name: str) -> QTableView:
    table = QTableView()
    table.setAccessibleName(name)
    table.setTabKeyNavigation(False)
    table.setSortingEnabled(True)
    table.setAlternatingRowColors(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(28)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setStretchLastSection(True)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return table


class CommandsDialog(QDialog):
    """Run one of ``commands`` at a time and show what it returned."""

    def __init__(self, commands: CommandMap, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._commands = dict(commands)
        self._task: asyncio.Task[Any] | None = None
        self._result: object = None
        self._result_name: str | None = None
        self.setWindowTitle(self.tr("Driver commands"))
        self.setMinimumSize(QSize(1000, 640))
        self._build()
        if self._commands:
            self._list.setCurrentRow(0)
        self._show_placeholder()

    # -- construction ------------------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        body = QHBoxLayout()
        body.setSpacing(0)
        root.addLayout(body, 1)

        side = QWidget()
        side.setObjectName("commandsSide")
        side.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        side.setStyleSheet("QWidget#commandsSide { background: palette(alternate-base); }")
        side.setFixedWidth(300)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(14, 20, 14, 14)
        side_layout.setSpacing(10)
        title = heading(self.tr("Commands"), level=2)
        side_layout.addWidget(title)
        side_layout.addWidget(
            muted(
                self.tr("The GEM ButterflyMX driver's commands, on this desk's connection."),
                small=True,
            )
        )
        self._list = QListWidget()
        self._list.setAccessibleName(self.tr("Commands"))
        self._list.setItemDelegate(TwoLineDelegate(self._list))
        self._list.setIconSize(QSize(22, 22))
        self._list.setFrameShape(QListWidget.Shape.NoFrame)
        self._list.setStyleSheet("QListWidget { background: transparent; }")
        for name in self._commands:
            item = QListWidgetItem(line_icon("terminal", self), name)
            item.setData(SUBTITLE_ROLE, self._note_of(name))
            item.setToolTip(self._note_of(name) or name)
            self._list.addItem(item)
        self._list.currentTextChanged.connect(self._selected)
        self._list.itemActivated.connect(lambda _item: self.run_selected())
        side_layout.addWidget(self._list, 1)
        body.addWidget(side)

        main = QWidget()
        layout = QVBoxLayout(main)
        layout.setContentsMargins(24, 20, 24, 12)
        layout.setSpacing(8)
        top = QHBoxLayout()
        top.setSpacing(10)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        # Command names in the same type as a terminal: they are what integrators type.
        self._title = heading("")
        title_font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        title_font.setPointSizeF(self._title.font().pointSizeF())
        title_font.setBold(True)
        self._title.setFont(title_font)
        self._note = muted("")
        titles.addWidget(self._title)
        titles.addWidget(self._note)
        top.addLayout(titles, 1)
        self._run = QPushButton(line_icon("play", self), self.tr("Run"))
        self._run.setAccessibleName(self.tr("Run the selected command"))
        self._run.setMinimumSize(QSize(100, 34))
        self._run.setDefault(True)
        self._run.clicked.connect(self.run_selected)
        self._copy = QPushButton(line_icon("copy", self), self.tr("Copy as JSON"))
        self._copy.setAccessibleName(self.tr("Copy the result as JSON"))
        self._copy.setMinimumHeight(34)
        self._copy.setAutoDefault(False)
        self._copy.clicked.connect(self.copy_json)
        top.addWidget(self._copy, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self._run, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)

        status_row = QHBoxLayout()
        self.status = StatusLine()
        self._filter = QLineEdit()
        self._filter.setPlaceholderText(self.tr("Filter rows"))
        self._filter.setAccessibleName(self.tr("Filter rows"))
        self._filter.setClearButtonEnabled(True)
        self._filter.setMaximumWidth(260)
        self._filter.setMinimumHeight(28)
        self._filter.addAction(line_icon("search", self), QLineEdit.ActionPosition.LeadingPosition)
        self._filter.textChanged.connect(self._apply_filter)
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self._filter)
        layout.addLayout(status_row)

        self._stack = QStackedWidget()
        self._placeholder = muted("", small=False)
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._stack.addWidget(self._placeholder)
        self.rows_table = make_table(self.tr("Result rows"))
        self._stack.addWidget(self.rows_table)
        record_page = QSplitter(Qt.Orientation.Vertical)
        self.record_table = make_table(self.tr("Result fields"))
        self.record_table.setSortingEnabled(False)
        self._nested_label = QLabel()
        self._nested_label.setFont(scaled_font(self._nested_label, 1.0, bold=True))
        self.nested_table = make_table(self.tr("Result rows"))
        nested = QWidget()
        nested_layout = QVBoxLayout(nested)
        nested_layout.setContentsMargins(0, 8, 0, 0)
        nested_layout.setSpacing(6)
        nested_layout.addWidget(self._nested_label)
        nested_layout.addWidget(self.nested_table, 1)
        record_page.addWidget(self.record_table)
        record_page.addWidget(nested)
        record_page.setChildrenCollapsible(False)
        self._nested = nested
        self._stack.addWidget(record_page)
        layout.addWidget(self._stack, 1)
        body.addWidget(main, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setIcon(QIcon())
        close.setAutoDefault(False)
        close.setAccessibleName(self.tr("Close the commands"))
        close.setMinimumSize(QSize(96, 32))
        buttons.rejected.connect(self.reject)
        footer = QHBoxLayout()
        footer.setContentsMargins(24, 8, 18, 14)
        footer.addWidget(buttons)
        root.addLayout(footer)

    # -- selection and running ---------------------------------------------------------------

    @property
    def selected_command(self) -> str | None:
        item = self._list.currentItem()
        return item.text() if item is not None else None

    def select(self, name: str) -> None:
        matches = self._list.findItems(name, Qt.MatchFlag.MatchExactly)
        if matches:
            self._list.setCurrentItem(matches[0])

    def _note_of(self, name: str) -> str:
        note = COMMAND_NOTES.get(name)
        return self.tr(note) if note else ""

    def _selected(self, name: str) -> None:
        self._title.setText(name)
        note = self._note_of(name)
        self._note.setText(note)
        self._note.setVisible(bool(note))
        self._update_buttons()

    def _update_buttons(self) -> None:
        self._run.setEnabled(self._task is None and self.selected_command is not None)
        self._copy.setEnabled(self._result_name is not None and self._task is None)

    def run_selected(self) -> None:
        name = self.selected_command
        if name is None or self._task is not None:
            return
        self.status.show_message("busy", self.tr("Running {0}…").format(name))
        self._task = spawn(self._run_command(name), name=self.tr("Running {0}").format(name))
        self._update_buttons()

    async def _run_command(self, name: str) -> None:
        started = time.monotonic()

        def failed() -> None:
            self._result, self._result_name = None, None
            self._show_placeholder(failed=True)

        try:
            ok, result = await reported_on(
                self.status,
                self._commands[name](),
                self.tr("{0} failed unexpectedly ({1}); the log has details.")
                .replace("{0}", name)
                .replace("{1}", "{0}"),
                failed=failed,
                prefix=f"{name}: ",
            )
            if ok:
                self._result, self._result_name = result, name
                self._show(name, result, time.monotonic() - started)
        finally:
            self._task = None
            self._update_buttons()

    # -- showing -----------------------------------------------------------------------------

    @property
    def last_result(self) -> object:
        """What the last successful run returned (None before or after a failure)."""
        return self._result

    def _show_placeholder(self, failed: bool = False) -> None:
        self._placeholder.setText(
            self.tr("No result: the command failed (see above).")
            if failed
            else self.tr("Pick a command and press Run.")
        )
        self._stack.setCurrentIndex(0)
        self._filter.setVisible(False)

    def _set_rows(self, table: QTableView, rows: list[dict[str, Any]]) -> None:
        # A key/value list reads down one column of values: numbers stay left there.
        model = RowsModel(rows, table, align_numbers=table is not self.record_table)
        proxy = QSortFilterProxyModel(table)
        proxy.setSourceModel(model)
        proxy.setSortRole(SORT_ROLE)
        proxy.setFilterKeyColumn(-1)
        proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        old = table.model()
        table.setModel(proxy)
        if old is not None:
            old.deleteLater()
        table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        header = table.horizontalHeader()
        header.resizeSections(QHeaderView.ResizeMode.ResizeToContents)
        for column in range(model.columnCount()):
            header.resizeSection(column, min(max(header.sectionSize(column) + 16, 60), 360))

    def _show(self, name: str, result: object, seconds: float) -> None:
        took = self.tr("{0:.2f} s").format(seconds)
        self._filter.clear()
        if _is_rows(result):
            rows: list[dict[str, Any]] = result  # type: ignore[assignment]
            self._set_rows(self.rows_table, rows)
            self._stack.setCurrentWidget(self.rows_table)
            self._filter.setVisible(True)
            self.status.show_message(
                "ok", self.tr("{0}: {1} rows · {2}").format(name, len(rows), took)
            )
            return
        if isinstance(result, dict):
            nested_name = next((k for k, v in result.items() if _is_rows(v) and v), None)
            fields = [
                {"field": key, "value": value}
                for key, value in result.items()
                if key != nested_name
            ]
            self._set_rows(self.record_table, fields)
            self._nested.setVisible(nested_name is not None)
            if nested_name is not None:
                self._nested_label.setText(f"{nested_name} · {len(result[nested_name])}")
                self._set_rows(self.nested_table, result[nested_name])
            self._stack.setCurrentIndex(2)
            self._filter.setVisible(nested_name is not None)
            self.status.show_message("ok", self.tr("{0}: done · {1}").format(name, took))
            return
        self._set_rows(self.record_table, [{"field": "result", "value": result}])
        self._nested.setVisible(False)
        self._stack.setCurrentIndex(2)
        self._filter.setVisible(False)
        self.status.show_message("ok", self.tr("{0}: done · {1}").format(name, took))

    def _apply_filter(self, text: str) -> None:
        for table in (self.rows_table, self.nested_table):
            model = table.model()
            if isinstance(model, QSortFilterProxyModel):
                model.setFilterFixedString(text)

    def copy_json(self) -> None:
        if self._result_name is None:
            return
        QGuiApplication.clipboard().setText(
            json.dumps(self._result, indent=2, ensure_ascii=False, default=str)
        )
        self.status.show_message(
            "info",
            self.tr("The result of {0} is on the clipboard as JSON.").format(self._result_name),
        )

    def done(self, result: int) -> None:
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
        super().done(result)
