"""Where the console's own files are (``resources/``: the guide, the translations)."""

from __future__ import annotations

import sys
from pathlib import Path


def resource_path(*parts: str) -> Path | None:
    """A file of ``resources/``: beside the package in a checkout or an installed wheel's
    data, inside the bundle in a PyInstaller build."""
    here = Path(__file__).resolve()
    roots = [here.parents[1] / "resources", here.parents[2] / "resources"]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        roots.insert(0, Path(bundle) / "resources")
    for root in roots:
        path = root.joinpath(*parts)
        if path.is_file():
            return path
    return None
