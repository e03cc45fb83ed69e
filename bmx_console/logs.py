"""Logging to a rotating file in the OS log folder, with secrets scrubbed on the way out.

Nothing in the console formats a secret into a log message; the scrubbing filter is the
second line of defence, for a secret that arrives inside a third-party library's message.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

_secrets: set[str] = set()


def register_secret(value: str | None) -> None:
    """Make ``value`` unprintable in every log record from now on."""
    if value and len(value) >= 6:
        _secrets.add(value)


def scrub(text: str) -> str:
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, "********")
    return text


class ScrubSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if _secrets:
            message = scrub(record.getMessage())
            record.msg, record.args = message, None
            if record.exc_text:
                record.exc_text = scrub(record.exc_text)
        return True


LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 5


class _LogFile(logging.FileHandler):
    """``bmx-console.log``, 0600, rolled over at ``LOG_MAX_BYTES`` (``LOG_BACKUPS`` kept) by
    logging.handlers' own RotatingFileHandler. That module (sockets, pickle, queues) costs
    every command ~2.5 ms and the desk more before its first frame, and is needed only once a
    megabyte: until a record would pass the limit, records are appended here; from then on,
    the rotating handler writes them."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, encoding="utf-8")
        self._rotating: logging.Handler | None = None

    def _open(self):  # type: ignore[no-untyped-def]
        # Each new file (the first, and after each rollover) is 0600 before it is opened.
        from bmx_console.private_files import touch_private

        touch_private(Path(self.baseFilename))
        return super()._open()

    def emit(self, record: logging.LogRecord) -> None:
        if self._rotating is None:
            if not self._full_after(record):
                super().emit(record)
                return
            super().close()
            self._rotating = _rotating_handler(Path(self.baseFilename))
            self._rotating.setFormatter(self.formatter)
        self._rotating.emit(record)

    def _full_after(self, record: logging.LogRecord) -> bool:
        try:
            size = os.path.getsize(self.baseFilename)
        except OSError:
            return False
        return size + len(self.format(record).encode("utf-8")) + 1 >= LOG_MAX_BYTES

    def close(self) -> None:
        if self._rotating is not None:
            self._rotating.close()
        super().close()


def _rotating_handler(path: Path) -> logging.Handler:
    import logging.handlers

    from bmx_console.private_files import touch_private

    class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
        # Each new file (the first, and after each rollover) is 0600 before it is opened.
        def _open(self):  # type: ignore[no-untyped-def]
            touch_private(Path(self.baseFilename))
            return super()._open()

    return PrivateRotatingFileHandler(
        path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
    )


def setup_logging(folder: Path, *, level: int = logging.INFO, console: bool = False) -> Path:
    """Log to ``folder/bmx-console.log`` (1 MB x 5 files); returns the file's path."""
    from bmx_console.private_files import private_dir

    private_dir(folder)
    path = folder / "bmx-console.log"
    handler = _LogFile(path)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(ScrubSecrets())
    root = logging.getLogger()
    root.setLevel(level)
    for old in [h for h in root.handlers if getattr(h, "_bmx", False)]:
        root.removeHandler(old)
        old.close()
    handler._bmx = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    if console:
        stream = logging.StreamHandler()
        stream.addFilter(ScrubSecrets())
        stream._bmx = True  # type: ignore[attr-defined]
        root.addHandler(stream)
    # httpx logs full URLs at INFO; ours are logged by the client without query values.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    return path
