"""Typed records for what the ButterflyMX v4 API returns.

Parsing is tolerant on purpose: the cloud sends nulls where the contract shows values, adds
fields without notice, and gives ``entry_method`` sometimes as a phrase and sometimes as an
object. Each ``from_api`` takes whatever came and makes a record; only a value that is not a
JSON object at all, or a record without an ``id``, is refused (``ValueError``), so that the
caller can report a protocol error naming the endpoint instead of showing half a record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

EventKind = Literal["tenant", "visitor", "delivery", "api", "schedule", "other"]


def _obj(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ValueError(f"expected a JSON object, got {type(raw).__name__}")
    return raw


def _id(raw: dict[str, Any], key: str = "id") -> int:
    value = _int(raw.get(key))
    if value is None:
        raise ValueError(f"record without a usable {key!r}")
    return value


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _sub(raw: dict[str, Any], key: str) -> dict[str, Any]:
    value = raw.get(key)
    return value if isinstance(value, dict) else {}


def _ints(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(i for i in (_int(v) for v in value) if i is not None)


def parse_time(value: Any) -> datetime | None:
    """ISO-8601 (with ``Z`` or an offset, or the filter form ``... UTC``) to an aware UTC time."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith(" UTC"):
        text = text[:-4].replace(" ", "T") + "+00:00"
    elif text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        # Year 1 at +14:00 is before the calendar starts in UTC: unreadable, not a crash.
        return parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def format_filter_time(moment: datetime) -> str:
    """The form the cloud's Ransack filters read: ``YYYY-MM-DD HH:MM:SS UTC``."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def format_api_time(moment: datetime) -> str:
    """The form the cloud writes and accepts in bodies: ISO-8601 UTC with ``Z``."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class Building:
    id: int
    name: str
    time_zone: str | None = None
    address: str = ""

    @classmethod
    def from_api(cls, raw: Any) -> Building:
        d = _obj(raw)
        address = d.get("address")
        parts: list[str] = []
        if isinstance(address, dict):
            for key in ("address", "street", "city", "state", "zip_code"):
                text = _str(address.get(key))
                if text:
                    parts.append(text)
        elif isinstance(address, str):
            parts.append(address)
        return cls(
            id=_id(d),
            name=_str(d.get("name")) or f"Building {_id(d)}",
            time_zone=_str(d.get("time_zone")),
            address=", ".join(parts),
        )


@dataclass(frozen=True, slots=True)
class Door:
    """An access point: the thing a release opens."""

    id: int
    name: str
    building_id: int | None = None
    panel_ids: tuple[int, ...] = ()

    @classmethod
    def from_api(cls, raw: Any) -> Door:
        d = _obj(raw)
        return cls(
            id=_id(d),
            name=_str(d.get("name")) or f"Door {_id(d)}",
            building_id=_int(d.get("building_id")),
            panel_ids=_ints(d.get("device_ids")),
        )


@dataclass(frozen=True, slots=True)
class Panel:
    """A device: a panel, keypad, front-desk station, smart lock…; ``type`` is kept as sent."""

    id: int
    name: str
    type: str = "unknown"
    model: str | None = None
    serial_number: str | None = None
    building_id: int | None = None

    @classmethod
    def from_api(cls, raw: Any) -> Panel:
        d = _obj(raw)
        return cls(
            id=_id(d),
            name=_str(d.get("name")) or f"Panel {_id(d)}",
            type=_str(d.get("type")) or "unknown",
            model=_str(d.get("model")),
            serial_number=_str(d.get("serial_number")),
            building_id=_int(d.get("building_id")),
        )


@dataclass(frozen=True, slots=True)
class Tenant:
    id: int
    name: str
    building_id: int | None = None
    unit_label: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    unit_id: int | None = None
    floor: str | None = None

    @classmethod
    def from_api(cls, raw: Any) -> Tenant:
        d = _obj(raw)
        first, last = _str(d.get("first_name")), _str(d.get("last_name"))
        # full_name is null on live accounts: first and last name then.
        name = _str(d.get("full_name")) or " ".join(p for p in (first, last) if p)
        unit = d.get("unit")
        unit = unit if isinstance(unit, dict) else {}
        return cls(
            id=_id(d),
            name=name or f"Tenant {_id(d)}",
            building_id=_int(d.get("building_id")),
            unit_label=_str(unit.get("label")),
            first_name=first,
            last_name=last,
            unit_id=_int(unit.get("id")),
            floor=_str(unit.get("floor")),
        )


