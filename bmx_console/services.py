"""The composition root's Qt-free half: one builder of the console's services.

The desk window and every command-line command get their connection, store, pollers, release
service, audit log and pass service from here, so that they cannot disagree about where a file
lives or what the demo may touch. Each part is made when first asked for: ``bmx-console audit
verify`` opens the audit log and nothing else, ``bmx-console doors`` opens a connection and no
audit log, the desk asks for everything.

The demo rules live here and in ``bmx_console.paths``: a demo records into the demo audit log,
keeps no event cursor and no pass notes on disk, and a kiosk PIN set in the demo lasts the
session (until one is, a demo kiosk uses this user's own PIN). The kiosk PIN's hash lives in
a file of its own that only this OS user can read (``Paths.kiosk_pin``), read afresh at every
prompt so that a PIN set while the kiosk runs is the one it asks for next. Settings are saved
along one path (``save_settings``): the file first, then the client secret into the OS
keyring.

Nothing here imports Qt; the network stack, the keyring and SQLite load when a part that needs
them is first made.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
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
    from bmx_console.core.audit_anchor import AuditAnchor
    from bmx_console.core.operator_audit import ActionRecorder
    from bmx_console.core.passes import PassService
    from bmx_console.core.pollers import Pollers
    from bmx_console.core.release import ReleaseService
    from bmx_console.core.store import Store
    from bmx_console.probes import Probes
    from bmx_console.secrets import SecretStore
    from bmx_console.sim.cloud import Cloud

log = logging.getLogger(__name__)

LEGACY_PIN_REMOVED = (
    "The kiosk staff PIN stored in config.toml was removed and is not used: other users of "
    "this computer can read that file, and the PIN may be as short as 4 digits. Set a new "
    "staff PIN at the front desk (Settings → Kiosk) or with `bmx-console kiosk-pin`."
)


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
        self._demo_pin_hash = ""

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
    def audit_anchor(self) -> AuditAnchor:
        """The audit log's head, kept in the OS keyring under a keyed MAC, so that a log
        put back, rolled back, emptied or deleted fails ``audit verify``."""
        from bmx_console.core.audit_anchor import AuditAnchor
        from bmx_console.secrets import KeyringAnchorStore

        return AuditAnchor(KeyringAnchorStore(self.secrets), self.audit_path)

    @cached_property
    def audit(self) -> AuditLog:
        from bmx_console.core.audit import AuditLog

        return AuditLog(self.audit_path, anchor=self.audit_anchor)

    @cached_property
    def actions(self) -> ActionRecorder:
        """Shift start and end, operator changes, calls, kiosk, settings, sign-in: each an
        audit entry with who did it."""
        from bmx_console.core.operator_audit import ActionRecorder

        return ActionRecorder(self.audit, self.operator)

    def release_tenant_ids(self) -> set[int]:
        """Every tenant this desk releases as (each building's front desk): what the cloud's
        access logs are compared with."""
        s = self.in_force
        tenants = {tenant for _, tenant in s.release_tenants}
        if s.release_tenant_id is not None:
            tenants.add(s.release_tenant_id)
        return tenants

    def tighten_files(self) -> None:
        """Settings, data and logs for this user's eyes only (files 0600, folders 0700), also
        those made by libraries that follow the umask (Qt's desk.ini)."""
        from bmx_console.private_files import tighten_tree

        tighten_tree((self.paths.config_dir, self.paths.data_dir, self.paths.log_dir))

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
            visitor_hours=s.visitor_pass_hours,
            delivery_hours=s.delivery_pass_hours,
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
            kiosk_pin_is_set=lambda: bool(self.kiosk_pin_hash()),
            set_kiosk_pin=self.set_kiosk_pin,
            kiosk_pin_changed=lambda cleared: self.actions.kiosk_pin_changed(cleared=cleared),
        )

    # -- saving ----------------------------------------------------------------------------

    def save_settings(self, settings: Settings, secret: str | None = None) -> SaveOutcome:
        """Save the operator's settings (never the demo's copy) and, if given, the secret."""
        outcome = save_settings(settings, secret, secrets=self.secrets, path=self.paths.config_file)
        self.settings = settings
        return outcome

    # -- the kiosk's staff PIN -------------------------------------------------------------

    def kiosk_pin_hash(self) -> str:
        """The staff PIN's stored hash, read now ("" for none): the kiosk asks at each
        prompt, so a PIN set from the desk or the command line counts at once. A demo kiosk
        is still a full-screen window on this computer: without a PIN set in the demo's
        session it takes this user's own (``bmx-console kiosk-pin``)."""
        if self.demo and self._demo_pin_hash:
            return self._demo_pin_hash
        return read_kiosk_pin_hash(self.paths.kiosk_pin)

    def save_kiosk_pin_hash(self, pin_hash: str) -> None:
        """Store (or with "" remove) the PIN's hash; in the demo for the session only."""
        _check_hash(pin_hash)
        if self.demo:
            self._demo_pin_hash = pin_hash
            return
        write_kiosk_pin_hash(pin_hash, self.paths.kiosk_pin)
        self.retire_config_pin_hash()

    def set_kiosk_pin(self, pin: str | None) -> None:
        """Settings → Kiosk: hash ``pin`` and store it, or with None remove the PIN. Raises
        ``ConfigError`` with the reason for a PIN too easy to guess. Slow on purpose (the
        hash's cost): call it off the UI thread."""
        from bmx_console.core.pin import hash_pin, pin_problem

        if pin is None:
            self.save_kiosk_pin_hash("")
            return
        problem = pin_problem(pin)
        if problem is not None:
            raise ConfigError(problem)
        self.save_kiosk_pin_hash(hash_pin(pin))

    def retire_config_pin_hash(self) -> bool:
        """An older console kept the PIN's hash in config.toml: drop it from the file and
        say so. It is not moved to the new place: it sat where other users could copy it,
        and its PIN may be one of the 4-digit ones no longer accepted."""
        if self.demo or not self.settings.kiosk.pin_hash:
            return False
        if retire_config_pin_hash(self.paths.config_file):
            self.settings = dataclasses.replace(
                self.settings, kiosk=dataclasses.replace(self.settings.kiosk, pin_hash="")
            )
        return True

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


def _check_hash(pin_hash: str) -> None:
    from bmx_console.core.pin import is_pin_hash

    if pin_hash and not is_pin_hash(pin_hash):
        raise ValueError("only a PIN hash from hash_pin() may be saved, never a PIN")


def read_kiosk_pin_hash(path: Path) -> str:
    """The hash in ``path``, or "" when there is none (or the file holds something else)."""
    from bmx_console.core.pin import is_pin_hash

    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as exc:
        log.error("The kiosk PIN file %s cannot be read (%s).", path, type(exc).__name__)
        return ""
    return text if is_pin_hash(text) else ""


def write_kiosk_pin_hash(pin_hash: str, path: Path) -> Path:
    """Write the hash to ``path`` (mode 600, its folder 700), or remove the file for "".
    The new file replaces the old in one rename: a kiosk reading it never sees half."""
    _check_hash(pin_hash)
    if not pin_hash:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        return path
    from bmx_console.private_files import write_private

    try:
        write_private(path, pin_hash + "\n", encoding="ascii")
    except OSError as exc:
        raise ConfigError(
            f"Cannot write the kiosk PIN file {path}: {exc.strerror or type(exc).__name__}. "
            "Nothing was changed."
        ) from None
    return path


def retire_config_pin_hash(config_file: Path) -> bool:
    """Drop ``[kiosk] pin_hash`` from ``config_file`` (keeping everything else as the file
    has it); True when there was one. The sentence goes to the log and to stderr."""
    import sys

    if not config_file.exists():
        return False
    settings = config.load_settings(config_file, env={})
    if not settings.kiosk.pin_hash:
        return False
    # The settings writer never writes pin_hash: saving the same settings drops it.
    config.save_settings(settings, config_file)
    log.warning(LEGACY_PIN_REMOVED)
    print(LEGACY_PIN_REMOVED, file=sys.stderr)
    return True


def save_kiosk_pin_hash(pin_hash: str, paths: Paths | None = None) -> Path:
    """The command line's way: store the hash in the user's PIN file ("" removes it), and
    drop any old copy from config.toml."""
    paths = paths or user_paths()
    written = write_kiosk_pin_hash(pin_hash, paths.kiosk_pin)
    retire_config_pin_hash(paths.config_file)
    return written
