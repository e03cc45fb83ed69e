"""An error nobody foresaw: one sentence on stderr, the traceback in the log, exit 1."""

from __future__ import annotations

import argparse
import io
from typing import TextIO

import pytest

from bmx_console import cli, cli_commands
from bmx_console.paths import user_paths


def test_an_unexpected_exception_is_a_sentence_and_a_logged_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(args: argparse.Namespace, out: TextIO) -> int:
        raise ZeroDivisionError("an unforeseen bug")

    monkeypatch.setattr(cli_commands, "run", broken)
    assert cli.main(["doors"], out=io.StringIO()) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.count("\n") == 1
    assert "unexpected error stopped the command (ZeroDivisionError)" in err
    assert str(user_paths().log_dir) in err
    logged = (user_paths().log_dir / "bmx-console.log").read_text(encoding="utf-8")
    assert "Traceback" in logged and "an unforeseen bug" in logged