def _entry_method(value: Any) -> tuple[str, int | None, int | None]:
    """``entry_method`` arrives as a phrase, an object such as ``{"keychain": 7}`` or
    ``{"access_tool": 9}``, or null: (text, keychain id, access tool id)."""
    if isinstance(value, str):
        return value, None, None
    if isinstance(value, dict) and value:
        keychain = _int(value.get("keychain"))
        if keychain is not None:
            return f"Keychain {keychain}", keychain, None
        tool = _int(value.get("access_tool"))
        if tool is not None:
            # Which kind of tool (PIN or fob) is known only from /v4/access_tools.
            return f"Access tool {tool}", None, tool
        key, inner = next(iter(value.items()))
        label = str(key).replace("_", " ").capitalize()
        return (f"{label} {inner}" if _str(inner) else label), None, None
    return "", None, None


@dataclass(frozen=True, slots=True)
class AccessEvent:
    """One access log entry: a door unlocked (by whom, how) or locked by its schedule."""

    id: int
    logged_at: datetime
    building_id: int | None = None
    door_id: int | None = None
    release_status: str = ""
    release_type: str | None = None
    actor: str | None = None
    unit_id: int | None = None
    tenant_id: int | None = None
    entry_method: str = ""
    keychain_id: int | None = None
    image_url: str | None = None
    access_tool_id: int | None = None

    @classmethod
    def from_api(cls, raw: Any, building_id: int | None = None) -> AccessEvent:
        d = _obj(raw)
        logged_at = parse_time(d.get("logged_at"))
        if logged_at is None:
            raise ValueError("access log without a readable 'logged_at'")
        method, keychain, tool = _entry_method(d.get("entry_method"))
        actor = _str(d.get("name"))
        return cls(
            id=_id(d),
            logged_at=logged_at,
            building_id=_int(d.get("building_id")) or building_id,
            door_id=_int(d.get("access_point")) or _int(d.get("access_point_id")),
            release_status=_str(d.get("release_status")) or "",
            release_type=_str(d.get("release_type")),
            actor=None if actor is None or actor.strip().lower() in ("", "unknown") else actor,
            unit_id=_int(d.get("unit")),
            tenant_id=_int(d.get("tenant_id")),
            entry_method=method,
            keychain_id=keychain,
            image_url=_str(d.get("image_url")),
            access_tool_id=tool,
        )

    @property
    def kind(self) -> EventKind:
        if self.release_status.lower() == "locked":
            return "schedule"
        method = self.entry_method.lower()
        if method == "api" or "api" in method.split():
            return "api"
        kind = (self.release_type or "").lower()
        if kind in ("tenant", "visitor", "delivery"):
            return kind  # type: ignore[return-value]
        if self.release_status.lower() == "unlocked" and not self.actor and not method:
            return "schedule"
        return "other"

    @property
    def actor_display(self) -> str:
        return self.actor or "Unknown"

    @property
    def what(self) -> str:
        """Short text for a door's ``last_event``: e.g. ``Unlocked (Visitor)``."""
        status = self.release_status or "Event"
        return f"{status} ({self.release_type})" if self.release_type else status


@dataclass(frozen=True, slots=True)
class Call:
    """A call placed from a panel to a tenant or the front desk (an attendant)."""

    id: int
    logged_at: datetime
    building_id: int | None = None
    notification_type: str | None = None
    recipient_id: int | None = None
    recipient_type: str | None = None
    unit_id: int | None = None
    panel_id: int | None = None
    panel_name: str | None = None
    status: str | None = None
    image_url: str | None = None

    @classmethod
    def from_api(cls, raw: Any, building_id: int | None = None) -> Call:
        d = _obj(raw)
        logged_at = parse_time(d.get("logged_at"))
        if logged_at is None:
            raise ValueError("call without a readable 'logged_at'")
        recipient, unit, device = (_sub(d, key) for key in ("recipient", "unit", "device"))
        return cls(
            id=_id(d),
            logged_at=logged_at,
            building_id=_int(d.get("building_id")) or building_id,
            notification_type=_str(d.get("notification_type")),
            recipient_id=_int(recipient.get("id")),
            recipient_type=_str(recipient.get("type")),
            unit_id=_int(unit.get("id")),
            panel_id=_int(device.get("id")),
            panel_name=_str(device.get("name")),
            status=_str(d.get("status")),
            image_url=_str(d.get("image_url")),
        )


