"""The live events pane: the events table, its filters, the "N new events" button while
scrolled away from the top, and event details.

The parts live in ``event_model`` (the table model and its filter), ``event_delegate``,
``event_details`` (the details dialog), ``event_kinds`` and ``event_text``; the names other
modules took from here are still importable from here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGraphicsDropShadowEffect,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from bmx_console.api.models import AccessEvent
from bmx_console.clock import Clock
from bmx_console.core.store import DoorRow, Store
from bmx_console.ui.event_delegate import KindDelegate
from bmx_console.ui.event_details import EventDetailsDialog
from bmx_console.ui.event_kinds import KINDS, kind_color, kind_icon, kind_label
from bmx_console.ui.event_model import (
    COL_DOOR,
    COL_KIND,
    COL_METHOD,
    COL_TIME,
    COL_WHO,
    COLUMN_COUNT,
    ROW_HEIGHT,
    EventFilter,
    EventTableModel,
)
from bmx_console.ui.event_text import building_zone, format_full_time, format_local_time
from bmx_console.ui.palette_css import is_dark, themed_css
from bmx_console.ui.store_signals import store_signals
from bmx_console.ui.tables import setup_table_view

# What other modules imported from here before the pane's parts moved out.
__all__ = [
    "COLUMN_COUNT",
    "COL_DOOR",
    "COL_KIND",
    "COL_METHOD",
    "COL_TIME",
    "COL_WHO",
    "KINDS",
    "EventDetailsDialog",
    "EventFilter",
    "EventPane",
    "EventTableModel",
    "KindDelegate",
    "building_zone",
    "format_full_time",
    "format_local_time",
    "kind_color",
    "kind_icon",
    "kind_label",
    "themed_css",
]


class _ChipButton(QToolButton):
    """A checkable filter chip for one kind, tinted with that kind's colour."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setCheckable(True)
        self.setChecked(True)
        self.setText(kind_label(kind))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setIconSize(QSize(14, 14))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName(self.tr("Show {0} events").format(kind_label(kind)))
        self.setToolTip(self.tr("Show or hide {0} events").format(kind_label(kind).lower()))
        self.restyle()

    def restyle(self) -> None:
        # The application's palette: the chip's own style sheet alters its palette.
        dark = is_dark(QGuiApplication.palette())
        color = kind_color(self.kind, dark)
        self.setIcon(kind_icon(self.kind, dark))
        rgb = f"{color.red()},{color.green()},{color.blue()}"
        self.setStyleSheet(
            themed_css(
                "QToolButton { border: 1px solid palette(mid); border-radius: 13px;"
                " padding: 4px 11px 4px 8px; color: palette(placeholder-text);"
                " background: transparent; }"
                f"QToolButton:checked {{ border: 1px solid rgba({rgb},150);"
                f" background: rgba({rgb},{55 if dark else 30}); color: palette(text); }}"
                f"QToolButton:hover {{ border: 1px solid rgba({rgb},220); }}"
            )
        )


