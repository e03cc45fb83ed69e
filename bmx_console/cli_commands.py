"""The command line's commands: the GEM driver's commands, releases, passes, the audit log.

Kept apart from ``bmx_console.cli`` (parsing and dispatch) so that starting the desk window
never loads what only the commands need: the network stack, the keyring, asyncio.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import getpass
import json
import logging
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from bmx_console import __version__
from bmx_console.api.models import AccessEvent, parse_time
from bmx_console.config import Settings, settings_from_args
from bmx_console.connect import Connection
from bmx_console.core.commands import event_row, plain
from bmx_console.core.directory import load_directory
from bmx_console.errors import EXIT_OK, EXIT_USAGE, BmxError, ConfigError, NotFound
from bmx_console.probes import commands_for
from bmx_console.secrets import SecretStore
from bmx_console.services import Services

log = logging.getLogger(__name__)
Command = Callable[["Context"], Awaitable[int]]


@dataclasses.dataclass
class Context:
    args: argparse.Namespace
    services: Services
    out: TextIO

    @property
    def conn(self) -> Connection:
        return self.services.connection

    @property
    def secrets(self) -> SecretStore:
        return self.services.secrets

    @property
    def settings(self) -> Settings:
        """The settings in force (for the demo: pointed at the simulator)."""
        return self.services.in_force

    def emit(self, rows: list[dict[str, Any]], columns: Sequence[str]) -> None:
        if self.args.json:
            self.out.write(json.dumps(rows, indent=2, default=_json_default) + "\n")
        else:
            self.out.write(format_table(rows, columns))

    def emit_line(self, row: dict[str, Any], columns: Sequence[str]) -> None:
        """One more row of a table already printed (--follow): a JSON line, or a table row."""
        if self.args.json:
            self.out.write(json.dumps(row, default=_json_default) + "\n")
        else:
            self.out.write(format_table([row], columns).splitlines()[1] + "\n")

    def emit_one(self, record: dict[str, Any]) -> None:
        if self.args.json:
            self.out.write(json.dumps(record, indent=2, default=_json_default) + "\n")
        else:
            width = max((len(k) for k in record), default=0)
            for key, value in record.items():
                self.out.write(f"{key.ljust(width)}  {_cell(value)}\n")


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(type(value).__name__)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value) or "-"
    return str(value)


def format_table(rows: list[dict[str, Any]], columns: Sequence[str]) -> str:
    if not rows:
        return "(none)\n"
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.upper().ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(lines) + "\n"


# --- commands --------------------------------------------------------------------------


async def _run_driver_command(ctx: Context, name: str) -> Any:
    return await commands_for(ctx.conn)[name]()


async def cmd_buildings(ctx: Context) -> int:
    rows = await _run_driver_command(ctx, "get_buildings")
    ctx.emit(rows, ("id", "name", "time_zone", "address"))
    return EXIT_OK


async def cmd_doors(ctx: Context) -> int:
    rows = await _run_driver_command(ctx, "get_doors")
    ctx.emit(rows, ("id", "name", "building", "building_id", "panel_ids"))
    return EXIT_OK


async def cmd_panels(ctx: Context) -> int:
    rows = await _run_driver_command(ctx, "get_panels")
    ctx.emit(rows, ("id", "name", "type", "model", "building_id"))
    return EXIT_OK


async def cmd_status(ctx: Context) -> int:
    status = await _run_driver_command(ctx, "get_status")
    if ctx.args.json:
        ctx.emit_one(status)
        return EXIT_OK
    roster = status.pop("door_roster")
    ctx.emit_one(status)
    ctx.out.write("\n" + format_table(roster, ("id", "name", "building")))
    return EXIT_OK


async def cmd_refresh_token(ctx: Context) -> int:
    ctx.emit_one(await _run_driver_command(ctx, "refresh_token"))
    return EXIT_OK


EVENT_COLUMNS = (
    "logged_at",
    "kind",
    "door",
    "release_status",
    "who",
    "unit",
    "entry_method",
    "id",
)


async def cmd_events(ctx: Context) -> int:
    """Recent events; with --follow, keeps polling and prints each new event once (the
    cloud may ignore the time filter and send old ones again: they are dropped by id)."""
    client = ctx.conn.client
    since = _since(ctx.args.since) if ctx.args.since else None
    scope = ctx.settings.building_id
    buildings = [scope] if scope else [b.id for b in await client.buildings()]
    door_names = {d.id: d.name for d in await client.doors(scope)}
    directory = await load_directory(client, scope)
    seen: set[int] = set()

    async def fetch(since_: datetime | None) -> list[AccessEvent]:
        found: list[AccessEvent] = []
        for building in buildings:
            found += await client.access_events(building, since_)
        fresh = sorted((e for e in found if e.id not in seen), key=lambda e: e.logged_at)
        seen.update(e.id for e in fresh)
        return fresh

    events = await fetch(since)
    ctx.emit([event_row(e, door_names, directory) for e in events], EVENT_COLUMNS)
    if not ctx.args.follow:
        return EXIT_OK
    cursor = events[-1].logged_at if events else since
    interval = max(ctx.settings.events_interval, 1_000) / 1000
    while True:
        ctx.out.flush()
        await asyncio.sleep(interval)
        for event in await fetch(cursor):
            cursor = event.logged_at if cursor is None else max(cursor, event.logged_at)
            row = event_row(event, door_names, directory)
            if ctx.args.json:
                ctx.out.write(json.dumps(row, default=_json_default) + "\n")
            else:
                ctx.out.write(format_table([row], EVENT_COLUMNS).splitlines()[1] + "\n")


async def cmd_unlock(ctx: Context) -> int:
    """Release one door through the same service as the desk: one request, never retried
    once it may have reached the cloud, and audited before success is reported."""
    client = ctx.conn.client
    address = ctx.args.address.strip()
    doors = await client.doors(ctx.settings.building_id)
    door = next((d for d in doors if str(d.id) == address), None)
    if door is None:
        raise NotFound(
            f"no door with address {address!r}: run `bmx-console doors` and copy the id "
            f"exactly as it is shown"
        )
    if ctx.settings.release_tenant_for(door.building_id) is None:
        building = next(
            (b.name for b in await client.buildings() if b.id == door.building_id), None
        )
        where = f"{building} (building {door.building_id})" if building else "its building"
        raise ConfigError(
            f"no front-desk tenant to release {door.name} as: {where} has none. ButterflyMX "
            "releases a door only as a tenant of the door's own building; add that building "
            'to [release_tenants] in the settings ("BUILDING_ID" = TENANT_ID), set '
            "release_tenant_id for a one-building desk, or pass --release-tenant ID"
        )
    ctx.services.store.set_roster([], [door], [])
    outcome = await ctx.services.releases.release(door.id)
    if outcome.error is not None:
        raise outcome.cause or BmxError(outcome.error)
    release = outcome.release
    assert release is not None
    if ctx.args.json:
        ctx.emit_one({**plain(release), "door_name": door.name})
    else:
        ctx.out.write(
            f"released {door.name} (door {door.id}); release id {release.id}, guid {release.guid}\n"
        )
    if outcome.audit_error:
        print(f"bmx-console: {outcome.audit_error}", file=sys.stderr)
    if getattr(ctx.args, "call", None):
        from bmx_console.cli_calls import tell_panel

        return await tell_panel(ctx, ctx.args.call)
    return EXIT_OK


async def cmd_login(ctx: Context) -> int:
    request = ctx.conn.tokens.start_sign_in()
    ctx.out.write(
        "Open this address in a browser, sign in to ButterflyMX, and paste the code it shows:\n"
        f"\n  {request.url}\n\n"
    )
    ctx.out.flush()
    ctx.out.write("code: ")
    ctx.out.flush()
    # The prompt waits on a person; nothing else runs on this loop meanwhile.
    code = (await asyncio.to_thread(sys.stdin.readline)).strip()
    if not code:
        raise ConfigError("no code was pasted: sign-in cancelled")
    token = await ctx.conn.tokens.finish_sign_in(request, code)
    ctx.out.write(
        f"signed in; the sign-in is saved in the OS keyring "
        f"(token valid until {_cell(token.expires_at)})\n"
    )
    return EXIT_OK


async def cmd_config(ctx: Context) -> int:
    s = ctx.settings
    shown = {f.name: getattr(s, f.name) for f in dataclasses.fields(s) if f.name != "kiosk"}
    shown["client_secret"] = _masked(ctx)
    shown["refresh_token"] = (
        "(demo)"
        if ctx.conn.demo
        else "saved in the OS keyring"
        if ctx.secrets.refresh_token(s.client_id, s.token_url)
        else "not set"
    )
    shown["config_file"] = str(ctx.services.paths.config_file)
    shown["keyring"] = ctx.secrets.backend_name
    ctx.emit_one(shown)
    return EXIT_OK


def _masked(ctx: Context) -> str:
    if ctx.conn.demo:
        return "******** (demo)"
    source = ctx.secrets.client_secret_source(ctx.settings.client_id)
    return "not set" if source == "not set" else f"******** ({source})"


def _since(text: str, option: str = "--since") -> datetime:
    moment = parse_time(text)
    if moment is None:
        raise ConfigError(
            f"{option} must be an ISO-8601 time such as 2026-11-21T14:00:00Z: got {text!r}"
        )
    return moment


PASS_COLUMNS = (
    "id",
    "name",
    "kind",
    "starts_at",
    "ends_at",
    "door_ids",
    "first_used_at",
    "last_used_at",
    "uses",
)


async def cmd_pass(ctx: Context) -> int:
    """``pass create|list|revoke``: the desk's visitor and delivery passes."""
    from bmx_console.core.passes import PassHalfDone

    args, s = ctx.args, ctx.settings
    passes = ctx.services.passes
    if args.pass_command == "list":
        ctx.emit([p.to_dict() for p in await passes.active_passes()], PASS_COLUMNS)
        return EXIT_OK
    if args.pass_command == "revoke":
        if not args.id.strip().isdigit():
            raise ConfigError(f"ID must be a pass id from `bmx-console pass list`: got {args.id!r}")
        revoked = await passes.revoke(int(args.id))
        if ctx.args.json:
            ctx.emit_one(plain(revoked))
        else:
            ctx.out.write(f'revoked pass "{revoked.name}" (keychain {revoked.keychain_id})\n')
        audit_error = revoked.audit_error
    else:
        try:
            if args.delivery:
                if args.hours is not None or args.doors or args.start:
                    raise ConfigError(
                        "--hours, --doors and --start do not apply to a delivery pass: "
                        "ButterflyMX sets its window and doors"
                    )
                made = await passes.create_delivery_pass(args.name or "Delivery")
            else:
                if args.hours is None:
                    raise ConfigError(
                        f"--hours is needed for a visitor pass (at most "
                        f"{s.pass_max_hours} h at this property)"
                    )
                made = await passes.create_visitor_pass(
                    args.name or "",
                    contact=args.contact,
                    start=_since(args.start, "--start") if args.start else None,
                    hours=args.hours,
                    door_ids=_ids(args.doors) if args.doors else None,
                )
        except PassHalfDone as exc:
            print(
                f"bmx-console: to delete it: bmx-console pass revoke {exc.keychain.id}",
                file=sys.stderr,
            )
            raise
        ctx.emit_one(made.to_dict(with_pin=True))
        audit_error = made.audit_error
    if audit_error:
        print(f"bmx-console: the audit log could not be written: {audit_error}", file=sys.stderr)
    return EXIT_OK


