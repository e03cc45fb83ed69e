"""Reading a log's pages: each record once, at or after the time asked, oldest first, with
the work done page by page as they come (a sweep of a busy log is hundreds of pages)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from bmx_console.api.models import Call
from bmx_console.api.replies import LogWalk
from tests.api.conftest import page

SINCE = datetime(2026, 11, 21, 13, 0, tzinfo=UTC)
PATH = "/v4/buildings/5/calls"


def call(call_id: int, seconds: float, status: str = "initializing") -> dict[str, Any]:
    moment = SINCE + timedelta(seconds=seconds)
    return {"id": call_id, "logged_at": moment.strftime("%Y-%m-%dT%H:%M:%SZ"), "status": status}


def walk_through(pages: list[list[dict[str, Any]]]) -> tuple[LogWalk[Call], list[list[int]]]:
    walk: LogWalk[Call] = LogWalk(PATH, lambda raw: Call.from_api(raw, 5), since=SINCE)
    kept_so_far: list[list[int]] = []
    for number, data in enumerate(pages, start=1):
        following = number + 1 if number < len(pages) else None
        reply = httpx.Response(200, json=page(data, current=number, next_page=following))
        done = walk.take(reply)
        kept_so_far.append([c.id for c in walk.records])
        assert done == (following is None)
    return walk, kept_so_far


def test_pages_in_the_logs_order_come_back_oldest_first_each_record_once() -> None:
    # Newest first, as the cloud lists it; page 2 repeats the end of page 1 (the list moved
    # under a new call), by then with a later status; the last record is before ``since``.
    first = [call(40, 40, "opened_door"), call(30, 30), call(20, 20)]
    second = [call(20, 20, "missed"), call(10, 10), call(5, -5)]
    walk, kept_so_far = walk_through([first, second])
    assert kept_so_far == [[40, 30, 20], [40, 30, 20, 10]]  # as the pages came
    calls = walk.oldest_first()
    assert [c.id for c in calls] == [10, 20, 30, 40]
    assert next(c for c in calls if c.id == 20).status == "initializing"  # the first read


def test_pages_out_of_order_still_come_back_oldest_first() -> None:
    walk, _ = walk_through([[call(30, 30), call(40, 40)], [call(10, 10), call(35, 35)]])
    assert [c.id for c in walk.oldest_first()] == [10, 30, 35, 40]
