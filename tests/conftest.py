"""Every test runs with its own config, data and log folders, and no credentials from the
machine it runs on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from tests.support import MemoryKeyring


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
    if request.node.get_closest_marker("keyring"):
        yield None
        return
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)
