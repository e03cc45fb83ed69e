"""What the console calls things, without Qt: call statuses, how a door was opened, who a
resident is and where they live. The desk (through its translations) and the command line
say the same words.

The PIN behind an access tool never gets here: ``AccessTool`` has no code (see
``api.directory``), so there is nothing to word, log or show.
"""

from __future__ import annotations

from collections.abc import Mapping

from bmx_console.api.models import AccessEvent

# Every status the cloud is known to send; anything else is shown as sent.
CALL_STATUS_WORDS: dict[str, str] = {
    "initializing": "Ringing",
    "canceled": "Caller hung up",
    "timeout_online_signal": "Not answered",
    "opened_door": "Door opened",
    "declined": "Declined",
    "answered": "Answered",
    "connecting_sip": "Connecting the call",
    "voip_rollover": "Rolled over to a phone call",
    "rejected": "Rejected",
}
NO_STATUS = "Status not given"

ACCESS_TOOL_WORDS: dict[str, str] = {"pin": "PIN", "rfid_tag": "Fob"}


def call_status_words(status: str | None) -> str:
    """``initializing`` → "Ringing"; null → "Status not given"; unknown values verbatim."""
    if status is None or not status.strip():
        return NO_STATUS
    return CALL_STATUS_WORDS.get(status.strip().lower(), status)


def access_tool_words(tool_type: str | None) -> str:
    if not tool_type:
        return "Access tool"
    return ACCESS_TOOL_WORDS.get(tool_type.lower(), tool_type.replace("_", " ").capitalize())


def entry_method_words(
    event: AccessEvent,
    *,
    tool_types: Mapping[int, str] | None = None,
    pass_names: Mapping[int, str] | None = None,
) -> str:
    """How the door was opened, in words: "PIN" or "Fob" for an access tool the desk knows,
    "Pass: <name>" for one of the desk's passes, else what the cloud said."""
    tool_id = getattr(event, "access_tool_id", None)
    if tool_id is not None and tool_types is not None and tool_id in tool_types:
        return access_tool_words(tool_types[tool_id])
    if event.keychain_id is not None and pass_names is not None:
        name = pass_names.get(event.keychain_id)
        if name:
            return f"Pass: {name}"
    return event.entry_method
