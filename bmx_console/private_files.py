"""Files for the desk's eyes only: mode 0600 in folders of mode 0700.

The settings name the doors and the release tenant, the audit log names every guard and
visitor, the pass notes hold phone numbers and the kiosk's PIN hash can be attacked offline:
none of it is for the other accounts on a shared PC. New files are created private (never
created readable and tightened afterwards, which leaves a moment when they are not), and the
desk's folders are tightened at every start, for files left by older versions or made by
libraries that follow the umask (Qt's window settings, SQLite's -wal and -shm).

On Windows the modes mean little (the profile folder's ACL does the job); chmod there only
sets the read-only flag, so nothing here asks it to.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
_POSIX = os.name == "posix"


def private_dir(path: Path) -> Path:
    """Make ``path`` (and missing parents) a folder only its owner can enter."""
    path = Path(path)
    missing: list[Path] = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    # Folders made here are ours; an existing parent (the home folder) is left alone.
    for made in (*missing, path):
        tighten(made)
    return path


def tighten(path: Path) -> None:
    """Drop group and other access from ``path`` if it exists (files 0600, folders 0700)."""
    if not _POSIX:
        return
    try:
        mode = os.stat(path, follow_symlinks=False).st_mode
    except OSError:
        return
    if stat.S_ISLNK(mode):
        return
    current = stat.S_IMODE(mode)
    # The owner's own bits stay (an executable stays executable); a folder stays enterable.
    wanted = current & 0o700 | (DIR_MODE if stat.S_ISDIR(mode) else 0)
    if wanted != current:
        with contextlib.suppress(OSError):
            os.chmod(path, wanted)


def tighten_tree(folders: Iterable[Path]) -> None:
    """Tighten each folder and everything in it (at start, and when the desk closes)."""
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            continue
        tighten(folder)
        for root, dirs, files in os.walk(folder):
            for name in (*dirs, *files):
                tighten(Path(root) / name)


def touch_private(path: Path) -> Path:
    """Create ``path`` empty with mode 0600 unless it exists (then tighten it)."""
    path = Path(path)
    private_dir(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        tighten(path)
    else:
        os.close(fd)
    return path


def open_private(path: Path, mode: str = "a", encoding: str = "utf-8") -> int:
    """A file descriptor on ``path`` opened for appending, created 0600 if it is new."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if "a" in mode else os.O_TRUNC)
    fd = os.open(path, flags, FILE_MODE)
    tighten(path)
    return fd


def write_private(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Replace ``path`` with ``text`` atomically; the new file is 0600 from the start."""
    path = Path(path)
    private_dir(path.parent)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding=encoding) as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return path


__all__ = [
    "DIR_MODE",
    "FILE_MODE",
    "open_private",
    "private_dir",
    "tighten",
    "tighten_tree",
    "touch_private",
    "write_private",
]
