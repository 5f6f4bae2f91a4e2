"""同步登记 from the window: the city's real enrolment file (as `zwdesk city station add` writes
it) imported in the background; the station then syncs with a real city on 127.0.0.1. Bad files
and a missing keychain are refused in Chinese and leave the station as it was."""

from __future__ import annotations

from pathlib import Path

import keyring
from keyring.backends import fail
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.sync.conftest import memory_keyring as memory_keyring  # autouse: no real keychain
from tests.ui.sync_fixtures import city_db as city_db  # fixtures
from tests.ui.sync_fixtures import city_keys as city_keys
from tests.ui.sync_fixtures import city_server, enrolment_file, sync_window, unused_url
from tests.ui.sync_fixtures import database as database
from zwdesk.app import make_application, sync_service_opener
from zwdesk.city.database import CityDatabase
from zwdesk.city.keys import CityKeys
from zwdesk.services.sync_service import SyncService
from zwdesk.storage.database import StationDatabase
from zwdesk.ui.enrol_dialog import EnrolDialog
from zwdesk.ui.task_runner import TaskRunner

WAIT_MS = 20_000


_window = sync_window


def _dialog(qtbot: QtBot, database: StationDatabase, path: Path | None = None) -> EnrolDialog:
    make_application()
    dialog = EnrolDialog(
        sync_service_opener(database),
        TaskRunner(),
        SyncService(database).enrolled(),
        choose_file=lambda _parent: path,
    )
    qtbot.addWidget(dialog)
    return dialog


def _import(qtbot: QtBot, dialog: EnrolDialog) -> None:
    assert dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=WAIT_MS)  # the task came back


def test_enrolling_in_the_window_turns_sync_on_and_sends_to_the_city(
    qtbot: QtBot,
    database: StationDatabase,
    city_db: CityDatabase,
    city_keys: CityKeys,
    tmp_path: Path,
) -> None:
    with city_server(city_db, city_keys) as url:
        window = _window(qtbot, database, tmp_path)
        assert window.sync_status.label.text() == "未启用同步"
        window.enrol_action.trigger()  # 文件 → 同步登记…
        dialog = window.enrol_window
        assert isinstance(dialog, EnrolDialog) and dialog.isVisible()
        assert dialog.station_value.text() == "（未登记）"
        assert not dialog.import_button.isEnabled()  # no file chosen yet

        dialog.path_edit.setText(str(enrolment_file(city_db, tmp_path, url)))
        with qtbot.waitSignal(dialog.enrolled, timeout=WAIT_MS):
            qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)

        assert dialog.station_value.text() == "T1"
        assert dialog.city_value.text() == url
        assert dialog.message.text() == (
            f"已登记为站点 T1（市里地址 {url}）。联网时会自动向市里登记本站公钥并发送数据。"
        )
        enrolled = SyncService(database).enrolled()
        assert enrolled is not None and enrolled.station_public_key == dialog.key_value.text()
        # Enrolled: the window registers with the city and sends what waits, unasked.
        qtbot.waitUntil(
            lambda: window.sync_status.label.text().startswith("已同步"), timeout=WAIT_MS
        )
        assert window.sync_status.button.text() == "立即同步"
        station = city_db.station("T1")
        assert station is not None
        assert SyncService(database).pending_count() == 0
        dialog.accept()


def test_a_file_that_is_not_an_enrolment_file_is_refused_in_chinese(
    qtbot: QtBot, database: StationDatabase, tmp_path: Path
) -> None:
    bad = tmp_path / "登记.json"
    bad.write_text("这不是登记文件", encoding="utf-8")
    dialog = _dialog(qtbot, database, bad)
    dialog.browse()
    assert dialog.path_edit.text() == str(bad)
    _import(qtbot, dialog)

    assert dialog.message.text().startswith(f"登记未完成：登记文件 {bad} 不是有效的 UTF-8 JSON")
    assert "c62828" in dialog.message.styleSheet()  # shown as a problem
    assert SyncService(database).enrolled() is None
    assert dialog.station_value.text() == "（未登记）"


def test_no_keychain_is_refused_and_nothing_is_enrolled(
    qtbot: QtBot,
    database: StationDatabase,
    city_db: CityDatabase,
    city_keys: CityKeys,
    tmp_path: Path,
) -> None:
    path = enrolment_file(city_db, tmp_path, unused_url())
    keyring.set_keyring(fail.Keyring())  # a machine without a keychain (memory_keyring restores)
    dialog = _dialog(qtbot, database, path)
    dialog.browse()
    _import(qtbot, dialog)

    assert dialog.message.text().startswith("登记未完成：系统钥匙串不可用")
    assert SyncService(database).enrolled() is None


def test_an_enrolled_station_shows_its_enrolment_and_warns_before_a_new_one(
    qtbot: QtBot,
    database: StationDatabase,
    city_db: CityDatabase,
    city_keys: CityKeys,
    tmp_path: Path,
) -> None:
    url = unused_url()
    SyncService(database).enrol(enrolment_file(city_db, tmp_path, url))
    dialog = _dialog(qtbot, database)
    assert dialog.station_value.text() == "T1"
    assert dialog.city_value.text() == url
    assert "再次导入会生成新的签名密钥" in dialog.explanation.text()
