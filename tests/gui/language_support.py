"""What a person reads on the desk, widget by widget, to compare two languages."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QTabWidget,
    QWidget,
)


def _menu_texts(menu: QMenu, path: str) -> list[tuple[str, str]]:
    found = [(path, menu.title())]
    for n, action in enumerate(menu.actions()):
        sub = action.menu()
        if isinstance(sub, QMenu):
            found += _menu_texts(sub, f"{path}/{n}")
        elif not action.isSeparator():
            found.append((f"{path}/{n}", action.text()))
    return found


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) for every text shown in ``root``: titles, menus, labels, buttons,
    placeholders, tab and column titles, combo items. Hidden widgets are left out."""
    found: list[tuple[str, str]] = [("title", root.windowTitle())]
    menu_bar = getattr(root, "menuBar", None)
    if callable(menu_bar):
        for n, action in enumerate(menu_bar().actions()):
            if isinstance(action, QAction) and isinstance(action.menu(), QMenu):
                found += _menu_texts(action.menu(), f"menu{n}")
    for n, widget in enumerate(root.findChildren(QWidget)):
        if not widget.isVisibleTo(root):
            continue
        where = f"{type(widget).__name__}#{widget.objectName() or n}"
        if isinstance(widget, QLabel | QAbstractButton):
            found.append((where, widget.text()))
        elif isinstance(widget, QLineEdit):
            found.append((where, widget.placeholderText()))
        elif isinstance(widget, QComboBox):
            found += [(f"{where}/{i}", widget.itemText(i)) for i in range(widget.count())]
        elif isinstance(widget, QTabWidget):
            found += [(f"{where}/{i}", widget.tabText(i)) for i in range(widget.count())]
        elif isinstance(widget, QTableView) and widget.model() is not None:
            model = widget.model()
            found += [
                (f"{where}/h{c}", str(model.headerData(c, Qt.Orientation.Horizontal) or ""))
                for c in range(model.columnCount(QModelIndex()))
            ]
    return [(where, text) for where, text in found if text and text.strip()]