def _ids(text: str) -> list[int]:
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts or not all(p.isdigit() for p in parts):
        raise ConfigError(
            f"--doors must be door ids separated by commas, such as 12,34: got {text!r}"
        )
    return [int(p) for p in parts]


# --- audit (local, needs no connection) ----------------------------------------------


def run_audit(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    audit = services.audit
    try:
        if args.audit_command == "verify":
            result = audit.verify()
            if args.json:
                out.write(json.dumps(dataclasses.asdict(result), indent=2) + "\n")
            elif result.ok:
                out.write(f"audit log intact: {result.checked} entries verified\n")
            else:
                out.write("audit log TAMPERED:\n" + "".join(f"  {p}\n" for p in result.problems))
            return EXIT_OK if result.ok else 1
        since = _since(args.since) if args.since else None
        count = audit.export_csv(Path(args.csv), since=since)
        out.write(f"exported {count} entries to {args.csv}\n")
        return EXIT_OK
    finally:
        services.close_audit()


# --- the kiosk's PIN (local, needs no connection) --------------------------------------


def run_kiosk_pin(
    args: argparse.Namespace,
    out: TextIO,
    *,
    stdin: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """``bmx-console kiosk-pin``: set (or clear) the kiosk's staff PIN before the kiosk is
    first shown, so that nobody in the lobby can be the one to choose it. 0 saved, 2 refused.
    Only a salted hash is written; the PIN itself never leaves this function."""
    from bmx_console.core.pin import hash_pin, pin_problem
    from bmx_console.services import save_kiosk_pin_hash

    stdin = stdin or sys.stdin
    err = err or sys.stderr
    if args.demo:
        raise ConfigError("the demo keeps no kiosk PIN: set one without --demo")
    if args.clear:
        path = save_kiosk_pin_hash("")
        print(f"Removed the kiosk PIN from {path}.", file=out)
        return EXIT_OK
    try:
        if args.stdin:
            pin = stdin.readline().strip()
        else:
            pin = getpass.getpass("New kiosk PIN: ")
            if getpass.getpass("The same PIN again: ") != pin:
                print("The two PINs did not match; nothing was changed.", file=err)
                return EXIT_USAGE
    except EOFError:
        pin = ""
    problem = pin_problem(pin) if pin else "No PIN was given."
    if problem is not None:
        print(f"{problem} Nothing was changed.", file=err)
        return EXIT_USAGE
    try:
        path = save_kiosk_pin_hash(hash_pin(pin))
    except OSError as exc:
        raise ConfigError(f"cannot write the settings file: {exc.strerror}") from None
    print(f"Saved the kiosk PIN's hash (not the PIN) to {path}.", file=out)
    return EXIT_OK


async def cmd_calls(ctx: Context) -> int:
    from bmx_console.cli_calls import cmd_calls as calls

    return await calls(ctx)


async def cmd_tenants(ctx: Context) -> int:
    from bmx_console.cli_calls import cmd_tenants as tenants

    return await tenants(ctx)


# --- the table ---------------------------------------------------------------------------

COMMANDS: dict[str, Command] = {
    "buildings": cmd_buildings,
    "doors": cmd_doors,
    "panels": cmd_panels,
    "status": cmd_status,
    "events": cmd_events,
    "calls": cmd_calls,
    "tenants": cmd_tenants,
    "unlock": cmd_unlock,
    "open": cmd_unlock,
    "refresh-token": cmd_refresh_token,
    "login": cmd_login,
    "config": cmd_config,
    "pass": cmd_pass,
}


def services_from_args(args: argparse.Namespace) -> Services:
    """The services a command works with: the saved settings with the command line's
    overrides; ``--demo`` means the embedded simulator and the demo's files."""
    return Services(settings_from_args(args), SecretStore(), demo=bool(args.demo))


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Run the command ``args`` names; BmxError and Ctrl+C are the caller's to report."""
    log.info("bmx-console %s: %s%s", __version__, args.command, " (demo)" if args.demo else "")
    if args.command == "kiosk-pin":
        return run_kiosk_pin(args, out)
    services = services_from_args(args)
    if args.command == "audit":
        return run_audit(args, services, out)
    return asyncio.run(_run(COMMANDS[args.command], Context(args, services, out)))


async def _run(command: Command, ctx: Context) -> int:
    try:
        return await command(ctx)
    finally:
        await ctx.services.aclose()
