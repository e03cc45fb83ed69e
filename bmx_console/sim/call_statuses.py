"""Calls of every status in the simulator's history.

The cloud's documented statuses are the first five; real accounts also show declined,
answered, connecting_sip, voip_rollover and rejected. The history is drawn with the first
five (so the random streams, and every id and event they make, stay as they were), then
every other call without a status takes one of the others in turn.
"""

from __future__ import annotations

from bmx_console.sim.seed import Record

LATER_STATUSES = ("declined", "answered", "connecting_sip", "voip_rollover", "rejected")


def spread_statuses(calls_by_building: dict[int, list[Record]]) -> None:
    unset = sorted(
        (c for calls in calls_by_building.values() for c in calls if c.get("status") is None),
        key=lambda c: (str(c["logged_at"]), int(c["id"])),
    )
    for index, call in enumerate(unset[1::2]):
        call["status"] = LATER_STATUSES[index % len(LATER_STATUSES)]
