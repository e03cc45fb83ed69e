"""``python -m bmx_console`` and the ``bmx-console`` console script."""

from __future__ import annotations

import sys


def main() -> None:
    from bmx_console.cli import main as cli_main

    sys.exit(cli_main())


if __name__ == "__main__":
    main()
