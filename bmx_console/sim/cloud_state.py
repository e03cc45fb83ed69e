"""What the simulated cloud holds: the property (buildings, doors, panels, tenants), its
passes (keychains and virtual keys), the access and call logs, the releases it accepted and
the requests that reached it; and the reads of all that, as tests and the HTTP layer see it.

Every public method takes the lock, because tests run the server on a thread and poke the
cloud from theirs; properties hand out copies, so a caller can never change what the server
sends behind its back. The logs are kept oldest first, sorted by (logged_at, id), and
answered newest first as the cloud lists them. What the cloud does with this state (time
passing, the API's writes, the test hooks) is ``Cloud``, in ``cloud.py``.

Snapshot and QR links are kept as paths on the simulator (``/sim-images/...``); the HTTP
layer makes them absolute with whatever host the client used, so they work in-process and
over loopback alike.
"""

from __future__ import annotations

import bisect
import copy
import random
import threading
from datetime import UTC, datetime
from typing import Any

from bmx_console.clock import Clock, SystemClock
from bmx_console.sim.faults import Faults, route_matches
from bmx_console.sim.seed import Ids, Record, iso, seed_property
from bmx_console.sim.tokens import TokenAuthority

FieldError = dict[str, str]


class CloudError(Exception):
    """What the cloud refuses, with the status and the contract's ``errors`` list."""

    def __init__(self, status: int, errors: list[FieldError]) -> None:
        super().__init__(f"HTTP {status}: " + "; ".join(e.get("message", "") for e in errors))
        self.status = status
        self.errors = errors


def not_found() -> CloudError:
    return CloudError(
        404, [{"field": "base", "code": "not_found", "message": "Resource not found"}]
    )


