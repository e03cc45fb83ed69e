"""The simulator against the published v4 contract (bmx-openapi.json beside the repository):
every field the contract's examples show is served with the same JSON type, lists carry the
contract's page_info, the contract's request examples get the contract's answers, and bodies
the contract's schemas forbid are refused."""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from typing import Any

import httpx
import pytest

from bmx_console.sim.cloud import Cloud
from bmx_console.sim.schemas import REQUEST_SCHEMAS, validate

from .conftest import contract_or_none, load_contract

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


@pytest.fixture(scope="module")
def contract() -> dict[str, Any]:
    return load_contract()


def _examples(operation: dict[str, Any], status: str) -> dict[str, Any]:
    content = operation.get("responses", {}).get(status, {}).get("content", {})
    examples: dict[str, Any] = content.get("application/json", {}).get("examples", {})
    return {name: example["value"] for name, example in examples.items()}


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, str):
        return "time" if TIME.match(value) else "str"
    return type(value).__name__


def _profile(records: list[Any]) -> tuple[dict[str, set[str]], dict[str, list[Any]]]:
    """Per key: the JSON kinds seen, and the nested objects/list items to compare deeper."""
    kinds: dict[str, set[str]] = defaultdict(set)
    nested: dict[str, list[Any]] = defaultdict(list)
    for record in records:
        for key, value in record.items():
            kinds[key].add(_kind(value))
            if isinstance(value, dict):
                nested[key].append(value)
            elif isinstance(value, list):
                nested[key + "[]"].extend({"item": v} for v in value)
    return kinds, nested


def assert_conforms(expected: list[Any], served: list[Any], where: str) -> None:
    assert served, f"{where}: nothing served to compare"
    want, want_nested = _profile(expected)
    got, got_nested = _profile(served)
    for record in served:
        missing = set().union(*(e.keys() for e in expected)) - record.keys()
        assert not missing, f"{where}: record {record.get('id')} lacks {sorted(missing)}"
    for key, kinds in want.items():
        if kinds == {"null"}:
            continue  # the example shows no type to hold the simulator to
        extra = got[key] - kinds
        assert not extra, f"{where}.{key}: served as {sorted(extra)}, contract shows {kinds}"
    for key, items in want_nested.items():
        if items and got_nested.get(key):
            assert_conforms(items, got_nested[key], f"{where}.{key}")


def _show_id(cloud: Cloud, path: str) -> dict[str, int]:
    building = cloud.buildings[0]["id"]
    ids = {
        "/v4/buildings/{id}": {"id": building},
        "/v4/access_points/{id}": {"id": cloud.doors[0]["id"]},
        "/v4/devices/{id}": {"id": cloud.panels[0]["id"]},
        "/v4/keychains/{id}": {"id": cloud.keychains[0]["id"]},
        "/v4/virtual_keys/{id}": {"id": cloud.virtual_keys[0]["id"]},
        "/v4/buildings/{building_id}/access_logs/{id}": {
            "building_id": building,
            "id": cloud.access_logs(building)[0]["id"],
        },
        "/v4/buildings/{building_id}/calls/{id}": {
            "building_id": building,
            "id": cloud.calls(building)[0]["id"],
        },
    }
    return ids.get(path, {"building_id": building})


SERVED_GETS = [
    "/v4/buildings",
    "/v4/buildings/{id}",
    "/v4/access_points",
    "/v4/access_points/{id}",
    "/v4/devices",
    "/v4/devices/{id}",
    "/v4/tenants",
    "/v4/buildings/{building_id}/access_logs",
    "/v4/buildings/{building_id}/access_logs/{id}",
    "/v4/buildings/{building_id}/calls",
    "/v4/buildings/{building_id}/calls/{id}",
    "/v4/keychains",
    "/v4/keychains/{id}",
    "/v4/virtual_keys",
    "/v4/virtual_keys/{id}",
]


@pytest.mark.parametrize("path", SERVED_GETS)
async def test_served_records_have_every_contract_field_with_its_type(
    path: str, contract: dict[str, Any], cloud: Cloud, api: httpx.AsyncClient
) -> None:
    examples = _examples(contract["paths"][path]["get"], "200")
    assert examples, f"the contract has no example for {path}"
    url = path.format(**_show_id(cloud, path))
    reply = await api.get(url, params={"per": 100})
    assert reply.status_code == 200, reply.text
    body = reply.json()
    for example in examples.values():
        assert set(body) == set(example), f"{path}: envelope keys differ"
        if isinstance(example["data"], list):
            assert list(body["page_info"]) == list(example["page_info"])
    served = body["data"] if isinstance(body["data"], list) else [body["data"]]
    # bmx-api.md: real accounts log most openings as {"access_tool": id}, a shape the
    # contract's examples never show; the rest of such a record is held to the contract.
    served = [{**r, "entry_method": None} if _access_tool_opening(r) else r for r in served]
    assert_conforms(_resource_examples(contract, path), served, path)


