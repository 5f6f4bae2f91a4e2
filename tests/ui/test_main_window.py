"""The main window built by the composition root over a real database: pages, keys, settings,
backup, and what it looks like (rendered offscreen to PNG)."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from zwdesk import app as app_module
from zwdesk.app import build_main_window, make_application
from zwdesk.services.demo_service import create_demo_database
from zwdesk.storage.database import StationDatabase, open_station_database
from zwdesk.ui import main_window as main_window_module
from zwdesk.ui.main_window import MainWindow
from zwdesk.ui.settings import open_settings
from zwdesk.ui.task_runner import Progress
from zwdesk.ui.workers_view import WorkersView

PAGE_TITLES = ["工作台", "人员", "回访", "点对点", "补贴", "申领", "组织", "导入/导出"]


@pytest.fixture
def database(tmp_path: Path) -> Iterator[StationDatabase]:
    path = tmp_path / "station.db"
    create_demo_database(path, today=date(2025, 12, 31))
    with open_station_database(path) as opened:
        yield opened


def _window(qtbot: QtBot, database: StationDatabase, settings_file: Path) -> MainWindow:
    make_application()
    window = build_main_window(database, open_settings(settings_file))
    qtbot.addWidget(window)
    return window


def _workers(window: MainWindow) -> WorkersView:
    view = window.workers_view  # type: ignore[attr-defined]
    assert isinstance(view, WorkersView)
    return view


def test_window_has_every_page_and_status(
    database: StationDatabase, qtbot: QtBot, tmp_path: Path
) -> None:
    window = _window(qtbot, database, tmp_path / "settings.ini")
    titles = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert titles == PAGE_TITLES
    assert str(database.path) in window.database_label.text()
    assert window.sync_label.text() == "未启用同步"
    assert "海原县驻苏州劳务工作站" in window.windowTitle()


def test_ctrl_number_switches_pages_and_ctrl_f_focuses_search(
    database: StationDatabase, qtbot: QtBot, tmp_path: Path
) -> None:
    window = _window(qtbot, database, tmp_path / "settings.ini")
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() is _workers(window)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert _workers(window).search_box.hasFocus()
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentIndex() == 0


def test_last_page_and_geometry_are_remembered(
    database: StationDatabase, qtbot: QtBot, tmp_path: Path
) -> None:
    settings_file = tmp_path / "settings.ini"
    window = _window(qtbot, database, settings_file)
    window.show()
    window.show_page(1)
    window.resize(window.width(), 530)
    window.close()
    again = _window(qtbot, database, settings_file)
    assert again.pages.currentIndex() == 1
    # the offscreen screen is 800 px wide: restoring may clamp the width, not the height
    assert again.height() == 530


def test_backup_copies_the_database_and_shows_when(
    database: StationDatabase, qtbot: QtBot, tmp_path: Path
) -> None:
    window = _window(qtbot, database, tmp_path / "settings.ini")
    target = tmp_path / "backups" / "copy.db"
    window.start_backup(target)
    qtbot.waitUntil(lambda: "上次备份" in window.backup_label.text(), timeout=10_000)
    copy = sqlite3.connect(target)
    try:
        assert copy.execute("SELECT count(*) FROM workers").fetchone()[0] == 271
    finally:
        copy.close()


def test_render_main_window_and_workers_page(
    database: StationDatabase, qtbot: QtBot, tmp_path: Path
) -> None:
    window = _window(qtbot, database, tmp_path / "settings.ini")
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.show_page(1)
    _workers(window).search_box.setText("马")
    main_png = tmp_path / "main_window.png"
    assert window.grab().save(str(main_png))
    workers_png = tmp_path / "workers_page.png"
    assert _workers(window).grab().save(str(workers_png))
    assert main_png.stat().st_size > 20_000 and workers_png.stat().st_size > 20_000


def test_closing_cancels_running_work_and_waits_for_it(
    database: StationDatabase, qtbot: QtBot, tmp_path: Path
) -> None:
    window = _window(qtbot, database, tmp_path / "settings.ini")
    runner = window._runner
    started, stopped = threading.Event(), threading.Event()

    def work(progress: Progress) -> None:
        started.set()
        try:
            for step in range(6000):  # a minute unless cancelled (the old close gave up at 30 s)
                progress.report(step, 6000)
                time.sleep(0.01)
        finally:
            stopped.set()

    worker = runner.run("测试", work, lambda _: None, lambda _: None, show_progress=False)
    assert started.wait(5)
    began = time.monotonic()
    window.close()
    assert stopped.is_set() and worker.isFinished()
    assert time.monotonic() - began < 5


def test_each_backup_is_offered_a_fresh_name(
    database: StationDatabase, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    times = iter(["20251231-0900", "20251231-0915"])
    monkeypatch.setattr(
        app_module, "suggested_backup_name", lambda: f"zwdesk-备份-{next(times)}.db"
    )
    offered: list[str] = []

    def save_dialog(_parent: object, _title: str, path: str, _filter: str) -> tuple[str, str]:
        offered.append(Path(path).name)
        return "", ""

    monkeypatch.setattr(main_window_module.QFileDialog, "getSaveFileName", save_dialog)
    window = _window(qtbot, database, tmp_path / "settings.ini")
    window.choose_backup_file()
    window.choose_backup_file()
    assert offered == ["zwdesk-备份-20251231-0900.db", "zwdesk-备份-20251231-0915.db"]
