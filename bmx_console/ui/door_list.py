"""The door list: every door with its release state, last event and a Release button.

The widget here puts together the search and building filter, the table and its hotkeys; the
parts live by Qt role: ``door_model`` (the model over the store, columns and roles),
``door_proxy`` (search, building filter, sorting with pinned doors on top),
``door_delegates`` (the painted cells and the Release button) and ``door_view`` (the table
view). Their public names are importable from here too.

A release always acts on a door id: the one under the pointer at both the press and the
release of a click, the selected row's for Enter or Space (only while that row is on screen),
and for F1–F12 the door the key is bound to. Keys belong to doors, not to row positions: they
are bound once (pinned doors first, then by name), saved in the settings, and moved only by
the operator, from a door's context menu; searching, filtering, sorting or pinning never
moves one. While the pointer is over the rows the order is held still (see ``door_view``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QGuiApplication, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from bmx_console.clock import Clock
from bmx_console.core.store import DoorRow, Store
from bmx_console.ui import door_hotkeys, icons
from bmx_console.ui.door_delegates import ReleaseButtonDelegate, StateDelegate, TwoLineDelegate
from bmx_console.ui.door_model import (
    COL_BUILDING,
    COL_LAST_EVENT,
    COL_NAME,
    COL_RELEASE,
    COL_STATE,
    COLUMN_COUNT,
    COMPACT_ROW_HEIGHT,
    DOOR_ID_ROLE,
    HOTKEY_COUNT,
    PINNED_ROLE,
    PRIMARY_ROLE,
    ROW_HEIGHT,
    ROW_ROLE,
    SECONDARY_ROLE,
    STATE_ROLE,
    DoorTableModel,
    door_id_of,
    local_time_text,
    row_of,
)
from bmx_console.ui.door_proxy import DoorFilterProxy
from bmx_console.ui.door_view import DoorTableView
from bmx_console.ui.qt_async import spawn
from bmx_console.ui.store_signals import store_signals
from bmx_console.ui.tables import ColumnFit, setup_table_view
from bmx_console.ui.theme import state_colors, theme_changed
from bmx_console.ui.time_text import desk_zone

ALL_BUILDINGS = -1  # the building filter's "All buildings" entry (never None: see door_model)


class DoorList(QWidget):
    """Search, building filter and the door table, releasing through ``release(door_id)``.

    ``pins_changed`` carries the pinned door ids after the operator pins or unpins one, and
    ``hotkeys_changed`` the F-key bindings ({key number: door id}) once first made or after
    the operator moves a key, for the window to save in the settings. ``said`` carries a
    sentence for the status line (what a key released, why it did not).
    """

    pins_changed = Signal(object)  # frozenset[int]
    hotkeys_changed = Signal(object)  # dict[int, int]
    said = Signal(str)

    def __init__(
        self,
        store: Store,
        *,
        release: Callable[[int], Awaitable[object]],
        clock: Clock,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._release = release
        self._menu_extensions: list[Callable[[QMenu, DoorRow], object]] = []
        self.model = DoorTableModel(store, clock=clock, parent=self)
        self._bind_timer = QTimer(self)
        self._bind_timer.setSingleShot(True)
        self._bind_timer.setInterval(0)
        self._bind_timer.timeout.connect(self._bind_first_hotkeys)
        self.proxy = DoorFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.filters = self._build_filters()
        self.stale_label = QLabel(self)
        self.stale_label.setObjectName("staleLabel")
        self.stale_label.setWordWrap(True)
        self.stale_label.hide()
        self.view = self._build_view()
        self._set_delegates()
        self._lay_out()
        # None until the first roster binds them (or the settings give them).
        self._door_by_key: dict[int, int] | None = None
        self._shortcuts = self._add_hotkeys()
        self.view.hold_changed.connect(self.proxy.hold)
        self.proxy.pending_changed.connect(self._order_pending)
        for signal in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
        ):
            signal.connect(self._update_count)
        store_signals(store).roster_changed.connect(self.roster_changed)
        self._fill_buildings()
        self._bind_first_hotkeys()
        self._update_count()
        self._restyle()
        theme_changed().connect(self._restyle)

    def _build_filters(self) -> QWidget:
        """The search field, the building filter and the count of doors shown, in a row."""
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search doors by name, building or id"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Search doors"))
        self.search.textChanged.connect(self.proxy.set_search)
        self.search.returnPressed.connect(self._search_entered)
        self._search_action = QAction(self.search)
        self.search.addAction(self._search_action, QLineEdit.ActionPosition.LeadingPosition)

        self.building = QComboBox(self)
        self.building.setAccessibleName(self.tr("Building filter"))
        self.building.setMinimumWidth(200)
        self.building.currentIndexChanged.connect(self._building_chosen)

        self.count_label = QLabel(self)
        self.count_label.setAccessibleName(self.tr("Number of doors shown"))

        filters = QWidget(self)
        row = QHBoxLayout(filters)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(10)
        row.addWidget(self.search, 1)
        row.addWidget(self.building)
        row.addWidget(self.count_label)
        return filters

    def _build_view(self) -> DoorTableView:
        view = DoorTableView(self)
        view.setModel(self.proxy)
        setup_table_view(view, self.tr("Doors"), row_height=ROW_HEIGHT, sorting=True)
        view.setTabKeyNavigation(False)
        view.setMouseTracking(True)
        # Always there: a scroll bar that came and went with the rows (a search, the first
        # roster) changed the list's width and moved every Release button sideways.
        view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._context_menu)
        view.release_requested.connect(self.release_door)
        view.second_press_needed.connect(self._second_press_needed)
        header = view.horizontalHeader()
        header.setSectionResizeMode(COL_LAST_EVENT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_RELEASE, QHeaderView.ResizeMode.Fixed)
        header.setMinimumSectionSize(60)
        # Name, state and Release stay on screen at any width; the State column grows to
        # hold a failure's sentence before the last event takes the rest.
        self._fit = ColumnFit(
            view,
            [
                (COL_RELEASE, 172, 172),
                (COL_NAME, 130, 250),
                (COL_STATE, 120, 320),
                (COL_LAST_EVENT, 140, None),
                (COL_BUILDING, 120, 190),
            ],
        )
        view.sortByColumn(COL_BUILDING, Qt.SortOrder.AscendingOrder)
        return view

    def _set_delegates(self) -> None:
        self._name_delegate = TwoLineDelegate(self.model, leading_icon=True, parent=self)
        self._state_delegate = StateDelegate(self.model, self)
        self._event_delegate = TwoLineDelegate(self.model, state=self._state_delegate, parent=self)
        self._button_delegate = ReleaseButtonDelegate(self.model, self)
        self._button_delegate.release_clicked.connect(self.release_door)
        self._button_delegate.click_ignored.connect(self.said)
        self.view.setItemDelegateForColumn(COL_NAME, self._name_delegate)
        self.view.setItemDelegateForColumn(COL_LAST_EVENT, self._event_delegate)
        self.view.setItemDelegateForColumn(COL_STATE, self._state_delegate)
        self.view.setItemDelegateForColumn(COL_RELEASE, self._button_delegate)

    def _lay_out(self) -> None:
        """The title and keyboard hint, the filters, the stale notice and the table."""
        title = QLabel(self.tr("Doors"), self)
        title_font = QFont(self.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.35)
        title_font.setWeight(QFont.Weight.DemiBold)
        title.setFont(title_font)
        self._hint_text = self.tr(
            "Enter or Space releases the selected door · F-keys release their own door"
        )
        self._hint = QLabel(self._hint_text, self)
        heading = QHBoxLayout()
        heading.addWidget(title)
        heading.addStretch(1)
        heading.addWidget(self._hint)

        layout = self._box = QVBoxLayout(self)
        layout.setContentsMargins(2, 6, 2, 4)
        layout.setSpacing(10)
        layout.addLayout(heading)
        layout.addWidget(self.filters)
        layout.addWidget(self.stale_label)
        layout.addWidget(self.view, 1)

    def _add_hotkeys(self) -> list[QShortcut]:
        """F1…F12 release the door each is bound to, wherever the focus is in the window."""
        shortcuts: list[QShortcut] = []
        for number in range(1, HOTKEY_COUNT + 1):
            shortcut = QShortcut(QKeySequence(f"F{number}"), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda key=number: self.release_hotkey(key))
            shortcuts.append(shortcut)
        return shortcuts

    # -- store listener (buildings for the filter) -----------------------------------------

    def roster_changed(self) -> None:
        self._fill_buildings()
        if self._door_by_key is None:
            # Bound just after the first roster's rows show, not in the same go: at 20,000
            # doors that load is the longest the window waits, and the binding is saved to
            # the settings file. An F-key pressed first, or a look at the keys, binds now.
            self._bind_timer.start()

    def _bind_first_hotkeys(self) -> None:
        """Once, with the first roster: later rosters, in whatever order, change nothing."""
        if self._door_by_key is None and self._store.door_count():
            self._door_by_key = door_hotkeys.first_binding(self._store.doors)
            self.model.set_hotkeys(self._door_by_key)
            self.hotkeys_changed.emit(dict(self._door_by_key))

    def _fill_buildings(self) -> None:
        chosen = self.proxy.building_id
        self.building.blockSignals(True)
        self.building.clear()
        self.building.addItem(self.tr("All buildings"), ALL_BUILDINGS)
        for building in sorted(self._store.buildings.values(), key=lambda b: b.name.casefold()):
            self.building.addItem(building.name, building.id)
        index = self.building.findData(chosen) if chosen is not None else 0
        self.building.setCurrentIndex(max(index, 0))
        self.building.blockSignals(False)
        if chosen is not None and index < 0 and self._store.buildings:
            self.proxy.set_building(None)
        self._update_count()

    def _building_chosen(self, index: int) -> None:
        building_id = self.building.itemData(index)
        self.proxy.set_building(
            building_id if isinstance(building_id, int) and building_id != ALL_BUILDINGS else None
        )
        self._update_count()

    # -- releasing -------------------------------------------------------------------------

    def release_door(self, door_id: int, via: str = "") -> None:
        """Release the door (through the window's release gate), unless this desk cannot:
        then the status line says why. ``via`` names the key that asked, for that line."""
        row = self._store.door(door_id)
        name = row.name if row else self.tr("door {0}").format(door_id)
        why_not = self.model.why_not(door_id)
        if why_not:
            self.said.emit(f"{via}: {why_not}" if via else why_not)
            return
        spawn(
            self._release_now(door_id, via),
            name=self.tr("Releasing {0}").format(name),
            foreground=True,
        )

    async def _release_now(self, door_id: int, via: str) -> None:
        outcome = await self._release(door_id)
        row = self._store.door(door_id)
        sentence = door_hotkeys.outcome_sentence(outcome, row, door_id, via)
        if sentence:
            self.said.emit(sentence)

    def release_hotkey(self, key: int) -> None:
        """F<key> releases its own door, whether or not its row is in view."""
        self._bind_first_hotkeys()
        door_id = (self._door_by_key or {}).get(key)
        if door_id is None:
            self.said.emit(
                self.tr("F{0} is not bound to a door: bind it from a door's menu (Hotkey).").format(
                    key
                )
            )
        elif self._store.door(door_id) is None:
            self.said.emit(
                self.tr("F{0} is bound to door {1}, which is not in the door list.").format(
                    key, door_id
                )
            )
        else:
            self.release_door(door_id, via=f"F{key}")

    # -- hotkeys ---------------------------------------------------------------------------

    @property
    def hotkeys(self) -> dict[int, int]:
        """Which door each F-key releases (key number -> door id)."""
        self._bind_first_hotkeys()
        return dict(self._door_by_key or {})

    def set_hotkeys(self, door_by_key: dict[int, int]) -> None:
        """The bindings saved in the settings: kept as they are, never re-made."""
        self._door_by_key = dict(door_by_key)
        self.model.set_hotkeys(self._door_by_key)

    def bind_hotkey(self, door_id: int, key: int | None) -> None:
        """Move F<key> to this door (whichever door had it loses it), or clear its key."""
        self._door_by_key = door_hotkeys.rebind(self._door_by_key or {}, door_id, key)
        self.model.set_hotkeys(self._door_by_key)
        self.hotkeys_changed.emit(dict(self._door_by_key))

    def hotkey_of(self, door_id: int) -> int | None:
        return self.model.hotkey_of(door_id)

    def _second_press_needed(self, door_id: int) -> None:
        row = self._store.door(door_id)
        name = row.name if row else self.tr("door {0}").format(door_id)
        self.said.emit(self.tr("Press Enter again to release {0}").format(name))

    @property
    def hint(self) -> str:
        """The heading's keyboard hint, or the note that the order waits for the pointer."""
        return self._hint.text()

    def _order_pending(self, pending: bool) -> None:
        # In the heading's own line, so that the note moves nothing under the pointer.
        self._hint.setText(
            self.tr("Order will update when the pointer leaves the list")
            if pending
            else self._hint_text
        )

    def door_id_at(self, proxy_row: int) -> int | None:
        if 0 <= proxy_row < self.proxy.rowCount():
            return door_id_of(self.proxy.index(proxy_row, COL_NAME))
        return None

    def proxy_row_of(self, door_id: int) -> int | None:
        source_row = self.model.source_row_of(door_id)
        if source_row is None:
            return None
        index = self.proxy.mapFromSource(self.model.index(source_row, COL_NAME))
        return index.row() if index.isValid() else None

    # -- pins ------------------------------------------------------------------------------

    def set_pinned(self, door_id: int, pinned: bool) -> None:
        self._store.set_pinned(door_id, pinned)
        self.model.flush_now()
        self.pins_changed.emit(self._store.pinned_door_ids)

    def _context_menu(self, position: Any) -> None:
        index = self.view.indexAt(position)
        door_id = door_id_of(index)
        if door_id is None:
            return
        row = self._store.door(door_id)
        if row is None:
            return
        menu = QMenu(self)
        text_color = self.palette().color(QPalette.ColorRole.Text)
        release = menu.addAction(
            icons.icon("unlock", text_color), self.tr("Release {0}").format(row.name)
        )
        release.triggered.connect(lambda: self.release_door(door_id))
        menu.addMenu(
            door_hotkeys.hotkey_menu(menu, self._store, self.hotkeys, door_id, self.bind_hotkey)
        )
        menu.addSeparator()
        if row.pinned:
            pin = menu.addAction(icons.icon("pin", text_color), self.tr("Unpin"))
            pin.triggered.connect(lambda: self.set_pinned(door_id, False))
        else:
            pin = menu.addAction(icons.icon("pin", text_color), self.tr("Pin to top"))
            pin.triggered.connect(lambda: self.set_pinned(door_id, True))
        copy = menu.addAction(self.tr("Copy door id ({0})").format(door_id))
        copy.triggered.connect(lambda: QGuiApplication.clipboard().setText(str(door_id)))
        for extend in self._menu_extensions:
            extend(menu, row)
        menu.popup(self.view.viewport().mapToGlobal(position))

    def add_menu_extension(self, extend: Callable[[QMenu, DoorRow], object]) -> None:
        """``extend(menu, row)`` adds entries to a door's context menu before it opens."""
        self._menu_extensions.append(extend)

    # -- view state ------------------------------------------------------------------------

    def set_compact(self, compact: bool) -> None:
        """Single-line rows (a short window) or two-line ones; the delegates follow the
        rows' height."""
        height = COMPACT_ROW_HEIGHT if compact else ROW_HEIGHT
        self.view.verticalHeader().setDefaultSectionSize(height)
        self._box.setSpacing(6 if compact else 10)

    def essential_width(self) -> int:
        """The narrowest this list can be with its name, state and Release columns whole."""
        view = self.view
        chrome = view.frameWidth() * 2 + view.verticalScrollBar().sizeHint().width()
        margins = self._box.contentsMargins()
        return self._fit.least_width(3) + chrome + margins.left() + margins.right()

    def height_for_rows(self, rows: int) -> int:
        """The height at which the list shows ``rows`` whole rows (as laid out now)."""
        view = self.view
        around = self.height() - view.viewport().height()
        return around + rows * view.verticalHeader().defaultSectionSize()

    def set_filters_visible(self, visible: bool) -> None:
        self.filters.setVisible(visible)
        if not visible:
            self.search.clear()
            self.building.setCurrentIndex(0)

    def set_releasability(self, why_not: Callable[[int], str | None]) -> None:
        """Why a door cannot be released from this desk (None: it can)."""
        self.model.why_not = why_not
        self.model.repaint_all()

    def set_offline(self, offline: str) -> None:
        """Why the doors' state is not known now ("" when it is): rows say "Unknown" and
        why, and the buttons look degraded while still letting the operator try."""
        self.model.set_offline(offline)
        self.view.viewport().update()

    def set_stale(self, since: datetime | None) -> None:
        """Grey the list and say since when it has not been updated (None: fresh again)."""
        stale = since is not None
        if since is not None:
            local = since.astimezone(desk_zone())
            # Nothing here says whether releases work: only a release that succeeds can.
            self.stale_label.setText(
                self.tr("Door list may be out of date — stale since {0}.").format(
                    local.strftime("%H:%M")
                )
            )
        self.stale_label.setVisible(stale)
        self.view.stale = stale
        self.model.set_stale(stale)
        self.view.viewport().update()

    @property
    def stale_text(self) -> str:
        return self.stale_label.text() if self.stale_label.isVisible() else ""

    def save_state(self) -> dict[str, Any]:
        header = self.view.horizontalHeader()
        return {
            "search": self.search.text(),
            "building_id": self.proxy.building_id,
            "sort_column": header.sortIndicatorSection(),
            "sort_order": "desc"
            if header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
            else "asc",
            "filters_visible": not self.filters.isHidden(),
        }

    def restore_state(self, state: dict[str, Any]) -> None:
        search = state.get("search")
        if isinstance(search, str):
            self.search.setText(search)
        building_id = state.get("building_id")
        if isinstance(building_id, int):
            self.proxy.set_building(building_id)
            self._fill_buildings()
        column = state.get("sort_column")
        if isinstance(column, int) and 0 <= column < COLUMN_COUNT:
            order = (
                Qt.SortOrder.DescendingOrder
                if state.get("sort_order") == "desc"
                else Qt.SortOrder.AscendingOrder
            )
            self.view.sortByColumn(column, order)
        if state.get("filters_visible") is False:
            self.filters.hide()

    def _search_entered(self) -> None:
        if self.proxy.rowCount():
            self.view.setFocus()
            self.view.setCurrentIndex(self.proxy.index(0, COL_NAME))

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self._store.door_count()
        if total == 0:
            self.count_label.setText("")
            self.view.placeholder = self.tr("Loading doors…")
        elif shown == total:
            # English reads without a .qm, so its singular is its own string; a translation
            # gives "%n doors" the plural forms of its language.
            self.count_label.setText(
                self.tr("1 door") if total == 1 else self.tr("%n doors", "", total)
            )
            self.view.placeholder = ""
        else:
            self.count_label.setText(self.tr("{0} of {1} doors").format(shown, total))
            self.view.placeholder = self.tr("No door matches the search or building filter.")
        self.view.viewport().update()

    # -- look ------------------------------------------------------------------------------

    def _restyle(self) -> None:
        palette = QApplication.palette()
        colors = state_colors(palette)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        self._search_action.setIcon(icons.icon("search", muted))
        self.count_label.setStyleSheet(f"color: {muted.name()};")
        self._hint.setStyleSheet(f"color: {muted.name()};")
        base = palette.color(QPalette.ColorRole.Window)
        self.stale_label.setStyleSheet(
            f"#staleLabel {{ color: {colors.warning.name()};"
            f" background: {colors.tint(colors.warning, base, 0.14).name()};"
            f" border-radius: 6px; padding: 6px 10px; }}"
        )
        header_fill = palette.color(QPalette.ColorRole.Window).name()
        line = palette.color(QPalette.ColorRole.Mid).name()
        self.view.horizontalHeader().setStyleSheet(
            f"QHeaderView::section {{ background: {header_fill}; color: {muted.name()};"
            f" border: none; border-bottom: 1px solid {line}; padding: 7px 10px;"
            " font-weight: 600; }"
        )
        self.search.setMinimumHeight(34)
        self.building.setMinimumHeight(34)


__all__ = [
    "COLUMN_COUNT",
    "COL_BUILDING",
    "COL_LAST_EVENT",
    "COL_NAME",
    "COL_RELEASE",
    "COL_STATE",
    "DOOR_ID_ROLE",
    "PINNED_ROLE",
    "PRIMARY_ROLE",
    "ROW_ROLE",
    "SECONDARY_ROLE",
    "STATE_ROLE",
    "DoorFilterProxy",
    "DoorList",
    "DoorTableModel",
    "DoorTableView",
    "ReleaseButtonDelegate",
    "StateDelegate",
    "TwoLineDelegate",
    "door_id_of",
    "local_time_text",
    "row_of",
]
