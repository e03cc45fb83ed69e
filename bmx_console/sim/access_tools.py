"""The simulator's access tools: every resident has a PIN, some a fob too, served at
``/v4/access_tools`` with their codes in plain text, as the cloud serves them (which is why
the console must drop them). Openings by PIN or fob are logged as ``{"access_tool": id}``,
as nine in ten real openings are.

Ids and codes are derived from the tenant's id, so that no random stream the rest of the
simulator draws from changes: the same seed makes the same property, history and ids.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bmx_console.sim.seed import Record

PIN_OFFSET = 3_000_000_000
FOB_OFFSET = 4_000_000_000
_PHRASES = {"PIN code": "pin", "Key fob": "rfid_tag"}


def pin_code(tenant_id: int) -> str:
    """The resident's PIN: a secret the console must never keep or show."""
    return f"{(tenant_id * 7919 + 4242) % 1_000_000:06d}"


def tools_of(tenant: Record) -> list[Record]:
    tid = int(tenant["id"])
    base = {"tenant_id": tid, "building_id": tenant["building_id"]}
    tools: list[Record] = [{"id": tid + PIN_OFFSET, "type": "pin", "code": pin_code(tid), **base}]
    if tid % 3:  # two residents in three carry a fob
        tools.append(
            {"id": tid + FOB_OFFSET, "type": "rfid_tag", "code": f"{tid * 31 % 16**8:08X}", **base}
        )
    return tools


def all_tools(tenants: list[Record]) -> list[Record]:
    return [tool for tenant in tenants for tool in tools_of(tenant)]


def entry_method(tenant: Record, phrase: Any) -> Any:
    """A tenant's "PIN code" or "Key fob" opening as the cloud logs it: the tool's id."""
    kind = _PHRASES.get(phrase) if isinstance(phrase, str) else None
    if kind is None:
        return phrase
    tool = next((t for t in tools_of(tenant) if t["type"] == kind), None)
    return {"access_tool": tool["id"]} if tool is not None else phrase


def routes(cloud: Any, page: Any, query: Any, where: Any) -> list[Route]:
    """``GET /v4/access_tools`` (``q[building_id_eq]``, ``q[tenant_id_eq]``), paged."""

    async def access_tools(request: Request) -> Response:
        q = query(request)
        return page(request, where(all_tools(cloud.tenants), q, "building_id", "tenant_id", "id"))

    return [Route("/v4/access_tools", access_tools)]
