"""The kiosk PIN: hashed with a fresh salt, checked exactly, and guarded by a lockout."""

from __future__ import annotations

import base64
import io
import stat
import sys
from pathlib import Path

import pytest

from bmx_console import cli
from bmx_console.clock import FakeClock
from bmx_console.config import config_path, load_settings
from bmx_console.core.pin import (
    PinLockout,
    hash_pin,
    is_pin_hash,
    pin_problem,
    verify_pin,
)
from bmx_console.paths import user_paths
from bmx_console.services import read_kiosk_pin_hash
from bmx_console.services import save_kiosk_pin_hash as save_pin_hash


def stored() -> str:
    return read_kiosk_pin_hash(user_paths().kiosk_pin)


def test_the_stored_form_is_a_salted_scrypt_hash_without_the_pin() -> None:
    stored = hash_pin("482913")
    scheme, n, r, p, salt, digest = stored.split("$")
    # 2**16 with r=8: 64 MiB and at least 100 ms a guess on the desk PC (measured by hand).
    assert (scheme, n, r, p) == ("scrypt", "65536", "8", "1")
    assert len(base64.b64decode(salt)) == 16
    assert len(base64.b64decode(digest)) == 32
    assert "482913" not in stored
    assert is_pin_hash(stored)


def test_the_same_pin_hashes_differently_each_time() -> None:
    assert hash_pin("482913") != hash_pin("482913")


def test_only_the_right_pin_verifies() -> None:
    stored = hash_pin("482913")
    assert verify_pin("482913", stored)
    for wrong in ("482914", "48291", "4829130", "", "123456"):
        assert not verify_pin(wrong, stored)


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "482913",
        "scrypt$16384$8$1$!!notbase64$AAAA",
        "scrypt$1000$8$1$c2FsdHNhbHQ=$" + "A" * 44,  # n not a power of two
        "scrypt$1073741824$8$1$c2FsdHNhbHQ=$" + "A" * 44,  # absurd memory cost
        "bcrypt$16384$8$1$c2FsdHNhbHQ=$" + "A" * 44,
    ],
)
def test_an_unreadable_stored_hash_never_verifies(stored: str) -> None:
    assert not is_pin_hash(stored)
    assert not verify_pin("482913", stored)


def test_a_hash_made_with_the_older_cost_still_verifies() -> None:
    import bmx_console.core.pin as pin_module

    older = hash_pin("482913").replace("scrypt$65536$", "scrypt$16384$", 1)
    salt = base64.b64decode(older.split("$")[4])
    digest = pin_module._scrypt("482913", salt, 2**14, 8, 1, 32)
    older = "$".join([*older.split("$")[:5], base64.b64encode(digest).decode()])
    assert verify_pin("482913", older)
    assert not verify_pin("482914", older)


@pytest.mark.parametrize(
    "pin", ["1234", "0000", "12345", "1234567890123", "12a456", "１２３４５６", " 482913"]
)
def test_pins_must_be_6_to_12_digits(pin: str) -> None:
    assert pin_problem(pin) is not None
    with pytest.raises(ValueError):
        hash_pin(pin)


@pytest.mark.parametrize(
    ("pin", "why"),
    [
        ("111111", "one digit repeated"),
        ("00000000", "one digit repeated"),
        ("123456", "straight run"),
        ("654321", "straight run"),
        ("012345", "straight run"),
        ("789012", "straight run"),
        ("1234567890", "straight run"),
    ],
)
def test_pins_guessed_first_are_refused_with_the_reason(pin: str, why: str) -> None:
    problem = pin_problem(pin)
    assert problem is not None and why in problem


def test_good_pins_have_no_problem() -> None:
    assert pin_problem("482913") is None
    assert pin_problem("112233") is None
    assert pin_problem("135792468024") is None


def _fail(lockout: PinLockout, times: int) -> list[float]:
    return [lockout.failed() for _ in range(times)]


def test_five_wrong_tries_lock_the_prompt_for_60_seconds() -> None:
    clock = FakeClock()
    lockout = PinLockout(clock)
    assert _fail(lockout, 4) == [0, 0, 0, 0]
    assert lockout.tries_left == 1 and not lockout.locked
    assert lockout.failed() == 60
    assert lockout.locked and lockout.tries_left == 0
    clock.advance(59)
    assert lockout.remaining_s() == pytest.approx(1)
    clock.advance(1)
    assert not lockout.locked
    assert lockout.tries_left == 5


