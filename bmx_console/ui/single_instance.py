"""One console per user: a second launch asks the running one to come to the front and exits.

Two desk windows would poll the cloud twice and race each other's audit writes; two kiosks
would fight over the screen. A ``QLockFile`` in the data folder says who runs (it is stale
once its process is gone, so a crash never locks the console out), and a ``QLocalServer``
next to it hears "raise" from later launches.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    # QtNetwork loads when this console starts listening or asks another one to show
    # itself, not before the desk window's first frame.
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

logger = logging.getLogger(__name__)

RAISE = b"raise\n"
CONNECT_TIMEOUT_MS = 1000
# The first instance may hold the lock but not listen yet (it is still starting up).
CONTACT_PATIENCE_S = 3.0


def server_name(lock_path: Path) -> str:
    """A local server name tied to the lock file, so each user (and each test's data folder)
    has its own, short enough for a Unix socket path."""
    import hashlib  # not before the desk's first frame: it loads OpenSSL

    digest = hashlib.sha256(str(lock_path.resolve()).encode("utf-8")).hexdigest()[:16]
    return f"bmx-console-{digest}"


class SingleInstance(QObject):
    """``acquire()`` once at start: True means this process is the console; False means
    another one runs and has been asked to show itself. ``activated`` fires in the first
    process each time a later launch asks."""

    activated = Signal()

    def __init__(self, folder: Path, name: str = "bmx-console", parent: QObject | None = None):
        super().__init__(parent)
        folder.mkdir(parents=True, exist_ok=True)
        self.lock_path = folder / f"{name}.lock"
        self.server_name = server_name(self.lock_path)
        self._lock = QLockFile(str(self.lock_path))
        # 0: never call a lock stale by age, only when its owner process is gone.
        self._lock.setStaleLockTime(0)
        self._server: QLocalServer | None = None

    @property
    def is_primary(self) -> bool:
        return self._server is not None

    def acquire(self, *, listen: bool = True) -> bool:
        """Take the lock; with ``listen=False`` the caller calls ``listen()`` itself later
        (later launches wait for it a few seconds)."""
        if self._lock.tryLock(100):
            if listen:
                self.listen()
            return True
        self._ask_to_raise()
        return False

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None
        if self._lock.isLocked():
            self._lock.unlock()

    def listen(self) -> None:
        from PySide6.QtNetwork import QLocalServer

        if self._server is not None or not self._lock.isLocked():
            return
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        # A crashed instance may have left its socket file behind; the lock says it is gone.
        QLocalServer.removeServer(self.server_name)
        if not server.listen(self.server_name):
            logger.warning(
                "Later launches cannot reach this console (%s); they will still exit.",
                server.errorString(),
            )
            return
        server.newConnection.connect(self._accept)
        self._server = server

    def _accept(self) -> None:
        server = self._server
        if server is None:
            return
        while server.hasPendingConnections():
            socket = server.nextPendingConnection()
            socket.setParent(self)
            socket.readyRead.connect(self._read)
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._read_from(socket)

    def _read(self) -> None:
        from PySide6.QtNetwork import QLocalSocket

        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._read_from(socket)

    def _read_from(self, socket: QLocalSocket) -> None:
        while socket.canReadLine():
            line = bytes(socket.readLine().data())
            if line == RAISE:
                logger.info("Another launch asked this console to come to the front.")
                self.activated.emit()

    def _ask_to_raise(self) -> None:
        from PySide6.QtNetwork import QLocalSocket

        deadline = time.monotonic() + CONTACT_PATIENCE_S
        while True:
            socket = QLocalSocket()
            socket.connectToServer(self.server_name)
            if socket.waitForConnected(CONNECT_TIMEOUT_MS):
                socket.write(RAISE)
                socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
                socket.disconnectFromServer()
                return
            if time.monotonic() >= deadline:
                logger.warning(
                    "bmx-console already runs but did not answer (%s).", socket.errorString()
                )
                return
            # Blocking is fine: this process has no window and is about to exit.
            time.sleep(0.1)


def bring_to_front(window: QWidget) -> None:
    """Show ``window`` over the others, restoring it if minimised. A window with its own
    way back (the kiosk goes back to full screen on its screen) is asked to use it."""
    own_way = getattr(window, "bring_forward", None)
    if callable(own_way):
        own_way()
        return
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()
