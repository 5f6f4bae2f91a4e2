"""The English build: every window text has a translation, and the window shows it."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from pytestqt.qtbot import QtBot

from zwdesk.app import build_main_window, install_language, make_application
from zwdesk.services.demo_service import create_demo_database
from zwdesk.services.resource_paths import resources_dir
from zwdesk.storage.database import StationDatabase, open_station_database
from zwdesk.ui.i18n import CONTEXT, source_texts
from zwdesk.ui.settings import open_settings

TRANSLATIONS = resources_dir() / "translations"


def finished_translations() -> dict[str, str]:
    root = ElementTree.parse(TRANSLATIONS / "zwdesk_en.ts").getroot()
    found: dict[str, str] = {}
    for message in root.iter("message"):
        translation = message.find("translation")
        if translation is not None and translation.text and translation.get("type") is None:
            found[message.findtext("source") or ""] = translation.text
    return found


@pytest.fixture
def english() -> Iterator[QTranslator]:
    application = make_application()
    translator = install_language(application, "en")
    assert translator is not None, "resources/translations/zwdesk_en.qm is missing"
    try:
        yield translator
    finally:
        QCoreApplication.removeTranslator(translator)
        install_language(application, "zh")
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))


def test_every_window_text_has_an_english_translation() -> None:
    texts = source_texts()
    assert "导入花名册" in texts and "工作台" in texts and "海原县" in texts
    finished = finished_translations()
    missing = [text for text in texts if text not in finished]
    assert missing == [], "run resources/translations/update_translations.py and translate"


def test_placeholders_survive_translation() -> None:
    for source, english in finished_translations().items():
        for name in ("{name}", "{path}", "{row}", "{count}", "{what}", "{kind}"):
            assert (name in source) == (name in english), (source, english)


def test_the_compiled_file_holds_every_translation(english: QTranslator) -> None:
    finished = finished_translations()
    stale = [text for text in source_texts() if english.translate(CONTEXT, text) != finished[text]]
    assert stale == [], "zwdesk_en.qm is older than zwdesk_en.ts: run pyside6-lrelease"


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[StationDatabase]:
    create_demo_database(tmp_path / "demo.db")
    with open_station_database(tmp_path / "demo.db") as database:
        yield database


def test_the_english_window_shows_english_page_titles(
    demo: StationDatabase, english: QTranslator, qtbot: QtBot, tmp_path: Path
) -> None:
    window = build_main_window(demo, open_settings(tmp_path / "s.ini"))
    qtbot.addWidget(window)
    titles = [window.navigation.item(row).text() for row in range(window.navigation.count())]
    assert titles == [
        "Dashboard",
        "Workers",
        "Follow-ups",
        "Batches",
        "Subsidies",
        "Claims",
        "Organisations",
        "Import/Export",
    ]
    assert window.windowTitle().startswith("Zhongwei Labour Station")
    assert window.menuBar().actions()[0].text() == "&File"
    window.close()
