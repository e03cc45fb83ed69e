"""Visitor and delivery passes: a keychain for the front-desk tenant, and its virtual key.

Why it is shaped this way:

* The console never asks ButterflyMX to send anything: no ``recipients`` on the keychain and
  no email or SMS number on the key. The operator hands the PIN and the QR code over (on
  screen, printed, or copied into a message of their own). A phone number or email the
  operator notes down stays in a small local file keyed by keychain id (``PassNotes``) and
  never leaves this computer.
* Making a visitor pass takes two requests, and neither is idempotent, so neither is ever
  repeated here. If the keychain is made and the key is not, the pass exists in the cloud
  without a PIN: ``PassHalfDone`` says so and names the keychain, and the caller offers to
  delete it (``revoke``). Nothing is cleaned up, or left half-done, behind the operator's back.
* A PIN is shown to the operator and written nowhere: not in the local notes, not in the
  audit log, not in the log (it is also handed to the log scrubber, in case a library ever
  formats a reply into a message).
* The desk's "Delivery pass" is a one-time keychain (``/v4/keychains/one_time``): it works
  once, for a short window (``delivery_pass_hours``), on the doors the operator confirmed
  (preset to the package room and lobby where the doors' names say so). The cloud's own
  ``delivery_pass`` lasts 30 days on every door; only the command line's ``--delivery``
  still makes one.
* Every creation and revocation, and every failed attempt, is written to the audit log with
  the operator, before the caller shows the result. A pass whose audit entry could not be
  written is still returned (it exists in the cloud), with ``audit_error`` set.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal, Protocol

from bmx_console.api.models import (
    Building,
    Door,
    Keychain,
    Tenant,
    VirtualKey,
    format_api_time,
    parse_time,
)
from bmx_console.clock import Clock, SystemClock
from bmx_console.core.audit import ACTION_PASS_CREATE, ACTION_PASS_REVOKE
from bmx_console.core.release import default_operator
from bmx_console.errors import (
    BmxError,
    ConfigError,
    NotFound,
    RateLimited,
    TransientError,
    WriteUnconfirmed,
)
from bmx_console.logs import register_secret
from bmx_console.private_files import write_private
from bmx_console.terminal_text import unsafe_characters

log = logging.getLogger(__name__)

PassKind = Literal["visitor", "delivery"]

DEFAULT_DELIVERY_NAME = "Delivery"
# Keychain types the desk shows as deliveries: the cloud's 30-day pass and the one-use pass.
DELIVERY_TYPES = frozenset({"delivery_pass", "one_time_keychain"})
# Doors a courier needs, by what their names say.
_DELIVERY_DOOR_WORDS = ("package", "parcel", "mail", "lobby")
MAX_NAME_LENGTH = 80
# A time chosen in the dialog a moment ago is "now", not an error.
PAST_START_GRACE = timedelta(minutes=5)
_PHONE = re.compile(r"^\+?[0-9 ()./-]{7,}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

NO_TENANT = (
    "release_tenant_id is not set: passes are issued for the front desk's placeholder tenant. "
    "Set it in Settings or pass --release-tenant ID"
)


class PassHalfDone(BmxError):
    """The keychain was made but its virtual key was not: the pass has no PIN or QR code.

    ``keychain`` is what exists in the cloud; delete it with ``PassService.revoke``."""

    def __init__(self, keychain: Keychain, cause: BmxError) -> None:
        super().__init__(
            f'The pass "{keychain.name}" was created (keychain {keychain.id}), but ButterflyMX '
            f"did not issue its PIN and QR code: {cause} Delete the unfinished pass, then try "
            "again.",
            status=cause.status,
            endpoint=cause.endpoint,
        )
        self.keychain = keychain
        self.cause = cause
        self.exit_code = cause.exit_code


@dataclass(frozen=True, slots=True)
class Pass:
    """A pass as the desk shows it: the keychain, its virtual keys and the local note.

    ``keys`` of a pass just made hold the PIN (kept out of ``repr`` by ``VirtualKey``); the
    contact is kept out of ``repr`` too. ``audit_error`` is set when making the pass could
    not be written to the audit log.
    """

    keychain: Keychain
    keys: tuple[VirtualKey, ...] = ()
    contact: str | None = field(default=None, repr=False)
    audit_error: str | None = None

    @property
    def id(self) -> int:
        return self.keychain.id

    @property
    def name(self) -> str:
        return self.keychain.name

    @property
    def kind(self) -> PassKind:
        return "delivery" if self.keychain.type in DELIVERY_TYPES else "visitor"

    @property
    def one_use(self) -> bool:
        """Works once, then no more (a one-time keychain)."""
        return self.keychain.type == "one_time_keychain"

    @property
    def starts_at(self) -> datetime | None:
        return self.keychain.starts_at

    @property
    def ends_at(self) -> datetime | None:
        return self.keychain.ends_at

    @property
    def door_ids(self) -> tuple[int, ...]:
        return self.keychain.door_ids

    @property
    def pin(self) -> str | None:
        return next((k.pin_code for k in self.keys if k.pin_code), None)

    @property
    def link(self) -> str | None:
        """What the visitor scans or opens: the key's QR code link, else its instructions
        page."""
        for key in self.keys:
            if key.qr_code_url or key.instructions_url:
                return key.qr_code_url or key.instructions_url
        return None

    @property
    def first_used_at(self) -> datetime | None:
        return min((k.first_used_at for k in self.keys if k.first_used_at), default=None)

    @property
    def last_used_at(self) -> datetime | None:
        return max((k.last_used_at for k in self.keys if k.last_used_at), default=None)

    @property
    def uses(self) -> int:
        return sum(k.usage_count for k in self.keys)

    def active_at(self, moment: datetime) -> bool:
        """Not yet ended at ``moment`` (a pass that starts later is active: it is expected)."""
        return self.ends_at is None or self.ends_at > moment

    def to_dict(self, *, with_pin: bool = False) -> dict[str, Any]:
        """The pass for JSON and tables; the PIN only when asked (right after making it)."""
        row: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "starts_at": self.starts_at,
            "ends_at": self.ends_at,
            "door_ids": list(self.door_ids),
            "first_used_at": self.first_used_at,
            "last_used_at": self.last_used_at,
            "uses": self.uses,
            "contact": self.contact,
        }
        if with_pin:
            row["pin"] = self.pin
            row["link"] = self.link
        return row


@dataclass(frozen=True, slots=True)
class Revoked:
    keychain_id: int
    name: str
    audit_error: str | None = None


@dataclass(frozen=True, slots=True)
class PassNote:
    """What the desk keeps about a pass on this computer only. Never the PIN."""

    keychain_id: int
    name: str
    contact: str | None = field(default=None, repr=False)
    created_at: datetime | None = None


class PassNotes:
    """The operator's notes on passes, keyed by keychain id, in a small JSON file (mode 600:
    a visitor's phone number is personal). ``path=None`` keeps them in memory (the demo).

    The desk and the command line may both write the file: every change re-reads it first,
    and the new file replaces the old in one rename, so a reader never sees half of one.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._memory: dict[int, PassNote] = {}

    def get(self, keychain_id: int) -> PassNote | None:
        return self._load().get(keychain_id)

    def all(self) -> dict[int, PassNote]:
        return self._load()

    def put(self, note: PassNote) -> None:
        notes = self._load()
        notes[note.keychain_id] = note
        self._save(notes)

    def remove(self, keychain_ids: Iterable[int]) -> None:
        notes = self._load()
        gone = [k for k in keychain_ids if k in notes]
        if gone:
            for keychain_id in gone:
                del notes[keychain_id]
            self._save(notes)

    def _load(self) -> dict[int, PassNote]:
        if self.path is None:
            return dict(self._memory)
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("The pass notes %s cannot be read (%s); starting afresh.", self.path, exc)
            return {}
        notes: dict[int, PassNote] = {}
        for key, value in (raw.get("passes") or {}).items() if isinstance(raw, dict) else ():
            if not isinstance(value, dict) or not str(key).isdigit():
                continue
            contact = value.get("contact")
            notes[int(key)] = PassNote(
                keychain_id=int(key),
                name=str(value.get("name") or ""),
                contact=contact if isinstance(contact, str) and contact else None,
                created_at=parse_time(value.get("created_at")),
            )
        return notes

    def _save(self, notes: dict[int, PassNote]) -> None:
        if self.path is None:
            self._memory = dict(notes)
            return
        body = {
            "passes": {
                str(n.keychain_id): {
                    "name": n.name,
                    "contact": n.contact,
                    "created_at": format_api_time(n.created_at) if n.created_at else None,
                }
                for n in notes.values()
            }
        }
        try:
            write_private(self.path, json.dumps(body, indent=1))
        except OSError as exc:
            raise ConfigError(
                f"Cannot write the pass notes {self.path} ({exc.strerror or exc}). Check the "
                "folder's permissions."
            ) from exc