def test_wrong_tries_while_locked_do_not_extend_or_count() -> None:
    clock = FakeClock()
    lockout = PinLockout(clock)
    _fail(lockout, 5)
    clock.advance(30)
    assert lockout.failed() == pytest.approx(30)
    clock.advance(30)
    assert not lockout.locked and lockout.tries_left == 5


def test_each_repeat_lockout_doubles() -> None:
    clock = FakeClock()
    lockout = PinLockout(clock)
    durations = []
    for _ in range(4):
        durations.append(_fail(lockout, 5)[-1])
        clock.advance(durations[-1])
    assert durations == [60, 120, 240, 480]


def test_the_right_pin_resets_the_count_and_the_doubling() -> None:
    clock = FakeClock()
    lockout = PinLockout(clock)
    _fail(lockout, 5)
    clock.advance(60)
    _fail(lockout, 3)
    lockout.succeeded()
    assert lockout.tries_left == 5
    assert _fail(lockout, 5)[-1] == 60


def test_doubling_stops_at_a_day() -> None:
    clock = FakeClock()
    lockout = PinLockout(clock)
    last = 0.0
    for _ in range(15):
        last = _fail(lockout, 5)[-1]
        clock.advance(last)
    assert last == 24 * 3600


def test_the_command_line_saves_only_the_hash_in_a_private_file(
    monkeypatch: pytest.MonkeyPatch, isolated_dirs: dict[str, Path]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("482913\n"))
    out = io.StringIO()
    assert cli.main(["kiosk-pin", "--stdin"], out=out) == 0
    assert "hash (not the PIN)" in out.getvalue()
    assert verify_pin("482913", stored())
    pin_file = user_paths().kiosk_pin
    assert stat.S_IMODE(pin_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(pin_file.parent.stat().st_mode) == 0o700
    assert not config_path().exists()

    assert cli.main(["kiosk-pin", "--clear"], out=io.StringIO()) == 0
    assert stored() == ""
    assert not pin_file.exists()


def test_the_command_line_refuses_a_bad_pin_and_keeps_the_old_one(
    monkeypatch: pytest.MonkeyPatch,
    isolated_dirs: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    save_pin_hash(hash_pin("482913"))
    for weak, why in (("1234", "6 to 12 digits"), ("111111", "repeated"), ("123456", "run")):
        monkeypatch.setattr(sys, "stdin", io.StringIO(weak + "\n"))
        assert cli.main(["kiosk-pin", "--stdin"], out=io.StringIO()) == 2
        err = capsys.readouterr().err
        assert why in err and "Nothing was changed" in err
    assert verify_pin("482913", stored())


def test_an_old_hash_in_config_toml_is_dropped_and_not_used(
    isolated_dirs: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    old = hash_pin("482913")
    config_path().parent.mkdir(parents=True, exist_ok=True)
    config_path().write_text(
        f'operator = "Lobby"\n[kiosk]\nhold_ms = 800\npin_hash = "{old}"\n', encoding="utf-8"
    )
    save_pin_hash(hash_pin("582913"))
    text = config_path().read_text(encoding="utf-8")
    assert "pin_hash" not in text and old.split("$")[-1] not in text
    assert "Set a new staff PIN" in capsys.readouterr().err
    settings = load_settings()
    assert settings.operator == "Lobby"
    assert settings.kiosk.hold_ms == 800
    assert verify_pin("582913", stored())
    with pytest.raises(ValueError):
        save_pin_hash("482913")


def test_at_start_an_old_config_hash_is_dropped_and_the_kiosk_has_no_pin(
    isolated_dirs: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from bmx_console.secrets import SecretStore
    from bmx_console.services import Services

    old = hash_pin("482913")
    config_path().parent.mkdir(parents=True, exist_ok=True)
    config_path().write_text(f'[kiosk]\npin_hash = "{old}"\n', encoding="utf-8")
    services = Services(load_settings(), SecretStore())
    assert services.retire_config_pin_hash()
    assert "pin_hash" not in config_path().read_text(encoding="utf-8")
    assert services.kiosk_pin_hash() == ""
    assert services.settings.kiosk.pin_hash == ""
    assert "config.toml was removed and is not used" in capsys.readouterr().err
