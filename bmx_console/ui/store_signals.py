"""The store's notifications as Qt signals: the one way widgets and models hear of changes.

``store_signals(store)`` gives the store's one bridge, made and subscribed on first use. A
widget connects the signals it needs to its own methods; Qt drops those connections when
the widget is destroyed, so a closed window is neither kept alive nor called, with no weak
references to manage. The bridge itself lives as long as its store.

The signals carry what the ``StoreListener`` methods of the same names receive (batches as
lists). They are direct connections: everything runs on the GUI thread, which is the
asyncio loop's thread, so a receiver runs inside the store's call, as a listener did.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence

import shiboken6
from PySide6.QtCore import QObject, Signal

from bmx_console.api.models import AccessEvent, Call
from bmx_console.core.health import ConnectionState
from bmx_console.core.store import Store, StoreListener


class StoreSignals(QObject):
    """One store's notifications (see ``StoreListener`` for what each one means).

    Not itself a ``StoreListener``: its signals take the listener methods' names, so a
    small forwarder subscribes on its behalf."""

    doors_reset = Signal()
    doors_changed = Signal(list)  # row indexes
    roster_changed = Signal()
    events_added = Signal(list)  # AccessEvent, oldest first
    events_dropped = Signal(int)
    calls_added = Signal(list)  # Call, oldest first
    calls_changed = Signal(list)  # Call
    calls_dropped = Signal(int)
    health_changed = Signal()
    connection_changed = Signal(str)  # ConnectionState


class _Forwarder(StoreListener):
    """The bridge's subscription: each notification emitted as the signal of its name.

    The store holds this strongly; it holds the bridge, which must not lead back to the
    store (the registry below keeps bridges by weak store keys)."""

    def __init__(self, signals: StoreSignals) -> None:
        self._signals = signals
        self.unsubscribe: Callable[[], None] = lambda: None

    def _live(self) -> StoreSignals | None:
        if shiboken6.isValid(self._signals):
            return self._signals
        self.unsubscribe()  # someone deleted the bridge; a new one replaces it
        return None

    def doors_reset(self) -> None:
        if (signals := self._live()) is not None:
            signals.doors_reset.emit()

    def doors_changed(self, indexes: Sequence[int]) -> None:
        if (signals := self._live()) is not None:
            signals.doors_changed.emit(list(indexes))

    def roster_changed(self) -> None:
        if (signals := self._live()) is not None:
            signals.roster_changed.emit()

    def events_added(self, events: Sequence[AccessEvent]) -> None:
        if (signals := self._live()) is not None:
            signals.events_added.emit(list(events))

    def events_dropped(self, count: int) -> None:
        if (signals := self._live()) is not None:
            signals.events_dropped.emit(count)

    def calls_added(self, calls: Sequence[Call]) -> None:
        if (signals := self._live()) is not None:
            signals.calls_added.emit(list(calls))

    def calls_changed(self, calls: Sequence[Call]) -> None:
        if (signals := self._live()) is not None:
            signals.calls_changed.emit(list(calls))

    def calls_dropped(self, count: int) -> None:
        if (signals := self._live()) is not None:
            signals.calls_dropped.emit(count)

    def health_changed(self) -> None:
        if (signals := self._live()) is not None:
            signals.health_changed.emit()

    def connection_changed(self, state: ConnectionState) -> None:
        if (signals := self._live()) is not None:
            signals.connection_changed.emit(state)


# Keyed weakly: a store (and so its bridge) goes when its desk does; tests make many.
_bridges: weakref.WeakKeyDictionary[Store, StoreSignals] = weakref.WeakKeyDictionary()


def store_signals(store: Store) -> StoreSignals:
    """The store's bridge, made and subscribed the first time it is asked for."""
    bridge = _bridges.get(store)
    if bridge is None or not shiboken6.isValid(bridge):
        bridge = StoreSignals()
        forwarder = _Forwarder(bridge)
        forwarder.unsubscribe = store.subscribe(forwarder)
        _bridges[store] = bridge
    return bridge
