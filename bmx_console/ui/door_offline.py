"""Honest offline state: a banner that says since when ButterflyMX has been unreachable, and
door rows that stop claiming "Ready" while nothing is heard from it.

The banner appears with the first poll that fails on the network (not after the data has
gone stale, minutes later), unless another poller has got through since that failure began:
then the link works and the trouble is elsewhere (the status bar tells that). Nothing here
says releases work; a release is only known to work when one succeeds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from PySide6.QtCore import QObject

from bmx_console.core.health import PollerHealth
from bmx_console.core.store import Store
from bmx_console.ui.status_bar import clock_text
from bmx_console.ui.store_signals import store_signals


def offline_since(healths: Iterable[PollerHealth]) -> datetime | None:
    """When ButterflyMX became unreachable, or None while it is not known to be."""
    items = list(healths)
    failing = [h.failing_since for h in items if h.error_kind == "network" and h.failing_since]
    if not failing:
        return None
    since = min(failing)
    # A poller that got through after the failures began: the network reaches ButterflyMX.
    if any(h.error_kind != "network" and h.last_success and h.last_success > since for h in items):
        return None
    return since


class OfflineNotice(QObject):
    """Keeps the window's offline banner (``show(title, detail)`` / ``hide()``) and the door
    rows (``set_rows(reason)``) in step with the pollers' health."""

    def __init__(
        self,
        store: Store,
        *,
        show: Callable[[str, str], None],
        hide: Callable[[], None],
        set_rows: Callable[[str], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._show = show
        self._hide = hide
        self._set_rows = set_rows
        self.since: datetime | None = None
        signals = store_signals(store)
        signals.health_changed.connect(self.refresh)
        signals.connection_changed.connect(self.refresh)
        self.refresh()

    def refresh(self, *_: object) -> None:
        if self._store.connection == "signed_out":
            # The signed-out banner says so, its own way; the rows are not known either.
            self.since = None
            self._hide()
            self._set_rows(self.tr("Signed out"))
            return
        since = offline_since(self._store.healths())
        self.since = since
        if since is None:
            self._hide()
            self._set_rows("")
            return
        self._show(
            self.tr("ButterflyMX unreachable since {0} — releases may not go through").format(
                clock_text(since)
            ),
            self.tr(
                "The desk keeps trying. Until it gets through, the doors' state is not known; "
                "you can still try a release, and the row says whether it went through."
            ),
        )
        self._set_rows(self.tr("Offline"))
