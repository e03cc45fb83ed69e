"""The kiosk's staff panel: a PIN keypad over the door screen, then the staff menu.

It is an overlay inside the kiosk window rather than a dialog of its own, so that the window
manager never gets a second window to put in front of (or behind) the pinned kiosk. The
digits typed so far live only in this widget's memory and are dropped whenever it closes.

No PIN is ever chosen here: whoever reached the corner first would own the kiosk. Staff set
it at the front desk (Settings → Kiosk) or with ``bmx-console kiosk-pin``; until then the
prompt says so and offers nothing else. The stored hash is asked for at every prompt, so a
PIN set while the kiosk runs counts at once. Checking a PIN is slow on purpose (the hash's
cost), so it runs in a worker thread while the keypad waits.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Literal

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from bmx_console.core.pin import PIN_MAX_DIGITS, PIN_MIN_DIGITS, PinLockout, verify_pin
from bmx_console.ui.icons import icon
from bmx_console.ui.qt_async import spawn
from bmx_console.ui.theme import state_colors

logger = logging.getLogger(__name__)

PinMode = Literal["unlock", "no_pin"]
# A plain Python thread, not the Qt loop's default executor: a QThread still hashing when the
# app quits aborts the process.
_CHECKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-pin")


def _minutes_seconds(seconds: float) -> str:
    whole = max(0, int(seconds + 0.999))
    return f"{whole // 60}:{whole % 60:02d}"


class PinDots(QWidget):
    """How many digits have been typed, never which."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._count = 0
        self._placeholder = ""
        self.setMinimumHeight(56)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_count(self, count: int, placeholder: str) -> None:
        self._count = count
        self._placeholder = placeholder
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        if self._count == 0:
            painter.setPen(state_colors(palette).muted)
            font = painter.font()
            font.setPixelSize(18)
            painter.setFont(font)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._placeholder)
            return
        radius, gap = 9.0, 14.0
        width = self._count * 2 * radius + (self._count - 1) * gap
        x = (self.width() - width) / 2 + radius
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.color(QPalette.ColorRole.WindowText))
        for _ in range(self._count):
            painter.drawEllipse(
                QRectF(x - radius, self.height() / 2 - radius, 2 * radius, 2 * radius)
            )
            x += 2 * radius + gap


