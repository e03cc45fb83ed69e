"""What the call banner and the missed calls list say about a call, and about the result of
a release pressed on the banner."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication

from bmx_console.api.models import Call
from bmx_console.core.directory import resident_text
from bmx_console.core.store import Store
from bmx_console.core.words import CALL_STATUS_WORDS, call_status_words
from bmx_console.ui.event_text import building_zone, format_full_time, format_local_time


# The banner's translation context, where these strings were first translated.
def _tr(text: str) -> str:
    return QCoreApplication.translate("CallBanner", text)


def panel_text(call: Call, store: Store) -> str:
    if call.panel_name:
        return call.panel_name
    known = store.panels.get(call.panel_id) if call.panel_id is not None else None
    return known.name if known is not None else _tr("Unknown panel")


def recipient_text(call: Call, *, for_desk: bool, store: Store | None = None) -> str:
    """Who the call is for: "For Ada Lovelace · 4B" where the directory knows them."""
    if for_desk:
        return _tr("For the front desk")
    directory = store.directory if store is not None else None
    tenant = directory.tenants.get(call.recipient_id) if directory and call.recipient_id else None
    if tenant is not None:
        return _tr("For {0}").format(resident_text(tenant))
    if call.unit_id is not None:
        label = directory.unit_label(call.unit_id) if directory else None
        return _tr("For a resident, unit {0}").format(label or call.unit_id)
    if (call.recipient_type or "").lower() == "tenant":
        return _tr("For a resident")
    return _tr("Recipient not given")


def status_text(call: Call, *, for_desk: bool, missed: bool = False) -> str:
    """Every status in words ("Ringing", "Declined", "Rolled over to a phone call"…); one
    the console does not know is shown as the cloud sent it."""
    status = (call.status or "").strip().lower()
    if missed and status in ("", "initializing"):
        return _tr("Nobody answered from the desk")
    if status == "opened_door" and not for_desk:
        return _tr("Door opened by the resident")
    words = call_status_words(call.status)
    # Known words go through the translations; an unknown status is shown verbatim.
    return _tr(words) if status in CALL_STATUS_WORDS or not status else words


def details_text(call: Call, store: Store, *, for_desk: bool, now: datetime) -> tuple[str, str]:
    """The line under the panel's name (recipient, building, time and how long ago, status)
    and its tooltip (the full time)."""
    zone = building_zone(store, call.building_id)
    seconds = max(0, int((now - call.logged_at).total_seconds()))
    ago = (
        _tr("{0} s ago").format(seconds)
        if seconds < 60
        else _tr("{0} min ago").format(seconds // 60)
    )
    parts = [recipient_text(call, for_desk=for_desk, store=store)]
    building = store.buildings.get(call.building_id) if call.building_id else None
    if building is not None:
        parts.append(building.name)
    parts.append(f"{format_local_time(call.logged_at, zone, now)} ({ago})")
    if call.status:  # a call with no status yet says nothing about it on the banner
        parts.append(status_text(call, for_desk=for_desk))
    return "  ·  ".join(parts), format_full_time(call.logged_at, zone)


def missed_summary_text(count: int, latest: Call | None, store: Store, now: datetime) -> str:
    """The one line shown when nothing rings and ``count`` missed calls wait."""
    text = _tr("1 missed call") if count == 1 else _tr("{0} missed calls").format(count)
    if latest is not None:
        zone = building_zone(store, latest.building_id)
        text += _tr(" — the last from {0} at {1}").format(
            latest.panel_name or _tr("a panel"),
            format_local_time(latest.logged_at, zone, now),
        )
    return text


def release_feedback(outcome: object, name: str) -> tuple[str, str]:
    """The release service's outcome for door ``name`` as banner feedback: (state,
    sentence)."""
    result = getattr(outcome, "result", None) or getattr(outcome, "state", None)
    if result == "failed":
        error = getattr(outcome, "error", None) or _tr("the release failed")
        if getattr(outcome, "unknown", False):
            # Sent, and no answer came: the door may have opened. Never "not released".
            return "failed", _tr("{0}: outcome unknown: {1}").format(name, error)
        return "failed", _tr("{0} was not released: {1}").format(name, error)
    if result == "ignored":
        notice = getattr(outcome, "notice", None) or _tr("press ignored")
        return "ignored", f"{name}: {notice}"
    text = _tr("{0} released.").format(name)
    audit_error = getattr(outcome, "audit_error", None)
    if audit_error:
        text += " " + _tr("The audit log could not be written: {0}").format(audit_error)
    return "released", text
