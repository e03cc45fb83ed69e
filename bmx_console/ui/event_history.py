"""History beyond the live window: the events (and calls) of an earlier period, fetched on
request with progress and Cancel, shown with the live pane's own filters, and exported to
CSV as shown.

The period is fetched a building and a day at a time, so that the progress bar moves and
Cancel stops within one request; what arrived before a Cancel stays shown. The fetched
records live in a store of their own: the live pane, the door list and the call banner
never see them. A building chosen here scopes both the events and the calls.

CSV cells are made safe for spreadsheets: one that starts with = + - @, a tab or a carriage
return gets a leading apostrophe, so that a visitor named "=HYPERLINK(...)" stays text.
"""

from __future__ import annotations

import asyncio
import csv
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bmx_console.api.models import AccessEvent, Call
from bmx_console.clock import Clock, SystemClock
from bmx_console.core.store import Store
from bmx_console.errors import BmxError
from bmx_console.ui.event_model import COL_DOOR, COL_KIND, COL_METHOD, COL_TIME, COL_WHO
from bmx_console.ui.event_pane import EventPane
from bmx_console.ui.event_text import unit_label
from bmx_console.ui.qt_async import spawn

CHUNK = timedelta(days=1)
HISTORY_MAX_EVENTS = 500_000
_UNSAFE_START = ("=", "+", "-", "@", "\t", "\r")
CSV_HEADER = (
    "logged_at_utc",
    "local_time",
    "kind",
    "who",
    "door",
    "method",
    "building",
    "unit",
    "event_id",
)


def spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    return "'" + text if text.startswith(_UNSAFE_START) else text


class HistoryReader(Protocol):
    async def history(
        self, building_id: int, since: datetime, until: datetime
    ) -> tuple[list[AccessEvent], list[Call]]: ...


def _to_qt(moment: datetime) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(moment.timestamp()))


def _from_qt(value: QDateTime) -> datetime:
    return datetime.fromtimestamp(value.toSecsSinceEpoch(), UTC)


