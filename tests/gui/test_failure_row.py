"""A failed release reads on its row: the sentence with its time, wrapped over the lines the
row holds, the row's accessible description; it clears on the next success or after a few
minutes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from bmx_console.clock import FakeClock
from bmx_console.core.release import FAILURE_SHOWN_S
from bmx_console.sim.cloud import Cloud
from bmx_console.ui.door_delegates import wrapped_lines
from bmx_console.ui.door_model import COL_NAME, COL_STATE
from bmx_console.ui.time_text import time_text
from tests.gui.desk_support import Desk, click_release, row, state_text, window

WAIT_MS = 5_000


def test_a_failure_says_when_is_described_and_clears_after_a_few_minutes(
    qtbot: QtBot, desk: Desk, cloud: Cloud, clock: FakeClock
) -> None:
    door_id = next(d["id"] for d in cloud.doors if d["name"] == "Lobby")
    cloud.faults.add("/v4/door_release_requests", status=403)
    click_release(qtbot, desk, door_id)
    qtbot.waitUntil(lambda: row(desk, door_id).state == "failed", timeout=WAIT_MS)

    status = row(desk, door_id).release
    assert status.failed_at is not None and status.failure is not None
    expected = f"{time_text(status.failed_at, clock.now(), seconds=False)} · {status.failure}"
    assert expected in state_text(desk, door_id)
    door_list = window(desk).door_list
    proxy_row = door_list.proxy_row_of(door_id)
    assert proxy_row is not None
    name_cell = door_list.proxy.index(proxy_row, COL_NAME)
    assert name_cell.data(Qt.ItemDataRole.AccessibleDescriptionRole) == expected

    clock.advance(FAILURE_SHOWN_S - 1)
    desk.releases.tick()
    assert row(desk, door_id).state == "failed"
    clock.advance(2)
    desk.releases.tick()
    assert row(desk, door_id).state == "idle"
    assert row(desk, door_id).release.failure is None


def test_the_next_success_clears_the_failure(qtbot: QtBot, desk: Desk, cloud: Cloud) -> None:
    door_id = next(d["id"] for d in cloud.doors if d["name"] == "Lobby")
    cloud.faults.add("/v4/door_release_requests", status=403, times=1)
    click_release(qtbot, desk, door_id)
    qtbot.waitUntil(lambda: row(desk, door_id).state == "failed", timeout=WAIT_MS)
    click_release(qtbot, desk, door_id)
    qtbot.waitUntil(lambda: row(desk, door_id).state == "released", timeout=WAIT_MS)
    assert row(desk, door_id).release.failure is None


@pytest.mark.parametrize("height", [900, 760])  # two-line rows, and compact ones under 900
def test_a_refusal_reads_whole_on_its_row_at_1280_wide(
    qtbot: QtBot, desk: Desk, cloud: Cloud, clock: FakeClock, height: int
) -> None:
    main = window(desk)
    main.showNormal()
    main.resize(1280, height)
    door_list = main.door_list
    qtbot.waitUntil(lambda: door_list.view.width() > 1000, timeout=WAIT_MS)
    door_id = next(d["id"] for d in cloud.doors if d["name"] == "Lobby")
    cloud.faults.add("/v4/door_release_requests", status=403)
    click_release(qtbot, desk, door_id)
    qtbot.waitUntil(lambda: row(desk, door_id).state == "failed", timeout=WAIT_MS)
    status = row(desk, door_id).release
    assert status.failed_at is not None and status.failure is not None
    sentence = f"{time_text(status.failed_at, clock.now(), seconds=False)} · {status.failure}"
    assert len(sentence) > 60  # what happened and what to do: more than a cell's width

    view = door_list.view
    proxy_row = door_list.proxy_row_of(door_id)
    assert proxy_row is not None
    view.scrollTo(door_list.proxy.index(proxy_row, COL_STATE))
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.font = view.font()
    option.rect = view.visualRect(door_list.proxy.index(proxy_row, COL_STATE))
    option.widget = view
    block = view.itemDelegateForColumn(COL_STATE).aside_block(option, row(desk, door_id))
    assert block is not None
    shown = " ".join(block.lines)
    assert "…" not in shown, f"elided on its row: {block.lines}"
    assert shown == sentence
    assert block.rect.bottom() <= option.rect.bottom() + 1  # inside its own row


def test_a_long_sentence_wraps_over_the_lines_there_are() -> None:
    metrics = QFontMetrics(QFont())
    sentence = (
        "ButterflyMX refused: this desk's account may not release doors (the door-release "
        "scope). Ask your ButterflyMX representative to add it."
    )
    lines = wrapped_lines(sentence, metrics, 200, 3)
    assert len(lines) == 3
    assert all(metrics.horizontalAdvance(line) <= 200 for line in lines)
    assert lines[0].startswith("ButterflyMX refused:")
    assert " ".join(lines).replace("…", "") in sentence or lines[-1].endswith("…")
    assert wrapped_lines("Door busy.", metrics, 200, 3) == ["Door busy."]
    assert " ".join(wrapped_lines(sentence, metrics, 2000, 3)) == sentence
