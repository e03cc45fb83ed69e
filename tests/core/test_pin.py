"""The kiosk PIN: hashed with a fresh salt, checked exactly, and guarded by a lockout."""

from __future__ import annotations

import base64
import io
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
from bmx_console.services import save_kiosk_pin_hash as save_pin_hash


def test_the_stored_form_is_a_salted_scrypt_hash_without_the_pin() -> None:
    stored = hash_pin("482913")
    scheme, n, r, p, salt, digest = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1")
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


@pytest.mark.parametrize("pin", ["123", "1234567890123", "12a4", "１２３４", " 1234"])
def test_pins_must_be_4_to_12_digits(pin: str) -> None:
    assert pin_problem(pin) is not None
    with pytest.raises(ValueError):
        hash_pin(pin)


def test_good_pins_have_no_problem() -> None:
    assert pin_problem("1234") is None
    assert pin_problem("123456789012") is None


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


def test_the_command_line_saves_only_the_hash_in_config_toml(
    monkeypatch: pytest.MonkeyPatch, isolated_dirs: dict[str, Path]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("482913\n"))
    out = io.StringIO()
    assert cli.main(["kiosk-pin", "--stdin"], out=out) == 0
    assert "hash (not the PIN)" in out.getvalue()
    text = config_path().read_text(encoding="utf-8")
    assert "482913" not in text
    assert verify_pin("482913", load_settings().kiosk.pin_hash)

    assert cli.main(["kiosk-pin", "--clear"], out=io.StringIO()) == 0
    assert load_settings().kiosk.pin_hash == ""


def test_the_command_line_refuses_a_bad_pin_and_keeps_the_old_one(
    monkeypatch: pytest.MonkeyPatch,
    isolated_dirs: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    save_pin_hash(hash_pin("482913"))
    monkeypatch.setattr(sys, "stdin", io.StringIO("12\n"))
    assert cli.main(["kiosk-pin", "--stdin"], out=io.StringIO()) == 2
    assert "4 to 12 digits" in capsys.readouterr().err
    assert verify_pin("482913", load_settings().kiosk.pin_hash)


def test_saving_keeps_the_other_settings_and_refuses_a_plain_pin(
    isolated_dirs: dict[str, Path],
) -> None:
    config_path().parent.mkdir(parents=True, exist_ok=True)
    config_path().write_text('operator = "Lobby"\n[kiosk]\nhold_ms = 800\n', encoding="utf-8")
    save_pin_hash(hash_pin("482913"))
    settings = load_settings()
    assert settings.operator == "Lobby"
    assert settings.kiosk.hold_ms == 800
    with pytest.raises(ValueError):
        save_pin_hash("482913")
