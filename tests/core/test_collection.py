"""Full garbage collections walk only what came since the last one, and lose nothing.

Measured on the real collector: what a full collection would walk is what sits in the
oldest generation (``gc.get_objects(2)``), what is frozen is out of it, and a cycle that
dies is gone when its weak reference is dead.
"""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import Iterator

import pytest

from bmx_console.core.collection import FULL_EVERY, SurvivorFreezer, exempt_once_loaded


class Record:
    """Stands for a long-lived event: tracked by the collector, in no cycle."""

    __slots__ = ("__weakref__", "id", "partner")

    def __init__(self, id: int) -> None:
        self.id = id
        self.partner: Record | None = None


def cycle() -> Record:
    a, b = Record(1), Record(2)
    a.partner, b.partner = b, a
    return a


def walked(records: list[Record]) -> int:
    """How many of ``records`` the next full collection would walk."""
    ids = {id(r) for r in records}
    return sum(1 for o in gc.get_objects(2) if id(o) in ids)


@pytest.fixture(autouse=True)
def thawed() -> Iterator[None]:
    gc.collect()
    yield
    gc.unfreeze()
    gc.collect()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_what_survives_a_full_collection_is_not_walked_by_the_next_one() -> None:
    events = [Record(i) for i in range(5000)]
    gc.collect()
    assert walked(events) == 5000  # today: every full collection walks all of them again
    with SurvivorFreezer():
        gc.collect()
        assert walked(events) == 0
        newer = [Record(i) for i in range(100)]
        gc.collect()
        assert walked(newer) == 0
    assert len(events) == 5000


def test_a_cycle_that_dies_before_a_full_collection_is_collected_not_frozen() -> None:
    with SurvivorFreezer():
        garbage = weakref.ref(cycle())
        gc.collect()
        assert garbage() is None


def test_a_frozen_cycle_that_dies_later_is_reclaimed_within_the_hour() -> None:
    clock = Clock()
    with SurvivorFreezer(clock=clock, reclaim_every_s=3600) as freezer:
        alive = cycle()
        gc.collect()  # alive: frozen with the other survivors
        dead = weakref.ref(alive)
        del alive
        gc.collect()
        assert dead() is not None  # frozen: not walked, so not yet found
        clock.now += 3600
        gc.collect()  # an hour on: handed back, not frozen again
        assert freezer.reclaims == 1
        gc.collect()  # the next full collection walks everything once
        assert dead() is None
        survivor = [Record(i) for i in range(10)]
        gc.collect()
        assert walked(survivor) == 0  # and freezing resumes


def freezing() -> bool:
    return any(isinstance(getattr(cb, "__self__", None), SurvivorFreezer) for cb in gc.callbacks)


def test_the_desk_freezes_from_its_start_all_once_loaded_and_stops_with_it() -> None:
    async def desk_lifetime() -> None:
        loaded = asyncio.Event()

        class Pollers:
            async def ready(self) -> None:
                await loaded.wait()

        task = asyncio.ensure_future(exempt_once_loaded(Pollers()))
        for _ in range(20):
            await asyncio.sleep(0)
        assert freezing()
        roster = [Record(i) for i in range(2000)]
        gc.collect(1)
        assert walked(roster) == 2000  # not frozen before the first roster is in
        loaded.set()
        for _ in range(20):
            if walked(roster) == 0:
                break
            await asyncio.sleep(0)
        assert walked(roster) == 0
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(desk_lifetime())
    assert not freezing()


def test_full_collections_come_more_often_while_survivors_are_frozen_and_as_before_after() -> None:
    """Each walks only what survived since the last: smaller and more often is shorter."""
    before = gc.get_threshold()
    with SurvivorFreezer():
        assert gc.get_threshold() == (before[0], before[1], FULL_EVERY)
    assert gc.get_threshold() == before
