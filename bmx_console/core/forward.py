"""A copy of the audit log off the desk: each entry forwarded to a syslog server.

``audit_syslog = "udp://HOST:514"`` or ``"tcp://HOST:601"`` sends every entry as an RFC 5424
message whose structured data carries the chain (sequence, hash, previous hash) and what
happened (operator, action, door, building, outcome), so the server's copy can be checked
against the desk's and a desk log rewritten later no longer matches it.

A release never waits on the server: entries are read from the audit file itself by a thread
of its own, so whatever the server does, nothing is lost while it is away. How far the
forwarding got is kept in a small file beside the audit log (per server address); entries
after it are the backlog, sent in order once the server answers again. The desk forwards the
command line's entries too (they are in the same file).

Limits: UDP has no delivery at all (use TCP where it matters); TCP syslog has no
acknowledgement, so an entry sent in the instant the server goes away can be lost in transit.
Before each batch the connection is checked for a close by the server, which catches a
server that stopped; a receiver sees any loss as a gap in ``seq`` and a ``prev`` that does not
match the hash before it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import select
import socket
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bmx_console.core.audit_records import where
from bmx_console.errors import ConfigError
from bmx_console.private_files import write_private

log = logging.getLogger(__name__)

DEFAULT_PORTS = {"udp": 514, "tcp": 601}
# Facility 13 (log audit), severity 5 (notice).
_PRI = 13 * 8 + 5
SD_ID = "bmx-audit@32473"  # 32473: the enterprise number RFC 5612 sets aside for examples
_BATCH = 200
_IDLE_POLL_S = 5.0
_CONNECT_TIMEOUT_S = 3.0


@dataclass(frozen=True, slots=True)
class SyslogTarget:
    transport: str
    host: str
    port: int

    @property
    def url(self) -> str:
        return f"{self.transport}://{self.host}:{self.port}"


def parse_syslog_url(text: str, name: str = "audit_syslog") -> SyslogTarget:
    parts = urlsplit(text.strip())
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or parts.path not in ("", "/"):
        raise ConfigError(
            f'{name} must be "udp://HOST:514" or "tcp://HOST:601" (a syslog server): got {text!r}'
        )
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError:
        raise ConfigError(f"{name} has a port that is not a number: got {text!r}") from None
    return SyslogTarget(parts.scheme, parts.hostname, port)


def _sd_value(value: object) -> str:
    text = "" if value is None else str(value)
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("]", "\\]")


def _header_token(text: str, limit: int) -> str:
    clean = "".join(c for c in text if 33 <= ord(c) <= 126)
    return clean[:limit] or "-"


def format_message(row: dict[str, object], hostname: str, procid: int) -> bytes:
    """One entry as an RFC 5424 message (without transport framing)."""
    door = where(_Row(row))
    params = {
        "seq": row["seq"],
        "hash": row["hash"],
        "prev": row["prev_hash"],
        "operator": row["operator"],
        "action": row["action"],
        "door": door,
        "building": row.get("building_name") or row.get("building_id") or "",
        "outcome": row["outcome"],
    }
    sd = f"[{SD_ID} " + " ".join(f'{k}="{_sd_value(v)}"' for k, v in params.items()) + "]"
    text = f"{row['action']} {row['outcome']}"
    if door:
        text += f": {door}"
    text += f" by {row['operator']}"
    header = (
        f"<{_PRI}>1 {row['at']} {_header_token(hostname, 255)} bmx-console {procid} "
        f"{_header_token(str(row['action']), 32)}"
    )
    return f"{header} {sd} ".encode() + b"\xef\xbb\xbf" + text.encode("utf-8", "replace")


class _Row:
    """Just enough of an AuditEntry for ``where``."""

    def __init__(self, row: dict[str, object]) -> None:
        self.door_id = row.get("door_id")
        self.door_name = str(row.get("door_name") or "")
        self.building_id = row.get("building_id")
        self.building_name = str(row.get("building_name") or "")


_FIELDS = (
    "seq",
    "at",
    "operator",
    "action",
    "outcome",
    "door_id",
    "door_name",
    "building_id",
    "building_name",
    "prev_hash",
    "hash",
)


class SyslogForwarder:
    """Forwards the entries of the audit file ``audit_path`` to ``url``, in order, once each."""

    def __init__(
        self,
        url: str,
        audit_path: Path,
        *,
        state_path: Path | None = None,
        hostname: str | None = None,
        retry_min_s: float = 0.5,
        retry_max_s: float = 10.0,
    ) -> None:
        self.target = parse_syslog_url(url)
        self.audit_path = Path(audit_path)
        self.state_path = state_path or self.audit_path.with_name(
            self.audit_path.name + ".forwarded.json"
        )
        self._hostname = hostname or socket.gethostname()
        self._retry_min_s = retry_min_s
        self._retry_max_s = retry_max_s
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None
        self.backlog = 0
        self.last_error: str | None = None
        self.forwarded = self._load_position()

    # -- what the desk calls ------------------------------------------------------------

    def start(self) -> SyslogForwarder:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="bmx-syslog", daemon=True)
            self._thread.start()
        return self

    def wake(self, *_: object) -> None:
        """A new entry was committed (an AuditLog listener)."""
        self._wake.set()

    def stop(self, timeout_s: float = 1.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
        self._close()

    def status(self) -> str:
        """For the status bar: empty when nothing waits."""
        if not self.backlog:
            return ""
        noun = "entry" if self.backlog == 1 else "entries"
        why = f" ({self.last_error})" if self.last_error else ""
        return f"Audit copy: {self.backlog} {noun} not yet forwarded to {self.target.host}{why}"

    # -- the thread ---------------------------------------------------------------------

    def _run(self) -> None:
        delay = self._retry_min_s
        db: sqlite3.Connection | None = None
        while not self._stopping.is_set():
            try:
                if db is None:
                    db = sqlite3.connect(self.audit_path.absolute().as_uri() + "?mode=ro", uri=True)
                    db.row_factory = sqlite3.Row
                rows = db.execute(
                    f"SELECT {', '.join(_FIELDS)} FROM entries WHERE seq > ? ORDER BY seq LIMIT ?",
                    (self.forwarded, _BATCH),
                ).fetchall()
                (self.backlog,) = db.execute(
                    "SELECT COUNT(*) FROM entries WHERE seq > ?", (self.forwarded,)
                ).fetchone()
            except sqlite3.Error as exc:
                self.last_error = f"the audit log cannot be read: {exc}"
                if db is not None:
                    db.close()
                    db = None
                self._pause(delay)
                continue
            if not rows:
                self._wake.wait(_IDLE_POLL_S)
                self._wake.clear()
                continue
            try:
                self._send(rows)
            except OSError as exc:
                self._close()
                self.last_error = f"server not answering: {exc.strerror or exc}"
                log.warning("Audit forwarding to %s paused: %s", self.target.url, exc)
                self._pause(delay)
                delay = min(delay * 2, self._retry_max_s)
                continue
            delay = self._retry_min_s
            self.last_error = None
        if db is not None:
            db.close()

    def _pause(self, seconds: float) -> None:
        self._stopping.wait(seconds)

    def _send(self, rows: list[sqlite3.Row]) -> None:
        sock = self._connected()
        procid = os.getpid()
        start = self.forwarded
        try:
            for row in rows:
                message = format_message(dict(row), self._hostname, procid)
                if self.target.transport == "tcp":
                    # RFC 6587 octet counting: a message may hold any byte, a newline included.
                    sock.sendall(f"{len(message)} ".encode() + message)
                else:
                    sock.send(message)
                self.forwarded = int(row["seq"])
                self.backlog = max(0, self.backlog - 1)
        finally:
            # Once per batch, not per entry: a backlog of thousands costs one write, and a
            # crash mid-batch only sends that batch's entries again.
            if self.forwarded != start:
                self._save_position()

    def _connected(self) -> socket.socket:
        sock = self._sock
        if sock is not None and self.target.transport == "tcp" and _closed_by_peer(sock):
            self._close()
            sock = None
        if sock is None:
            if self.target.transport == "tcp":
                sock = socket.create_connection(
                    (self.target.host, self.target.port), timeout=_CONNECT_TIMEOUT_S
                )
                sock.settimeout(_CONNECT_TIMEOUT_S)
            else:
                info = socket.getaddrinfo(
                    self.target.host, self.target.port, type=socket.SOCK_DGRAM
                )[0]
                sock = socket.socket(info[0], socket.SOCK_DGRAM)
                sock.connect(info[4])
            self._sock = sock
        return sock

    def _close(self) -> None:
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.close()
            self._sock = None

    # -- where it got to ------------------------------------------------------------------

    def _load_position(self) -> int:
        try:
            data = json.loads(self.state_path.read_text(encoding="utf-8"))
            return int(data.get("positions", {}).get(self.target.url, 0))
        except (OSError, ValueError, TypeError, AttributeError):
            return 0

    def _save_position(self) -> None:
        try:
            try:
                data = json.loads(self.state_path.read_text(encoding="utf-8"))
                positions = dict(data.get("positions", {}))
            except (OSError, ValueError, TypeError, AttributeError):
                positions = {}
            positions[self.target.url] = self.forwarded
            write_private(self.state_path, json.dumps({"positions": positions}))
        except OSError as exc:
            log.warning("Where audit forwarding got to could not be saved: %s", exc)


def _closed_by_peer(sock: socket.socket) -> bool:
    """A syslog server never writes to us: a readable socket means it closed (or reset)."""
    try:
        readable, _, _ = select.select([sock], [], [], 0)
        if not readable:
            return False
        return sock.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


__all__ = ["SyslogForwarder", "SyslogTarget", "format_message", "parse_syslog_url"]
