"""The demo never writes into the operator's real records: the command line and the desk
share one services builder, so ``--demo`` means the demo's audit log everywhere."""

from __future__ import annotations

import csv
from pathlib import Path

from bmx_console.paths import user_paths
from tests.integration.cli_support import cli_env, run_cli

DEMO_ENV = {"BMX_CLIENT_ID": "", "BMX_CLIENT_SECRET": ""}


def demo_door_id() -> str:
    listed = run_cli(["--demo", "doors", "--json"], env=cli_env(DEMO_ENV))
    assert listed.code == 0, listed.err
    import json

    return str(json.loads(listed.out)[0]["id"])


def exported_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def test_a_demo_release_is_not_in_the_real_audit_log(tmp_path: Path) -> None:
    door = demo_door_id()
    released = run_cli(["--demo", "unlock", door], env=cli_env(DEMO_ENV))
    assert released.code == 0, released.err
    assert "released" in released.out

    real = tmp_path / "real.csv"
    exported = run_cli(["audit", "export", "--csv", str(real)], env=cli_env(DEMO_ENV))
    assert exported.code == 0, exported.err
    assert exported_rows(real) == []

    demo = tmp_path / "demo.csv"
    exported = run_cli(["--demo", "audit", "export", "--csv", str(demo)], env=cli_env(DEMO_ENV))
    assert exported.code == 0, exported.err
    rows = exported_rows(demo)
    # Written ahead: "sent" before the request left, then the cloud's answer.
    assert [(row["door_id"], row["outcome"]) for row in rows] == [
        (door, "sent"),
        (door, "released"),
    ]

    verified = run_cli(["--demo", "audit", "verify"], env=cli_env(DEMO_ENV))
    assert verified.code == 0, verified.err
    # The two, and the export itself (an operator action too).
    assert "3 entries verified" in verified.out


def test_a_demo_pass_is_not_in_the_real_audit_log(tmp_path: Path) -> None:
    made = run_cli(
        ["--demo", "pass", "create", "--name", "Guest", "--hours", "2"], env=cli_env(DEMO_ENV)
    )
    assert made.code == 0, made.err
    real = tmp_path / "real.csv"
    assert run_cli(["audit", "export", "--csv", str(real)], env=cli_env(DEMO_ENV)).code == 0
    assert exported_rows(real) == []
    assert user_paths().audit(demo=True).exists()
