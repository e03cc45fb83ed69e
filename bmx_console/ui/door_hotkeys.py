"""F1–F12 bound to doors: the first binding, moving a key, its menu, and what the status
line says after a release.

A key belongs to a door id, never to a row position: the list can be searched, filtered,
sorted and pinned in any way and F3 still releases the same door. The first binding is made
once, from the first roster (pinned doors first, then by name); after that only the operator
moves a key, from the door's context menu.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QMenu

from bmx_console.core.store import DoorRow, Store
from bmx_console.ui.door_model import HOTKEY_COUNT


def _tr(text: str) -> str:
    return QCoreApplication.translate("DoorList", text)


def first_binding(doors: Iterable[DoorRow]) -> dict[int, int]:
    """F1… for the pinned doors, then the others by name (then id): {key number: door id}."""
    # The twelve first, not all of them in order: at 20,000 doors a whole sort is a stall,
    # and so is a Python key function called per door; tuples made in one pass are not.
    keys = [(not r.pinned, r.door.name.casefold(), r.door.id) for r in doors]
    first = heapq.nsmallest(HOTKEY_COUNT, keys)
    return {number: key[2] for number, key in enumerate(first, start=1)}


def rebind(door_by_key: dict[int, int], door_id: int, key: int | None) -> dict[int, int]:
    """The bindings with ``door_id`` on ``key`` (taken from whichever door had it) and on
    no other key; with ``key`` None the door has no key."""
    changed = {k: d for k, d in door_by_key.items() if d != door_id and k != key}
    if key is not None:
        changed[key] = door_id
    return dict(sorted(changed.items()))


def hotkey_menu(
    parent: QMenu,
    store: Store,
    door_by_key: dict[int, int],
    door_id: int,
    bind: Callable[[int, int | None], object],
) -> QMenu:
    """ "Hotkey ▸ F1…F12 / None" for a door's context menu; each key says whose it is now,
    and ``bind(door_id, key)`` moves it."""
    menu = QMenu(_tr("Hotkey"), parent)
    group = QActionGroup(menu)
    current = next((k for k, d in door_by_key.items() if d == door_id), None)
    for key in range(1, HOTKEY_COUNT + 1):
        owner = door_by_key.get(key)
        row = store.door(owner) if owner is not None else None
        text = f"F{key}"
        if owner is not None and owner != door_id:
            text += " — " + (row.name if row is not None else _tr("door {0}").format(owner))
        action = menu.addAction(text)
        action.setCheckable(True)
        action.setChecked(key == current)
        action.setActionGroup(group)
        action.triggered.connect(lambda _=False, k=key: bind(door_id, k))
    menu.addSeparator()
    none = menu.addAction(_tr("None"))
    none.setCheckable(True)
    none.setChecked(current is None)
    none.setActionGroup(group)
    none.triggered.connect(lambda _=False: bind(door_id, None))
    return menu


def door_words(row: DoorRow | None, door_id: int) -> str:
    """ "Lobby — The Kinzie": the door and its building, as the status line names them."""
    if row is None:
        return _tr("door {0}").format(door_id)
    return f"{row.name} — {row.building_name}" if row.building_name else row.name


def outcome_sentence(outcome: object, row: DoorRow | None, door_id: int, via: str) -> str:
    """What the status line says after a release from the door list ("" for nothing)."""
    result = getattr(outcome, "result", None)
    door = door_words(row, door_id)
    prefix = f"{via}: " if via else ""
    if result == "released":
        return prefix + _tr("released {0}").format(door)
    if result == "failed":
        error = getattr(outcome, "error", None) or ""
        if getattr(outcome, "unknown", False):
            # Sent, and no answer came: the door may have opened. Never "not released".
            return prefix + _tr("{0}: outcome unknown: {1}").format(door, error).strip()
        return prefix + _tr("{0} was not released: {1}").format(door, error).strip()
    if result == "ignored":
        notice = getattr(outcome, "notice", None) or ""
        return prefix + f"{door}: {notice}".strip()
    return ""


__all__ = ["door_words", "first_binding", "hotkey_menu", "outcome_sentence", "rebind"]
