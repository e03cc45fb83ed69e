"""One way of telling time, used by every screen of the desk.

A guard reads times against the clock on the wall, so by default every time is the desk's own
local time, with the date when it is not today. A building in another zone adds its own clock
("01:56 · 22:56 PST") only where it differs from the desk's, so that the same minute in three
buildings reads as the same minute. The ``time_display = "building"`` setting shows each time
in its building's zone instead, named. Exports never come through here: they stay UTC ISO 8601.

The desk's zone comes from :func:`set_desk_zone` (tests set it) or else from the operating
system (which honours ``TZ``), never from a zone a caller guessed.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

DESK = "desk"
BUILDING = "building"
TIME_DISPLAYS = (DESK, BUILDING)

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

_desk_zone: tzinfo | None = None
_display = DESK


def _tr(text: str) -> str:
    return QCoreApplication.translate("TimeText", text)


# -- where the desk is, and how it wants times ----------------------------------------------


def set_desk_zone(zone: tzinfo | None) -> None:
    """Pin the desk's zone (tests, or a desk told where it is); None: the system's again."""
    global _desk_zone
    _desk_zone = zone


def desk_zone() -> tzinfo:
    if _desk_zone is not None:
        return _desk_zone
    return datetime.now(UTC).astimezone().tzinfo or UTC


def set_time_display(mode: str) -> None:
    """``"desk"`` (the default) or ``"building"``: the ``time_display`` setting."""
    global _display
    _display = mode if mode in TIME_DISPLAYS else DESK


def time_display() -> str:
    return _display


@lru_cache(maxsize=64)
def zone_named(name: str | None) -> tzinfo | None:
    """A building's zone from the cloud's name for it; None when it gave none or a name
    zoneinfo does not know."""
    if not name:
        return None
    try:
        return ZoneInfo(_RAILS_ZONES.get(name, name))
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _differs(moment: datetime, zone: tzinfo | None, desk: tzinfo) -> bool:
    if zone is None:
        return False
    return moment.astimezone(zone).utcoffset() != moment.astimezone(desk).utcoffset()


def _day(local: datetime) -> str:
    # Month names through translation: "%b" would follow the C locale, not the guard's.
    return f"{QCoreApplication.translate('TimeText', str(_MONTHS[local.month - 1]))} {local.day}"


def _clock(local: datetime, seconds: bool) -> str:
    return local.strftime("%H:%M:%S" if seconds else "%H:%M")


# -- what a time says ------------------------------------------------------------------------


def time_text(
    moment: datetime,
    now: datetime | None = None,
    zone: tzinfo | None = None,
    *,
    seconds: bool = True,
) -> str:
    """A time as the desk shows it in a list: ``14:03:12`` today, ``Nov 20 14:03:12`` on
    another day (``now`` None: always with the date), and ``· 11:03 PST`` after it when the
    building's ``zone`` differs from the desk's. In the building display: ``11:03:12 PST``."""
    desk = desk_zone()
    if _display == BUILDING and zone is not None:
        local = moment.astimezone(zone)
        text = _clock(local, seconds) + " " + (local.tzname() or "")
        if now is None or now.astimezone(zone).date() != local.date():
            text = f"{_day(local)} {text}"
        return text.rstrip()
    local = moment.astimezone(desk)
    text = _clock(local, seconds)
    if now is None or now.astimezone(desk).date() != local.date():
        text = f"{_day(local)} {text}"
    if _differs(moment, zone, desk):
        assert zone is not None
        there = moment.astimezone(zone)
        text += f" · {there:%H:%M} {there.tzname() or ''}".rstrip()
    return text


def full_time_text(moment: datetime, zone: tzinfo | None = None) -> str:
    """The whole of it, for a tooltip or details: the date, the desk's time named, the
    building's when it differs, and UTC."""
    desk = desk_zone()
    local = moment.astimezone(desk)
    text = f"{local:%Y-%m-%d %H:%M:%S} {local.tzname() or ''}".rstrip()
    if _differs(moment, zone, desk):
        assert zone is not None
        there = moment.astimezone(zone)
        text += _tr(" · {0} in the building").format(
            f"{there:%H:%M:%S} {there.tzname() or ''}".rstrip()
        )
    if local.utcoffset():
        text += moment.astimezone(UTC).strftime(" (%H:%M:%S UTC)")
    return text


def dated_time_text(moment: datetime, zone: tzinfo | None = None) -> str:
    """Always with the date (a record read later, such as the audit): ``2026-11-21
    14:03:12``, the building's clock after it when it differs."""
    desk = desk_zone()
    local = moment.astimezone(desk)
    if _display == BUILDING and zone is not None:
        local = moment.astimezone(zone)
        return f"{local:%Y-%m-%d %H:%M:%S} {local.tzname() or ''}".rstrip()
    text = f"{local:%Y-%m-%d %H:%M:%S}"
    if _differs(moment, zone, desk):
        assert zone is not None
        there = moment.astimezone(zone)
        text += f" · {there:%H:%M} {there.tzname() or ''}".rstrip()
    return text


def utc_iso(moment: datetime) -> str:
    """What exports write: UTC, ISO 8601, whatever the display."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# The month abbreviations, marked for the translation tools and translated when shown.
_MONTHS = (
    QT_TRANSLATE_NOOP("TimeText", "Jan"),
    QT_TRANSLATE_NOOP("TimeText", "Feb"),
    QT_TRANSLATE_NOOP("TimeText", "Mar"),
    QT_TRANSLATE_NOOP("TimeText", "Apr"),
    QT_TRANSLATE_NOOP("TimeText", "May"),
    QT_TRANSLATE_NOOP("TimeText", "Jun"),
    QT_TRANSLATE_NOOP("TimeText", "Jul"),
    QT_TRANSLATE_NOOP("TimeText", "Aug"),
    QT_TRANSLATE_NOOP("TimeText", "Sep"),
    QT_TRANSLATE_NOOP("TimeText", "Oct"),
    QT_TRANSLATE_NOOP("TimeText", "Nov"),
    QT_TRANSLATE_NOOP("TimeText", "Dec"),
)
