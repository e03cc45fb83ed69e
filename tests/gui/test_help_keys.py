"""Help that helps and a desk that works from the keyboard: the offline user guide, the log
folder's path when no file manager answers, Ctrl+F and Ctrl+Shift+F to the searches, Tab out
of a table in one press, a shortcuts sheet built from the menus, and Ctrl+Q that asks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QTextBrowser
from pytestqt.qtbot import QtBot

from bmx_console.ui.event_pane import EventPane
from bmx_console.ui.help_dialogs import LogFolderDialog, ShortcutsDialog, UserGuideDialog
from bmx_console.ui.main_window import MainWindow
from tests.gui.desk_support import Desk, window

WAIT_MS = 5_000
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def active(qtbot: QtBot, main: MainWindow) -> MainWindow:
    main.activateWindow()
    main.raise_()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main, timeout=WAIT_MS)
    return main


def menu_actions(menu: QMenu) -> list[QAction]:
    found: list[QAction] = []
    for action in menu.actions():
        sub = action.menu()
        if isinstance(sub, QMenu):
            found += menu_actions(sub)
        elif not action.isSeparator():
            found.append(action)
    return found


def all_menu_actions(main: MainWindow) -> list[QAction]:
    found: list[QAction] = []
    for action in main.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu):
            found += menu_actions(menu)
    return found


def test_help_user_guide_explains_the_desk_offline(qtbot: QtBot, desk: Desk) -> None:
    main = window(desk)
    main.guide_action.trigger()
    dialog = main.open_dialog("guide")
    assert isinstance(dialog, UserGuideDialog)
    text = dialog.findChild(QTextBrowser).toPlainText()
    for topic in (
        "Releasing a door",
        "Panel calls",
        "Visitor and delivery passes",
        "What the State column means",
        "When ButterflyMX cannot be reached",
    ):
        assert topic in text
    dialog.reject()


def test_the_log_folder_path_is_shown_with_copy_when_no_file_manager_answers(
    qtbot: QtBot, desk: Desk, tmp_path: Path
) -> None:
    main = window(desk)
    asked: list[QUrl] = []
    main.open_url = lambda url: asked.append(url) or False
    main.log_action.trigger()
    dialog = main.open_dialog("log_folder")
    assert isinstance(dialog, LogFolderDialog)
    assert len(asked) == 1
    folder = asked[0].toLocalFile()
    assert dialog.path.text() == folder
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == folder
    dialog.reject()

    # With a file manager, no dialog.
    main.open_url = lambda url: True
    assert main.open_log_folder() is None


def test_ctrl_f_and_ctrl_shift_f_focus_the_searches(qtbot: QtBot, desk: Desk) -> None:
    main = active(qtbot, window(desk))
    main.door_list.view.setFocus()
    QTest.keyClick(main.door_list.view, Qt.Key.Key_F, CTRL)
    qtbot.waitUntil(main.door_list.search.hasFocus, timeout=WAIT_MS)

    search = main.event_pane.search
    QTest.keyClick(main.door_list.search, Qt.Key.Key_F, CTRL | SHIFT)
    qtbot.waitUntil(search.hasFocus, timeout=WAIT_MS)

    # Hidden filters come back for Ctrl+F.
    main.filters_action.trigger()
    assert not main.door_list.search.isVisible()
    QTest.keyClick(search, Qt.Key.Key_F, CTRL)
    qtbot.waitUntil(main.door_list.search.hasFocus, timeout=WAIT_MS)


def test_tab_leaves_the_door_and_event_tables_in_one_press(qtbot: QtBot, desk: Desk) -> None:
    main = active(qtbot, window(desk))
    assert isinstance(main.event_pane, EventPane)
    events = main.event_pane.view
    for view in (main.door_list.view, events):
        view.setFocus()
        view.setCurrentIndex(view.model().index(0, 0))
        qtbot.waitUntil(view.hasFocus, timeout=WAIT_MS)
        QTest.keyClick(view, Qt.Key.Key_Tab)
        qtbot.waitUntil(lambda v=view: not v.hasFocus(), timeout=WAIT_MS)
        assert QApplication.focusWidget() is not view


def test_every_menu_entry_has_a_shortcut_and_the_sheet_lists_them_all(
    qtbot: QtBot, desk: Desk
) -> None:
    main = window(desk)
    actions = all_menu_actions(main)
    assert [a.text() for a in actions if a.shortcut().isEmpty()] == []
    keys = [a.shortcut().toString() for a in actions]
    assert len(keys) == len(set(keys)), "two entries share a shortcut"

    main.shortcuts_action.trigger()
    sheet = main.open_dialog("shortcuts")
    assert isinstance(sheet, ShortcutsDialog)
    listed = dict(sheet.listed())
    for action in actions:
        shown = action.shortcut().toString()
        assert shown in listed, action.text()
    assert any(keys.startswith("F1") for keys in listed), "the door hotkeys are listed too"
    sheet.reject()


def test_ctrl_q_asks_before_the_desk_closes(qtbot: QtBot, desk: Desk) -> None:
    main = active(qtbot, window(desk))
    QTest.keyClick(main, Qt.Key.Key_Q, CTRL)
    qtbot.waitUntil(
        lambda: main.quit_prompt is not None and main.quit_prompt.isVisible(), timeout=WAIT_MS
    )
    prompt = main.quit_prompt
    assert isinstance(prompt, QMessageBox)
    assert main.isVisible()
    keep = prompt.defaultButton()
    assert keep is not None and keep.text() == "Keep the desk open"
    qtbot.mouseClick(keep, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not prompt.isVisible(), timeout=WAIT_MS)
    assert main.isVisible()

    QTest.keyClick(main, Qt.Key.Key_Q, CTRL)
    qtbot.waitUntil(
        lambda: main.quit_prompt is not prompt and main.quit_prompt is not None, timeout=WAIT_MS
    )
    quit_button = next(b for b in main.quit_prompt.buttons() if b.text() == "Quit")
    with qtbot.waitSignal(main.closed, timeout=WAIT_MS):
        qtbot.mouseClick(quit_button, Qt.MouseButton.LeftButton)
    assert not main.isVisible()
