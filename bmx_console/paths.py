"""Where the console keeps its files: one platformdirs call, one place.

Every file the console writes (settings, window state, the audit log, the event cursor, pass
records, the kiosk PIN's hash, logs) has its location here, so the desk and the command line
can never disagree about where something lives. On Windows platformdirs puts configuration
and data under the same profile folder only when both are asked with the same arguments;
asking in one place is what keeps them together.

The demo has its own rules, decided here too: its releases go to ``demo-audit.sqlite3`` (never
the real operator audit log), and it keeps no event cursor and no pass records on disk (the
simulator's ids mean nothing to the real property).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

APP_NAME = "bmx-console"


@dataclass(frozen=True, slots=True)
class Paths:
    """The console's folders; the file names below them are fixed."""

    config_dir: Path
    data_dir: Path
    log_dir: Path

    @classmethod
    def for_user(cls) -> Paths:
        """The current OS user's folders (``~/.config/bmx-console`` and friends on Linux)."""
        import platformdirs

        dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
        return cls(
            config_dir=Path(dirs.user_config_dir),
            data_dir=Path(dirs.user_data_dir),
            log_dir=Path(dirs.user_log_dir),
        )

    @classmethod
    def under(cls, root: Path) -> Paths:
        """Everything below one folder (tests, portable installs)."""
        return cls(config_dir=root / "config", data_dir=root / "data", log_dir=root / "log")

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def window_state(self) -> Path:
        """Window geometry, splitter, filters and theme (Qt's INI format)."""
        return self.config_dir / "desk.ini"

    def audit(self, *, demo: bool) -> Path:
        name = "demo-audit.sqlite3" if demo else "audit.sqlite3"
        return self.data_dir / name

    def cursor(self, *, demo: bool) -> Path | None:
        """How far the events poll got; the demo starts from the simulator's history."""
        return None if demo else self.data_dir / "cursor.json"

    @property
    def kiosk_pin(self) -> Path:
        """The kiosk staff PIN's hash: a file of its own (mode 600 in a 700 folder), never
        config.toml, which other local users may read. The demo keeps its PIN in memory."""
        return self.data_dir / "kiosk-pin"

    def passes(self, *, demo: bool) -> Path | None:
        """Contact notes of the desk's passes; demo notes last the session."""
        return None if demo else self.data_dir / "passes.json"


def user_paths() -> Paths:
    """The current user's folders, read from the environment each time (it is cheap, and
    tests move the folders with ``XDG_*`` variables)."""
    return Paths.for_user()
