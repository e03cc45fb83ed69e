"""What a person types on the command line, checked before anything is sent.

Each check gives ``ConfigError`` (exit 2) with a sentence naming the option, so that a typo
never reaches the cloud as something else: an id written in other scripts' digits, a time
without a zone (whose zone?), a time past the end of the calendar.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from bmx_console.api.models import Building
from bmx_console.config import parse_id, shown
from bmx_console.errors import ConfigError, NotFound

_EXAMPLE_TIME = "2026-11-21T14:00:00Z"


def strict_id(text: str, what: str) -> int:
    """A positive id in ASCII digits (``str.isdigit`` would take "١٢٣" too)."""
    value = parse_id(text)
    if value is None:
        raise ConfigError(
            f"{what} must be a positive whole number in digits 0-9: got {shown(text)}"
        )
    return value


def strict_ids(text: str, what: str) -> list[int]:
    parts = [p.strip() for p in text.split(",") if p.strip()]
    ids = [parse_id(p) for p in parts]
    if not parts or any(i is None for i in ids):
        raise ConfigError(
            f"{what} must be door ids separated by commas, in digits 0-9, such as 12,34: "
            f"got {shown(text)}"
        )
    return [i for i in ids if i is not None]


def zoned_time(text: str, option: str) -> datetime:
    """An ISO-8601 time that says its zone (``Z`` or an offset), as UTC."""
    raw = text.strip()
    candidate = raw[:-1] + "+00:00" if raw.endswith(("Z", "z")) else raw
    try:
        moment = datetime.fromisoformat(candidate)
    except ValueError:
        raise ConfigError(
            f"{option} must be an ISO-8601 time such as {_EXAMPLE_TIME}: got {shown(text)}"
        ) from None
    if moment.tzinfo is None:
        raise ConfigError(
            f"{option} needs a time zone: add Z for UTC or an offset such as -05:00 "
            f"(for example {_EXAMPLE_TIME}): got {shown(text)}"
        )
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ConfigError(f"{option} is outside the calendar: got {shown(text)}") from None


def check_building(building_id: int, buildings: Sequence[Building]) -> None:
    """NotFound (exit 4) naming the buildings these credentials see, unless one is it."""
    if any(b.id == building_id for b in buildings):
        return
    seen = ", ".join(f"{b.id} ({b.name})" for b in buildings[:20]) or "none"
    more = f" and {len(buildings) - 20} more" if len(buildings) > 20 else ""
    raise NotFound(
        f"building {building_id} is not one these credentials can see. The buildings they "
        f"see: {seen}{more}. Run `bmx-console buildings` for the list."
    )
