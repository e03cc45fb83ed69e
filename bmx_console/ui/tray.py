"""The tray icon and the desktop notifications: the desk's state when its window is hidden.

The icon is the application's, with a dot in the corner for the connection state (green
connected, amber degraded, red disconnected, grey signed out) and a tooltip that says it in
words. Desktop notifications announce incoming calls and a lost (then restored) connection,
each switchable in the View menu and kept in the settings (``notify_calls``,
``notify_connection``).

Without a system tray (a bare X server, some Wayland desktops) there is no icon and no
balloon; the window's task-bar entry asks for attention instead, so nothing fails.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from PySide6.QtCore import QObject, QPointF, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon, QWidget

from bmx_console.api.models import Call
from bmx_console.clock import Clock
from bmx_console.core.health import ConnectionState
from bmx_console.core.store import Store
from bmx_console.ui import icons
from bmx_console.ui.plain_text import notification_text
from bmx_console.ui.single_instance import bring_to_front
from bmx_console.ui.store_signals import store_signals
from bmx_console.ui.time_text import time_text

# Calls older than this when they reach the desk are history (a first poll, a catch-up), not
# someone waiting at a panel.
RECENT_CALL = timedelta(minutes=2)
LOST_STATES: frozenset[ConnectionState] = frozenset({"disconnected", "signed_out"})

# Fixed, saturated dot colours: a tray sits on panels of any colour, light or dark, and the
# white ring around the dot keeps each readable on both.
_DOT_COLORS: dict[ConnectionState, str] = {
    "connected": "#22a554",
    "degraded": "#f0a020",
    "disconnected": "#e5483d",
    "signed_out": "#8a9099",
}


def status_icon(state: ConnectionState) -> QIcon:
    """The application icon with the connection state's dot in its lower right corner."""
    base = icons.app_icon()
    result = QIcon()
    for size in (16, 22, 24, 32, 48, 64):
        pixmap = QPixmap(base.pixmap(size, size))
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        radius = size * 0.22
        center = QPointF(size - radius - size * 0.02, size - radius - size * 0.02)
        painter.setPen(QPen(QColor("#ffffff"), max(1.0, size / 16)))
        painter.setBrush(QColor(_DOT_COLORS[state]))
        painter.drawEllipse(center, radius, radius)
        painter.end()
        result.addPixmap(pixmap)
    return result


