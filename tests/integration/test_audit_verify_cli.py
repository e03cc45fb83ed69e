"""``bmx-console audit verify`` with the anchor in the real Secret Service, as an outsider
tampers with whole files: it fails with a sentence that says how much is missing, and never
re-creates the log it verifies."""

from __future__ import annotations

import sqlite3

import pytest

from bmx_console.core.audit import GENESIS_HASH, AuditLog
from bmx_console.core.audit_anchor import AuditAnchor
from bmx_console.paths import user_paths
from bmx_console.secrets import KeyringAnchorStore, SecretStore
from tests.integration.cli_support import run_cli
from tests.support import require_or_skip


def write(count: int) -> None:
    path = user_paths().audit(demo=False)
    with AuditLog(path, anchor=AuditAnchor(KeyringAnchorStore(), path)) as log:
        for n in range(count):
            log.record(operator="Ann", action="release", outcome="released", door_id=n)


@pytest.fixture
def real_keyring() -> None:
    store = SecretStore()
    require_or_skip(
        store.available and "SecretService" in store.backend_name,
        f"the Secret Service is not running here (keyring backend: {store.backend_name})",
    )


@pytest.mark.keyring
def test_a_deleted_log_fails_verify_and_is_not_re_created(real_keyring: None) -> None:
    write(6)
    assert run_cli(["audit", "verify"]).code == 0
    path = user_paths().audit(demo=False)
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)

    result = run_cli(["audit", "verify"])

    assert result.code == 1
    assert "audit log TAMPERED" in result.out
    assert "is missing" in result.out and "recorded 6 entries" in result.out
    assert not path.exists()


@pytest.mark.keyring
def test_emptied_tables_with_the_head_reset_fail_verify(real_keyring: None) -> None:
    write(4)
    conn = sqlite3.connect(user_paths().audit(demo=False))
    with conn:
        conn.execute("DELETE FROM entries")
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'head_seq'")
        conn.execute(f"UPDATE meta SET value = '{GENESIS_HASH}' WHERE key = 'head_hash'")
    conn.close()

    result = run_cli(["audit", "verify"])

    assert result.code == 1
    assert "the log is empty, but bmx-console had recorded 4 entries" in result.out
