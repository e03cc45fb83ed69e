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
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from bmx_console import __version__
from bmx_console.api.models import AccessEvent, parse_time
from bmx_console.cli_input import check_building, strict_id, strict_ids, zoned_time
from bmx_console.cli_output import (
    BUILDING_COLUMNS,
    DOOR_COLUMNS,
    PANEL_COLUMNS,
    format_table,
    record_text,
    rows_text,
    status_text,
)
from bmx_console.cli_output import cell as _cell
from bmx_console.cli_output import json_default as _json_default
from bmx_console.config import Settings, settings_from_args
from bmx_console.connect import Connection
from bmx_console.core.commands import event_row, plain
from bmx_console.core.directory import load_directory
from bmx_console.errors import (
    EXIT_OK,
    EXIT_USAGE,
    BmxError,
    ConfigError,
    KeyringUnavailable,
    NotFound,
)
from bmx_console.probes import commands_for
from bmx_console.secrets import SecretStore
from bmx_console.services import Services
from bmx_console.terminal_text import safe_text

if TYPE_CHECKING:
    from bmx_console.core.passes import Pass, PassService

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
        self.out.write(rows_text(rows, columns, as_json=self.args.json))

    def emit_line(self, row: dict[str, Any], columns: Sequence[str]) -> None:
        """One more row of a table already printed (--follow): a JSON line, or a table row."""
        if self.args.json:
            self.out.write(json.dumps(row, default=_json_default) + "\n")
        else:
            self.out.write(format_table([row], columns).splitlines()[1] + "\n")

    def emit_one(self, record: dict[str, Any]) -> None:
        self.out.write(record_text(record, as_json=self.args.json))


# --- commands --------------------------------------------------------------------------


async def _run_driver_command(ctx: Context, name: str) -> Any:
    return await commands_for(ctx.conn)[name]()


async def cmd_buildings(ctx: Context) -> int:
    rows = await _run_driver_command(ctx, "get_buildings")
    ctx.emit(rows, BUILDING_COLUMNS)
    return EXIT_OK


async def cmd_doors(ctx: Context) -> int:
    rows = await _run_driver_command(ctx, "get_doors")
    ctx.emit(rows, DOOR_COLUMNS)
    return EXIT_OK


async def cmd_panels(ctx: Context) -> int:
    rows = await _run_driver_command(ctx, "get_panels")
    ctx.emit(rows, PANEL_COLUMNS)
    return EXIT_OK


async def cmd_status(ctx: Context) -> int:
    status = await _run_driver_command(ctx, "get_status")
    ctx.out.write(status_text(status, as_json=ctx.args.json))
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
    """Recent events; with --follow, keeps polling and prints each new event once, late ones
    included, through outages (see ``core.follow``)."""
    client = ctx.conn.client
    since = _since(ctx.args.since) if ctx.args.since else None
    scope = ctx.settings.building_id
    buildings = [scope] if scope else [b.id for b in await client.buildings()]
    door_names = {d.id: d.name for d in await client.doors(scope)}
    directory = await load_directory(client, scope)
    found: dict[int, AccessEvent] = {}
    for building in buildings:
        for event in await client.access_events(building, since):
            found.setdefault(event.id, event)
    events = sorted(found.values(), key=lambda e: (e.logged_at, e.id))
    ctx.emit([event_row(e, door_names, directory) for e in events], EVENT_COLUMNS)
    if not ctx.args.follow:
        return EXIT_OK
    from bmx_console.clock import SystemClock
    from bmx_console.core.follow import EventFollower

    def emit(event: AccessEvent) -> None:
        row = event_row(event, door_names, directory)
        if ctx.args.json:
            ctx.out.write(json.dumps(row, default=_json_default) + "\n")
        else:
            ctx.out.write(format_table([row], EVENT_COLUMNS).splitlines()[1] + "\n")
        ctx.out.flush()

    def notice(sentence: str) -> None:
        print(f"bmx-console: {safe_text(sentence)}", file=sys.stderr, flush=True)

    ctx.out.flush()
    follower = EventFollower(
        client.access_events,
        buildings,
        emit=emit,
        notice=notice,
        clock=SystemClock(),
        sleep=asyncio.sleep,
        interval_s=max(ctx.settings.events_interval, 1_000) / 1000,
    )
    follower.start_from(None, events)
    await follower.run()
    return EXIT_OK


