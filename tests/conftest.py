"""Every test runs with its own config, data and log folders, and no credentials from the
machine it runs on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.errors
import pytest
from keyring.backends.SecretService import Keyring as SecretServiceKeyring

from tests.support import MemoryKeyring, require_or_skip


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    dirs = {name: tmp_path / "xdg" / name for name in ("config", "data", "state", "cache")}
    for name, path in dirs.items():
        path.mkdir(parents=True)
        monkeypatch.setenv(f"XDG_{name.upper()}_HOME", str(path))
    for var in ("BMX_CLIENT_ID", "BMX_CLIENT_SECRET"):
        monkeypatch.delenv(var, raising=False)
    return dirs


@pytest.fixture(autouse=True)
def memory_keyring(request: pytest.FixtureRequest) -> Iterator[MemoryKeyring | None]:
    """Tests keep their secrets in memory, so a run never writes into the keyring of the
    machine it runs on; only tests marked ``keyring`` use the real Secret Service."""
    previous = keyring.get_keyring()
    if request.node.get_closest_marker("keyring"):
        backend: keyring.backend.KeyringBackend = request.getfixturevalue("secret_service")
        result = None
    else:
        backend = result = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield result
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def secret_service() -> keyring.backend.KeyringBackend:
    """The real Secret Service (gnome-keyring in the D-Bus session scripts/test starts),
    named outright rather than whatever keyring would pick on this machine, and unlocked;
    without it a ``keyring`` test skips on a developer machine and fails in CI."""
    backend = SecretServiceKeyring()
    try:
        usable = float(backend.priority) > 0
        reason = "the Secret Service is not running here"
    except Exception as error:  # keyring says why through the priority check
        usable, reason = False, f"the Secret Service is not usable here: {error}"
    if usable:
        try:
            # Reaching the collection is what an unlocked keyring allows without a prompt.
            backend.get_password("bmx-console-tests", "probe")
        except keyring.errors.KeyringError as error:
            usable, reason = False, f"the Secret Service refused a read: {error}"
    require_or_skip(usable, f"{reason} (scripts/test starts gnome-keyring in a D-Bus session)")
    return backend
