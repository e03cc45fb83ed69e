"""Every operator action the desk takes, besides releases and passes, as audit entries.

Shifts, operator changes, calls acknowledged, dismissed and released from, the kiosk's exit
and PIN change, settings changed, sign-in and sign-out. An entry names what changed, never a
value that could be a secret: settings are recorded by field name only, a PIN change as the
fact of it. Recording never raises: a desk whose log cannot be written keeps working, and the
failure goes to the log file.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import Any

from bmx_console.core.audit import (
    ACTION_CALL_ACK,
    ACTION_CALL_DISMISS,
    ACTION_CALL_RELEASE,
    ACTION_KIOSK_EXIT,
    ACTION_KIOSK_PIN,
    ACTION_OPERATOR_CHANGE,
    ACTION_SETTINGS,
    ACTION_SHIFT_END,
    ACTION_SHIFT_START,
    ACTION_SIGN_IN,
    ACTION_SIGN_OUT,
)

log = logging.getLogger(__name__)


def changed_fields(old: Any, new: Any, prefix: str = "") -> list[str]:
    """The names of the dataclass fields that differ (nested ones as ``kiosk.doors``)."""
    names: list[str] = []
    if not dataclasses.is_dataclass(old) or not dataclasses.is_dataclass(new):
        return names
    for f in dataclasses.fields(old):
        a, b = getattr(old, f.name, None), getattr(new, f.name, None)
        if a == b:
            continue
        if dataclasses.is_dataclass(a) and dataclasses.is_dataclass(b):
            names += changed_fields(a, b, f"{prefix}{f.name}.")
        else:
            names.append(prefix + f.name)
    return names


class ActionRecorder:
    """Records operator actions under the name ``operator()`` returns at that moment."""

    def __init__(self, audit: Any, operator: Callable[[], str]) -> None:
        self._audit = audit
        self._operator = operator

    def record(self, action: str, outcome: str = "done", **fields: Any) -> None:
        if self._audit is None:
            return
        try:
            operator = self._operator()
        except Exception:
            operator = "unknown"
        try:
            self._audit.record(operator=operator, action=action, outcome=outcome, **fields)
        except Exception as exc:
            log.error("The audit entry for %s could not be written: %s", action, exc)

    def shift_start(self, detail: str = "") -> None:
        self.record(ACTION_SHIFT_START, "started", detail=detail)

    def shift_end(self) -> None:
        self.record(ACTION_SHIFT_END, "ended")

    def operator_changed(self, before: str, after: str) -> None:
        if before != after:
            self.record(ACTION_OPERATOR_CHANGE, "changed", subject=after, detail=f"from {before}")

    def call_acknowledged(self, call: Any) -> None:
        self.record(ACTION_CALL_ACK, "acknowledged", **_call_fields(call))

    def call_dismissed(self, call: Any) -> None:
        self.record(ACTION_CALL_DISMISS, "dismissed", **_call_fields(call))

    def call_release(self, call: Any, door_id: int, door_name: str) -> None:
        fields = _call_fields(call)
        self.record(
            ACTION_CALL_RELEASE, "requested", door_id=door_id, door_name=door_name, **fields
        )

    def kiosk_exit(self) -> None:
        self.record(ACTION_KIOSK_EXIT, "exited")

    def kiosk_pin_changed(self, cleared: bool = False) -> None:
        self.record(ACTION_KIOSK_PIN, "cleared" if cleared else "changed")

    def settings_changed(self, old: Any, new: Any) -> None:
        names = changed_fields(old, new)
        if names:
            self.record(ACTION_SETTINGS, "saved", detail="changed: " + ", ".join(names))

    def signed_in(self, detail: str = "") -> None:
        self.record(ACTION_SIGN_IN, "signed_in", detail=detail)

    def signed_out(self, reason: str = "") -> None:
        self.record(ACTION_SIGN_OUT, "signed_out", detail=reason)


def _call_fields(call: Any) -> dict[str, Any]:
    call_id = getattr(call, "id", None)
    panel = getattr(call, "panel_name", None) or getattr(call, "device_name", None) or ""
    subject = f"call {call_id}" + (f" from {panel}" if panel else "")
    return {"subject": subject, "building_id": getattr(call, "building_id", None)}


__all__ = ["ActionRecorder", "changed_fields"]
