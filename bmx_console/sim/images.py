"""Small PNGs the simulator serves in place of camera snapshots and visitor QR codes.

Written with zlib and struct only: Qt cannot draw text without a QGuiApplication, and the
simulator runs on a server thread (and in processes that have no Qt at all).
"""

from __future__ import annotations

import random
import struct
import zlib
from functools import lru_cache

import qrcode

SNAPSHOT_SIZE = (320, 180)

# A classic 5x7 bitmap font: seven rows per glyph, bit 4 is the leftmost pixel.
_FONT: dict[str, tuple[int, ...]] = {
    "A": (0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11),
    "B": (0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E),
    "C": (0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E),
    "D": (0x1E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1E),
    "E": (0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F),
    "F": (0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10),
    "G": (0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F),
    "H": (0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11),
    "I": (0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E),
    "J": (0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C),
    "K": (0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11),
    "L": (0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F),
    "M": (0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11),
    "N": (0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11),
    "O": (0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E),
    "P": (0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10),
    "Q": (0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D),
    "R": (0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11),
    "S": (0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E),
    "T": (0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04),
    "U": (0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E),
    "V": (0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04),
    "W": (0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A),
    "X": (0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11),
    "Y": (0x11, 0x11, 0x11, 0x0A, 0x04, 0x04, 0x04),
    "Z": (0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F),
    "0": (0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E),
    "1": (0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E),
    "2": (0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F),
    "3": (0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E),
    "4": (0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02),
    "5": (0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E),
    "6": (0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E),
    "7": (0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08),
    "8": (0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E),
    "9": (0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C),
    ":": (0x00, 0x0C, 0x0C, 0x00, 0x0C, 0x0C, 0x00),
    "-": (0x00, 0x00, 0x00, 0x1F, 0x00, 0x00, 0x00),
    ".": (0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x0C),
    "/": (0x00, 0x01, 0x02, 0x04, 0x08, 0x10, 0x00),
    "#": (0x0A, 0x0A, 0x1F, 0x0A, 0x1F, 0x0A, 0x0A),
    "(": (0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02),
    ")": (0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08),
    "&": (0x0C, 0x12, 0x14, 0x08, 0x15, 0x12, 0x0D),
    "'": (0x0C, 0x04, 0x08, 0x00, 0x00, 0x00, 0x00),
    " ": (0x00,) * 7,
    "?": (0x0E, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04),
}


def encode_png(width: int, height: int, rows: list[bytes], *, color: bool = True) -> bytes:
    """A PNG from raw rows (RGB, or 8-bit grey when ``color`` is false), no filtering."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2 if color else 0, 0, 0, 0)
    raw = b"".join(b"\x00" + row for row in rows)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 6))
        + chunk(b"IEND", b"")
    )


class _Canvas:
    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.height = height
        self.pixels = bytearray(width * height * 3)

    def put(self, x: int, y: int, rgb: tuple[int, int, int]) -> None:
        if 0 <= x < self.width and 0 <= y < self.height:
            i = (y * self.width + x) * 3
            self.pixels[i : i + 3] = bytes(rgb)

    def fill(self, x0: int, y0: int, x1: int, y1: int, rgb: tuple[int, int, int]) -> None:
        for y in range(max(0, y0), min(self.height, y1)):
            for x in range(max(0, x0), min(self.width, x1)):
                self.put(x, y, rgb)

    def text(self, x: int, y: int, text: str, rgb: tuple[int, int, int], scale: int = 1) -> None:
        for ch in text.upper():
            glyph = _FONT.get(ch, _FONT["?"])
            for row, bits in enumerate(glyph):
                for col in range(5):
                    if bits & (0x10 >> col):
                        self.fill(
                            x + col * scale,
                            y + row * scale,
                            x + (col + 1) * scale,
                            y + (row + 1) * scale,
                            rgb,
                        )
            x += 6 * scale

    def rows(self) -> list[bytes]:
        stride = self.width * 3
        return [bytes(self.pixels[y * stride : (y + 1) * stride]) for y in range(self.height)]


def _fit(text: str, width_px: int, scale: int) -> str:
    limit = max(1, width_px // (6 * scale))
    return text if len(text) <= limit else text[: limit - 1] + "."


@lru_cache(maxsize=256)
def snapshot_png(label: str, caption: str = "") -> bytes:
    """A dim, grainy camera frame of a doorway with ``label`` on top and ``caption`` below.

    The grain is seeded from the label, so the same snapshot URL always serves the same bytes.
    """
    width, height = SNAPSHOT_SIZE
    canvas = _Canvas(width, height)
    rng = random.Random(zlib.crc32(f"{label}|{caption}".encode()))
    cx, cy = width / 2, height / 2
    door = (width // 2 - 38, 34, width // 2 + 38, height - 18)
    grain = rng.randbytes(width * height)
    for y in range(height):
        for x in range(width):
            in_door = door[0] <= x < door[2] and door[1] <= y < door[3]
            on_frame = in_door and (x - door[0] < 4 or door[2] - x <= 4 or y - door[1] < 4)
            base = 58 if on_frame else 40 if in_door else 22 + (y * 10) // height
            if y > door[3]:
                base = 30
            falloff = ((x - cx) / cx) ** 2 + ((y - cy) / cy) ** 2
            level = max(0, int(base * (1.0 - 0.45 * falloff)) + grain[y * width + x] % 11 - 5)
            i = (y * width + x) * 3
            canvas.pixels[i : i + 3] = bytes((level, min(255, level + 3), min(255, level + 7)))
    canvas.fill(0, 0, width, 14, (8, 9, 11))
    canvas.text(4, 4, _fit(label, width - 24, 1), (205, 205, 200))
    for dy in range(-3, 4):
        for dx in range(-3, 4):
            if dx * dx + dy * dy <= 9:
                canvas.put(width - 10 + dx, 7 + dy, (200, 32, 32))
    if caption:
        canvas.fill(0, height - 14, width, height, (8, 9, 11))
        canvas.text(4, height - 11, _fit(caption, width - 8, 1), (170, 170, 165))
    return encode_png(width, height, canvas.rows())


@lru_cache(maxsize=256)
def qr_png(payload: str, module_px: int = 6) -> bytes:
    """A scannable QR code of ``payload`` as a grey PNG (black modules on white)."""
    code = qrcode.QRCode(border=4, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(payload)
    code.make(fit=True)
    matrix = code.get_matrix()
    rows: list[bytes] = []
    for line in matrix:
        row = b"".join((b"\x00" if dark else b"\xff") * module_px for dark in line)
        rows.extend([row] * module_px)
    side = len(matrix) * module_px
    return encode_png(side, side, rows, color=False)
