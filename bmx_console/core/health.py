"""How each poller is doing, and the one connection state the window shows derived from it.

The connection state is never stored: it is computed from the pollers' health every time, so
the status bar and the per-poller details cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bmx_console.errors import (
    AuthError,
    BmxError,
    Forbidden,
    NetworkError,
    RateLimited,
    ServerError,
)

ConnectionState = Literal["connected", "degraded", "disconnected", "signed_out"]
ErrorKind = Literal["auth", "forbidden", "network", "rate_limited", "server", "other"]


def error_kind(error: BaseException) -> ErrorKind:
    """The family of a failure, as far as the connection state cares.

    A 403 is not a sign-out: the credentials work, they only lack a scope, and signing in
    again would not help; it counts as a plain failure.
    """
    if isinstance(error, Forbidden):
        return "forbidden"
    if isinstance(error, AuthError):
        return "auth"
    if isinstance(error, RateLimited):
        return "rate_limited"
    if isinstance(error, NetworkError):
        return "network"
    if isinstance(error, ServerError):
        return "server"
    return "other"


def error_sentence(name: str, error: BaseException) -> str:
    """What the operator reads: the error's own sentence, or a pointer to the log for a bug."""
    if isinstance(error, BmxError):
        return str(error)
    return f"Updating {name} failed unexpectedly ({type(error).__name__}); the log has details."


@dataclass(frozen=True, slots=True)
class PollerHealth:
    """One poller's latest outcome. ``last_error`` is cleared by the next success."""

    name: str
    interval_s: float
    last_success: datetime | None = None
    last_attempt: datetime | None = None
    last_error: str | None = None
    error_kind: ErrorKind | None = None
    failing_since: datetime | None = None
    next_attempt: datetime | None = None
    paused: bool = False

    @property
    def failing(self) -> bool:
        return self.failing_since is not None

    def is_stale(self, now: datetime) -> bool:
        """Failing for longer than twice the interval: what is shown may be out of date."""
        if self.failing_since is None:
            return False
        return (now - self.failing_since).total_seconds() > 2 * self.interval_s

    @property
    def stale_since(self) -> datetime | None:
        """While failing, the time the shown data dates from (the last success, or when the
        failures began if there never was one); None while the latest attempt succeeded."""
        if self.failing_since is None:
            return None
        return self.last_success or self.failing_since


def connection_state(healths: Iterable[PollerHealth]) -> ConnectionState:
    """signed_out beats disconnected beats degraded beats connected.

    disconnected needs every poller's latest attempt to have failed on the network: one
    poller still getting through means the link works and the trouble is elsewhere.
    """
    items = list(healths)
    if any(h.error_kind == "auth" for h in items):
        return "signed_out"
    if items and all(h.error_kind == "network" for h in items):
        return "disconnected"
    if any(h.failing for h in items):
        return "degraded"
    return "connected"
