"""What an event's row says: its time (as ``time_text`` tells it), the door, who and how."""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtCore import QCoreApplication

from bmx_console.api.models import AccessEvent
from bmx_console.core.store import Store
from bmx_console.core.words import entry_method_words
from bmx_console.ui.event_kinds import who_words
from bmx_console.ui.time_text import full_time_text, time_text, zone_named


# The strings keep the pane's translation context, where they were first translated.
def _tr(text: str) -> str:
    return QCoreApplication.translate("EventPane", text)


# -- time zones ------------------------------------------------------------------------------


def building_zone(store: Store, building_id: int | None) -> tzinfo | None:
    """The building's zone; None when the cloud gave none (the desk's clock alone is shown)."""
    building = store.buildings.get(building_id) if building_id is not None else None
    return zone_named(building.time_zone if building else None)


def format_local_time(moment: datetime, zone: tzinfo | None, now: datetime | None = None) -> str:
    """The desk's clock (the date too when not today), the building's after it if it differs:
    ``time_text`` has the one way of telling time."""
    return time_text(moment, now, zone)


def format_full_time(moment: datetime, zone: tzinfo | None) -> str:
    return full_time_text(moment, zone)


# -- what a row says -------------------------------------------------------------------------


def door_label(store: Store, door_id: int | None) -> str:
    if door_id is None:
        return "—"
    row = store.door(door_id)
    return row.name if row is not None else _tr("door {0}").format(door_id)


def who_label(event: AccessEvent) -> str:
    if event.actor:
        return who_words(event.actor)
    return _tr("Schedule") if event.kind == "schedule" else _tr("Unknown")


def method_label(event: AccessEvent, store: Store | None = None) -> str:
    """How the door was opened: "PIN" or "Fob" for a resident's access tool, "Pass: <name>"
    for a known pass, else the cloud's phrase."""
    if store is not None:
        directory = store.directory
        words = entry_method_words(
            event, tool_types=directory.tool_types, pass_names=directory.pass_names, tr=_tr
        )
        if words != event.entry_method:
            return words
    if event.entry_method:
        return event.entry_method
    if event.kind == "schedule":
        if event.release_status.lower() == "locked":
            return _tr("Locked by schedule")
        return _tr("Unlocked by schedule")
    return "—"


def unit_label(store: Store, unit_id: int | None) -> str:
    """A unit's label ("4B") where the directory knows it, else its id."""
    if unit_id is None:
        return "—"
    return store.directory.unit_label(unit_id) or _tr("unit {0}").format(unit_id)
