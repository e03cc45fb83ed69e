"""The request bodies the simulator accepts, copied from the published v4 contract, and a
small validator that refuses what the contract refuses.

The schemas are copies rather than read from ``bmx-openapi.json`` at run time because the
contract file is not shipped with the package; a test compares them with the contract.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

JsonSchema = dict[str, Any]
FieldError = dict[str, str]

DOOR_RELEASE_REQUEST: JsonSchema = {
    "type": "object",
    "properties": {
        "door_release_request": {
            "type": "object",
            "properties": {
                "access_point_id": {"type": "integer", "nullable": True},
                "device_id": {"type": "integer", "nullable": True},
                "tenant_id": {"type": "integer"},
            },
            "required": ["tenant_id"],
            "oneOf": [{"required": ["access_point_id"]}, {"required": ["device_id"]}],
            "additionalProperties": False,
        }
    },
    "required": ["door_release_request"],
}

_WINDOWED_KEYCHAIN: JsonSchema = {
    "type": "object",
    "properties": {
        "keychain": {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "tenant_id": {"type": "integer", "nullable": True},
                "unit_id": {"type": "integer", "nullable": True},
                "allow_unit_access": {"type": "boolean"},
                "starts_at": {"type": "string", "format": "date-time"},
                "ends_at": {"type": "string", "format": "date-time"},
                "recipients": {"type": "array", "items": {"type": "string"}},
                "access_point_ids": {"type": "array", "items": {"type": "integer"}},
                "device_ids": {"type": "array", "items": {"type": "integer"}},
            },
            "required": ["name", "starts_at", "ends_at"],
            "additionalProperties": False,
        }
    },
    "required": ["keychain"],
}

CUSTOM_KEYCHAIN = _WINDOWED_KEYCHAIN
ONE_TIME_KEYCHAIN = _WINDOWED_KEYCHAIN

DELIVERY_PASS: JsonSchema = {
    "type": "object",
    "properties": {
        "keychain": {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "tenant_id": {"type": "integer", "nullable": True},
                "unit_id": {"type": "integer", "nullable": True},
            },
            "additionalProperties": False,
        }
    },
    "required": ["keychain"],
}

VIRTUAL_KEY: JsonSchema = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "email": {"type": "string"},
        "sms_number": {"type": "string"},
        "keychain_id": {"type": "integer"},
        "pin_code": {"type": "string"},
    },
    "required": ["keychain_id"],
    "additionalProperties": False,
}

# Keyed by contract path, so the test can compare each with the contract's requestBody.
REQUEST_SCHEMAS: dict[str, JsonSchema] = {
    "/v4/door_release_requests": DOOR_RELEASE_REQUEST,
    "/v4/keychains/custom": CUSTOM_KEYCHAIN,
    "/v4/keychains/one_time": ONE_TIME_KEYCHAIN,
    "/v4/keychains/delivery_pass": DELIVERY_PASS,
    "/v4/virtual_keys": VIRTUAL_KEY,
}

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "boolean": (bool,),
    "number": (int, float),
}


def _is_type(value: Any, name: str) -> bool:
    if name in ("integer", "number") and isinstance(value, bool):
        return False
    return isinstance(value, _TYPES.get(name, (object,)))


def _is_time(value: str) -> bool:
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def validate(value: Any, schema: JsonSchema, field: str = "base") -> list[FieldError]:
    """The contract's violations in ``value``, Rails style: one entry per field, by name."""
    if value is None:
        if schema.get("nullable"):
            return []
        return [{"field": field, "code": "blank", "message": "can't be blank"}]
    kind = schema.get("type")
    if kind and not _is_type(value, kind):
        return [{"field": field, "code": "invalid", "message": f"must be a{_article(kind)}"}]
    errors: list[FieldError] = []
    if kind == "string" and schema.get("format") == "date-time" and not _is_time(value):
        errors.append({"field": field, "code": "invalid", "message": "is not a valid time"})
    if kind == "array":
        for item in value:
            item_errors = validate(item, schema.get("items", {}), field)
            if item_errors:
                errors.extend(item_errors)
                break
    if kind == "object":
        properties: dict[str, JsonSchema] = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value or value[name] in (None, ""):
                errors.append({"field": name, "code": "blank", "message": "can't be blank"})
        for name, item in value.items():
            if name in properties:
                if item is not None or name not in schema.get("required", []):
                    errors.extend(validate(item, properties[name], name))
            elif schema.get("additionalProperties") is False:
                errors.append({"field": name, "code": "unpermitted", "message": "is not permitted"})
        choices = schema.get("oneOf")
        if choices:
            matched = [c for c in choices if all(value.get(k) is not None for k in c["required"])]
            if len(matched) != 1:
                names = " or ".join(k for c in choices for k in c["required"])
                errors.append(
                    {"field": "base", "code": "invalid", "message": f"needs exactly one of {names}"}
                )
    return errors


def _article(kind: str) -> str:
    return {"integer": "n integer", "object": "n object", "array": "n array"}.get(kind, f" {kind}")
