"""The 组织 page: the table of organisations and the 新增组织 dialog."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from zwdesk.domain.model import Organisation, OrganisationKind
from zwdesk.services.organisation_service import OrganisationService
from zwdesk.storage.database import StationDatabase, open_station_database
from zwdesk.storage.organisation_repository import OrganisationRepository
from zwdesk.ui.operation_bus import OperationBus
from zwdesk.ui.organisations_view import ORGANISATION_OPERATION, OrganisationsView


@pytest.fixture
def database(tmp_path: Path) -> Iterator[StationDatabase]:
    with open_station_database(tmp_path / "station.db") as opened:
        with opened.transaction("建站"):
            OrganisationRepository(opened).set_station_profile(
                Organisation("T1", OrganisationKind.STATION, "驻苏州站", "640522")
            )
        yield opened


def make_view(database: StationDatabase, qtbot: QtBot) -> tuple[OrganisationsView, OperationBus]:
    bus = OperationBus()
    view = OrganisationsView(OrganisationService(database, "测试"), bus)
    qtbot.addWidget(view)
    return view, bus


def cell(view: OrganisationsView, row: int, column: int) -> str:
    item = view.table.item(row, column)
    assert item is not None
    return item.text()


def test_the_table_shows_our_own_station(database: StationDatabase, qtbot: QtBot) -> None:
    view, _ = make_view(database, qtbot)
    assert view.table.rowCount() == 1
    assert cell(view, 0, 0) == "T1"
    assert cell(view, 0, 1) == "驻外劳务工作站"
    assert "本站" in cell(view, 0, 2)


def test_new_broker_is_saved_announced_and_listed(database: StationDatabase, qtbot: QtBot) -> None:
    view, bus = make_view(database, qtbot)
    dialog = view.new_dialog()
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    dialog.code.setText("Z01")
    dialog.name.setText("中卫某劳务公司")
    dialog.county.setCurrentIndex(dialog.county.findData("640502"))
    dialog.contact.setText("王经理")
    assert dialog.kind.currentData() == "broker"
    assert dialog.ok_button.isEnabled()
    dialog.save()
    assert dialog.saved is not None and dialog.saved.county == "640502"
    with qtbot.waitSignal(bus.operation_done) as announced:
        view.after_save()
    assert announced.args == [ORGANISATION_OPERATION]
    assert view.table.rowCount() == 2
    assert [cell(view, row, 0) for row in range(2)] == ["T1", "Z01"]
    assert cell(view, 1, 1) == "劳务中介"
    assert cell(view, 1, 4) == "王经理"


def test_a_duplicate_code_is_shown_under_the_code(database: StationDatabase, qtbot: QtBot) -> None:
    view, _ = make_view(database, qtbot)
    dialog = view.new_dialog()
    qtbot.addWidget(dialog)
    dialog.code.setText("T1")
    dialog.name.setText("重复")
    dialog.save()
    assert dialog.saved is None
    assert "已被其他组织使用" in (dialog.messages["编号"].problem or "")
    assert view.table.rowCount() == 1
