"""A believable property, made deterministically from a seed: three buildings in three time
zones, their doors and panels, residents with units and a Front Desk placeholder tenant in each
building, and a few visitor passes. Records are plain dicts in the contract's field order."""

from __future__ import annotations

import itertools
import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

Record = dict[str, Any]


def iso(moment: datetime) -> str:
    """The cloud's time form: ISO-8601 UTC with ``Z``, whole seconds."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# (name, street, city, state, zip) per time zone; the seed picks one of each.
_BUILDINGS: list[tuple[str, list[tuple[str, str, str, str, str]]]] = [
    (
        "America/New_York",
        [
            ("The Ashford", "412 W 46th St", "New York", "NY", "10036"),
            ("Hudson Row", "520 W 28th St", "New York", "NY", "10001"),
            ("Carroll Gardens Lofts", "345 Court St", "Brooklyn", "NY", "11231"),
        ],
    ),
    (
        "America/Chicago",
        [
            ("Lakeview Commons", "1550 N Lake Shore Dr", "Chicago", "IL", "60610"),
            ("The Kinzie", "401 W Kinzie St", "Chicago", "IL", "60654"),
            ("Wicker Park Flats", "1620 N Milwaukee Ave", "Chicago", "IL", "60647"),
        ],
    ),
    (
        "America/Los_Angeles",
        [
            ("Sierra Vista Lofts", "833 S Olive St", "Los Angeles", "CA", "90014"),
            ("Arts District Residences", "950 E 3rd St", "Los Angeles", "CA", "90013"),
            ("The Larchmont", "5960 Melrose Ave", "Los Angeles", "CA", "90038"),
        ],
    ),
]

# (door name, panel types behind it, on an unlock schedule) per building.
_DOORS: list[list[tuple[str, tuple[str, ...], bool]]] = [
    [
        ("Main Entrance", ("panel",), False),
        ("Lobby", ("panel", "front_desk_station"), False),
        ("Package Room", ("keypad",), False),
        ("Garage Gate", ("cloud_based_access_controller",), False),
        ("Amenity Deck", ("smart_lock",), True),
        ("Gym", ("keypad",), True),
        ("Rooftop", ("smart_lock",), True),
        ("Service Entrance", ("keypad",), False),
    ],
    [
        ("Main Entrance", ("panel", "virtual_intercom"), False),
        ("Lobby", ("front_desk_station",), False),
        ("Package Room", ("keypad",), False),
        ("Pool Gate", ("cloud_based_access_controller",), True),
        ("Bike Room", ("smart_lock",), False),
        ("Garage Gate", ("panel",), False),
    ],
    [
        ("Main Entrance", ("panel",), False),
        ("Lobby", ("virtual_intercom",), False),
        ("Package Room", ("keypad",), False),
        ("Gym", ("smart_lock",), True),
        ("Courtyard Gate", (), False),
        ("Service Entrance", ("keypad",), False),
    ],
]

_FIRST = [
    *("Maya", "Daniel", "Priya", "Marcus", "Elena", "Tomás", "Aisha", "Noah", "Grace", "Omar"),
    *("Hannah", "Wei", "Lucia", "Samuel", "Fatima", "Jonas", "Keiko", "Andre", "Sofia"),
    *("Ibrahim", "Chloe", "Diego", "Nadia", "Ethan", "Zoe", "Kofi", "Ingrid", "Rafael"),
]
_LAST = [
    *("Chen", "Okafor", "Patel", "Rivera", "Novak", "Haddad", "Johansson", "Kim", "Alvarez"),
    *("Brennan", "Nguyen", "Schulz", "Mensah", "Rossi", "Tanaka", "Ortiz", "Lindqvist"),
    *("Adeyemi", "Moreau", "Kowalski", "Park", "Sato", "Herrera", "Walsh"),
]

RESIDENTS_PER_BUILDING = 9

_SERIAL_PREFIX = {
    "panel": "07S21N",
    "keypad": "KP01-",
    "smart_lock": "SL-",
    "virtual_intercom": "VI01-",
    "front_desk_station": "FD01-",
}


@dataclass
class Property:
    buildings: list[Record] = field(default_factory=list)
    doors: list[Record] = field(default_factory=list)
    panels: list[Record] = field(default_factory=list)
    tenants: list[Record] = field(default_factory=list)
    keychains: list[Record] = field(default_factory=list)
    virtual_keys: list[Record] = field(default_factory=list)
    front_desk: dict[int, int] = field(default_factory=dict)
    scheduled_doors: set[int] = field(default_factory=set)


class Ids:
    """Unique integer ids that look like the cloud's (nine digits, in no particular order)."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[int] = set()

    def new(self) -> int:
        while True:
            candidate = self._rng.randrange(10_000_000, 999_999_999)
            if candidate not in self._used:
                self._used.add(candidate)
                return candidate


