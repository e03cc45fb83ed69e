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
STATUS_ROSTER_COLUMNS = ("id", "name", "building")


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


def record_text(record: dict[str, Any], *, as_json: bool) -> str:
    """One record: indented JSON, or a line per key ("key  value"), the keys aligned."""
    if as_json:
        return json.dumps(record, indent=2, default=json_default) + "\n"
    width = max((len(k) for k in record), default=0)
    return "".join(f"{key.ljust(width)}  {cell(value)}\n" for key, value in record.items())


def status_text(status: dict[str, Any], *, as_json: bool) -> str:
    """``status``: the record, its door roster as a table below it (or all of it as JSON)."""
    if as_json:
        return record_text(status, as_json=True)
    rest = {k: v for k, v in status.items() if k != "door_roster"}
    roster = status["door_roster"]
    return record_text(rest, as_json=False) + "\n" + format_table(roster, STATUS_ROSTER_COLUMNS)
