"""The simulated ButterflyMX cloud: an in-memory property that lives on a clock.

No HTTP here (``asgi.py`` serves it), and no records of its own: what it holds and how that
is read is ``CloudState`` (``cloud_state.py``). Here is what happens to it: time passing,
the writes the API routes make (releases, passes, virtual keys) and the hooks tests use.

Life without a background task: ``advance()`` (called at the start of every request) makes
the events, calls and schedule unlocks that fell due since the previous call, from the
clock and the rates. With a ``FakeClock`` a test moves time and sees exactly what follows.
"""

from __future__ import annotations

import copy
import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bmx_console.clock import Clock
from bmx_console.sim import access_tools
from bmx_console.sim.call_statuses import spread_statuses
from bmx_console.sim.cloud_state import (
    CloudError,
    CloudState,
    FieldError,
    as_tenant,
    parse_time,
)
from bmx_console.sim.seed import (
    Record,
    iso,
    new_keychain,
    new_virtual_key,
    one_use_spent,
    weak_pin,
)
from bmx_console.sim.tokens import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

__all__ = ["DEMO_CLIENT_ID", "DEMO_CLIENT_SECRET", "Cloud", "CloudError", "parse_time"]

_SCHEDULE = ((7, "Unlocked"), (22, "Locked"))  # local hour the scheduled doors change
_COURIERS = ("USPS", "UPS", "FedEx", "Amazon", "DoorDash", "Uber Eats", "DHL")
_CALL_STATUSES = (None, "initializing", "canceled", "timeout_online_signal", "opened_door")
_CALL_PANEL_TYPES = ("panel", "virtual_intercom", "front_desk_station")
_HISTORY_EVENTS_PER_HOUR = 9.0  # per building, at the busiest hours
_HISTORY_CALLS_PER_HOUR = 1.5
DELIVERY_PASS_DAYS = 30
RETENTION_DAYS = 7  # at least; more when history_days asks for more


def _hour_weight(hour: int) -> float:
    """How busy doors are at a local hour, relative to the rush (1.0)."""
    if hour < 6:
        return 0.08
    if 7 <= hour <= 9 or 17 <= hour <= 20:
        return 1.0
    if hour >= 22:
        return 0.3
    return 0.55


class Cloud(CloudState):
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
        super().__init__(
            seed,
            clock,
            event_rate_per_min,
            call_rate_per_min,
            token_lifetime_s,
            history_days,
            hostile=hostile,
        )
        now = self._seeded_at
        self._seed_history(now)
        spread_statuses(self._calls)
        self._last_advance = now
        self._next_event_at = self._after(now, event_rate_per_min)
        self._next_call_at = self._after(now, call_rate_per_min)

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
            fields = as_tenant(tenant, "Tenant")
            fields["entry_method"] = access_tools.entry_method(
                tenant,
                rng.choice(("Swipe to open", "Swipe to open", "PIN code", "Key fob", "Bluetooth")),
            )
        elif roll < 0.60:
            fields = as_tenant(tenant, "Visitor")
            fields["entry_method"] = "App call"
        elif roll < 0.72:
            passes = [k for k in self._keychains if k["building_id"] == building_id]
            keychain = passes[rng.randrange(len(passes))] if passes else None
            if keychain is not None and keychain["tenant_id"] and rng.random() < 0.6:
                host = self._find(self._tenants, keychain["tenant_id"])
                fields = as_tenant(host, "Visitor")
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
            fields = as_tenant(tenant, "Tenant")
            method = access_tools.entry_method(tenant, rng.choice(("Swipe to open", "Key fob")))
            fields.update(name=None, entry_method=method)
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
            fields = as_tenant(self._find(self._tenants, recipient["id"]), "Visitor")
            fields["entry_method"] = "App call"
        else:
            fields = {"name": "Unknown", "release_type": "Visitor", "entry_method": "Front desk"}
        at = min(moment + timedelta(seconds=4), max(moment, self.clock.now()))
        record = self._event_record(door["id"], at, **fields)
        record["image_url"] = call.get("image_url")
        self._append_event(building_id, record)

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
            base = as_tenant(residents[0], "Tenant")
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
            keys = [k for k in self._virtual_keys if k["keychain_id"] == keychain_id]
            if one_use_spent(keychain, keys):
                raise CloudError(
                    422, [{"field": "keychain", "code": "used", "message": "was for one use"}]
                )
            building_id = keychain["building_id"]
            door_ids = keychain["access_point_ids"]
            door = (
                self._find(self._doors, door_ids[0]) if door_ids else self._main_door(building_id)
            )
            if keychain["tenant_id"]:
                fields = as_tenant(self._find(self._tenants, keychain["tenant_id"]), "Visitor")
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
                fields = as_tenant(tenant, "Tenant")
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
