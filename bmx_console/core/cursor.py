"""Where event and call polling got to, kept on disk so that a restart catches up.

The file is a small JSON object, ``{"events:<building_id>": iso, "calls:<building_id>": iso}``.
It is rewritten whole through a temporary file and ``os.replace``, so a crash mid-write
leaves the previous version. A missing or unreadable file is not an error: polling starts
fresh (the last hour of history) and says so in the log.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from bmx_console.api.models import format_api_time, parse_time
from bmx_console.private_files import write_private

logger = logging.getLogger(__name__)


def events_key(building_id: int) -> str:
    return f"events:{building_id}"


def calls_key(building_id: int) -> str:
    return f"calls:{building_id}"


class CursorFile:
    """Cursor times by key. ``path=None`` keeps them in memory only (tests, the CLI)."""

    def __init__(self, path: Path | str | None) -> None:
        self.path = Path(path) if path is not None else None
        self._values: dict[str, datetime] = self._load()

    def get(self, key: str) -> datetime | None:
        return self._values.get(key)

    def as_dict(self) -> dict[str, datetime]:
        return dict(self._values)

    def update(self, values: Mapping[str, datetime]) -> None:
        """Set several cursors and write the file once."""
        changed = {k: v for k, v in values.items() if self._values.get(k) != v}
        if not changed:
            return
        self._values.update(changed)
        self._save()

    def _load(self) -> dict[str, datetime]:
        if self.path is None:
            return {}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            logger.warning(
                "Polling cursor %s could not be read (%s); starting from recent history.",
                self.path,
                exc,
            )
            return {}
        if not isinstance(raw, dict):
            logger.warning(
                "Polling cursor %s is not a JSON object; starting from recent history.",
                self.path,
            )
            return {}
        values: dict[str, datetime] = {}
        for key, text in raw.items():
            moment = parse_time(text)
            if moment is None:
                logger.warning("Polling cursor %s: ignoring unreadable entry %r.", self.path, key)
                continue
            values[str(key)] = moment
        return values

    def _save(self) -> None:
        if self.path is None:
            return
        body = json.dumps(
            {k: format_api_time(v) for k, v in sorted(self._values.items())}, indent=1
        )
        try:
            write_private(self.path, body)
        except OSError as exc:
            # Losing the cursor costs a re-read of recent history, not data: keep polling.
            logger.warning("Polling cursor %s could not be written: %s", self.path, exc)
