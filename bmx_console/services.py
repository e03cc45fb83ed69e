"""The composition root's Qt-free half: one builder of the console's services.

The desk window and every command-line command get their connection, store, pollers, release
service, audit log and pass service from here, so that they cannot disagree about where a file
lives or what the demo may touch. Each part is made when first asked for: ``bmx-console audit
verify`` opens the audit log and nothing else, ``bmx-console doors`` opens a connection and no
audit log, the desk asks for everything.

The demo rules live here and in ``bmx_console.paths``: a demo records into the demo audit log,
keeps no event cursor and no pass notes on disk, and a kiosk PIN chosen in the demo lasts the
session. Settings are saved along one path (``save_settings``): the file first, then the
client secret into the OS keyring.

Nothing here imports Qt; the network stack, the keyring and SQLite load when a part that needs
them is first made.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from bmx_console import config
from bmx_console.clock import Clock, Sleep, SystemClock
from bmx_console.config import Settings
from bmx_console.errors import ConfigError, KeyringUnavailable
from bmx_console.paths import Paths, user_paths
from bmx_console.ports import SaveOutcome, SettingsAccess

if TYPE_CHECKING:
    import httpx

    from bmx_console.api.notifications import CallNotifier
    from bmx_console.connect import Connection
    from bmx_console.core.audit import AuditLog
    from bmx_console.core.passes import PassService
    from bmx_console.core.pollers import Pollers
    from bmx_console.core.release import ReleaseService
    from bmx_console.core.store import Store
    from bmx_console.probes import Probes
    from bmx_console.secrets import SecretStore
    from bmx_console.sim.cloud import Cloud


def save_settings(
    settings: Settings,
    secret: str | None,
    *,
    secrets: SecretStore,
    path: Path | None = None,
) -> SaveOutcome:
    """The one way settings are saved: the file, then (if one was typed) the client secret.

    Raises ``ConfigError`` with a sentence when the file cannot be written; nothing was saved
    then. A secret the keyring refuses is reported in the outcome, never written anywhere else.
    """
    path = path or config.config_path()
    try:
        written = config.save_settings(settings, path)
    except OSError as exc:
        raise ConfigError(
            f"Cannot write the settings file {path}: {exc.strerror or type(exc).__name__}. "
            "Nothing was saved."
        ) from None
    if not secret:
        return SaveOutcome(written, secret_saved=False)
    try:
        secrets.set_client_secret(settings.client_id, secret)
    except KeyringUnavailable as exc:
        return SaveOutcome(written, secret_saved=False, secret_problem=str(exc))
    return SaveOutcome(written, secret_saved=True)


class Services:
    """The console's parts, built from the settings on first use and closed together.

    ``settings`` are the operator's own; for the demo, ``in_force`` is a copy pointed at the
    simulator (``cloud``, made on first use when not given). Tests pass a ``cloud``, a
    ``transport`` to a loopback simulator, a FakeClock, a compressed ``sleep`` and their own
    ``paths``.
    """

    def __init__(
        self,
        settings: Settings,
        secrets: SecretStore,
        *,
        demo: bool = False,
        cloud: Cloud | None = None,
        paths: Paths | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
        operator: Callable[[], str] | None = None,
        audit_path: Path | None = None,
        cursor_path: Path | None = None,
    ) -> None:
        self.settings = settings
        self.secrets = secrets
        self.demo = demo or cloud is not None
        self._cloud = cloud
        self.paths = paths or user_paths()
        self.transport = transport
        self.clock: Clock = clock or SystemClock()
        self.sleep = sleep
        self._operator = operator
        self._audit_path = audit_path
        self._cursor_path = cursor_path

    # -- who and where ---------------------------------------------------------------------

    def operator(self) -> str:
        """Who is acting: the caller's choice (the desk's shift), else the settings', else the
        desktop account."""
        if self._operator is not None:
            return self._operator()
        from bmx_console.core.release import default_operator

        return self.settings.operator or default_operator()

    @property
    def audit_path(self) -> Path:
        return self._audit_path or self.paths.audit(demo=self.demo)

    @property
    def cursor_path(self) -> Path | None:
        return self._cursor_path or self.paths.cursor(demo=self.demo)

    # -- the parts -------------------------------------------------------------------------

    @property
    def cloud(self) -> Cloud | None:
        """The in-process simulator of a demo (made on first use), else None."""
        if self.demo and self._cloud is None:
            from bmx_console.connect import demo_cloud

            self._cloud = demo_cloud()
        return self._cloud

    @cached_property
    def connection(self) -> Connection:
        from bmx_console.connect import connect

        return connect(
            self.settings,
            self.secrets,
            cloud=self.cloud,
            transport=self.transport,
            clock=self.clock,
            sleep=self.sleep,
        )

    @property
    def in_force(self) -> Settings:
        """The settings the connection uses (for the demo: pointed at the simulator)."""
        return self.connection.settings

    @cached_property
    def store(self) -> Store:
        from bmx_console.core.store import Store

        store = Store()
        store.set_pinned_doors(self.settings.pinned_doors)
        return store

    @cached_property
    def pollers(self) -> Pollers:
        from bmx_console.core.cursor import CursorFile
        from bmx_console.core.pollers import Pollers

        s = self.in_force
        return Pollers.create(
            self.connection.client,
            self.store,
            CursorFile(self.cursor_path),
            building_id=s.building_id,
            status_interval_s=s.status_interval / 1000,
            events_interval_s=s.events_interval / 1000,
            calls_interval_s=s.calls_interval / 1000,
            clock=self.clock,
            sleep=self.sleep,
        )

    @cached_property
    def audit(self) -> AuditLog:
        from bmx_console.core.audit import AuditLog

        return AuditLog(self.audit_path)

    @cached_property
    def releases(self) -> ReleaseService:
        from bmx_console.core.release import ReleaseService

        s = self.in_force
        return ReleaseService(
            self.connection.client,
            self.store,
            tenant_id=s.release_tenant_id,
            tenant_for=s.release_tenant_for,
            released_state_s=s.released_state_ms / 1000,
            clock=self.clock,
            audit=self.audit,
            operator=self.operator,
        )

    @cached_property
    def call_notifier(self) -> CallNotifier:
        """What tells a ringing panel that its call was answered or declined (v3)."""
        from bmx_console.api.notifications import CallNotifier

        connection = self.connection
        return CallNotifier(
            connection.client.http,
            connection.tokens,
            api_base=self.in_force.api_base,
            clock=self.clock,
        )

    @cached_property
    def passes(self) -> PassService:
        from bmx_console.core.passes import PassService

        s = self.in_force
        return PassService(
            self.connection.client,
            tenant_id=s.release_tenant_id,
            building_id=s.building_id,
            max_hours=s.pass_max_hours,
            audit=self.audit,
            operator=self.operator,
            clock=self.clock,
            local_store_path=self.paths.passes(demo=self.demo),
        )

    def probes(self) -> Probes:
        """Short-lived connection checks for the settings dialog and the wizard (each opens
        and closes its own connection from the settings being edited)."""
        from bmx_console.probes import make_probes

        return make_probes(self.secrets, clock=self.clock)

    def settings_access(self, probes: Probes | None = None) -> SettingsAccess:
        """What the settings dialog and the wizard are given: the one save path, the keyring's
        state and the probes (tests pass probes over an in-process transport)."""
        probes = probes or self.probes()
        return SettingsAccess(
            secrets=self.secrets,
            save=self.save_settings,
            config_path=self.paths.config_file,
            test_connection=probes.test_connection,
            list_buildings=probes.list_buildings,
            list_tenants=probes.list_tenants,
            sign_in_connection=probes.sign_in_connection,
        )

    # -- saving ----------------------------------------------------------------------------

    def save_settings(self, settings: Settings, secret: str | None = None) -> SaveOutcome:
        """Save the operator's settings (never the demo's copy) and, if given, the secret."""
        outcome = save_settings(settings, secret, secrets=self.secrets, path=self.paths.config_file)
        self.settings = settings
        return outcome

    def save_kiosk_pin_hash(self, pin_hash: str) -> Settings:
        """The kiosk's PIN hash into the settings; written to the file except in the demo,
        where a PIN lasts the session like the demo's pinned doors. Returns the new settings."""
        changed = self.settings.with_changes(
            kiosk=dataclasses.replace(self.settings.kiosk, pin_hash=pin_hash)
        )
        if not self.demo:
            save_kiosk_pin_hash(pin_hash, self.paths.config_file)
        elif pin_hash:
            from bmx_console.core.pin import is_pin_hash

            if not is_pin_hash(pin_hash):
                raise ValueError("only a PIN hash from hash_pin() may be saved, never a PIN")
        self.settings = changed
        return changed

    # -- closing ---------------------------------------------------------------------------

    async def aclose_connection(self) -> None:
        if "connection" in self.__dict__:
            await self.connection.aclose()

    def close_audit(self) -> None:
        if "audit" in self.__dict__:
            with contextlib.suppress(Exception):
                self.audit.close()

    async def aclose(self) -> None:
        try:
            await self.aclose_connection()
        finally:
            self.close_audit()


def save_kiosk_pin_hash(pin_hash: str, path: Path | None = None) -> Path:
    """Write ``pin_hash`` as ``[kiosk] pin_hash`` in the settings file, keeping the other
    settings as the file has them (environment overrides are not written back)."""
    from bmx_console.core.pin import is_pin_hash

    if pin_hash and not is_pin_hash(pin_hash):
        raise ValueError("only a PIN hash from hash_pin() may be saved, never a PIN")
    path = path or config.config_path()
    settings = config.load_settings(path, env={})
    changed = settings.with_changes(kiosk=dataclasses.replace(settings.kiosk, pin_hash=pin_hash))
    return config.save_settings(changed, path)