async def cmd_unlock(ctx: Context) -> int:
    """Release one door through the same service as the desk: one request, never retried
    once it may have reached the cloud, and audited before success is reported."""
    client = ctx.conn.client
    address = ctx.args.address.strip()
    wanted = strict_id(address, "ADDRESS (the door id from `bmx-console doors`)")
    doors = await client.doors(ctx.settings.building_id)
    door = next((d for d in doors if d.id == wanted), None)
    if door is None:
        raise NotFound(
            f"no door with address {address!r}: run `bmx-console doors` and copy the id "
            f"exactly as it is shown"
        )
    # The door's building names the door in the audit log and in a refusal.
    buildings = [b for b in await client.buildings() if b.id == door.building_id]
    if ctx.settings.release_tenant_for(door.building_id) is None:
        building = buildings[0].name if buildings else None
        where = f"{building} (building {door.building_id})" if building else "its building"
        raise ConfigError(
            f"no front-desk tenant to release {door.name} as: {where} has none. ButterflyMX "
            "releases a door only as a tenant of the door's own building; add that building "
            'to [release_tenants] in the settings ("BUILDING_ID" = TENANT_ID), set '
            "release_tenant_id for a one-building desk, or pass --release-tenant ID"
        )
    ctx.services.store.set_roster(buildings, [door], [])
    outcome = await ctx.services.releases.release(door.id)
    await settle_unknown(ctx)
    if outcome.error is not None:
        raise outcome.cause or BmxError(outcome.error)
    release = outcome.release
    assert release is not None
    if ctx.args.json:
        ctx.emit_one({**plain(release), "door_name": door.name, "recorded": release.recorded})
    elif not release.recorded:
        ctx.out.write(
            f"released {safe_text(door.name)} (door {door.id}) (ButterflyMX accepted it but "
            "sent no record)\n"
        )
    else:
        ctx.out.write(
            f"released {safe_text(door.name)} (door {door.id}); release id {release.id}, "
            f"guid {safe_text(release.guid)}\n"
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
    ctx.services.actions.signed_in(detail="bmx-console login")
    until = f"(token valid until {_cell(token.expires_at)})"
    saved = ctx.conn.tokens.refresh_token_saved
    if saved:
        ctx.out.write(f"signed in; the sign-in is saved in the OS keyring {until}\n")
        return EXIT_OK
    from bmx_console.secrets import keyring_advice

    why = ctx.conn.tokens.save_problem or (
        "ButterflyMX sent no refresh token" if saved is None else "the OS keyring refused it"
    )
    # Said plainly: a "saved" that is not would only show at the next start, as a sign-out.
    ctx.out.write(
        f"signed in for this command only {until}: the sign-in was NOT saved, so the next "
        f"command asks to sign in again.\n  Why: {why}\n  To make it last: {keyring_advice()}\n"
    )
    # Not a success for a script that goes on to use the sign-in: it will not be there.
    return EXIT_OK if saved is None else KeyringUnavailable.exit_code


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
        revoked = await passes.revoke(strict_id(args.id, "ID (from `bmx-console pass list`)"))
        if ctx.args.json:
            ctx.emit_one(plain(revoked))
        else:
            ctx.out.write(
                f'revoked pass "{safe_text(revoked.name)}" (keychain {revoked.keychain_id})\n'
            )
        audit_error = revoked.audit_error
    else:
        try:
            if args.delivery:
                made = await _delivery_pass(ctx, passes)
            else:
                if args.hours is None:
                    raise ConfigError(
                        f"--hours is needed for a visitor pass (at most "
                        f"{s.pass_max_hours} h at this property)"
                    )
                made = await passes.create_visitor_pass(
                    args.name or "",
                    contact=args.contact,
                    start=zoned_time(args.start, "--start") if args.start else None,
                    hours=args.hours,
                    door_ids=strict_ids(args.doors, "--doors") if args.doors else None,
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


async def _delivery_pass(ctx: Context, passes: PassService) -> Pass:
    """A courier's pass as the desk makes it: one use, ``delivery_pass_hours`` (or
    ``--hours``) from now, on ``--doors`` or else the package room and lobby doors."""
    from bmx_console.core.passes import DEFAULT_DELIVERY_NAME, delivery_door_ids

    args, s = ctx.args, ctx.settings
    door_ids = (
        strict_ids(args.doors, "--doors") if args.doors else delivery_door_ids(await passes.doors())
    )
    if not door_ids:
        raise ConfigError(
            "no door is named like a package room or lobby: choose the courier's doors with "
            "--doors ID,..."
        )
    return await passes.create_one_use_pass(
        args.name or DEFAULT_DELIVERY_NAME,
        hours=args.hours if args.hours is not None else s.delivery_pass_hours,
        door_ids=door_ids,
        start=zoned_time(args.start, "--start") if args.start else None,
    )


# --- audit (local, needs no connection) ----------------------------------------------


async def settle_unknown(ctx: Context) -> None:
    """Releases whose outcome never came (an earlier run killed mid-release): confirmed from
    the cloud's access logs where it logged them; a failure here never fails the command."""
    from bmx_console.core.witness import settle, settle_sentences

    audit = ctx.services.audit
    if not audit.unsettled():
        return
    tenants = ctx.services.release_tenant_ids()
    try:
        confirmed, unknown = await settle(audit, ctx.conn.client, tenants=tenants)
    except BmxError as exc:
        print(f"bmx-console: releases of unknown outcome not checked: {exc}", file=sys.stderr)
        return
    for sentence in settle_sentences(confirmed, unknown):
        print(f"bmx-console: {sentence}", file=sys.stderr)


async def cmd_audit_cloud(ctx: Context) -> int:
    """``audit verify --cloud``: the chain, then both logs compared with ButterflyMX's."""
    from bmx_console.core.witness import compare

    since = _since(ctx.args.since) if ctx.args.since else None
    services = ctx.services
    # The chain first, read-only, before anything opens the file for writing.
    code, verified = _verify(services.audit_path, services.audit_anchor, ctx.args, ctx.out)
    check = await compare(
        services.audit,
        ctx.conn.client,
        since=since,
        tenants=services.release_tenant_ids(),
        building_id=ctx.settings.building_id,
    )
    if ctx.args.json:
        ctx.out.write(
            json.dumps(
                {
                    "ok": check.ok and verified.ok,
                    "verify": dataclasses.asdict(verified),
                    "since": check.since,
                    "matched": check.matched,
                    "missing_locally": [d.sentence for d in check.missing_locally],
                    "missing_in_cloud": [d.sentence for d in check.missing_in_cloud],
                    "confirmed": [e.seq for e in check.confirmed],
                    "still_unknown": [e.seq for e in check.still_unknown],
                },
                indent=2,
                default=_json_default,
            )
            + "\n"
        )
    else:
        ctx.out.write(f"cloud check: {check.summary()}\n")
        for item in (*check.missing_locally, *check.missing_in_cloud):
            ctx.out.write(f"  {item.sentence}\n")
    return code if check.ok else 1


def _verify(path: Path, anchor: Any, args: argparse.Namespace, out: TextIO) -> tuple[int, Any]:
    """Verify the log read-only and say so (not as JSON with --cloud: that says it all)."""
    from bmx_console.core.audit import verify_path

    result = verify_path(path, anchor)
    code = EXIT_OK if result.ok else 1
    if args.json:
        if not getattr(args, "cloud", False):
            out.write(json.dumps(dataclasses.asdict(result), indent=2) + "\n")
        return code, result
    if result.ok:
        out.write(f"audit log intact: {result.checked} entries verified\n")
    else:
        out.write("audit log TAMPERED:\n" + "".join(f"  {p}\n" for p in result.problems))
    for note in result.notes:
        out.write(f"note: {note}\n")
    for sentence in result.unknown:
        out.write(f"outcome unknown: {sentence}\n")
    return code, result


def run_audit(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    if args.audit_command == "verify":
        return _verify(services.audit_path, services.audit_anchor, args, out)[0]
    audit = services.audit
    try:
        since = _since(args.since) if args.since else None
        try:
            count = audit.export_csv(
                Path(args.csv),
                since=since,
                raw=args.raw,
                operator=services.operator(),
            )
        except OSError as exc:
            raise ConfigError(f"cannot write {args.csv}: {exc.strerror or exc}") from None
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
    """``bmx-console kiosk-pin``: set (or clear) the kiosk's staff PIN. The kiosk cannot
    choose one itself (nobody in the lobby may be the one to choose it); a running kiosk asks
    for the new PIN at its next prompt. 0 saved, 2 refused. Only a salted hash is written,
    to a file only this OS user can read; the PIN itself never leaves this function."""
    from bmx_console.core.pin import PIN_MAX_DIGITS, PIN_MIN_DIGITS, hash_pin, pin_problem
    from bmx_console.services import save_kiosk_pin_hash

    stdin = stdin or sys.stdin
    err = err or sys.stderr
    if args.demo:
        raise ConfigError("the demo keeps no kiosk PIN: set one without --demo")
    if args.clear:
        path = save_kiosk_pin_hash("")
        print(f"Removed the kiosk PIN ({path}).", file=out)
        return EXIT_OK
    if not args.stdin and not stdin.isatty():
        # getpass would fall back to echoing the PIN, or end in EOFError with no input.
        print(
            "kiosk-pin asks for the PIN on a terminal, and there is none here: run it in a "
            "terminal, or pass --stdin and give the PIN on standard input. Nothing was changed.",
            file=err,
        )
        return EXIT_USAGE
    try:
        if args.stdin:
            pin = stdin.readline().strip()
        else:
            pin = getpass.getpass(
                f"New kiosk PIN ({PIN_MIN_DIGITS} to {PIN_MAX_DIGITS} digits, not a run "
                "like 123456): "
            )
            if getpass.getpass("The same PIN again: ") != pin:
                print("The two PINs did not match; nothing was changed.", file=err)
                return EXIT_USAGE
    except EOFError:
        pin = ""
    problem = pin_problem(pin) if pin else "No PIN was given."
    if problem is not None:
        print(f"{problem} Nothing was changed.", file=err)
        return EXIT_USAGE
    path = save_kiosk_pin_hash(hash_pin(pin))
    print(f"Saved the kiosk PIN's hash (not the PIN) to {path}, readable only by you.", file=out)
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
    "audit": cmd_audit_cloud,
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
    if args.command == "audit" and not getattr(args, "cloud", False):
        # Local: needs no connection (``--cloud`` reads ButterflyMX's access logs too).
        return run_audit(args, services, out)
    return asyncio.run(_run(COMMANDS[args.command], Context(args, services, out)))


async def _run(command: Command, ctx: Context) -> int:
    try:
        scope = ctx.settings.building_id
        if scope is not None and ctx.args.command not in ("login", "config", "refresh-token"):
            # A mistyped building would otherwise show as a property without doors.
            check_building(scope, await ctx.conn.client.buildings())
        return await command(ctx)
    finally:
        await ctx.services.aclose()