def _access_tool_opening(record: Any) -> bool:
    method = record.get("entry_method") if isinstance(record, dict) else None
    return isinstance(method, dict) and set(method) == {"access_tool"}


def _resource_examples(contract: dict[str, Any], path: str) -> list[Any]:
    """The example records of a resource from its list, show and create routes, so that a
    field one example shows as null is held to the type another shows."""
    family = {path, path.removesuffix("/{id}"), path + "/{id}"}
    records: list[Any] = []
    for member in sorted(family & set(contract["paths"])):
        operations = contract["paths"][member]
        for example in [
            *_examples(operations.get("get", {}), "200").values(),
            *_examples(operations.get("post", {}), "201").values(),
        ]:
            data = example["data"]
            records.extend(data if isinstance(data, list) else [data])
    return records


@pytest.mark.parametrize("path", SERVED_GETS)
async def test_without_a_token_the_reply_is_the_contracts_401(
    path: str, contract: dict[str, Any], cloud: Cloud, anon: httpx.AsyncClient
) -> None:
    reply = await anon.get(path.format(**_show_id(cloud, path)))
    assert reply.status_code == 401
    assert [reply.json()] == list(_examples(contract["paths"][path]["get"], "401").values())


@pytest.mark.parametrize(
    "path", ["/v4/buildings/{building_id}/access_logs/{id}", "/v4/keychains/{id}"]
)
async def test_an_unknown_id_gets_the_contracts_404(
    path: str, contract: dict[str, Any], cloud: Cloud, api: httpx.AsyncClient
) -> None:
    url = path.format(building_id=cloud.buildings[0]["id"], id=1)
    operations = contract["paths"][path]
    expected = [
        v for op in ("get", "delete") for v in _examples(operations.get(op, {}), "404").values()
    ]
    assert expected, f"the contract shows no 404 for {path}"
    reply = await api.get(url)
    assert reply.status_code == 404
    assert [reply.json()] == expected


@pytest.mark.parametrize("path", sorted(REQUEST_SCHEMAS))
def test_request_schemas_are_the_contracts(path: str, contract: dict[str, Any]) -> None:
    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("description", "example")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    body = contract["paths"][path]["post"]["requestBody"]["content"]["application/json"]
    assert strip(body["schema"]) == REQUEST_SCHEMAS[path]


def _seeded_ids(cloud: Cloud) -> dict[str, int]:
    building = cloud.buildings[0]["id"]
    desk = cloud.front_desk_tenant_id(building)
    resident = next(t for t in cloud.tenants if t["building_id"] == building and t["id"] != desk)
    door = next(d for d in cloud.doors if d["building_id"] == building and d["device_ids"])
    panel = next(p for p in cloud.panels if p["building_id"] == building)
    keychain = next(k for k in cloud.keychains if k["building_id"] == building)
    return {
        "tenant_id": resident["id"],
        "unit_id": resident["unit"]["id"],
        "access_point_id": door["id"],
        "device_id": panel["id"],
        "keychain_id": keychain["id"],
    }