class DeskTray(QObject):
    """The tray icon (when the desktop has a tray) and the notifications of one desk window.

    ``preferences_changed(notify_calls, notify_connection)`` fires when the operator switches
    either in the View menu, for the settings file. Listens to the store for the connection
    state, poller errors (the tooltip) and new calls.
    """

    preferences_changed = Signal(bool, bool)

    def __init__(
        self,
        store: Store,
        window: QWidget,
        *,
        clock: Clock,
        notify_calls: bool = True,
        notify_connection: bool = True,
        available: bool | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or window)
        self._store = store
        self._window = window
        self._clock = clock
        self.available = QSystemTrayIcon.isSystemTrayAvailable() if available is None else available
        self._state: ConnectionState = store.connection
        self._loss_announced = False

        self.icon = QSystemTrayIcon(self)
        self.menu = QMenu(window)
        self.show_action = self.menu.addAction(self.tr("Show window"))
        self.show_action.triggered.connect(self.show_window)
        self.menu.addSeparator()
        self.quit_action = self.menu.addAction(self.tr("Quit"))
        self.quit_action.triggered.connect(window.close)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.icon.messageClicked.connect(self.show_window)

        self.calls_action = QAction(self.tr("Notify me of incoming &calls"), self)
        # Shortcuts because they are View menu entries too (every menu entry has one).
        self.calls_action.setShortcut(QKeySequence("Ctrl+Alt+C"))
        self.calls_action.setCheckable(True)
        self.calls_action.setChecked(notify_calls)
        self.calls_action.toggled.connect(self._preferences_toggled)
        self.connection_action = QAction(self.tr("Notify me when the &connection drops"), self)
        self.connection_action.setShortcut(QKeySequence("Ctrl+Alt+N"))
        self.connection_action.setCheckable(True)
        self.connection_action.setChecked(notify_connection)
        self.connection_action.toggled.connect(self._preferences_toggled)

        self._show_state()
        if self.available:
            self.icon.show()
        signals = store_signals(store)
        signals.connection_changed.connect(self.connection_changed)
        signals.health_changed.connect(self.health_changed)
        signals.calls_added.connect(self.calls_added)

    @property
    def notify_calls(self) -> bool:
        return self.calls_action.isChecked()

    @property
    def notify_connection(self) -> bool:
        return self.connection_action.isChecked()

    def add_view_toggles(self, menu: QMenu) -> None:
        menu.addSeparator()
        menu.addAction(self.calls_action)
        menu.addAction(self.connection_action)

    def show_window(self) -> None:
        bring_to_front(self._window)

    def hide_icon(self) -> None:
        """Take the icon out of the tray (at quit: a tray keeps stale icons otherwise)."""
        self.icon.hide()

    # -- store notifications -------------------------------------------------------------

    def connection_changed(self, state: ConnectionState) -> None:
        self._state = state
        self._show_state()
        if state in LOST_STATES and not self._loss_announced:
            if self.notify_connection:
                self._loss_announced = True
                self._announce_loss(state)
        elif state not in LOST_STATES and self._loss_announced:
            self._loss_announced = False
            if self.notify_connection:
                self.notify(
                    self.tr("Connection to ButterflyMX restored"),
                    self.tr("Doors, events and calls are updating again."),
                )

    def health_changed(self) -> None:
        self._show_state()

    def calls_added(self, calls: Iterable[Call]) -> None:
        if not self.notify_calls:
            return
        now = self._clock.now()
        recent = [c for c in calls if now - c.logged_at <= RECENT_CALL]
        if not recent:
            return
        if len(recent) == 1:
            call = recent[0]
            self.notify(
                self.tr("Call from {0}").format(call.panel_name or self.tr("a panel")),
                self._call_detail(call),
            )
        else:
            panels = sorted({c.panel_name or self.tr("a panel") for c in recent})
            self.notify(
                self.tr("{0} calls").format(len(recent)),
                self.tr("From {0}.").format(", ".join(panels)),
            )

    # -- showing ---------------------------------------------------------------------------

    def notify(
        self,
        title: str,
        message: str,
        kind: QSystemTrayIcon.MessageIcon = QSystemTrayIcon.MessageIcon.Information,
    ) -> None:
        """A desktop notification, or without a tray a task-bar alert on the window."""
        if self.available:
            # Panel and door names are the cloud's: never markup on a notification server.
            self.icon.showMessage(notification_text(title), notification_text(message), kind, 8000)
        else:
            QApplication.alert(self._window)

    @property
    def tooltip(self) -> str:
        return self.icon.toolTip()

    def _show_state(self) -> None:
        state = self._state
        words = {
            "connected": self.tr("Connected"),
            "degraded": self.tr("Degraded"),
            "disconnected": self.tr("Disconnected"),
            "signed_out": self.tr("Signed out"),
        }[state]
        text = self.tr("bmx-console — {0}").format(words)
        if state == "signed_out":
            text += "\n" + self.tr("Sign in again to resume updates.")
        elif state != "connected":
            error = self._last_error()
            if error:
                text += "\n" + error
        if text != self.icon.toolTip():
            self.icon.setToolTip(text)
            self.icon.setIcon(status_icon(state))

    def _last_error(self) -> str:
        return next((h.last_error for h in self._store.healths() if h.last_error), "")

    def _announce_loss(self, state: ConnectionState) -> None:
        if state == "signed_out":
            self.notify(
                self.tr("Signed out of ButterflyMX"),
                self.tr("Updates are paused. Sign in again from the desk window."),
                QSystemTrayIcon.MessageIcon.Warning,
            )
            return
        self.notify(
            self.tr("Connection to ButterflyMX lost"),
            self._last_error()
            or self.tr("Releases may fail, and doors and events shown are going stale."),
            QSystemTrayIcon.MessageIcon.Warning,
        )

    def _call_detail(self, call: Call) -> str:
        when = time_text(call.logged_at, self._clock.now(), seconds=False)
        if (call.recipient_type or "").casefold() == "attendant":
            return self.tr("For the front desk · {0}").format(when)
        if call.unit_id is not None:
            return self.tr("For unit {0} · {1}").format(call.unit_id, when)
        return when

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.show_window()

    def _preferences_toggled(self) -> None:
        self.preferences_changed.emit(self.notify_calls, self.notify_connection)


__all__ = ["DeskTray", "status_icon"]
