"""The incoming-call banner and alerts for calls to the front desk.

A panel call shows as a banner above the desk: the caller's snapshot, the panel, who the call
is for, and one "Release <door>" button per door that panel opens. Several calls queue
("1 of 3"). A call leaves the banner when the operator acknowledges or dismisses it, or when
it has rung for too long; a call that left without being acknowledged (or answered by a
release from this desk) is a missed call. When nothing rings but missed calls are waiting
to be reviewed, the banner shrinks to one line saying so.

Which calls ring and which are missed is ``call_queue.CallQueue``'s business (only calls
logged within the last two minutes ring); the missed calls list is ``missed_calls``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import timedelta

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from bmx_console.api.models import Call
from bmx_console.clock import Clock, SystemClock
from bmx_console.core.store import DoorRow, Store
from bmx_console.errors import BmxError
from bmx_console.ringtone import Ringer
from bmx_console.ui import icons
from bmx_console.ui.call_answer import CallAnswerer, PanelAnswers
from bmx_console.ui.call_attention import (
    ACKNOWLEDGE_KEY,
    DOOR_KEYS,
    RELEASE_KEY,
    CallKeys,
    call_accent,
    key_text,
    open_large_snapshot,
    release_button_css,
    ringing_css,
)
from bmx_console.ui.call_queue import CallQueue
from bmx_console.ui.call_text import (
    details_text,
    missed_summary_text,
    panel_text,
    release_feedback,
)
from bmx_console.ui.missed_calls import MissedCallsDialog
from bmx_console.ui.palette_css import themed_css
from bmx_console.ui.qt_async import spawn
from bmx_console.ui.quiet_updates import set_tip
from bmx_console.ui.snapshot import SnapshotView
from bmx_console.ui.store_signals import store_signals
from bmx_console.ui.theme import css_rgb, mix, state_colors
from bmx_console.ui.ticker import Tick

log = logging.getLogger(__name__)

RECENT_S = 120.0
RING_S = 300.0
ALERT_REPEAT_MS = 1500


class CallBanner(QFrame):
    """Incoming panel calls, one at a time, with their release buttons. Hidden when idle."""

    call_shown = Signal(object)
    acknowledged = Signal(object)
    dismissed = Signal(object)
    wants_attention = Signal(object)
    missed_changed = Signal(int)
    ringing_changed = Signal(int)
    # From the ringer's worker thread: Qt queues it onto the banner's.
    sound_problem = Signal(str)

    def __init__(
        self,
        store: Store,
        *,
        fetch_image: Callable[[str], Awaitable[bytes]],
        release: Callable[[int], Awaitable[object]],
        desk_tenant_id: int | None = None,
        desk_tenant_ids: Iterable[int] = (),
        answerer: CallAnswerer | None = None,
        clock: Clock | None = None,
        recent_s: float = RECENT_S,
        ring_s: float = RING_S,
        alert_repeat_ms: int = ALERT_REPEAT_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._fetch_image = fetch_image
        self._release = release
        self._clock: Clock = clock or SystemClock()
        self._calls = CallQueue(
            self._clock,
            recent=timedelta(seconds=recent_s),
            ring=timedelta(seconds=ring_s),
            desk_tenant_id=desk_tenant_id,
            desk_tenant_ids=desk_tenant_ids,
        )
        self._shown_id: int | None = None
        self._feedback: dict[int, tuple[str, str]] = {}
        self._answers = PanelAnswers(answerer, self)
        self._answers.changed.connect(self._answer_changed)
        self._answers.declined.connect(self._declined)
        self._raise_window = False
        self._sound = False
        self._shown_doors: tuple[int, ...] = ()
        self.release_buttons: dict[int, QPushButton] = {}
        self._missed_dialog: MissedCallsDialog | None = None
        self._style_key: tuple[int, int, int] | None = None
        self._accent = QColor()

        self.setObjectName("callBanner")
        self.setAccessibleName(self.tr("Incoming call"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self._build()

        self._ringing_count = 0
        self._ringer: Ringer | None = None
        self.sound_problem.connect(self._sound_problem)
        self.large_snapshot: QDialog | None = None
        self.keys = CallKeys(
            self,
            release_only=self._release_only_door,
            release_nth=self._release_nth_door,
            acknowledge=self.acknowledge,
        )
        self._tick = Tick(self.tick, owner=self, name="ringing call")
        self._alert_timer = QTimer(self)
        self._alert_timer.setInterval(alert_repeat_ms)
        self._alert_timer.timeout.connect(self._beep)

        signals = store_signals(store)
        signals.calls_added.connect(self._on_calls_added)
        signals.calls_changed.connect(self._on_calls_changed)
        signals.doors_reset.connect(self._on_doors_changed)
        signals.roster_changed.connect(self._on_doors_changed)
        signals.doors_changed.connect(self._on_doors_changed)
        self._refresh()

    # -- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.call_page = self._build_call_page()
        self.missed_page = self._build_missed_page()
        layout = self._box = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.addWidget(self.call_page)
        layout.addWidget(self.missed_page)

    def _build_call_page(self) -> QWidget:
        """A ringing call: snapshot, heading, panel, details, the actions and their result."""
        self.snapshot = SnapshotView(self._fetch_image, compact=True)
        self.snapshot.setFixedSize(QSize(192, 108))
        self.snapshot.setCursor(Qt.CursorShape.PointingHandCursor)
        self.snapshot.setToolTip(self.tr("Click to see the snapshot large"))
        self.snapshot.installEventFilter(self)

        self.panel_label = QLabel()
        panel_font = self.panel_label.font()
        panel_font.setPointSizeF(panel_font.pointSizeF() * 1.55)
        panel_font.setWeight(QFont.Weight.DemiBold)
        self.panel_label.setFont(panel_font)
        self.panel_label.setAccessibleName(self.tr("Calling panel"))

        self.details_label = QLabel()
        self.details_label.setAccessibleName(self.tr("Call details"))
        self.details_label.setTextFormat(Qt.TextFormat.PlainText)

        self.feedback_label = QLabel()
        self.feedback_label.setWordWrap(True)
        self.feedback_label.setAccessibleName(self.tr("Release result"))
        self.feedback_label.hide()

        self.answer_label = QLabel()
        self.answer_label.setWordWrap(True)
        self.answer_label.setAccessibleName(self.tr("What the panel was told"))
        self.answer_label.setProperty("on_accent", True)
        self.answer_label.hide()
        self.sound_note = QLabel()
        self.sound_note.setAccessibleName(self.tr("Call sound"))
        self.sound_note.setWordWrap(True)
        self.sound_note.hide()

        info = QVBoxLayout()
        info.setSpacing(3)
        info.addLayout(self._build_heading())
        info.addWidget(self.panel_label)
        info.addWidget(self.details_label)
        info.addSpacing(6)
        info.addLayout(self._build_actions())
        info.addWidget(self.feedback_label)
        info.addWidget(self.answer_label)

        page = QWidget()
        call_layout = QHBoxLayout(page)
        call_layout.setContentsMargins(0, 0, 0, 0)
        call_layout.setSpacing(18)
        call_layout.addWidget(self.snapshot, 0, Qt.AlignmentFlag.AlignTop)
        call_layout.addLayout(info, 1)
        return page

    def _build_heading(self) -> QHBoxLayout:
        """The kicker ("INCOMING CALL"), the missed calls button and the queue's arrows."""
        self.kicker = QLabel()
        kicker_font = self.kicker.font()
        kicker_font.setWeight(QFont.Weight.Bold)
        kicker_font.setPointSizeF(kicker_font.pointSizeF() * 0.85)
        kicker_font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 108)
        self.kicker.setFont(kicker_font)
        self.kicker_icon = QLabel()
        self.kicker_icon.setFixedSize(18, 18)

        self.position_label = QLabel()
        self.position_label.setAccessibleName(self.tr("Call position in the queue"))
        self.previous_button = self._nav_button(self.tr("Previous call"))
        self.previous_button.clicked.connect(self.show_previous)
        self.next_button = self._nav_button(self.tr("Next call"))
        self.next_button.clicked.connect(self.show_next)

        self.missed_button = QToolButton()
        self.missed_button.setAccessibleName(self.tr("Show missed calls"))
        self.missed_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.missed_button.setAutoRaise(True)
        self.missed_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.missed_button.clicked.connect(self.show_missed_calls)

        top = QHBoxLayout()
        top.setSpacing(6)
        top.addWidget(self.kicker_icon)
        top.addWidget(self.kicker)
        top.addSpacing(12)
        top.addWidget(self.sound_note, 1)
        top.addWidget(self.missed_button)
        top.addSpacing(8)
        top.addWidget(self.previous_button)
        top.addWidget(self.position_label)
        top.addWidget(self.next_button)
        return top

    def _build_actions(self) -> QHBoxLayout:
        """One "Release <door>" per door of the panel (filled per call), then acknowledge
        and dismiss."""
        self.release_row = QHBoxLayout()
        self.release_row.setSpacing(8)
        self.no_door_label = QLabel(self.tr("No door is linked to this panel."))
        self.no_door_label.setStyleSheet(themed_css("color: palette(placeholder-text);"))

        self.acknowledge_button = QPushButton(self.tr("Acknowledge"))
        self.acknowledge_button.setAccessibleName(self.tr("Acknowledge the call"))
        self.acknowledge_button.setToolTip(
            self.tr("The call is handled: hide it ({0})").format(key_text(ACKNOWLEDGE_KEY))
        )
        self.acknowledge_button.clicked.connect(self.acknowledge)
        self.decline_button = QPushButton(self.tr("Decline"))
        self.decline_button.setAccessibleName(self.tr("Decline the call"))
        self.decline_button.setToolTip(self.tr("End the call at the panel without opening"))
        self.decline_button.clicked.connect(self.decline)
        self.decline_button.hide()
        self.dismiss_button = QPushButton(self.tr("Dismiss"))
        self.dismiss_button.setAccessibleName(self.tr("Dismiss the call"))
        self.dismiss_button.setToolTip(self.tr("Hide the call; it stays in the missed calls"))
        self.dismiss_button.clicked.connect(self.dismiss)
        for button in (self.acknowledge_button, self.decline_button, self.dismiss_button):
            button.setMinimumHeight(34)
            button.setCursor(Qt.CursorShape.PointingHandCursor)

        actions = QHBoxLayout()
        actions.setSpacing(8)
        actions.addLayout(self.release_row)
        actions.addWidget(self.no_door_label)
        actions.addStretch(1)
        actions.addWidget(self.acknowledge_button)
        actions.addWidget(self.decline_button)
        actions.addWidget(self.dismiss_button)
        return actions

    def _build_missed_page(self) -> QWidget:
        """The one line shown when nothing rings but missed calls wait to be reviewed."""
        self.missed_icon = QLabel()
        self.missed_icon.setFixedSize(20, 20)
        self.missed_summary = QLabel()
        self.missed_summary.setAccessibleName(self.tr("Missed calls"))
        summary_font = self.missed_summary.font()
        summary_font.setWeight(QFont.Weight.DemiBold)
        self.missed_summary.setFont(summary_font)
        self.review_button = QPushButton(self.tr("Review"))
        self.review_button.setAccessibleName(self.tr("Review missed calls"))
        self.review_button.clicked.connect(self.show_missed_calls)
        self.later_button = QToolButton()
        self.later_button.setAutoRaise(True)
        self.later_button.setAccessibleName(self.tr("Hide the missed calls notice"))
        self.later_button.setToolTip(self.tr("Hide this notice; the list stays available"))
        self.later_button.clicked.connect(self.mark_missed_seen)
        page = QWidget()
        missed_layout = QHBoxLayout(page)
        missed_layout.setContentsMargins(0, 0, 0, 0)
        missed_layout.setSpacing(10)
        missed_layout.addWidget(self.missed_icon)
        missed_layout.addWidget(self.missed_summary, 1)
        missed_layout.addWidget(self.review_button)
        missed_layout.addWidget(self.later_button)
        return page

    def _nav_button(self, name: str) -> QToolButton:
        button = QToolButton()
        button.setAutoRaise(True)
        button.setAccessibleName(name)
        button.setToolTip(name)
        button.setIconSize(QSize(16, 16))
        return button

    # -- what the banner holds ---------------------------------------------------------------

    def current_call(self) -> Call | None:
        return self._calls.current()

    def queued_calls(self) -> list[Call]:
        return self._calls.ringing()

    def missed_calls(self) -> list[Call]:
        """Calls that left without being acknowledged or answered from here, newest first."""
        return sorted(self._calls.missed(), key=lambda c: (c.logged_at, c.id), reverse=True)

    def is_alerting(self) -> bool:
        """True while the desk alert sound repeats."""
        return self._alert_timer.isActive()

    @property
    def desk_tenant_id(self) -> int | None:
        """The front desk's tenant: calls to it are calls for the desk."""
        return self._calls.desk_tenant_id

    @desk_tenant_id.setter
    def desk_tenant_id(self, tenant_id: int | None) -> None:
        self._calls.desk_tenant_id = tenant_id

    def is_for_desk(self, call: Call) -> bool:
        return self._calls.is_for_desk(call)

    def doors_for(self, call: Call) -> list[DoorRow]:
        if call.panel_id is None:
            return []
        return [row for row in self._store.doors if call.panel_id in row.door.panel_ids]

    def set_compact(self, compact: bool) -> None:
        """A short window: a smaller snapshot and panel name, tighter margins."""
        self.snapshot.setFixedSize(QSize(144, 81) if compact else QSize(192, 108))
        self._box.setContentsMargins(*((14, 8, 14, 8) if compact else (16, 14, 16, 14)))
        font = self.panel_label.font()
        font.setPointSizeF(self.font().pointSizeF() * (1.3 if compact else 1.55))
        self.panel_label.setFont(font)

    def set_alerts(self, raise_window: bool, sound: bool) -> None:
        """Alerts for calls to the front desk: raise the window, and beep until handled."""
        self._raise_window = raise_window
        self._sound = sound
        self._update_alert()

    # -- store notifications -----------------------------------------------------------------

    def _on_calls_added(self, calls: Sequence[Call]) -> None:
        arrivals = self._calls.add(calls)
        if arrivals.desk_calls and self._raise_window:
            self.wants_attention.emit(arrivals.desk_calls[-1])
        if arrivals.missed:
            self.missed_changed.emit(self._calls.missed_count)
        if arrivals.rang or arrivals.missed:
            self._refresh()

    def _on_calls_changed(self, calls: Sequence[Call]) -> None:
        ringing, missed = self._calls.update(calls)
        if ringing:
            self._refresh()
        if self._missed_dialog is not None and missed:
            self._missed_dialog.reload()

    def _on_doors_changed(self, *_: object) -> None:
        call = self.current_call()
        if call is not None and tuple(r.id for r in self.doors_for(call)) != self._shown_doors:
            self._refresh()

    # -- operator actions --------------------------------------------------------------------

    def acknowledge(self) -> None:
        call = self._calls.take_current(acknowledged=True)
        if call is None:
            return
        self._refresh()
        self.acknowledged.emit(call)

    def dismiss(self) -> None:
        call = self._calls.take_current()
        if call is None:
            return
        self._refresh()
        self._to_missed([call])
        self.dismissed.emit(call)

    def show_next(self) -> None:
        if self._calls.step(1):
            self._refresh()

    def show_previous(self) -> None:
        if self._calls.step(-1):
            self._refresh()

    def release_door(self, door_id: int) -> None:
        """Release one of the current call's doors; the result shows on the banner."""
        call = self.current_call()
        if call is None:
            return
        row = self._store.door(door_id)
        name = row.name if row is not None else self.tr("door {0}").format(door_id)
        self._feedback[call.id] = ("sending", self.tr("Releasing {0}…").format(name))
        self._refresh()
        sending = self._send_release(call, door_id, name)
        spawn(sending, name=self.tr("Releasing {0}").format(name), foreground=True)

    async def _send_release(self, call: Call, door_id: int, name: str) -> None:
        try:
            outcome = await self._release(door_id)
        except BmxError as exc:
            state, text = "failed", self.tr("{0} was not released: {1}").format(name, exc)
        except Exception as exc:
            log.exception("Release of door %s from the call banner failed", door_id)
            state = "failed"
            text = self.tr("{0} was not released: unexpected error ({1}); see the log.").format(
                name, type(exc).__name__
            )
        else:
            state, text = release_feedback(outcome, name)
        if not shiboken6.isValid(self):
            return
        if state == "released":
            self._calls.mark_handled(call.id)
        self._feedback[call.id] = (state, text)
        self._update_alert()
        if state == "released":
            self._answers.tell(call, "open_door")
        if self.current_call() is not None and self.current_call() == call:
            self._refresh()

    # -- telling the panel (call_answer) ----------------------------------------------------

    def set_answerer(self, answerer: CallAnswerer | None) -> None:
        """What tells the panels (the desk's connection); None: nothing is told."""
        self._answers.answerer = answerer
        call = self.current_call()
        if call is not None:
            self._answers.show(call, self.answer_label, self.decline_button)

    def can_tell_panel(self) -> bool:
        """Whether this sign-in can end a panel's ringing (a person's, not client
        credentials)."""
        return self._answers.available()

    def answer(self) -> tuple[str, str]:
        """What the current call's panel was told: (state, sentence); empty when nothing."""
        call = self.current_call()
        return self._answers.state(call) if call is not None else ("", "")

    def decline(self) -> None:
        """Tell the panel the call is declined (it stops ringing), then take the call off
        the banner; a call that can no longer be told is simply acknowledged."""
        call = self.current_call()
        if call is not None and not self._answers.tell(call, "call_ended"):
            self.acknowledge()

    def _answer_changed(self, call: Call) -> None:
        current = self.current_call()
        if current is not None and current.id == call.id:
            self._refresh()

    def _declined(self, call: Call) -> None:
        self._calls.mark_handled(call.id)
        current = self.current_call()
        if current is not None and current.id == call.id:
            self.acknowledge()
        self._update_alert()

    def tick(self) -> None:
        """Every second while a call rings: move calls that rang too long to the missed
        list, refresh "ago"."""
        expired = self._calls.expire()
        if expired:
            self._to_missed(expired)
            self._refresh()
        elif (current := self._calls.current()) is not None:
            self._update_details()
            self._answers.show(current, self.answer_label, self.decline_button)

    def _to_missed(self, calls: Iterable[Call]) -> None:
        if not self._calls.to_missed(calls):
            return
        self.missed_changed.emit(self._calls.missed_count)
        if self._missed_dialog is not None:
            self._missed_dialog.reload()
        self._refresh()

    # -- missed calls ------------------------------------------------------------------------

    def mark_missed_seen(self) -> None:
        if self._calls.mark_missed_seen():
            self._refresh()

    def clear_missed(self) -> None:
        self._calls.clear_missed()
        self.missed_changed.emit(0)
        if self._missed_dialog is not None:
            self._missed_dialog.reload()
        self._refresh()

    def show_missed_calls(self) -> MissedCallsDialog:
        """The missed calls list (non-modal); opening it counts as having seen them."""
        if self._missed_dialog is None or not shiboken6.isValid(self._missed_dialog):
            self._missed_dialog = MissedCallsDialog(self, parent=self.window())
            self._missed_dialog.finished.connect(self._missed_dialog_closed)
        self._missed_dialog.reload()
        self._missed_dialog.show()
        self._missed_dialog.raise_()
        self._missed_dialog.activateWindow()
        self.mark_missed_seen()
        return self._missed_dialog

    def _missed_dialog_closed(self, _result: int) -> None:
        self._missed_dialog = None

    def fetch_image(self, url: str) -> Awaitable[bytes]:
        return self._fetch_image(url)

    @property
    def store(self) -> Store:
        return self._store

    @property
    def clock(self) -> Clock:
        return self._clock

    # -- alerts ------------------------------------------------------------------------------

    def set_ringer(self, ringer: Ringer | None) -> None:
        """The ringtone player (``bmx_console.ringtone``); without one, the system beep."""
        self._ringer = ringer
        self._update_alert()

    def is_ringing(self) -> bool:
        """True while the ringtone plays (asked for; heard once the device is open)."""
        return self._ringer is not None and self._ringer.playing

    def _sound_problem(self, sentence: str) -> None:
        # The ringer words its problem in English (marked for this context): shown translated.
        sentence = QCoreApplication.translate("CallBanner", sentence) if sentence else sentence
        self.sound_note.setText(sentence)
        self.sound_note.setVisible(bool(sentence))
        self._update_alert()

    def _update_alert(self) -> None:
        wanted = self._sound and self._calls.desk_call_waiting()
        ringer = self._ringer
        if ringer is not None and ringer.problem is None:
            if wanted and not ringer.playing:
                ringer.start()
            elif not wanted and ringer.playing:
                ringer.stop()
            self._alert_timer.stop()
            return
        if wanted:  # no ringtone player, or no sound device: the system's beep at least
            if not self._alert_timer.isActive():
                self._beep()
                self._alert_timer.start()
        else:
            self._alert_timer.stop()

    def _beep(self) -> None:
        QApplication.beep()

    # -- drawing the state -------------------------------------------------------------------

    def _refresh(self) -> None:
        call = self.current_call()
        ringing = len(self._calls.ringing())
        if ringing != self._ringing_count:
            self._ringing_count = ringing
            self.ringing_changed.emit(ringing)
        showing_missed = call is None and self._calls.unseen_missed > 0
        self.setVisible(call is not None or showing_missed)
        self.call_page.setVisible(call is not None)
        self.missed_page.setVisible(showing_missed)
        self._restyle(call)
        missed = self._calls.missed_count
        self.missed_button.setVisible(missed > 0)
        self.missed_button.setText(self.tr("Missed ({0})").format(missed))
        if showing_missed:
            self._show_missed_summary()
        if call is None:
            self._shown_id = None
            self._shown_doors = ()
            self._tick.stop()
            self.snapshot.clear()
            self._update_alert()
            return
        self._tick.start()
        desk = self.is_for_desk(call)
        delivery = (call.notification_type or "").lower() == "delivery"
        if desk:
            kicker = self.tr("CALL FOR THE FRONT DESK")
        elif delivery:
            kicker = self.tr("INCOMING DELIVERY CALL")
        else:
            kicker = self.tr("INCOMING CALL")
        self.kicker.setText(kicker)
        count = len(self._calls.ringing())
        index = self._calls.index
        self.position_label.setText(self.tr("{0} of {1}").format(index + 1, count))
        for widget in (self.position_label, self.previous_button, self.next_button):
            widget.setVisible(count > 1)
        self.previous_button.setEnabled(index > 0)
        self.next_button.setEnabled(index + 1 < count)
        panel = panel_text(call, self._store)
        self.panel_label.setText(panel)
        self.setAccessibleDescription(self.tr("{0} from {1}").format(kicker.capitalize(), panel))
        self._update_details()
        self.snapshot.load(call.image_url)
        self._fill_release_buttons(call)
        self._show_feedback(call)
        self._answers.show(call, self.answer_label, self.decline_button)
        self._update_alert()
        if call.id != self._shown_id:
            self._shown_id = call.id
            self.call_shown.emit(call)

    def _update_details(self) -> None:
        if (call := self.current_call()) is None:
            return
        text, tooltip = details_text(
            call, self._store, for_desk=self.is_for_desk(call), now=self._clock.now()
        )
        self.details_label.setText(text)
        set_tip(self.details_label, tooltip)

    def _fill_release_buttons(self, call: Call) -> None:
        rows = self.doors_for(call)
        doors = tuple(r.id for r in rows)
        sending = self._feedback.get(call.id, ("", ""))[0] == "sending"
        if doors != self._shown_doors or call.id != self._shown_id:
            for button in self.release_buttons.values():
                self.release_row.removeWidget(button)
                button.deleteLater()
            self.release_buttons = {}
            for index, row in enumerate(rows):
                keys = RELEASE_KEY if len(rows) == 1 else dict(enumerate(DOOR_KEYS)).get(index)
                label = self.tr("Release {0}").format(row.name)
                button = QPushButton(f"{label}  ({key_text(keys)})" if keys else label)
                button.setAccessibleName(self.tr("Release {0}").format(row.name))
                button.setToolTip(
                    self.tr("Open {0} for the caller ({1})").format(row.name, row.building_name)
                )
                button.setProperty("door_id", row.id)
                button.setMinimumHeight(34)
                button.setCursor(Qt.CursorShape.PointingHandCursor)
                button.clicked.connect(self._release_clicked)
                self.release_row.addWidget(button)
                self.release_buttons[row.id] = button
            self._shown_doors = doors
            self._style_release_buttons()
        for button in self.release_buttons.values():
            button.setEnabled(not sending)
        self.no_door_label.setVisible(not rows)

    def _release_only_door(self) -> None:
        """The release key: the door of a panel that has exactly one."""
        if len(self.release_buttons) == 1:
            self._release_nth_door(0, only=True)

    def _release_nth_door(self, index: int, *, only: bool = False) -> None:
        buttons = list(self.release_buttons.values())
        if (only or len(buttons) > 1) and index < len(buttons) and buttons[index].isEnabled():
            door_id = buttons[index].property("door_id")
            if isinstance(door_id, int):
                self.release_door(door_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.snapshot and event.type() == QEvent.Type.MouseButtonRelease:
            self.open_large_snapshot()
        return super().eventFilter(watched, event)

    def open_large_snapshot(self) -> QDialog | None:
        """The current call's snapshot, large, in a window of its own."""
        call = self.current_call()
        if call is None or not call.image_url:
            return None
        title = self.tr("Snapshot — {0}").format(panel_text(call, self._store))
        self.large_snapshot = open_large_snapshot(self, self._fetch_image, call.image_url, title)
        return self.large_snapshot

    def _release_clicked(self) -> None:
        button = self.sender()
        door_id = button.property("door_id") if button is not None else None
        if isinstance(door_id, int):
            self.release_door(door_id)

    def _show_feedback(self, call: Call) -> None:
        # On the call's colour the words say how the release went: state colours would
        # not read there.
        _state, text = self._feedback.get(call.id, ("", ""))
        self.feedback_label.setText(text)
        self.feedback_label.setStyleSheet("font-weight: 700;")
        self.feedback_label.setVisible(bool(text))

    def _show_feedback_for_current(self) -> None:
        call = self.current_call()
        if call is not None:
            self._show_feedback(call)

    def feedback(self) -> tuple[str, str]:
        """The current call's release feedback: (state, sentence); empty when none."""
        call = self.current_call()
        return self._feedback.get(call.id, ("", "")) if call is not None else ("", "")

    def _show_missed_summary(self) -> None:
        latest = self.missed_calls()[0] if self._calls.missed_count else None
        self.missed_summary.setText(
            missed_summary_text(self._calls.unseen_missed, latest, self._store, self._clock.now())
        )

    def _restyle(self, call: Call | None) -> None:
        # The application's palette, not the banner's: the banner's own style sheet
        # changes its palette, which would feed back into the next restyle.
        palette = QGuiApplication.palette()
        colors = state_colors(palette)
        ringing = call is not None
        accent = (
            call_accent(colors.dark, self.is_for_desk(call)) if call is not None else colors.danger
        )
        base = palette.color(QPalette.ColorRole.Base)
        text = QColor("#ffffff") if ringing else palette.color(QPalette.ColorRole.Text)
        key = (accent.rgba(), base.rgba(), text.rgba())
        if key == self._style_key:
            return
        self._style_key = key
        if ringing:
            self.setStyleSheet(ringing_css(accent))
        else:
            background = mix(base, accent, 0.18 if colors.dark else 0.09)
            self.setStyleSheet(
                f"QFrame#callBanner {{ background: {css_rgb(background)};"
                f" border: 1px solid {css_rgb(mix(background, accent, 0.55))};"
                f" border-left: 5px solid {css_rgb(accent)}; border-radius: 10px; }}"
            )
        self.kicker.setStyleSheet("" if ringing else f"color: {css_rgb(accent)};")
        self.kicker_icon.setPixmap(icons.icon("phone", text).pixmap(QSize(16, 16)))
        self.missed_icon.setPixmap(icons.icon("phone_missed", accent).pixmap(QSize(18, 18)))
        self.missed_button.setIcon(icons.icon("phone_missed", text if ringing else colors.danger))
        self.later_button.setIcon(icons.icon("close", text))
        self.previous_button.setIcon(icons.icon("previous", text))
        self.next_button.setIcon(icons.icon("next", text))
        self._accent = accent
        self._style_release_buttons()

    def accent(self) -> QColor:
        """The colour the banner is filled with while a call rings."""
        return QColor(self._accent)

    def _style_release_buttons(self) -> None:
        for button in self.release_buttons.values():
            button.setIcon(icons.icon("unlock", self._accent.darker(115)))
            button.setIconSize(QSize(16, 16))
            button.setStyleSheet(release_button_css(self._accent))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._restyle(self.current_call())
            self.no_door_label.setStyleSheet(themed_css("color: palette(placeholder-text);"))
            self._show_feedback_for_current()
