"""The directory read with the roster: residents found by any of their names or their unit,
and access tools kept by kind only, their codes dropped while parsing."""

from __future__ import annotations

import dataclasses

from bmx_console.api.models import AccessTool, Tenant
from bmx_console.core.directory import Directory, resident_text


def test_an_access_tools_code_is_dropped_while_parsing() -> None:
    tool = AccessTool.from_api(
        {"id": 7, "type": "pin", "code": "482913", "tenant_id": 3, "building_id": 1}
    )
    assert "code" not in {f.name for f in dataclasses.fields(tool)}
    assert "482913" not in repr(tool)
    assert Directory.build([], [tool]).tool_types == {7: "pin"}


def test_a_resident_without_full_name_is_found_by_first_and_last_name_or_unit() -> None:
    ada = Tenant.from_api(
        {
            "id": 1,
            "full_name": None,
            "first_name": "Ada",
            "last_name": "Lovelace",
            "building_id": 9,
            "unit": {"id": 44, "label": "4B", "floor": "4"},
        }
    )
    grace = Tenant.from_api({"id": 2, "full_name": "Grace Hopper", "building_id": 8})
    directory = Directory.build([ada, grace])
    assert directory.search("ada love") == [ada]
    assert directory.search("4b") == [ada]
    assert directory.search("grace", building_ids=[9]) == []
    assert directory.unit_label(44) == "4B"
    assert resident_text(ada) == "Ada Lovelace · 4B"
    assert (ada.floor, ada.unit_id) == ("4", 44)
