"""Secrets in the OS keyring (service ``bmx-console``), and nowhere else.

The client secret and the refresh token are the keys to a building's doors. They go to the
Secret Service, the macOS Keychain or the Windows Credential Manager. If none of those is
usable, the console says so and refuses to store them at all: a plaintext fallback (such as
``keyrings.alt``) would put them on disk, which is exactly what must not happen. The
environment variable ``BMX_CLIENT_SECRET`` still works for automation.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from bmx_console.errors import KeyringUnavailable

if TYPE_CHECKING:
    import keyring.backend

# keyring (with importlib.metadata for its backends) is imported on first use, not with this
# module: a command run with BMX_CLIENT_SECRET never touches the keyring, and its start-up
# should not pay for it.

SERVICE = "bmx-console"
log = logging.getLogger(__name__)

_NO_KEYRING = (
    "No usable OS keyring was found (Secret Service, macOS Keychain or Windows Credential "
    "Manager), so {what} cannot be stored. bmx-console never writes secrets to a file: "
    "install and unlock a keyring (on Linux: gnome-keyring), or set BMX_CLIENT_SECRET in the "
    "environment."
)


def _usable(backend: keyring.backend.KeyringBackend) -> bool:
    module = type(backend).__module__
    if module.startswith(("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")):
        return False
    if module.startswith("keyring.backends.chainer"):
        return any(_usable(b) for b in getattr(backend, "backends", []))
    try:
        return float(backend.priority) > 0
    except Exception:  # a backend whose priority check itself fails is not usable
        return False


def keyring_advice(platform: str | None = None) -> str:
    """How to get a keyring that keeps the sign-in, on this OS."""
    import sys

    platform = platform or sys.platform
    if platform == "darwin":
        return (
            "bmx-console uses the macOS Keychain: sign in to the Mac as this user with the "
            "login keychain unlocked (Keychain Access), then sign in again."
        )
    if platform.startswith("win"):
        return (
            "bmx-console uses the Windows Credential Manager: run it in this user's own "
            "desktop session (not a service account or a remote shell), then sign in again."
        )
    return (
        "bmx-console uses the Secret Service: install gnome-keyring (or KeePassXC with its "
        "Secret Service integration), run bmx-console inside the desktop session where it is "
        "unlocked, then sign in again. For automation without a keyring, use a client secret "
        "in BMX_CLIENT_SECRET instead of signing in."
    )


class SecretStore:
    """Read and write the console's secrets; every value is a ``str`` or ``None``."""

    def __init__(
        self,
        backend: keyring.backend.KeyringBackend | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self._backend = backend
        self._env = os.environ if env is None else env

    def with_session_secret(self, secret: str) -> SecretStore:
        """The same store, but with ``secret`` as the client secret for this process only
        (as if BMX_CLIENT_SECRET were set): what a desk without a usable keyring runs on
        after the wizard verified it. Nothing is written anywhere."""
        return SecretStore(self._backend, {**self._env, "BMX_CLIENT_SECRET": secret})

    @property
    def backend(self) -> keyring.backend.KeyringBackend:
        if self._backend is not None:
            return self._backend
        import keyring

        return keyring.get_keyring()

    @property
    def backend_name(self) -> str:
        """The keyring that really holds the secrets (looking through keyring's chainer)."""
        backend = self.backend
        inner = getattr(backend, "backends", None)
        if type(backend).__module__.startswith("keyring.backends.chainer") and inner:
            backend = next((b for b in inner if _usable(b)), inner[0])
        return f"{type(backend).__module__}.{type(backend).__name__}"

    @property
    def available(self) -> bool:
        return _usable(self.backend)

    def _require(self, what: str) -> keyring.backend.KeyringBackend:
        backend = self.backend
        if not _usable(backend):
            raise KeyringUnavailable(_NO_KEYRING.format(what=what))
        return backend

    def _get(self, key: str) -> str | None:
        backend = self.backend
        if not _usable(backend):
            return None
        import keyring.errors

        try:
            return backend.get_password(SERVICE, key)
        except keyring.errors.KeyringError as exc:
            log.warning("keyring read failed for %s: %s", key.split(":")[0], type(exc).__name__)
            return None

    def _set(self, key: str, value: str | None, what: str) -> None:
        backend = self._require(what)
        import keyring.errors

        try:
            if value:
                backend.set_password(SERVICE, key, value)
            else:
                with contextlib.suppress(keyring.errors.PasswordDeleteError):
                    backend.delete_password(SERVICE, key)
        except keyring.errors.KeyringError as exc:
            raise KeyringUnavailable(
                f"the OS keyring refused to store {what} ({type(exc).__name__}); unlock the "
                f"keyring and try again"
            ) from None

    # The keyring "user name" says which credentials the secret belongs to, never the value.
    def client_secret(self, client_id: str) -> str | None:
        return self._env.get("BMX_CLIENT_SECRET") or self._get(f"client_secret:{client_id}")

    def client_secret_source(self, client_id: str) -> str:
        if self._env.get("BMX_CLIENT_SECRET"):
            return "environment (BMX_CLIENT_SECRET)"
        return "OS keyring" if self._get(f"client_secret:{client_id}") else "not set"

    def set_client_secret(self, client_id: str, secret: str | None) -> None:
        self._set(f"client_secret:{client_id}", secret, "the client secret")

    def refresh_token(self, client_id: str, token_url: str) -> str | None:
        return self._get(f"refresh_token:{client_id}@{token_url}")

    def set_refresh_token(self, client_id: str, token_url: str, token: str | None) -> None:
        self._set(f"refresh_token:{client_id}@{token_url}", token, "the sign-in")

    def __repr__(self) -> str:
        return f"SecretStore(backend={self.backend_name})"


class KeyringAnchorStore:
    """Where the audit log keeps its head a second time (``core.audit_anchor.AnchorStore``):
    the same OS keyring, so a copy of the audit file alone cannot roll it back."""

    def __init__(self, secrets: SecretStore | None = None) -> None:
        self._secrets = secrets or SecretStore()

    @property
    def available(self) -> bool:
        return self._secrets.available

    def get(self, name: str) -> str | None:
        return self._secrets._get(name)

    def set(self, name: str, value: str) -> None:
        self._secrets._set(name, value, "the audit log's anchor")
