"""The call banner's names where the rest of the console imports them from.

The banner is ``call_banner``, what it holds ``call_queue``, and the missed calls list
``missed_calls``.
"""

from __future__ import annotations

from bmx_console.ui.call_banner import ALERT_REPEAT_MS, RECENT_S, RING_S, CallBanner
from bmx_console.ui.missed_calls import MissedCallsDialog

__all__ = ["ALERT_REPEAT_MS", "RECENT_S", "RING_S", "CallBanner", "MissedCallsDialog"]
