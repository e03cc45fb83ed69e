"""The security-desk window: the door list and the live events side by side, the call banner
above them, banners for a sign-out and for unexpected errors, and the status bar.

The window is built in two steps, so that it can be on screen a moment after the launch:
``MainWindow(...)`` is the frame (title, size, menus, "Starting the desk…"), cheap to make and
to paint, and this module imports no more than the frame needs; ``build(store, ...)`` then
builds the desk into it with what the composition root (``bmx_console.desk``) hands it: the
release and tick callables, the token expiry, the event pane and call banner widgets and the
dialog factories. The window imports no network or keyring code. A dialog whose module is not
available is simply a disabled menu entry.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDesktopServices,
    QKeySequence,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bmx_console.ui.desk_layout import DeskFit, LazyTab, Veil, place_first_time
from bmx_console.ui.theme import THEME_MODES, ThemeManager, ThemeMode, state_colors, theme_changed
from bmx_console.ui.window_banner import Banner

__all__ = ["Banner", "DeskDialogs", "LazyTab", "MainWindow", "Veil"]

# The icons (QtSvg) are not imported here: the frame has none, and they load with the desk.
if TYPE_CHECKING:
    from bmx_console.clock import Clock
    from bmx_console.core.health import ConnectionState
    from bmx_console.core.store import Store
    from bmx_console.ui.door_list import DoorList
    from bmx_console.ui.status_bar import StatusBar
    from bmx_console.ui.ticker import ReleaseCountdown

DialogFactory = Callable[[QWidget], QDialog]


@dataclass(frozen=True)
class DeskDialogs:
    """How to make each dialog the menus open; None leaves its menu entry disabled."""

    settings: DialogFactory | None = None
    sign_in: DialogFactory | None = None
    commands: DialogFactory | None = None


class MainWindow(QMainWindow):
    """``closed`` fires once the window has saved its state and closed (the app then quits);
    ``first_painted`` once its first frame is on screen."""

    closed = Signal()
    first_painted = Signal()

    def __init__(
        self,
        *,
        window_settings: QSettings,
        theme: ThemeManager | None = None,
        demo: bool = False,
        log_folder: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._qsettings = window_settings
        self._theme = theme
        self._demo = demo
        self._dialog_factories = DeskDialogs()
        self.built = False
        self.has_painted = False
        self._open_dialogs: dict[str, QDialog] = {}
        # How a folder is shown (tests stand in for a desk without a file manager).
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl
        self.quit_prompt: QMessageBox | None = None
        self._log_folder = log_folder
        self._signed_out_prompted = False
        self._errors: list[tuple[str, str]] = []
        self._action_icons: list[tuple[QAction, str]] = []
        self._tab_icons: list[tuple[QWidget, str]] = []
        self.setWindowTitle(
            self.tr("bmx-console — Security desk") + (self.tr(" (demo)") if demo else "")
        )
        # Small enough for 1280×800 at 200 % (640×400 logical pixels, less the panels).
        self.setMinimumSize(560, 340)
        self.event_pane: QWidget | None = None
        self.call_banner: QWidget | None = None
        self._build_menus()
        self._restore_geometry()
        starting = QLabel(self.tr("Starting the desk…"), self)
        starting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Disabled: drawn in the palette's muted text colour.
        starting.setEnabled(False)
        self.setCentralWidget(starting)
        # The status bar's place, so that the desk does not move when its own replaces it.
        self.statusBar()

    def build(
        self,
        store: Store,
        *,
        clock: Clock,
        release: Callable[[int], Awaitable[object]],
        tick: Callable[[], None],
        token_expiry: Callable[[], datetime | None],
        event_pane: QWidget | None,
        call_banner: QWidget | None,
        dialogs: DeskDialogs,
    ) -> None:
        """Build the desk into the frame, once: door list, banners, the event pane and call
        banner the desk made (``None`` for a part not in this build), tabs, status bar, and
        the menus' dialogs."""
        from bmx_console.ui import icons
        from bmx_console.ui.door_list import DoorList
        from bmx_console.ui.door_offline import OfflineNotice
        from bmx_console.ui.status_bar import StatusBar
        from bmx_console.ui.store_signals import store_signals
        from bmx_console.ui.ticker import ReleaseCountdown

        self.setWindowIcon(icons.app_icon())
        self._store = store
        self._tick_release = tick
        self._dialog_factories = dialogs
        self.event_pane = event_pane
        self.call_banner = call_banner
        self.door_list: DoorList = DoorList(store, release=release, clock=clock, parent=self)

        self.signed_out_banner = Banner(
            "danger",
            "sign_in",
            accessible_name=self.tr("Signed out"),
            dismissable=False,
            parent=self,
        )
        self.sign_in_button = self.signed_out_banner.add_action(
            self.tr("Sign in…"), self.tr("Sign in again")
        )
        self.sign_in_button.clicked.connect(self.open_sign_in)
        self._banner_settings_button = self.signed_out_banner.add_action(
            self.tr("Settings…"), self.tr("Open settings")
        )
        self._banner_settings_button.clicked.connect(self.open_settings)
        self.error_banner = Banner(
            "warning", "warning", accessible_name=self.tr("Error message"), parent=self
        )
        self.error_banner.dismissed.connect(self._errors.clear)
        self.offline_banner = Banner(
            "danger",
            "cloud_off",
            accessible_name=self.tr("Offline"),
            dismissable=False,
            parent=self,
        )
        early_errors, self._errors = self._errors, []

        self.events_stale_label = QLabel(self)
        self.events_stale_label.setObjectName("eventsStale")
        self.events_stale_label.setWordWrap(True)
        self.events_stale_label.hide()
        events_box = QWidget(self)
        events_layout = QVBoxLayout(events_box)
        events_layout.setContentsMargins(0, 0, 0, 0)
        events_layout.setSpacing(6)
        events_layout.addWidget(self.events_stale_label)
        if event_pane is not None:
            events_layout.addWidget(event_pane, 1)
        else:
            missing = QLabel(self.tr("The live events pane is not part of this build."), self)
            missing.setAlignment(Qt.AlignmentFlag.AlignCenter)
            events_layout.addWidget(missing, 1)
        self._events_veil = Veil(event_pane) if event_pane is not None else None

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(6)
        self.splitter.addWidget(self.door_list)
        self.splitter.addWidget(events_box)
        # The doors first: on a short screen they keep most of the height (or width).
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([650, 250])
        self._fit = DeskFit(
            self, self.splitter, self.door_list, event_pane or events_box, call_banner
        )

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(14, 10, 14, 4)
        layout.setSpacing(8)
        layout.addWidget(self.signed_out_banner)
        layout.addWidget(self.offline_banner)
        layout.addWidget(self.error_banner)
        if call_banner is not None:
            layout.addWidget(call_banner)
        # The desk itself is the first tab; the tab bar appears once another tab is added.
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.setTabBarAutoHide(True)
        self.tabs.setAccessibleName(self.tr("Desk sections"))
        self.tabs.addTab(self.splitter, self.tr("Doors && events"))
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.status: StatusBar = StatusBar(
            store, clock=clock, token_expiry=token_expiry, parent=self
        )
        self.status.set_demo(self._demo)
        self.status.stale_changed.connect(self._stale_changed)
        self.setStatusBar(self.status)
        # What a key released, or why it did not: the door named, whether its row shows.
        self.door_list.said.connect(lambda text: self.status.showMessage(text, 12_000))
        self.offline = OfflineNotice(
            store,
            show=self.offline_banner.show_message,
            hide=self.offline_banner.hide,
            set_rows=self.door_list.set_offline,
            parent=self,
        )

        for item, available in (
            (self.find_event_action, event_pane is not None),
            (self.filters_action, True),
            (self.layout_action, True),
            (self.settings_action, dialogs.settings is not None),
            (self._banner_settings_button, dialogs.settings is not None),
            (self.sign_in_action, dialogs.sign_in is not None),
            (self.sign_in_button, dialogs.sign_in is not None),
            (self.commands_action, dialogs.commands is not None),
        ):
            item.setEnabled(available)
        self.built = True
        self._restyle()
        theme_changed().connect(self._restyle)
        self._restore_desk()

        self._countdown: ReleaseCountdown = ReleaseCountdown(store, self._tick, owner=self)
        for sentence, details in early_errors:
            self.report_error(sentence, details)
        signals = store_signals(store)
        signals.connection_changed.connect(self.connection_changed)
        signals.health_changed.connect(self.health_changed)
        if store.connection == "signed_out":
            self.connection_changed("signed_out")

    # -- menus -----------------------------------------------------------------------------

    def _build_menus(self) -> None:
        """The menus, without their icons (``_restyle`` draws those once the desk is built);
        ``build`` enables what the frame cannot do yet."""

        def action(
            menu_name: str,
            label: str,
            slot: Callable[[], object],
            icon_name: str | None = None,
            shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
            enabled: bool = True,
        ) -> QAction:
            menu = self._menus[menu_name]
            item = menu.addAction(label)
            item.triggered.connect(slot)
            if icon_name:
                self._action_icons.append((item, icon_name))
            if shortcut is not None:
                item.setShortcut(QKeySequence(shortcut))
            item.setEnabled(enabled)
            return item

        bar = self.menuBar()
        self._menus = {
            "file": bar.addMenu(self.tr("&File")),
            "view": bar.addMenu(self.tr("&View")),
            "tools": bar.addMenu(self.tr("&Tools")),
            "help": bar.addMenu(self.tr("&Help")),
        }
        # Every entry has a shortcut (Help → Keyboard shortcuts lists them from here). No
        # plain F-keys: F1–F12 release the doors on the first rows.
        self.settings_action = action(
            "file", self.tr("&Settings…"), self.open_settings, "settings", "Ctrl+,", False
        )
        self.sign_in_action = action(
            "file", self.tr("Sign &in…"), self.open_sign_in, "sign_in", "Ctrl+Shift+I", False
        )
        self._menus["file"].addSeparator()
        self.quit_action = action("file", self.tr("&Quit"), self.ask_to_quit, "quit", "Ctrl+Q")

        self.find_door_action = action("view", self.tr("Find a &door"), self.find_door)
        self.find_door_action.setShortcut(QKeySequence("Ctrl+F"))
        self.find_event_action = action("view", self.tr("Find an &event"), self.find_event)
        self.find_event_action.setShortcut(QKeySequence("Ctrl+Shift+F"))
        self._menus["view"].addSeparator()
        self.filters_action = action(
            "view",
            self.tr("Show door &search and building filter"),
            self._filters_toggled,
            shortcut="Ctrl+Shift+B",
            enabled=False,
        )
        self.filters_action.setCheckable(True)
        self.filters_action.setChecked(True)
        self.layout_action = action(
            "view",
            self.tr("Events &beside the doors"),
            self._layout_toggled,
            shortcut="Ctrl+Shift+L",
            enabled=False,
        )
        self.layout_action.setCheckable(True)
        theme_menu = self._menus["view"].addMenu(self.tr("&Theme"))
        self._theme_menu = theme_menu
        self.theme_actions: dict[ThemeMode, QAction] = {}
        group = QActionGroup(self)
        labels = {
            "system": self.tr("Follow the &system"),
            "light": self.tr("&Light"),
            "dark": self.tr("&Dark"),
        }
        theme_keys = {"system": "Ctrl+Alt+S", "light": "Ctrl+Alt+L", "dark": "Ctrl+Alt+D"}
        for mode in THEME_MODES:
            item = theme_menu.addAction(labels[mode])
            item.setShortcut(QKeySequence(theme_keys[mode]))
            item.setCheckable(True)
            item.setActionGroup(group)
            item.triggered.connect(lambda _checked=False, m=mode: self.set_theme(m))
            self.theme_actions[mode] = item
        current = self._theme.mode if self._theme else "system"
        self.theme_actions[current].setChecked(True)
        theme_menu.setEnabled(self._theme is not None)

        self.commands_action = action(
            "tools", self.tr("&Commands…"), self.open_commands, "terminal", "Ctrl+K", False
        )
        self.guide_action = action("help", self.tr("&User guide"), self.open_guide, "about")
        self.guide_action.setShortcut(QKeySequence("Ctrl+F1"))
        self.shortcuts_action = action("help", self.tr("&Keyboard shortcuts"), self.open_shortcuts)
        self.shortcuts_action.setShortcut(QKeySequence("Ctrl+/"))
        self._menus["help"].addSeparator()
        self.log_action = action(
            "help",
            self.tr("Open &log folder"),
            self.open_log_folder,
            "folder",
            "Ctrl+Shift+O",
            self._log_folder is not None,
        )
        self.about_action = action("help", self.tr("&About bmx-console"), self.about, "about")
        self.about_action.setShortcut(QKeySequence("Ctrl+Shift+A"))

    def menu(self, name: str) -> QMenu:
        """The "file", "view", "tools" or "help" menu, for parts that add their own entries."""
        return self._menus[name]

    def add_lazy_tab(
        self, make: Callable[[], QWidget], title: str, icon_name: str | None = None
    ) -> int:
        """A section whose content is made the first time the operator opens it: most shifts
        never open the passes or the audit log, and the console starts faster and smaller
        without them."""
        return self.add_tab(LazyTab(make, self), title, icon_name)

    def open_tab(self, title: str) -> QWidget | None:
        """Show the section titled ``title`` (as a click on its tab does) and return its
        content, made now if it had not been yet."""
        for index in range(self.tabs.count()):
            if self.tabs.tabText(index) == title:
                widget = self.tabs.widget(index)
                self.tabs.setCurrentIndex(index)
                return widget.content() if isinstance(widget, LazyTab) else widget
        return None

    def add_tab(self, widget: QWidget, title: str, icon_name: str | None = None) -> int:
        """Add a section beside the desk (audit log, passes); returns its tab index."""
        from bmx_console.ui import icons

        text = QApplication.palette().color(QPalette.ColorRole.WindowText)
        if icon_name:
            self._tab_icons.append((widget, icon_name))
            return self.tabs.addTab(widget, icons.icon(icon_name, text), title)
        return self.tabs.addTab(widget, title)

    # -- dialogs ---------------------------------------------------------------------------

    def _open(self, name: str, factory: DialogFactory | None) -> QDialog | None:
        if factory is None:
            return None
        current = self._open_dialogs.get(name)
        if current is not None and current.isVisible():
            current.raise_()
            current.activateWindow()
            return current
        dialog = factory(self)
        self._open_dialogs[name] = dialog
        dialog.finished.connect(lambda _result, n=name, d=dialog: self._dialog_finished(n, d))
        dialog.open()
        return dialog

    def _dialog_finished(self, name: str, dialog: QDialog) -> None:
        if self._open_dialogs.get(name) is dialog:
            del self._open_dialogs[name]
        dialog.deleteLater()

    def open_dialog(self, name: str) -> QDialog | None:
        """The dialog of that name if it is open (tests and the app look at it)."""
        dialog = self._open_dialogs.get(name)
        return dialog if dialog is not None and dialog.isVisible() else None

    def open_settings(self) -> QDialog | None:
        return self._open("settings", self._dialog_factories.settings)

    def open_sign_in(self) -> QDialog | None:
        return self._open("sign_in", self._dialog_factories.sign_in)

    def open_commands(self) -> QDialog | None:
        return self._open("commands", self._dialog_factories.commands)

    def about(self) -> None:
        box = QMessageBox(self)
        from bmx_console.ui import icons

        box.setIconPixmap(icons.app_icon().pixmap(64, 64))
        box.setWindowTitle(self.tr("About bmx-console"))
        from bmx_console import __version__

        box.setText(self.tr("bmx-console {0}").format(__version__))
        box.setInformativeText(
            self.tr(
                "A desk console for the ButterflyMX cloud video intercom: doors, releases, "
                "access events and panel calls."
            )
        )
        box.setStandardButtons(QMessageBox.StandardButton.Close)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def open_log_folder(self) -> QDialog | None:
        """The file manager on the log folder; when none answers, the path with Copy."""
        folder = self._log_folder
        if folder is None:
            return None
        folder.mkdir(parents=True, exist_ok=True)
        if self.open_url(QUrl.fromLocalFile(str(folder))):
            return None
        from bmx_console.ui.help_dialogs import LogFolderDialog

        return self._open("log_folder", lambda parent: LogFolderDialog(folder, parent))

    def open_guide(self) -> QDialog | None:
        from bmx_console.ui.help_dialogs import UserGuideDialog

        return self._open("guide", UserGuideDialog)

    def open_shortcuts(self) -> QDialog | None:
        from bmx_console.ui.help_dialogs import ShortcutsDialog

        return self._open("shortcuts", lambda p: ShortcutsDialog.of(self, self._menus.values(), p))

    # -- keyboard --------------------------------------------------------------------------

    def find_door(self) -> None:
        from bmx_console.ui.help_dialogs import focus_search

        if self.built:
            self.tabs.setCurrentIndex(0)
            if not self.filters_action.isChecked():
                self.filters_action.setChecked(True)
                self._filters_toggled()
            focus_search(self.door_list.search)

    def find_event(self) -> None:
        from bmx_console.ui.help_dialogs import focus_search

        if self.built:
            self.tabs.setCurrentIndex(0)
            focus_search(getattr(self.event_pane, "search", None))

    def ask_to_quit(self) -> QMessageBox | None:
        """File → Quit (Ctrl+Q): a live desk asks first, as a slip of the hand must not leave
        the doors without a desk; the starting frame just closes."""
        from bmx_console.ui.help_dialogs import quit_prompt

        if not self.built:
            self.close()
            return None
        self.quit_prompt = quit_prompt(self, self.close)
        return self.quit_prompt

    # -- view ------------------------------------------------------------------------------

    def set_theme(self, mode: ThemeMode) -> None:
        if self._theme is None:
            return
        self._theme.apply(mode)
        self.theme_actions[mode].setChecked(True)
        self._qsettings.setValue("view/theme", mode)

    def _filters_toggled(self) -> None:
        self.door_list.set_filters_visible(self.filters_action.isChecked())

    def _layout_toggled(self) -> None:
        # Below by default: both tables then get the full width. Beside only where the
        # window holds both (see DeskFit).
        self._fit.set_beside(self.layout_action.isChecked())

    # -- store notifications ---------------------------------------------------------------

    def connection_changed(self, state: ConnectionState) -> None:
        if state == "signed_out":
            self.show_signed_out()
        else:
            self._signed_out_prompted = False
            self.signed_out_banner.hide()

    def health_changed(self) -> None:
        if self.signed_out_banner.isVisible():
            self._signed_out_detail()

    def _signed_out_detail(self, reason: str | None = None) -> None:
        detail = reason or next(
            (h.last_error for h in self._store.healths() if h.error_kind == "auth"), ""
        )
        self.signed_out_banner.show_message(
            self.tr("Signed out — sign in again"),
            detail
            or self.tr(
                "ButterflyMX no longer accepts this desk's sign-in. Updates are paused until "
                "you sign in again."
            ),
        )

    def show_signed_out(self, reason: str | None = None) -> None:
        """Show the banner and, once per sign-out, open the sign-in dialog."""
        self._signed_out_detail(reason)
        if not self._signed_out_prompted:
            self._signed_out_prompted = True
            self.open_sign_in()

    def hide_signed_out(self) -> None:
        self._signed_out_prompted = False
        if self._store.connection != "signed_out":
            self.signed_out_banner.hide()

    # -- errors ----------------------------------------------------------------------------

    def report_error(self, sentence: str, details: str = "") -> None:
        """Show an unexpected error without stopping anything; the newest is on top. One
        that comes while the window is still a frame shows once the desk is built. The
        ``details`` (HTTP status, endpoint) sit behind the banner's Details toggle."""
        self._errors.append((sentence, details))
        if not self.built:
            return
        more = len(self._errors) - 1
        title = self.tr("Something went wrong")
        if more:
            title += self.tr(" (and {0} earlier)").format(more)
        self.error_banner.show_message(title, sentence, details)

    # -- staleness -------------------------------------------------------------------------

    def _stale_changed(self, name: str, since: datetime | None) -> None:
        if name == "doors":
            self.door_list.set_stale(since)
        elif name == "events":
            self._set_events_stale(since)

    def _set_events_stale(self, since: datetime | None) -> None:
        if since is None:
            self.events_stale_label.hide()
            if self._events_veil is not None:
                self._events_veil.hide()
            return
        from bmx_console.ui.status_bar import clock_text

        self.events_stale_label.setText(
            self.tr("Events may be out of date — stale since {0}.").format(clock_text(since))
        )
        self.events_stale_label.show()
        if self._events_veil is not None:
            self._events_veil.show_over()

    @property
    def events_stale_text(self) -> str:
        return self.events_stale_label.text() if self.events_stale_label.isVisible() else ""

    # -- timers ----------------------------------------------------------------------------

    def _tick(self) -> None:
        """Every second while a released door counts down (the shared tick)."""
        self._tick_release()
        self.door_list.model.refresh_countdowns()

    # -- saved state -----------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        # Every read has a default: PySide6 6.12 mishandles the None of a missing key.
        geometry = self._qsettings.value("window/geometry", QByteArray())
        restored = (
            isinstance(geometry, QByteArray | bytes)
            and bool(geometry)
            and self.restoreGeometry(geometry)
        )
        screen = (self.screen() or QApplication.primaryScreen()).availableGeometry()
        if not restored:
            place_first_time(self, screen)
        elif not screen.contains(self.frameGeometry()):
            # Saved on a larger screen, or at another scaling: back onto this one.
            self.resize(min(self.width(), screen.width()), min(self.height(), screen.height()))
            self.move(
                max(screen.left(), min(self.x(), screen.right() - self.width())),
                max(screen.top(), min(self.y(), screen.bottom() - self.height())),
            )

    def _restore_desk(self) -> None:
        settings = self._qsettings
        beside = settings.value("window/events_beside", "false") in (True, "true")
        self.layout_action.setChecked(beside)
        self._layout_toggled()
        splitter = settings.value("window/splitter", QByteArray())
        if (
            isinstance(splitter, QByteArray | bytes)
            and splitter
            and self.splitter.restoreState(splitter)
        ):
            self._fit.restored()
        doors = _json(settings.value("doors/state", ""))
        if doors:
            self.door_list.restore_state(doors)
        self.filters_action.setChecked(doors.get("filters_visible", True) is not False)
        events = _json(settings.value("events/state", ""))
        if events and _is_stateful(self.event_pane):
            self.event_pane.restore_state(events)  # type: ignore[union-attr]

    def save_state(self) -> None:
        settings = self._qsettings
        settings.setValue("window/geometry", self.saveGeometry())
        if not self.built:
            settings.sync()
            return
        settings.setValue("window/splitter", self.splitter.saveState())
        settings.setValue("window/events_beside", self.layout_action.isChecked())
        settings.setValue("doors/state", json.dumps(self.door_list.save_state()))
        if _is_stateful(self.event_pane):
            state = self.event_pane.save_state()  # type: ignore[union-attr]
            settings.setValue("events/state", json.dumps(state, default=_json_default))
        settings.sync()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self.has_painted:
            self.has_painted = True
            # The children paint after this and the frame is flushed: the next turn of the
            # event loop sees it on screen.
            QTimer.singleShot(0, self.first_painted.emit)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.built:
            self._countdown.tick.stop()
        self.save_state()
        for dialog in list(self._open_dialogs.values()):
            dialog.close()
        super().closeEvent(event)
        if event.isAccepted():
            self.closed.emit()

    # -- look ------------------------------------------------------------------------------

    def _restyle(self) -> None:
        colors = state_colors(QApplication.palette())
        window = QApplication.palette().color(QPalette.ColorRole.Window)
        text = QApplication.palette().color(QPalette.ColorRole.WindowText)
        disabled = QApplication.palette().color(
            QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
        )
        from bmx_console.ui import icons

        for item, icon_name in self._action_icons:
            item.setIcon(icons.icon(icon_name, text, disabled))
        for tab, icon_name in self._tab_icons:
            self.tabs.setTabIcon(self.tabs.indexOf(tab), icons.icon(icon_name, text))
        self._theme_menu.setIcon(icons.icon("theme", text))
        self.events_stale_label.setStyleSheet(
            f"#eventsStale {{ color: {colors.warning.name()};"
            f" background: {colors.tint(colors.warning, window, 0.14).name()};"
            " border-radius: 6px; padding: 6px 10px; }"
        )


def _is_stateful(widget: object) -> bool:
    return callable(getattr(widget, "save_state", None)) and callable(
        getattr(widget, "restore_state", None)
    )


def _json(value: object) -> dict[str, Any]:
    if not isinstance(value, str) or not value:
        return {}
    try:
        loaded = json.loads(value)
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _json_default(value: object) -> object:
    if isinstance(value, set | frozenset | tuple):
        return sorted(value, key=str)
    return str(value)
