"""Who is on the desk: the name every audit entry of this session carries.

A shared desk computer usually runs under one desktop account, so the account name says
little about which guard released a door. When the settings name no operator, the desk asks
at the start of each session (a shift), prefilled with the desktop account's name so that a
single-person desk only presses Enter; File → Change operator… hands the desk over mid-shift.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bmx_console.ui import icons
from bmx_console.ui.confirm import FollowsTheme, badge_header, style_primary
from bmx_console.ui.dialog_kit import FieldNote, heading, icon_pixmap, muted
from bmx_console.ui.theme import state_colors

MAX_NAME_LENGTH = 80


class ShiftDialog(FollowsTheme, QDialog):
    """ "Who is on the desk?" ``operator_chosen(name)`` fires when the operator confirms.

    Closing it without confirming keeps the name the desk had: the audit log always has one.
    """

    operator_chosen = Signal(str)

    def __init__(
        self,
        current: str,
        *,
        changing: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._styled_for: tuple[int, int, int] | None = None
        self.setWindowTitle(self.tr("Change operator") if changing else self.tr("Start of shift"))
        self.setMinimumWidth(440)
        self.title = heading(self.tr("Who is on the desk?"), level=2)
        self.explain = muted(
            self.tr(
                "Every door release and pass from now on is recorded in the audit log under "
                "this name."
            )
        )
        self.badge = QLabel(self)
        self.badge.setFixedSize(52, 52)
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.name = QLineEdit(current, self)
        self.name.setAccessibleName(self.tr("Operator name"))
        self.name.setPlaceholderText(self.tr("Your name"))
        self.name.setMaxLength(MAX_NAME_LENGTH)
        self.name.setClearButtonEnabled(True)
        self.name.setMinimumHeight(34)
        self.name.textChanged.connect(self._check)
        self.problem = FieldNote(self)

        self.cancel_button = QPushButton(
            self.tr("Cancel") if changing else self.tr("Keep {0}").format(current), self
        )
        self.cancel_button.setAccessibleName(self.tr("Keep the current operator"))
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        self.start_button = QPushButton(
            self.tr("Take over the desk") if changing else self.tr("Start shift"), self
        )
        self.start_button.setAccessibleName(self.start_button.text())
        self.start_button.setDefault(True)
        self.start_button.setIcon(icons.icon("check", QColor("#ffffff")))
        self.start_button.clicked.connect(self._confirm)
        for button in (self.cancel_button, self.start_button):
            button.setMinimumHeight(34)
            button.setMinimumWidth(110)

        top = badge_header(self.badge, self.title, self.explain)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.start_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 20, 22, 18)
        layout.setSpacing(14)
        layout.addLayout(top)
        layout.addWidget(self.name)
        layout.addWidget(self.problem)
        layout.addSpacing(4)
        layout.addLayout(buttons)
        self._restyle()
        self._check()

    @property
    def chosen_name(self) -> str:
        return " ".join(self.name.text().split())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)
        self.name.selectAll()

    def _check(self) -> None:
        empty = not self.chosen_name
        self.start_button.setEnabled(not empty)
        self.problem.show_problem(
            self.tr("Enter a name: releases need someone to answer for them.") if empty else None
        )

    def _confirm(self) -> None:
        name = self.chosen_name
        if not name:
            return
        self.operator_chosen.emit(name)
        self.accept()

    def _restyle(self) -> None:
        self._mark_styled()
        colors = state_colors(self.palette())
        base = self.palette().color(QPalette.ColorRole.Window)
        self.badge.setPixmap(icon_pixmap("person", colors.info, 28, self.devicePixelRatioF()))
        self.badge.setStyleSheet(
            f"background: {colors.tint(colors.info, base, 0.16).name()}; border-radius: 26px;"
        )
        style_primary(self.start_button)


class OperatorPrompt(QObject):
    """Asks who is on the desk: at the start of a shift, and from File → Change operator….

    ``chosen(name)`` gets each confirmed name; the dialogs are window-modal and opened with
    ``open()``, so the loop keeps running (and the doors keep working) while one is up.
    """

    def __init__(
        self,
        window: QWidget,
        *,
        current: Callable[[], str],
        chosen: Callable[[str], object],
        menu: QMenu | None = None,
        before: QAction | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._current = current
        self._chosen = chosen
        self.dialog: ShiftDialog | None = None
        self.action = QAction(self.tr("Change &operator…"), window)
        self.action.setShortcut(QKeySequence("Ctrl+Shift+U"))
        self.action.triggered.connect(lambda: self.ask(changing=True))
        if menu is not None:
            anchor = _group_start(menu, before)
            if anchor is None:
                menu.addAction(self.action)
            else:
                menu.insertAction(anchor, self.action)

    def ask(self, *, changing: bool = False) -> ShiftDialog:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            self.dialog.activateWindow()
            return self.dialog
        dialog = ShiftDialog(self._current(), changing=changing, parent=self._window)
        dialog.operator_chosen.connect(self._chosen)
        dialog.finished.connect(lambda _result: self._closed(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _closed(self, dialog: ShiftDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()


def _group_start(menu: QMenu, before: QAction | None) -> QAction | None:
    """Above the separator that sits over ``before`` (Quit), so that the entry joins the
    group of entries above it rather than Quit's."""
    actions = menu.actions()
    if before is None or before not in actions:
        return None
    index = actions.index(before)
    if index > 0 and actions[index - 1].isSeparator():
        return actions[index - 1]
    return before
