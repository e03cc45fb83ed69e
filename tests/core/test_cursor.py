"""The polling cursor survives restarts and never stops the console from starting."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from bmx_console.core.cursor import CursorFile, calls_key, events_key

from .fakes import at


def test_cursor_is_written_and_read_back_by_a_new_process(tmp_path: Path) -> None:
    path = tmp_path / "state" / "cursor.json"
    CursorFile(path).update({events_key(7): at(65), calls_key(7): at(5)})
    assert json.loads(path.read_text()) == {
        "calls:7": "2026-11-21T14:00:05Z",
        "events:7": "2026-11-21T14:01:05Z",
    }
    again = CursorFile(path)
    assert again.get(events_key(7)) == at(65)
    assert again.get(events_key(8)) is None
    assert [p.name for p in path.parent.iterdir()] == ["cursor.json"]


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"events:1": "yesterday"}'])
def test_a_corrupt_cursor_starts_fresh_and_says_so(
    tmp_path: Path, content: str, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "cursor.json"
    path.write_text(content)
    with caplog.at_level(logging.WARNING):
        cursor = CursorFile(path)
    assert cursor.as_dict() == {}
    assert "cursor" in caplog.text.lower()
    cursor.update({events_key(1): at(0)})
    assert CursorFile(path).get(events_key(1)) == at(0)


def test_a_missing_cursor_is_simply_empty(tmp_path: Path) -> None:
    assert CursorFile(tmp_path / "nope.json").as_dict() == {}


def test_an_unwritable_cursor_is_logged_not_raised(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    cursor = CursorFile(blocker / "cursor.json")
    with caplog.at_level(logging.WARNING):
        cursor.update({events_key(1): at(0)})
    assert cursor.get(events_key(1)) == at(0)
    assert "could not be written" in caplog.text