def parse_time(value: Any) -> datetime | None:
    """A time the cloud reads: ISO-8601 (``Z`` or offset), or Ransack's ``... UTC`` form."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.upper().endswith(" UTC"):
        text = text[:-4].strip() + "+00:00"
    elif text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


class CloudState:
    """The simulator's records and their reads; ``Cloud`` adds what happens to them."""

    def __init__(
        self,
        seed: int,
        clock: Clock | None,
        event_rate_per_min: float,
        call_rate_per_min: float,
        token_lifetime_s: int,
        history_days: int,
        *,
        hostile: bool = False,
    ) -> None:
        self.clock: Clock = clock or SystemClock()
        self.seed = seed
        self.event_rate_per_min = event_rate_per_min
        self.call_rate_per_min = call_rate_per_min
        self.history_days = history_days
        self.faults = Faults()
        self.tokens = TokenAuthority(self.clock, token_lifetime_s)
        self._lock = threading.RLock()
        # Separate streams, so that the live traffic depends only on seed and clock, not on
        # how many passes a test happened to create before.
        self._rng = random.Random(seed)
        self._live = random.Random(seed * 7919 + 1)
        self._ids = Ids(random.Random(seed * 104729 + 3))
        # When the property was seeded: its history ends here and live traffic starts.
        self._seeded_at = now = self.clock.now()
        # hostile: names full of markup, formulas and control characters (sim/hostile.py).
        prop = seed_property(self._rng, self._ids, now)
        if hostile:
            from bmx_console.sim.hostile import make_hostile

            make_hostile(prop)
        self._buildings = prop.buildings
        self._doors = prop.doors
        self._panels = prop.panels
        self._tenants = prop.tenants
        self._keychains = prop.keychains
        self._virtual_keys = prop.virtual_keys
        self._front_desk = prop.front_desk
        self._scheduled = prop.scheduled_doors
        # Tenants and doors never change after seeding, so traffic generation can index them.
        self._residents_of = {
            b["id"]: [
                t
                for t in self._tenants
                if t["building_id"] == b["id"] and t["id"] != self._front_desk[b["id"]]
            ]
            for b in self._buildings
        }
        self._doors_of = {
            b["id"]: [d for d in self._doors if d["building_id"] == b["id"]]
            for b in self._buildings
        }
        self._events: dict[int, list[Record]] = {b["id"]: [] for b in self._buildings}
        self._calls: dict[int, list[Record]] = {b["id"]: [] for b in self._buildings}
        self._releases: list[dict[str, Any]] = []
        self._requests: list[tuple[str, str]] = []
        self._release_seq = 0
        self._snapshots: dict[str, tuple[str, str]] = {}

    # --- what tests and the app read ---------------------------------------------------
    @property
    def buildings(self) -> list[Record]:
        with self._lock:
            return copy.deepcopy(self._buildings)

    @property
    def doors(self) -> list[Record]:
        with self._lock:
            return copy.deepcopy(self._doors)

    @property
    def panels(self) -> list[Record]:
        with self._lock:
            return copy.deepcopy(self._panels)

    @property
    def tenants(self) -> list[Record]:
        with self._lock:
            return copy.deepcopy(self._tenants)

    @property
    def keychains(self) -> list[Record]:
        with self._lock:
            return copy.deepcopy(self._keychains)

    @property
    def virtual_keys(self) -> list[Record]:
        with self._lock:
            return copy.deepcopy(self._virtual_keys)

    @property
    def releases(self) -> list[dict[str, Any]]:
        """Every accepted door release: ``{"request": body, "response": data}``."""
        with self._lock:
            return copy.deepcopy(self._releases)

    @property
    def token_requests(self) -> list[dict[str, Any]]:
        """Every token request: grant_type, client_id, time, status, error (no secrets)."""
        return self.tokens.history()

    def log_request(self, method: str, path: str) -> None:
        """Called by the HTTP layer for every request that reached the cloud, faulted or not."""
        with self._lock:
            self._requests.append((method.upper(), path))

    def request_count(self, route: str | None = None, method: str | None = None) -> int:
        """How many requests reached the cloud, optionally only those whose path matches
        ``route`` (a prefix or glob, as for faults) and whose method is ``method``. What a
        test of "sent exactly once" counts, failed requests included."""
        with self._lock:
            requests = list(self._requests)
        return sum(
            1
            for seen_method, path in requests
            if (route is None or route_matches(route, path))
            and (method is None or seen_method == method.upper())
        )

    def front_desk_tenant_id(self, building_id: int | None = None) -> int:
        with self._lock:
            if building_id is None:
                building_id = self._buildings[0]["id"]
            try:
                return self._front_desk[building_id]
            except KeyError:
                raise KeyError(f"no building {building_id}") from None

    def front_desk_tenant_ids(self) -> dict[int, int]:
        with self._lock:
            return dict(self._front_desk)

    def building(self, building_id: int) -> Record:
        with self._lock:
            return copy.deepcopy(self._find(self._buildings, building_id))

    def door(self, door_id: int) -> Record:
        with self._lock:
            return copy.deepcopy(self._find(self._doors, door_id))

    def panel(self, panel_id: int) -> Record:
        with self._lock:
            return copy.deepcopy(self._find(self._panels, panel_id))

    def tenant(self, tenant_id: int) -> Record:
        with self._lock:
            return copy.deepcopy(self._find(self._tenants, tenant_id))

    def keychain(self, keychain_id: int) -> Record:
        with self._lock:
            return copy.deepcopy(self._find(self._keychains, keychain_id))

    def virtual_key(self, key_id: int) -> Record:
        with self._lock:
            return copy.deepcopy(self._find(self._virtual_keys, key_id))

    def access_logs(
        self, building_id: int, since: datetime | None = None, until: datetime | None = None
    ) -> list[Record]:
        """The building's access log, newest first as the cloud lists it, optionally only
        ``since <= logged_at <= until``."""
        with self._lock:
            self._find(self._buildings, building_id)
            return _window(self._events[building_id], since, until)

    def calls(
        self, building_id: int, since: datetime | None = None, until: datetime | None = None
    ) -> list[Record]:
        """The building's panel calls, newest first, optionally within a time window."""
        with self._lock:
            self._find(self._buildings, building_id)
            return _window(self._calls[building_id], since, until)

    def log_page(
        self,
        log: str,
        building_id: int,
        since: datetime | None,
        until: datetime | None,
        rows: slice,
    ) -> tuple[int, list[Record]]:
        """How many records of the building's ``log`` ("access_logs" or "calls") are within
        [since, until], and copies of the ``rows`` of them, newest first: one page copied,
        not the whole window (a busy log's overlap window is thousands of records, and a
        request queued behind copying them all waited tens of milliseconds)."""
        logs = {"access_logs": self._events, "calls": self._calls}[log]
        with self._lock:
            self._find(self._buildings, building_id)
            return _window_page(logs[building_id], since, until, rows)

    def snapshot_label(self, name: str) -> tuple[str, str]:
        """The text drawn on the snapshot ``/sim-images/{name}.png``."""
        with self._lock:
            return self._snapshots.get(name, (name.replace("-", " "), ""))

    # --- records -----------------------------------------------------------------------
    def _residents(self, building_id: int) -> list[Record]:
        return self._residents_of[building_id]

    def _event_record(self, door_id: int, moment: datetime, **fields: Any) -> Record:
        record: Record = {
            "id": self._ids.new(),
            "logged_at": iso(moment),
            "access_point": door_id,
            "release_status": "Unlocked",
            "name": None,
            "release_type": None,
            "unit": None,
            "tenant_id": None,
            "entry_method": None,
            "image_url": None,
        }
        record.update(fields)
        return record

    def _snapshot(
        self,
        prefix: str,
        record_id: int,
        door_name: str,
        building_id: int,
        moment: datetime,
        caption: str,
    ) -> str:
        name = f"{prefix}-{record_id}"
        building = self._find(self._buildings, building_id)
        self._snapshots[name] = (
            f"{door_name} - {building['name']}",
            f"{moment.strftime('%Y-%m-%d %H:%M:%S')} UTC  {caption}",
        )
        return f"/sim-images/{name}.png"

    def _call_record(self, building_id: int, moment: datetime, fields: dict[str, Any]) -> Record:
        call_id = self._ids.new()
        device = fields.get("device")
        panel_name = device.get("name") if isinstance(device, dict) else None
        record: Record = {
            "id": call_id,
            "building_id": building_id,
            "logged_at": iso(moment),
            "notification_type": "visitor",
            "recipient": {"id": None, "type": "Attendant"},
            "unit": None,
            "device": None,
            "status": None,
            "image_url": self._snapshot(
                "call", call_id, str(panel_name or "Panel"), building_id, moment, "Call"
            ),
        }
        record.update(fields)
        bisect.insort(self._calls[building_id], record, key=_log_order)
        return record

    def _append_event(self, building_id: int, record: Record) -> None:
        bisect.insort(self._events[building_id], record, key=_log_order)

    def _forget_before(self, moment: datetime) -> None:
        """Drop logs older than the retention, so a demo left running for weeks stays quick."""
        cutoff = (iso(moment), -1)
        for logs in (*self._events.values(), *self._calls.values()):
            old = bisect.bisect_left(logs, cutoff, key=_log_order)
            for record in logs[:old]:
                self._snapshots.pop(_snapshot_name(record.get("image_url")), None)
            del logs[:old]

    def _main_door(self, building_id: int) -> Record:
        doors = [d for d in self._doors if d["building_id"] == building_id]
        return next((d for d in doors if d["name"] == "Main Entrance"), doors[0])

    @staticmethod
    def _find(records: list[Record], record_id: Any) -> Record:
        for record in records:
            if record["id"] == record_id:
                return record
        raise not_found()

    @staticmethod
    def _must_exist(records: list[Record], record_id: Any, field: str) -> Record:
        for record in records:
            if record["id"] == record_id:
                return dict(record)
        raise CloudError(422, [{"field": field, "code": "blank", "message": "must exist"}])


