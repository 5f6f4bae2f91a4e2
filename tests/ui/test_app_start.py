"""Starting the app: a demo database with a working station, and clear refusals (not
tracebacks) for databases that cannot be opened."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

import zwdesk.app as app_module
from zwdesk.app import EXIT_DATABASE_FAILED, build_main_window, make_application, run_app
from zwdesk.domain.resident_id import make_resident_id
from zwdesk.services.demo_service import create_demo_database
from zwdesk.services.station_profile_service import StationProfileService
from zwdesk.storage.database import StationDatabase, open_station_database
from zwdesk.ui.settings import open_settings


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[StationDatabase]:
    path = tmp_path / "demo.db"
    create_demo_database(path)
    with open_station_database(path) as database:
        yield database


def test_demo_database_builds_a_window_with_all_pages(
    demo: StationDatabase, qtbot: QtBot, tmp_path: Path
) -> None:
    profile = StationProfileService(demo).profile()
    assert profile is not None and profile.id == "T1"
    follow_ups = demo.connection.execute(
        "SELECT count(*) FROM follow_ups WHERE who = '演示经办人'"
    ).fetchone()[0]
    assert follow_ups > 0
    make_application()
    window = build_main_window(demo, open_settings(tmp_path / "s.ini"))
    qtbot.addWidget(window)
    assert window.pages.count() == 8
    assert window.navigation.item(1).text() == "人员"


def test_demo_database_is_filled_once(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    create_demo_database(path)
    create_demo_database(path)
    with open_station_database(path) as database:
        assert database.connection.execute("SELECT count(*) FROM workers").fetchone()[0] == 271


@pytest.mark.parametrize("problem", ["corrupt", "too_new"])
def test_unopenable_database_is_explained_in_chinese(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, problem: str
) -> None:
    path = tmp_path / "station.db"
    if problem == "corrupt":
        path.write_bytes(b"this is not a database" * 100)
    else:
        with open_station_database(path) as database:
            database.connection.execute("PRAGMA user_version = 999")
    shown: list[tuple[str, str]] = []

    def critical(_parent: object, title: str, text: str) -> QMessageBox.StandardButton:
        shown.append((title, text))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(app_module.QMessageBox, "critical", critical)
    before = path.read_bytes()
    assert run_app(path) == EXIT_DATABASE_FAILED
    assert shown and shown[0][0] == "无法打开数据库"
    expected = "不是 zwdesk 站点数据库" if problem == "corrupt" else "较新版本"
    assert expected in shown[0][1]
    assert path.read_bytes() == before


def test_cli_without_command_opens_the_window(monkeypatch: pytest.MonkeyPatch) -> None:
    from zwdesk import cli

    calls: list[tuple[object, bool, str]] = []

    def fake_run_app(path: object, *, demo: bool, language: str) -> int:
        calls.append((path, demo, language))
        return 0

    monkeypatch.setattr(app_module, "run_app", fake_run_app)
    assert cli.main(["--demo", "--lang", "en"]) == 0
    assert cli.main(["--db", "x.db"]) == 0
    assert calls == [(None, True, "en"), (Path("x.db"), False, "zh")]


def test_window_changes_are_audited_with_the_login_name(
    tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "station.db"
    create_demo_database(path)
    monkeypatch.setattr(app_module.getpass, "getuser", lambda: "tester")
    monkeypatch.setattr(app_module, "open_settings", lambda: open_settings(tmp_path / "s.ini"))
    real_build = app_module.build_main_window
    actors: list[str] = []

    class NoEventLoop:
        def exec(self) -> int:
            return 0

    class Shown:
        def show(self) -> None:
            pass

    def build(database: StationDatabase, settings: object, **options: object) -> object:
        window = real_build(database, settings, **options)  # type: ignore[arg-type]
        number = make_resident_id("640502", date(1990, 5, 5), 17)
        window.workers_view._station.add_worker(number, "审计测试", "640502")  # type: ignore[attr-defined]
        actors.append(
            database.connection.execute(
                "SELECT actor FROM audit_log ORDER BY id DESC LIMIT 1"
            ).fetchone()[0]
        )
        window.close()  # closing waits for the background work, whose results then arrive;
        QCoreApplication.sendPostedEvents()
        shiboken6.delete(window)  # then the window goes, before run_app closes the database
        return Shown()

    monkeypatch.setattr(app_module, "make_application", lambda _language: NoEventLoop())
    monkeypatch.setattr(app_module, "build_main_window", build)
    assert run_app(path) == 0
    assert actors == ["窗口:tester"]


def test_window_actor_without_a_login_name(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_login() -> str:
        raise OSError("no login name")

    monkeypatch.setattr(app_module.getpass, "getuser", no_login)
    assert app_module.window_actor() == "窗口"


def test_the_station_profile_can_be_changed_from_the_file_menu(
    demo: StationDatabase, qtbot: QtBot, tmp_path: Path
) -> None:
    make_application()
    window = build_main_window(demo, open_settings(tmp_path / "s.ini"))
    qtbot.addWidget(window)
    announced: list[str] = []
    window._bus.operation_done.connect(announced.append)
    assert window.profile_action.isEnabled()
    dialog = window.edit_profile()
    assert dialog is not None
    qtbot.addWidget(dialog)
    before = StationProfileService(demo).profile()
    assert before is not None and dialog.name.text() == before.name  # shown as it is
    assert dialog.county.currentData() == before.county
    dialog.name.setText("海原县驻宁波劳务工作站")
    dialog.ok_button.click()
    after = StationProfileService(demo).profile()
    assert after is not None and after.name == "海原县驻宁波劳务工作站" and after.id == before.id
    assert window.windowTitle().endswith("海原县驻宁波劳务工作站")
    assert announced == ["本站信息"]  # every page recomputes


def test_an_emptied_station_name_is_not_saved(
    demo: StationDatabase, qtbot: QtBot, tmp_path: Path
) -> None:
    make_application()
    window = build_main_window(demo, open_settings(tmp_path / "s.ini"))
    qtbot.addWidget(window)
    dialog = window.edit_profile()
    assert dialog is not None
    qtbot.addWidget(dialog)
    before = StationProfileService(demo).profile()
    dialog.name.setText("  ")
    assert not dialog.ok_button.isEnabled()
    dialog.reject()
    assert StationProfileService(demo).profile() == before
