"""What the banner and the missed calls list say of each call status."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bmx_console.api.models import Call
from bmx_console.ui.call_text import status_text


@pytest.mark.parametrize(
    ("status", "words"),
    [
        ("initializing", "Ringing"),
        ("canceled", "Caller hung up"),
        ("timeout_online_signal", "Not answered"),
        ("opened_door", "Door opened"),
        ("declined", "Declined"),
        ("answered", "Answered"),
        ("connecting_sip", "Connecting the call"),
        ("voip_rollover", "Rolled over to a phone call"),
        ("rejected", "Rejected"),
        (None, "Status not given"),
        ("beamed_up", "beamed_up"),
    ],
)
def test_every_status_in_words_and_an_unknown_one_as_sent(status: str | None, words: str) -> None:
    call = Call(id=1, logged_at=datetime(2026, 1, 1, tzinfo=UTC), status=status)
    assert status_text(call, for_desk=True) == words
