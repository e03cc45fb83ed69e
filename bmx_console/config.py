"""Settings: a TOML file in the OS config folder, with the GEM driver's names.

Integrators already know ``client_id``, ``api_base``, ``status_interval``… from the GEM
ButterflyMX driver, so the console uses the same names, units (milliseconds) and rules. Secrets
are not settings: the client secret and refresh token live in the OS keyring (see
``secrets.py``); a ``client_secret`` found in the file is refused rather than read.
"""

from __future__ import annotations

import os
import re
import reprlib
import stat
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bmx_console.errors import ConfigError
from bmx_console.paths import user_paths

if TYPE_CHECKING:
    import argparse

DEFAULT_API_BASE = "https://api.butterflymx.com"
DEFAULT_TOKEN_URL = "https://accounts.butterflymx.com/oauth/token"


def config_path() -> Path:
    """The current user's settings file (``bmx_console.paths`` has every location)."""
    return user_paths().config_file


# A settings file is a few hundred bytes; anything this large is not one.
MAX_SETTINGS_BYTES = 1024 * 1024
# Ids and numbers as a person types them: ASCII digits only. str.isdigit() also takes
# "１２３" and "١٢٣", which int() reads as 123: an id nobody meant.
_DIGITS = re.compile(r"[0-9]+")
_SIGNED = re.compile(r"-?[0-9]+")
_shown = reprlib.Repr()
_shown.maxlevel = 2
_shown.maxstring = 60
_shown.maxother = 60
_shown.maxlist = _shown.maxtuple = _shown.maxdict = 5


def shown(value: Any) -> str:
    """``value`` for an error sentence: short, one line, control characters escaped."""
    return _shown.repr(value)


def parse_id(text: str) -> int | None:
    """A positive id written in ASCII digits, or None."""
    text = text.strip()
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if value > 0 else None


@dataclass(frozen=True, slots=True)
class KioskSettings:
    """The lobby kiosk profile: which doors, how a release is guarded, how it is pinned."""

    doors: tuple[int, ...] = ()
    # A public screen opens doors only on a deliberate press; 0 (written out) means a tap.
    hold_ms: int = 600
    idle_timeout_s: int = 60
    screen: str = ""
    show_events: bool = False
    # Read only so that an older console's hash can be dropped from the file (it is never
    # used, and never written back): the PIN's hash now lives in its own private file.
    pin_hash: str = ""
    # Who the audit log names for the kiosk's releases ("Lobby kiosk, front lobby PC").
    name: str = ""


@dataclass(frozen=True, slots=True)
class Settings:
    client_id: str = ""
    api_base: str = DEFAULT_API_BASE
    token_url: str = DEFAULT_TOKEN_URL
    building_id: int | None = None
    release_tenant_id: int | None = None
    # [release_tenants]: building id -> that building's front-desk tenant, as (building,
    # tenant) pairs sorted by building. It wins over release_tenant_id for its building.
    release_tenants: tuple[tuple[int, int], ...] = ()
    status_interval: int = 60_000
    events_interval: int = 30_000
    calls_interval: int = 10_000
    request_timeout: int = 15_000
    released_state_ms: int = 5_000
    pass_max_hours: int = 24
    visitor_pass_hours: int = 4
    delivery_pass_hours: int = 2
    operator: str = ""
    pinned_doors: tuple[int, ...] = ()
    sensitive_doors: tuple[int, ...] = ()
    confirm_doors: tuple[int, ...] = ()
    # [hotkeys]: "F1" = door id, as (key number, door id) pairs sorted by key. A key belongs
    # to its door, not to a row position: searching or sorting the list never moves it.
    hotkeys: tuple[tuple[int, int], ...] = ()
    call_sound: bool = True
    call_volume: int = 80
    call_raise_window: bool = True
    notify_calls: bool = True
    notify_connection: bool = True
    # Forward each audit entry to syslog: "udp://HOST:514" or "tcp://HOST:601"; "" is off.
    audit_syslog: str = ""
    # "desk": every time on the desk's clock, a building's own added where it differs;
    # "building": each time in its building's zone, named.
    time_display: str = "desk"
    # "" follows the operating system's locale; else a language code such as "es".
    language: str = ""
    kiosk: KioskSettings = field(default_factory=KioskSettings)

    def release_tenant_for(self, building_id: int | None) -> int | None:
        """The tenant a door of ``building_id`` is released as, or None when that building
        has none (its doors cannot be released from this desk)."""
        if building_id is not None:
            for building, tenant in self.release_tenants:
                if building == building_id:
                    return tenant
        return self.release_tenant_id

    def with_changes(self, **changes: Any) -> Settings:
        """A copy with ``changes`` applied, each checked by the same rules as the file."""
        merged = {**to_toml_dict(self), **{k: v for k, v in changes.items() if k != "kiosk"}}
        if "kiosk" in changes:
            kiosk = changes["kiosk"]
            merged["kiosk"] = asdict(kiosk) if isinstance(kiosk, KioskSettings) else kiosk
        return parse_settings(merged)


