"""The kiosk's exit PIN: stored only as a salted scrypt hash, checked in constant time, and
guarded by a lockout that makes guessing in the lobby take longer than anyone will stand there.

The stored form is one line of text, ``scrypt$n$r$p$salt_b64$hash_b64``, so that it fits in
``config.toml`` and the cost parameters can be raised later without breaking old hashes.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from bmx_console.clock import Clock

PIN_MIN_DIGITS = 4
PIN_MAX_DIGITS = 12

# Interactive-login strength (about 50 ms on a desk PC): cheap for the one right guess,
# expensive for a copied config file.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
# A hash from a hand-edited file must not make verification eat gigabytes or minutes.
_MAX_N = 2**20
_MAX_R = 32
_MAX_P = 16

MAX_TRIES = 5
LOCKOUT_S = 60.0
# Doubling stops here, so a forgotten lockout ends within a day rather than never.
MAX_LOCKOUT_S = 24 * 3600.0


def pin_problem(pin: str) -> str | None:
    """Why ``pin`` cannot be a kiosk PIN, or None when it can. Digits only, since the
    kiosk's keypad has nothing else."""
    if not pin.isascii() or not pin.isdigit():
        return "The PIN must be digits only."
    if not PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS:
        return f"The PIN must have {PIN_MIN_DIGITS} to {PIN_MAX_DIGITS} digits."
    return None


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(
        pin.encode("utf-8"),
        salt=salt,
        n=n,
        r=r,
        p=p,
        # scrypt needs 128 * r * n bytes; OpenSSL's default ceiling is below that for n > 2**14.
        maxmem=129 * r * n + 1024 * 1024,
        dklen=length,
    )


def hash_pin(pin: str) -> str:
    """A fresh salted hash of ``pin`` in the stored form."""
    problem = pin_problem(pin)
    if problem is not None:
        raise ValueError(problem)
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(pin, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, HASH_BYTES)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def is_pin_hash(stored: str) -> bool:
    """Whether ``stored`` is a hash this module can check (not, say, a pasted PIN)."""
    return _parse(stored) is not None


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    parts = stored.strip().split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return None
    try:
        n, r, p = (int(part) for part in parts[1:4])
        salt = base64.b64decode(parts[4], validate=True)
        digest = base64.b64decode(parts[5], validate=True)
    except (ValueError, binascii.Error):
        return None
    power_of_two = n > 1 and n & (n - 1) == 0
    if not (power_of_two and n <= _MAX_N and 0 < r <= _MAX_R and 0 < p <= _MAX_P):
        return None
    if len(salt) < 8 or not 16 <= len(digest) <= 64:
        return None
    return n, r, p, salt, digest


def verify_pin(pin: str, stored: str) -> bool:
    """Whether ``pin`` matches ``stored``; False for an unreadable hash. The comparison
    takes the same time whichever byte differs."""
    parsed = _parse(stored)
    if parsed is None:
        return False
    n, r, p, salt, digest = parsed
    candidate = _scrypt(pin, salt, n, r, p, len(digest))
    return hmac.compare_digest(candidate, digest)


class PinLockout:
    """Counts wrong PINs: after ``max_tries`` in a row the prompt locks for ``lockout_s``,
    and each further lockout before a right PIN lasts twice as long as the one before.

    The caller asks ``remaining_s()`` before checking a PIN and tells ``failed()`` or
    ``succeeded()`` after.
    """

    def __init__(
        self,
        clock: Clock,
        *,
        max_tries: int = MAX_TRIES,
        lockout_s: float = LOCKOUT_S,
        max_lockout_s: float = MAX_LOCKOUT_S,
    ) -> None:
        self._clock = clock
        self._max_tries = max_tries
        self._lockout_s = lockout_s
        self._max_lockout_s = max_lockout_s
        self._wrong = 0
        self._lockouts = 0
        self._locked_until: float | None = None

    def remaining_s(self) -> float:
        """Seconds until the prompt accepts a PIN again; 0 when it does now."""
        if self._locked_until is None:
            return 0.0
        left = self._locked_until - self._clock.monotonic()
        if left <= 0:
            self._locked_until = None
            return 0.0
        return left

    @property
    def locked(self) -> bool:
        return self.remaining_s() > 0

    @property
    def tries_left(self) -> int:
        """Wrong PINs still allowed before the next lockout."""
        return 0 if self.locked else self._max_tries - self._wrong

    def failed(self) -> float:
        """Record a wrong PIN; returns the lockout it caused in seconds (0 for none)."""
        if self.locked:
            return self.remaining_s()
        self._wrong += 1
        if self._wrong < self._max_tries:
            return 0.0
        duration = min(self._lockout_s * 2**self._lockouts, self._max_lockout_s)
        self._lockouts += 1
        self._wrong = 0
        self._locked_until = self._clock.monotonic() + duration
        return duration

    def succeeded(self) -> None:
        self._wrong = 0
        self._lockouts = 0
        self._locked_until = None


