"""The simulator on a loopback port, in its own process, sized for a benchmark.

``python bench/_sim_server.py [--doors N] [--events N] [--stamp-releases]`` prints one JSON
line (base URL, token URL, demo client id and secret, buildings and their front-desk tenants)
and serves until its standard input is closed.

The simulated property has 20 doors; ``--doors`` adds synthetic doors, spread over its three
buildings, through the cloud's internal tables (the simulator has no public way to grow a
roster). ``--feed-rate`` adds that many live events a second from a thread. ``--events``
logs that many access events at random doors over the last
``--window`` seconds through ``Cloud.add_event``, so that a console's first poll (one hour of
history) reads them all. ``--stamp-releases`` wraps the simulator's ASGI app to note, on
CLOCK_MONOTONIC, when each door release request reaches it and when its answer leaves
(``GET /_bench/stamps``); every request is logged too (``GET /_bench/requests``).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import timedelta
from typing import Any

import _support  # noqa: F401  (puts the repository on sys.path)

from bmx_console.sim import server as sim_server
from bmx_console.sim.asgi import create_app
from bmx_console.sim.cloud import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Cloud
from bmx_console.sim.seed import iso

RELEASE_PATH = "/v4/door_release_requests"
_WINGS = ("North", "South", "East", "West", "Tower A", "Tower B")
_KINDS = ("Stair", "Suite", "Corridor", "Storage", "Mail Room", "Terrace", "Laundry", "Elevator")
_NAMES = ("Ava Chen", "Noah Patel", "Mia Russo", "Liam Okafor", "Zoe Novak", "Omar Haddad")
_METHODS = ("Swipe to open", "PIN code", "Key fob", "Bluetooth", "App call", "Delivery Pass")


def grow_roster(cloud: Cloud, total_doors: int) -> None:
    """Add synthetic doors until the property has ``total_doors``, round-robin over the
    buildings, each named like a real secondary door ("Tower A Stair 12")."""
    with cloud._lock:
        buildings = [b["id"] for b in cloud._buildings]
        stamp = cloud._doors[0]
        index = 0
        while len(cloud._doors) < total_doors:
            building_id = buildings[index % len(buildings)]
            wing = _WINGS[(index // len(buildings)) % len(_WINGS)]
            kind = _KINDS[(index // 7) % len(_KINDS)]
            door = {
                "created_at": stamp["created_at"],
                "id": cloud._ids.new(),
                "name": f"{wing} {kind} {index + 1}",
                "updated_at": stamp["updated_at"],
                "building_id": building_id,
                "device_ids": [],
                "open_hours": [],
            }
            cloud._doors.append(door)
            cloud._doors_of[building_id].append(door)
            index += 1


def serve_doors_without_copying() -> None:
    """The simulator hands each request a deep copy of every door (so that nothing a
    request does can change its tables); at 20,000 doors that is ~0.1 s per page of 100,
    200 pages a roster, and the simulator, not the console, became what a big-roster bench
    measured. The bench's records are never changed by a request: a list of the same
    records will do."""

    def doors(self: Cloud) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._doors)

    Cloud.doors = property(doors)  # type: ignore[assignment,method-assign]


def find_by_index() -> None:
    """The simulator finds a record by scanning its list; at 20,000 doors that was most of
    its time per added event. Bench only: an index per list (rebuilt when it grows)."""
    from bmx_console.sim.cloud_state import CloudState

    scan = CloudState._find
    indexes: dict[int, tuple[int, dict[Any, dict[str, Any]]]] = {}

    def find(records: list[dict[str, Any]], record_id: Any) -> dict[str, Any]:
        if len(records) < 64:
            return scan(records, record_id)
        kept = indexes.get(id(records))
        if kept is None or kept[0] != len(records):
            kept = (len(records), {r["id"]: r for r in records})
            indexes[id(records)] = kept
        record = kept[1].get(record_id)
        return record if record is not None else scan(records, record_id)

    CloudState._find = staticmethod(find)  # type: ignore[method-assign]


def feed_events(cloud: Cloud, per_s: float, rng: random.Random) -> None:
    """Live traffic at ``per_s`` access events a second at random doors, added every 50 ms
    from a thread (the simulator's own generator weighs every door for every event, too
    slow at thousands a second and tens of thousands of doors)."""
    import threading

    doors = [d["id"] for d in cloud._doors]

    def run() -> None:
        owed = 0.0
        last = time.monotonic()
        while True:
            time.sleep(0.05)
            now = time.monotonic()
            owed += (now - last) * per_s
            last = now
            for _ in range(int(owed)):
                cloud.add_event(
                    access_point=doors[rng.randrange(len(doors))],
                    name=rng.choice(_NAMES),
                    release_type=rng.choice(("Tenant", "Tenant", "Visitor", "Delivery")),
                    entry_method=rng.choice(_METHODS),
                )
            owed -= int(owed)

    threading.Thread(target=run, name="feed", daemon=True).start()


def add_events(cloud: Cloud, count: int, window_s: float, rng: random.Random) -> None:
    """``count`` access events at random doors, evenly spread over the last ``window_s``."""
    doors = cloud.doors
    now = cloud.clock.now()
    for n in range(count):
        door = doors[rng.randrange(len(doors))]
        moment = now - timedelta(seconds=window_s * (count - n) / count)
        cloud.add_event(
            access_point=door["id"],
            logged_at=iso(moment),
            name=rng.choice(_NAMES),
            release_type=rng.choice(("Tenant", "Tenant", "Visitor", "Delivery")),
            entry_method=rng.choice(_METHODS),
        )


def stamping(stamps: list[dict[str, Any]], requests: list[tuple[int, str, str]]) -> Any:
    """``create_app`` with a wrapper that notes when each release request arrives and when
    its answer goes out (``GET /_bench/stamps``), and every request's time, path and query
    (``GET /_bench/requests``: [monotonic ns, path, query string])."""

    def make(cloud: Cloud) -> Any:
        app = create_app(cloud)

        async def reply(send: Any, payload: Any) -> None:
            body = json.dumps(payload).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [(b"content-type", b"application/json")],
                }
            )
            await send({"type": "http.response.body", "body": body})

        async def wrapper(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            path = scope["path"]
            if path == "/_bench/stamps":
                await reply(send, stamps)
                return
            if path == "/_bench/requests":
                await reply(send, requests)
                return
            requests.append(
                (time.monotonic_ns(), path, scope.get("query_string", b"").decode("latin-1"))
            )
            if path != RELEASE_PATH:
                await app(scope, receive, send)
                return
            stamp: dict[str, Any] = {"ns": time.monotonic_ns()}
            stamps.append(stamp)

            async def noting_send(message: dict[str, Any]) -> None:
                if message["type"] == "http.response.start":
                    stamp["status"] = message.get("status")
                    stamp["answered_ns"] = time.monotonic_ns()
                await send(message)
                if message["type"] == "http.response.body" and not message.get("more_body"):
                    stamp["body_sent_ns"] = time.monotonic_ns()  # handed to the socket

            await app(scope, receive, noting_send)

        return wrapper

    return make


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--doors", type=int, default=0)
    parser.add_argument("--events", type=int, default=0)
    parser.add_argument("--window", type=float, default=3000.0)
    parser.add_argument("--event-rate", type=float, default=6.0)
    parser.add_argument("--call-rate", type=float, default=1.0)
    parser.add_argument("--history-days", type=int, default=3)
    parser.add_argument("--stamp-releases", action="store_true")
    parser.add_argument(
        "--feed-rate", type=float, default=0.0, help="live access events a second, from a thread"
    )
    args = parser.parse_args()

    cloud = Cloud(
        seed=7,
        event_rate_per_min=args.event_rate,
        call_rate_per_min=args.call_rate,
        history_days=args.history_days,
    )
    find_by_index()
    if args.doors:
        grow_roster(cloud, args.doors)
        serve_doors_without_copying()
    if args.events:
        add_events(cloud, args.events, args.window, random.Random(11))
    stamps: list[dict[str, Any]] = []
    requests: list[tuple[int, str, str]] = []
    # Always wrapped: the request log costs little, and --stamp-releases is kept for old
    # command lines.
    sim_server.create_app = stamping(stamps, requests)  # type: ignore[assignment]
    if args.feed_rate:
        feed_events(cloud, args.feed_rate, random.Random(13))
    server = sim_server.SimServer(cloud)
    server.start()
    doors_per_building: dict[int, int] = {}
    for door in cloud.doors:
        doors_per_building[door["building_id"]] = doors_per_building.get(door["building_id"], 0) + 1
    info = {
        "base_url": server.base_url,
        "token_url": server.token_url,
        "client_id": DEMO_CLIENT_ID,
        "client_secret": DEMO_CLIENT_SECRET,
        "buildings": [b["id"] for b in cloud.buildings],
        "front_desk": {str(k): v for k, v in cloud.front_desk_tenant_ids().items()},
        "doors_per_building": {str(k): v for k, v in doors_per_building.items()},
        "doors": len(cloud.doors),
    }
    print(json.dumps(info), flush=True)
    try:
        sys.stdin.read()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
