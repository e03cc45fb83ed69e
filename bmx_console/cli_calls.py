"""The command line's calls and residents: ``calls``, ``tenants``, and ``unlock --call``'s
word to the ringing panel.

Kept apart from ``cli_commands`` so that module stays short; imported when one of these
commands runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any, Protocol, TextIO

from bmx_console.config import Settings
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
