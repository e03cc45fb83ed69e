"""Shared test helpers."""

from __future__ import annotations

import os
from pathlib import Path

import keyring.backend
import pytest

REAL_SERVICES = os.environ.get("BMX_REQUIRE_REAL_SERVICES") == "1"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """An in-memory keyring for tests that are not about the keyring itself."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.values[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.values.pop((service, username), None)


def require_or_skip(condition: bool, reason: str) -> None:
    """Skip on a developer machine without the service; fail in CI, where it must exist."""
    if condition:
        return
    if REAL_SERVICES:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)
