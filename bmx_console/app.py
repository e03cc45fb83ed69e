"""Starting the application: Qt, the window's frame on screen, then the console behind it.

An operator who starts the console should see its window at once. So ``run_app`` loads only
Qt, the settings and the window's own modules, and paints the desk window's frame (menus, the
door list waiting for its doors, the status bar) before anything else is even imported:
asyncio, qasync, httpx, the keyring, the simulator, SQLite and the rest of the window come
after, with the frame on screen, and ``bmx_console.desk`` then builds the console into it. It
is a splash screen that is the real window. The kiosk and the first-run wizard have no frame
to show early and start the usual way.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from bmx_console.config import Settings, settings_from_args
from bmx_console.errors import BmxError
from bmx_console.paths import Paths, user_paths
from bmx_console.ui import desk_frame
from bmx_console.ui.main_window import MainWindow
from bmx_console.ui.plain_text import install_plain_text_guard
from bmx_console.ui.theme import ThemeManager

if TYPE_CHECKING:
    from bmx_console.ui.single_instance import SingleInstance


def run_app(args: argparse.Namespace) -> int:
    """Start the desk (or the kiosk) and run until it is closed; returns the exit code."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("bmx-console")
    app.setOrganizationName("bmx-console")
    app.setApplicationDisplayName("bmx-console")
    app.setQuitOnLastWindowClosed(False)
    theme = ThemeManager(app)
    # Before any window: the wizard and a fatal error's message box show cloud text too.
    install_plain_text_guard(app)
    paths = user_paths()

    instance: SingleInstance | None = None
    if not getattr(args, "smoke_test", None):
        from bmx_console.ui.single_instance import SingleInstance

        instance = SingleInstance(paths.data_dir)
        if not instance.acquire(listen=False):
            print("bmx-console is already running; it has been brought to the front.")
            return 0
    try:
        return _run_console(app, args, theme, paths, instance)
    finally:
        if instance is not None:
            instance.release()


def _run_console(
    app: QApplication,
    args: argparse.Namespace,
    theme: ThemeManager,
    paths: Paths,
    instance: SingleInstance | None,
) -> int:
    settings: Settings | None = None
    problem: BmxError | None = None
    try:
        settings = settings_from_args(args)
    except BmxError as exc:
        problem = exc
    # Before the first window, so that every word of it is in the guard's language.
    from bmx_console.ui.translations import install_translations

    install_translations(app, settings.language if settings is not None else "")
    early: MainWindow | None = None
    if settings is not None and not args.kiosk and (args.demo or settings.client_id):
        early = show_frame(demo=bool(args.demo), theme=theme, paths=paths)

    # Everything from here on loads with the window already on screen, the log file first
    # (nothing before the frame logs; a second launch's warnings go to its terminal).
    from bmx_console.logs import setup_logging
    from bmx_console.ui.icons import app_icon

    setup_logging(paths.log_dir)
    app.setWindowIcon(app_icon())
    if instance is not None:
        instance.listen()
    import asyncio

    from bmx_console.desk import fatal, run_console
    from bmx_console.secrets import SecretStore
    from bmx_console.ui.event_loop import DeskEventLoop

    async def main() -> int:
        if settings is None:
            assert problem is not None
            return await fatal(problem, args)
        return await run_console(
            app, args, settings, SecretStore(), theme, paths=paths, instance=instance, early=early
        )

    if sys.version_info >= (3, 12):
        return asyncio.run(main(), loop_factory=lambda: DeskEventLoop(app))
    loop = DeskEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        return loop.run_until_complete(main())
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
        asyncio.set_event_loop(None)


def show_frame(*, demo: bool, theme: ThemeManager | None, paths: Paths) -> MainWindow:
    """Show the desk window's frame and wait until its first frame is on screen."""
    window = desk_frame.new_window(
        qsettings=desk_frame.window_settings(paths.window_state),
        theme=theme,
        demo=demo,
        log_folder=paths.log_dir,
    )
    return desk_frame.show_frame(window)
