"""Text from the cloud made harmless for a terminal.

Door, tenant and pass names come from whoever can edit them in the ButterflyMX portal. Printed
raw, an ESC sequence in a name can recolour, move the cursor, retitle the window or hide the
lines before it; a carriage return can overwrite a row with another; a right-to-left override
(U+202E) makes "gpj.exe" read "exe.jpg". So every control character (C0, DEL, C1), the bidi
controls and the line separators are shown as a visible escape such as ``\\x1b`` or
``\\u202e``: the operator sees that something odd is in the name, and nothing acts on it.
"""

from __future__ import annotations

import re

# C0 and DEL and C1; bidi embeddings, overrides, isolates and marks; line and paragraph
# separators (some terminals break lines on them); the BOM / zero-width no-break space.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_text(text: str) -> str:
    """``text`` with every unsafe character replaced by its visible escape."""
    return _UNSAFE.sub(_escape, text)


def unsafe_characters(text: str) -> list[str]:
    """The unsafe characters in ``text``, each as its visible escape, in order, once."""
    return list(dict.fromkeys(_escape(m) for m in _UNSAFE.finditer(text)))
