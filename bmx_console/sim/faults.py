"""Failures a test can switch on for some routes: error statuses, slowness, dropped
connections, bodies that are not what the contract promises, and filters the cloud ignores."""

from __future__ import annotations

import fnmatch
import threading
from dataclasses import asdict, dataclass
from typing import Any, Literal

BodyFault = Literal["html", "malformed", "wrong_shape"]
BODY_FAULTS: tuple[str, ...] = ("html", "malformed", "wrong_shape")


def route_matches(route: str, path: str) -> bool:
    """``route`` is a glob of the whole path (``/v4/buildings/*/access_logs``, ``*``) or a
    path prefix that ends at a segment boundary (``/v4/keychains`` covers ``/v4/keychains/7``)."""
    if any(ch in route for ch in "*?["):
        return fnmatch.fnmatchcase(path, route)
    prefix = route.rstrip("/")
    return not prefix or path == prefix or path.startswith(prefix + "/")


@dataclass(frozen=True, slots=True)
class Fault:
    route: str
    status: int | None = None
    retry_after: str | None = None
    latency_s: float = 0.0
    drop: bool = False
    body: BodyFault | None = None
    ignore_filters: bool = False
    times: int | None = None

    def matches(self, path: str) -> bool:
        return route_matches(self.route, path)

    @property
    def effective_status(self) -> int | None:
        """A ``Retry-After`` alone means a rate limit: 429 unless a status was given."""
        if self.status is None and self.retry_after is not None:
            return 429
        return self.status

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Faults:
    """The faults in force, first added first served; each counts down its ``times``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active: list[tuple[Fault, list[int | None]]] = []

    def add(
        self,
        route: str,
        *,
        status: int | None = None,
        retry_after: str | None = None,
        latency_s: float = 0.0,
        drop: bool = False,
        body: BodyFault | None = None,
        ignore_filters: bool = False,
        times: int | None = None,
    ) -> Fault:
        if body is not None and body not in BODY_FAULTS:
            raise ValueError(f"body must be one of {', '.join(BODY_FAULTS)}, not {body!r}")
        if status is not None and not 100 <= status <= 599:
            raise ValueError(f"status {status} is not an HTTP status")
        if times is not None and times < 1:
            raise ValueError("times must be at least 1 (or None for until cleared)")
        if latency_s < 0:
            raise ValueError("latency_s cannot be negative")
        fault = Fault(route, status, retry_after, latency_s, drop, body, ignore_filters, times)
        with self._lock:
            self._active.append((fault, [times]))
        return fault

    def clear(self) -> None:
        with self._lock:
            self._active.clear()

    def take(self, path: str) -> Fault | None:
        """The fault for one request to ``path``, counting it against the fault's ``times``."""
        with self._lock:
            for index, (fault, remaining) in enumerate(self._active):
                if not fault.matches(path):
                    continue
                left = remaining[0]
                if left is not None:
                    remaining[0] = left - 1
                    if left - 1 <= 0:
                        del self._active[index]
                return fault
        return None

    def active(self) -> list[Fault]:
        with self._lock:
            return [fault for fault, _ in self._active]