class StaffPanel(QWidget):
    """Covers the kiosk while open. ``exit_requested`` and ``settings_requested`` are only
    emitted after the right PIN; ``closed`` whenever it goes away."""

    exit_requested = Signal()
    settings_requested = Signal()
    closed = Signal()

    def __init__(
        self,
        *,
        pin_hash: Callable[[], str],
        lockout: PinLockout,
        can_open_settings: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._pin_hash = pin_hash
        self._lockout = lockout
        self._mode: PinMode = "unlock"
        self._entered = ""
        self._was_locked = False
        self._checking = False
        # Bumped whenever the panel closes: a check still running for an earlier prompt
        # must not open the staff menu of a later one.
        self._generation = 0
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self.tr("Staff access"))
        self.hide()

        self._card = QFrame(self)
        self._card.setObjectName("staffCard")
        self._card.setFixedWidth(480)
        card_layout = QVBoxLayout(self._card)
        card_layout.setContentsMargins(36, 32, 36, 28)
        # Two pages, one shown at a time; a hidden page takes no room, so the card fits the
        # page shown (a QStackedWidget is as tall as its tallest page).
        self._pages = [self._build_pin_page(), self._build_menu_page(can_open_settings)]
        self._page = 0
        for page in self._pages:
            card_layout.addWidget(page)
        self._apply_style()

    # -- building --------------------------------------------------------------------------

    def _title(self, text: str, icon_name: str) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        glyph = QLabel()
        glyph.setPixmap(
            icon(icon_name, self.palette().color(QPalette.ColorRole.Highlight)).pixmap(32, 32)
        )
        label = QLabel(text)
        label.setObjectName("staffTitle")
        layout.addStretch(1)
        layout.addWidget(glyph)
        layout.addWidget(label)
        layout.addStretch(1)
        return row

    def _build_pin_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        self._pin_title = QLabel()
        self._pin_title.setObjectName("staffTitle")
        self._pin_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = QLabel()
        self.message.setObjectName("staffMessage")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setMinimumHeight(48)
        self._dots = PinDots()
        layout.addWidget(self._pin_title)
        layout.addWidget(self.message)
        layout.addWidget(self._dots)

        grid = QGridLayout()
        grid.setSpacing(12)
        self._keys: list[QPushButton] = []
        for index, digit in enumerate("123456789"):
            grid.addWidget(self._key(digit, digit), index // 3, index % 3)
        self._delete = self._key("⌫", None, self.tr("Delete the last digit"))
        self._ok = self._key(self.tr("OK"), None, self.tr("Enter the PIN"))
        self._ok.setObjectName("okKey")
        self._delete.clicked.connect(self.delete_digit)
        self._ok.clicked.connect(self.submit)
        grid.addWidget(self._delete, 3, 0)
        grid.addWidget(self._key("0", "0"), 3, 1)
        grid.addWidget(self._ok, 3, 2)
        self._keypad = QWidget()
        self._keypad.setLayout(grid)
        layout.addWidget(self._keypad)

        cancel = QPushButton(self.tr("Back to doors"))
        cancel.setObjectName("flat")
        cancel.setAccessibleName(self.tr("Back to doors"))
        cancel.setMinimumHeight(52)
        cancel.clicked.connect(self.close_panel)
        layout.addWidget(cancel)
        return page

    def _key(self, text: str, digit: str | None, name: str | None = None) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name or text)
        button.setMinimumSize(QSize(112, 72))
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        if digit is not None:
            button.clicked.connect(lambda: self.type_digit(digit))
        self._keys.append(button)
        return button

    def _build_menu_page(self, can_open_settings: bool) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14)
        layout.addWidget(self._title(self.tr("Staff"), "key"))
        hint = QLabel(self.tr("The kiosk returns to the doors by itself when left alone."))
        hint.setObjectName("staffMessage")
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(hint)
        self.exit_button = self._menu_button(self.tr("Exit kiosk"), "quit", "danger")
        self.exit_button.clicked.connect(self._exit)
        layout.addWidget(self.exit_button)
        self.settings_button: QPushButton | None = None
        if can_open_settings:
            self.settings_button = self._menu_button(self.tr("Settings…"), "settings")
            self.settings_button.clicked.connect(self._settings)
            layout.addWidget(self.settings_button)
        back = self._menu_button(self.tr("Back to doors"), "door", "flat")
        back.clicked.connect(self.close_panel)
        layout.addWidget(back)
        return page

    def _menu_button(self, text: str, icon_name: str, role: str = "") -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text)
        button.setMinimumHeight(64)
        button.setIconSize(QSize(24, 24))
        button.setIcon(icon(icon_name, self._role_color(role)))
        button.setObjectName(role or "menu")
        return button

    def _role_color(self, role: str) -> QColor:
        if role == "danger":
            return state_colors(self.palette()).danger
        return self.palette().color(QPalette.ColorRole.ButtonText)

    def _apply_style(self) -> None:
        danger = state_colors(self.palette()).danger.name()
        self.setStyleSheet(
            f"""
            QFrame#staffCard {{ background: palette(window); border: 1px solid palette(mid);
                               border-radius: 24px; }}
            QLabel#staffTitle {{ font-size: 26px; font-weight: 600; }}
            QLabel#staffMessage {{ font-size: 16px; color: palette(placeholder-text); }}
            QLabel#staffMessage[severity="error"] {{ color: {danger}; }}
            QPushButton {{ font-size: 26px; border-radius: 14px; border: 1px solid palette(mid);
                          background: palette(button); padding: 8px 18px; }}
            QPushButton:pressed {{ background: palette(midlight); }}
            QPushButton:disabled {{ color: palette(placeholder-text); }}
            QPushButton#okKey {{ background: palette(highlight);
                                color: palette(highlighted-text); border: none; }}
            QPushButton#danger {{ color: {danger}; font-size: 20px; text-align: left; }}
            QPushButton#flat {{ border: none; background: transparent; font-size: 18px;
                               color: palette(link); }}
            QPushButton#menu {{ font-size: 20px; text-align: left; }}
            """
        )

    # -- state -----------------------------------------------------------------------------

    @property
    def mode(self) -> PinMode | Literal["menu"]:
        return "menu" if self._page == 1 else self._mode

    def open_prompt(self) -> None:
        """Show the keypad, or, while no staff PIN is set, only the sentence saying where
        to set one."""
        self._show_pin("unlock" if self._pin_hash() else "no_pin")
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        logger.info("Staff PIN prompt opened on the kiosk.")

    def close_panel(self) -> None:
        was_open = self.isVisible()
        self._generation += 1
        self._checking = False
        self._entered = ""
        self._dots.set_count(0, "")
        self.hide()
        if was_open:
            self.closed.emit()

    def _show_pin(self, mode: PinMode, message: str = "", error: bool = False) -> None:
        self._mode = mode
        self._entered = ""
        self._pin_title.setText(self.tr("Staff only"))
        if not message:
            message = (
                self.tr("Enter the staff PIN.")
                if mode == "unlock"
                else self.tr(
                    "This kiosk has no staff PIN yet. Set one at the front desk: "
                    "Settings → Kiosk, or `bmx-console kiosk-pin`."
                )
            )
        self._keypad.setVisible(mode == "unlock")
        self._dots.setVisible(mode == "unlock")
        self._show_page(0)
        self._say(message, error)
        self.refresh()

    def _say(self, message: str, error: bool = False) -> None:
        self.message.setText(message)
        self.message.setProperty("severity", "error" if error else "")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    def refresh(self) -> None:
        """Follow the lockout: disable the keypad and count down while it lasts."""
        locked = self._mode == "unlock" and self._lockout.locked
        for key in self._keys:
            key.setEnabled(not locked and not self._checking)
        if locked:
            self._say(
                self.tr("Too many wrong PINs. Try again in {time}.").format(
                    time=_minutes_seconds(self._lockout.remaining_s())
                ),
                error=True,
            )
        elif self._was_locked:
            self._say(self.tr("Enter the staff PIN."))
        self._was_locked = locked
        self._dots.set_count(len(self._entered), self.tr("PIN"))

    # -- input -----------------------------------------------------------------------------

    def type_digit(self, digit: str) -> None:
        if self._page != 0 or len(self._entered) >= PIN_MAX_DIGITS:
            return
        if self._mode != "unlock" or self._lockout.locked or self._checking:
            return
        self._entered += digit
        self._dots.set_count(len(self._entered), self.tr("PIN"))

    def delete_digit(self) -> None:
        self._entered = self._entered[:-1]
        self._dots.set_count(len(self._entered), self.tr("PIN"))

    @property
    def checking(self) -> bool:
        """A typed PIN is being checked (the keypad waits)."""
        return self._checking

    def submit(self) -> None:
        if self._page != 0 or self._mode != "unlock" or self._checking:
            return
        entered, self._entered = self._entered, ""
        self._dots.set_count(0, self.tr("PIN"))
        if self._lockout.locked:
            self.refresh()
            return
        if len(entered) < PIN_MIN_DIGITS:
            # No stored PIN is this short: a slip of the finger, not a guess to count.
            self._say(
                self.tr("The PIN has at least {low} digits.").format(low=PIN_MIN_DIGITS), True
            )
            return
        stored = self._pin_hash()
        if not stored:
            # Cleared at the desk since the prompt opened.
            self._show_pin("no_pin")
            return
        self._checking = True
        self.refresh()
        self._say(self.tr("Checking…"))
        spawn(self._check(entered, stored, self._generation), name=self.tr("Checking the PIN"))

    async def _check(self, entered: str, stored: str, generation: int) -> None:
        try:
            loop = asyncio.get_running_loop()
            right = await loop.run_in_executor(_CHECKER, verify_pin, entered, stored)
        finally:
            if generation == self._generation:
                self._checking = False
        if generation != self._generation:
            return
        if right:
            self._lockout.succeeded()
            logger.info("Staff unlocked the kiosk.")
            self._show_page(1)
            return
        lockout_s = self._lockout.failed()
        logger.warning("A wrong staff PIN was entered on the kiosk.")
        if lockout_s:
            logger.warning(
                "Kiosk PIN prompt locked for %.0f s after repeated wrong PINs.", lockout_s
            )
        else:
            self._say(
                self.tr("Wrong PIN. {count} tries left.").format(count=self._lockout.tries_left),
                error=True,
            )
        self.refresh()

    def _exit(self) -> None:
        logger.info("Staff chose to exit the kiosk.")
        self.exit_requested.emit()

    def _settings(self) -> None:
        self.close_panel()
        self.settings_requested.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        text = event.text()
        if text.isdigit() and text.isascii():
            self.type_digit(text)
        elif key == Qt.Key.Key_Backspace:
            self.delete_digit()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._page == 0:
            self.submit()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    # -- painting --------------------------------------------------------------------------

    def _show_page(self, index: int) -> None:
        self._page = index
        for number, page in enumerate(self._pages):
            page.setVisible(number == index)
        self._place_card()

    def _place_card(self) -> None:
        layout = self._card.layout()
        if layout is not None:
            layout.activate()
        self._card.adjustSize()
        self._card.move(
            (self.width() - self._card.width()) // 2, (self.height() - self._card.height()) // 2
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._place_card()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0, 150))
        painter.end()

    def sizeHint(self) -> QSize:
        return QSize(800, 600)
