"""The 人员 page over a real station database: dialogs write through services, search filters,
the table reads page by page."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from zwdesk.domain.resident_id import make_resident_id
from zwdesk.services.demo_service import create_demo_database
from zwdesk.services.station_profile_service import StationProfileService
from zwdesk.services.station_service import StationService
from zwdesk.services.worker_browser_service import WorkerBrowserService
from zwdesk.storage.database import StationDatabase, open_station_database
from zwdesk.ui.follow_up_dialog import FollowUpDialog
from zwdesk.ui.operation_bus import OperationBus
from zwdesk.ui.placement_dialog import PlacementDialog
from zwdesk.ui.worker_dialog import WorkerDialog
from zwdesk.ui.worker_table_model import WorkerTableModel
from zwdesk.ui.workers_view import WorkersView

NEW_ID = make_resident_id("640522", date(1992, 3, 4), 55)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[StationDatabase]:
    path = tmp_path / "station.db"
    create_demo_database(path, today=date(2025, 12, 31))
    with open_station_database(path) as opened:
        yield opened


def _counts(database: StationDatabase) -> tuple[int, int]:
    connection = database.connection
    return (
        connection.execute("SELECT count(*) FROM workers").fetchone()[0],
        connection.execute("SELECT count(*) FROM audit_log").fetchone()[0],
    )


def _view(
    qtbot: QtBot, database: StationDatabase, fill: Callable[[QDialog], None] | None = None
) -> tuple[WorkersView, OperationBus, list[str]]:
    bus = OperationBus()
    announced: list[str] = []
    bus.operation_done.connect(announced.append)

    def run_dialog(dialog: QDialog) -> int:
        if fill is not None:
            fill(dialog)
        return dialog.result()

    view = WorkersView(
        WorkerBrowserService(database),
        StationService(database, "测试经办人"),
        StationProfileService(database),
        bus,
        run_dialog=run_dialog,
    )
    qtbot.addWidget(view)
    return view, bus, announced


def test_create_a_worker_through_the_dialog(database: StationDatabase, qtbot: QtBot) -> None:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, WorkerDialog)
        assert not dialog.ok_button.isEnabled()  # nothing typed yet
        qtbot.keyClicks(dialog.id_number, NEW_ID)
        dialog.name.setText("李新")  # QTest types ASCII only
        dialog.hukou_county.setCurrentIndex(dialog.hukou_county.findData("640521"))
        qtbot.keyClicks(dialog.phone, "13800001111")
        assert dialog.ok_button.isEnabled()
        dialog.ok_button.click()

    view, _bus, announced = _view(qtbot, database, fill)
    workers_before, _ = _counts(database)
    view.add_worker()
    assert announced == ["新增人员"]
    assert _counts(database)[0] == workers_before + 1
    stored = WorkerBrowserService(database).worker(NEW_ID)
    assert stored is not None and stored.hukou_county == "640521"
    assert stored.phone == "13800001111"
    assert view.selected_id_number() == NEW_ID
    assert "13800001111" in view.detail.toPlainText()  # the clerk's own data, unmasked


def test_bad_id_shows_its_error_next_to_the_field_and_saves_nothing(
    database: StationDatabase, qtbot: QtBot
) -> None:
    bad = NEW_ID[:17] + ("0" if NEW_ID[17] != "0" else "1")
    shown: list[str] = []

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, WorkerDialog)
        qtbot.keyClicks(dialog.id_number, bad)
        dialog.name.setText("李新")  # QTest types ASCII only
        dialog.hukou_county.setCurrentIndex(dialog.hukou_county.findData("640522"))
        message = dialog.messages["身份证号"]
        shown.append(message.text())
        assert message.isVisibleTo(dialog)
        assert not dialog.ok_button.isEnabled()
        dialog.save()  # even forced, nothing is written
        assert dialog.result() == 0

    view, _bus, announced = _view(qtbot, database, fill)
    before = _counts(database)
    view.add_worker()
    assert shown == [f"身份证号校验位错误：末位应为{NEW_ID[17]}，实际为{bad[17]}"]
    assert _counts(database) == before
    assert announced == []


def test_unknown_county_and_end_before_start_are_explained(
    database: StationDatabase, qtbot: QtBot
) -> None:
    browser = WorkerBrowserService(database)
    dialog = WorkerDialog(StationService(database), browser)
    qtbot.addWidget(dialog)
    dialog.hukou_county.setEditText("649999")
    assert dialog.messages["户籍所在县"].text() == "行政区划代码649999不存在"
    worker = browser.worker("640522197501010001")
    assert worker is not None
    placement = PlacementDialog(StationService(database), browser, worker, None)
    qtbot.addWidget(placement)
    placement.start.setDate(placement.start.date().addDays(-1))
    placement.has_end.setChecked(True)
    placement.end.setDate(placement.start.date().addDays(-10))
    assert placement.messages["结束日期"].text().startswith("不能早于开始日期")
    assert not placement.ok_button.isEnabled()


def test_search_filters_the_table(database: StationDatabase, qtbot: QtBot) -> None:
    view, _bus, _announced = _view(qtbot, database)
    everyone = view.model.total()
    view.search_box.setText("马")
    names = [view.model.index(row, 0).data() for row in range(view.model.rowCount())]
    assert names and all(name.startswith("马") for name in names)
    assert view.model.total() < everyone
    view.search_box.setText("640522197501010001")
    assert view.model.rowCount() == 1
    assert view.model.index(0, 1).data() == "640522********0001"  # masked in the table
    assert "640522197501010001" in view.detail.toPlainText()
    view.search_box.setText("")
    assert view.model.total() == everyone


def test_model_fetches_page_by_page(database: StationDatabase) -> None:
    model = WorkerTableModel(WorkerBrowserService(database), page_size=50)
    model.search("")
    assert model.rowCount() == 50
    assert model.total() == 271
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 100
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 271


def test_placement_and_follow_up_through_dialogs(database: StationDatabase, qtbot: QtBot) -> None:
    def fill(dialog: QDialog) -> None:
        if isinstance(dialog, PlacementDialog):
            dialog.employer.setText("中卫某物流公司")
            dialog.work_county.setEditText("320506")
            assert dialog.messages["务工地"].text() == "江苏省吴中区"
            dialog.start.setDate(dialog.start.date().addDays(-30))
            qtbot.keyClicks(dialog.wage, "4300.5")
            dialog.ok_button.click()
        elif isinstance(dialog, FollowUpDialog):
            dialog.placement.setCurrentIndex(0)
            dialog.method.setCurrentIndex(dialog.method.findData("电话"))
            dialog.ok_button.click()

    view, _bus, announced = _view(qtbot, database, fill)
    number = make_resident_id("640502", date(1988, 8, 8), 31)
    StationService(database).add_worker(number, "王测试", "640502")
    view.search_box.setText(number)
    view.add_placement()
    view.record_follow_up()
    assert announced == ["新增就业记录", "记录回访"]
    placements = WorkerBrowserService(database).placements(number)
    assert [p.employer for p in placements] == ["中卫某物流公司"]
    assert placements[0].monthly_wage == 430050
    assert "电话" in view.detail.toPlainText()
