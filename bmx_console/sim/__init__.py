"""A simulated ButterflyMX cloud, so that ``bmx-console --demo`` runs without an account and
tests talk real HTTP.

``cloud.Cloud`` is the in-memory property and its behaviour; ``asgi.create_app`` serves it;
``transport.in_process_transport`` plugs it into httpx without a socket; ``server.SimServer``
runs it on a loopback port; ``python -m bmx_console.sim`` serves it from the command line.
"""
