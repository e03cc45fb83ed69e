"""After real use (CLI commands, a paste-code sign-in, a release, the desk window), no secret
or token is in any file under the config, data or log folders."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from bmx_console import cli
from bmx_console.config import Settings, save_settings
from bmx_console.paths import user_paths
from bmx_console.secrets import SecretStore
from bmx_console.sim.cloud import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Cloud
from bmx_console.sim.server import SimServer
from tests.integration.cli_support import ROOT
from tests.support import MemoryKeyring, PastedCode


def files_under(*folders: Path) -> list[Path]:
    return [p for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file()]


def test_no_secret_or_token_in_config_data_or_logs(
    isolated_dirs: dict[str, Path],
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    with SimServer(Cloud(seed=5)) as server:
        cloud = server.cloud
        door = cloud.doors[0]
        save_settings(
            Settings(
                client_id=DEMO_CLIENT_ID,
                api_base=server.base_url,
                token_url=server.token_url,
                release_tenant_id=cloud.front_desk_tenant_id(door["building_id"]),
                events_interval=1_000,
            )
        )
        SecretStore().set_client_secret(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)

        out = io.StringIO()
        for command in (
            ["doors"],
            ["status", "--json"],
            ["refresh-token"],
            ["events"],
            ["unlock", str(door["id"])],
            ["config"],
        ):
            assert cli.main(command, out=out) == 0, command

        # Sign in by pasted code (refresh token to the keyring), then use the saved sign-in.
        SecretStore().set_client_secret(DEMO_CLIENT_ID, None)
        monkeypatch.setattr(sys, "stdin", PastedCode(out, cloud))
        assert cli.main(["login"], out=out) == 0
        assert memory_keyring.get_password(
            "bmx-console", f"refresh_token:{DEMO_CLIENT_ID}@{server.token_url}"
        )
        cloud.expire_tokens()
        assert cli.main(["doors"], out=out) == 0

        # The desk window too (it writes window state, cursors and its own log).
        shot = tmp_path / "desk.png"
        desk = subprocess.run(
            [sys.executable, "-m", "bmx_console", "--smoke-test", str(shot)],
            capture_output=True,
            text=True,
            timeout=60,
            env={
                **_env(),
                "BMX_CLIENT_SECRET": DEMO_CLIENT_SECRET,
                "BMX_CLIENT_ID": DEMO_CLIENT_ID,
                "PYTHONPATH": str(ROOT),
            },
        )
        assert desk.returncode == 0, desk.stderr
        secrets = [DEMO_CLIENT_SECRET, *cloud.tokens.issued_secrets()]

    assert len(secrets) > 4, "the scenario should have handed out several tokens"
    paths = user_paths()
    files = files_under(paths.config_dir, paths.log_dir, *isolated_dirs.values())
    logs = [f for f in files if f.is_relative_to(paths.log_dir)]
    assert logs and any(f.stat().st_size for f in logs), "nothing was logged: test is blind"
    assert any(f.name == "config.toml" for f in files)
    leaks = [
        f"{path}: {secret[:4]}…"
        for path in files
        for secret in secrets
        if secret.encode() in path.read_bytes()
    ]
    assert leaks == []


def _env() -> dict[str, str]:
    import os

    return {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
