"""The simulated ButterflyMX cloud: an in-memory property that lives on a clock.

No HTTP here (``asgi.py`` serves it). Every public method takes the lock, because tests run
the server on a thread and poke the cloud from theirs; properties hand out copies, so a
caller can never change what the server sends behind its back.

Life without a background task: ``advance()`` (called at the start of every request) makes
the events, calls and schedule unlocks that fell due since the previous call, from the
clock and the rates. With a ``FakeClock`` a test moves time and sees exactly what follows.

Snapshot and QR links are kept as paths on the simulator (``/sim-images/...``); the HTTP
layer makes them absolute with whatever host the client used, so they work in-process and
over loopback alike.
"""

from __future__ import annotations

import bisect
import copy
import random
import threading
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bmx_console.clock import Clock, SystemClock
from bmx_console.sim.faults import Faults, route_matches
from bmx_console.sim.seed import (
    Ids,
    Record,
    iso,
    new_keychain,
    new_virtual_key,
    seed_property,
    weak_pin,
)
from bmx_console.sim.tokens import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, TokenAuthority

__all__ = ["DEMO_CLIENT_ID", "DEMO_CLIENT_SECRET", "Cloud", "CloudError"]

FieldError = dict[str, str]

_SCHEDULE = ((7, "Unlocked"), (22, "Locked"))  # local hour the scheduled doors change
_COURIERS = ("USPS", "UPS", "FedEx", "Amazon", "DoorDash", "Uber Eats", "DHL")
_CALL_STATUSES = (None, "initializing", "canceled", "timeout_online_signal", "opened_door")
_CALL_PANEL_TYPES = ("panel", "virtual_intercom", "front_desk_station")
_HISTORY_EVENTS_PER_HOUR = 9.0  # per building, at the busiest hours
_HISTORY_CALLS_PER_HOUR = 1.5
DELIVERY_PASS_DAYS = 30
RETENTION_DAYS = 7  # at least; more when history_days asks for more


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


def _hour_weight(hour: int) -> float:
    """How busy doors are at a local hour, relative to the rush (1.0)."""
    if hour < 6:
        return 0.08
    if 7 <= hour <= 9 or 17 <= hour <= 20:
        return 1.0
    if hour >= 22:
        return 0.3
    return 0.55


