from __future__ import annotations

import pytest

from bmx_console.terminal_text import safe_text, unsafe_characters


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Main Entrance", "Main Entrance"),
        ("Café Ünïcode 東京", "Café Ünïcode 東京"),
        ("\x1b[2JGym", "\\x1b[2JGym"),
        ("Gym\r\nRELEASED", "Gym\\r\\nRELEASED"),
        ("a\tb\x00c\x07d\x7fe", "a\\tb\\x00c\\x07d\\x7fe"),
        ("\x9b31m", "\\x9b31m"),
        ("\u202egpj.exe", "\\u202egpj.exe"),
        ("x\u2066y\u2069\u2028", "x\\u2066y\\u2069\\u2028"),
    ],
)
def test_control_characters_become_visible_escapes(raw: str, shown: str) -> None:
    assert safe_text(raw) == shown


def test_unsafe_characters_are_listed_once_each() -> None:
    assert unsafe_characters("a\x1bb\x1bc\u202e") == ["\\x1b", "\\u202e"]
    assert unsafe_characters("plain text") == []
