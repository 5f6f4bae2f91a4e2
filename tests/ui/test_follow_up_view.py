"""FollowUpView: two keystrokes from the worklist record a follow-up and move the dashboard."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.services.station_builders import AS_OF, station_database
from zwdesk.services.station_service import StationService
from zwdesk.services.subsidy_service import SubsidyService
from zwdesk.storage.database import StationDatabase
from zwdesk.ui.dashboard_view import DashboardView
from zwdesk.ui.follow_up_view import FollowUpDialogLite, FollowUpView
from zwdesk.ui.operation_bus import OperationBus
from zwdesk.ui.task_runner import TaskRunner


@pytest.fixture
def database(tmp_path: Path) -> Iterator[StationDatabase]:
    database = station_database(tmp_path / "station.db", stable=199, awaiting=3)
    yield database
    database.close()


def views(
    qtbot: QtBot, database: StationDatabase
) -> tuple[FollowUpView, DashboardView, TaskRunner]:
    bus, runner = OperationBus(), TaskRunner()
    subsidies = SubsidyService(database)
    station = StationService(database, actor="李经办")
    follow_ups = FollowUpView(subsidies, station, bus, runner, clock=lambda: AS_OF)
    dashboard = DashboardView(subsidies, bus, runner, clock=lambda: AS_OF)
    for view in (follow_ups, dashboard):
        qtbot.addWidget(view)
        view.resize(1100, 420)
        view.show()
    qtbot.waitUntil(lambda: follow_ups.model.rowCount() == 3, timeout=10_000)
    qtbot.waitUntil(lambda: dashboard.summary is not None, timeout=10_000)
    return follow_ups, dashboard, runner


def test_ctrl_enter_records_employed_today_and_the_dashboard_reaches_the_tier(
    qtbot: QtBot, database: StationDatabase, tmp_path: Path
) -> None:
    follow_ups, dashboard, runner = views(qtbot, database)
    assert follow_ups.model.entries[0].placement == "P200"  # 40,000 元 depends on it
    assert "确认这1人在岗" in follow_ups.headline.text()
    follow_ups.grab().save(str(tmp_path / "follow_up_view.png"))
    assert dashboard._cards[0].count.text() == "199"

    qtbot.keyClick(follow_ups.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    assert follow_ups.model.data(follow_ups.model.index(0, 7)) == "已记录回访"
    qtbot.waitUntil(lambda: dashboard._cards[0].count.text() == "200", timeout=10_000)
    assert "本次可申领 40,000.00 元" in dashboard._cards[0].money.text()
    qtbot.waitUntil(lambda: follow_ups.model.rowCount() == 2, timeout=10_000)
    runner.wait()


def test_enter_opens_a_prefilled_form_and_enter_saves(
    qtbot: QtBot, database: StationDatabase, tmp_path: Path
) -> None:
    follow_ups, dashboard, runner = views(qtbot, database)
    seen: list[tuple[str, str, str, str]] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, FollowUpDialogLite)
        seen.append(
            (
                dialog.day.text(),
                dialog.method.currentText(),
                dialog.outcome.currentText(),
                type(QApplication.focusWidget()).__name__,
            )
        )
        dialog.grab().save(str(tmp_path / "follow_up_dialog.png"))
        qtbot.keyClick(dialog.ok_button, Qt.Key.Key_Return)

    QTimer.singleShot(200, answer)
    qtbot.keyClick(follow_ups.table, Qt.Key.Key_Return)
    assert seen == [(AS_OF.isoformat(), "电话", "在岗", "QPushButton")]
    qtbot.waitUntil(lambda: dashboard._cards[0].count.text() == "200", timeout=10_000)
    runner.wait()