class EventHistory(QWidget):
    """A window: the period, the building, Fetch / Cancel with progress, the events shown
    with the live pane's filters, and Export CSV…"""

    def __init__(
        self,
        live: Store,
        reader: HistoryReader,
        *,
        fetch_image: Callable[[str], Awaitable[bytes]],
        clock: Clock | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self._reader = reader
        self._clock: Clock = clock or SystemClock()
        self._task: asyncio.Task[None] | None = None
        self.setWindowTitle(self.tr("Earlier events"))
        self.setAccessibleName(self.tr("Earlier events"))
        self._live = live
        self._fetch_image = fetch_image
        self.store = self._new_store()

        now = self._clock.now()
        self.from_edit = self._time_edit(self.tr("From"), now - timedelta(days=1))
        self.to_edit = self._time_edit(self.tr("To"), now)
        self.building_filter = QComboBox()
        self.building_filter.setAccessibleName(self.tr("Building"))
        self.building_filter.addItem(self.tr("All buildings"), None)
        for building in sorted(live.buildings.values(), key=lambda b: b.name):
            self.building_filter.addItem(building.name, building.id)
        self.fetch_button = QPushButton(self.tr("Fetch"))
        self.fetch_button.setAccessibleName(self.tr("Fetch the events of this period"))
        self.fetch_button.clicked.connect(self.fetch_chosen)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setAccessibleName(self.tr("Stop fetching"))
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setAccessibleName(self.tr("Fetching progress"))
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = QLabel(self.tr("Choose a period and press Fetch."))
        self.status.setWordWrap(True)
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.export_button.setAccessibleName(self.tr("Export the events shown to a CSV file"))
        self.export_button.clicked.connect(self.choose_csv)
        self.export_button.setEnabled(False)
        self.pane = self._new_pane()

        controls = QHBoxLayout()
        for label, widget in (
            (self.tr("From"), self.from_edit),
            (self.tr("To"), self.to_edit),
            (self.tr("Building"), self.building_filter),
        ):
            controls.addWidget(QLabel(label))
            controls.addWidget(widget)
        controls.addWidget(self.fetch_button)
        controls.addWidget(self.cancel_button)
        controls.addWidget(self.progress, 1)
        footer = QHBoxLayout()
        footer.addWidget(self.status, 1)
        footer.addWidget(self.export_button)
        layout = self._layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.pane, 1)
        layout.addLayout(footer)
        self.resize(1200, 700)

    def _new_store(self) -> Store:
        store = Store(max_events=HISTORY_MAX_EVENTS, max_calls=HISTORY_MAX_EVENTS)
        live = self._live
        store.set_roster(
            live.buildings.values(), [row.door for row in live.doors], live.panels.values()
        )
        store.set_directory(live.directory)
        return store

    def _new_pane(self) -> EventPane:
        pane = EventPane(self.store, fetch_image=self._fetch_image, clock=self._clock)
        pane.setAccessibleName(self.tr("Earlier events"))
        return pane

    def _fresh(self) -> None:
        """A new period: a new store and pane, with the filters the operator had set."""
        state = self.pane.save_state()
        self.store = self._new_store()
        pane = self._new_pane()
        pane.restore_state(state)
        self._layout.replaceWidget(self.pane, pane)
        self.pane.deleteLater()
        self.pane = pane

    def _time_edit(self, name: str, moment: datetime) -> QDateTimeEdit:
        edit = QDateTimeEdit(_to_qt(moment))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("ddd d MMM yyyy  HH:mm")
        edit.setAccessibleName(name)
        return edit

    # -- fetching ----------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    def fetch_chosen(self) -> asyncio.Task[None] | None:
        building = self.building_filter.currentData()
        return self.fetch(
            _from_qt(self.from_edit.dateTime()),
            _from_qt(self.to_edit.dateTime()),
            building if isinstance(building, int) else None,
        )

    def fetch(
        self, since: datetime, until: datetime, building_id: int | None = None
    ) -> asyncio.Task[None] | None:
        """Fetch [since, until] for one building or all; what was shown before goes."""
        if self.busy:
            return self._task
        if until <= since:
            self.status.setText(self.tr("The end of the period must be after its start."))
            return None
        self.from_edit.setDateTime(_to_qt(since))
        self.to_edit.setDateTime(_to_qt(until))
        index = self.building_filter.findData(building_id)
        self.building_filter.setCurrentIndex(max(index, 0))
        self._fresh()
        buildings = [building_id] if building_id is not None else self.store.building_ids()
        chunks: list[tuple[int, datetime, datetime]] = []
        for building in buildings:
            start = since
            while start < until:
                end = min(start + CHUNK, until)
                chunks.append((building, start, end))
                start = end
        self.progress.setRange(0, max(1, len(chunks)))
        self.progress.setValue(0)
        self.fetch_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.export_button.setEnabled(False)
        self.status.setText(self.tr("Fetching…"))
        self._task = spawn(self._fetch(chunks), name=self.tr("Fetching earlier events"))
        return self._task

    async def _fetch(self, chunks: list[tuple[int, datetime, datetime]]) -> None:
        done = 0
        try:
            for building, start, end in chunks:
                events, calls = await self._reader.history(building, start, end)
                self.store.add_events(events)
                self.store.add_calls(calls)
                done += 1
                self.progress.setValue(done)
                self.status.setText(self._found_text(self.tr("Fetching…")))
        except asyncio.CancelledError:
            self.status.setText(self._found_text(self.tr("Cancelled.")))
            raise
        except BmxError as exc:
            self.status.setText(self._found_text(self.tr("Stopped: {0}").format(exc)))
        else:
            self.status.setText(self._found_text(self.tr("Done.")))
        finally:
            self.fetch_button.setEnabled(True)
            self.cancel_button.setEnabled(False)
            self.export_button.setEnabled(self.store.event_count() > 0)
            self.pane.model.flush()

    def _found_text(self, state: str) -> str:
        return self.tr("{0} {1} events and {2} calls in this period.").format(
            state, self.store.event_count(), self.store.call_count()
        )

    def cancel(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()

    # -- export ------------------------------------------------------------------------------

    def shown_events(self) -> list[AccessEvent]:
        model = self.pane.model
        model.flush()
        return [model.event_at(row) for row in range(model.rowCount())]

    def export_csv(self, path: Path) -> int:
        """The events shown (with the pane's filters), newest first; returns how many."""
        model = self.pane.model
        model.flush()
        rows = model.rowCount()
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(CSV_HEADER)
            for row in range(rows):
                event = model.event_at(row)
                building = self.store.buildings.get(event.building_id or 0)

                def cell(column: int, row: int = row) -> str:
                    return str(model.index(row, column).data() or "")

                values = (
                    event.logged_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    cell(COL_TIME),
                    cell(COL_KIND),
                    cell(COL_WHO),
                    cell(COL_DOOR),
                    cell(COL_METHOD),
                    building.name if building else "",
                    unit_label(self.store, event.unit_id) if event.unit_id else "",
                    str(event.id),
                )
                writer.writerow([spreadsheet_safe(v) for v in values])
        self.status.setText(self.tr("Exported {0} events to {1}.").format(rows, path))
        return rows

    def choose_csv(self) -> None:
        dialog = QFileDialog(self, self.tr("Export CSV"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("CSV files (*.csv)"))
        dialog.setDefaultSuffix("csv")
        dialog.selectFile("events.csv")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # open(), not exec(): a nested event loop would stall the asyncio side.
        dialog.fileSelected.connect(lambda name: self.export_csv(Path(name)))
        dialog.open()