def _map_ids(value: Any, ids: dict[str, int]) -> Any:
    """The contract's example ids swapped for seeded ones; negative ids stay out of scope."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            single = key.removesuffix("s") if key.endswith("_ids") else key
            if single in ids and isinstance(item, int) and item > 0:
                out[key] = ids[single]
            elif single in ids and isinstance(item, list):
                out[key] = [ids[single] if isinstance(i, int) and i > 0 else i for i in item]
            else:
                out[key] = _map_ids(item, ids)
        return out
    return value


def _request_examples(contract: dict[str, Any] | None) -> list[tuple[str, str]]:
    cases: list[tuple[str, str]] = []
    if contract is None:
        # One case that reaches the contract fixture (skip, or fail in CI) instead of an
        # empty parameter set, which pytest would quietly skip everywhere.
        return [("no contract", "no contract")]
    for path in sorted(REQUEST_SCHEMAS):
        body = contract["paths"][path]["post"]["requestBody"]["content"]["application/json"]
        cases.extend((path, name) for name in body["examples"])
    return cases


@pytest.mark.parametrize("path,name", _request_examples(contract_or_none()))
async def test_the_contracts_request_examples_get_the_contracts_answers(
    path: str,
    name: str,
    contract: dict[str, Any],
    cloud: Cloud,
    anon: httpx.AsyncClient,
    api: httpx.AsyncClient,
) -> None:
    operation = contract["paths"][path]["post"]
    example = operation["requestBody"]["content"]["application/json"]["examples"][name]
    status = next(
        (code for code in operation["responses"] if name in _examples(operation, code)), "201"
    )
    body = _map_ids(copy.deepcopy(example["value"]), _seeded_ids(cloud))
    if status == "401":
        token = api.headers.pop("Authorization")
        reply = await anon.post(path, json=body)
        api.headers["Authorization"] = token
    else:
        reply = await api.post(path, json=body)
    assert reply.status_code == int(status), reply.text
    expected = _examples(operation, status).get(name)
    if status == "201":
        response_examples = list(_examples(operation, "201").values())
        assert_conforms([e["data"] for e in response_examples], [reply.json()["data"]], path)
    elif status == "422":
        # One example (delivery_pass, out of scope) breaks its own schema: then the schema's
        # refusal is the answer; otherwise the contract's error codes.
        schema_errors = validate(body, REQUEST_SCHEMAS[path])
        codes = {e["code"] for e in (schema_errors or expected["errors"])}
        assert {e["code"] for e in reply.json()["errors"]} == codes
    else:
        assert reply.json() == expected


# Placeholder ids (1) are swapped for seeded ones by _map_ids.
_VALID_BODIES: dict[str, dict[str, Any]] = {
    "/v4/door_release_requests": {"door_release_request": {"tenant_id": 1, "access_point_id": 1}},
    "/v4/keychains/custom": {
        "keychain": {
            "name": "Cleaner",
            "tenant_id": 1,
            "starts_at": "2026-11-22T09:00:00Z",
            "ends_at": "2026-11-22T17:00:00Z",
            "access_point_ids": [1],
        }
    },
    "/v4/keychains/one_time": {
        "keychain": {
            "name": "Plumber",
            "tenant_id": 1,
            "starts_at": "2026-11-22T09:00:00Z",
            "ends_at": "2026-11-22T17:00:00Z",
        }
    },
    "/v4/keychains/delivery_pass": {"keychain": {"name": "Groceries", "tenant_id": 1}},
    "/v4/virtual_keys": {"keychain_id": 1, "name": "Visitor"},
}


def _body(path: str, cloud: Cloud, **inner: Any) -> dict[str, Any]:
    body: dict[str, Any] = copy.deepcopy(_VALID_BODIES[path])
    _inner(body).update(inner)
    return dict(_map_ids(body, _seeded_ids(cloud)))


def _inner(body: dict[str, Any]) -> dict[str, Any]:
    values = list(body.values())
    return values[0] if len(body) == 1 and isinstance(values[0], dict) else body


@pytest.mark.parametrize("path", sorted(_VALID_BODIES))
async def test_a_valid_body_is_accepted(path: str, cloud: Cloud, api: httpx.AsyncClient) -> None:
    reply = await api.post(path, json=_body(path, cloud))
    assert reply.status_code == 201, reply.text
    assert isinstance(reply.json()["data"]["id"], int)


@pytest.mark.parametrize("path", sorted(_VALID_BODIES))
async def test_an_extra_property_is_refused_422(
    path: str, cloud: Cloud, api: httpx.AsyncClient
) -> None:
    body = _body(path, cloud)
    _inner(body)["open_duration_s"] = 5
    reply = await api.post(path, json=body)
    assert reply.status_code == 422
    assert reply.json()["errors"] == [
        {"field": "open_duration_s", "code": "unpermitted", "message": "is not permitted"}
    ]


@pytest.mark.parametrize(
    "path,field",
    [
        ("/v4/door_release_requests", "tenant_id"),
        ("/v4/keychains/custom", "name"),
        ("/v4/keychains/custom", "starts_at"),
        ("/v4/keychains/one_time", "ends_at"),
        ("/v4/keychains/delivery_pass", "keychain"),
        ("/v4/virtual_keys", "keychain_id"),
    ],
)
async def test_a_missing_required_field_is_refused_422_blank(
    path: str, field: str, cloud: Cloud, api: httpx.AsyncClient
) -> None:
    body = _body(path, cloud)
    if field in body:
        del body[field]
    else:
        del _inner(body)[field]
    reply = await api.post(path, json=body)
    assert reply.status_code == 422
    assert {"field": field, "code": "blank", "message": "can't be blank"} in reply.json()["errors"]


async def test_a_wrongly_typed_field_is_refused_422_invalid(
    cloud: Cloud, api: httpx.AsyncClient
) -> None:
    body = _body("/v4/door_release_requests", cloud)
    body["door_release_request"]["tenant_id"] = "front desk"
    reply = await api.post("/v4/door_release_requests", json=body)
    assert reply.status_code == 422
    assert reply.json()["errors"][0]["field"] == "tenant_id"
    assert reply.json()["errors"][0]["code"] == "invalid"


@pytest.mark.parametrize("doors", [{}, {"access_point_id": 1, "device_id": 1}])
async def test_a_release_names_exactly_one_of_door_or_panel(
    doors: dict[str, int], cloud: Cloud, api: httpx.AsyncClient
) -> None:
    body = _body("/v4/door_release_requests", cloud)
    del body["door_release_request"]["access_point_id"]
    body["door_release_request"].update(_map_ids(doors, _seeded_ids(cloud)))
    reply = await api.post("/v4/door_release_requests", json=body)
    assert reply.status_code == 422
    assert reply.json()["errors"][0]["field"] == "base"
    assert not cloud.releases
