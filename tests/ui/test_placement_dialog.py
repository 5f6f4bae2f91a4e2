"""PlacementDialog: the labour contract's term is asked for (item 4 pays on it), wages parse
through the domain's yuan_to_fen."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from zwdesk.domain.model import Worker
from zwdesk.domain.resident_id import make_resident_id
from zwdesk.services.demo_service import create_demo_database
from zwdesk.services.station_service import StationService
from zwdesk.services.worker_browser_service import WorkerBrowserService
from zwdesk.storage.database import StationDatabase, open_station_database
from zwdesk.ui.placement_dialog import PlacementDialog, parse_wage_fen

TODAY = date(2025, 12, 31)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[StationDatabase]:
    path = tmp_path / "station.db"
    create_demo_database(path, today=TODAY)
    with open_station_database(path) as opened:
        yield opened


def _dialog(qtbot: QtBot, database: StationDatabase) -> tuple[PlacementDialog, Worker]:
    station = StationService(database, "测试经办人")
    number = make_resident_id("640502", date(1990, 5, 5), 17)
    worker = station.add_worker(number, "合同测试", "640502")
    dialog = PlacementDialog(station, WorkerBrowserService(database), worker, None, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.employer.setText("中卫某帮扶车间")
    dialog.work_county.setEditText("640502")
    dialog.start.setDate(dialog.start.date().addMonths(-2))
    return dialog, worker


def test_a_signed_contract_needs_an_end_date_or_open_ended(
    qtbot: QtBot, database: StationDatabase
) -> None:
    dialog, worker = _dialog(qtbot, database)
    assert dialog.ok_button.isEnabled()
    assert not dialog.contract_start.isEnabled() and not dialog.open_ended.isEnabled()

    dialog.contract.setChecked(True)
    assert not dialog.ok_button.isEnabled()  # no longer silently open-ended
    assert "无固定期限" in dialog.messages["合同结束日期"].text()
    assert dialog.contract_start.date() == dialog.start.date()  # defaults to the job's start

    dialog.fixed_term.setChecked(True)
    dialog.contract_end.setDate(dialog.contract_start.date().addDays(-1))
    assert not dialog.ok_button.isEnabled()
    assert "不能早于合同开始日期" in dialog.messages["合同结束日期"].text()

    dialog.contract_end.setDate(dialog.contract_start.date().addMonths(3))
    assert dialog.ok_button.isEnabled()
    dialog.ok_button.click()
    assert dialog.saved is not None
    (placement,) = WorkerBrowserService(database).placements(worker.id_number)
    assert placement.contract
    assert placement.contract_start == date(2025, 10, 31)
    assert placement.contract_end == date(2026, 1, 31)  # 3 months: item 4 does not count it


def test_open_ended_is_saved_without_an_end_and_the_start_can_differ(
    qtbot: QtBot, database: StationDatabase
) -> None:
    dialog, worker = _dialog(qtbot, database)
    dialog.contract.setChecked(True)
    dialog.contract_start.setDate(dialog.start.date().addDays(7))
    dialog.start.setDate(dialog.start.date().addDays(1))  # a hand-set contract start stays
    dialog.open_ended.setChecked(True)
    assert not dialog.contract_end.isEnabled()
    assert dialog.ok_button.isEnabled()
    dialog.ok_button.click()
    (placement,) = WorkerBrowserService(database).placements(worker.id_number)
    assert placement.contract_start == date(2025, 11, 7)
    assert placement.contract_end is None


def test_no_contract_saves_no_contract_dates(qtbot: QtBot, database: StationDatabase) -> None:
    dialog, worker = _dialog(qtbot, database)
    dialog.ok_button.click()
    (placement,) = WorkerBrowserService(database).placements(worker.id_number)
    assert not placement.contract
    assert placement.contract_start is None and placement.contract_end is None


@pytest.mark.parametrize(
    ("text", "fen"),
    [("", None), ("4200", 420000), ("4,200.5", 420050), ("4200.50", 420050), ("0", 0)],
)
def test_wages_parse_through_the_domain(text: str, fen: int | None) -> None:
    assert parse_wage_fen(text) == fen


@pytest.mark.parametrize("text", ["abc", "4200.123", "-5", "4200元"])
def test_a_wrong_wage_is_refused_in_chinese(
    qtbot: QtBot, database: StationDatabase, text: str
) -> None:
    with pytest.raises(ValueError):
        parse_wage_fen(text)
    dialog, _worker = _dialog(qtbot, database)
    dialog.wage.setText(text)
    assert not dialog.ok_button.isEnabled()
    assert dialog.messages["月工资"].text() == "应为金额（元），如 4200 或 4200.50"
