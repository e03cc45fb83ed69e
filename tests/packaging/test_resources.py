"""The icon and desktop entry the installers ship: every size present, in step with the SVG,
and a launcher entry that starts the installed command with the installed icon."""

from __future__ import annotations

import configparser
import importlib.util
import shutil
import struct
import subprocess
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from tests.support import require_or_skip

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "resources" / "icons"
DESKTOP = ROOT / "resources" / "bmx-console.desktop"


def _render_icons() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "render_icons", ROOT / "packaging" / "render-icons.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def _max_channel_difference(a: QImage, b: QImage) -> int:
    a = a.convertToFormat(QImage.Format.Format_RGBA8888)
    b = b.convertToFormat(QImage.Format.Format_RGBA8888)
    return max(
        (abs(x - y) for x, y in zip(bytes(a.constBits()), bytes(b.constBits()), strict=True)),
        default=0,
    )


@pytest.mark.parametrize("size", [16, 24, 32, 48, 64, 128, 256, 512])
def test_hicolor_png_is_the_svg_rendered_at_its_size(qapp: QApplication, size: int) -> None:
    committed = QImage(str(ICONS / "hicolor" / f"{size}x{size}" / "apps" / "bmx-console.png"))
    assert (committed.width(), committed.height()) == (size, size)
    fresh = QImage.fromData(_render_icons().render(size), "PNG")
    # Small tolerance for antialiasing differences between Qt builds; an edited SVG that
    # was not re-rendered (python packaging/render-icons.py) differs by far more.
    assert _max_channel_difference(committed, fresh) <= 16


def test_windows_icon_holds_every_size_up_to_256() -> None:
    data = (ICONS / "bmx-console.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = []
    for i in range(count):
        width, height, _, _, _, _, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * i : 22 + 16 * i]
        )
        side = width or 256
        assert width == height
        assert _png_size(data[offset : offset + length]) == (side, side)
        sizes.append(side)
    assert sorted(sizes) == [16, 24, 32, 48, 64, 128, 256]


def test_macos_icon_holds_every_size_up_to_512() -> None:
    data = (ICONS / "bmx-console.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    sides, at = {}, 8
    while at < len(data):
        kind, length = data[at : at + 4], struct.unpack(">I", data[at + 4 : at + 8])[0]
        sides[kind] = _png_size(data[at + 8 : at + length])[0]
        at += length
    assert sides == {
        b"icp4": 16,
        b"icp5": 32,
        b"icp6": 64,
        b"ic07": 128,
        b"ic08": 256,
        b"ic09": 512,
    }


def test_desktop_entry_starts_the_installed_command_with_the_installed_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(DESKTOP, encoding="utf-8")
    main = entry["Desktop Entry"]
    assert main["Type"] == "Application"
    assert main["Exec"].split()[0] == "bmx-console"  # /usr/bin/bmx-console from the .deb
    assert main["Icon"] == "bmx-console"  # the hicolor name build-deb.sh installs
    assert main["Terminal"] == "false"
    actions = {
        entry[f"Desktop Action {name}"]["Exec"] for name in main["Actions"].strip(";").split(";")
    }
    assert actions == {"bmx-console --demo", "bmx-console --kiosk"}


def test_desktop_entry_passes_the_freedesktop_validator() -> None:
    require_or_skip(
        shutil.which("desktop-file-validate") is not None,
        "needs desktop-file-validate (desktop-file-utils; scripts/test installs it)",
    )
    result = subprocess.run(
        ["desktop-file-validate", str(DESKTOP)],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    assert result.returncode == 0, result.stdout + result.stderr
