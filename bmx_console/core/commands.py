"""The GEM driver's commands as plain rows, shared by the desk's Commands dialog and the CLI.

Integrators know ``get_doors`` and friends from the GEM ButterflyMX driver; the console offers
the same names with the same meaning. Every command returns JSON-friendly data (dicts, lists,
strings, numbers, ``None``; times as ISO-8601 UTC with ``Z``) so that one result can be shown
as a table, copied as JSON or printed. Secrets (client secret, tokens, PINs) are never part of
a result.

The commands take the API client and what they report about it (``CommandTarget``), not a
connection: ``bmx_console.probes.commands_for`` makes one from the running connection.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from bmx_console.api.models import AccessEvent, Building, Tenant, format_api_time
from bmx_console.clock import Clock, SystemClock
from bmx_console.core.directory import Directory
from bmx_console.core.rows import (
    Row,
    building_rows,
    door_rows,
    panel_rows,
    plain,
    scoped,
    status_row,
)
from bmx_console.core.words import QT_TRANSLATE_NOOP, entry_method_words

if TYPE_CHECKING:
    from bmx_console.api.auth import TokenManager
    from bmx_console.api.client import BmxClient
    from bmx_console.core.store import Store

Result = list[Row] | Row
Command = Callable[[], Awaitable[Result]]

# How far back get_events walks the access log, and how many of the newest it returns: enough
# to see what just happened at a door, few enough to read in a dialog.
RECENT_EVENTS = timedelta(hours=1)
EVENT_LIMIT = 200

# In English; the commands dialog says them in the desk's language.
COMMAND_NOTES: dict[str, str] = {
    "get_buildings": QT_TRANSLATE_NOOP(
        "CommandsDialog", "List buildings visible to the credentials."
    ),
    "get_doors": QT_TRANSLATE_NOOP(
        "CommandsDialog", "List doors. Each door's id is the address it is released by."
    ),
    "get_panels": QT_TRANSLATE_NOOP(
        "CommandsDialog", "List intercom panels (the hardware door stations)."
    ),
    "get_status": QT_TRANSLATE_NOOP(
        "CommandsDialog", "Force a status tick and return the cached door roster."
    ),
    "get_events": QT_TRANSLATE_NOOP(
        "CommandsDialog", "Walk the recent access-log feed (the last hour, newest first)."
    ),
    "refresh_token": QT_TRANSLATE_NOOP("CommandsDialog", "Force a fresh OAuth 2.0 token (debug)."),
}


def event_row(
    event: AccessEvent, door_names: dict[int, str], directory: Directory | None = None
) -> Row:
    """One event for the command line; with the ``directory``, in the desk's words ("PIN",
    "Fob", "Pass: <name>") and with the unit's label."""
    method = event.entry_method
    unit: str | None = None
    if directory is not None:
        method = entry_method_words(
            event, tool_types=directory.tool_types, pass_names=directory.pass_names
        )
        unit = directory.unit_label(event.unit_id)
    return {
        "logged_at": format_api_time(event.logged_at),
        "kind": event.kind,
        "door": door_names.get(event.door_id or 0, ""),
        "door_id": event.door_id,
        "release_status": event.release_status,
        "who": event.actor_display,
        "unit": unit or (f"unit {event.unit_id}" if event.unit_id else None),
        "entry_method": method,
        "id": event.id,
    }


@dataclass(frozen=True, slots=True)
class CommandTarget:
    """What the commands talk to, and what get_status reports about it."""

    client: BmxClient
    tokens: TokenManager
    api_base: str
    building_id: int | None
    release_tenant_id: int | None
    demo: bool


def driver_commands(
    target: CommandTarget, store: Store | None = None, *, clock: Clock | None = None
) -> dict[str, Command]:
    """get_buildings, get_doors, get_panels, get_status, get_events and refresh_token.

    With a ``store`` (the desk), get_status adds what the desk knows about each door (its
    release state and last event) and the pollers' connection state; without one (the
    command line) it reports the roster as the cloud returns it.
    """
    client = target.client
    scope = target.building_id
    clock = clock or SystemClock()

    async def buildings() -> list[Building]:
        return scoped(await client.buildings(), scope)

    async def get_buildings() -> list[Row]:
        return building_rows(await client.buildings(), scope)

    async def get_doors() -> list[Row]:
        seen = await client.buildings()
        return door_rows(await client.doors(scope), seen)

    async def get_panels() -> list[Row]:
        return panel_rows(await client.panels(scope))

    async def get_status() -> Row:
        roster = await get_doors()
        checked_at = clock.now()
        if store is not None:
            for row in roster:
                known = store.door(row["id"])
                row["state"] = known.state if known else "idle"
                row["last_event"] = known.last_event if known else None
                row["last_event_at"] = plain(known.last_event_at) if known else None
                row["last_event_user"] = known.last_event_user if known else None
        return status_row(
            roster,
            connection=store.connection if store is not None else "connected",
            demo=target.demo,
            api_base=target.api_base,
            building_id=scope,
            release_tenant_id=target.release_tenant_id,
            token_expires_at=target.tokens.expires_at,
            checked_at=checked_at,
        )

    async def get_events() -> list[Row]:
        since = clock.now() - RECENT_EVENTS
        building_ids = [b.id for b in await buildings()]
        door_names = {d.id: d.name for d in await client.doors(scope)}
        found: dict[int, AccessEvent] = {}
        for building_id in building_ids:
            for event in await client.access_events(building_id, since):
                found[event.id] = event
        newest = sorted(found.values(), key=lambda e: (e.logged_at, e.id), reverse=True)
        return [event_row(e, door_names) for e in newest[:EVENT_LIMIT]]

    async def refresh_token() -> Row:
        token = await target.tokens.refresh()
        return {
            "token": "refreshed",
            "expires_at": format_api_time(token.expires_at),
            "scope": token.scope,
        }

    return {
        "get_buildings": get_buildings,
        "get_doors": get_doors,
        "get_panels": get_panels,
        "get_status": get_status,
        "get_events": get_events,
        "refresh_token": refresh_token,
    }


# --- the front desk's tenant ---------------------------------------------------------------

_DESK_NAMES = (
    re.compile(r"\bfront[\s_-]*desk\b"),
    re.compile(r"\bconcierge\b"),
    re.compile(r"\breception\b"),
    re.compile(r"\b(security|lobby)[\s_-]*desk\b"),
    re.compile(r"\bdesk\b"),
    re.compile(r"\b(lobby|attendant|doorman|security)\b"),
)


def suggest_release_tenant(tenants: Iterable[Tenant]) -> Tenant | None:
    """The placeholder tenant a front desk releases as: the one named most like "Front Desk".

    Properties set one up per building (a placeholder unit and a tenant such as "Front Desk"),
    but the name is the property's choice, so weaker matches count too.
    """
    best: tuple[int, Tenant] | None = None
    for tenant in tenants:
        name = f"{tenant.name} {tenant.unit_label or ''}".casefold()
        rank = next((i for i, p in enumerate(_DESK_NAMES) if p.search(name)), None)
        if rank is not None and (best is None or rank < best[0]):
            best = (rank, tenant)
    return best[1] if best else None
