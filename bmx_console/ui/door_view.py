"""The door table view: keyboard releases, the empty-list message, the stale veil, and the
guards that keep a click or a key on the door the operator meant.

Rows must not move under the pointer. While the pointer is over the rows or a mouse button
is held, the view says so (``hold_changed``) and the door list holds the order still. A
banner, an error line or a notice appearing above the list still moves the whole list down
on screen: for that the view remembers when its rows last moved on screen, and a click that
lands within ``SHIFT_GUARD_MS`` of such a move is not taken as a release (the operator aimed
at what was there before). We chose this guard over reserving the banners' space (a desk
that has no call most of the day would lose 130 px of doors) and over overlaying them (a
banner over the list hides the very rows it is about).
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QEvent, QModelIndex, QObject, QPoint, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QMoveEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QShowEvent,
)
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from bmx_console.ui.door_model import door_id_of

# A click this soon after the rows moved on screen was aimed at what was there before.
SHIFT_GUARD_MS = 600

_RELEASE_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)


class DoorTableView(QTableView):
    """The table, plus: Enter or Space releases the selected door when its row is on screen
    (else the first press scrolls to it and ``second_press_needed`` asks for another), an
    empty-list message, a veil over the rows while the list is stale, and the pointer
    guards described in the module."""

    release_requested = Signal(int)
    second_press_needed = Signal(int)  # door id
    hold_changed = Signal(bool)  # True while the pointer is over the rows or a button held

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.placeholder = ""
        self.stale = False
        self._pointer_inside = False
        self._buttons_held = False
        self._held = False
        self._origin: QPoint | None = None
        self._shifted = QElapsedTimer()
        self._watched: list[QWidget] = []
        # A click meant for a row that lands on the header after a shift must not re-sort.
        self.horizontalHeader().viewport().installEventFilter(self)

    # -- holding the order still -----------------------------------------------------------

    @property
    def held(self) -> bool:
        return self._held

    def viewportEvent(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.Enter, QEvent.Type.HoverEnter, QEvent.Type.MouseMove):
            self._set_hold(inside=True)
        elif kind in (QEvent.Type.Leave, QEvent.Type.HoverLeave):
            self._set_hold(inside=False)
        elif kind == QEvent.Type.MouseButtonPress:
            self._set_hold(inside=True, held=True)
        elif kind == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            held = event.buttons() != Qt.MouseButton.NoButton
            inside = self.viewport().rect().contains(event.position().toPoint())
            # Handled first, so that a release's row is judged in the order it was pressed.
            handled = super().viewportEvent(event)
            self._set_hold(inside=inside, held=held)
            return handled
        return super().viewportEvent(event)

    def _set_hold(self, *, inside: bool, held: bool | None = None) -> None:
        self._pointer_inside = inside
        if held is not None:
            self._buttons_held = held
        hold = self._pointer_inside or self._buttons_held
        if hold != self._held:
            self._held = hold
            self.hold_changed.emit(hold)

    # -- the rows moving on screen ---------------------------------------------------------

    def recently_shifted(self) -> bool:
        """True within ``SHIFT_GUARD_MS`` of the rows moving on screen."""
        self._check_origin()
        return self._shifted.isValid() and self._shifted.elapsed() < SHIFT_GUARD_MS

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Every ancestor: a banner above the list moves the tab widget, not this view.
        for widget in self._watched:
            widget.removeEventFilter(self)
        self._watched = []
        ancestor = self.parentWidget()
        while ancestor is not None:
            ancestor.installEventFilter(self)
            self._watched.append(ancestor)
            ancestor = ancestor.parentWidget()
        self._origin = self.viewport().mapToGlobal(QPoint(0, 0))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.Move, QEvent.Type.Resize):
            self._check_origin()
        elif (
            kind == QEvent.Type.MouseButtonPress
            and watched is self.horizontalHeader().viewport()
            and self.recently_shifted()
        ):
            return True
        return super().eventFilter(watched, event)

    def moveEvent(self, event: QMoveEvent) -> None:
        super().moveEvent(event)
        self._check_origin()

    def _check_origin(self) -> None:
        if not self.isVisible():
            return
        origin = self.viewport().mapToGlobal(QPoint(0, 0))
        if self._origin is not None and origin != self._origin:
            self._shifted.start()
        self._origin = origin

    # -- keys ------------------------------------------------------------------------------

    def row_on_screen(self, index: QModelIndex) -> bool:
        """The whole row is in view, on a visible table."""
        if not self.isVisible() or not index.isValid():
            return False
        rect = self.visualRect(index)
        return rect.isValid() and rect.top() >= 0 and rect.bottom() <= self.viewport().height()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in _RELEASE_KEYS:
            if not event.isAutoRepeat():
                index = self.currentIndex()
                door_id = door_id_of(index)
                if door_id is not None and self.row_on_screen(index):
                    self.release_requested.emit(door_id)
                elif door_id is not None:
                    # Never release a row the operator cannot see: show it, ask again.
                    self.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
                    self.second_press_needed.emit(door_id)
            event.accept()
            return
        super().keyPressEvent(event)

    # -- look ------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        painter = QPainter(self.viewport())
        if self.stale:
            veil = QColor(self.palette().color(QPalette.ColorRole.Window))
            veil.setAlphaF(0.45)
            painter.fillRect(self.viewport().rect(), veil)
        if model is not None and model.rowCount() == 0 and self.placeholder:
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            larger = QFont(self.font())
            larger.setPointSizeF(larger.pointSizeF() * 1.1)
            painter.setFont(larger)
            painter.drawText(
                self.viewport().rect().adjusted(24, 24, -24, -24),
                Qt.AlignmentFlag.AlignHCenter
                | Qt.AlignmentFlag.AlignTop
                | Qt.TextFlag.TextWordWrap,
                self.placeholder,
            )
        painter.end()
