"""QR codes drawn with QPainter from the pure-Python ``qrcode`` package (no PIL).

Always dark modules on white with the standard four-module quiet zone, whatever the theme:
phone cameras and panel scanners expect that, and a light-on-dark code often does not scan.
The modules are filled as exact squares (no antialiasing), so the code stays sharp on
screen and in print at any size.
"""

from __future__ import annotations

import qrcode
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap

QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks


def qr_matrix(text: str) -> list[list[bool]]:
    """The code's modules (True = dark), without the quiet zone; medium error correction
    so that a slightly creased printout still scans."""
    code = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def paint_qr(painter: QPainter, rect: QRectF, text: str) -> None:
    """Draw the code of ``text`` as the largest square that fits ``rect``, quiet zone
    included, on white."""
    matrix = qr_matrix(text)
    count = len(matrix) + 2 * QUIET_ZONE
    side = min(rect.width(), rect.height())
    module = side / count
    left = rect.left() + (rect.width() - side) / 2
    top = rect.top() + (rect.height() - side) / 2
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.fillRect(QRectF(left, top, side, side), QColor("white"))
    painter.setBrush(QColor("black"))
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            # One rectangle per run of dark modules: fewer shapes, no hairline seams.
            run = x
            while run < len(row) and row[run]:
                run += 1
            painter.drawRect(
                QRectF(
                    left + (QUIET_ZONE + x) * module,
                    top + (QUIET_ZONE + y) * module,
                    (run - x) * module,
                    module,
                )
            )
            x = run
    painter.restore()


def qr_image(text: str, module_px: int = 8) -> QImage:
    """The code as an image with whole-pixel modules of ``module_px``, quiet zone included."""
    count = len(qr_matrix(text)) + 2 * QUIET_ZONE
    side = count * module_px
    image = QImage(side, side, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    paint_qr(painter, QRectF(0, 0, side, side), text)
    painter.end()
    return image


def qr_pixmap(text: str, size: int, device_pixel_ratio: float = 1.0) -> QPixmap:
    """A pixmap of about ``size`` logical pixels whose modules are whole device pixels."""
    count = len(qr_matrix(text)) + 2 * QUIET_ZONE
    module_px = max(1, int(size * device_pixel_ratio) // count)
    pixmap = QPixmap.fromImage(qr_image(text, module_px))
    pixmap.setDevicePixelRatio(device_pixel_ratio)
    return pixmap
