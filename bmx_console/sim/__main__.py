"""``python -m bmx_console.sim``: the simulated ButterflyMX cloud on a local port."""

from __future__ import annotations

import argparse
import signal
import sys

from bmx_console.sim.cloud import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Cloud
from bmx_console.sim.server import SimServer


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bmx_console.sim",
        description="Serve a simulated ButterflyMX cloud (v4 API and OAuth) for demos and tests.",
    )
    parser.add_argument("--port", type=int, default=8765, help="port to listen on (0: any free)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--seed", type=int, default=7, help="which simulated property")
    parser.add_argument(
        "--event-rate", type=float, default=6.0, help="access events per minute (0: none)"
    )
    parser.add_argument("--call-rate", type=float, default=1.0, help="panel calls per minute")
    parser.add_argument(
        "--token-lifetime", type=int, default=86400, help="access token lifetime in seconds"
    )
    parser.add_argument(
        "--history-days", type=int, default=3, help="days of access log history to start with"
    )
    parser.add_argument(
        "--hostile",
        action="store_true",
        help="names full of HTML, spreadsheet formulas and control characters",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.token_lifetime < 1:
        _parser().error("--token-lifetime must be at least 1 second")
    cloud = Cloud(
        seed=args.seed,
        event_rate_per_min=args.event_rate,
        call_rate_per_min=args.call_rate,
        token_lifetime_s=args.token_lifetime,
        history_days=args.history_days,
        hostile=args.hostile,
    )
    server = SimServer(cloud, host=args.host, port=args.port)
    try:
        server.start()
    except OSError as exc:
        print(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    hostile = ", hostile names" if args.hostile else ""
    print(f"ButterflyMX simulator (seed {args.seed}{hostile})")
    print(f"  base URL:      {server.base_url}   (API paths under /v4)")
    print(f"  token URL:     {server.token_url}")
    print(f"  authorize URL: {server.authorize_url}")
    print(f"  client id:     {DEMO_CLIENT_ID}")
    print(f"  client secret: {DEMO_CLIENT_SECRET}   (demo credentials, not a real account)")
    print("  front desk tenant ids (use as release_tenant_id):")
    desks = cloud.front_desk_tenant_ids()
    for building in cloud.buildings:
        # ascii(): the hostile names must not act on the terminal that started the simulator.
        name = ascii(building["name"]) if args.hostile else building["name"]
        print(f"    {desks[building['id']]}  {name} (building {building['id']})")
    # Started in the background by a shell, a process inherits SIGINT ignored, and Python
    # then never raises KeyboardInterrupt: the Ctrl+C (or kill -INT) this line promises
    # would do nothing.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    print("Press Ctrl+C to stop.", flush=True)
    try:
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
