"""The pass as the visitor gets it: the words for its times and doors, and the one page
drawn on screen, printed and saved as PDF, so what the visitor is handed is what the
operator saw. The QR code is always dark on white.

The page names the building (name and address) and gives the times in the building's time
zone with the zone named ("14:00–18:00 EST, Wed 2 Dec"): the visitor reads it there, not at
the desk PC, which may sit elsewhere or keep another zone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QPainter

from bmx_console.api.models import Building
from bmx_console.core.passes import Pass
from bmx_console.ui.qr import paint_qr
from bmx_console.ui.time_text import desk_zone

# -- words for times and doors --------------------------------------------------------------


def local(moment: datetime) -> datetime:
    """``moment`` in the desk's own time zone (``time_text``'s, which tests can set)."""
    return moment.astimezone(desk_zone())


def when_text(moment: datetime | None, now: datetime, *, absolute: bool = False) -> str:
    """Like "today 14:00", "tomorrow 09:30" or "Sat 22 Nov 14:00" (always the last form when
    ``absolute``: a printed pass is read on another day); "—" for none."""
    if moment is None:
        return "—"
    here, today = local(moment), local(now).date()
    clock = here.strftime("%H:%M")
    near = {
        today: _tr("today {0}"),
        today + timedelta(days=1): _tr("tomorrow {0}"),
        today - timedelta(days=1): _tr("yesterday {0}"),
    }
    if not absolute and here.date() in near:
        return near[here.date()].format(clock)
    return f"{here.strftime('%a')} {here.day} {here.strftime('%b')} {clock}"


def window_text(item: Pass, now: datetime, *, absolute: bool = False) -> str:
    if item.starts_at is None and item.ends_at is None:
        return _tr("set by ButterflyMX")
    start = when_text(item.starts_at, now, absolute=absolute)
    return f"{start} → {when_text(item.ends_at, now, absolute=absolute)}"


def building_zone(building: Building | None) -> tzinfo:
    """The building's time zone; the desk's own when the cloud names none (or one this
    computer does not know)."""
    if building is not None and building.time_zone:
        try:
            return ZoneInfo(building.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return desk_zone()


def zoned_window_text(item: Pass, zone: tzinfo) -> str:
    """The pass's window in ``zone`` with the zone named: "14:00–18:00 EST, Wed 2 Dec", or
    with both days when it crosses midnight."""
    if item.starts_at is None and item.ends_at is None:
        return _tr("set by ButterflyMX")

    def moment(when: datetime | None) -> str:
        if when is None:
            return "—"
        here = when.astimezone(zone)
        return f"{here:%H:%M} {here.tzname()}, {here:%a} {here.day} {here:%b}"

    start, end = item.starts_at, item.ends_at
    if start is not None and end is not None:
        a, b = start.astimezone(zone), end.astimezone(zone)
        if a.date() == b.date() and a.tzname() == b.tzname():
            return f"{a:%H:%M}–{b:%H:%M} {a.tzname()}, {a:%a} {a.day} {a:%b}"
    return f"{moment(start)} – {moment(end)}"


def valid_text(item: Pass, zone: tzinfo) -> str:
    """ "Valid 14:00–18:00 EST, Wed 2 Dec", "· one use" for a one-time pass."""
    words = _tr("Valid {0}").format(zoned_window_text(item, zone))
    return words + " · " + _tr("one use") if item.one_use else words


def building_text(building: Building | None) -> str:
    """ "The Ashford · 412 W 46th St, New York, NY, 10036" (what the pass is for)."""
    if building is None:
        return ""
    return " · ".join(part for part in (building.name, building.address) if part)


def doors_text(door_ids: Sequence[int], doors: Mapping[int, str]) -> str:
    """ "All doors" when the pass opens every door of the building, else their names."""
    if not door_ids:
        return _tr("Doors chosen by ButterflyMX")
    if doors and set(door_ids) >= set(doors):
        return _tr("All doors")
    return ", ".join(doors.get(d, _tr("door {0}").format(d)) for d in door_ids)


def _tr(text: str) -> str:
    return QGuiApplication.translate("PassDialog", text)


def pin_text(pin: str | None) -> str:
    """Digits in two groups of three, as people read them out."""
    if not pin:
        return "—"
    return f"{pin[:3]} {pin[3:]}" if len(pin) == 6 else pin


# -- the pass --------------------------------------------------------------------------------


class PassPage:
    """The pass as one page: what the screen shows beside the controls, and what is printed.
    Drawn on a 1000-unit-wide page so that print and PDF look the same at any resolution."""

    WIDTH = 1000.0

    def __init__(
        self,
        item: Pass,
        doors: Mapping[int, str],
        now: datetime,
        building: Building | None = None,
    ) -> None:
        self.item = item
        self.doors = doors
        self.now = now
        self.building = building

    def paint(self, painter: QPainter, page: QRectF) -> None:
        scale = page.width() / self.WIDTH
        height = page.height() / scale
        painter.save()
        painter.translate(page.topLeft())
        painter.scale(scale, scale)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        ink, soft = QColor("#111418"), QColor("#5b6372")
        item = self.item
        margin = 70.0
        inner = self.WIDTH - 2 * margin

        def text(
            y: float,
            size: float,
            words: str,
            color: QColor,
            *,
            bold: bool = False,
            mono: bool = False,
            spacing: float = 0.0,
            tall: float = 0.0,
        ) -> float:
            font = QFontDatabase.systemFont(
                QFontDatabase.SystemFont.FixedFont if mono else QFontDatabase.SystemFont.GeneralFont
            )
            font.setPixelSize(max(1, round(size)))
            font.setBold(bold)
            if spacing:
                font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, spacing)
            painter.setFont(font)
            painter.setPen(color)
            box = QRectF(margin, y, inner, tall or size * 1.5)
            flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
            if tall:
                flags |= Qt.TextFlag.TextWordWrap
            painter.drawText(box, int(flags), words)
            return y + box.height()

        kind = _tr("DELIVERY PASS") if item.kind == "delivery" else _tr("VISITOR PASS")
        y = 50.0
        if self.building is not None:
            y = text(y, 30, self.building.name, ink, bold=True)
            if self.building.address:
                y = text(y, 22, self.building.address, soft)
            y += 14
        y = text(y, 26, kind, soft, bold=True, spacing=125)
        y = text(y + 6, 58, item.name, ink, bold=True)
        y = text(y, 28, valid_text(item, building_zone(self.building)), soft)
        qr_side = min(540.0, height - y - 420)
        if item.link and qr_side > 120:
            paint_qr(
                painter, QRectF((self.WIDTH - qr_side) / 2, y + 24, qr_side, qr_side), item.link
            )
            y += qr_side + 40
        y = text(y, 24, _tr("PIN"), soft, bold=True, spacing=120)
        y = text(y, 120, pin_text(item.pin), ink, bold=True, mono=True, spacing=110)
        y = text(
            y + 10,
            26,
            _tr(
                "Enter the PIN on the panel's keypad, or hold the QR code up to the panel's camera."
            ),
            ink,
            tall=90,
        )
        text(y, 24, doors_text(item.door_ids, self.doors), soft, tall=70)
        if item.link:
            text(height - 90, 16, item.link, soft, tall=40)
        painter.restore()
