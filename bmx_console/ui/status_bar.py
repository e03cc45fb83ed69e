"""The status bar: how the connection is, how fresh the data is, how long the token lasts.

Everything shown is derived from the store's poller health and the clock each time it is
refreshed: on every health change, and on the shared second tick while the bar is on screen
and shows something that moves with time, so "updated 5 s ago" keeps counting and a poller
that has failed for more than twice its interval is reported stale even when nothing else
happens. A minimised or hidden window is brought up to date when it shows again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale, QSize, Qt, QTime, Signal
from PySide6.QtGui import QColor, QHideEvent, QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QStatusBar,
    QWidget,
)

from bmx_console.clock import Clock
from bmx_console.core.health import ConnectionState, PollerHealth
from bmx_console.core.store import Store
from bmx_console.ui import icons
from bmx_console.ui.quiet_updates import set_tip
from bmx_console.ui.store_signals import store_signals
from bmx_console.ui.theme import state_colors, theme_changed
from bmx_console.ui.ticker import Tick
from bmx_console.ui.time_text import desk_zone, full_time_text

STALE_WATCHED = ("doors", "events", "calls")
# A poller counts as healthy only if it succeeded within this many of its intervals.
OVERDUE_INTERVALS = 2
AGO_STEP_S = 10


def clock_text(moment: datetime) -> str:
    """A wall time in the desk's own zone, as the operator reads their clock."""
    return moment.astimezone(desk_zone()).strftime("%H:%M")


def moment_text(moment: datetime, now: datetime) -> str:
    """ "06:56" today, "Thu 3 Dec 06:56" on another day: a time alone reads as today, and a
    token valid until tomorrow's 06:56 would look expired."""
    local, today = moment.astimezone(), now.astimezone()
    if local.date() == today.date():
        return local.strftime("%H:%M")
    # Day and month names in the desk's language (translations set the default QLocale).
    when = QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))
    return QLocale().toString(when, "ddd d MMM HH:mm")