def new_pin(rng: random.Random) -> str:
    while True:
        pin = f"{rng.randrange(0, 1_000_000):06d}"
        if not weak_pin(pin):
            return pin


def weak_pin(pin: str) -> bool:
    """Too easy to guess: few distinct digits or a straight run such as 123456."""
    if len(set(pin)) < 3:
        return True
    if not pin.isdigit():
        return False
    steps = {int(b) - int(a) for a, b in itertools.pairwise(pin)}
    return len(steps) == 1 and steps <= {1, -1}


def seed_property(
    rng: random.Random, ids: Ids, now: datetime, *, hostile: bool = False
) -> Property:
    prop = Property()
    created = now - timedelta(days=400 + rng.randrange(0, 200))
    stamp = {"created_at": iso(created), "updated_at": iso(created + timedelta(days=30))}
    first_names = rng.sample(_FIRST, len(_FIRST))
    last_names = rng.sample(_LAST, len(_LAST))
    resident = 0
    for index, (time_zone, choices) in enumerate(_BUILDINGS):
        name, street, city, state, zip_code = choices[rng.randrange(len(choices))]
        building_id = ids.new()
        building = {
            "created_at": stamp["created_at"],
            "id": building_id,
            "name": name,
            "updated_at": stamp["updated_at"],
            "time_zone": time_zone,
            "address": {
                "city": city,
                "country": "us",
                "county": None,
                "state": state,
                "zip_code": zip_code,
                "address": street,
            },
        }
        prop.buildings.append(building)
        short = name.removeprefix("The ").split()[0]
        for door_name, panel_types, scheduled in _DOORS[index]:
            panel_ids: list[int] = []
            for panel_type in panel_types:
                existing = _shared_panel(prop.panels, building_id, panel_type, door_name)
                if existing is not None:
                    panel_ids.append(existing)
                    continue
                panel = _panel(rng, ids, building_id, panel_type, door_name, short, stamp)
                prop.panels.append(panel)
                panel_ids.append(panel["id"])
            door: Record = {
                "created_at": stamp["created_at"],
                "id": ids.new(),
                "name": door_name,
                "updated_at": stamp["updated_at"],
                "building_id": building_id,
                "device_ids": panel_ids,
                "open_hours": [],
            }
            prop.doors.append(door)
            if scheduled:
                prop.scheduled_doors.add(int(door["id"]))
        desk_email = f"frontdesk+{short.lower()}@example.com"
        desk = _tenant(
            ids, building, "Front", "Desk", _unit(ids, "DESK", "1", stamp), stamp, email=desk_email
        )
        prop.tenants.append(desk)
        prop.front_desk[building_id] = desk["id"]
        units: list[Record] = []
        for _ in range(RESIDENTS_PER_BUILDING):
            # Some residents share a unit with the one before them: households.
            if units and rng.random() < 0.25:
                unit = units[-1]
            else:
                floor = rng.randrange(2, 24)
                unit = _unit(ids, f"{floor}{'ABCDEFGH'[rng.randrange(8)]}", str(floor), stamp)
                units.append(unit)
            first = first_names[resident % len(first_names)]
            last = last_names[(resident * 7 + index) % len(last_names)]
            resident += 1
            email = f"{first.lower()}.{last.lower()}@example.com".replace("á", "a")
            prop.tenants.append(_tenant(ids, building, first, last, unit, stamp, email=email))
    _seed_passes(rng, ids, prop, now)
    if hostile:
        from bmx_console.sim.hostile import make_hostile

        make_hostile(prop)
    return prop


def _shared_panel(
    panels: list[Record], building_id: int, panel_type: str, door_name: str
) -> int | None:
    # The lobby door is released by the main entrance panel too, as on many real sites.
    if panel_type == "panel" and door_name == "Lobby":
        for panel in panels:
            if panel["building_id"] == building_id and panel["type"] == "panel":
                return int(panel["id"])
    return None


def _panel(
    rng: random.Random,
    ids: Ids,
    building_id: int,
    panel_type: str,
    door_name: str,
    short: str,
    stamp: dict[str, str],
) -> Record:
    if panel_type == "front_desk_station":
        name = f"{short} Front Desk"
    elif panel_type == "virtual_intercom":
        name = f"Virtual {door_name}"
    else:
        name = door_name
    prefix = _SERIAL_PREFIX.get(panel_type)
    serial = None if prefix is None else f"{prefix}{rng.randrange(16**4, 16**5):X}"
    return {
        "created_at": stamp["created_at"],
        "id": ids.new(),
        "model": None,
        "name": name,
        "serial_number": serial,
        "updated_at": stamp["updated_at"],
        "building_id": building_id,
        "type": panel_type,
    }


def _unit(ids: Ids, label: str, floor: str, stamp: dict[str, str]) -> Record:
    return {
        "created_at": stamp["created_at"],
        "id": ids.new(),
        "label": label,
        "updated_at": stamp["updated_at"],
        "floor": floor,
    }


