"""The audit log's head, kept a second time outside its file: in the OS keyring.

The hash chain inside the file proves that nobody edited, deleted or reordered entries with
ordinary tools, but not that the whole file is the latest one: an earlier copy put back, an
emptied file, a deleted one or a lost ``-wal`` all look like a shorter, intact log. So after
every entry the number, hash and time of the newest entry are also written to the keyring,
under an HMAC whose key lives in the keyring too (a value edited by hand no longer verifies).
A file that ends before the anchor is a file that lost entries.

Someone who can write both the keyring and the file can still roll both back together; the
README says so.

The keyring write happens on a small thread of its own, after the entry is committed, so a
door release never waits on D-Bus: the anchor may lag the file by the entries of the last
moment before a crash, which only narrows what it can prove, never makes it wrong.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)

KEY_NAME = "audit-anchor-key"
_FORMAT = "bmx-anchor/1"


class AnchorStore(Protocol):
    """Where the anchor lives (the OS keyring, in ``bmx_console.secrets``)."""

    @property
    def available(self) -> bool: ...

    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str) -> None: ...


@dataclass(frozen=True, slots=True)
class Anchor:
    seq: int
    hash: str
    at: str  # the entry's time, as the log stores it


class AnchorDamaged(Exception):
    """The keyring holds an anchor that does not verify under its key."""


class AuditAnchor:
    """The anchor of one audit file, named by the file's absolute path."""

    def __init__(self, store: AnchorStore, log_path: Path) -> None:
        self._store = store
        self.path = Path(log_path).absolute()
        digest = hashlib.sha256(str(self.path).encode("utf-8", "surrogatepass")).hexdigest()
        self.name = f"audit-anchor:{digest[:24]}"
        self._lock = threading.Lock()
        self._wanted: Anchor | None = None
        self._written: Anchor | None = None
        self._wake = threading.Condition(self._lock)
        self._thread: threading.Thread | None = None
        self._closing = False
        self.last_error: str | None = None

    @property
    def available(self) -> bool:
        try:
            return bool(self._store.available)
        except Exception:
            return False

    def read(self) -> Anchor | None:
        """The anchor in the keyring; None if there is none yet; ``AnchorDamaged`` if it was
        changed by hand."""
        raw = self._store.get(self.name)
        if not raw:
            return None
        key = self._store.get(KEY_NAME)
        try:
            data = json.loads(raw)
            anchor = Anchor(int(data["seq"]), str(data["hash"]), str(data["at"]))
            mac = str(data["mac"])
        except (ValueError, KeyError, TypeError):
            raise AnchorDamaged("unreadable") from None
        if not key or not hmac.compare_digest(mac, self._mac(key, anchor)):
            raise AnchorDamaged("mac")
        return anchor

    def write_now(self, anchor: Anchor) -> None:
        """Write ``anchor`` at once (the log's open, which is not on a release's path)."""
        with self._lock:
            if self._written is not None and self._written.seq >= anchor.seq:
                return
        self._write(anchor)

    def update(self, anchor: Anchor) -> None:
        """Have the anchor moved to ``anchor`` soon; never blocks on the keyring."""
        with self._lock:
            if self._wanted is not None and self._wanted.seq >= anchor.seq:
                return
            self._wanted = anchor
            if self._thread is None or not self._thread.is_alive():
                self._closing = False
                self._thread = threading.Thread(
                    target=self._run, name="bmx-audit-anchor", daemon=True
                )
                self._thread.start()
            self._wake.notify()

    def flush(self, timeout_s: float = 5.0) -> None:
        """Wait until the latest update is in the keyring, then stop the thread."""
        with self._lock:
            self._closing = True
            self._wake.notify()
            thread = self._thread
        if thread is not None:
            thread.join(timeout_s)

    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._closing and (
                    self._wanted is None
                    or (self._written is not None and self._written.seq >= self._wanted.seq)
                ):
                    self._wake.wait()
                wanted = self._wanted
                done = (
                    self._written is not None
                    and wanted is not None
                    and (self._written.seq >= wanted.seq)
                )
                if self._closing and (wanted is None or done):
                    return
            if wanted is not None:
                self._write(wanted)

    def _write(self, anchor: Anchor) -> None:
        try:
            key = self._store.get(KEY_NAME)
            if not key:
                key = os.urandom(32).hex()
                self._store.set(KEY_NAME, key)
            value = json.dumps(
                {
                    "seq": anchor.seq,
                    "hash": anchor.hash,
                    "at": anchor.at,
                    "mac": self._mac(key, anchor),
                },
                separators=(",", ":"),
            )
            self._store.set(self.name, value)
        except Exception as exc:
            # The keyring went away or was locked: the log goes on, verify says so.
            self.last_error = str(exc) or type(exc).__name__
            log.warning("The audit anchor could not be written to the keyring: %s", exc)
            with self._lock:
                if self._wanted == anchor:
                    self._written = anchor  # do not spin on a keyring that refuses
            return
        self.last_error = None
        with self._lock:
            if self._written is None or self._written.seq < anchor.seq:
                self._written = anchor

    def _mac(self, key: str, anchor: Anchor) -> str:
        message = f"{_FORMAT}\n{self.path}\n{anchor.seq}\n{anchor.hash}\n{anchor.at}"
        return hmac.new(
            bytes.fromhex(key) if _is_hex(key) else key.encode(),
            message.encode("utf-8", "surrogatepass"),
            hashlib.sha256,
        ).hexdigest()


def _is_hex(text: str) -> bool:
    try:
        bytes.fromhex(text)
    except ValueError:
        return False
    return True


__all__ = ["Anchor", "AnchorDamaged", "AnchorStore", "AuditAnchor"]
