"""A release that was sent and got no answer may have opened the door: no line on screen
says "was not released" for it."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from bmx_console.core.release import ReleaseOutcome
from bmx_console.ui.call_text import release_feedback
from bmx_console.ui.door_hotkeys import outcome_sentence

NO_ANSWER = "ButterflyMX did not answer, so whether the door opened is unknown."


def test_an_unknown_outcome_is_never_called_not_released(qapp: QApplication) -> None:
    unknown = ReleaseOutcome(result="failed", door_id=7, error=NO_ANSWER, unknown=True)
    refused = ReleaseOutcome(result="failed", door_id=7, error="ButterflyMX refused.")

    line = outcome_sentence(unknown, None, 7, "F3")
    assert "not released" not in line and "outcome unknown" in line and NO_ANSWER in line
    assert "was not released" in outcome_sentence(refused, None, 7, "F3")

    _state, text = release_feedback(unknown, "Lobby")
    assert "not released" not in text and "outcome unknown" in text
    assert "was not released" in release_feedback(refused, "Lobby")[1]
