"""What the windows are handed by the composition root, as types they can name.

The settings dialog and the first-run wizard save settings, store a client secret and probe a
connection, yet must not import the keyring, the network stack or the settings writer: that
would make every widget module a second composition root. They get a ``SettingsAccess`` made
by ``bmx_console.services`` instead, whose parts are plain callables and small protocols.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from bmx_console.config import Settings

if TYPE_CHECKING:
    from bmx_console.api.auth import TokenManager
    from bmx_console.api.models import Building, Tenant


@dataclass(frozen=True, slots=True)
class SaveOutcome:
    """What saving settings achieved. ``secret_problem`` is set when the settings file was
    written but a typed client secret could not be stored (no usable keyring)."""

    path: Path
    secret_saved: bool
    secret_problem: str | None = None


class SecretsView(Protocol):
    """What a settings screen may know about stored secrets (never their values)."""

    @property
    def available(self) -> bool: ...

    @property
    def backend_name(self) -> str: ...

    def client_secret_source(self, client_id: str) -> str: ...

    def refresh_token(self, client_id: str, token_url: str) -> str | None: ...


class SignInSession(Protocol):
    """A short-lived connection for a paste-code sign-in; closed when the sign-in is over."""

    @property
    def tokens(self) -> TokenManager: ...

    async def aclose(self) -> None: ...


TestConnection = Callable[[Settings, str | None], Awaitable[str]]
ListBuildings = Callable[[Settings, str | None], Awaitable[list["Building"]]]
ListTenants = Callable[[Settings, str | None, int | None], Awaitable[list["Tenant"]]]
SaveSettings = Callable[[Settings, str | None], SaveOutcome]


@dataclass(frozen=True, slots=True)
class SettingsAccess:
    """Everything the settings dialog and the wizard do outside their own widgets."""

    secrets: SecretsView
    # The file, then the typed secret (if any): raises ConfigError when nothing was saved.
    save: SaveSettings
    config_path: Path
    test_connection: TestConnection
    list_buildings: ListBuildings
    list_tenants: ListTenants
    sign_in_connection: Callable[[Settings], SignInSession]
    # The kiosk's staff PIN: whether one is set, and set it (None clears it). Setting raises
    # ConfigError with the reason for a PIN too easy to guess, and is slow on purpose (the
    # hash's cost): the dialog calls it off the UI thread. Neither ever returns the PIN.
    kiosk_pin_is_set: Callable[[], bool] = lambda: False
    set_kiosk_pin: Callable[[str | None], None] | None = None
    # Recorded in the audit log once the PIN was stored (on the UI thread: SQLite's rule).
    kiosk_pin_changed: Callable[[bool], None] | None = None
