"""Words, not codes: what the operator reads says what happened and what to do; the HTTP
status and the endpoint are behind Details (the error banner's toggle, the failed row's
tooltip) and in the log."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from bmx_console.errors import Forbidden
from bmx_console.sim.cloud import Cloud
from bmx_console.ui import qt_async
from bmx_console.ui.door_model import COL_STATE
from tests.gui.desk_support import Desk, click_release, row, state_text, window

WAIT_MS = 5_000


def test_a_refused_release_says_why_in_words_and_keeps_the_code_for_details(
    qtbot: QtBot, desk: Desk, cloud: Cloud
) -> None:
    door_id = next(d["id"] for d in cloud.doors if d["name"] == "Lobby")
    cloud.faults.add("/v4/door_release_requests", status=403)

    click_release(qtbot, desk, door_id)
    qtbot.waitUntil(lambda: row(desk, door_id).state == "failed", timeout=WAIT_MS)

    shown = state_text(desk, door_id)
    assert "ButterflyMX refused: this desk's account may not release doors" in shown
    assert "HTTP" not in shown and "/v4" not in shown and "403" not in shown
    door_list = window(desk).door_list
    proxy_row = door_list.proxy_row_of(door_id)
    assert proxy_row is not None
    tooltip = str(door_list.proxy.index(proxy_row, COL_STATE).data(Qt.ItemDataRole.ToolTipRole))
    assert "Details: HTTP 403 on /v4/door_release_requests" in tooltip


def test_the_error_banner_hides_the_code_behind_details(qtbot: QtBot, desk: Desk) -> None:
    main = window(desk)
    error = Forbidden(
        "ButterflyMX refused: this desk's account may not read panels.",
        status=403,
        endpoint="/v4/devices",
    )
    # As the desk wires it (desk._install_error_hooks): the window hears sentence and details.
    qt_async.set_error_reporter(main.report_error, details=True)
    qt_async.report_error(error, "Panels")
    banner = main.error_banner
    qtbot.waitUntil(banner.isVisible, timeout=WAIT_MS)
    assert banner.detail.text() == (
        "Panels: ButterflyMX refused: this desk's account may not read panels."
    )
    assert banner.details_button.isVisible()
    assert not banner.details.isVisible()

    qtbot.mouseClick(banner.details_button, Qt.MouseButton.LeftButton)
    assert banner.details.isVisible()
    assert banner.details.text() == "HTTP 403 on /v4/devices"
