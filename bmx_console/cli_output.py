"""What the command line prints: tables of rows, or the same rows as JSON.

Shared by the commands (``bmx_console.cli_commands``) and the quick path of the listing
commands (``bmx_console.cli_quick``), so that both print the same bytes for the same rows.
Every cell from the cloud goes through ``safe_text``: a name is data, never a terminal
control. Cheap to import: no network stack, no asyncio.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from bmx_console.terminal_text import safe_text

# The columns of each listing command's table (--json prints every key of each row).
BUILDING_COLUMNS = ("id", "name", "time_zone", "address")
DOOR_COLUMNS = ("id", "name", "building", "building_id", "panel_ids")
PANEL_COLUMNS = ("id", "name", "type", "model", "building_id")


def json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(type(value).__name__)


def cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    if isinstance(value, list | tuple):
        return safe_text(",".join(str(v) for v in value)) or "-"
    return safe_text(str(value))


def format_table(rows: list[dict[str, Any]], columns: Sequence[str]) -> str:
    if not rows:
        return "(none)\n"
    cells = [[cell(row.get(c)) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.upper().ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(lines) + "\n"


def rows_text(rows: list[dict[str, Any]], columns: Sequence[str], *, as_json: bool) -> str:
    """``rows`` as the command line prints them: an indented JSON list, or a table."""
    if as_json:
        return json.dumps(rows, indent=2, default=json_default) + "\n"
    return format_table(rows, columns)