@dataclass(frozen=True, slots=True)
class Release:
    """The cloud's record of one door release request. ``id`` is None (and ``guid`` empty)
    when the cloud accepted the release (201) but sent no record of it."""

    id: int | None
    guid: str
    tenant_id: int | None
    door_id: int | None
    panel_id: int | None = None
    release_method: str | None = None
    created_at: datetime | None = None

    @classmethod
    def from_api(cls, raw: Any) -> Release:
        d = _obj(raw)
        return cls(
            id=_id(d),
            guid=_str(d.get("guid")) or "",
            tenant_id=_int(d.get("tenant_id")),
            door_id=_int(d.get("access_point_id")),
            panel_id=_int(d.get("device_id")),
            release_method=_str(d.get("release_method")),
            created_at=parse_time(d.get("created_at")),
        )

    @classmethod
    def unrecorded(cls, *, door_id: int, tenant_id: int) -> Release:
        return cls(id=None, guid="", tenant_id=tenant_id, door_id=door_id)

    @property
    def recorded(self) -> bool:
        return self.id is not None


@dataclass(frozen=True, slots=True)
class Keychain:
    """A set of virtual keys valid for a time window on some doors (a pass)."""

    id: int
    name: str
    type: str = "custom_keychain"
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    building_id: int | None = None
    tenant_id: int | None = None
    virtual_key_ids: tuple[int, ...] = ()
    door_ids: tuple[int, ...] = ()

    @classmethod
    def from_api(cls, raw: Any) -> Keychain:
        d = _obj(raw)
        return cls(
            id=_id(d),
            name=_str(d.get("name")) or f"Keychain {_id(d)}",
            type=_str(d.get("type")) or "custom_keychain",
            starts_at=parse_time(d.get("starts_at")),
            ends_at=parse_time(d.get("ends_at")),
            building_id=_int(d.get("building_id")),
            tenant_id=_int(d.get("tenant_id")),
            virtual_key_ids=_ints(d.get("virtual_key_ids")),
            door_ids=_ints(d.get("access_point_ids")),
        )


@dataclass(frozen=True, slots=True)
class VirtualKey:
    """A visitor's credential. ``pin_code`` is a secret: it is kept out of ``repr``."""

    id: int
    keychain_id: int | None
    name: str = ""
    pin_code: str | None = field(default=None, repr=False)
    qr_code_url: str | None = field(default=None, repr=False)
    instructions_url: str | None = field(default=None, repr=False)
    first_used_at: datetime | None = None
    last_used_at: datetime | None = None
    usage_count: int = 0

    @classmethod
    def from_api(cls, raw: Any) -> VirtualKey:
        d = _obj(raw)
        return cls(
            id=_id(d),
            keychain_id=_int(d.get("keychain_id")),
            name=_str(d.get("name")) or "",
            pin_code=_str(d.get("pin_code")),
            qr_code_url=_str(d.get("qr_code_url")),
            instructions_url=_str(d.get("instructions_url")),
            first_used_at=parse_time(d.get("first_used_at")),
            last_used_at=parse_time(d.get("last_used_at")),
            usage_count=_int(d.get("usage_count")) or 0,
        )


@dataclass(frozen=True, slots=True)
class AccessTool:
    """A resident's PIN or fob, by kind only.

    The cloud sends each tool's ``code``: for a PIN, the resident's PIN in plain text. It is
    never read into a record (there is no field for it), so it cannot be stored, cached,
    logged or shown anywhere past the parse.
    """

    id: int
    type: str | None = None
    tenant_id: int | None = None
    building_id: int | None = None

    @classmethod
    def from_api(cls, raw: Any) -> AccessTool:
        d = _obj(raw)
        return cls(
            id=_id(d),
            type=_str(d.get("type")),
            tenant_id=_int(d.get("tenant_id")),
            building_id=_int(d.get("building_id")),
        )
