"""The simulator's hostile seed: every kind of name a malicious portal user could set."""

from __future__ import annotations

from bmx_console.api.models import Tenant
from bmx_console.core.commands import suggest_release_tenant
from bmx_console.sim.__main__ import _parser
from bmx_console.sim.cloud import Cloud
from bmx_console.sim.hostile import LONG_NAME_LENGTH


def test_the_hostile_seed_names_everything_with_markup_formulas_and_control_characters() -> None:
    cloud = Cloud(seed=4, hostile=True, history_days=0)
    names = [r["name"] for r in (*cloud.buildings, *cloud.doors, *cloud.panels, *cloud.keychains)]
    people = [f"{t['first_name']} {t['last_name']}" for t in cloud.tenants]
    units = [t["unit"]["label"] for t in cloud.tenants]
    every = names + people + units
    for marker in ("<img src=", "<a href=", "<b style=", "=HYPERLINK(", "+cmd|", "@SUM", "-1+1"):
        assert any(marker in n for n in every), marker
    for control in ("\x1b[", "\r\n", "\x07", "\x00", "\x7f", "\x9b", "\u202e"):
        assert any(control in n for n in every), repr(control)
    assert any(len(n) == LONG_NAME_LENGTH for n in every)
    assert any("\x1b" in b["name"] for b in cloud.buildings)
    # Ids and relations are the ordinary seed's.
    plain = Cloud(seed=4, history_days=0)
    assert [d["id"] for d in cloud.doors] == [d["id"] for d in plain.doors]


def test_the_front_desk_is_still_found_among_hostile_tenants() -> None:
    cloud = Cloud(seed=4, hostile=True, history_days=0)
    building = cloud.buildings[0]["id"]
    tenants = [Tenant.from_api(t) for t in cloud.tenants if t["building_id"] == building]
    found = suggest_release_tenant(tenants)
    assert found is not None and found.id == cloud.front_desk_tenant_id(building)


def test_the_command_line_takes_hostile() -> None:
    assert _parser().parse_args(["--hostile"]).hostile is True
    assert _parser().parse_args([]).hostile is False
