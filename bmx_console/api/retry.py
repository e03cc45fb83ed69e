"""How long to wait before trying a failed request again.

Exponential back-off with jitter, so that many desks recovering from the same outage do not
retry in lockstep; a ``Retry-After`` from the cloud wins, capped so that a wrong header
cannot freeze a desk for hours. Which requests may be retried at all is the client's call.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 4
    base_s: float = 0.5
    cap_s: float = 8.0
    max_retry_after_s: float = 120.0

    def delay(
        self,
        attempt: int,
        retry_after: float | None,
        rand: Callable[[], float] = random.random,
    ) -> float:
        """Seconds to wait before retry number ``attempt`` (0 = the first retry)."""
        if retry_after is not None:
            return min(max(0.0, retry_after), self.max_retry_after_s)
        backoff = min(self.base_s * 2 ** max(0, attempt), self.cap_s)
        return backoff * (0.75 + 0.5 * rand())


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """A ``Retry-After`` header (delta seconds or an HTTP date) as seconds from ``now``."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())
