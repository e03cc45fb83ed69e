"""What the banner tells a ringing panel, and what it says about that beside the call.

A release from the banner opens the door with v4; only the v3 notification ends the
panel's ringing (``api.notifications``). That is sent once per call, in the background,
only while the call still rings and only for a person's sign-in; its result shows beside
the call and never undoes the release. With client credentials the banner says plainly
that the panel keeps ringing until it times out.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Literal, Protocol

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QPushButton

from bmx_console.api.models import Call
from bmx_console.errors import BmxError
from bmx_console.ui.qt_async import spawn
from bmx_console.ui.quiet_updates import set_property, set_sheet
from bmx_console.ui.theme import state_colors

log = logging.getLogger(__name__)

Notice = Literal["open_door", "call_ended"]


class CallAnswerer(Protocol):
    """What tells a ringing panel that its call was answered (``api.notifications``)."""

    @property
    def available(self) -> bool: ...

    def still_rings(self, logged_at: datetime) -> bool: ...

    async def notify(
        self, call_id: int, notice: Notice, logged_at: datetime | None = None
    ) -> None: ...


class PanelAnswers(QObject):
    """Per call: what the panel was told (sent once, never again, not even on failure).

    ``changed`` carries a call whose sentence changed; ``declined`` a call the panel
    accepted a decline for (the banner then takes it off)."""

    changed = Signal(object)
    declined = Signal(object)

    def __init__(self, answerer: CallAnswerer | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.answerer = answerer
        self._answer: dict[int, tuple[str, str]] = {}

    def available(self) -> bool:
        return self.answerer is not None and self.answerer.available

    def state(self, call: Call) -> tuple[str, str]:
        return self._answer.get(call.id, ("", ""))

    def tell(self, call: Call, notice: Notice) -> bool:
        """Send ``notice`` for ``call`` once, in the background, while it still rings;
        returns whether it was sent."""
        answerer = self.answerer
        if answerer is None or not answerer.available or call.id in self._answer:
            return False
        if not answerer.still_rings(call.logged_at):
            if notice == "open_door":
                self._answer[call.id] = (
                    "late",
                    self.tr("The call had stopped ringing: the panel was not told."),
                )
            return False
        sending = (
            self.tr("Telling the panel the door is open…")
            if notice == "open_door"
            else self.tr("Declining the call at the panel…")
        )
        self._answer[call.id] = ("sending", sending)
        self.changed.emit(call)
        spawn(self._send(answerer, call, notice), name=self.tr("Telling the panel"))
        return True

    async def _send(self, answerer: CallAnswerer, call: Call, notice: Notice) -> None:
        try:
            await answerer.notify(call.id, notice, call.logged_at)
        except BmxError as exc:
            state = "failed"
            text = (
                self.tr("The panel was not told, and may ring on: {0}").format(exc)
                if notice == "open_door"
                else self.tr("The call was not declined at the panel: {0}").format(exc)
            )
        except Exception as exc:
            log.exception("Telling the panel of call %s failed", call.id)
            state = "failed"
            text = self.tr("The panel was not told: unexpected error ({0}); see the log.").format(
                type(exc).__name__
            )
        else:
            state = "told"
            text = (
                self.tr("The panel stopped ringing.")
                if notice == "open_door"
                else self.tr("Declined: the panel stopped ringing.")
            )
        if not shiboken6.isValid(self):
            return
        self._answer[call.id] = (state, text)
        if notice == "call_ended" and state == "told":
            self.declined.emit(call)
        self.changed.emit(call)

    def show(self, call: Call, label: QLabel, decline_button: QPushButton) -> None:
        """The sentence beside ``call``, and whether Decline is offered for it."""
        state, text = self.state(call)
        if not text and not self.available():
            state = "note"
            text = self.tr(
                "Signed in with client credentials: a release opens the door, but the panel "
                "keeps ringing until it times out."
            )
        colors = state_colors(QGuiApplication.palette())
        color = {"told": colors.success, "failed": colors.danger}.get(state, colors.muted)
        label.setText(text)
        # Every second while a call rings: restyled only when the sentence's state changes.
        set_property(label, "answer_state", state)
        set_sheet(label, "" if label.property("on_accent") else f"color: {color.name()};")
        label.setVisible(bool(text))
        rings = self.answerer is not None and self.answerer.still_rings(call.logged_at)
        decline_button.setVisible(self.available() and rings)
        decline_button.setEnabled(state != "sending")
