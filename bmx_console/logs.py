"""Logging to a rotating file in the OS log folder, with secrets scrubbed on the way out.

Nothing in the console formats a secret into a log message; the scrubbing filter is the
second line of defence, for a secret that arrives inside a third-party library's message.
"""

from __future__ import annotations

import logging
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


def setup_logging(folder: Path, *, level: int = logging.INFO, console: bool = False) -> Path:
    """Log to ``folder/bmx-console.log`` (1 MB x 5 files); returns the file's path."""
    from bmx_console.private_files import private_dir, touch_private

    private_dir(folder)
    path = folder / "bmx-console.log"
    # Here, not at import: logging.handlers (sockets, pickle, queues) costs the desk ~13 ms
    # before its first frame, and the frame logs nothing.
    import logging.handlers

    class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
        # Each new file (the first, and after each rollover) is 0600 before it is opened.
        def _open(self):  # type: ignore[no-untyped-def]
            touch_private(Path(self.baseFilename))
            return super()._open()

    handler = PrivateRotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
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
