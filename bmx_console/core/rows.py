"""The GEM driver's listing commands' rows, made from the records: one place for the desk's
Commands dialog, the command line's commands and its quick path (``bmx_console.cli_quick``).

Kept apart from ``core.commands`` so that the quick path reads them without the directory,
the words and the async commands. JSON-friendly values only (see ``plain``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bmx_console.api.models import Building, Door, Panel, format_api_time

Row = dict[str, Any]


def plain(value: Any) -> Any:
    """``value`` made JSON-friendly: records to dicts, times to ISO ``Z``, tuples to lists.

    Record fields hidden from ``repr`` (a virtual key's PIN, its QR link) are left out, the
    same rule that keeps them out of logs.
    """
    if isinstance(value, datetime):
        return format_api_time(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value) if f.repr}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    return value


def door_row(door: Door, building_names: dict[int, str]) -> Row:
    return {
        "id": door.id,
        "name": door.name,
        "building": building_names.get(door.building_id or 0, ""),
        "building_id": door.building_id,
        "panel_ids": list(door.panel_ids),
    }


def scoped(buildings: list[Building], scope: int | None) -> list[Building]:
    """The buildings in scope: the one ``scope`` names, or all of them."""
    return [b for b in buildings if b.id == scope] if scope else buildings


def building_rows(buildings: list[Building], scope: int | None) -> list[Row]:
    """get_buildings: every building these credentials see (the scope's only, with one)."""
    return [plain(b) for b in scoped(buildings, scope)]


def door_rows(doors: Sequence[Door], buildings: Sequence[Building]) -> list[Row]:
    """get_doors: each door with its building's name (``buildings``: every one seen)."""
    names = {b.id: b.name for b in buildings}
    return [door_row(d, names) for d in doors]


def panel_rows(panels: Sequence[Panel]) -> list[Row]:
    """get_panels."""
    return [plain(p) for p in panels]


def status_row(
    roster: list[Row],
    *,
    demo: bool,
    api_base: str,
    building_id: int | None,
    release_tenant_id: int | None,
    token_expires_at: datetime | None,
    checked_at: datetime,
    connection: str = "connected",
) -> Row:
    """get_status: the connection, the token's expiry and the door roster."""
    return {
        "connection": connection,
        "demo": demo,
        "api_base": api_base,
        "building_id": building_id,
        "release_tenant_id": release_tenant_id,
        "token_expires_at": plain(token_expires_at),
        "checked_at": format_api_time(checked_at),
        "doors": len(roster),
        "door_roster": roster,
    }
