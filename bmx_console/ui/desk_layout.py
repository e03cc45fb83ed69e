"""How the desk window fits its screen: its first size, the compact density of short
windows, where the events go (below the doors, or beside them when the window is wide enough
for both), how the height or width is shared between them, and the layers over its panes.

Sizes are logical pixels, so that one rule holds at 100, 150 and 200 % scaling: a 1280×800
screen at 150 % is a 853×533 desk.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QShowEvent
from PySide6.QtWidgets import QMainWindow, QSplitter, QVBoxLayout, QWidget

# A window shorter than this shows single-line door rows and a compact call banner, so that
# a 1280×800 desk still shows eight doors with a call up.
COMPACT_BELOW = 900
# On a screen shorter or narrower than this, the first start opens maximised: a desk on such
# a screen wants all of it. Above, a window of FIRST_SIZE at most, centred.
MAXIMISE_BELOW = (1500, 1200)
FIRST_SIZE = (1600, 1060)
# Doors the splitter keeps on screen, above the events, while the events keep EVENTS_LEAST.
DOORS_SHOWN = 8
EVENTS_LEAST = 150
# The window's own margins around the splitter (central layout, tab frame), near enough: the
# splitter's width is not known before the window is first laid out.
AROUND_SPLITTER = 40


class DoorPane(Protocol):
    def set_compact(self, compact: bool) -> None: ...
    def essential_width(self) -> int: ...
    def height_for_rows(self, rows: int) -> int: ...


def place_first_time(window: QMainWindow, screen: QRect) -> None:
    """The first start's size and place on ``screen`` (its available area); the operator's
    own are remembered from then on."""
    window.resize(
        min(FIRST_SIZE[0], screen.width() * 92 // 100),
        min(FIRST_SIZE[1], screen.height() * 9 // 10),
    )
    frame = window.frameGeometry()
    frame.moveCenter(screen.center())
    window.move(frame.topLeft())
    if screen.width() < MAXIMISE_BELOW[0] or screen.height() < MAXIMISE_BELOW[1]:
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


class DeskFit(QObject):
    """Keeps the doors and events splitter fitting the window as it is resized.

    The events go beside the doors when the operator chose it and the window is wide enough
    for the door list's name, state and Release columns and the events pane's narrowest
    form; otherwise below. Until the operator drags the splitter (or a saved one is
    restored), the doors keep the height of ``DOORS_SHOWN`` rows (or half the width beside)
    and the events the rest; the window's height decides the density."""

    def __init__(
        self,
        window: QWidget,
        splitter: QSplitter,
        doors: DoorPane,
        events: QWidget,
        banner: QWidget | None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._splitter = splitter
        self._doors = doors
        self._events = events
        self._banner = banner
        self._beside = False
        self.compact: bool | None = None
        self.user_sized = False
        # Owned by the splitter, so that it cannot fire once the splitter is gone.
        self._share_timer = QTimer(splitter)
        self._share_timer.setSingleShot(True)
        self._share_timer.setInterval(0)
        self._share_timer.timeout.connect(self._share)
        splitter.splitterMoved.connect(self._dragged)
        window.installEventFilter(self)
        splitter.installEventFilter(self)

    @property
    def beside(self) -> bool:
        """Whether the events are beside the doors now (not only chosen to be)."""
        return self._splitter.orientation() == Qt.Orientation.Horizontal

    def set_beside(self, beside: bool, *, share: bool = True) -> None:
        """The operator's choice; ``share`` (a choice made now) shares the splitter anew."""
        self._beside = beside
        if share:
            self.user_sized = False
        self.fit()

    def restored(self) -> None:
        """The operator's own split came back from the settings: keep it."""
        self.user_sized = True
        self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            if watched is self._window:
                self.fit()
            else:
                self._share_later()
        return False

    def fit(self) -> None:
        compact = self._window.height() < COMPACT_BELOW
        if compact != self.compact:
            self.compact = compact
            self._doors.set_compact(compact)
            _call(self._banner, "set_compact", compact)
        horizontal = self._beside and self._window.width() >= self._beside_width()
        if horizontal != self.beside:
            _call(self._events, "set_narrow", horizontal)
            self._splitter.setOrientation(
                Qt.Orientation.Horizontal if horizontal else Qt.Orientation.Vertical
            )
            self.user_sized = False
        self._share_later()

    def _beside_width(self) -> int:
        """The narrowest window that holds the door list's essential columns beside the
        events pane's narrowest form, with the window's margins."""
        events = _call(self._events, "narrow_width") or self._events.minimumSizeHint().width()
        doors = self._doors.essential_width()
        return doors + self._splitter.handleWidth() + events + AROUND_SPLITTER

    def _share_later(self) -> None:
        # After the layouts have settled: sizes read in a resize are those before it.
        if not self.user_sized:
            self._share_timer.start()

    def _share(self) -> None:
        sizes = self._splitter.sizes()
        total = sum(sizes)
        if self.user_sized or total <= 0 or len(sizes) != 2:
            return
        if self.beside:
            doors = max(total // 2, self._doors.essential_width())
            least = self._events.minimumSizeHint().width()
        else:
            doors = max(total * 3 // 5, self._doors.height_for_rows(DOORS_SHOWN))
            least = EVENTS_LEAST
        doors = max(0, min(doors, total - least))
        if sizes != [doors, total - doors]:
            self._splitter.setSizes([doors, total - doors])

    def _dragged(self, *_: object) -> None:
        self.user_sized = True


def _call(widget: QWidget | None, name: str, *args: object) -> int | None:
    """``widget.name(*args)`` if the widget has it (a desk built without the events pane or
    the call banner has a plain widget in its place)."""
    method: Callable[..., int | None] | None = getattr(widget, name, None)
    return method(*args) if method is not None else None


class Veil(QWidget):
    """A translucent layer over a widget whose data is stale: it greys the widget without
    disabling it (clicks pass through), and without a graphics effect, which re-renders the
    whole widget offscreen and leaves artefacts on scroll areas under X11."""

    def __init__(self, target: QWidget) -> None:
        super().__init__(target)
        self._target = target
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        target.installEventFilter(self)
        self.hide()

    def show_over(self) -> None:
        self.setGeometry(self._target.rect())
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._target and event.type() == QEvent.Type.Resize:
            self.setGeometry(self._target.rect())
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        veil = QColor(self.palette().color(QPalette.ColorRole.Window))
        veil.setAlphaF(0.45)
        painter = QPainter(self)
        painter.fillRect(self.rect(), veil)
        painter.end()


class LazyTab(QWidget):
    """A tab's place, filled by ``make()`` when it is first shown."""

    def __init__(self, make: Callable[[], QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._make: Callable[[], QWidget] | None = make
        self._content: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def content(self) -> QWidget:
        if self._content is None:
            assert self._make is not None
            self._content = self._make()
            self._make = None
            self._layout.addWidget(self._content)
        return self._content

    def showEvent(self, event: QShowEvent) -> None:
        self.content()
        super().showEvent(event)
