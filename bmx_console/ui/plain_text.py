"""Text from the cloud or from a person is data: shown as plain text, never as markup.

Qt guesses: a QLabel, a QMessageBox or a tooltip whose text looks like HTML (``<img
src=file:///…>``, ``<a href=…>``) renders it, loading local files and hiding the real name.
Every label the console makes is plain text: ``PlainTextGuard``, installed on the application,
sets each QLabel's format explicitly as it is polished (before it is first shown), and shows
every tooltip escaped. The few labels whose markup is the console's own (the About box, the
kiosk's list of recent events, which escapes the names it puts in) say so with ``rich()``.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QToolTip, QWidget

_RICH = "bmxOwnMarkup"


def rich(label: QLabel) -> QLabel:
    """Mark ``label`` as showing markup the console wrote itself (any data in it escaped)."""
    label.setProperty(_RICH, True)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


def escaped(text: str) -> str:
    """``text`` made safe inside the console's own markup."""
    return html.escape(text, quote=True)


def tooltip_markup(text: str) -> str:
    """A tooltip that shows ``text`` exactly: escaped inside markup Qt cannot mistake."""
    return "<qt>" + escaped(text).replace("\n", "<br>") + "</qt>"


def notification_text(text: str) -> str:
    """``text`` for a desktop notification: notification servers that take body markup
    (most Linux desktops) would render ``<a href=…>`` from a name, and one without would show
    ``&lt;`` for an escaped one; markup's three characters become look-alikes both read."""
    return text.replace("&", "＆").replace("<", "‹").replace(">", "›")


class PlainTextGuard(QObject):
    """Application-wide event filter: plain-text labels, escaped tooltips."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Polish and isinstance(watched, QLabel):
            if watched.property(_RICH) is not True:
                watched.setTextFormat(Qt.TextFormat.PlainText)
        elif kind == QEvent.Type.ToolTip and isinstance(watched, QWidget):
            assert isinstance(event, QHelpEvent)
            text = _tooltip_of(watched, event)
            if text is None:
                return False
            if text:
                QToolTip.showText(event.globalPos(), tooltip_markup(text), watched)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return False


def _tooltip_of(widget: QWidget, event: QHelpEvent) -> str | None:
    """The tooltip Qt would show for ``event`` on ``widget``; None to let Qt handle it."""
    view = widget.parent()
    if isinstance(view, QAbstractItemView) and widget is view.viewport():
        index: QModelIndex = view.indexAt(event.pos())
        value = index.data(Qt.ItemDataRole.ToolTipRole) if index.isValid() else None
        return str(value) if value else ""
    if isinstance(widget, QAbstractItemView):
        return None
    return widget.toolTip()


_guard: PlainTextGuard | None = None


def install_plain_text_guard(app: QApplication) -> PlainTextGuard:
    """Install the guard once on ``app`` (idempotent)."""
    global _guard
    if _guard is None:
        _guard = PlainTextGuard(app)
        app.installEventFilter(_guard)
    return _guard
