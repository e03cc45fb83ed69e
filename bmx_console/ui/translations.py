"""The desk in the guard's language: the console's own translation and Qt's, from the
``language`` setting or else the operating system's locale.

The translations are ``resources/translations/bmx-console_<lang>.qm``, made from the ``.ts``
files by ``scripts/update-translations`` (pyside6-lupdate, then pyside6-lrelease). English is
the source language: it needs no file.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from bmx_console.ui.resources import resource_path

_installed: list[QTranslator] = []


def ui_language(setting: str = "") -> str:
    """ "es", "en"…: the setting if there is one, else the system locale's language."""
    chosen = setting.strip() or QLocale.system().name()
    return chosen.replace("-", "_").split("_")[0].lower() or "en"


def install_translations(app: QCoreApplication, setting: str = "") -> str:
    """Load the translations for the desk's language into ``app``; returns the language
    shown ("en" when there is no translation for the one asked for)."""
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    language = ui_language(setting)
    if language == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return "en"
    ours = resource_path("translations", f"bmx-console_{language}.qm")
    translator = QTranslator(app)
    if ours is None or not translator.load(str(ours)):
        return "en"
    app.installTranslator(translator)
    _installed.append(translator)
    # Qt's own words (standard buttons, the file dialog) from Qt's translations.
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    QLocale.setDefault(QLocale(language))
    return language
