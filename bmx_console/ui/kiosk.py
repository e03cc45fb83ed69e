"""The lobby kiosk: a full-screen window with a few big door buttons and nothing else.

A kiosk stands in a public place, so the window defends itself: it is frameless, full
screen and on top of the chosen screen (and goes back there when screens come and go), it
refuses every close request (Alt+F4, Esc, Ctrl+W, Ctrl+Q, the window manager's close) until
staff enter the PIN, and when nobody has touched it for ``idle_timeout_s`` it closes whatever
is open (the PIN prompt included) and shows the doors again. While the cloud cannot be
reached the buttons are disabled with the reason, and come back by themselves.

The window reads the ``Store`` and asks the ``ReleaseService`` to open doors; it never talks
to the network itself. Time (holds, countdowns, the idle timer, the hidden gesture) comes
from the injected clock, so tests drive it with ``FakeClock``.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

import shiboken6
from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QScreen,
    QWindow,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from bmx_console.api.models import AccessEvent
from bmx_console.clock import Clock, SystemClock
from bmx_console.config import KioskSettings
from bmx_console.core.pin import PinLockout
from bmx_console.core.store import Store
from bmx_console.ui.icons import app_icon, paint_icon
from bmx_console.ui.kiosk_pin import StaffPanel
from bmx_console.ui.kiosk_tile import DoorTile, local_time_text
from bmx_console.ui.plain_text import rich
from bmx_console.ui.qt_async import spawn
from bmx_console.ui.store_signals import store_signals
from bmx_console.ui.theme import state_colors

logger = logging.getLogger(__name__)

HEARTBEAT_MS = 200
GESTURE_S = 3.0
CORNER_PX = 96
DEMO_DOORS = 4
# The demo shows doors a lobby kiosk would: entrances, not gates or amenity rooms.
DEMO_DOOR_WORDS = ("lobby", "main entrance", "package")
NOT_SET_UP_HELP = (
    "The kiosk has no doors set up: list up to 8 door ids (see `bmx-console doors`) as "
    "doors = [...] under [kiosk] in {config}, then start the kiosk again."
)
RECENT_EVENTS = 6

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.KeyPress,
        QEvent.Type.Wheel,
    }
)


class Releaser(Protocol):
    """What the kiosk needs from ``ReleaseService``."""

    async def release(self, door_id: int) -> object: ...

    def tick(self) -> None: ...


def is_close_key(event: QKeyEvent) -> bool:
    """Keys that close or quit a window elsewhere, and must do nothing here."""
    key = event.key()
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    ctrl = mods == Qt.KeyboardModifier.ControlModifier
    if key == Qt.Key.Key_Escape:
        return True
    if ctrl and key in (Qt.Key.Key_W, Qt.Key.Key_Q, Qt.Key.Key_F4):
        return True
    if key == Qt.Key.Key_F4 and mods & Qt.KeyboardModifier.AltModifier:
        return True
    return event.matches(QKeySequence.StandardKey.Close) or event.matches(
        QKeySequence.StandardKey.Quit
    )


def is_staff_shortcut(event: QKeyEvent) -> bool:
    """Ctrl+Alt+Shift+K: the keyboard way to the PIN prompt."""
    wanted = (
        Qt.KeyboardModifier.ControlModifier
        | Qt.KeyboardModifier.AltModifier
        | Qt.KeyboardModifier.ShiftModifier
    )
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return event.key() == Qt.Key.Key_K and mods == wanted


class _Guard(QObject):
    """Application-wide event filter: notes any activity for the idle timer; in the kiosk
    window, wherever the focus is, swallows close keys and opens the PIN prompt on the staff
    shortcut. Dialogs over the kiosk keep their own keys (Esc only brings the doors back)."""

    def __init__(self, kiosk: KioskWindow) -> None:
        super().__init__(kiosk)
        self._kiosk = kiosk

    def _in_kiosk(self, watched: QObject) -> bool:
        if isinstance(watched, QWidget):
            return watched.window() is self._kiosk
        if isinstance(watched, QWindow):
            return watched is self._kiosk.windowHandle()
        return False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Events reach an application filter even while Qt builds or tears its owner down.
        kiosk = getattr(self, "_kiosk", None)
        if kiosk is None or not shiboken6.isValid(kiosk) or not kiosk.guarding:
            return False
        kind = event.type()
        if kind in _INPUT_EVENTS:
            kiosk.note_input()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return False
        if not self._in_kiosk(watched):
            return False
        assert isinstance(event, QKeyEvent)
        if is_staff_shortcut(event):
            if kind == QEvent.Type.KeyPress:
                kiosk.open_staff_prompt()
            event.accept()
            return True
        if is_close_key(event):
            if kind == QEvent.Type.KeyPress:
                kiosk.refused_key(event)
            event.accept()
            return True
        return False


class _Corner(QWidget):
    """The invisible top-left corner: held for three seconds, it opens the PIN prompt."""

    def __init__(self, kiosk: KioskWindow) -> None:
        super().__init__(kiosk)
        self._kiosk = kiosk
        self.pressed_at: float | None = None
        self.setFixedSize(CORNER_PX, CORNER_PX)
        self.setAccessibleName(self.tr("Staff access: hold for three seconds"))
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.pressed_at = self._kiosk.clock.monotonic()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self.pressed_at = None

    def held_long_enough(self) -> bool:
        if self.pressed_at is None:
            return False
        if self._kiosk.clock.monotonic() - self.pressed_at >= GESTURE_S:
            self.pressed_at = None
            return True
        return False


class _Banner(QFrame):
    """The offline notice above the doors."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("kioskBanner")
        self.text = QLabel()
        self.text.setObjectName("kioskBannerText")
        self.text.setWordWrap(True)
        self.advice = QLabel()
        self.advice.setObjectName("kioskBannerAdvice")
        self.advice.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(80, 16, 28, 16)
        layout.setSpacing(4)
        layout.addWidget(self.text)
        layout.addWidget(self.advice)
        self.hide()

    def paintEvent(self, event: QPaintEvent) -> None:
        colors = state_colors(self.palette())
        base = self.palette().color(QPalette.ColorRole.Window)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(colors.warning)
        painter.setBrush(colors.tint(colors.warning, base, 0.16))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 16, 16)
        side = 32.0
        paint_icon(
            painter,
            "cloud_off",
            QRectF(26, (self.height() - side) / 2, side, side),
            colors.warning,
            self.devicePixelRatioF(),
        )
        painter.end()


