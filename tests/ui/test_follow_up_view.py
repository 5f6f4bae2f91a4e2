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
from zwdesk.storage.errors import DatabaseLockedError
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


def test_the_follow_up_goes_to_the_shown_placement_though_the_list_was_reordered(
    qtbot: QtBot, database: StationDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    follow_ups, _dashboard, runner = views(qtbot, database)
    recorded: list[str] = []
    original = follow_ups._station.record_follow_up

    def spy(placement: str, *args: object, **kwargs: object) -> object:
        recorded.append(placement)
        return original(placement, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(follow_ups._station, "record_follow_up", spy)
    shown: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, FollowUpDialogLite)
        shown.append(follow_ups.model.entries[0].placement)
        # A background recompute lands while the clerk is on the phone: the rows move.
        entries = follow_ups.model.entries
        follow_ups.model.set_entries(tuple(reversed(entries)), follow_ups.model.as_of)
        assert follow_ups.model.entries[0].placement != shown[0]
        qtbot.keyClick(dialog.ok_button, Qt.Key.Key_Return)

    follow_ups.table.selectRow(0)
    QTimer.singleShot(200, answer)
    qtbot.keyClick(follow_ups.table, Qt.Key.Key_Return)
    assert recorded == shown == ["P200"]
    row = follow_ups.model.row_of("P200")
    assert row is not None
    assert follow_ups.model.data(follow_ups.model.index(row, 7)) == "已记录回访"
    assert follow_ups.model.recorded == {"P200"}
    qtbot.waitUntil(lambda: follow_ups.model.rowCount() == 2, timeout=10_000)  # recomputed
    assert follow_ups.model.row_of("P200") is None
    runner.wait()


def test_a_storage_failure_is_shown_not_raised(
    qtbot: QtBot, database: StationDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    follow_ups, _dashboard, runner = views(qtbot, database)

    def locked(*_args: object, **_kwargs: object) -> object:
        raise DatabaseLockedError("数据库正被另一个程序写入，请稍后再试")

    monkeypatch.setattr(follow_ups._station, "record_follow_up", locked)
    qtbot.keyClick(follow_ups.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "另一个程序" in follow_ups.message.text()
    assert follow_ups.model.recorded == set()

    errors: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, FollowUpDialogLite)
        QTimer.singleShot(200, read_and_close)
        qtbot.keyClick(dialog.ok_button, Qt.Key.Key_Return)

    def read_and_close() -> None:
        dialog = QApplication.activeModalWidget()  # opened again, with the reason
        assert isinstance(dialog, FollowUpDialogLite)
        errors.append(dialog.error.text())
        dialog.reject()

    QTimer.singleShot(200, answer)
    qtbot.keyClick(follow_ups.table, Qt.Key.Key_Return)
    assert errors and "另一个程序" in errors[0]
    runner.wait()
