"""Shared test helpers."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import keyring.backend
import pytest

if TYPE_CHECKING:
    from bmx_console.ports import SettingsAccess, TestConnection
    from bmx_console.probes import Probes
    from bmx_console.secrets import SecretStore

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


def settings_access(
    secrets: SecretStore,
    probes: Probes | None = None,
    *,
    test_connection: TestConnection | None = None,
) -> SettingsAccess:
    """What the composition root gives the settings dialog and the wizard, for a test: the
    real save path into the test's folders and keyring, and the given probes."""
    import dataclasses

    from bmx_console.config import Settings
    from bmx_console.probes import make_probes
    from bmx_console.services import Services

    access = Services(Settings(), secrets).settings_access(probes or make_probes(secrets))
    if test_connection is not None:
        access = dataclasses.replace(access, test_connection=test_connection)
    return access
