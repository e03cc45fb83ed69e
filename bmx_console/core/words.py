"""What the console calls things, without Qt: call statuses, how a door was opened, who a
resident is and where they live. The desk (through its translations) and the command line
say the same words.

The PIN behind an access tool never gets here: ``AccessTool`` has no code (see
``api.directory``), so there is nothing to word, log or show.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bmx_console.api.models import AccessEvent


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate reads
    """Marks ``text`` for the translation in ``context`` without Qt: core/ stays pure. The
    desk translates the words with ``QCoreApplication.translate(context, text)``; the
    command line prints them as they are."""
    return text


# Every status the cloud is known to send; anything else is shown as sent.
CALL_STATUS_WORDS: dict[str, str] = {
    "initializing": QT_TRANSLATE_NOOP("CallBanner", "Ringing"),
    "canceled": QT_TRANSLATE_NOOP("CallBanner", "Caller hung up"),
    "timeout_online_signal": QT_TRANSLATE_NOOP("CallBanner", "Not answered"),
    "opened_door": QT_TRANSLATE_NOOP("CallBanner", "Door opened"),
    "declined": QT_TRANSLATE_NOOP("CallBanner", "Declined"),
    "answered": QT_TRANSLATE_NOOP("CallBanner", "Answered"),
    "connecting_sip": QT_TRANSLATE_NOOP("CallBanner", "Connecting the call"),
    "voip_rollover": QT_TRANSLATE_NOOP("CallBanner", "Rolled over to a phone call"),
    "rejected": QT_TRANSLATE_NOOP("CallBanner", "Rejected"),
}
NO_STATUS = QT_TRANSLATE_NOOP("CallBanner", "Status not given")

ACCESS_TOOL_WORDS: dict[str, str] = {
    "pin": QT_TRANSLATE_NOOP("EventPane", "PIN"),
    "rfid_tag": QT_TRANSLATE_NOOP("EventPane", "Fob"),
}
ACCESS_TOOL = QT_TRANSLATE_NOOP("EventPane", "Access tool")
PASS_NAMED = QT_TRANSLATE_NOOP("EventPane", "Pass: {0}")


def _as_is(text: str) -> str:
    return text


def call_status_words(status: str | None) -> str:
    """``initializing`` → "Ringing"; null → "Status not given"; unknown values verbatim."""
    if status is None or not status.strip():
        return NO_STATUS
    return CALL_STATUS_WORDS.get(status.strip().lower(), status)


def access_tool_words(tool_type: str | None, tr: Callable[[str], str] = _as_is) -> str:
    """The words for "PIN", "Fob", else the cloud's type; ``tr`` translates the known ones."""
    if not tool_type:
        return tr(ACCESS_TOOL)
    known = ACCESS_TOOL_WORDS.get(tool_type.lower())
    return tr(known) if known else tool_type.replace("_", " ").capitalize()


def entry_method_words(
    event: AccessEvent,
    *,
    tool_types: Mapping[int, str] | None = None,
    pass_names: Mapping[int, str] | None = None,
    tr: Callable[[str], str] = _as_is,
) -> str:
    """How the door was opened, in words: "PIN" or "Fob" for an access tool the desk knows,
    "Pass: <name>" for one of the desk's passes, else what the cloud said. ``tr``
    translates the console's own words (the desk's language), never the cloud's."""
    tool_id = getattr(event, "access_tool_id", None)
    if tool_id is not None and tool_types is not None and tool_id in tool_types:
        return access_tool_words(tool_types[tool_id], tr)
    if event.keychain_id is not None and pass_names is not None:
        name = pass_names.get(event.keychain_id)
        if name:
            return tr(PASS_NAMED).format(name)
    return event.entry_method
