"""Setters that leave a widget alone when nothing changes.

Qt sends a widget an event on every ``setToolTip`` and, for ``setStyleSheet``, repolishes it
and its children, changed or not. The status bar and a ringing call's banner refresh every
second; with these, a second in which nothing changed costs the window nothing.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget


def set_tip(widget: QWidget, text: str) -> None:
    if widget.toolTip() != text:
        widget.setToolTip(text)


def set_sheet(widget: QWidget, sheet: str) -> None:
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)


def set_property(widget: QWidget, name: str, value: Any) -> None:
    if widget.property(name) != value:
        widget.setProperty(name, value)
