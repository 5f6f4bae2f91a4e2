"""DashboardView over a real station database: a follow-up elsewhere moves its numbers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.services.station_builders import AS_OF, station_database
from zwdesk.services.station_service import StationService
from zwdesk.services.subsidy_service import SubsidyService
from zwdesk.storage.database import StationDatabase
from zwdesk.ui.dashboard_view import DashboardView
from zwdesk.ui.operation_bus import OperationBus
from zwdesk.ui.task_runner import TaskRunner


@pytest.fixture
def database(tmp_path: Path) -> Iterator[StationDatabase]:
    database = station_database(tmp_path / "station.db", stable=199, awaiting=3)
    yield database
    database.close()


def test_dashboard_shows_tier_progress_and_updates_after_a_follow_up(
    qtbot: QtBot, database: StationDatabase, tmp_path: Path
) -> None:
    bus, runner = OperationBus(), TaskRunner()
    view = DashboardView(SubsidyService(database), bus, runner, clock=lambda: AS_OF)
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    qtbot.waitUntil(lambda: view.summary is not None, timeout=10_000)
    card = view._cards[0]
    assert card.count.text() == "199" and card.status.text() == "未达200人档"
    assert "还差 1 人" in card.next_step.text()
    assert view.headline.text() == "确认这1人在岗（5月31日前满期）即可达到200人档"
    view.grab().save(str(tmp_path / "dashboard_199.png"))

    StationService(database).record_follow_up("P200", AS_OF, "电话", "在岗", today=AS_OF)
    bus.announce("记录回访")
    assert view.state.text() == "计算中…"
    assert card.count.text() == "199"  # the old numbers stay until the new ones arrive
    qtbot.waitUntil(lambda: card.count.text() == "200", timeout=10_000)
    assert card.status.text() == "已达200人档"
    assert "本次可申领 40,000.00 元" in card.money.text()
    assert view.state.text() == f"截至 {AS_OF.isoformat()}"
    view.grab().save(str(tmp_path / "dashboard_200.png"))
    runner.wait()
