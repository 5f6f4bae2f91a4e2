"""ImportView over a real station database and real .xlsx rosters: preview writes nothing,
导入 writes and announces, bad rows show their reason, 取消 leaves the database unchanged."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pytest
from pytestqt.qtbot import QtBot

from tests.services.roster.builders import TODAY, good_row, person_id, write_xlsx
from zwdesk.app import build_main_window, roster_export_opener, roster_import_opener
from zwdesk.domain.model import Organisation, OrganisationKind
from zwdesk.services.roster_import_service import (
    ImportReport,
    ProgressCallback,
    RosterImportService,
)
from zwdesk.storage.database import StationDatabase, open_station_database
from zwdesk.storage.organisation_repository import OrganisationRepository
from zwdesk.ui.import_view import IMPORT_OPERATION, ImportView
from zwdesk.ui.operation_bus import OperationBus
from zwdesk.ui.settings import open_settings
from zwdesk.ui.task_runner import TaskRunner

STATION = Organisation("T1", OrganisationKind.STATION, "海原县驻苏州劳务工作站", "640522")


@pytest.fixture
def database(tmp_path: Path) -> Iterator[StationDatabase]:
    with open_station_database(tmp_path / "station.db") as opened:
        with opened.transaction("setup"):
            OrganisationRepository(opened).set_station_profile(STATION)
        yield opened


def roster(path: Path) -> Path:
    """Two good rows and one whose ID number has a wrong check digit (row 4, column D)."""
    bad = person_id(3)[:-1] + ("0" if person_id(3)[-1] != "0" else "1")
    return write_xlsx(path, [good_row(1), good_row(2), good_row(3, 身份证号=bad)])


def count(database: StationDatabase, table: str) -> int:
    return int(database.connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def make_view(database: StationDatabase, bus: OperationBus, qtbot: QtBot) -> ImportView:
    view = ImportView(
        roster_import_opener(database, "测试经办人"),
        roster_export_opener(database),
        bus,
        TaskRunner(),
    )
    qtbot.addWidget(view)
    view.resize(900, 640)
    return view


def test_preview_writes_nothing_and_shows_the_reason_of_a_bad_row(
    database: StationDatabase, qtbot: QtBot, tmp_path: Path
) -> None:
    source = roster(tmp_path / "花名册.xlsx")
    before = list(database.connection.iterdump())
    view = make_view(database, OperationBus(), qtbot)
    view.preview_file(source)
    qtbot.waitUntil(lambda: view.preview is not None, timeout=10_000)

    assert list(database.connection.iterdump()) == before
    assert not (tmp_path / "花名册.错误.xlsx").exists()
    assert [view.counts.item(0, column).text() for column in range(1, 5)] == ["2", "0", "0", "1"]
    assert [view.counts.item(1, column).text() for column in range(1, 5)] == ["2", "0", "0", "0"]
    assert view.rejects.rowCount() == 1
    cells = [view.rejects.item(0, column).text() for column in range(5)]
    assert cells[1] == "第4行D列" and cells[2] == "身份证号"
    assert "*" in cells[3] and person_id(3)[6:14] not in cells[3]  # masked, never the whole ID
    assert "校验" in cells[4]
    assert view.import_button.isEnabled()
    assert "尚未改动" in view.status.text()
    view.grab().save(str(tmp_path / "import_preview.png"))


def test_import_writes_announces_and_writes_the_rejects_workbook(
    database: StationDatabase, qtbot: QtBot, tmp_path: Path
) -> None:
    source = roster(tmp_path / "花名册.xlsx")
    bus = OperationBus()
    announced: list[str] = []
    bus.operation_done.connect(announced.append)
    view = make_view(database, bus, qtbot)
    view.preview_file(source)
    qtbot.waitUntil(lambda: view.preview is not None, timeout=10_000)
    with qtbot.waitSignal(bus.operation_done, timeout=10_000):
        view.start_import()

    assert announced == [IMPORT_OPERATION]
    assert count(database, "workers") == 2 and count(database, "placements") == 2
    assert view.report is not None and view.report.rejects_path == tmp_path / "花名册.错误.xlsx"
    rejects = openpyxl.load_workbook(view.report.rejects_path).active
    assert rejects is not None and rejects.max_row == 2  # header + the bad row
    assert "已写入数据库" in view.heading.text()
    assert view.open_rejects_button.isEnabled() and not view.import_button.isEnabled()
    copy = tmp_path / "copy.xlsx"
    view.save_rejects(copy)
    assert copy.read_bytes() == view.report.rejects_path.read_bytes()


def test_cancel_during_the_import_writes_nothing(
    database: StationDatabase, qtbot: QtBot, tmp_path: Path
) -> None:
    source = roster(tmp_path / "花名册.xlsx")
    inside = threading.Event()
    release = threading.Event()

    class HeldImport(RosterImportService):
        """Stops inside the transaction (after the workers were written) until released."""

        def run(
            self,
            path: Path | str,
            *,
            rejects_path: Path | str | None = None,
            progress: ProgressCallback | None = None,
        ) -> ImportReport:
            assert progress is not None

            def held(done: int, total: int, text: str) -> None:
                if done == 2:
                    inside.set()
                    release.wait(10)
                progress(done, total, text)

            return super().run(path, rejects_path=rejects_path, progress=held)

    @contextmanager
    def open_held() -> Iterator[RosterImportService]:
        with open_station_database(database.path, create=False) as own:
            yield HeldImport(own, "测试经办人", today=TODAY)

    bus = OperationBus()
    announced: list[str] = []
    bus.operation_done.connect(announced.append)
    view = ImportView(open_held, roster_export_opener(database), bus, TaskRunner())
    qtbot.addWidget(view)
    view.preview_file(source)
    qtbot.waitUntil(lambda: view.preview is not None, timeout=10_000)
    before = list(database.connection.iterdump())

    view.start_import()
    assert inside.wait(10)
    view.cancel()
    release.set()
    qtbot.waitUntil(lambda: not view.busy, timeout=10_000)

    assert view.report is None and announced == []
    assert "已取消" in view.status.text()
    assert list(database.connection.iterdump()) == before
    assert count(database, "workers") == 0


def test_a_file_that_is_not_a_roster_is_explained(
    database: StationDatabase, qtbot: QtBot, tmp_path: Path
) -> None:
    source = tmp_path / "notes.csv"
    source.write_text("这不是花名册\n随便写的\n", encoding="utf-8")
    view = make_view(database, OperationBus(), qtbot)
    view.preview_file(source)
    qtbot.waitUntil(lambda: not view.busy, timeout=10_000)
    assert view.preview is None and not view.import_button.isEnabled()
    assert view.status.text()


def test_export_writes_a_workbook_that_the_preview_reads_back(
    database: StationDatabase, qtbot: QtBot, tmp_path: Path
) -> None:
    view = make_view(database, OperationBus(), qtbot)
    view.preview_file(roster(tmp_path / "花名册.xlsx"))
    qtbot.waitUntil(lambda: view.preview is not None, timeout=10_000)
    view.start_import()
    qtbot.waitUntil(lambda: view.report is not None, timeout=10_000)

    target = tmp_path / "导出.xlsx"
    view.export_to(target)
    qtbot.waitUntil(lambda: view.export_report is not None, timeout=10_000)
    assert view.export_report is not None and view.export_report.workers == 2
    assert {"人员", "就业", "组织"} <= set(openpyxl.load_workbook(target).sheetnames)
    assert "已导出 2 人" in view.status.text()

    view.preview_file(target)  # the export imports back: everything unchanged
    qtbot.waitUntil(lambda: view.preview is not None, timeout=10_000)
    assert [view.counts.item(0, column).text() for column in range(1, 5)] == ["0", "0", "2", "0"]


def test_the_window_has_the_import_page(
    database: StationDatabase, qtbot: QtBot, tmp_path: Path
) -> None:
    window = build_main_window(database, open_settings(tmp_path / "s.ini"))
    qtbot.addWidget(window)
    pages = [window.pages.widget(index) for index in range(window.pages.count())]
    assert any(isinstance(page, ImportView) for page in pages)
