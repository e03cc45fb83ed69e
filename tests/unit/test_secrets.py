from __future__ import annotations

import keyring
import keyring.backends.fail
import pytest

from bmx_console.config import Settings, save_settings
from bmx_console.errors import KeyringUnavailable
from bmx_console.secrets import SERVICE, SecretStore
from tests.support import MemoryKeyring, require_or_skip


def test_secret_goes_to_the_keyring_under_the_service_name(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore()
    store.set_client_secret("client-1", "s3cret-value")
    assert memory_keyring.values == {(SERVICE, "client_secret:client-1"): "s3cret-value"}
    assert store.client_secret("client-1") == "s3cret-value"
    assert "s3cret" not in repr(store)


def test_without_a_keyring_the_secret_is_refused_not_written(tmp_path, isolated_dirs) -> None:
    store = SecretStore(backend=keyring.backends.fail.Keyring())
    save_settings(Settings(client_id="c"))
    with pytest.raises(KeyringUnavailable) as err:
        store.set_client_secret("c", "s3cret-value")
    assert "never writes secrets to a file" in str(err.value)
    assert "BMX_CLIENT_SECRET" in str(err.value)
    for path in isolated_dirs["config"].parent.rglob("*"):
        if path.is_file():
            assert "s3cret" not in path.read_text(errors="ignore")


def test_environment_secret_works_without_a_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BMX_CLIENT_SECRET", "from-env-123")
    store = SecretStore(backend=keyring.backends.fail.Keyring())
    assert store.client_secret("c") == "from-env-123"
    assert store.client_secret_source("c") == "environment (BMX_CLIENT_SECRET)"


def test_refresh_token_is_kept_per_client_and_token_url(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore()
    store.set_refresh_token("c", "https://a/oauth/token", "rt-1")
    assert store.refresh_token("c", "https://a/oauth/token") == "rt-1"
    assert store.refresh_token("c", "https://b/oauth/token") is None
    store.set_refresh_token("c", "https://a/oauth/token", None)
    assert store.refresh_token("c", "https://a/oauth/token") is None


@pytest.mark.keyring
def test_real_secret_service_stores_and_reads_the_secret() -> None:
    store = SecretStore()
    name = store.backend_name
    require_or_skip(
        store.available and "SecretService" in name,
        f"the Secret Service is not running here (keyring backend: {name})",
    )
    store.set_client_secret("ci-client", "real-keyring-secret-42")
    try:
        fresh = SecretStore()
        assert fresh.client_secret("ci-client") == "real-keyring-secret-42"
        assert fresh.client_secret_source("ci-client") == "OS keyring"
    finally:
        store.set_client_secret("ci-client", None)
    assert SecretStore().client_secret("ci-client") is None