class KioskWindow(QWidget):
    """The pinned lobby kiosk. Show it with ``show_pinned()``; staff leave it through the
    PIN prompt, after which ``exited`` is emitted and the window closes."""

    exited = Signal()
    settings_requested = Signal()
    ticked = Signal()

    def __init__(
        self,
        store: Store,
        releases: Releaser,
        settings: KioskSettings,
        *,
        clock: Clock | None = None,
        pin_hash: Callable[[], str],
        demo: bool = False,
        config_path: str = "config.toml",
        can_open_settings: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.clock: Clock = clock or SystemClock()
        self._store = store
        self._releases = releases
        self._settings = settings
        self._demo = demo
        self._can_open_settings = can_open_settings
        self._pin_hash = pin_hash
        self._config_path = config_path
        self._told_not_set_up = False
        self._exit_allowed = False
        self._last_input = self.clock.monotonic()
        self._idle_reset_done = True
        self._offline_reason: str | None = None
        self._tiles: dict[int, DoorTile] = {}
        self._dirty: set[int] = set()
        self._minute = ""
        self.lockout = PinLockout(self.clock)

        self.setWindowTitle(self.tr("bmx-console kiosk"))
        self.setObjectName("kiosk")
        self.setAccessibleName(self.tr("Lobby kiosk"))
        self.setWindowIcon(app_icon())
        self.setWindowFlags(
            Qt.WindowType.Window
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint
        )
        self.setAutoFillBackground(True)
        self._build()

        self._guard = _Guard(self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._guard)
        self._redraw = QTimer(self)
        self._redraw.setSingleShot(True)
        self._redraw.setInterval(30)
        self._redraw.timeout.connect(self._flush_dirty)
        self._heartbeat = QTimer(self)
        self._heartbeat.setInterval(HEARTBEAT_MS)
        self._heartbeat.timeout.connect(self._beat)
        self._heartbeat.start()
        gui = QGuiApplication.instance()
        if isinstance(gui, QGuiApplication):
            gui.screenAdded.connect(self._screens_changed)
            gui.screenRemoved.connect(self._screens_changed)
            gui.primaryScreenChanged.connect(self._screens_changed)

        signals = store_signals(store)
        self._store_connections = [
            signals.doors_reset.connect(self.doors_reset),
            signals.roster_changed.connect(self.roster_changed),
            signals.doors_changed.connect(self.doors_changed),
            signals.events_added.connect(self.events_added),
            signals.health_changed.connect(self.health_changed),
            signals.connection_changed.connect(self.connection_changed),
        ]
        self.doors_reset()
        self._update_offline()
        self.recent_events_refresh()
        self._show_time()

    # -- building --------------------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(48, 28, 48, 28)
        root.setSpacing(22)

        header = QHBoxLayout()
        header.setSpacing(16)
        self.place = QLabel()
        self.place.setObjectName("kioskPlace")
        self.clock_label = QLabel()
        self.clock_label.setObjectName("kioskClock")
        self.clock_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        header.addWidget(self.place, 1)
        header.addWidget(self.clock_label)
        root.addLayout(header)

        self.banner = _Banner(self)
        root.addWidget(self.banner)

        body = QHBoxLayout()
        body.setSpacing(28)
        self._grid_host = QWidget()
        self._grid = QGridLayout(self._grid_host)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(24)
        body.addWidget(self._grid_host, 3)
        # The console's own markup; the names it lists are escaped (the kiosk's _escape).
        self.recent = rich(QLabel())
        self.recent.setObjectName("kioskRecent")
        self.recent.setWordWrap(True)
        self.recent.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.recent.setMinimumWidth(260)
        self.recent.setMaximumWidth(520)
        self.recent.setVisible(self._settings.show_events)
        body.addWidget(self.recent, 1)
        root.addLayout(body, 1)

        self.empty = QLabel()
        self.empty.setObjectName("kioskEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        self._grid.addWidget(self.empty, 0, 0)

        self.hint = QLabel(
            self.tr("Press and hold a door until the ring is full")
            if self._settings.hold_ms > 0
            else self.tr("Tap a door to open it")
        )
        self.hint.setObjectName("kioskHint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        root.addWidget(self.hint)

        self.staff = StaffPanel(
            pin_hash=self._pin_hash,
            lockout=self.lockout,
            can_open_settings=self._can_open_settings,
            parent=self,
        )
        self.staff.exit_requested.connect(self.exit_kiosk)
        self.staff.settings_requested.connect(self.settings_requested)
        self.corner = _Corner(self)
        self.corner.move(0, 0)
        self.corner.raise_()
        self._apply_style()

    def _apply_style(self) -> None:
        self.setStyleSheet(
            """
            QLabel#kioskPlace { font-size: 26px; font-weight: 600; }
            QLabel#kioskClock { font-size: 30px; font-weight: 600; }
            QLabel#kioskBannerText { font-size: 22px; font-weight: 600; }
            QLabel#kioskBannerAdvice { font-size: 17px; }
            QLabel#kioskHint { font-size: 20px; color: palette(placeholder-text); }
            QLabel#kioskEmpty { font-size: 24px; color: palette(placeholder-text); }
            QLabel#kioskRecent { font-size: 19px; background: palette(base);
                                 border: 1px solid palette(mid); border-radius: 20px;
                                 padding: 22px; }
            """
        )

    # -- doors -----------------------------------------------------------------------------

    def door_ids(self) -> list[int]:
        """The doors on screen: the configured ones, or in the demo the first building's
        entrance-like doors (its lobby, main entrance, package room)."""
        if self._settings.doors:
            return list(self._settings.doors)[:8]
        if not self._demo:
            return []
        # The first building as the cloud lists it: the one the demo releases doors in.
        first = next(iter(self._store.buildings), None)
        if first is None:
            return []
        rows = [row for row in self._store.doors if row.building_id == first]
        chosen = [row.id for word in DEMO_DOOR_WORDS for row in rows if word in row.name.casefold()]
        return list(dict.fromkeys(chosen))[:DEMO_DOORS]

    @property
    def tiles(self) -> Sequence[DoorTile]:
        return list(self._tiles.values())

    def tile(self, door_id: int) -> DoorTile:
        return self._tiles[door_id]

    def _rebuild_tiles(self, ids: list[int]) -> None:
        for tile in self._tiles.values():
            self._grid.removeWidget(tile)
            tile.deleteLater()
        self._tiles = {}
        columns = {1: 1, 2: 2, 3: 3, 4: 2, 5: 3, 6: 3}.get(len(ids), 4)
        for index, door_id in enumerate(ids):
            tile = DoorTile(
                door_id, hold_ms=self._settings.hold_ms, clock=self.clock, parent=self._grid_host
            )
            tile.release_requested.connect(self.release)
            self._grid.addWidget(tile, index // columns, index % columns)
            self._tiles[door_id] = tile
        self.empty.setVisible(not ids)
        self.hint.setVisible(bool(ids))
        if not ids:
            # A public screen: the visitor learns only whom to ask; staff read the how-to in
            # the log and on the command line.
            self.empty.setText(
                self.tr("This kiosk is not set up yet — please ask the front desk")
                if not self._demo
                else self.tr("Loading the doors…")
            )
            if not self._demo:
                self._tell_staff_not_set_up()
        self.corner.raise_()
        self.staff.raise_()

    def _tell_staff_not_set_up(self) -> None:
        if self._told_not_set_up:
            return
        self._told_not_set_up = True
        help_text = NOT_SET_UP_HELP.format(config=self._config_path)
        logger.warning(help_text)
        print(f"bmx-console: {help_text}", file=sys.stderr)

    def _refresh_tiles(self, door_ids: set[int] | None = None) -> None:
        roster_known = self._store.door_count() > 0
        for door_id, tile in self._tiles.items():
            if door_ids is not None and door_id not in door_ids:
                continue
            row = self._store.door(door_id)
            tile.set_row(row, missing=roster_known)
        names = []
        for door_id in self._tiles:
            row = self._store.door(door_id)
            if row is not None and row.building_name and row.building_name not in names:
                names.append(row.building_name)
        self.place.setText(" · ".join(names))
        for tile in self._tiles.values():
            tile.show_building = len(names) > 1

    # -- store notifications ---------------------------------------------------------------

    def doors_reset(self) -> None:
        ids = self.door_ids()
        if ids != list(self._tiles) or not ids:
            self._rebuild_tiles(ids)
        self._refresh_tiles()
        self._apply_enabled()

    def roster_changed(self) -> None:
        self.doors_reset()

    def doors_changed(self, indexes: list[int]) -> None:
        for index in indexes:
            if 0 <= index < self._store.door_count():
                door_id = self._store.door_at(index).id
                if door_id in self._tiles:
                    self._dirty.add(door_id)
        if self._dirty and not self._redraw.isActive():
            self._redraw.start()

    def _flush_dirty(self) -> None:
        dirty, self._dirty = self._dirty, set()
        self._refresh_tiles(dirty)

    def events_added(self, events: list[AccessEvent]) -> None:
        if self._settings.show_events and any(e.door_id in self._tiles for e in events):
            self.recent_events_refresh()

    def health_changed(self) -> None:
        self._update_offline()

    def connection_changed(self, state: str) -> None:
        self._update_offline()

    def recent_events_refresh(self) -> None:
        """The last few events at these doors, without people's names (a public screen)."""
        if not self._settings.show_events:
            return
        shown: list[str] = []
        for event in self._store.events_newest_first(500):
            if event.door_id not in self._tiles:
                continue
            row = self._store.door(event.door_id)
            name = row.name if row else self.tr("Door {id}").format(id=event.door_id)
            when = local_time_text(event.logged_at, row.time_zone if row else None)
            shown.append(
                f"<b>{when}</b>&nbsp;&nbsp;{_escape(name)}<br><span>{_escape(event.what)}</span>"
            )
            if len(shown) >= RECENT_EVENTS:
                break
        title = self.tr("Recent activity")
        body = "<br><br>".join(shown) or self.tr("No recent activity at these doors.")
        self.recent.setText(f"<p style='font-size:24px'><b>{title}</b></p>{body}")

    def time_zone(self) -> str | None:
        """The lobby's own time zone: the first shown door's building's."""
        return next((t.row.time_zone for t in self._tiles.values() if t.row is not None), None)

    # -- offline ---------------------------------------------------------------------------

    def offline_reason(self) -> str | None:
        """Why doors cannot be opened right now, or None when they can.

        Offline means every poller's latest attempt failed (or the store says disconnected
        or signed out): one poller still getting through means releases may well work.
        """
        healths = self._store.healths()
        failing = [h for h in healths if h.failing]
        state = self._store.connection
        if not failing:
            return None
        if state not in ("disconnected", "signed_out") and len(failing) < len(healths):
            return None
        moments = [h.stale_since for h in failing if h.stale_since is not None]
        since: datetime | None = max(moments) if moments else None
        zone = next((t.row.time_zone for t in self._tiles.values() if t.row is not None), None)
        when = local_time_text(since, zone) if since else ""
        if state == "signed_out":
            return self.tr("Signed out of ButterflyMX since {when}").format(when=when)
        return self.tr("Cloud unreachable since {when}").format(when=when)

    def offline_advice(self) -> str:
        if self._store.connection == "signed_out":
            return self.tr(
                "Doors cannot be opened here until staff sign in again at the desk. "
                "Please use the intercom panel."
            )
        return self.tr(
            "Doors cannot be opened here right now; this screen recovers by itself. "
            "Please use the intercom panel."
        )

    @property
    def offline(self) -> bool:
        return self._offline_reason is not None

    def _update_offline(self) -> None:
        reason = self.offline_reason()
        if reason == self._offline_reason:
            return
        if reason and not self._offline_reason:
            logger.warning("Kiosk doors disabled: %s", reason)
        elif not reason:
            logger.info("Kiosk doors enabled again: the cloud answers.")
        self._offline_reason = reason
        self.banner.text.setText(reason or "")
        self.banner.advice.setText(self.offline_advice() if reason else "")
        self.banner.setVisible(reason is not None)
        self._apply_enabled()

    def _apply_enabled(self) -> None:
        for tile in self._tiles.values():
            tile.setEnabled(self._offline_reason is None and tile.row is not None)

    # -- releasing -------------------------------------------------------------------------

    def release(self, door_id: int) -> None:
        tile = self._tiles.get(door_id)
        if tile is None or self.offline or tile.row is None:
            return
        logger.info("Kiosk release requested for door %s.", door_id)
        spawn(
            self._releases.release(door_id),
            name=self.tr("Opening {door}").format(door=tile.name()),
            foreground=True,
        )

    # -- staff access, idle reset ----------------------------------------------------------

    @property
    def guarding(self) -> bool:
        return not self._exit_allowed

    def note_input(self) -> None:
        self._last_input = self.clock.monotonic()
        self._idle_reset_done = False

    def refused_key(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.staff.isVisible():
            self.staff.close_panel()
            return
        logger.info(
            "Kiosk ignored a close key (%s).", QKeySequence(event.keyCombination()).toString()
        )

    def open_staff_prompt(self) -> None:
        if self._exit_allowed:
            return
        for tile in self._tiles.values():
            tile.cancel_hold()
        self.staff.setGeometry(self.rect())
        self.staff.open_prompt()

    def reset_to_doors(self) -> None:
        """What the idle timeout does: close the PIN prompt and any dialog, drop holds."""
        self.staff.close_panel()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        for tile in self._tiles.values():
            tile.cancel_hold()
            tile.clearFocus()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self._idle_reset_done = True

    def idle_s(self) -> float:
        return self.clock.monotonic() - self._last_input

    def _beat(self) -> None:
        self._releases.tick()
        for tile in self._tiles.values():
            tile.advance_frame()
        if self.corner.held_long_enough():
            self.open_staff_prompt()
        if not self._idle_reset_done and self.idle_s() >= self._settings.idle_timeout_s:
            logger.info("Kiosk idle for %d s: back to the doors.", self._settings.idle_timeout_s)
            self.reset_to_doors()
        if self.staff.isVisible():
            self.staff.refresh()
        self._show_time()
        self.ticked.emit()

    def _show_time(self) -> None:
        minute = local_time_text(self.clock.now(), self.time_zone())
        if minute != self._minute:
            self._minute = minute
            self.clock_label.setText(minute)

    # -- closing ---------------------------------------------------------------------------

    def exit_kiosk(self) -> None:
        """Staff entered the PIN and chose to leave: now the window may close."""
        logger.info("Kiosk closed by staff.")
        self._exit_allowed = True
        self.staff.close_panel()
        self._heartbeat.stop()
        for connection in self._store_connections:
            QObject.disconnect(connection)
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self._guard)
        self.close()
        self.exited.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._exit_allowed:
            event.accept()
            return
        logger.info("Kiosk refused a request to close the window.")
        event.ignore()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if is_close_key(event):
            event.accept()
            return
        super().keyPressEvent(event)

    # -- pinning to the screen -------------------------------------------------------------

    def target_screen(self) -> QScreen | None:
        wanted = self._settings.screen.strip().casefold()
        screens = QGuiApplication.screens()
        if wanted:
            for screen in screens:
                if wanted in (screen.name().casefold(), screen.model().casefold()):
                    return screen
            logger.warning("Kiosk screen %r not found; using the primary screen.", wanted)
        return QGuiApplication.primaryScreen()

    def show_pinned(self) -> None:
        """Full screen on the chosen screen, above other windows."""
        if self._exit_allowed:
            return
        screen = self.target_screen()
        if screen is not None:
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
        self.showFullScreen()
        self.raise_()
        self.activateWindow()
        # The window, not the first door, takes the focus: no focus frame on a touch screen.
        self.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def bring_forward(self) -> None:
        """A second launch asked the running console to show itself."""
        self.show_pinned()

    def _screens_changed(self, *_: object) -> None:
        if self.isVisible():
            QTimer.singleShot(0, self.show_pinned)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if (
            event.type() == QEvent.Type.WindowStateChange
            and self.isVisible()
            and not self._exit_allowed
            and (self.isMinimized() or not self.isFullScreen())
        ):
            # Someone (or the window manager) minimised or restored it: pin it again.
            QTimer.singleShot(0, self.show_pinned)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.staff.setGeometry(self.rect())
        self.corner.move(0, 0)

    def sizeHint(self) -> QSize:
        return QSize(1280, 800)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
