"""The command line's calls and residents: ``calls``, ``tenants``, and ``unlock --call``'s
word to the ringing panel.

Kept apart from ``cli_commands`` so that module stays short; imported when one of these
commands runs.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol, TextIO

from bmx_console.api.models import Call, Tenant, format_api_time, parse_time
from bmx_console.config import Settings
from bmx_console.core.words import call_status_words
from bmx_console.errors import EXIT_OK, BmxError, ConfigError
from bmx_console.services import Services


class Context(Protocol):
    """What ``cli_commands.Context`` gives a command (named here: no import cycle)."""

    args: argparse.Namespace
    services: Services
    out: TextIO

    @property
    def settings(self) -> Settings: ...

    def emit(self, rows: list[dict[str, Any]], columns: Sequence[str]) -> None: ...

    def emit_line(self, row: dict[str, Any], columns: Sequence[str]) -> None: ...


async def tell_panel(ctx: Context, call_text: str) -> int:
    """After ``unlock ADDRESS --call ID`` released the door: tell the call's panel (v3
    open_door), once, so that it stops ringing. The release stands whatever happens here."""
    text = call_text.strip()
    if not text.isdigit():
        raise ConfigError(f"--call must be a call id from `bmx-console calls`: got {call_text!r}")
    notifier = ctx.services.call_notifier
    if not notifier.available:
        print(
            "bmx-console: signed in with client credentials: the door is open, but the panel "
            "keeps ringing until it times out (sign in with `bmx-console login` to end calls).",
            file=sys.stderr,
        )
        return EXIT_OK
    try:
        await notifier.notify(int(text), "open_door")
    except BmxError as exc:
        print(f"bmx-console: the door is open, but the panel was not told: {exc}", file=sys.stderr)
        return exc.exit_code
    ctx.out.write(f"told the panel of call {text}: it stops ringing\n")
    return EXIT_OK


CALL_COLUMNS = ("logged_at", "building", "panel", "recipient", "unit", "status", "id")


class Directory:
    """Names for the ids a call or an event carries: buildings, panels, residents, units."""

    def __init__(
        self,
        buildings: dict[int, str],
        panels: dict[int, str],
        tenants: Sequence[Tenant],
        desk_tenants: set[int],
    ) -> None:
        self.buildings = buildings
        self.panels = panels
        self.tenants = {t.id: t for t in tenants}
        self.units = {t.unit_id: t.unit_label for t in tenants if t.unit_id and t.unit_label}
        self.desk_tenants = desk_tenants

    @classmethod
    async def load(cls, ctx: Context) -> Directory:
        client = ctx.services.connection.client
        scope = ctx.settings.building_id
        buildings = {b.id: b.name for b in await client.buildings() if not scope or b.id == scope}
        panels = {p.id: p.name for p in await client.panels(scope)}
        tenants = await client.tenants(scope)
        s = ctx.settings
        desk = {t for t in (s.release_tenant_id, *dict(s.release_tenants).values()) if t}
        return cls(buildings, panels, tenants, desk)

    def unit(self, unit_id: int | None) -> str | None:
        if unit_id is None:
            return None
        return self.units.get(unit_id) or f"unit {unit_id}"

    def call_row(self, call: Call) -> dict[str, Any]:
        attendant = (call.recipient_type or "").lower() == "attendant"
        tenant = self.tenants.get(call.recipient_id) if call.recipient_id else None
        recipient: str | None
        if attendant or (call.recipient_id is not None and call.recipient_id in self.desk_tenants):
            recipient = "Front desk"
        elif tenant is not None:
            recipient = tenant.name
        elif call.recipient_id is not None:
            recipient = f"{call.recipient_type or 'Tenant'} {call.recipient_id}"
        else:
            recipient = call.recipient_type or None
        return {
            "logged_at": format_api_time(call.logged_at),
            "building": self.buildings.get(call.building_id or 0),
            "building_id": call.building_id,
            "panel": call.panel_name or self.panels.get(call.panel_id or 0),
            "panel_id": call.panel_id,
            "recipient": recipient,
            "unit": self.unit(call.unit_id),
            "status": call_status_words(call.status),
            "status_code": call.status,
            "id": call.id,
        }


async def cmd_calls(ctx: Context) -> int:
    """Panel calls with their building, panel, recipient, unit and status in words; with
    --follow, each new call once as it comes."""
    client = ctx.services.connection.client
    since = parse_time(ctx.args.since) if ctx.args.since else None
    if ctx.args.since and since is None:
        raise ConfigError(
            f"--since must be an ISO-8601 time such as 2026-11-21T14:00:00Z: got {ctx.args.since!r}"
        )
    directory = await Directory.load(ctx)
    seen: set[int] = set()

    async def fetch(from_: datetime | None) -> list[Call]:
        found: list[Call] = []
        for building in directory.buildings:
            found += await client.calls(building, from_)
        fresh = sorted((c for c in found if c.id not in seen), key=lambda c: (c.logged_at, c.id))
        seen.update(c.id for c in fresh)
        return fresh

    calls = await fetch(since)
    ctx.emit([directory.call_row(c) for c in calls], CALL_COLUMNS)
    if not ctx.args.follow:
        return EXIT_OK
    cursor = calls[-1].logged_at if calls else since
    interval = max(ctx.settings.calls_interval, 1_000) / 1000
    while True:
        ctx.out.flush()
        await asyncio.sleep(interval)
        for call in await fetch(cursor):
            cursor = call.logged_at if cursor is None else max(cursor, call.logged_at)
            ctx.emit_line(directory.call_row(call), CALL_COLUMNS)


TENANT_COLUMNS = ("name", "unit", "floor", "building", "id")


async def cmd_tenants(ctx: Context) -> int:
    """The resident directory: name (full name, else first and last), unit label and floor,
    building; ``--search`` matches any of the names or the unit."""
    from bmx_console.core.directory import Directory as Residents

    client = ctx.services.connection.client
    scope = ctx.settings.building_id
    buildings = {b.id: b.name for b in await client.buildings() if not scope or b.id == scope}
    residents = Residents.build(await client.tenants(scope))
    found = residents.search(ctx.args.search or "", buildings)
    ctx.emit(
        [
            {
                "name": t.name,
                "first_name": t.first_name,
                "last_name": t.last_name,
                "unit": t.unit_label,
                "unit_id": t.unit_id,
                "floor": t.floor,
                "building": buildings.get(t.building_id or 0),
                "building_id": t.building_id,
                "id": t.id,
            }
            for t in found
        ],
        TENANT_COLUMNS,
    )
    return EXIT_OK