# --- validation -------------------------------------------------------------------------


def _integer(
    name: str,
    value: Any,
    *,
    minimum: int | None = None,
    zero_ok: bool = False,
    maximum: int | None = None,
    unit: str = "",
) -> int:
    rule = "an integer"
    if minimum is not None:
        rule = f"an integer of at least {minimum}{unit}"
        if zero_ok:
            rule += " (0 disables)"
    if maximum is not None:
        rule += f" and at most {maximum}{unit}"
    if isinstance(value, str) and _SIGNED.fullmatch(value.strip()):
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{name} must be {rule}: got {shown(value)}")
    if zero_ok and value == 0:
        return 0
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ConfigError(f"{name} must be {rule}: got {value}")
    return value


def _optional_id(name: str, value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and parse_id(value) is not None:
        return parse_id(value)
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    raise ConfigError(
        f"{name} must be a ButterflyMX id (a positive whole number, as `bmx-console "
        f"{'buildings' if name == 'building_id' else 'doors'}` shows it): got {shown(value)}"
    )


def _ids(name: str, value: Any) -> tuple[int, ...]:
    if value in (None, ""):
        return ()
    if isinstance(value, str):
        value = [v for v in value.replace(" ", "").split(",") if v]
    if not isinstance(value, list | tuple):
        raise ConfigError(f"{name} must be a list of door ids: got {shown(value)}")
    ids = tuple(_optional_id(name, v) for v in value)
    return tuple(i for i in ids if i is not None)


def _table_pairs(value: Any, not_a_table: str) -> list[Any]:
    """A TOML table's entries as pairs; a ``Settings`` already holds them as pairs.
    ``not_a_table`` is the error for anything else."""
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, Mapping):
        return list(value.items())
    raise ConfigError(not_a_table)


def _tenant_table(name: str, value: Any) -> tuple[tuple[int, int], ...]:
    """``[release_tenants]``: building ids (TOML keys are strings) to tenant ids."""
    if value in (None, ""):
        return ()
    pairs = _table_pairs(
        value,
        f'{name} must be a table of building id = tenant id, such as "577696272" = '
        f"377389742: got {value!r}",
    )
    table: dict[int, int] = {}
    for pair in pairs:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise ConfigError(f"{name} must map building ids to tenant ids: got {pair!r}")
        building = _optional_id(f"{name} building id", pair[0])
        tenant = _optional_id(f"{name}.{pair[0]}", pair[1])
        if building is None or tenant is None:
            raise ConfigError(f"{name} must map building ids to tenant ids: got {pair!r}")
        table[building] = tenant
    return tuple(sorted(table.items()))


HOTKEY_COUNT = 12


def _hotkey_table(name: str, value: Any) -> tuple[tuple[int, int], ...]:
    """``[hotkeys]``: "F1" … "F12" to door ids; one key per door, one door per key."""
    if value in (None, ""):
        return ()
    pairs = _table_pairs(
        value, f'{name} must be a table of key = door id, such as "F1" = 4021: got {value!r}'
    )
    table: dict[int, int] = {}
    for pair in pairs:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise ConfigError(f"{name} must map keys F1 to F12 to door ids: got {pair!r}")
        key, door = pair
        number = _hotkey_number(key)
        if number is None:
            raise ConfigError(f"{name} keys must be F1 to F{HOTKEY_COUNT}: got {key!r}")
        door_id = _optional_id(f"{name}.F{number}", door)
        if door_id is None:
            raise ConfigError(f"{name}.F{number} must be a door id: got {door!r}")
        if number in table:
            raise ConfigError(f"{name} binds F{number} twice")
        if door_id in table.values():
            raise ConfigError(f"{name} binds door {door_id} to more than one key")
        table[number] = door_id
    return tuple(sorted(table.items()))


def _hotkey_number(key: Any) -> int | None:
    """1 for "F1" (or 1), … 12 for "F12"; None for anything else."""
    if isinstance(key, int) and not isinstance(key, bool):
        number = key
    elif isinstance(key, str) and key.strip().upper().startswith("F"):
        digits = key.strip()[1:]
        number = int(digits) if digits.isdigit() else 0
    else:
        return None
    return number if 1 <= number <= HOTKEY_COUNT else None


