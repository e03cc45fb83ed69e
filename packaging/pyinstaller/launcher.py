"""PyInstaller entry point: the bundle runs this file as ``__main__``.

A relative import in ``bmx_console/__main__.py`` would not survive being the entry script, so
the bundle enters through this file and calls the console script's function.
"""

from bmx_console.__main__ import main

main()