def save_pin_hash(pin_hash: str, path: Path | None = None) -> Path:
    """Write ``pin_hash`` as ``[kiosk] pin_hash`` in config.toml, keeping the other settings
    as the file has them (environment overrides are not written back)."""
    from bmx_console.config import load_settings, save_settings

    if pin_hash and not is_pin_hash(pin_hash):
        raise ValueError("only a PIN hash from hash_pin() may be saved, never a PIN")
    settings = load_settings(path, env={})
    changed = settings.with_changes(kiosk=replace(settings.kiosk, pin_hash=pin_hash))
    return save_settings(changed, path)


def set_pin_from_terminal(
    *,
    clear: bool = False,
    from_stdin: bool = False,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """``bmx-console kiosk-pin``: set (or clear) the kiosk's staff PIN before the kiosk is
    first shown, so that nobody in the lobby can be the one to choose it. Returns the exit
    code: 0 saved, 2 refused."""
    import getpass
    import sys

    from bmx_console.errors import BmxError

    stdin = stdin or sys.stdin
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        if clear:
            path = save_pin_hash("")
            print(f"Removed the kiosk PIN from {path}.", file=out)
            return 0
        if from_stdin:
            pin = stdin.readline().strip() if stdin is not None else ""
            if not pin:
                print("No PIN came on standard input; nothing was changed.", file=err)
                return 2
        else:
            if stdin is None or not stdin.isatty():
                # getpass would fall back to echoing, or end in EOFError with no input.
                print(
                    "kiosk-pin asks for the PIN on a terminal, and there is none here: run it "
                    "in a terminal, or pass --stdin and give the PIN on standard input. "
                    "Nothing was changed.",
                    file=err,
                )
                return 2
            try:
                pin = getpass.getpass("New kiosk PIN: ")
                again = getpass.getpass("The same PIN again: ")
            except EOFError:
                print("No PIN was typed; nothing was changed.", file=err)
                return 2
            if again != pin:
                print("The two PINs did not match; nothing was changed.", file=err)
                return 2
        problem = pin_problem(pin)
        if problem is not None:
            print(f"{problem} Nothing was changed.", file=err)
            return 2
        path = save_pin_hash(hash_pin(pin))
    except BmxError as exc:
        print(f"bmx-console: {exc}", file=err)
        return exc.exit_code
    except OSError as exc:
        print(f"bmx-console: cannot write the settings file: {exc.strerror}", file=err)
        return 2
    print(f"Saved the kiosk PIN's hash (not the PIN) to {path}.", file=out)
    return 0


def add_pin_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--clear",
        action="store_true",
        help="remove the PIN (the kiosk then asks staff to choose one at its PIN prompt)",
    )
    parser.add_argument(
        "--stdin",
        action="store_true",
        help="read the PIN from the first line of standard input instead of asking twice",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m bmx_console.core.pin``, the same as ``bmx-console kiosk-pin``."""
    parser = argparse.ArgumentParser(
        prog="python -m bmx_console.core.pin",
        description="Set the lobby kiosk's staff PIN (stored only as a salted hash).",
    )
    add_pin_arguments(parser)
    args = parser.parse_args(argv)
    return set_pin_from_terminal(clear=args.clear, from_stdin=args.stdin)


if __name__ == "__main__":
    raise SystemExit(main())
