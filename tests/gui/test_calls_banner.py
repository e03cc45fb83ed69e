"""The incoming-call banner against the in-process simulator: it rings for new calls, its
"Release <door>" opens that panel's door once, acknowledged calls go away, unacknowledged
ones are missed, and calls for the front desk ask for attention."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from bmx_console.api.models import Call
from bmx_console.core.release import ReleaseService
from bmx_console.ui.call_banner import RING_S, CallBanner
from bmx_console.ui.missed_calls import MissedCallsDialog
from tests.gui.desk_support import run
from tests.gui.sim_desk import SimDeskBase, open_sim_desk

CARROLL = 274691693
CARROLL_MAIN_PANEL = 121538194  # opens Main Entrance and Lobby
CARROLL_MAIN, CARROLL_LOBBY = 117556660, 990985090
KINZIE_MAIN_PANEL, KINZIE_MAIN = 224813789, 344013786
TENANT = {"id": 792045073, "type": "Tenant"}


class SimDesk(SimDeskBase):
    async def sync(self) -> None:
        """One round of what the pollers do: roster, then each building's calls."""
        buildings = await self.roster()
        since = self.clock.now() - timedelta(hours=2)
        for building in buildings:
            self.store.add_calls(await self.client.calls(building.id, since))


@pytest.fixture
def desk(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> Iterator[SimDesk]:
    yield from open_sim_desk(qtbot, SimDesk)


def make_banner(qtbot: QtBot, desk: SimDesk, **kwargs: Any) -> CallBanner:
    service = ReleaseService(
        desk.client,
        desk.store,
        tenant_id=desk.cloud.front_desk_tenant_id(CARROLL),
        clock=desk.clock,
    )
    banner = CallBanner(
        desk.store,
        fetch_image=desk.client.fetch_image,
        release=service.release,
        clock=desk.clock,
        **kwargs,
    )
    qtbot.addWidget(banner)
    banner.resize(1100, 150)
    return banner


def ring(qtbot: QtBot, desk: SimDesk, seconds: float = 3, **fields: Any) -> int:
    """A panel call placed now in the simulator, polled into the store."""
    desk.clock.advance(seconds)
    call_id = int(desk.cloud.add_call(**fields)["id"])
    run(qtbot, desk.sync())
    return call_id


def test_a_new_call_shows_its_panel_and_the_doors_it_opens(qtbot: QtBot, desk: SimDesk) -> None:
    assert desk.store.call_count() > 0  # the history: before the start, never rings
    banner = make_banner(qtbot, desk)
    shown: list[Call] = []
    banner.call_shown.connect(shown.append)
    assert banner.isHidden()
    assert banner.missed_calls() == []

    call_id = ring(qtbot, desk, device=CARROLL_MAIN_PANEL, recipient=TENANT, unit={"id": 632131112})

    assert banner.isVisible()
    assert [c.id for c in shown] == [call_id]
    assert banner.panel_label.text() == "Main Entrance"
    assert banner.kicker.text() == "INCOMING CALL"
    assert {d: b.text() for d, b in banner.release_buttons.items()} == {
        CARROLL_MAIN: "Release Main Entrance  (Ctrl+2)",
        CARROLL_LOBBY: "Release Lobby  (Ctrl+1)",
    }
    details = banner.details_label.text()
    assert "For a resident, unit 632131112" in details
    assert "14:00:03 · 09:00 EST (0 s ago)" in details
    assert banner.position_label.isHidden()

    qtbot.waitUntil(lambda: banner.snapshot.state == "loaded", timeout=5000)
    image = [r for r in desk.transport.requests if "/sim-images/" in r.url.path]
    assert len(image) == 1 and "authorization" not in image[0].headers

    desk.clock.advance(75)
    banner.tick()
    assert "(1 min ago)" in banner.details_label.text()


def test_release_opens_exactly_that_panels_door_once(qtbot: QtBot, desk: SimDesk) -> None:
    banner = make_banner(qtbot, desk)
    ring(qtbot, desk, device=CARROLL_MAIN_PANEL, recipient=TENANT)

    qtbot.mouseClick(banner.release_buttons[CARROLL_LOBBY], Qt.MouseButton.LeftButton)
    assert banner.feedback() == ("sending", "Releasing Lobby…")
    assert not banner.release_buttons[CARROLL_LOBBY].isEnabled()
    qtbot.waitUntil(lambda: banner.feedback()[0] == "released", timeout=5000)

    assert banner.feedback() == ("released", "Lobby released.")
    assert banner.feedback_label.isVisible() and banner.feedback_label.text() == "Lobby released."
    releases = desk.cloud.releases
    assert len(releases) == 1
    assert releases[0]["request"] == {
        "door_release_request": {
            "tenant_id": desk.cloud.front_desk_tenant_id(CARROLL),
            "access_point_id": CARROLL_LOBBY,
        }
    }
    assert banner.release_buttons[CARROLL_LOBBY].isEnabled()


def test_a_failed_release_says_why_on_the_banner(qtbot: QtBot, desk: SimDesk) -> None:
    banner = make_banner(qtbot, desk)
    ring(qtbot, desk, device=CARROLL_MAIN_PANEL, recipient=TENANT)
    desk.cloud.faults.add("/v4/door_release_requests", status=403)

    banner.release_door(CARROLL_MAIN)
    qtbot.waitUntil(lambda: banner.feedback()[0] == "failed", timeout=5000)
    _state, sentence = banner.feedback()
    assert sentence.startswith("Main Entrance was not released: ")
    assert "may not release doors" in sentence and "403" not in sentence
    assert banner.feedback_label.text() == sentence
    assert desk.cloud.releases == []


def test_acknowledge_hides_the_banner_and_the_call_is_not_missed(
    qtbot: QtBot, desk: SimDesk
) -> None:
    banner = make_banner(qtbot, desk)
    call_id = ring(qtbot, desk, device=CARROLL_MAIN_PANEL, recipient=TENANT)
    acknowledged: list[Call] = []
    banner.acknowledged.connect(acknowledged.append)

    qtbot.mouseClick(banner.acknowledge_button, Qt.MouseButton.LeftButton)

    assert [c.id for c in acknowledged] == [call_id]
    assert banner.isHidden()
    assert banner.missed_calls() == []
    desk.clock.advance(RING_S + 5)
    banner.tick()
    run(qtbot, desk.sync())  # the same call polled again does not ring again
    assert banner.isHidden()


def test_several_calls_queue_one_of_three(qtbot: QtBot, desk: SimDesk) -> None:
    banner = make_banner(qtbot, desk)
    first = ring(qtbot, desk, device=CARROLL_MAIN_PANEL, recipient=TENANT)
    second = ring(qtbot, desk, device=KINZIE_MAIN_PANEL, recipient=TENANT)
    third = ring(qtbot, desk, device=CARROLL_MAIN_PANEL, recipient=TENANT)

    assert banner.position_label.text() == "1 of 3"
    assert banner.current_call().id == first  # type: ignore[union-attr]
    qtbot.mouseClick(banner.next_button, Qt.MouseButton.LeftButton)
    assert banner.position_label.text() == "2 of 3"
    assert list(banner.release_buttons) == [KINZIE_MAIN]
    assert not banner.previous_button.isHidden() and banner.previous_button.isEnabled()

    banner.acknowledge()
    assert banner.position_label.text() == "2 of 2"
    assert banner.current_call().id == third  # type: ignore[union-attr]
    assert not banner.next_button.isEnabled()
    banner.acknowledge()
    banner.acknowledge()
    assert banner.isHidden()
    assert {c.id for c in banner.missed_calls()} == set()
    assert second not in {c.id for c in banner.queued_calls()}


def test_unacknowledged_calls_are_listed_as_missed(qtbot: QtBot, desk: SimDesk) -> None:
    banner = make_banner(qtbot, desk)
    counts: list[int] = []
    banner.missed_changed.connect(counts.append)
    dismissed = ring(qtbot, desk, device=CARROLL_MAIN_PANEL, recipient=TENANT)
    banner.dismiss()
    assert [c.id for c in banner.missed_calls()] == [dismissed]

    # Nobody at the desk: the call rings out and leaves the banner as missed.
    unanswered = ring(qtbot, desk, device=KINZIE_MAIN_PANEL, recipient=TENANT)
    assert banner.current_call().id == unanswered  # type: ignore[union-attr]
    desk.clock.advance(RING_S + 1)
    banner.tick()
    assert [c.id for c in banner.missed_calls()] == [unanswered, dismissed]
    assert counts == [1, 2]

    # With nothing ringing the banner is one line about them.
    assert not banner.isHidden()
    assert banner.call_page.isHidden() and not banner.missed_page.isHidden()
    assert banner.missed_summary.text().startswith("2 missed calls — the last from Main Entrance")

    dialog = banner.show_missed_calls()
    assert isinstance(dialog, MissedCallsDialog)
    assert dialog.heading.text() == "2 missed calls"
    assert dialog.list.topLevelItemCount() == 2
    assert dialog.list.topLevelItem(0).text(1) == "Main Entrance"  # type: ignore[union-attr]
    assert dialog.list.topLevelItem(0).text(3) == "Nobody answered from the desk"  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: dialog.snapshot.state == "loaded", timeout=5000)
    assert banner.isHidden()  # reviewed: the notice goes, the list stays
    assert len(banner.missed_calls()) == 2

    qtbot.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)
    assert banner.missed_calls() == []
    assert dialog.heading.text() == "No missed calls"


