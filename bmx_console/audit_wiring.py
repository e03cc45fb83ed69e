"""The desk's audit, wired in one place: the log anchored in the keyring, the operator
actions, the cloud as witness, the copy forwarded to syslog, private files.

Kept out of ``desk.py`` so that the desk only calls a handful of methods at the moments that
matter (start, close, the call banner, the Audit tab). The log, its anchor and the action
recorder are built by ``bmx_console.services``, as for the command line; this adds what only a
running desk does: the syslog copy, settling unknown outcomes at start, the status bar note.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from bmx_console.clock import Clock
from bmx_console.core.store import Store
from bmx_console.errors import BmxError
from bmx_console.services import Services

if TYPE_CHECKING:
    from bmx_console.config import Settings
    from bmx_console.core.forward import SyslogForwarder
    from bmx_console.core.witness import AccessLogReader, CloudCheck
    from bmx_console.ui.main_window import MainWindow

log = logging.getLogger(__name__)


class DeskAudit:
    def __init__(self, services: Services) -> None:
        self._services = services
        services.tighten_files()
        self.log = services.audit
        self.actions = services.actions
        self.forwarder: SyslogForwarder | None = None
        syslog = services.settings.audit_syslog
        if syslog:
            from bmx_console.core.forward import SyslogForwarder

            self.forwarder = SyslogForwarder(syslog, services.audit_path).start()
            self.log.add_listener(self.forwarder.wake)
        if self.log.anchor is not None and not self.log.anchor.available:
            log.warning("No usable OS keyring: rollback of the audit log cannot be detected.")
        self._banner: Any = None
        self.forwarding_label: Any = None

    def start(self, reader: AccessLogReader, settings: Settings, clock: Clock) -> None:
        """The shift starts; releases a crash left unknown are looked up in the cloud."""
        from bmx_console.ui import qt_async

        self.actions.shift_start()
        qt_async.spawn(
            self.settle(reader, settings, clock), name="Checking releases of unknown outcome"
        )

    def close(self) -> None:
        self.actions.shift_end()
        if self.forwarder is not None:
            self.forwarder.stop(timeout_s=0.2)
        self._services.close_audit()
        self._services.tighten_files()

    # -- calls ------------------------------------------------------------------------------

    def watch_calls(self, banner: Any) -> None:
        """Calls acknowledged and dismissed on the banner are operator actions too."""
        self._banner = banner
        for name, record in (
            ("acknowledged", self.actions.call_acknowledged),
            ("dismissed", self.actions.call_dismissed),
        ):
            signal = getattr(banner, name, None)
            if signal is not None:
                signal.connect(record)

    def release_from_call(
        self, store: Store, release: Callable[[int], Awaitable[object]]
    ) -> Callable[[int], Awaitable[object]]:
        """The banner's release: recorded as answering the call on screen, then made through
        the same gate (and write-ahead audit) as every other release."""

        async def from_call(door_id: int) -> object:
            current = getattr(self._banner, "current_call", None)
            call = current() if callable(current) else None
            if call is not None:
                row = store.door(door_id)
                self.actions.call_release(call, door_id, row.name if row else f"door {door_id}")
            return await release(door_id)

        return from_call

    # -- the cloud as witness -----------------------------------------------------------

    async def check_cloud(self, reader: AccessLogReader, settings: Settings) -> CloudCheck:
        """The Audit tab's "Check against ButterflyMX": the last day, both ways."""
        from bmx_console.core.witness import compare

        return await compare(
            self.log,
            reader,
            tenants=self._services.release_tenant_ids(),
            building_id=settings.building_id,
        )

    async def settle(self, reader: AccessLogReader, settings: Settings, clock: Clock) -> None:
        from bmx_console.core.witness import settle, settle_sentences

        if not self.log.unsettled():
            return
        try:
            confirmed, unknown = await settle(
                self.log, reader, tenants=self._services.release_tenant_ids(), clock=clock
            )
        except BmxError as exc:
            log.warning("Releases of unknown outcome could not be checked: %s", exc)
            return
        for sentence in settle_sentences(confirmed, unknown):
            log.info("%s", sentence)

    # -- the copy off the desk --------------------------------------------------------------

    def show_forwarding(self, window: MainWindow) -> None:
        """The status bar says when audit entries wait for the syslog server."""
        if self.forwarder is None:
            return
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QLabel

        label = QLabel(window.status)
        label.setAccessibleName(window.tr("Audit forwarding"))
        window.status.addPermanentWidget(label)
        forwarder = self.forwarder

        def refresh() -> None:
            text = forwarder.status()
            label.setText(text)
            label.setVisible(bool(text))

        timer = QTimer(label)
        timer.setInterval(2_000)
        timer.timeout.connect(refresh)
        timer.start()
        refresh()
        self.forwarding_label = label


__all__ = ["DeskAudit"]
