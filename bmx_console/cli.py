"""The command line: the GEM driver's commands, for scripting and support.

``bmx-console [--demo] [--api-base URL] [--token-url URL] [--building ID]
[--release-tenant ID] COMMAND [--json]``. Without a command the desk window starts.
Exit codes: 0 ok, 2 usage or bad settings, 3 auth, 4 not found, 5 rate-limited or transient.

This module only parses and dispatches; the commands live in ``bmx_console.cli_commands`` and
the window in ``bmx_console.app``, each imported when chosen; the read-only listings go by
``bmx_console.cli_quick`` first (the standard library's HTTP, none of asyncio and httpx).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from bmx_console.errors import EXIT_USAGE, BmxError
from bmx_console.logs import setup_logging

# The commands ``bmx_console.cli_quick`` may run without the network stack (it says which
# runs it takes); kept here so that choosing costs no import.
QUICK_COMMANDS = frozenset({"buildings", "doors", "panels", "status"})


class _Version(argparse.Action):
    """``--version``, read only when asked (the installed metadata costs start-up time)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        from bmx_console import __version__

        parser.exit(message=f"bmx-console {__version__}\n")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"bmx-console: {message}\n")


def _add_global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", action=_Version)
    parser.add_argument(
        "--demo", action="store_true", help="use the embedded cloud simulator (no account needed)"
    )
    parser.add_argument("--api-base", metavar="URL")
    parser.add_argument("--token-url", metavar="URL")
    parser.add_argument("--building", metavar="ID", help="scope to one building")
    parser.add_argument(
        "--release-tenant", metavar="ID", help="the front-desk tenant releases are made for"
    )
    parser.add_argument("--kiosk", action="store_true", help="start the lobby kiosk")
    parser.add_argument(
        "--smoke-test",
        metavar="PATH",
        help="start, wait for the first poll, save a screenshot to PATH, exit",
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line. Starting the window needs only the global options, and argparse
    takes ~12 ms to build every command's parser: the full parser is built only when
    something else is on the line (a command, --json, --help, a mistake)."""
    window = _Parser(prog="bmx-console", add_help=False)
    _add_global_options(window)
    args, rest = window.parse_known_args(argv)
    if rest:
        args = build_parser().parse_args(argv)
    else:
        args.command = None
    args.json = getattr(args, "json", False)
    return args


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help="machine-readable JSON output",
    )
    parser = _Parser(
        prog="bmx-console",
        description="Desk console for the ButterflyMX cloud intercom. Without a command, "
        "the desk window opens.",
        parents=[common],
    )
    _add_global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.add_parser("buildings", parents=[common], help="list buildings")
    sub.add_parser("doors", parents=[common], help="list doors (ids are the addresses)")
    sub.add_parser("panels", parents=[common], help="list panels")
    sub.add_parser("status", parents=[common], help="connection, token expiry, door roster")
    events = sub.add_parser("events", parents=[common], help="recent access events")
    events.add_argument("--since", metavar="ISO8601")
    events.add_argument("--follow", action="store_true", help="keep printing new events")
    calls = sub.add_parser("calls", parents=[common], help="panel calls, status in words")
    calls.add_argument("--since", metavar="ISO8601")
    calls.add_argument("--follow", action="store_true", help="keep printing new calls")
    tenants = sub.add_parser("tenants", parents=[common], help="the resident directory")
    tenants.add_argument("--search", metavar="TEXT", help="part of a name or a unit label")
    for name in ("unlock", "open"):
        p = sub.add_parser(name, parents=[common], help="release a door")
        p.add_argument("address", metavar="ADDRESS", help="the door id from `doors`")
        p.add_argument(
            "--call",
            metavar="CALL_ID",
            help="the ringing call this release answers: its panel is told and stops ringing",
        )
    sub.add_parser("refresh-token", parents=[common], help="force a fresh token")
    sub.add_parser("login", parents=[common], help="sign in by pasting a code")
    sub.add_parser("config", parents=[common], help="effective settings, secrets masked")
    pin = sub.add_parser("kiosk-pin", help="set the lobby kiosk's staff PIN (stored hashed)")
    pin.add_argument("--clear", action="store_true", help="remove the PIN")
    pin.add_argument(
        "--stdin",
        action="store_true",
        help="read the PIN from the first line of standard input instead of asking twice",
    )
    passes = sub.add_parser("pass", parents=[common], help="visitor and delivery passes")
    pass_sub = passes.add_subparsers(
        dest="pass_command", metavar="ACTION", required=True, parser_class=_Parser
    )
    create = pass_sub.add_parser("create", parents=[common], help="make a pass; prints its PIN")
    create.add_argument("--name", metavar="NAME", help="the visitor's or courier's name")
    create.add_argument("--hours", metavar="H", type=float, help="how long a visitor pass lasts")
    create.add_argument("--doors", metavar="ID,...", help="door ids (default: every door)")
    create.add_argument("--start", metavar="ISO8601", help="when it starts (default: now)")
    create.add_argument("--contact", metavar="TEXT", help="phone or email, kept on this computer")
    create.add_argument(
        "--delivery",
        action="store_true",
        help="a courier's pass: one use, delivery_pass_hours (or --hours), package room and "
        "lobby doors unless --doors",
    )
    pass_sub.add_parser("list", parents=[common], help="passes that have not ended, with use")
    revoke = pass_sub.add_parser("revoke", parents=[common], help="delete a pass")
    revoke.add_argument("id", metavar="ID", help="the pass id from `pass list`")
    audit = sub.add_parser("audit", parents=[common], help="the local operator audit log")
    audit_sub = audit.add_subparsers(
        dest="audit_command", metavar="ACTION", required=True, parser_class=_Parser
    )
    verify = audit_sub.add_parser("verify", parents=[common], help="check the hash chain")
    verify.add_argument(
        "--cloud",
        action="store_true",
        help="also compare the releases with ButterflyMX's access logs (both ways)",
    )
    verify.add_argument("--since", metavar="ISO8601", help="with --cloud: from when (default 24 h)")
    export = audit_sub.add_parser("export", parents=[common], help="export to CSV")
    export.add_argument("--csv", metavar="FILE", required=True)
    export.add_argument("--since", metavar="ISO8601")
    export.add_argument(
        "--raw",
        action="store_true",
        help="the exact text, even cells a spreadsheet would run as a formula",
    )
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    try:
        args = parse_args(argv)
        if args.command is None:
            from bmx_console.app import run_app

            return run_app(args)
        from bmx_console.paths import user_paths

        setup_logging(user_paths().log_dir)
        if args.command in QUICK_COMMANDS:
            # The listings on the standard library alone (no asyncio, no httpx): None when
            # this run needs what only the full path does (the keyring, a proxy, the demo).
            from bmx_console.cli_quick import run_quick

            code = run_quick(args, out)
            if code is not None:
                return code
        # First, so that httpx comes in without the extras only its own command line needs.
        import bmx_console.api.http  # noqa: F401
        from bmx_console.cli_commands import run

        return run(args, out)
    except BmxError as exc:
        from bmx_console.terminal_text import safe_text

        # The sentence may quote the cloud (a reason, a name): escaped like any table cell.
        print(f"bmx-console: {safe_text(exc.cli_text())}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the last guard: a sentence for the person, details in the log
        return report_unexpected(exc)


def report_unexpected(exc: BaseException) -> int:
    """Log ``exc`` with its traceback and tell the person in one line where to find it."""
    import contextlib
    import logging

    from bmx_console.paths import user_paths

    log_dir = user_paths().log_dir
    with contextlib.suppress(Exception):
        if not any(getattr(h, "_bmx", False) for h in logging.getLogger().handlers):
            setup_logging(log_dir)
        # Only to the log file: without it, logging's last resort would print the traceback.
        if any(getattr(h, "_bmx", False) for h in logging.getLogger().handlers):
            logging.getLogger("bmx_console.cli").error("unexpected failure", exc_info=exc)
    print(
        f"bmx-console: an unexpected error stopped the command ({type(exc).__name__}); the "
        f"details are in the log in {log_dir}. Please report it with the log.",
        file=sys.stderr,
    )
    return 1
