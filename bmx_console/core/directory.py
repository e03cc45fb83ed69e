"""Who the ids are: residents (name, unit label, floor), what kind each access tool is, and
the names of the passes, read with the door roster so that events and calls read like
sentences ("PIN", "Pass: Dog walker", "Ada Lovelace · 4B") instead of ids.

Access tools are kept as id → kind ("pin", "rfid_tag") only: ``AccessTool`` has no code,
so the residents' PINs the cloud sends with them never reach the store.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from bmx_console.api.models import AccessTool, Keychain, Tenant
from bmx_console.errors import BmxError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Directory:
    tenants: dict[int, Tenant] = field(default_factory=dict)
    tool_types: dict[int, str] = field(default_factory=dict)
    pass_names: dict[int, str] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        tenants: Iterable[Tenant],
        tools: Iterable[AccessTool] = (),
        keychains: Iterable[Keychain] = (),
    ) -> Directory:
        return cls(
            tenants={t.id: t for t in tenants},
            tool_types={t.id: t.type for t in tools if t.type},
            pass_names={k.id: k.name for k in keychains if k.name},
        )

    def unit_label(self, unit_id: int | None) -> str | None:
        if unit_id is None:
            return None
        return next(
            (t.unit_label for t in self.tenants.values() if t.unit_id == unit_id and t.unit_label),
            None,
        )

    def search(self, text: str, building_ids: Iterable[int] | None = None) -> list[Tenant]:
        """Residents whose name (full, or first and last) or unit label holds ``text``."""
        wanted = text.strip().casefold()
        scope = set(building_ids) if building_ids is not None else None
        found = [
            t
            for t in self.tenants.values()
            if (scope is None or t.building_id in scope) and wanted in haystack(t)
        ]
        return sorted(found, key=lambda t: (t.building_id or 0, t.unit_label or "", t.name))


def haystack(tenant: Tenant) -> str:
    parts = (tenant.name, tenant.first_name, tenant.last_name, tenant.unit_label)
    return " ".join(p for p in parts if p).casefold()


def resident_text(tenant: Tenant) -> str:
    """ "Ada Lovelace · 4B"."""
    return f"{tenant.name} · {tenant.unit_label}" if tenant.unit_label else tenant.name


class DirectoryReader(Protocol):
    async def tenants(self, building_id: int | None = None) -> list[Tenant]: ...

    async def access_tools(self, building_id: int | None = None) -> list[AccessTool]: ...

    async def keychains(self, building_id: int | None = None) -> list[Keychain]: ...


class DirectoryStore(Protocol):
    def set_directory(self, directory: Directory) -> None: ...


async def refresh_directory(client: object, store: DirectoryStore, scope: int | None) -> None:
    """Read the directory for ``scope`` into ``store``. A part the account may not read
    (a 403 on access tools, say) leaves that part empty; the roster poll goes on."""
    if not all(hasattr(client, name) for name in ("tenants", "access_tools", "keychains")):
        return  # a reader without a directory (a test's fake cloud)
    reader: DirectoryReader = client  # type: ignore[assignment]
    parts: list[list[object]] = []
    for fetch in (reader.tenants, reader.access_tools, reader.keychains):
        try:
            parts.append(list(await fetch(scope)))
        except BmxError as exc:
            log.warning("%s: not read with the roster: %s", fetch.__name__, exc)
            parts.append([])
    tenants, tools, keychains = parts
    store.set_directory(
        Directory.build(
            [t for t in tenants if isinstance(t, Tenant)],
            [t for t in tools if isinstance(t, AccessTool)],
            [k for k in keychains if isinstance(k, Keychain)],
        )
    )


class _Holder:
    directory = Directory()

    def set_directory(self, directory: Directory) -> None:
        self.directory = directory


async def load_directory(client: object, scope: int | None) -> Directory:
    """The directory for ``scope``, read now (the command line's one-off read)."""
    holder = _Holder()
    await refresh_directory(client, holder, scope)
    return holder.directory
