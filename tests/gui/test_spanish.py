"""The guard's language: started in Spanish, the desk shows no English word of its own in
the menus, buttons, column headers, status bar, banners and dialogs.

Two checks: no visible text is one of the English source strings of the translation (a
string translated nowhere), and no text is the same in the English and the Spanish desk,
widget for widget (a string that never went through translation at all), data aside.
"""

from __future__ import annotations

import asyncio
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QDialog, QTextBrowser
from pytestqt.qtbot import QtBot

from bmx_console.errors import Forbidden
from bmx_console.sim.cloud import Cloud
from bmx_console.ui import qt_async
from bmx_console.ui.door_model import COL_RELEASE, COL_STATE
from bmx_console.ui.resources import resource_path
from bmx_console.ui.translations import install_translations
from tests.gui.desk_support import Desk, close_desk, make_desk, quiet_cloud, window
from tests.gui.language_support import visible_texts
from tests.support import MemoryKeyring

WAIT_MS = 5_000
# Words that are the same in both languages.
SAME = {"API", "PIN", "OK", "bmx-console", "client_secret", "Token", "DEMO"}


def plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip()


def catalogue() -> tuple[set[str], set[str]]:
    """(English sources whose translation differs, every Spanish translation)."""
    path = resource_path("translations", "bmx-console_es.ts")
    assert path is not None, "the Spanish translation ships in resources/translations"
    english: set[str] = set()
    spanish: set[str] = set()
    for message in ET.parse(path).getroot().iter("message"):
        source = message.findtext("source") or ""
        node = message.find("translation")
        assert node is not None
        forms = [f.text or "" for f in node.findall("numerusform")] or [node.text or ""]
        assert all(forms), f"untranslated in the .ts: {source!r}"
        spanish |= {plain(f) for f in forms}
        if plain(source) not in spanish:
            english.add(plain(source))
    return english, spanish


def desk_texts(qtbot: QtBot, desk: Desk) -> list[tuple[str, str]]:
    """Everything read on the desk: the window, a door row, the error banner and each
    dialog the menus open."""
    main = window(desk)
    door_list = main.door_list
    door_list.model.flush_now()
    texts = visible_texts(main)
    first = door_list.proxy.index(0, COL_STATE)
    texts.append(("door state", str(first.data())))
    texts.append(("release button", str(door_list.proxy.index(0, COL_RELEASE).data())))
    qt_async.set_error_reporter(main.report_error, details=True)
    qt_async.report_error(Forbidden("x", status=403, endpoint="/v4/devices"), "x")
    qtbot.waitUntil(main.error_banner.isVisible, timeout=WAIT_MS)
    texts += [
        ("banner title", main.error_banner.title.text()),
        ("banner details", main.error_banner.details_button.text()),
    ]
    main.error_banner.hide()
    qt_async.clear_error_reporters()
    main.open_url = lambda _url: False
    for name, opener in (
        ("settings", main.open_settings),
        ("sign in", main.open_sign_in),
        ("commands", main.open_commands),
        ("shortcuts", main.open_shortcuts),
        ("guide", main.open_guide),
        ("log", main.open_log_folder),
        ("quit", main.ask_to_quit),
    ):
        dialog = opener()
        assert dialog is not None, name
        qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
        texts += [(f"{name}:{where}", text) for where, text in visible_texts(dialog)]
        browser = dialog.findChild(QTextBrowser)
        if browser is not None:
            texts.append((f"{name}:guide", browser.toPlainText().splitlines()[0]))
        if isinstance(dialog, QDialog):
            dialog.reject()
        else:
            dialog.close()
    texts += tab_texts(qtbot, desk)
    return texts


def tab_texts(qtbot: QtBot, desk: Desk) -> list[tuple[str, str]]:
    """Each section beside the doors (audit, passes, residents) as it opens, and the
    visitor pass form."""
    main = window(desk)
    texts: list[tuple[str, str]] = []
    for index in range(1, main.tabs.count()):
        content = main.open_tab(main.tabs.tabText(index))
        assert content is not None
        texts += [(f"tab{index}:{where}", text) for where, text in visible_texts(content)]
        passes = getattr(content, "open_new_pass", None)
        if callable(passes):
            passes()
            qtbot.waitUntil(
                lambda c=content: c.new_pass_dialog is not None and c.new_pass_dialog.isVisible(),
                timeout=WAIT_MS,
            )
            form = content.new_pass_dialog
            texts += [(f"pass form:{where}", text) for where, text in visible_texts(form)]
            form.reject()
    main.tabs.setCurrentIndex(0)
    return texts


@pytest.fixture
def cloud() -> Cloud:
    return quiet_cloud()


def run_desk(qtbot: QtBot, folder: Path, cloud: Cloud) -> list[tuple[str, str]]:
    folder.mkdir()
    desk = make_desk(qtbot, folder, cloud=cloud, clock=cloud.clock)
    try:
        qtbot.waitUntil(lambda: desk.store.door_count() > 0, timeout=WAIT_MS)
        return desk_texts(qtbot, desk)
    finally:
        close_desk(qtbot, desk)


def test_the_desk_in_spanish_shows_no_english(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    qapp: QApplication,
    tmp_path: Path,
    cloud: Cloud,
    memory_keyring: MemoryKeyring,
) -> None:
    english_run = dict(run_desk(qtbot, tmp_path / "en", cloud))
    assert install_translations(qapp, "es") == "es"
    try:
        spanish_run = run_desk(qtbot, tmp_path / "es", cloud)
    finally:
        install_translations(qapp, "en")

    english, _spanish = catalogue()
    names = {
        str(r.get("name")) for r in [*cloud.doors, *cloud.buildings, *cloud.panels, *cloud.tenants]
    }
    untranslated = []
    for where, text in spanish_run:
        shown = plain(text)
        if shown in english:
            untranslated.append(f"{where}: {shown!r} (translated nowhere)")
        elif english_run.get(where) == text and not is_data(shown, names):
            untranslated.append(f"{where}: {shown!r} (the same as in English)")
    assert untranslated == []
    assert spanish_run, "nothing was read"
    assert ("menu0", "&Archivo") in spanish_run
    read = {where.split(":")[0] for where, _text in spanish_run}
    assert {"tab1", "tab2", "tab3", "pass form", "sign in", "commands"} <= read


def is_data(text: str, names: set[str]) -> bool:
    """Cloud names, times, numbers, keys and the words both languages share."""
    if any(name and name in text for name in names) or Path(text).is_absolute():
        return True
    if re.fullmatch(r"[\d\s:.,·/()\-–+%↑F]*|(Ctrl|Shift|Alt|Meta|[+,/]|F\d+|\w)+", text):
        return True
    words = set(re.findall(r"[A-Za-z][A-Za-z_-]+", text))
    return words <= SAME | {"ButterflyMX", "Ctrl", "Shift", "Alt", "UTC"}


def test_the_language_comes_from_the_setting_or_the_system(qapp: QApplication) -> None:
    from bmx_console.ui.translations import ui_language

    assert ui_language("es") == "es"
    assert ui_language("es_MX") == "es"
    assert ui_language("") == ui_language(QLocale.system().name())
    # A language without a translation shows English, and says so.
    assert install_translations(qapp, "fr") == "en"
    assert install_translations(qapp, "en") == "en"
