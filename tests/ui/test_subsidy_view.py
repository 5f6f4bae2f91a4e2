"""SubsidyView: rows of every item, filtered by item and year, with the explanation shown."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.services.station_builders import AS_OF, BROKER, person, station_database
from zwdesk.domain.model import Batch, BatchMode, Passenger, Scenario
from zwdesk.services.station_scenario_service import import_scenario
from zwdesk.services.subsidy_service import SubsidyService
from zwdesk.storage.database import StationDatabase
from zwdesk.ui.operation_bus import OperationBus
from zwdesk.ui.subsidy_view import SubsidyView
from zwdesk.ui.task_runner import TaskRunner


@pytest.fixture
def database(tmp_path: Path) -> Iterator[StationDatabase]:
    database = station_database(tmp_path / "station.db", stable=200, awaiting=1)
    riders = tuple(person(500 + n, county="640521") for n in range(12))
    batch = Batch(
        "PD1",
        "B1",
        date(2025, 4, 1),
        "320506",
        BatchMode.TICKETS,
        passengers=tuple(Passenger(w.id_number, 20_000, f"R{n}") for n, w in enumerate(riders)),
    )
    import_scenario(database, Scenario(organisations=(BROKER,), workers=riders, batches=(batch,)))
    yield database
    database.close()


def test_filters_by_item_and_shows_the_explanation(
    qtbot: QtBot, database: StationDatabase, tmp_path: Path
) -> None:
    runner = TaskRunner()
    view = SubsidyView(SubsidyService(database), OperationBus(), runner, clock=lambda: AS_OF)
    qtbot.addWidget(view)
    view.resize(1000, 620)
    view.show()
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=10_000)
    assert {row.item for row in view.model.rows} >= {1, 5}
    assert view.year_filter.findData(2025) > 0

    view.set_filters(1, 2025)
    assert [(r.item, r.who) for r in view.model.rows] == [(1, "海原县驻苏州劳务工作站")]
    assert view.model.data(view.model.index(0, 6)) == "40,000.00 元"
    assert "第一项（驻外劳务工作站就业创业服务补贴）" in view.detail.toPlainText()
    view.grab().save(str(tmp_path / "subsidy_view_item1.png"))

    view.set_filters(5, None)
    assert [(r.item, r.detail) for r in view.model.rows] == [(5, "批次PD1")]
    assert "车费据实报销2400元" in view.detail.toPlainText()
    assert "本次应付合计 2,400.00 元" in view.total.text()
    view.set_filters(4, 2025)
    assert view.model.rowCount() == 0 and view.detail.toPlainText() == ""  # no workshop
    runner.wait()
