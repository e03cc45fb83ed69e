"""What an event's row says: times in the building's zone, the door, who and how."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QCoreApplication

from bmx_console.api.models import AccessEvent
from bmx_console.core.store import Store
from bmx_console.core.words import ACCESS_TOOL_WORDS, entry_method_words

# ButterflyMX is a Rails application; some accounts report Rails' zone names.
_RAILS_ZONES = {
    "Eastern Time (US & Canada)": "America/New_York",
    "Central Time (US & Canada)": "America/Chicago",
    "Mountain Time (US & Canada)": "America/Denver",
    "Pacific Time (US & Canada)": "America/Los_Angeles",
    "Arizona": "America/Phoenix",
    "Alaska": "America/Juneau",
    "Hawaii": "Pacific/Honolulu",
    "Atlantic Time (Canada)": "America/Halifax",
    "UTC": "UTC",
}


# The strings keep the pane's translation context, where they were first translated.
def _tr(text: str) -> str:
    return QCoreApplication.translate("EventPane", text)


# -- time zones ------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def zone_named(name: str | None) -> tzinfo:
    """The building's zone; UTC when the cloud gave none or a name zoneinfo does not know."""
    if not name:
        return UTC
    try:
        return ZoneInfo(_RAILS_ZONES.get(name, name))
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def building_zone(store: Store, building_id: int | None) -> tzinfo:
    building = store.buildings.get(building_id) if building_id is not None else None
    return zone_named(building.time_zone if building else None)


def format_local_time(moment: datetime, zone: tzinfo, now: datetime | None = None) -> str:
    """``14:03:12 EST`` today, ``Nov 20 14:03:12 EST`` on other days (in the zone given)."""
    local = moment.astimezone(zone)
    if now is not None and now.astimezone(zone).date() == local.date():
        return local.strftime("%H:%M:%S %Z")
    return local.strftime("%b %d %H:%M:%S %Z")


def format_full_time(moment: datetime, zone: tzinfo) -> str:
    local = moment.astimezone(zone)
    text = local.strftime("%a %b %d %Y, %H:%M:%S %Z")
    if local.utcoffset():
        text += moment.astimezone(UTC).strftime(" (%H:%M:%S UTC)")
    return text


# -- what a row says -------------------------------------------------------------------------


def door_label(store: Store, door_id: int | None) -> str:
    if door_id is None:
        return "—"
    row = store.door(door_id)
    return row.name if row is not None else _tr("door {0}").format(door_id)


def who_label(event: AccessEvent) -> str:
    if event.actor:
        return event.actor
    return _tr("Schedule") if event.kind == "schedule" else _tr("Unknown")


def method_label(event: AccessEvent, store: Store | None = None) -> str:
    """How the door was opened: "PIN" or "Fob" for a resident's access tool, "Pass: <name>"
    for a known pass, else the cloud's phrase."""
    if store is not None:
        directory = store.directory
        words = entry_method_words(
            event, tool_types=directory.tool_types, pass_names=directory.pass_names
        )
        if words != event.entry_method:
            return _tr(words) if words in ACCESS_TOOL_WORDS.values() else words
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