class EventPane(QWidget):
    """Live access events with filters, the "N new events" button and event details."""

    details_opened = Signal(object)

    def __init__(
        self,
        store: Store,
        *,
        fetch_image: Callable[[str], Awaitable[bytes]],
        clock: Clock | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._fetch_image = fetch_image
        self._dialogs: list[EventDetailsDialog] = []
        self._menu_row = -1
        self.model = EventTableModel(store, clock=clock, parent=self)
        self.setAccessibleName(self.tr("Live events"))
        self._styles: list[tuple[QWidget, str]] = []

        toolbar = self._build_toolbar()
        self.count_label = QLabel()
        self._style(self.count_label, "color: palette(placeholder-text);")
        self.count_label.setAccessibleName(self.tr("Number of events shown"))
        self.view = self._build_view()
        self.new_events_button = self._build_new_events_button()
        self.empty_label = QLabel(self.view.viewport())
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self._style(self.empty_label, "color: palette(placeholder-text); padding: 24px;")
        self.empty_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.view.installEventFilter(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(toolbar)
        layout.addWidget(self.view, 1)
        footer = QHBoxLayout()
        footer.addWidget(self.count_label)
        footer.addStretch(1)
        layout.addLayout(footer)

        self.view.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.model.pending_changed.connect(self._update_new_events_button)
        self.model.filter_changed.connect(self._filters_changed)
        for signal in (
            self.model.rowsInserted,
            self.model.rowsRemoved,
            self.model.modelReset,
        ):
            signal.connect(self._update_counts)
        signals = store_signals(store)
        # Not on doors_reset too: the store always follows it with roster_changed, and at
        # 20,000 doors one fill is a stall of its own.
        signals.roster_changed.connect(self._fill_doors)
        self._fill_doors()
        self._update_counts()
        self._update_new_events_button()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def _build_toolbar(self) -> QVBoxLayout:
        """The filters: door, one chip per kind, and the search field."""
        self.door_filter = QComboBox()
        self.door_filter.setAccessibleName(self.tr("Filter events by door"))
        self.door_filter.setToolTip(self.tr("Show the events of one door"))
        self.door_filter.setMinimumWidth(160)
        self.door_filter.setMinimumHeight(30)
        # The whole roster in one model reset, not an item added per door (40,000 of them at
        # 20,000 doors); sized by a length, not by measuring every door's name.
        self._door_choices = DoorChoices(self.door_filter)
        self.door_filter.setModel(self._door_choices)
        self.door_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.door_filter.setMinimumContentsLength(16)
        self.door_filter.currentIndexChanged.connect(self._door_chosen)

        self.kind_buttons: dict[str, _ChipButton] = {}
        # The chips in a box of their own, which goes under the filters when the pane is
        # narrow (beside the doors).
        self._chip_box = QWidget()
        chips = QHBoxLayout(self._chip_box)
        chips.setContentsMargins(0, 0, 0, 0)
        chips.setSpacing(6)
        for kind in KINDS:
            button = _ChipButton(kind)
            button.toggled.connect(self._kinds_toggled)
            self.kind_buttons[kind] = button
            chips.addWidget(button)
        chips.addStretch(1)

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search who, door or method"))
        self.search.setAccessibleName(self.tr("Search events"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(200)
        self.search.setMinimumHeight(30)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(self._search_edited)
        self.search.returnPressed.connect(self._apply_search)

        # Earlier events: offered once the desk says how to fetch them (set_history).
        self.history_button = QPushButton(self.tr("Earlier…"))
        self.history_button.setAccessibleName(self.tr("Fetch earlier events"))
        self.history_button.setToolTip(self.tr("Fetch and export the events of an earlier period"))
        self.history_button.setMinimumHeight(30)
        self.history_button.hide()
        self._history: Callable[[], QWidget] | None = None
        self.history_window: QWidget | None = None
        self.history_button.clicked.connect(self.open_history)

        self._filters = QHBoxLayout()
        self._filters.setSpacing(10)
        for widget in (self.door_filter, self._chip_box, self.search, self.history_button):
            self._filters.addWidget(widget)
        self._filters.insertStretch(2, 1)
        self._toolbar = QVBoxLayout()
        self._toolbar.setSpacing(6)
        self._toolbar.addLayout(self._filters)
        return self._toolbar

    def set_narrow(self, narrow: bool) -> None:
        """Beside the doors: the kind chips on a line of their own, under the filters."""
        if narrow == (self._toolbar.indexOf(self._chip_box) >= 0):
            return
        if narrow:
            self._filters.removeWidget(self._chip_box)
            self._toolbar.addWidget(self._chip_box)
        else:
            self._toolbar.removeWidget(self._chip_box)
            self._filters.insertWidget(1, self._chip_box)

    def narrow_width(self) -> int:
        """The narrowest this pane can be with its chips under the filters."""
        filters = [self.door_filter, self.search]
        if not self.history_button.isHidden():
            filters.append(self.history_button)
        least = sum(max(w.minimumWidth(), w.minimumSizeHint().width()) for w in filters)
        spacing = self._filters.spacing() * len(filters)
        return max(least + spacing, self._chip_box.minimumSizeHint().width())

    def set_history(self, make: Callable[[], QWidget] | None) -> None:
        """How to make the earlier-events window (``event_history``); None hides it."""
        self._history = make
        self.history_button.setVisible(make is not None)

    def open_history(self) -> QWidget | None:
        if self._history is None:
            return None
        if self.history_window is None:
            self.history_window = self._history()
        self.history_window.show()
        self.history_window.raise_()
        self.history_window.activateWindow()
        return self.history_window

    def _build_view(self) -> QTableView:
        view = QTableView()
        view.setModel(self.model)
        setup_table_view(view, self.tr("Events, newest first"), row_height=ROW_HEIGHT)
        view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.setItemDelegateForColumn(COL_KIND, KindDelegate(view))
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._context_menu)
        self._style(
            view,
            "QTableView { border: 1px solid palette(mid); border-radius: 6px; }"
            "QTableView::item { padding: 0px 10px; border: none; }"
            "QHeaderView::section { padding: 6px 10px; border: none;"
            " border-bottom: 1px solid palette(mid); background: palette(window);"
            " font-weight: 600; }",
        )
        header = view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setMinimumHeight(30)
        for column, width in ((COL_KIND, 140), (COL_TIME, 170), (COL_WHO, 200), (COL_DOOR, 290)):
            view.setColumnWidth(column, width)
        # "activated" is a double click, or Return on the current row (or a single click
        # where the desktop is set to open items that way).
        view.activated.connect(self._open_index)
        return view

    def _build_new_events_button(self) -> QPushButton:
        """The "N new events" button floating over the top of the table, hidden until
        events wait behind it."""
        button = QPushButton(self.view)
        button.setAccessibleName(self.tr("Show new events"))
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.clicked.connect(self.show_new_events)
        self._style(
            button,
            "QPushButton { background: palette(highlight); color: palette(highlighted-text);"
            " border: none; border-radius: 14px; min-height: 28px; max-height: 28px;"
            " padding: 0px 18px; font-weight: 600; }"
            "QPushButton:hover { background: palette(link); }",
        )
        shadow = QGraphicsDropShadowEffect(button)
        shadow.setBlurRadius(18)
        shadow.setOffset(0, 3)
        shadow.setColor(QColor(0, 0, 0, 90))
        button.setGraphicsEffect(shadow)
        button.hide()
        return button

    # -- filters -----------------------------------------------------------------------------

    def _fill_doors(self) -> None:
        wanted = self.model.filter.door_id
        rows = self._store.doors
        extra = None
        if wanted is not None and self._store.door(wanted) is None:
            extra = (self.tr("door {0}").format(wanted), wanted)
        combo = self.door_filter
        combo.blockSignals(True)
        self._door_choices.set_doors(
            rows,
            all_doors=self.tr("All doors"),
            with_building=len({row.building_name for row in rows}) > 1,
            extra=extra,
        )
        index = self._door_choices.row_of(wanted) if wanted is not None else 0
        combo.setCurrentIndex(max(index or 0, 0))
        combo.blockSignals(False)

    def _kinds_toggled(self, _shown: bool) -> None:
        self.model.set_kinds(k for k, b in self.kind_buttons.items() if b.isChecked())

    def _search_edited(self, _text: str) -> None:
        self._search_timer.start()

    def _apply_search(self) -> None:
        self._search_timer.stop()
        self.model.set_text(self.search.text())

    def _door_chosen(self, index: int) -> None:
        self.model.set_door(self._door_choices.door_id_at(index))

    def _filters_changed(self) -> None:
        self._update_counts()
        self._update_new_events_button()

    def save_state(self) -> dict[str, Any]:
        return {
            "door_id": self.model.filter.door_id,
            "kinds": [k for k in KINDS if k in self.model.filter.kinds],
            "text": self.search.text(),
        }

    def restore_state(self, state: dict[str, Any]) -> None:
        if not isinstance(state, dict):
            return
        door_id = state.get("door_id")
        self.model.set_door(door_id if isinstance(door_id, int) else None)
        self._fill_doors()
        kinds = state.get("kinds")
        if isinstance(kinds, list):
            shown = {k for k in kinds if isinstance(k, str)}
            for kind, button in self.kind_buttons.items():
                button.setChecked(kind in shown)
        text = state.get("text")
        if isinstance(text, str):
            self.search.setText(text)
            self._search_timer.stop()
            self.model.set_text(text)

    # -- live / paused -----------------------------------------------------------------------

    def _scrolled(self, value: int) -> None:
        self.model.set_live(value <= self.view.verticalScrollBar().minimum())

    def show_new_events(self) -> None:
        """Reveal the events that arrived while scrolled away, and go back to the top."""
        self.view.scrollToTop()
        self.model.set_live(True)
        self.model.reveal()

    def new_events_count(self) -> int:
        """How many held-back events pass the filters (the number on the button)."""
        return self.model.pending_shown_count()

    def _update_new_events_button(self, *_: object) -> None:
        count = self.new_events_count()
        button = self.new_events_button
        if count:
            button.setText(
                self.tr("↑  1 new event") if count == 1 else self.tr("↑  %Ln new events", "", count)
            )
            button.adjustSize()
            self._place_overlays()
            button.show()
            button.raise_()
        else:
            button.hide()

    def _update_counts(self, *_: object) -> None:
        shown = self.model.rowCount()
        total = self.model.total_count()
        locale = self.locale()
        if self.model.filter.active:
            self.count_label.setText(
                self.tr("{0} of {1} events").format(locale.toString(shown), locale.toString(total))
            )
        else:
            self.count_label.setText(
                self.tr("1 event") if total == 1 else self.tr("%Ln events", "", total)
            )
        if shown:
            self.empty_label.hide()
        else:
            self.empty_label.setText(
                self.tr("No events match these filters.")
                if total
                else self.tr("No events yet.\nAccess events appear here as they happen.")
            )
            self.empty_label.setGeometry(self.view.viewport().rect())
            self.empty_label.show()

    def _style(self, widget: QWidget, css: str) -> None:
        self._styles.append((widget, css))
        widget.setStyleSheet(themed_css(css))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            for widget, css in self._styles:
                widget.setStyleSheet(themed_css(css))
            for button in self.kind_buttons.values():
                button.restyle()
            self.view.viewport().update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._place_overlays()
        return super().eventFilter(watched, event)

    def _place_overlays(self) -> None:
        button = self.new_events_button
        top = self.view.horizontalHeader().height() + 12
        button.move(max(0, (self.view.width() - button.width()) // 2), top)
        self.empty_label.setGeometry(self.view.viewport().rect())

    # -- details -----------------------------------------------------------------------------

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_details(self.model.event_at(index.row()))

    def open_details(self, event: AccessEvent) -> EventDetailsDialog:
        dialog = EventDetailsDialog(event, self._store, fetch_image=self._fetch_image, parent=self)
        self._dialogs.append(dialog)
        dialog.finished.connect(self._dialog_finished)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        self.details_opened.emit(dialog)
        return dialog

    def _dialog_finished(self, _result: int) -> None:
        dialog = self.sender()
        self._dialogs = [d for d in self._dialogs if d is not dialog]

    def _context_menu(self, position: QPoint) -> None:
        # Scroll areas report the position in viewport coordinates.
        index = self.view.indexAt(position)
        if not index.isValid():
            return
        self._menu_row = index.row()
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addAction(self.tr("Show details…")).triggered.connect(self._menu_details)
        menu.addAction(self.tr("Copy")).triggered.connect(self._menu_copy)
        menu.popup(self.view.viewport().mapToGlobal(position))

    def _menu_details(self) -> None:
        if 0 <= self._menu_row < self.model.rowCount():
            self.open_details(self.model.event_at(self._menu_row))

    def _menu_copy(self) -> None:
        if 0 <= self._menu_row < self.model.rowCount():
            cells = (self.model.index(self._menu_row, c).data() for c in range(COLUMN_COUNT))
            QGuiApplication.clipboard().setText("\t".join(str(c) for c in cells))


class DoorChoices(QAbstractListModel):
    """The door filter's entries: "All doors", one per door of a roster (in the store's
    order), and perhaps the door chosen before it left the roster. Replaced in one reset,
    and each entry's text made only when Qt asks for it (the visible few), so that a roster
    of 20,000 doors costs the filter no 20,000 strings at every change."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all = ""
        self._rows: Sequence[DoorRow] = ()
        self._with_building = False
        self._extra: tuple[str, int] | None = None
        self._row_of: dict[int, int] | None = None

    def set_doors(
        self,
        rows: Sequence[DoorRow],
        *,
        all_doors: str,
        with_building: bool,
        extra: tuple[str, int] | None = None,
    ) -> None:
        self.beginResetModel()
        self._all, self._rows = all_doors, rows
        self._with_building, self._extra = with_building, extra
        self._row_of = None
        self.endResetModel()

    def row_of(self, door_id: int | None) -> int | None:
        if door_id is None:
            return 0
        if self._extra is not None and self._extra[1] == door_id:
            return len(self._rows) + 1
        if self._row_of is None:
            self._row_of = {row.door.id: n for n, row in enumerate(self._rows, 1)}
        return self._row_of.get(door_id)

    def door_id_at(self, row: int) -> int | None:
        if 1 <= row <= len(self._rows):
            return self._rows[row - 1].door.id
        if self._extra is not None and row == len(self._rows) + 1:
            return self._extra[1]
        return None

    def _text(self, row: int) -> str:
        if row == 0:
            return self._all
        if row <= len(self._rows):
            door = self._rows[row - 1]
            return f"{door.name} · {door.building_name}" if self._with_building else door.name
        return self._extra[0] if self._extra is not None else ""

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        if parent is not None and parent.isValid():
            return 0
        return 1 + len(self._rows) + (self._extra is not None)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(index.row())
        if role == Qt.ItemDataRole.UserRole:
            return self.door_id_at(index.row())
        return None