def as_tenant(tenant: Record, release_type: str) -> dict[str, Any]:
    return {
        "name": f"{tenant['first_name']} {tenant['last_name']}",
        "release_type": release_type,
        "unit": tenant["unit"]["id"],
        "tenant_id": tenant["id"],
    }


def _log_order(record: Record) -> tuple[str, int]:
    # Times are all written by iso(), so the strings sort as the moments do.
    return (str(record["logged_at"]), int(record["id"]))


def _window(logs: list[Record], since: datetime | None, until: datetime | None) -> list[Record]:
    """Copies of ``logs`` (kept oldest first) within [since, until], newest first."""
    return _window_page(logs, since, until, slice(None))[1]


def _window_page(
    logs: list[Record], since: datetime | None, until: datetime | None, rows: slice
) -> tuple[int, list[Record]]:
    """How many of ``logs`` (kept oldest first) are within [since, until], and copies of
    the ``rows`` of them counted newest first."""
    low = bisect.bisect_left(logs, (iso(since), -1), key=_log_order) if since else 0
    high = bisect.bisect_right(logs, (iso(until), 2**63), key=_log_order) if until else len(logs)
    start, stop, _ = rows.indices(high - low)
    # Newest first: row 0 is logs[high - 1].
    picked = logs[max(low, high - stop) : high - start]
    return high - low, [_clone(record) for record in reversed(picked)]


def _clone(value: Any) -> Any:
    """A deep copy of JSON-like data, much quicker than copy.deepcopy for long logs."""
    if isinstance(value, dict):
        return {k: _clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clone(v) for v in value]
    return value


def _snapshot_name(url: Any) -> str:
    if isinstance(url, str) and url.startswith("/sim-images/"):
        return url.removeprefix("/sim-images/").removesuffix(".png")
    return ""
