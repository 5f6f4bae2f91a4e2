"""BatchView: scanned passengers move the live count; 35 eligible on a charter → 包车."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from tests.services.station_builders import BROKER, person, station_database
from zwdesk.domain.model import Scenario
from zwdesk.services.batch_service import BatchService
from zwdesk.services.station_scenario_service import import_scenario
from zwdesk.storage.database import StationDatabase
from zwdesk.storage.errors import DatabaseLockedError
from zwdesk.ui.batch_view import BatchView
from zwdesk.ui.operation_bus import OperationBus
from zwdesk.ui.task_runner import TaskRunner

PEOPLE = [person(100 + number) for number in range(35)]


@pytest.fixture
def database(tmp_path: Path) -> Iterator[StationDatabase]:
    database = station_database(tmp_path / "station.db", stable=0, awaiting=0, ours=BROKER)
    import_scenario(database, Scenario(workers=tuple(PEOPLE)), actor="测试")
    yield database
    database.close()


def test_scanning_35_passengers_onto_a_charter_earns_the_charter(
    qtbot: QtBot, database: StationDatabase, tmp_path: Path
) -> None:
    bus = OperationBus()
    announced: list[str] = []
    bus.operation_done.connect(lambda name: announced.append(name))
    view = BatchView(BatchService(database, actor="王经办"), bus, TaskRunner())
    qtbot.addWidget(view)
    view.resize(1100, 720)
    view.show()
    view.departure.setDate(QDate(2025, 3, 1))
    view.origin.setText("640522")
    view.destination.setText("320506")
    view.charter_cost.setText("12000.50")
    view.create_batch()
    assert view.batch is not None and view.batch.id == "PD20250301-1"
    assert view.batches.count() == 1

    for worker in PEOPLE[:34]:
        qtbot.keyClicks(view.scan, worker.id_number)
        qtbot.keyClick(view.scan, Qt.Key.Key_Return)
    assert view.passengers.rowCount() == 34
    assert view.eligible.text() == "符合条件 34 人"
    assert view.verdict.text().startswith("结果：不予补贴")

    qtbot.keyClicks(view.scan, "123")
    qtbot.keyClick(view.scan, Qt.Key.Key_Return)
    assert "身份证号" in view.message.text() and view.passengers.rowCount() == 34

    qtbot.keyClicks(view.scan, PEOPLE[34].id_number)
    qtbot.keyClick(view.scan, Qt.Key.Key_Return)
    assert view.eligible.text() == "符合条件 35 人"
    assert view.verdict.text() == "结果：包车（包机）　金额 12,000.50 元"
    assert announced[:2] == ["新建批次", "添加乘客"]
    view.grab().save(str(tmp_path / "batch_view_charter.png"))


def test_a_storage_failure_is_shown_under_the_scan_line(
    qtbot: QtBot, database: StationDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    bus = OperationBus()
    announced: list[str] = []
    bus.operation_done.connect(announced.append)
    service = BatchService(database, actor="王经办")
    view = BatchView(service, bus, TaskRunner())
    qtbot.addWidget(view)

    def locked(*_args: object, **_kwargs: object) -> object:
        raise DatabaseLockedError("数据库正被另一个程序写入，请稍后再试")

    monkeypatch.setattr(service, "create_batch", locked)
    view.departure.setDate(QDate(2025, 3, 1))
    view.destination.setText("320506")
    view.charter_cost.setText("12000")
    view.create_batch()  # raised out of the slot before: the clerk saw nothing
    assert "另一个程序" in view.message.text()
    assert view.batch is None and announced == []