class Cloud:
    def __init__(
        self,
        seed: int = 7,
        clock: Clock | None = None,
        event_rate_per_min: float = 6.0,
        call_rate_per_min: float = 1.0,
        token_lifetime_s: int = 86400,
        history_days: int = 3,
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
        now = self.clock.now()
        # hostile: names full of markup, formulas and control characters (sim/hostile.py).
        prop = seed_property(self._rng, self._ids, now, hostile=hostile)
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
        self._seed_history(now)
        self._last_advance = now
        self._next_event_at = self._after(now, event_rate_per_min)
        self._next_call_at = self._after(now, call_rate_per_min)

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

    def snapshot_label(self, name: str) -> tuple[str, str]:
        """The text drawn on the snapshot ``/sim-images/{name}.png``."""
        with self._lock:
            return self._snapshots.get(name, (name.replace("-", " "), ""))

    # --- time ----------------------------------------------------------------------------
    def advance(self) -> None:
        """Make what fell due since the last call: events, calls, schedule changes."""
        with self._lock:
            now = self.clock.now()
            if now <= self._last_advance:
                return
            keep = now - timedelta(days=max(self.history_days, RETENTION_DAYS))
            # After a long jump of the clock, make only what would still be kept.
            start = max(self._last_advance, keep)
            self._schedule_changes(start, now)
            self._next_event_at = max(self._next_event_at, start)
            while self._next_event_at <= now:
                self._random_event(self._live, self._pick_building(), self._next_event_at)
                self._next_event_at = self._after(self._next_event_at, self.event_rate_per_min)
            self._next_call_at = max(self._next_call_at, start)
            while self._next_call_at <= now:
                self._random_call(self._live, self._pick_building(), self._next_call_at)
                self._next_call_at = self._after(self._next_call_at, self.call_rate_per_min)
            self._last_advance = now
            self._forget_before(keep)

    def _after(self, moment: datetime, rate_per_min: float) -> datetime:
        if rate_per_min <= 0:
            return datetime.max.replace(tzinfo=UTC)
        return moment + timedelta(seconds=self._live.expovariate(rate_per_min / 60.0))

    def _pick_building(self) -> int:
        weights = [len(self._doors_of[b["id"]]) for b in self._buildings]
        building: Record = self._live.choices(self._buildings, weights)[0]
        return int(building["id"])

    def _seed_history(self, now: datetime) -> None:
        start = now - timedelta(days=self.history_days)
        self._schedule_changes(start, now)
        for building in self._buildings:
            zone = ZoneInfo(building["time_zone"])
            for rate, make in (
                (_HISTORY_EVENTS_PER_HOUR, self._random_event),
                (_HISTORY_CALLS_PER_HOUR, self._random_call),
            ):
                moment = start
                while True:
                    moment += timedelta(seconds=self._rng.expovariate(rate / 3600.0))
                    if moment >= now:
                        break
                    # Thinning: quiet nights, busy mornings and evenings, in local time.
                    if self._rng.random() < _hour_weight(moment.astimezone(zone).hour):
                        make(self._rng, building["id"], moment)

    def _schedule_changes(self, start: datetime, end: datetime) -> None:
        """Unlock/lock events of the scheduled doors at their local hours in (start, end]."""
        for door in self._doors:
            if door["id"] not in self._scheduled:
                continue
            zone = ZoneInfo(self._find(self._buildings, door["building_id"])["time_zone"])
            day = start.astimezone(zone).date()
            while day <= end.astimezone(zone).date():
                for hour, status in _SCHEDULE:
                    local = datetime(day.year, day.month, day.day, hour, tzinfo=zone)
                    moment = local.astimezone(UTC)
                    if start < moment <= end:
                        self._append_event(
                            door["building_id"],
                            self._event_record(door["id"], moment, release_status=status),
                        )
                day += timedelta(days=1)

    # --- generated traffic ---------------------------------------------------------------
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

    def _random_event(self, rng: random.Random, building_id: int, moment: datetime) -> Record:
        doors = self._doors_of[building_id]
        weights = [
            6 if d["name"] == "Main Entrance" else 3 if d["name"] == "Lobby" else 1 for d in doors
        ]
        door = rng.choices(doors, weights)[0]
        residents = self._residents(building_id)
        tenant = residents[rng.randrange(len(residents))]
        roll = rng.random()
        fields: dict[str, Any]
        if roll < 0.52:
            fields = _as_tenant(tenant, "Tenant")
            fields["entry_method"] = rng.choice(
                ("Swipe to open", "Swipe to open", "PIN code", "Key fob", "Bluetooth")
            )
        elif roll < 0.60:
            fields = _as_tenant(tenant, "Visitor")
            fields["entry_method"] = "App call"
        elif roll < 0.72:
            passes = [k for k in self._keychains if k["building_id"] == building_id]
            keychain = passes[rng.randrange(len(passes))] if passes else None
            if keychain is not None and keychain["tenant_id"] and rng.random() < 0.6:
                host = self._find(self._tenants, keychain["tenant_id"])
                fields = _as_tenant(host, "Visitor")
                fields["entry_method"] = {"keychain": keychain["id"]}
            else:
                fields = {"name": "Unknown", "release_type": "Visitor"}
                fields["entry_method"] = rng.choice(
                    ("Visitor Pass (using QR code)", "Visitor Pass (using PIN)")
                )
        elif roll < 0.86:
            fields = {
                "name": rng.choice(_COURIERS),
                "release_type": "Delivery",
                "entry_method": rng.choice(
                    ("Remote Doorman", "Delivery Pass", "Visitor Pass (using PIN)")
                ),
            }
            door = next((d for d in doors if d["name"] == "Package Room"), door)
        elif roll < 0.93:
            # The cloud does not always know who it was.
            fields = _as_tenant(tenant, "Tenant")
            fields.update(name=None, entry_method=rng.choice(("Swipe to open", "Key fob")))
        else:
            fields = {"name": "Unknown", "release_type": None, "entry_method": "Front desk"}
        record = self._event_record(door["id"], moment, **fields)
        if rng.random() < 0.8:
            kind = fields.get("release_type") or "Access"
            record["image_url"] = self._snapshot(
                "event", record["id"], door["name"], building_id, moment, str(kind)
            )
        self._append_event(building_id, record)
        return record

    def _random_call(self, rng: random.Random, building_id: int, moment: datetime) -> Record:
        panels = [
            p
            for p in self._panels
            if p["building_id"] == building_id and p["type"] in _CALL_PANEL_TYPES
        ]
        panel = panels[rng.randrange(len(panels))]
        fields: dict[str, Any] = {
            "device": {"id": panel["id"], "name": panel["name"]},
            "status": rng.choices(_CALL_STATUSES, (3, 1, 2, 2, 3))[0],
            "notification_type": "delivery" if rng.random() < 0.12 else "visitor",
        }
        if rng.random() < 0.75:
            residents = self._residents(building_id)
            tenant = residents[rng.randrange(len(residents))]
            fields["recipient"] = {"id": tenant["id"], "type": "Tenant"}
            fields["unit"] = {"id": tenant["unit"]["id"]}
        else:
            fields["recipient"] = {"id": None, "type": "Attendant"}
            fields["unit"] = None
        call = self._call_record(building_id, moment, fields)
        if call["status"] == "opened_door":
            self._door_opened_by_call(building_id, call, moment)
        return call

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

    def _door_opened_by_call(self, building_id: int, call: Record, moment: datetime) -> None:
        device = call.get("device") or {}
        door = next(
            (
                d
                for d in self._doors
                if d["building_id"] == building_id and device.get("id") in d["device_ids"]
            ),
            None,
        )
        if door is None:
            return
        recipient = call.get("recipient") or {}
        if recipient.get("type") == "Tenant" and recipient.get("id"):
            fields = _as_tenant(self._find(self._tenants, recipient["id"]), "Visitor")
            fields["entry_method"] = "App call"
        else:
            fields = {"name": "Unknown", "release_type": "Visitor", "entry_method": "Front desk"}
        at = min(moment + timedelta(seconds=4), max(moment, self.clock.now()))
        record = self._event_record(door["id"], at, **fields)
        record["image_url"] = call.get("image_url")
        self._append_event(building_id, record)

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

    # --- test hooks ----------------------------------------------------------------------
    def add_event(self, **fields: Any) -> Record:
        """Add one access log now (or at ``logged_at``); unspecified fields make a plausible
        tenant event at the building's main entrance. ``building_id`` picks the building
        when ``access_point`` does not; any other field is served as given."""
        with self._lock:
            building_id = fields.pop("building_id", None)
            door_id = fields.get("access_point")
            if door_id is not None:
                building_id = self._find(self._doors, door_id)["building_id"]
            if building_id is None:
                building_id = self._buildings[0]["id"]
            self._find(self._buildings, building_id)
            if door_id is None:
                door_id = self._main_door(building_id)["id"]
            moment = parse_time(fields.pop("logged_at", None)) or self.clock.now()
            residents = self._residents(building_id)
            base = _as_tenant(residents[0], "Tenant")
            base["entry_method"] = "Swipe to open"
            record = self._event_record(door_id, moment, **base)
            record.update(fields)
            record["access_point"] = door_id
            self._append_event(building_id, record)
            return copy.deepcopy(record)

    def add_call(self, **fields: Any) -> Record:
        """Add one panel call now (or at ``logged_at``); ``device`` may be a panel id."""
        with self._lock:
            building_id = fields.pop("building_id", None)
            device = fields.get("device")
            if isinstance(device, int):
                panel = self._find(self._panels, device)
                fields["device"] = {"id": panel["id"], "name": panel["name"]}
                building_id = panel["building_id"]
            elif isinstance(device, dict) and device.get("id") is not None:
                building_id = building_id or self._find(self._panels, device["id"])["building_id"]
            if building_id is None:
                building_id = self._buildings[0]["id"]
            self._find(self._buildings, building_id)
            if "device" not in fields:
                main = self._main_door(building_id)
                panel = self._find(self._panels, main["device_ids"][0])
                fields["device"] = {"id": panel["id"], "name": panel["name"]}
            moment = parse_time(fields.pop("logged_at", None)) or self.clock.now()
            call = self._call_record(building_id, moment, fields)
            if call["status"] == "opened_door":
                self._door_opened_by_call(building_id, call, moment)
            return copy.deepcopy(call)

    def use_pass(self, keychain_id: int, *, phrase: bool = False) -> Record:
        """A visitor scans the pass at its first door: an access log and the key's usage.

        The entry method is ``{"keychain": id}`` (as the cloud logs a known pass), or the
        phrase "Visitor Pass (using QR code)" when ``phrase`` is true. A pass outside its
        time window is refused, as the panel would refuse it.
        """
        with self._lock:
            keychain = self._find(self._keychains, keychain_id)
            now = self.clock.now()
            starts_at = parse_time(keychain["starts_at"])
            ends_at = parse_time(keychain["ends_at"])
            if starts_at is None or ends_at is None or not starts_at <= now < ends_at:
                raise CloudError(
                    422,
                    [
                        {
                            "field": "keychain",
                            "code": "not_active",
                            "message": f"is valid from {keychain['starts_at']} to "
                            f"{keychain['ends_at']}, not at {iso(now)}",
                        }
                    ],
                )
            building_id = keychain["building_id"]
            door_ids = keychain["access_point_ids"]
            door = (
                self._find(self._doors, door_ids[0]) if door_ids else self._main_door(building_id)
            )
            keys = [k for k in self._virtual_keys if k["keychain_id"] == keychain_id]
            if keychain["tenant_id"]:
                fields = _as_tenant(self._find(self._tenants, keychain["tenant_id"]), "Visitor")
            else:
                fields = {"name": "Unknown", "release_type": "Visitor"}
            fields["entry_method"] = (
                "Visitor Pass (using QR code)" if phrase else {"keychain": keychain_id}
            )
            record = self._event_record(door["id"], now, **fields)
            record["image_url"] = self._snapshot(
                "event", record["id"], door["name"], building_id, now, "Visitor pass"
            )
            self._append_event(building_id, record)
            if keys:
                key = keys[0]
                key["first_used_at"] = key["first_used_at"] or iso(now)
                key["last_used_at"] = iso(now)
                key["usage_count"] += 1
                key["updated_at"] = iso(now)
            return copy.deepcopy(record)

    def expire_tokens(self) -> None:
        """Every access token stops working: the next /v4 request gets a 401."""
        self.tokens.expire_all()

    def revoke_refresh_tokens(self) -> None:
        self.tokens.revoke_refresh_tokens()

    def issue_auth_code(self, challenge: str) -> str:
        """A code for the authorization_code grant, bound to a PKCE S256 ``challenge``."""
        return self.tokens.issue_auth_code(challenge)

    # --- what the API routes do ------------------------------------------------------------
    def release(
        self,
        body: dict[str, Any],
        *,
        tenant_id: int,
        access_point_id: int | None = None,
        device_id: int | None = None,
    ) -> Record:
        """Accept a door release request and log the unlock, as the cloud does."""
        with self._lock:
            now = self.clock.now()
            tenant = self._must_exist(self._tenants, tenant_id, "tenant")
            door: Record | None
            if access_point_id is not None:
                door = self._must_exist(self._doors, access_point_id, "access_point")
                building_id, door_field = door["building_id"], "access_point"
            else:
                panel = self._must_exist(self._panels, device_id, "device")
                door = next((d for d in self._doors if panel["id"] in d["device_ids"]), None)
                building_id, door_field = panel["building_id"], "device"
            if building_id != tenant["building_id"]:
                raise CloudError(
                    422,
                    [
                        {
                            "field": door_field,
                            "code": "invalid",
                            "message": "is not in the tenant's building",
                        }
                    ],
                )
            self._release_seq += 1
            response = {
                "access_point_id": access_point_id,
                "created_at": iso(now),
                "device_id": device_id,
                "guid": str(uuid.UUID(int=self._live.getrandbits(128))),
                "id": self._release_seq,
                "release_method": "api",
                "updated_at": iso(now),
                "tenant_id": tenant_id,
            }
            self._releases.append({"request": copy.deepcopy(body), "response": response})
            if door is not None:
                fields = _as_tenant(tenant, "Tenant")
                fields["entry_method"] = "API"
                record = self._event_record(door["id"], now, **fields)
                record["image_url"] = self._snapshot(
                    "event", record["id"], door["name"], door["building_id"], now, "API release"
                )
                self._append_event(door["building_id"], record)
            return copy.deepcopy(response)

    def create_keychain(self, kind: str, fields: dict[str, Any]) -> Record:
        """``kind``: custom_keychain, one_time_keychain or delivery_pass (schema-checked)."""
        with self._lock:
            now = self.clock.now()
            tenant, unit_id, building_id = self._pass_owner(fields)
            if kind == "delivery_pass":
                starts_at, ends_at = now, now + timedelta(days=DELIVERY_PASS_DAYS)
                doors = [d for d in self._doors if d["building_id"] == building_id]
                extra: list[int] = []
                recipients: list[str] = []
            else:
                starts_at, ends_at = self._window(fields)
                doors = self._in_building(
                    self._doors,
                    fields.get("access_point_ids") or [],
                    building_id,
                    "access_point_ids",
                )
                extra = [
                    p["id"]
                    for p in self._in_building(
                        self._panels, fields.get("device_ids") or [], building_id, "device_ids"
                    )
                ]
                recipients = list(fields.get("recipients") or [])
            keychain = new_keychain(
                self._ids,
                name=fields.get("name") or "Delivery Pass",
                kind=kind,
                building_id=building_id,
                tenant=tenant,
                starts_at=starts_at,
                ends_at=ends_at,
                doors=doors,
                extra_panel_ids=extra,
                now=now,
                unit_id=unit_id,
            )
            self._keychains.append(keychain)
            if kind == "delivery_pass":
                self._add_key(keychain, now)
            for recipient in recipients:
                if "@" in recipient:
                    self._add_key(keychain, now, email=recipient)
                else:
                    self._add_key(keychain, now, sms_number=recipient)
            return copy.deepcopy(keychain)

    def delete_keychain(self, keychain_id: int) -> None:
        """Revoke a pass: the keychain and its virtual keys are gone."""
        with self._lock:
            keychain = self._find(self._keychains, keychain_id)
            self._keychains.remove(keychain)
            self._virtual_keys[:] = [
                k for k in self._virtual_keys if k["keychain_id"] != keychain_id
            ]

    def delete_virtual_key(self, key_id: int) -> None:
        with self._lock:
            key = self._find(self._virtual_keys, key_id)
            self._virtual_keys.remove(key)
            for keychain in self._keychains:
                if key_id in keychain["virtual_key_ids"]:
                    keychain["virtual_key_ids"].remove(key_id)

    def create_virtual_key(self, fields: dict[str, Any]) -> Record:
        with self._lock:
            keychain = next((k for k in self._keychains if k["id"] == fields["keychain_id"]), None)
            if keychain is None:
                raise CloudError(
                    422, [{"field": "keychain", "code": "blank", "message": "must exist"}]
                )
            pin = fields.get("pin_code")
            if pin:
                errors: list[FieldError] = []
                if weak_pin(pin):
                    errors.append(
                        {
                            "field": "code",
                            "message": "isn't strong enough, try a different value",
                            "code": "low_entropy",
                        }
                    )
                if len(pin) != 6 or not pin.isdigit():
                    errors.append(
                        {
                            "field": "code",
                            "message": "is the wrong length (should be 6 characters)"
                            if len(pin) != 6
                            else "is invalid",
                            "code": "wrong_length" if len(pin) != 6 else "invalid",
                        }
                    )
                if errors:
                    raise CloudError(422, errors)
            key = self._add_key(
                keychain,
                self.clock.now(),
                name=fields.get("name"),
                email=fields.get("email"),
                sms_number=fields.get("sms_number"),
                pin_code=pin or None,
            )
            return copy.deepcopy(key)

    # --- helpers -------------------------------------------------------------------------
    def _add_key(self, keychain: Record, now: datetime, **fields: Any) -> Record:
        key = new_virtual_key(self._rng, self._ids, keychain, now=now, **fields)
        self._virtual_keys.append(key)
        keychain["virtual_key_ids"].append(key["id"])
        return key

    def _pass_owner(self, fields: dict[str, Any]) -> tuple[Record | None, int | None, int]:
        tenant_id = fields.get("tenant_id")
        unit_id = fields.get("unit_id")
        tenant = next((t for t in self._tenants if t["id"] == tenant_id), None)
        if tenant is not None:
            return tenant, tenant["unit"]["id"], int(tenant["building_id"])
        unit_owner = next((t for t in self._tenants if t["unit"]["id"] == unit_id), None)
        if unit_owner is not None and tenant_id is None:
            return None, unit_id, int(unit_owner["building_id"])
        # The contract's answer for a tenant or unit outside the account's reach.
        raise CloudError(
            422,
            [
                {"field": "building", "message": "must exist", "code": "blank"},
                {
                    "field": "base",
                    "message": "must have an associated unit or tenant",
                    "code": "must_have_an_associated_unit_or_tenant",
                },
                {
                    "field": "unit_id",
                    "message": "must have an associated unit",
                    "code": "must_have_an_associated_unit",
                },
                {
                    "field": "units_user_id",
                    "message": "must have an associated tenant",
                    "code": "must_have_an_associated_tenant",
                },
            ],
        )

    def _window(self, fields: dict[str, Any]) -> tuple[datetime, datetime]:
        starts_at = parse_time(fields.get("starts_at"))
        ends_at = parse_time(fields.get("ends_at"))
        if starts_at is None or ends_at is None:
            raise CloudError(
                422, [{"field": "starts_at", "code": "invalid", "message": "is not a valid time"}]
            )
        if starts_at >= ends_at:
            raise CloudError(
                422,
                [
                    {
                        "field": "starts_at",
                        "message": "Start time must be before the end time",
                        "code": "start_time_must_be_before_the_end_time",
                    },
                    {
                        "field": "ends_at",
                        "message": "End time must be after the start time",
                        "code": "end_time_must_be_after_the_start_time",
                    },
                ],
            )
        return starts_at.replace(microsecond=0), ends_at.replace(microsecond=0)

    def _in_building(
        self, records: list[Record], wanted: list[int], building_id: int, field: str
    ) -> list[Record]:
        found = [r for r in records if r["id"] in wanted and r["building_id"] == building_id]
        if len(found) != len(set(wanted)):
            raise CloudError(
                422,
                [{"field": field, "code": "invalid", "message": "must belong to the building"}],
            )
        return sorted(found, key=lambda r: wanted.index(r["id"]))

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


def _as_tenant(tenant: Record, release_type: str) -> dict[str, Any]:
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
    low = bisect.bisect_left(logs, (iso(since), -1), key=_log_order) if since else 0
    high = bisect.bisect_right(logs, (iso(until), 2**63), key=_log_order) if until else len(logs)
    return [_clone(record) for record in reversed(logs[low:high])]


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