class PassClient(Protocol):
    """What the pass service needs from ``BmxClient``."""

    async def tenants(self, building_id: int | None = None) -> list[Tenant]: ...

    async def doors(self, building_id: int | None = None) -> list[Door]: ...

    async def keychains(self, building_id: int | None = None) -> list[Keychain]: ...

    async def keychain(self, keychain_id: int) -> Keychain: ...

    async def create_custom_keychain(
        self,
        *,
        name: str,
        tenant_id: int,
        starts_at: datetime,
        ends_at: datetime,
        door_ids: Sequence[int] = (),
    ) -> Keychain: ...

    async def create_one_time_keychain(
        self,
        *,
        name: str,
        tenant_id: int,
        starts_at: datetime,
        ends_at: datetime,
        door_ids: Sequence[int] = (),
    ) -> Keychain: ...

    async def create_delivery_pass(self, *, name: str, tenant_id: int) -> Keychain: ...

    async def building(self, building_id: int) -> Building: ...

    async def delete_keychain(self, keychain_id: int) -> None: ...

    async def create_virtual_key(self, *, keychain_id: int, name: str) -> VirtualKey: ...

    async def virtual_keys(self, keychain_ids: Sequence[int] | None = None) -> list[VirtualKey]: ...


class PassAudit(Protocol):
    """What it needs from the audit log. The call returns once the entry is committed."""

    def record(
        self,
        *,
        operator: str,
        action: str,
        outcome: str,
        door_id: int | None = None,
        door_name: str = "",
        subject: str = "",
        detail: str = "",
    ) -> object: ...


