"""The desk: settings, secrets, the connection, the store, the pollers, the release service,
the audit log and the window (or the kiosk), started in that order and shut down in reverse
(pollers, background work, the client, the audit log) within 2 s.

Everything runs on one thread: Qt's event loop drives asyncio through qasync. Only this module
knows the concrete classes; the widgets get callables and the store. ``bmx_console.app`` starts
the application and imports this module once the window is on screen.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import httpx
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from bmx_console.audit_wiring import DeskAudit
from bmx_console.clock import Clock, Sleep
from bmx_console.config import Settings
from bmx_console.connect import Connection, demo_cloud
from bmx_console.core.collection import exempt_from_collection, exempt_once_loaded
from bmx_console.core.release import default_operator
from bmx_console.core.store import Store
from bmx_console.errors import EXIT_AUTH, EXIT_TRANSIENT, EXIT_USAGE, BmxError, ConfigError
from bmx_console.paths import Paths, user_paths
from bmx_console.secrets import SecretStore
from bmx_console.services import Services
from bmx_console.ui import qt_async
from bmx_console.ui.confirm import ReleaseGate, attach_release_gate
from bmx_console.ui.desk_frame import new_window, window_settings
from bmx_console.ui.error_hooks import install_error_hooks
from bmx_console.ui.icons import app_icon
from bmx_console.ui.main_window import DeskDialogs, MainWindow
from bmx_console.ui.plain_text import install_plain_text_guard
from bmx_console.ui.shift_dialog import OperatorPrompt
from bmx_console.ui.theme import ThemeManager
from bmx_console.ui.time_text import set_time_display
from bmx_console.ui.tray import DeskTray

if TYPE_CHECKING:
    from bmx_console.sim.cloud import Cloud
    from bmx_console.ui.calls import CallBanner
    from bmx_console.ui.event_pane import EventPane
    from bmx_console.ui.single_instance import SingleInstance

log = logging.getLogger(__name__)

SMOKE_TIMEOUT_S = 20.0
QUIT_BUDGET_S = 2.0
EXIT_FAILED = 1

Outcome = Literal["quit", "restart"]


class Desk:
    """One running console: built from settings, started, and closed again.

    Its Qt-free parts (connection, store, pollers, release service, audit log, passes) come
    from ``bmx_console.services``, the same builder the command line uses. Tests build one
    against the simulator (``cloud=`` in-process, or settings pointing at a loopback
    ``SimServer``), with a FakeClock and a compressed ``sleep`` (the pollers' waits and the
    client's retry waits) if they like.

    ``window`` is a desk window frame already on screen (the application paints it before
    loading the network stack): the desk builds into it instead of making its own.
    """

    def __init__(
        self,
        settings: Settings,
        secrets: SecretStore,
        *,
        cloud: Cloud | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
        qsettings: QSettings | None = None,
        theme: ThemeManager | None = None,
        paths: Paths | None = None,
        audit_path: Path | None = None,
        cursor_path: Path | None = None,
        save_settings: Callable[[Settings], object] | None = None,
        kiosk: bool = False,
        ask_operator: bool = False,
        operator_name: str | None = None,
        window: MainWindow | None = None,
    ) -> None:
        # Who is on the desk this session (asked at shift start): it outranks the settings.
        self.operator_name = operator_name
        self._kiosk_mode = kiosk
        self.services = Services(
            settings,
            secrets,
            cloud=cloud,
            paths=paths,
            transport=transport,
            clock=clock,
            sleep=sleep,
            operator=self.operator,
            audit_path=audit_path,
            cursor_path=cursor_path,
        )
        self.clock: Clock = self.services.clock
        set_time_display(settings.time_display)
        # Cloud and resident names are data: every label plain text, every tooltip escaped.
        app = QApplication.instance()
        if isinstance(app, QApplication):
            install_plain_text_guard(app)
        self.secrets = secrets
        self._ask_operator = ask_operator
        self.release_gate: ReleaseGate | None = None
        self.tray: DeskTray | None = None
        self.operator_prompt: OperatorPrompt | None = None
        self._save_settings = save_settings or self.services.save_settings
        self.connection: Connection = self.services.connection
        self.demo = self.services.demo
        self.store = self.services.store
        self.pollers = self.services.pollers
        # The log anchored in the keyring, the operator actions, the syslog copy.
        self.audit_wiring = DeskAudit(self.services)
        self.audit = self.services.audit
        self.actions = self.services.actions
        self.releases = self.services.releases
        self.passes = self.services.passes
        self._outcome: asyncio.Future[Outcome] | None = None
        self._closed = False
        self.window: MainWindow | None = None
        self.kiosk_window: QWidget | None = None
        # An older console's PIN hash sits in config.toml, readable by other users: gone.
        self.services.retire_config_pin_hash()
        if kiosk:
            self.kiosk_window = self._build_kiosk()
        else:
            if window is None:
                window = new_window(
                    qsettings=qsettings or window_settings(self.services.paths.window_state),
                    theme=theme,
                    demo=self.demo,
                    log_folder=self.services.paths.log_dir,
                )
            self.window = self._build_into(window)
        self.connection.tokens.add_listener(self._token_state)

    @property
    def settings(self) -> Settings:
        """The settings in force (for the demo: pointed at the simulator)."""
        return self.connection.settings

    @property
    def user_settings(self) -> Settings:
        """What the operator configured; only these are ever written back."""
        return self.services.settings

    @user_settings.setter
    def user_settings(self, settings: Settings) -> None:
        self.services.settings = settings

    def operator(self) -> str:
        if self._kiosk_mode:  # the kiosk's releases carry its name, not the desktop account's
            return self.user_settings.kiosk.name or "Lobby kiosk"
        return self.operator_name or self.user_settings.operator or default_operator()

    # -- building the windows --------------------------------------------------------------

    def _build_into(self, window: MainWindow) -> MainWindow:
        fetch_image = self.connection.client.fetch_image
        event_pane = _event_pane(self.store, fetch_image, self.clock)
        event_pane.set_history(lambda: self._history_window(event_pane))
        # Every desk release (buttons, keys, hotkeys, the call banner) asks first where the
        # operator wants it to.
        self.release_gate = gate = ReleaseGate(
            self.releases.release,
            self.store,
            sensitive=self.settings.sensitive_doors,
            confirm=self.settings.confirm_doors,
        )
        call_banner = _call_banner(
            self.store,
            fetch_image,
            self.audit_wiring.release_from_call(self.store, gate.release),
            self.settings,
            self.clock,
        )
        self.audit_wiring.watch_calls(call_banner)
        call_banner.set_answerer(self.services.call_notifier)
        self._call_attention(window, call_banner)
        window.build(
            self.store,
            clock=self.clock,
            release=gate.release,
            tick=self.releases.tick,
            token_expiry=lambda: self.connection.tokens.expires_at,
            event_pane=event_pane,
            call_banner=call_banner,
            dialogs=self._dialogs(),
        )
        door_list = window.door_list
        door_list.pins_changed.connect(self._save_pins)
        # A door of a building with no front-desk tenant cannot be released: its row says why.
        door_list.set_releasability(self.releases.why_not_releasable)
        if self.settings.hotkeys and not self.demo:
            # The property's door ids; the simulator's doors get a binding of their own.
            door_list.set_hotkeys(dict(self.settings.hotkeys))
        door_list.hotkeys_changed.connect(self._save_hotkeys)
        self._attach_desk_parts(window, gate)
        self.audit_wiring.show_forwarding(window)
        window.add_lazy_tab(self._passes_tab, window.tr("Passes"), "key")
        self._add_residents(window)
        window.closed.connect(lambda: self._finish("quit"))
        call_banner.wants_attention.connect(self._raise_window)
        return window

    def _attach_desk_parts(self, window: MainWindow, gate: ReleaseGate) -> None:
        """Confirmation on the door list, the Audit tab, the tray and the operator prompt."""
        attach_release_gate(gate, window.door_list, window)
        gate.flags_changed.connect(self._save_guards)
        # The tab's "today" is by the clock the audit log writes with (the system's).
        window.add_lazy_tab(self._audit_tab, window.tr("Audit"), "check_circle")
        self.tray = DeskTray(
            self.store,
            window,
            clock=self.clock,
            notify_calls=self.settings.notify_calls,
            notify_connection=self.settings.notify_connection,
        )
        self.tray.add_view_toggles(window.menu("view"))
        self.tray.preferences_changed.connect(self._save_notifications)
        self.operator_prompt = OperatorPrompt(
            window,
            current=self.operator,
            chosen=self._operator_chosen,
            menu=window.menu("file"),
            before=window.quit_action,
        )

    def _audit_tab(self) -> QWidget:
        from bmx_console.ui.audit_tab import AuditTab

        check = lambda: self.audit_wiring.check_cloud(self.connection.client, self.settings)  # noqa: E731
        return AuditTab(self.audit, check_cloud=check, operator=self.operator)

    def _passes_tab(self) -> QWidget:
        from bmx_console.ui.passes_tab import PassesTab

        return PassesTab(self.passes, clock=self.clock)

    def _call_attention(self, window: MainWindow, banner: CallBanner) -> None:
        """The ringing count in the title and the taskbar alert (the banner's own keys are
        listed by Help → Keyboard shortcuts, which reads them from the window)."""
        from bmx_console.ui.call_attention import WindowAttention

        attention = WindowAttention(window)
        banner.ringing_changed.connect(attention.ringing)

    def _history_window(self, pane: QWidget) -> QWidget:
        from bmx_console.ui.event_history import EventHistory

        return EventHistory(
            self.store,
            self.connection.client,
            fetch_image=self.connection.client.fetch_image,
            clock=self.clock,
            parent=pane,
        )

    def _add_residents(self, window: MainWindow) -> None:
        """The Residents tab (made when first opened), and View → Residents (Ctrl+R)."""
        from PySide6.QtGui import QKeySequence

        title = window.tr("Residents")
        window.add_lazy_tab(self._residents_tab, title, "person")
        action = window.menu("view").addAction(window.tr("Show the residents"))
        action.setShortcut(QKeySequence("Ctrl+R"))
        action.triggered.connect(lambda _checked=False: window.open_tab(title))

    def _residents_tab(self) -> QWidget:
        from bmx_console.api.models import Tenant
        from bmx_console.ui.residents import ResidentsView, open_guest_pass

        view = ResidentsView(self.store, clock=self.clock)

        def guest_pass(tenant: Tenant) -> None:
            qt_async.spawn(
                open_guest_pass(self.passes, tenant, clock=self.clock, parent=view),
                name="Opening the visitor pass form",
            )

        view.set_new_pass(guest_pass)
        return view

    def _operator_chosen(self, name: str) -> None:
        self.actions.operator_changed(self.operator(), name)
        self.operator_name = name

    def _build_kiosk(self) -> QWidget:
        from bmx_console.ui.kiosk import KioskWindow

        kiosk = KioskWindow(
            self.store,
            self.releases,
            self.settings.kiosk,
            clock=self.clock,
            demo=self.demo,
            can_open_settings=True,
            pin_hash=self.services.kiosk_pin_hash,
            config_path=str(self.services.paths.config_file),
        )
        kiosk.exited.connect(self.actions.kiosk_exit)
        kiosk.exited.connect(lambda: self._finish("quit"))
        kiosk.settings_requested.connect(self._open_kiosk_settings)
        return kiosk

    def _open_kiosk_settings(self) -> None:
        factory = self._dialogs().settings
        if factory is not None and self.kiosk_window is not None:
            factory(self.kiosk_window).open()

    def _buildings_in_scope(self) -> list[tuple[int, str]]:
        """The buildings the desk's roster holds, by name, for the release-tenant choice."""
        buildings = sorted(self.store.buildings.values(), key=lambda b: b.name.casefold())
        return [(b.id, b.name) for b in buildings]

    def _dialogs(self) -> DeskDialogs:
        """Factories for the menus' dialogs. Each dialog's module is imported when it is first
        opened (most sessions open none: start-up time and memory)."""

        def settings_factory(parent: QWidget) -> QDialog:
            from bmx_console.ui.settings_dialog import SettingsDialog

            dialog = SettingsDialog(
                self.user_settings,
                self.services.settings_access(),
                buildings=self._buildings_in_scope,
                parent=parent,
            )
            dialog.saved.connect(self._settings_saved)
            return dialog

        def sign_in_factory(parent: QWidget) -> QDialog:
            from bmx_console.ui.sign_in_dialog import SignInDialog

            dialog = SignInDialog(self.connection.tokens, parent=parent)
            dialog.signed_in.connect(self.signed_in)
            return dialog

        def commands_factory(parent: QWidget) -> QDialog:
            from bmx_console.probes import commands_for
            from bmx_console.ui.commands_dialog import CommandsDialog

            commands = commands_for(self.connection, self.store, clock=self.clock)
            return CommandsDialog(commands, parent=parent)

        return DeskDialogs(
            settings=settings_factory, sign_in=sign_in_factory, commands=commands_factory
        )

    # -- running ---------------------------------------------------------------------------

    def start(self) -> None:
        self.audit_wiring.start(self.connection.client, self.settings, self.clock)
        self.pollers.start()
        if self.window is not None:
            self.window.show()
            if self.connection.tokens.state == "signed_out":
                self.window.show_signed_out()
            elif self._ask_operator and not self.settings.operator and self.operator_prompt:
                # Closing the question keeps the prefilled name for the rest of the session.
                self.operator_name = self.operator()
                self.operator_prompt.ask()
        elif self.kiosk_window is not None:
            show = getattr(self.kiosk_window, "show_pinned", self.kiosk_window.show)
            show()

    async def wait(self) -> Outcome:
        """Until the window closes ("quit") or new settings need a new connection
        ("restart")."""
        if self._outcome is None:
            self._outcome = asyncio.get_running_loop().create_future()
        return await self._outcome

    def _finish(self, outcome: Outcome) -> None:
        if self._outcome is None:
            self._outcome = asyncio.get_event_loop().create_future()
        if not self._outcome.done():
            self._outcome.set_result(outcome)

    def signed_in(self) -> None:
        """After a sign-in: leave the pause at once instead of at the next interval."""
        self.actions.signed_in()
        self.pollers.resume()
        self.pollers.poll_now()
        if self.window is not None:
            self.window.hide_signed_out()

    def _token_state(self, state: str) -> None:
        if state == "signed_out":
            self.actions.signed_out()
        if state == "signed_out" and self.window is not None:
            self.window.show_signed_out()
        elif state == "signed_in":
            # However the sign-in happened (the dialog, new settings), paused pollers go on.
            self.pollers.resume()

    def _settings_saved(self, new: Settings) -> None:
        self.actions.settings_changed(self.user_settings, new)
        self.user_settings = new
        self._finish("restart")

    def _save_pins(self, pinned: frozenset[int]) -> None:
        if self.demo:
            # Simulator door ids mean nothing to the real property: pins last the session.
            return
        self._save_changes("Saving the pinned doors", pinned_doors=sorted(pinned))

    def _save_hotkeys(self, door_by_key: dict[int, int]) -> None:
        if self.demo:
            # As with pins: simulator door ids mean nothing to the real property.
            return
        self._save_changes("Saving the door hotkeys", hotkeys=sorted(door_by_key.items()))

    def _save_guards(self, sensitive: frozenset[int], confirm: frozenset[int]) -> None:
        if self.demo:
            # As with pins: simulator door ids mean nothing to the real property.
            return
        self._save_changes(
            "Saving the doors that ask before releasing",
            sensitive_doors=sorted(sensitive),
            confirm_doors=sorted(confirm),
        )

    def _save_notifications(self, calls: bool, connection: bool) -> None:
        self._save_changes(
            "Saving the notification choices", notify_calls=calls, notify_connection=connection
        )

    def _save_changes(self, context: str, **changes: Any) -> None:
        self.user_settings = self.user_settings.with_changes(**changes)
        try:
            self._save_settings(self.user_settings)
        except (OSError, ConfigError) as exc:
            qt_async.report_error(exc, context)

    def _raise_window(self, *_: Any) -> None:
        if self.window is not None and self.settings.call_raise_window:
            from bmx_console.ui.single_instance import bring_to_front

            bring_to_front(self.window)

    # -- smoke test ------------------------------------------------------------------------

    async def smoke_test(self, path: Path, timeout_s: float = SMOKE_TIMEOUT_S) -> int:
        """Wait for the first doors and events, save a screenshot; 0 when both happened."""
        try:
            await asyncio.wait_for(self.pollers.ready(), timeout_s)
        except TimeoutError:
            code, reason = self.failure()
            print(
                f"bmx-console: smoke test failed: no doors and events within {timeout_s:.0f} s"
                f" — {reason}",
                file=sys.stderr,
            )
            return code
        except BmxError as exc:
            print(f"bmx-console: smoke test failed: {exc}", file=sys.stderr)
            return exc.exit_code
        target = self.window or self.kiosk_window
        if target is None:
            return EXIT_FAILED
        await self.settle()
        if not target.grab().save(str(path)):
            print(f"bmx-console: smoke test failed: cannot write {path}", file=sys.stderr)
            return EXIT_FAILED
        print(
            f"smoke test passed: {self.store.door_count()} doors, "
            f"{self.store.event_count()} events; screenshot saved to {path}"
        )
        return 0

    async def settle(self) -> None:
        """Let coalesced view updates land (before a screenshot)."""
        if self.window is not None:
            self.window.door_list.model.flush_now()
            flush = getattr(getattr(self.window.event_pane, "model", None), "flush", None)
            if callable(flush):
                flush()
        # Waiting hands the turn back to Qt, which paints meanwhile. Running Qt's queue from
        # here (processEvents) would also run the loop's ready callbacks inside this task's
        # step: asyncio refuses to step another task there, and that task never runs again.
        for _ in range(3):
            await asyncio.sleep(0.05)

    def failure(self) -> tuple[int, str]:
        """The exit code and sentence of why the pollers are not getting through."""
        failing = [h for h in self.store.healths() if h.last_error]
        if not failing:
            return EXIT_FAILED, "the cloud did not answer"
        worst = failing[0]
        kinds = {h.error_kind for h in failing}
        code = (
            EXIT_AUTH
            if "auth" in kinds
            else EXIT_TRANSIENT
            if kinds & {"network", "rate_limited", "server"}
            else EXIT_FAILED
        )
        return code, worst.last_error or ""

    # -- shutting down ---------------------------------------------------------------------

    async def aclose(self) -> None:
        """Stop everything within ``QUIT_BUDGET_S``: pollers, background work, the client;
        the audit log is closed whatever happens."""
        if self._closed:
            return
        self._closed = True
        try:
            await asyncio.wait_for(self._stop(), QUIT_BUDGET_S - 0.1)
        except TimeoutError:
            log.warning("Shutting down took longer than %.1f s; closing anyway.", QUIT_BUDGET_S)
        finally:
            self.audit_wiring.close()
            self.services.close_audit()
            if self.tray is not None:
                self.tray.hide_icon()
            for widget in (self.window, self.kiosk_window):
                if widget is not None:
                    widget.hide()
                    widget.deleteLater()

    async def _stop(self) -> None:
        await self.pollers.stop(grace_s=0.8)
        # A release in flight gets a moment to finish and be recorded before it is cancelled.
        running = qt_async.running_tasks()
        if running:
            await asyncio.wait(running, timeout=0.5)
        await qt_async.cancel_all(timeout_s=0.3)
        await self.services.aclose_connection()


def _event_pane(store: Store, fetch_image: Callable[[str], Any], clock: Clock) -> EventPane:
    from bmx_console.ui.event_pane import EventPane

    return EventPane(store, fetch_image=fetch_image, clock=clock)


def _call_banner(
    store: Store,
    fetch_image: Callable[[str], Any],
    release: Callable[[int], Any],
    settings: Settings,
    clock: Clock,
) -> CallBanner:
    from bmx_console.ui.calls import CallBanner

    banner = CallBanner(
        store,
        fetch_image=fetch_image,
        release=release,
        desk_tenant_id=settings.release_tenant_id,
        # Each building's front desk: a call to any of them is a call for this desk.
        desk_tenant_ids={tenant for _building, tenant in settings.release_tenants},
        clock=clock,
    )
    banner.set_alerts(raise_window=settings.call_raise_window, sound=settings.call_sound)
    if settings.call_sound:
        from bmx_console.ringtone import Ringer

        ringer = Ringer(volume=settings.call_volume, on_problem=banner.sound_problem.emit)
        banner.set_ringer(ringer)
        banner.destroyed.connect(lambda *_: ringer.close())
    return banner


# --- the console's life -------------------------------------------------------------


async def run_console(
    app: QApplication,
    args: argparse.Namespace,
    settings: Settings,
    secrets: SecretStore,
    theme: ThemeManager | None,
    *,
    paths: Paths | None = None,
    instance: SingleInstance | None = None,
    early: MainWindow | None = None,
) -> int:
    """The console's life: first-run wizard if needed, then desks until the window closes
    (a settings change builds a new desk in place of the old one).

    ``instance`` is the single-instance lock when the caller already holds it; without one
    (and outside a smoke test) this takes it. ``early`` is the desk window the application
    painted before loading this module: the first desk is built into it."""
    from bmx_console.ui.single_instance import SingleInstance, bring_to_front

    paths = paths or user_paths()
    smoke = getattr(args, "smoke_test", None)
    demo = bool(args.demo)
    owned = instance is None and not smoke
    if owned:
        instance = SingleInstance(paths.data_dir)
        if not instance.acquire():
            print("bmx-console is already running; it has been brought to the front.")
            return 0
    windows: list[QWidget] = [early] if early is not None else []
    if instance is not None:

        def activated() -> None:
            for window in windows:
                bring_to_front(window)

        instance.activated.connect(activated)
    undo_hooks = install_error_hooks(windows)
    # The operator named at the start of the shift, kept when new settings rebuild the desk.
    operator_name: str | None = None
    try:
        if not demo and not settings.client_id and not smoke:
            try:
                chosen = await _first_run(Services(settings, secrets, paths=paths))
            except BmxError as exc:
                return await fatal(exc, args)
            if chosen is None:
                return 0
            demo, settings, session_secret = chosen
            if session_secret:
                # No usable keyring: this session runs on the secret the wizard just
                # verified, kept in memory; the next start asks again (the wizard said so).
                secrets = secrets.with_session_secret(session_secret)
        while True:
            window, early = early, None
            if window is not None and not window.isVisible():
                # Closed by the operator while the console was still starting.
                return 0
            try:
                desk = Desk(
                    settings,
                    secrets,
                    cloud=demo_cloud() if demo else None,
                    paths=paths,
                    theme=theme,
                    kiosk=bool(getattr(args, "kiosk", False)),
                    ask_operator=not smoke and operator_name is None,
                    operator_name=operator_name,
                    window=window,
                )
            except BmxError as exc:
                if window is not None:
                    window.hide()
                    window.deleteLater()
                return await fatal(exc, args)
            windows[:] = [w for w in (desk.window, desk.kiosk_window) if w is not None]
            desk.start()
            # Twice: now, so that collections during the first load walk only what it makes,
            # and again once the first roster and events are in, to exempt those too.
            exempt_from_collection()
            freezing = asyncio.ensure_future(exempt_once_loaded(desk.pollers))
            if smoke:
                try:
                    return await desk.smoke_test(Path(smoke))
                finally:
                    freezing.cancel()
                    await desk.aclose()
            outcome = await desk.wait()
            freezing.cancel()
            settings = desk.user_settings
            operator_name = desk.operator_name
            await desk.aclose()
            if outcome == "quit":
                return 0
            # New settings: a real connection from now on, unless still unconfigured.
            demo = demo and not settings.client_id
    finally:
        undo_hooks()
        if owned and instance is not None:
            instance.release()


async def _first_run(services: Services) -> tuple[bool, Settings, str | None] | None:
    """The wizard: (demo?, settings, a secret to use this session only) once chosen, or
    None if the operator closed it."""
    from bmx_console.config import load_settings
    from bmx_console.ui.wizard import FirstRunWizard

    wizard = FirstRunWizard(services.settings_access())
    wizard.setWindowIcon(app_icon())
    result: asyncio.Future[tuple[bool, Settings, str | None] | None] = (
        asyncio.get_running_loop().create_future()
    )

    def done(value: tuple[bool, Settings, str | None] | None) -> None:
        if not result.done():
            result.set_result(value)

    wizard.demo_chosen.connect(
        lambda: done((True, load_settings(services.paths.config_file), None))
    )
    wizard.completed.connect(lambda s: done((False, s, wizard.session_secret)))
    wizard.rejected.connect(lambda: done(None))
    wizard.show()
    try:
        return await result
    finally:
        wizard.hide()
        wizard.deleteLater()


async def fatal(exc: BmxError, args: argparse.Namespace) -> int:
    """A problem that stops the console before its window: said on stderr and, for an
    operator who started it from a menu, in a message box."""
    print(f"bmx-console: {exc}", file=sys.stderr)
    if not getattr(args, "smoke_test", None) and QApplication.platformName() != "offscreen":
        box = QMessageBox(QMessageBox.Icon.Critical, "bmx-console", str(exc))
        box.setWindowIcon(app_icon())
        closed: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        def finished(result: int) -> None:
            if not closed.done():
                closed.set_result(result)

        box.finished.connect(finished)
        # open(), not exec(): a nested event loop inside a coroutine re-enters asyncio.
        box.open()
        await closed
    return exc.exit_code or EXIT_USAGE