def _tenant(
    ids: Ids,
    building: Record,
    first: str,
    last: str,
    unit: Record,
    stamp: dict[str, str],
    *,
    email: str,
) -> Record:
    return {
        "created_at": stamp["created_at"],
        "full_name": None,
        "id": ids.new(),
        "updated_at": stamp["updated_at"],
        "first_name": first,
        "last_name": last,
        "building_id": building["id"],
        "building_name": building["name"],
        "inactive_after": None,
        "building_timezone": building["time_zone"],
        "email": email,
        "contact_preference": "phone_call" if first == "Front" or len(first) % 2 else "mobile_app",
        "registration_status": "registered",
        "invitation": None,
        "unit": dict(unit),
        "notification_preference": None
        if first == "Front"
        else {
            "email": True,
            "sms": False,
            "do_not_disturb": False,
            "preferences": {
                "door_opens": {"push": True, "email": False, "sms": None},
                "messages": {"push": True, "email": True, "sms": False},
            },
        },
    }


_PASS_NAMES = ("Dog walker", "Cleaner", "Physical therapist", "Book club", "Movers", "Nanny")


def _seed_passes(rng: random.Random, ids: Ids, prop: Property, now: datetime) -> None:
    for building in prop.buildings:
        residents = [
            t
            for t in prop.tenants
            if t["building_id"] == building["id"] and t["id"] != prop.front_desk[building["id"]]
        ]
        doors = [d for d in prop.doors if d["building_id"] == building["id"]]
        windows = [
            (now - timedelta(days=20), now + timedelta(days=60)),
            (now - timedelta(days=30), now - timedelta(days=2)),
            (now + timedelta(days=5), now + timedelta(days=12)),
        ]
        for starts_at, ends_at in windows:
            host = residents[rng.randrange(len(residents))]
            door = doors[0]
            name = _PASS_NAMES[rng.randrange(len(_PASS_NAMES))]
            keychain = new_keychain(
                ids,
                name=name,
                kind="custom_keychain",
                building_id=building["id"],
                tenant=host,
                starts_at=starts_at,
                ends_at=ends_at,
                doors=[door],
                extra_panel_ids=[],
                now=starts_at - timedelta(days=1),
            )
            prop.keychains.append(keychain)
            key = new_virtual_key(
                rng,
                ids,
                keychain,
                name=f"{name} ({host['first_name']})",
                email=f"{name.lower().replace(' ', '.')}@example.com",
                now=starts_at - timedelta(days=1),
            )
            if starts_at < now:
                key["first_used_at"] = iso(starts_at + timedelta(hours=3))
                key["last_used_at"] = iso(min(now, ends_at) - timedelta(hours=5))
                key["usage_count"] = 1 + rng.randrange(12)
            prop.virtual_keys.append(key)
            keychain["virtual_key_ids"].append(key["id"])


def new_keychain(
    ids: Ids,
    *,
    name: str,
    kind: str,
    building_id: int,
    tenant: Record | None,
    starts_at: datetime,
    ends_at: datetime,
    doors: list[Record],
    extra_panel_ids: list[int],
    now: datetime,
    unit_id: int | None = None,
) -> Record:
    panel_ids: list[int] = []
    for door in doors:
        panel_ids.extend(p for p in door["device_ids"] if p not in panel_ids)
    panel_ids.extend(p for p in extra_panel_ids if p not in panel_ids)
    return {
        "id": ids.new(),
        "created_at": iso(now),
        "updated_at": iso(now),
        "name": name,
        "starts_at": iso(starts_at),
        "ends_at": iso(ends_at),
        "type": kind,
        "building_id": building_id,
        "tenant_id": tenant["id"] if tenant else None,
        "unit_id": tenant["unit"]["id"] if tenant else unit_id,
        "virtual_key_ids": [],
        "access_point_ids": [d["id"] for d in doors],
        "device_ids": panel_ids,
    }


def new_virtual_key(
    rng: random.Random,
    ids: Ids,
    keychain: Record,
    *,
    name: str | None = None,
    email: str | None = None,
    sms_number: str | None = None,
    pin_code: str | None = None,
    now: datetime,
) -> Record:
    key_id = ids.new()
    stamp = iso(now)
    return {
        "created_at": stamp,
        "email": email,
        "first_used_at": None,
        "id": key_id,
        "keychain_id": keychain["id"],
        "last_used_at": None,
        "name": name or keychain["name"],
        "sent_at": stamp if (email or sms_number) else None,
        "sms_number": sms_number,
        "updated_at": stamp,
        "usage_count": 0,
        "qr_code_url": f"/sim-images/qr-{key_id}.png",
        "pin_code": pin_code or new_pin(rng),
        "building_id": keychain["building_id"],
        "instructions_url": f"/public/virtual_keys/{key_id}/{uuid.UUID(int=rng.getrandbits(128))}",
    }