def test_a_call_released_from_the_banner_is_not_missed(qtbot: QtBot, desk: SimDesk) -> None:
    banner = make_banner(qtbot, desk)
    ring(qtbot, desk, device=CARROLL_MAIN_PANEL, recipient=TENANT)
    banner.release_door(CARROLL_MAIN)
    qtbot.waitUntil(lambda: banner.feedback()[0] == "released", timeout=5000)
    banner.dismiss()
    assert banner.missed_calls() == []
    assert banner.isHidden()


def test_a_call_polled_late_after_a_gap_is_missed_without_ringing(
    qtbot: QtBot, desk: SimDesk
) -> None:
    banner = make_banner(qtbot, desk)
    desk.clock.advance(60)
    late = desk.cloud.add_call(device=CARROLL_MAIN_PANEL, recipient=TENANT)
    desk.clock.advance(600)  # the network was down for ten minutes
    run(qtbot, desk.sync())

    assert banner.current_call() is None
    assert [c.id for c in banner.missed_calls()] == [late["id"]]
    assert banner.missed_summary.text().startswith("1 missed call — ")


def test_a_desk_call_asks_for_attention_and_beeps_until_acknowledged(
    qtbot: QtBot, desk: SimDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    beeps: list[int] = []
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: beeps.append(1)))
    banner = make_banner(qtbot, desk, alert_repeat_ms=20)
    banner.set_alerts(raise_window=True, sound=True)
    attention: list[Call] = []
    banner.wants_attention.connect(attention.append)

    ring(qtbot, desk, device=CARROLL_MAIN_PANEL, recipient=TENANT)
    assert attention == [] and not banner.is_alerting()  # a resident's call: no alarm

    desk_call = ring(
        qtbot, desk, device=KINZIE_MAIN_PANEL, recipient={"id": None, "type": "Attendant"}
    )
    assert [c.id for c in attention] == [desk_call]
    assert banner.current_call().id == desk_call  # type: ignore[union-attr]
    assert banner.kicker.text() == "CALL FOR THE FRONT DESK"
    assert "For the front desk" in banner.details_label.text()
    assert banner.is_alerting()
    qtbot.waitUntil(lambda: len(beeps) >= 3, timeout=3000)

    banner.acknowledge()
    assert not banner.is_alerting()
    heard = len(beeps)
    qtbot.wait(100)  # the repeat interval is 20 ms: five would have sounded by now
    assert len(beeps) == heard