def _text(name: str, value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ConfigError(f"{name} must be text: got {shown(value)}")
    return value.strip()


def _flag(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise ConfigError(f"{name} must be true or false: got {shown(value)}")


def _choice(*allowed: str) -> Callable[[str, Any], str]:
    def rule(name: str, value: Any) -> str:
        text = _text(name, value)
        if text not in allowed:
            raise ConfigError(
                f"{name} must be one of "
                + ", ".join(f'"{a}"' for a in allowed)
                + f": got {value!r}"
            )
        return text

    return rule


def _language(name: str, value: Any) -> str:
    text = _text(name, value)
    if text and not text.replace("_", "").replace("-", "").isalpha():
        raise ConfigError(f'{name} must be a language code such as "es", or empty: got {value!r}')
    return text


def _url(name: str, value: Any) -> str:
    from bmx_console.api.urls import check_url

    return check_url(name, _text(name, value))


def _syslog(name: str, value: Any) -> str:
    from bmx_console.core.forward import parse_syslog_url

    text = _text(name, value)
    if text:
        parse_syslog_url(text, name)
    return text


_RULES: dict[str, Callable[[str, Any], Any]] = {
    "client_id": _text,
    "api_base": _url,
    "token_url": _url,
    "building_id": _optional_id,
    "release_tenant_id": _optional_id,
    "release_tenants": _tenant_table,
    "status_interval": lambda n, v: _integer(n, v, minimum=15_000, unit=" ms"),
    "events_interval": lambda n, v: _integer(n, v, minimum=1_000, zero_ok=True, unit=" ms"),
    "calls_interval": lambda n, v: _integer(n, v, minimum=2_000, zero_ok=True, unit=" ms"),
    "request_timeout": lambda n, v: _integer(n, v, minimum=1_000, maximum=120_000, unit=" ms"),
    "released_state_ms": lambda n, v: _integer(n, v, minimum=500, maximum=600_000, unit=" ms"),
    "pass_max_hours": lambda n, v: _integer(n, v, minimum=1, maximum=24 * 365, unit=" h"),
    "visitor_pass_hours": lambda n, v: _integer(n, v, minimum=1, maximum=24 * 365, unit=" h"),
    "delivery_pass_hours": lambda n, v: _integer(n, v, minimum=1, maximum=24 * 365, unit=" h"),
    "operator": _text,
    "pinned_doors": _ids,
    "sensitive_doors": _ids,
    "confirm_doors": _ids,
    "hotkeys": _hotkey_table,
    "call_sound": _flag,
    "call_volume": lambda n, v: _integer(n, v, minimum=0, maximum=100, unit=" %"),
    "call_raise_window": _flag,
    "notify_calls": _flag,
    "notify_connection": _flag,
    "audit_syslog": _syslog,
    "time_display": _choice("desk", "building"),
    "language": _language,
}

_KIOSK_RULES: dict[str, Callable[[str, Any], Any]] = {
    "doors": _ids,
    "hold_ms": lambda n, v: _integer(n, v, minimum=200, zero_ok=True, maximum=10_000, unit=" ms"),
    "idle_timeout_s": lambda n, v: _integer(n, v, minimum=10, maximum=3600, unit=" s"),
    "screen": _text,
    "show_events": _flag,
    "pin_hash": _text,
    "name": _text,
}

_SECRET_NAMES = ("client_secret", "refresh_token", "access_token", "pin")


def parse_settings(raw: Mapping[str, Any]) -> Settings:
    """Check every value against its rule; the error names the field and the rule."""
    kiosk_raw = raw.get("kiosk")
    if kiosk_raw is None:
        kiosk_raw = {}
    if not isinstance(kiosk_raw, Mapping):
        raise ConfigError(
            f"kiosk must be a table of kiosk settings ([kiosk]): got {shown(kiosk_raw)}"
        )
    for secret in _SECRET_NAMES:
        if secret in raw or secret in kiosk_raw:
            raise ConfigError(
                f"{secret} must not be in the settings file: secrets live in the OS keyring "
                f"(use `bmx-console` Settings, or the BMX_CLIENT_SECRET environment variable)"
            )
    unknown = set(raw) - set(_RULES) - {"kiosk"}
    if unknown:
        raise ConfigError(
            f"unknown setting {sorted(unknown)[0]!r}: known settings are "
            + ", ".join(sorted(_RULES))
        )
    values = {name: rule(name, raw[name]) for name, rule in _RULES.items() if name in raw}
    unknown = set(kiosk_raw) - set(_KIOSK_RULES)
    if unknown:
        raise ConfigError(
            f"unknown kiosk setting {sorted(unknown)[0]!r}: known are "
            + ", ".join(sorted(_KIOSK_RULES))
        )
    kiosk = KioskSettings(
        **{
            name: rule(f"kiosk.{name}", kiosk_raw[name])
            for name, rule in _KIOSK_RULES.items()
            if name in kiosk_raw
        }
    )
    if len(kiosk.doors) > 8:
        raise ConfigError(f"kiosk.doors must list 1 to 8 doors: got {len(kiosk.doors)}")
    return Settings(**values, kiosk=kiosk)


def to_toml_dict(settings: Settings) -> dict[str, Any]:
    """Only what differs from the defaults, so a file stays short and readable."""
    default = Settings()
    out: dict[str, Any] = {}
    for f in fields(Settings):
        if f.name == "kiosk":
            continue
        value = getattr(settings, f.name)
        if value == getattr(default, f.name):
            continue
        if f.name == "release_tenants":
            out[f.name] = {str(building): tenant for building, tenant in value}
        elif f.name == "hotkeys":
            out[f.name] = {f"F{number}": door for number, door in value}
        else:
            out[f.name] = list(value) if isinstance(value, tuple) else value
    kiosk = {
        k: (list(v) if isinstance(v, tuple) else v)
        for k, v in asdict(settings.kiosk).items()
        if v != getattr(default.kiosk, k) and k != "pin_hash"
    }
    if kiosk:
        out["kiosk"] = kiosk
    return out


def load_settings(path: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """The file (if any) plus the environment overrides for automation."""
    path = path or config_path()
    env = os.environ if env is None else env
    raw: dict[str, Any] = {}
    text = _read_settings_file(path)
    if text is not None:
        import tomllib  # only when there is a file: start-up time

        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"the settings file {path} is not valid TOML: {exc}") from None
        except RecursionError:
            raise ConfigError(
                f"the settings file {path} nests arrays or tables too deeply to be settings"
            ) from None
    try:
        settings = parse_settings(raw)
    except ConfigError as exc:
        raise ConfigError(f"{exc} (in {path})") from None
    if env.get("BMX_CLIENT_ID"):
        settings = replace(settings, client_id=env["BMX_CLIENT_ID"].strip())
    return settings


def _read_settings_file(path: Path) -> str | None:
    """The file's text, None when there is no file, or ConfigError for anything that is not
    a small regular text file. Checked before opening, and opened without blocking: reading
    a FIFO or a device put there by mistake would hang the console (or never end)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"cannot read the settings file {path}: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise ConfigError(
            f"the settings file {path} is not a regular file: remove it, or put the settings "
            "file in its place"
        )
    if info.st_size > MAX_SETTINGS_BYTES:
        raise ConfigError(
            f"the settings file {path} is larger than 1 MB, which no settings file is: "
            "check that it is the right file"
        )
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            # Swapped for something else between the check and the open: check again.
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise ConfigError(f"the settings file {path} is not a regular file")
            data = handle.read(MAX_SETTINGS_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"cannot read the settings file {path}: {exc.strerror}") from None
    if len(data) > MAX_SETTINGS_BYTES:
        raise ConfigError(f"the settings file {path} is larger than 1 MB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(
            f"the settings file {path} is not valid TOML: it is not UTF-8 text"
        ) from None


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    import tomli_w

    from bmx_console.private_files import write_private

    # 0600: the file names the doors, the tenant and the kiosk's PIN hash.
    return write_private(path or config_path(), tomli_w.dumps(to_toml_dict(settings)))


# The command line's global options and the settings they override for one run.
_OVERRIDES = (
    ("api_base", "api_base"),
    ("token_url", "token_url"),
    ("building", "building_id"),
    ("release_tenant", "release_tenant_id"),
)


def settings_from_args(args: argparse.Namespace, path: Path | None = None) -> Settings:
    """The saved settings with the command line's overrides (``--api-base``, ``--building``…)
    applied, each checked by the same rules as the file."""
    settings = load_settings(path)
    changes: dict[str, Any] = {
        name: getattr(args, option)
        for option, name in _OVERRIDES
        if getattr(args, option, None) is not None
    }
    if "release_tenant_id" in changes:
        # One tenant named for this run releases every door: the table does not apply.
        changes["release_tenants"] = ()
    return settings.with_changes(**changes) if changes else settings
