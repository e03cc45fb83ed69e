"""The Qt user interface (desk window, kiosk, dialogs).

Importing it also tells PySide6's ``__feature__`` import hook to leave the console's modules
alone. That hook (``shibokensupport.feature``) runs ``inspect.getsource()`` on every module
imported after PySide6, to see whether it says ``from __feature__ import ...``, and the source
text stays in ``linecache`` for the life of the process: for the desk about 50 ms of start-up
and 5 MiB of memory spent on a feature this console never uses (it writes Qt's own camelCase
names). Marking every module as already classified skips the scan; a PySide6 whose internals
differ is left as it is.
"""

from __future__ import annotations

import PySide6  # noqa: F401  (loads shibokensupport, whose hook is tamed below)


class _EveryModuleClassified(dict[str, int]):
    """The hook's table of "does this module select PySide features?": it only scans a module
    whose name is not in the table, so this table says every name is."""

    def __contains__(self, name: object) -> bool:
        return True


def _skip_feature_scan() -> None:
    try:
        from shibokensupport import feature
    except ImportError:
        return
    table = getattr(feature, "pyside_feature_dict", None)
    if type(table) is dict:
        feature.pyside_feature_dict = _EveryModuleClassified(table)


_skip_feature_scan()