class PassService:
    """Make, list and revoke the front desk's passes.

    ``tenant_id`` is the front desk's placeholder tenant (the release tenant): passes are
    issued on its behalf, and the active list holds the passes issued for it, because an
    administrator's token also sees every resident's own passes in the portfolio.
    ``building_id`` scopes the doors; without it, the tenant's building is used.
    """

    def __init__(
        self,
        client: PassClient,
        *,
        tenant_id: int | None,
        building_id: int | None = None,
        max_hours: int = 24,
        visitor_hours: int = 4,
        delivery_hours: int = 2,
        audit: PassAudit | None = None,
        operator: Callable[[], str] = default_operator,
        clock: Clock | None = None,
        local_store_path: Path | None = None,
    ) -> None:
        self.tenant_id = tenant_id
        self.max_hours = max_hours
        # What the form proposes; never more than the property allows.
        self.visitor_hours = max(1, min(visitor_hours, max_hours))
        self.delivery_hours = max(1, min(delivery_hours, max_hours))
        self._building: Building | None = None
        self._client = client
        self._building_id = building_id
        self._audit = audit
        self._operator = operator
        self._clock: Clock = clock or SystemClock()
        self.notes = PassNotes(local_store_path)
        self._doors: list[Door] | None = None

    # -- doors -----------------------------------------------------------------------------

    async def building_id(self) -> int:
        """The building passes are for: the configured one, else the desk tenant's."""
        if self._building_id is None:
            tenant_id = self._tenant()
            tenant = next((t for t in await self._client.tenants() if t.id == tenant_id), None)
            if tenant is None or tenant.building_id is None:
                raise ConfigError(
                    f"the release tenant {tenant_id} is not a tenant this account can see: "
                    "check release_tenant_id in Settings"
                )
            self._building_id = tenant.building_id
        return self._building_id

    async def building(self) -> Building:
        """The building passes are for, with its name, address and time zone (what a pass
        names, in the time the visitor reads it); fetched once."""
        if self._building is None:
            self._building = await self._client.building(await self.building_id())
        return self._building

    async def doors(self, *, refresh: bool = False) -> list[Door]:
        """The doors of the building, by name (fetched once, then kept)."""
        if self._doors is None or refresh:
            building = await self.building_id()
            doors = await self._client.doors(building)
            self._doors = sorted(doors, key=lambda d: (d.name.casefold(), d.id))
        return list(self._doors)

    # -- making passes ---------------------------------------------------------------------

    def check_visitor_pass(
        self, name: str, *, contact: str | None = None, hours: float, start: datetime | None = None
    ) -> tuple[str, str | None, datetime, datetime]:
        """The cleaned name, contact and window, or ``ConfigError`` naming what is wrong.
        Dialogs call it to show the problem beside the field before anything is sent."""
        clean_name = check_name(name)
        clean_contact = check_contact(contact)
        if not 0 < hours <= self.max_hours:
            raise ConfigError(
                f"a pass lasts more than 0 and at most {self.max_hours:g} h at this "
                f"property (pass_max_hours): got {hours:g} h. Choose {self.max_hours:g} h or "
                "less, or ask an administrator to raise pass_max_hours in Settings."
            )
        now = self._clock.now().replace(microsecond=0)
        starts_at = now if start is None else start.replace(microsecond=0)
        if starts_at.tzinfo is None:
            raise ConfigError("the start time needs a time zone (e.g. 2026-11-21T14:00:00Z)")
        if starts_at < now - PAST_START_GRACE:
            raise ConfigError(
                "the start time is in the past: choose now or a later time for the pass"
            )
        starts_at = max(starts_at, now)
        try:
            ends_at = starts_at + timedelta(hours=hours)
        except OverflowError:
            raise ConfigError(
                "the pass would end after the last day of the calendar (year 9999): choose "
                "an earlier start"
            ) from None
        return clean_name, clean_contact, starts_at, ends_at

    async def create_visitor_pass(
        self,
        name: str,
        *,
        contact: str | None = None,
        start: datetime | None = None,
        hours: float,
        door_ids: Sequence[int] | None = None,
    ) -> Pass:
        """A custom keychain for the desk tenant from ``start`` (now) for ``hours``, on
        ``door_ids`` (every door of the building), and its virtual key (PIN and QR code)."""
        tenant_id = self._tenant()
        clean_name, clean_contact, starts_at, ends_at = self.check_visitor_pass(
            name, contact=contact, hours=hours, start=start
        )
        return await self._create_windowed(
            self._client.create_custom_keychain,
            tenant_id,
            clean_name,
            clean_contact,
            starts_at,
            ends_at,
            await self._chosen_doors(door_ids),
            "visitor",
        )

    async def create_one_use_pass(
        self,
        name: str = DEFAULT_DELIVERY_NAME,
        *,
        hours: float,
        door_ids: Sequence[int],
        start: datetime | None = None,
    ) -> Pass:
        """The desk's delivery pass: a one-time keychain from ``start`` (now) for ``hours``
        (at most ``pass_max_hours``) on the doors the operator confirmed, and its key."""
        tenant_id = self._tenant()
        clean_name, _contact, starts_at, ends_at = self.check_visitor_pass(
            name or DEFAULT_DELIVERY_NAME, hours=hours, start=start
        )
        return await self._create_windowed(
            self._client.create_one_time_keychain,
            tenant_id,
            clean_name,
            None,
            starts_at,
            ends_at,
            await self._chosen_doors(door_ids),
            "delivery",
        )

    async def create_delivery_pass(self, name: str = DEFAULT_DELIVERY_NAME) -> Pass:
        """The cloud's own delivery pass in one step (the command line's ``--delivery``):
        the cloud sets its window (30 days) and doors (all) and makes its one key."""
        tenant_id = self._tenant()
        clean_name = check_name(name or DEFAULT_DELIVERY_NAME)
        try:
            keychain = await self._client.create_delivery_pass(name=clean_name, tenant_id=tenant_id)
        except BmxError as exc:
            self._record(
                ACTION_PASS_CREATE, _failed(exc), f'delivery pass "{clean_name}"', str(exc)
            )
            raise
        window = (
            f"{format_api_time(keychain.starts_at)} to {format_api_time(keychain.ends_at)}"
            if keychain.starts_at and keychain.ends_at
            else "window set by ButterflyMX"
        )
        return await self._finish(keychain, None, window, "delivery")

    async def _create_windowed(
        self,
        create: Callable[..., Awaitable[Keychain]],
        tenant_id: int,
        name: str,
        contact: str | None,
        starts_at: datetime,
        ends_at: datetime,
        doors: Sequence[Door],
        kind: PassKind,
    ) -> Pass:
        """A keychain for the desk tenant over a window on ``doors`` (``create`` says which:
        a visitor's custom keychain, a courier's one-time one), audited, then its key."""
        window = f"{format_api_time(starts_at)} to {format_api_time(ends_at)}"
        doors_text = ", ".join(str(d.id) for d in doors)
        detail = f"{'one use; ' if kind == 'delivery' else ''}{window}; doors {doors_text}"
        try:
            keychain = await create(
                name=name,
                tenant_id=tenant_id,
                starts_at=starts_at,
                ends_at=ends_at,
                door_ids=[d.id for d in doors],
            )
        except BmxError as exc:
            self._record(ACTION_PASS_CREATE, _failed(exc), f'{kind} pass "{name}"', str(exc))
            raise
        return await self._finish(keychain, contact, detail, kind)

    async def _finish(
        self, keychain: Keychain, contact: str | None, detail: str, kind: PassKind
    ) -> Pass:
        subject = _subject(keychain)
        try:
            keys = await self._keys_for(keychain, kind)
        except BmxError as exc:
            half = PassHalfDone(keychain, exc)
            self._record(ACTION_PASS_CREATE, "half_done", subject, str(half))
            raise half from exc
        for key in keys:
            register_secret(key.pin_code)
        self.notes.put(PassNote(keychain.id, keychain.name, contact, created_at=self._clock.now()))
        log.info("Made %s pass: keychain %s with %d key(s)", kind, keychain.id, len(keys))
        audit_error = self._record(ACTION_PASS_CREATE, "created", subject, detail)
        return Pass(keychain, tuple(keys), contact, audit_error)

    async def _keys_for(self, keychain: Keychain, kind: PassKind) -> list[VirtualKey]:
        if keychain.type == "delivery_pass":
            # The cloud makes a delivery pass's one key itself.
            keys = await self._client.virtual_keys([keychain.id])
            if keys:
                return keys
        key = await self._client.create_virtual_key(keychain_id=keychain.id, name=keychain.name)
        return [key]

    # -- the active list -------------------------------------------------------------------

    async def active_passes(self) -> list[Pass]:
        """The desk tenant's passes that have not ended, soonest ending first, with their
        keys' use (first, last, count) and the local notes."""
        tenant_id = self._tenant()
        now = self._clock.now()
        keychains = [
            k
            for k in await self._client.keychains(self._building_id)
            if k.tenant_id == tenant_id and (k.ends_at is None or k.ends_at > now)
        ]
        keys = await self._client.virtual_keys([k.id for k in keychains])
        by_keychain: dict[int, list[VirtualKey]] = {}
        for key in keys:
            if key.keychain_id is not None:
                by_keychain.setdefault(key.keychain_id, []).append(key)
        notes = self.notes.all()
        passes = [
            Pass(
                k,
                tuple(by_keychain.get(k.id, ())),
                notes[k.id].contact if k.id in notes else None,
            )
            for k in keychains
        ]
        # A note outlives its pass by no more than a listing: a visitor's phone number is
        # kept only while it can matter.
        live = {k.id for k in keychains}
        self.notes.remove(k for k in notes if k not in live)
        far = datetime.max.replace(tzinfo=now.tzinfo)
        return sorted(passes, key=lambda p: (p.ends_at or far, p.name.casefold(), p.id))

    # -- revoking --------------------------------------------------------------------------

    async def revoke(self, keychain_id: int) -> Revoked:
        """Delete the keychain: its PIN and QR code stop working at every door."""
        name = f"keychain {keychain_id}"
        doubt: BmxError | None = None
        try:
            keychain = await self._client.keychain(keychain_id)
            name = keychain.name
            try:
                await self._client.delete_keychain(keychain_id)
            except WriteUnconfirmed as exc:
                doubt = exc
            except TransientError as exc:
                # A timeout or a 5xx after the request went out: it may have been done. Only
                # reading it back can tell (a 429 is a refusal: nothing was done).
                if not exc.sent or isinstance(exc, RateLimited):
                    raise
                doubt = exc
        except BmxError as exc:
            self._record(
                ACTION_PASS_REVOKE, "failed", f'"{name}" (keychain {keychain_id})', str(exc)
            )
            if isinstance(exc, NotFound):
                raise NotFound(
                    f"no pass with id {keychain_id}: it may have been revoked already, or it "
                    "is not one this account can see. Run `bmx-console pass list` for the ids.",
                    status=exc.status,
                    endpoint=exc.endpoint,
                ) from exc
            raise
        subject = f'"{name}" (keychain {keychain_id})'
        # A pass reported dead that still opens doors is the worst outcome here: only the
        # cloud saying the keychain is gone (404 on reading it) makes the revoke done.
        still_there = await self._still_there(keychain_id)
        if still_there is not None:
            sentence = (
                f'The revoke of "{name}" (keychain {keychain_id}) is not confirmed: '
                f"{still_there} The pass may still work: check it with `bmx-console pass "
                "list` and revoke it again."
            )
            if doubt is not None:
                sentence += f" (ButterflyMX's answer to the revoke: {doubt})"
            log.warning("Revoke of keychain %s unconfirmed", keychain_id)
            audit_error = self._record(
                ACTION_PASS_REVOKE, "unconfirmed", subject, f"revoke unconfirmed: {sentence}"
            )
            if audit_error:
                sentence += f" The audit log could not be written either: {audit_error}"
            raise WriteUnconfirmed(sentence, endpoint=f"/v4/keychains/{keychain_id}")
        self.notes.remove([keychain_id])
        log.info("Revoked pass: keychain %s", keychain_id)
        audit_error = self._record(
            ACTION_PASS_REVOKE, "revoked", f'"{name}" (keychain {keychain_id})', ""
        )
        return Revoked(keychain_id, name, audit_error)

    async def _still_there(self, keychain_id: int) -> str | None:
        """None when reading the keychain gives 404 (it is gone); else why it may not be."""
        try:
            await self._client.keychain(keychain_id)
        except NotFound:
            return None
        except BmxError as exc:
            return f"reading it back failed ({exc})"
        return "ButterflyMX still lists it."

    # -- helpers ---------------------------------------------------------------------------

    def _tenant(self) -> int:
        if self.tenant_id is None:
            raise ConfigError(NO_TENANT)
        return self.tenant_id

    async def _chosen_doors(self, door_ids: Sequence[int] | None) -> list[Door]:
        doors = await self.doors()
        if door_ids is None:
            if not doors:
                raise ConfigError("the building has no doors this account can see")
            return doors
        if not door_ids:
            raise ConfigError("choose at least one door for the pass")
        by_id = {d.id: d for d in doors}
        unknown = [str(d) for d in door_ids if d not in by_id]
        if unknown:
            raise ConfigError(
                f"not a door of this building: {', '.join(unknown)}. Run `bmx-console doors` "
                "for the door ids."
            )
        return [by_id[d] for d in dict.fromkeys(door_ids)]

    def _record(self, action: str, outcome: str, subject: str, detail: str) -> str | None:
        """Write the audit entry; on failure return the sentence, never raise."""
        if self._audit is None:
            return None
        try:
            operator = self._operator()
        except Exception:
            log.exception("Could not tell who the operator is; auditing as 'unknown'.")
            operator = "unknown"
        try:
            self._audit.record(
                operator=operator, action=action, outcome=outcome, subject=subject, detail=detail
            )
        except Exception as exc:
            log.error(
                "Audit entry for %s (%s) could not be written.", action, outcome, exc_info=exc
            )
            return str(exc) or type(exc).__name__
        return None