def test_the_desk_tenant_counts_as_the_front_desk_and_alerts_can_be_off(
    qtbot: QtBot, desk: SimDesk
) -> None:
    desk_tenant = desk.cloud.front_desk_tenant_id(CARROLL)
    banner = make_banner(qtbot, desk, desk_tenant_id=desk_tenant)
    attention: list[Call] = []
    banner.wants_attention.connect(attention.append)

    call_id = ring(
        qtbot, desk, device=CARROLL_MAIN_PANEL, recipient={"id": desk_tenant, "type": "Tenant"}
    )
    assert banner.is_for_desk(banner.current_call())  # type: ignore[arg-type]
    assert attention == [] and not banner.is_alerting()  # alerts are off by default

    banner.set_alerts(raise_window=False, sound=True)
    assert banner.is_alerting()
    banner.release_door(CARROLL_MAIN)
    qtbot.waitUntil(lambda: banner.feedback()[0] == "released", timeout=5000)
    assert not banner.is_alerting()  # answered by a release
    assert banner.current_call().id == call_id  # type: ignore[union-attr]


def test_a_panel_with_no_linked_door_says_so(qtbot: QtBot, desk: SimDesk) -> None:
    banner = make_banner(qtbot, desk)
    desk.store.add_calls(
        [
            Call(
                id=5,
                logged_at=desk.clock.now(),
                building_id=CARROLL,
                recipient_type="Tenant",
                panel_id=999,
                panel_name="Side Gate",
            )
        ]
    )
    assert banner.panel_label.text() == "Side Gate"
    assert banner.release_buttons == {}
    assert not banner.no_door_label.isHidden()
    assert banner.snapshot.state == "empty"


def test_a_second_press_right_after_a_release_is_ignored_and_said(
    qtbot: QtBot, desk: SimDesk
) -> None:
    banner = make_banner(qtbot, desk)
    ring(qtbot, desk, device=CARROLL_MAIN_PANEL, recipient=TENANT)
    banner.release_door(CARROLL_LOBBY)
    qtbot.waitUntil(lambda: banner.feedback()[0] == "released", timeout=5000)
    banner.release_door(CARROLL_LOBBY)
    qtbot.waitUntil(lambda: banner.feedback()[0] == "ignored", timeout=5000)
    assert banner.feedback()[1].startswith("Lobby: Already sent — ignored a second press")
    assert len(desk.cloud.releases) == 1


class _Restyles(QObject):
    """Counts what makes Qt restyle or re-send a widget's tooltip."""

    def __init__(self) -> None:
        super().__init__()
        self.seen = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.ToolTipChange):
            self.seen += 1
        return False


def test_a_ringing_call_restyles_nothing_in_a_second_where_nothing_changed(
    qtbot: QtBot, desk: SimDesk
) -> None:
    """The banner refreshes every second while a call rings: a style sheet or a tooltip set
    again to the same value repolished the labels every second, CPU for nothing."""
    banner = make_banner(qtbot, desk)
    ring(qtbot, desk, device=CARROLL_MAIN_PANEL, recipient=TENANT)
    banner.show()
    qtbot.waitExposed(banner)
    banner.tick()
    restyles = _Restyles()
    for label in (banner.answer_label, banner.details_label):
        label.installEventFilter(restyles)
    for _ in range(3):
        banner.tick()
    QApplication.processEvents()
    assert restyles.seen == 0
