"""bmx-console: a desk console for the ButterflyMX cloud video intercom."""

from __future__ import annotations


def _version() -> str:
    # pyproject.toml is the one version source: installed metadata when installed (wheel,
    # editable, the PyInstaller bundle copies it), the file itself in a bare checkout.
    from importlib import metadata

    try:
        return metadata.version("bmx-console")
    except metadata.PackageNotFoundError:
        import tomllib
        from pathlib import Path

        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        try:
            return str(tomllib.loads(pyproject.read_text())["project"]["version"])
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return "0+unknown"


def __getattr__(name: str) -> str:
    # Read on first use, not at import: importlib.metadata costs the desk ~15 ms of start-up
    # before its window can paint, and only About, --version and the logs ask for it.
    if name == "__version__":
        version = _version()
        globals()["__version__"] = version
        return version
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