def check_contact(contact: str | None) -> str | None:
    """A phone number or an email address, or None; ``ConfigError`` for anything else."""
    text = (contact or "").strip()
    if not text:
        return None
    unsafe = unsafe_characters(text)
    if unsafe:
        raise ConfigError(
            f"the phone number or email contains control characters ({', '.join(unsafe)}): "
            "type it again"
        )
    digits = sum(c.isdigit() for c in text)
    if _EMAIL.match(text) or (_PHONE.match(text) and digits >= 7):
        return text
    raise ConfigError(
        f"{text!r} is neither a phone number nor an email address: leave it empty, or enter "
        "one such as +1 555 010 0199 or ana@example.com"
    )


def check_name(name: str) -> str:
    unsafe = unsafe_characters(name or "")
    if unsafe:
        # The name is printed on screens, in the audit log and in the cloud's own apps:
        # a control character there can rewrite what a terminal or a spreadsheet shows.
        raise ConfigError(
            f"the name contains control characters ({', '.join(unsafe)}): type it again "
            "with letters, digits, spaces and punctuation only"
        )
    text = " ".join((name or "").split())
    if not text:
        raise ConfigError("a pass needs a name: the visitor's name, or the courier's")
    if len(text) > MAX_NAME_LENGTH:
        raise ConfigError(f"the name is longer than {MAX_NAME_LENGTH} characters: shorten it")
    return text


def delivery_door_ids(doors: Sequence[Door]) -> list[int]:
    """The doors a delivery pass is preset to: the package room and the lobby, where the
    doors' names say so; none when no name does (the operator chooses)."""
    return [d.id for d in doors if any(w in d.name.casefold() for w in _DELIVERY_DOOR_WORDS)]


def _failed(exc: BmxError) -> str:
    # An answer that could not be read does not say the pass was not made.
    return "unconfirmed" if isinstance(exc, WriteUnconfirmed) else "failed"


def _subject(keychain: Keychain) -> str:
    kind = "delivery" if keychain.type in DELIVERY_TYPES else "visitor"
    return f'{kind} pass "{keychain.name}" (keychain {keychain.id})'
