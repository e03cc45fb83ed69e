"""The audit log as CSV: safe to open in a spreadsheet unless the exact text is asked for.

Operator, door, pass and visitor names come from people and from the cloud. A spreadsheet
runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some, a tab or a carriage
return) as a formula, which can fetch URLs or start programs, so by default such a cell gets
a leading apostrophe (which spreadsheets show as text and hide), and control characters
become U+FFFD. ``raw`` keeps the exact text, for checking an export against the database.

The file is written to a temporary file beside it and renamed into place, and only ever over
nothing or over a regular file: renaming over a device, a pipe or a socket would replace that
special file for every program that uses it.
"""

from __future__ import annotations

import contextlib
import csv
import os
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import fields
from datetime import datetime
from pathlib import Path
from typing import Any

from bmx_console.core.audit_records import (
    OUTCOME_SENT,
    UNKNOWN_TEXT,
    AuditEntry,
    AuditError,
    _format_time,
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# C0 controls (tab and newline included: a cell is one line), DEL and C1 controls.
_CONTROLS = {c: "\ufffd" for c in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0))}
STATE_COLUMN = "release_state"


class ExportError(AuditError):
    """The export cannot be written where it was asked to go."""


def safe_cell(text: str) -> str:
    """``text`` as a spreadsheet will show it, never run it."""
    if text.startswith(_FORMULA_START):
        text = "'" + text
    return text.translate(_CONTROLS)


def export_csv(
    entries: Iterable[AuditEntry],
    target: Path,
    *,
    raw: bool = False,
    unsettled: set[int] | None = None,
) -> int:
    """Write ``entries`` to ``target``; rows written. ``unsettled`` are the seqs of sent
    releases without an outcome: their ``release_state`` reads "outcome unknown"."""
    target = Path(target)
    _check_target(target)
    names = [f.name for f in fields(AuditEntry)]
    unsettled = unsettled or set()
    tmp_name = ""
    count = 0
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow([*names, STATE_COLUMN])
            for entry in entries:
                cells = [_value(getattr(entry, name)) for name in names]
                state = (
                    UNKNOWN_TEXT if entry.outcome == OUTCOME_SENT and entry.seq in unsettled else ""
                )
                cells.append(state)
                writer.writerow(cells if raw else [safe_cell(c) for c in cells])
                count += 1
            out.flush()
            os.fsync(out.fileno())
        # Checked again just before the rename: the path may have changed meanwhile.
        _check_target(target)
        os.replace(tmp_name, target)
    except OSError as exc:
        if tmp_name:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
        raise ExportError(
            f"Cannot write the audit export {target} ({exc.strerror or exc}). "
            "Check the folder exists and can be written."
        ) from exc
    except BaseException:
        if tmp_name:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
        raise
    return count


def _check_target(target: Path) -> None:
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise ExportError(
            f"Cannot write the audit export {target} ({exc.strerror or exc})."
        ) from exc
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "a device or other special file"
        raise ExportError(
            f"Cannot write the audit export to {target}: it is {kind}, not a regular file. "
            "Choose a new file name."
        )


def _value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return _format_time(value)
    return str(value)


__all__ = ["ExportError", "export_csv", "safe_cell"]