def ago_text(seconds: float, moment: datetime) -> str:
    def tr(text: str) -> str:
        return QCoreApplication.translate("StatusBar", text)

    # In steps of ten seconds: read at a glance, and a resting desk redraws its status bar
    # every ten seconds rather than every second (how late a poller is, is said on its own).
    if seconds < AGO_STEP_S:
        return tr("just now")
    if seconds < 60:
        return tr("{0} s ago").format(int(seconds // AGO_STEP_S) * AGO_STEP_S)
    if seconds < 3600:
        return tr("{0} min ago").format(int(seconds // 60))
    return tr("at {0}").format(clock_text(moment))


class _ElidingLabel(QLabel):
    """A label that asks for its whole text but, in a narrow window, shows it elided rather
    than pushing the status bar past the edge of the screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full_text = ""

    def set_full_text(self, text: str) -> None:
        self.full_text = text
        self.updateGeometry()
        self._elide()

    def sizeHint(self) -> QSize:
        width = self.fontMetrics().horizontalAdvance(self.full_text) + 2
        return QSize(width, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        return QSize(min(24, self.sizeHint().width()), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        metrics = self.fontMetrics()
        shown = metrics.elidedText(self.full_text, Qt.TextElideMode.ElideRight, self.width())
        if self.text() != shown:
            self.setText(shown)


class _IconLabel(QWidget):
    """An icon and a text, tinted together."""

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.icon = QLabel(self)
        self.text = _ElidingLabel(self)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.setSpacing(6)
        layout.addWidget(self.icon)
        layout.addWidget(self.text)
        self.setAccessibleName(accessible_name)
        self._icon_name: str | None = None
        self._color: QColor | None = None

    @property
    def full_text(self) -> str:
        return self.text.full_text

    def forget_icon(self) -> None:
        self._icon_name = None

    def show_state(self, icon_name: str | None, text: str, color: QColor | None) -> None:
        # Refreshed every second: touch only what changed (a style sheet re-polishes).
        if self.text.full_text != text:
            self.text.set_full_text(text)
            self.setAccessibleDescription(text)
        if color != self._color:
            self.text.setStyleSheet(f"color: {color.name()};" if color is not None else "")
        if icon_name is None:
            self.icon.hide()
        elif icon_name != self._icon_name or color != self._color:
            tint = color or QApplication.palette().color(QPalette.ColorRole.WindowText)
            self.icon.setPixmap(icons.pixmap(icon_name, tint, 16, self.devicePixelRatioF()))
            self.icon.show()
        self._icon_name, self._color = icon_name, color


class StatusBar(QStatusBar):
    """``stale_changed(name, since)`` fires when a poller turns stale (``since`` is when the
    data shown dates from) or fresh again (``since`` is None)."""

    stale_changed = Signal(str, object)

    def __init__(
        self,
        store: Store,
        *,
        clock: Clock,
        token_expiry: Callable[[], datetime | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._clock = clock
        self._token_expiry = token_expiry
        self._stale: dict[str, datetime | None] = {}
        # When this bar first saw each poller: what a poller that never succeeded is late from.
        self._first_seen: dict[str, datetime] = {}
        self.setSizeGripEnabled(True)

        self.demo_label = QLabel(self.tr("DEMO · simulator"), self)
        self.demo_label.setObjectName("demoBadge")
        self.demo_label.setAccessibleName(self.tr("Demo mode"))
        self.demo_label.hide()
        self.connection = _IconLabel(self.tr("Connection state"), self)
        self.doors = _IconLabel(self.tr("Door list freshness"), self)
        self.events = _IconLabel(self.tr("Event freshness"), self)
        self.token = _IconLabel(self.tr("Token expiry"), self)
        self.addWidget(self.demo_label)
        self.addWidget(self.connection)
        self.addPermanentWidget(self.doors)
        self.addPermanentWidget(self.events)
        self.addPermanentWidget(self.token)

        self._on_screen = False
        self._tick = Tick(self.refresh, owner=self, name="status bar")
        signals = store_signals(store)
        signals.health_changed.connect(self.health_changed)
        signals.connection_changed.connect(self.connection_changed)
        self._restyle()
        theme_changed().connect(self._theme_changed)
        self.refresh()

    def set_demo(self, demo: bool) -> None:
        self.demo_label.setVisible(demo)

    # -- store notifications ---------------------------------------------------------------

    def health_changed(self) -> None:
        self.refresh()

    def connection_changed(self, _state: ConnectionState) -> None:
        self.refresh()

    # -- what is shown ---------------------------------------------------------------------

    @property
    def connection_text(self) -> str:
        return self.connection.full_text

    @property
    def connection_tooltip(self) -> str:
        return self.connection.toolTip()

    def refresh(self) -> None:
        now = self._clock.now()
        colors = state_colors(QApplication.palette())
        state = self._store.connection
        failing = [h for h in self._store.healths() if h.failing]
        retry = self._retry_text(failing, now)
        healths = self._store.healths()
        overdue = self._overdue(healths, now)
        if state == "connected" and overdue:
            # Not failing, but not succeeding either: a loop that stopped looks like this.
            state = "degraded"
        if state == "connected" and not any(h.last_success for h in healths):
            # Nothing has answered yet: not an error, and not "connected" either.
            self.connection.show_state("cloud", self.tr("Connecting…"), None)
        elif state == "connected":
            self.connection.show_state("check_circle", self.tr("Connected"), colors.success)
        elif state == "degraded":
            limited = any(h.error_kind == "rate_limited" for h in failing)
            word = self.tr("Degraded — rate limited") if limited else self.tr("Degraded")
            self.connection.show_state("warning", word + retry, colors.warning)
        elif state == "disconnected":
            self.connection.show_state("cloud_off", self.tr("Disconnected") + retry, colors.danger)
        else:
            self.connection.show_state("sign_in", self.tr("Signed out"), colors.danger)
        set_tip(
            self.connection,
            "\n".join(
                [f"{h.name}: {h.last_error}" for h in failing if h.last_error]
                + [self._overdue_text(h, since) for h, since in overdue.items()]
            )
            or (
                self.tr("All updates are arriving.")
                if any(h.last_success for h in healths)
                else self.tr("Waiting for the first answer from ButterflyMX.")
            ),
        )
        # A failing poller moves with time even when nothing else does: its retry countdown,
        # and the moment it turns stale.
        moving = bool(failing)
        moving |= self._show_freshness(
            self.doors, "doors", self.tr("Doors"), now, colors.warning, overdue
        )
        moving |= self._show_freshness(
            self.events, "events", self.tr("Events"), now, colors.warning, overdue
        )
        expiry = self._token_expiry()
        if expiry is None:
            self.token.hide()
        else:
            self.token.show()
            self.token.show_state(
                "key", self.tr("Token valid until {0}").format(moment_text(expiry, now)), None
            )
            set_tip(self.token, full_time_text(expiry))
        for name in STALE_WATCHED:
            since = self._stale_since(name, now, overdue)
            if self._stale.get(name) != since:
                self._stale[name] = since
                self.stale_changed.emit(name, since)
        self._tick.run_while(self._on_screen and moving)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._on_screen = True
        self.refresh()

    def hideEvent(self, event: QHideEvent) -> None:
        # Also sent, spontaneously, when the window is minimised.
        super().hideEvent(event)
        self._on_screen = False
        self._tick.stop()

    def _overdue(self, healths: list[PollerHealth], now: datetime) -> dict[PollerHealth, datetime]:
        """The pollers that are neither failing nor paused but have not succeeded within
        ``OVERDUE_INTERVALS`` of their interval, each with what it is late from (its last
        success, or when this bar first saw it)."""
        late: dict[PollerHealth, datetime] = {}
        for health in healths:
            first_seen = self._first_seen.setdefault(health.name, now)
            if health.failing or health.paused:
                continue
            since = health.last_success or first_seen
            if (now - since).total_seconds() > OVERDUE_INTERVALS * health.interval_s:
                late[health] = since
        return late

    def _overdue_text(self, health: PollerHealth, since: datetime) -> str:
        return self.tr("{0}: no update since {1}, though one is due every {2:g} s.").format(
            health.name, clock_text(since), health.interval_s
        )

    def _stale_since(
        self, name: str, now: datetime, overdue: dict[PollerHealth, datetime]
    ) -> datetime | None:
        """When the data a poller shows dates from while it is stale (failing or overdue)."""
        if self._store.is_stale(name, now):
            return self._store.stale_since(name) or now
        return next((since for h, since in overdue.items() if h.name == name), None)

    def _retry_text(self, failing: list[PollerHealth], now: datetime) -> str:
        upcoming = [h.next_attempt for h in failing if h.next_attempt is not None and not h.paused]
        if not upcoming:
            return ""
        seconds = round((min(upcoming) - now).total_seconds())
        if seconds <= 0:
            return self.tr(" · retrying now")
        return self.tr(" · retrying in {0} s").format(seconds)

    def _show_freshness(
        self,
        label: _IconLabel,
        name: str,
        title: str,
        now: datetime,
        warn: QColor,
        overdue: dict[PollerHealth, datetime],
    ) -> bool:
        """Show how fresh one poller's data is; True if the text counts with time."""
        health = self._store.health(name)
        if health is None:
            label.hide()
            return False
        label.show()
        since = self._stale_since(name, now, overdue)
        if since is not None:
            label.show_state(
                "warning", self.tr("{0} stale since {1}").format(title, clock_text(since)), warn
            )
            late = overdue.get(health)
            set_tip(
                label,
                health.last_error or (self._overdue_text(health, late) if late else ""),
            )
            return False
        if health.last_success is None:
            label.show_state(
                "clock", self.tr("{0}: waiting for the first update").format(title), None
            )
            set_tip(label, health.last_error or "")
            return False
        seconds = (now - health.last_success).total_seconds()
        label.show_state(
            "refresh",
            self.tr("{0} updated {1}").format(title, ago_text(seconds, health.last_success)),
            None,
        )
        set_tip(
            label,
            self.tr("Every {0:g} s; last update {1}").format(
                health.interval_s, clock_text(health.last_success)
            ),
        )
        return seconds < 3600

    def stale_since(self, name: str) -> datetime | None:
        return self._stale.get(name)

    # -- look ------------------------------------------------------------------------------

    def _theme_changed(self) -> None:
        self._restyle()
        for label in (self.connection, self.doors, self.events, self.token):
            label.forget_icon()
        self.refresh()

    def _restyle(self) -> None:
        colors = state_colors(QApplication.palette())
        base = QApplication.palette().color(QPalette.ColorRole.Window)
        self.demo_label.setStyleSheet(
            f"#demoBadge {{ color: {colors.info.name()};"
            f" background: {colors.tint(colors.info, base, 0.16).name()};"
            " border-radius: 4px; padding: 2px 8px; font-weight: 600; }"
        )
