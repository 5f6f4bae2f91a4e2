"""RosterImportService and RosterExportService over real .xlsx files and a real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.services.roster.builders import COLUMN, HEADER, TODAY, good_row, person_id, write_xlsx
from zwdesk.domain.model import (
    Claim,
    FollowUp,
    FollowUpMethod,
    FollowUpResult,
    Organisation,
    OrganisationKind,
    Placement,
    Worker,
)
from zwdesk.services.roster_export_service import RosterExportService
from zwdesk.services.roster_import_service import (
    RecordCounts,
    RosterFileError,
    RosterImportService,
    default_rejects_path,
)
from zwdesk.storage.claim_repository import ClaimRepository
from zwdesk.storage.database import StationDatabase, open_station_database
from zwdesk.storage.organisation_repository import OrganisationRepository
from zwdesk.storage.placement_repository import PlacementRepository
from zwdesk.storage.scenario_repository import load_scenario
from zwdesk.storage.worker_repository import WorkerRepository

STATION = Organisation("T1", OrganisationKind.STATION, "海原县驻苏州劳务工作站", "640522")
BROKER = Organisation("B1", OrganisationKind.BROKER, "宏达劳务", "640521")
ACTOR = "测试经办人"


@pytest.fixture
def database(tmp_path: Path) -> Iterator[StationDatabase]:
    with open_station_database(tmp_path / "station.db") as opened:
        with opened.transaction("setup"):
            OrganisationRepository(opened).set_station_profile(STATION)
            OrganisationRepository(opened).upsert([BROKER])
        yield opened


def service(database: StationDatabase) -> RosterImportService:
    return RosterImportService(database, ACTOR, today=TODAY)


def dump(database: StationDatabase) -> list[str]:
    """Every row of every table (and the schema), to compare before and after."""
    return list(database.connection.iterdump())


def mixed_roster(path: Path) -> Path:
    """Rows 2–4 good (by code, by name, alone); rows 5–7 rejected for different reasons."""
    return write_xlsx(
        path,
        [
            good_row(1, 组织者="T1"),
            good_row(2, 组织者="宏达劳务"),
            good_row(3),  # empty 组织者: found the job alone
            good_row(4, 身份证号=person_id(4)[:-1] + ("0" if person_id(4)[-1] != "0" else "1")),
            good_row(5, 开始日期="2025-02-30"),
            good_row(6, 组织者="不存在的中介"),
        ],
    )


# -- preview (dry run) --------------------------------------------------------------------------
def test_preview_counts_what_would_change_and_writes_nothing(
    database: StationDatabase, tmp_path: Path
) -> None:
    source = mixed_roster(tmp_path / "roster.xlsx")
    before = dump(database)

    preview = service(database).preview(source)

    assert dump(database) == before
    assert preview.workers == RecordCounts(created=3)
    assert preview.placements == RecordCounts(created=3)
    assert [reject.row_number for reject in preview.rejects] == [5, 6, 7]
    assert not default_rejects_path(source).exists()


def test_preview_equals_what_run_then_does(database: StationDatabase, tmp_path: Path) -> None:
    first = write_xlsx(tmp_path / "first.xlsx", [good_row(n, 组织者="T1") for n in (1, 2, 3)])
    service(database).run(first)
    second = write_xlsx(
        tmp_path / "second.xlsx",
        [
            good_row(1, 组织者="T1"),  # unchanged
            good_row(2, 组织者="T1", 月工资=5000),  # placement updated
            good_row(3, 组织者="T1", 农村劳动力="否"),  # worker updated
            good_row(4, 组织者="T1"),  # new
        ],
    )

    preview = service(database).preview(second)
    report = service(database).run(second)

    assert preview.workers == report.workers == RecordCounts(1, 1, 2)
    assert preview.placements == report.placements == RecordCounts(1, 1, 2)


# -- run ----------------------------------------------------------------------------------------
def test_run_writes_valid_rows_and_reports_rejects_by_row_column_and_reason(
    database: StationDatabase, tmp_path: Path
) -> None:
    source = mixed_roster(tmp_path / "roster.xlsx")

    report = service(database).run(source)

    assert report.workers == RecordCounts(created=3)
    assert report.placements == RecordCounts(created=3)
    stored = {p.worker: p.organiser for p in PlacementRepository(database).all()}
    assert stored == {person_id(1): "T1", person_id(2): "B1", person_id(3): None}
    assert WorkerRepository(database).get(person_id(6)) is None  # its row was rejected
    cells = {(cell.row, cell.column, cell.field): cell for _, cell in report.rejected_cells}
    assert set(cells) == {
        (5, COLUMN["身份证号"], "身份证号"),
        (6, COLUMN["开始日期"], "开始日期"),
        (7, COLUMN["组织者"], "组织者"),
    }
    assert "校验位" in cells[(5, "D", "身份证号")].reason
    assert "不存在" in cells[(6, "J", "开始日期")].reason
    assert "未登记" in cells[(7, "Q", "组织者")].reason
    assert person_id(4) not in cells[(5, "D", "身份证号")].value  # masked
    assert report.rejects_path == default_rejects_path(source)


def test_rejects_file_has_the_original_columns_plus_reason(
    database: StationDatabase, tmp_path: Path
) -> None:
    source = mixed_roster(tmp_path / "roster.xlsx")

    report = service(database).run(source)

    assert report.rejects_path == tmp_path / "roster.错误.xlsx"
    sheet = openpyxl.load_workbook(report.rejects_path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [*HEADER, "原行号", "错误原因"]
    assert [row[len(HEADER)] for row in rows[1:]] == [5, 6, 7]
    assert rows[3][HEADER.index("组织者")] == "不存在的中介"  # original cells kept
    assert "组织者" in rows[3][-1]
    assert rows[2][HEADER.index("开始日期")] == "2025-02-30"


def test_rejects_go_where_asked_and_nowhere_when_there_are_none(
    database: StationDatabase, tmp_path: Path
) -> None:
    clean = write_xlsx(tmp_path / "clean.xlsx", [good_row(1)])
    assert service(database).run(clean).rejects_path is None
    assert not default_rejects_path(clean).exists()

    asked = tmp_path / "elsewhere" / "errors.xlsx"
    asked.parent.mkdir()
    report = service(database).run(mixed_roster(tmp_path / "r.xlsx"), rejects_path=asked)
    assert report.rejects_path == asked and asked.exists()
    assert not default_rejects_path(tmp_path / "r.xlsx").exists()


def test_importing_the_same_file_twice_creates_nothing_new(
    database: StationDatabase, tmp_path: Path
) -> None:
    source = mixed_roster(tmp_path / "roster.xlsx")
    service(database).run(source)
    audit_rows = database.connection.execute("SELECT count(*) FROM audit_log").fetchone()[0]

    again = service(database).run(source)

    assert again.workers == RecordCounts(unchanged=3)
    assert again.placements == RecordCounts(unchanged=3)
    assert database.connection.execute("SELECT count(*) FROM audit_log").fetchone()[0] == (
        audit_rows
    )


def test_audit_entries_name_the_actor(database: StationDatabase, tmp_path: Path) -> None:
    service(database).run(write_xlsx(tmp_path / "r.xlsx", [good_row(1)]))

    actors = database.connection.execute(
        "SELECT DISTINCT actor FROM audit_log WHERE table_name IN ('workers', 'placements')"
    ).fetchall()
    assert actors == [(ACTOR,)]


def test_a_failure_in_the_middle_of_the_write_leaves_the_database_as_it_was(
    database: StationDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service(database).run(write_xlsx(tmp_path / "first.xlsx", [good_row(1, 组织者="T1")]))
    before = dump(database)
    worker_upserts: list[int] = []
    real_worker_upsert = WorkerRepository.upsert

    def counting_upsert(self: WorkerRepository, workers: Any) -> Any:
        counts = real_worker_upsert(self, workers)
        worker_upserts.append(counts.created)
        return counts

    def failing_upsert(self: PlacementRepository, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(WorkerRepository, "upsert", counting_upsert)
    monkeypatch.setattr(PlacementRepository, "upsert", failing_upsert)
    source = mixed_roster(tmp_path / "roster.xlsx")

    with pytest.raises(RuntimeError, match="disk on fire"):
        service(database).run(source)

    assert worker_upserts == [2]  # the workers were written, then rolled back
    assert dump(database) == before
    assert not default_rejects_path(source).exists()


def test_progress_is_reported_and_raising_from_it_cancels_everything(
    database: StationDatabase, tmp_path: Path
) -> None:
    source = write_xlsx(tmp_path / "r.xlsx", [good_row(n) for n in range(1, 4)])
    seen: list[tuple[int, int, str]] = []
    service(database).run(source, progress=lambda *step: seen.append(step))
    assert [done for done, _, _ in seen] == [0, 1, 2, 3, 4]
    assert {total for _, total, _ in seen} == {4}

    class Cancelled(Exception):
        pass

    def cancel_at_placements(done: int, total: int, text: str) -> None:
        if done == 2:
            raise Cancelled

    other = write_xlsx(tmp_path / "other.xlsx", [good_row(n) for n in range(10, 13)])
    before = dump(database)
    with pytest.raises(Cancelled):
        service(database).run(other, progress=cancel_at_placements)
    assert dump(database) == before


# -- organisers (组织者) --------------------------------------------------------------------------
def test_a_roster_without_organiser_column_is_the_stations_own(
    database: StationDatabase, tmp_path: Path
) -> None:
    header = [name for name in HEADER if name != "组织者"]
    source = write_xlsx(tmp_path / "r.xlsx", [good_row(1)[:-1]], header=header)

    service(database).run(source)

    assert [p.organiser for p in PlacementRepository(database).all()] == ["T1"]


def test_without_station_profile_placements_import_unorganised_with_a_warning(
    tmp_path: Path,
) -> None:
    header = [name for name in HEADER if name != "组织者"]
    source = write_xlsx(tmp_path / "r.xlsx", [good_row(1)[:-1]], header=header)
    with open_station_database(tmp_path / "bare.db") as bare:
        report = service(bare).run(source)
        assert [p.organiser for p in PlacementRepository(bare).all()] == [None]
    assert any("尚未设置本站信息" in warning.message for warning in report.warnings)


def test_organiser_written_as_ben_zhan_is_the_station(
    database: StationDatabase, tmp_path: Path
) -> None:
    service(database).run(write_xlsx(tmp_path / "r.xlsx", [good_row(1, 组织者="本站")]))

    assert [p.organiser for p in PlacementRepository(database).all()] == ["T1"]


def test_an_ambiguous_organiser_name_is_rejected(database: StationDatabase, tmp_path: Path) -> None:
    with database.transaction("setup"):
        OrganisationRepository(database).upsert(
            [Organisation("B2", OrganisationKind.BROKER, "宏达劳务", "640522")]
        )

    report = service(database).run(
        write_xlsx(tmp_path / "r.xlsx", [good_row(1, 组织者="宏达劳务")])
    )

    assert report.placements == RecordCounts()
    assert "B1、B2" in report.rejects[0].reasons


def test_an_unreadable_file_raises_roster_file_error(
    database: StationDatabase, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip file")
    before = dump(database)

    with pytest.raises(RosterFileError):
        service(database).run(bad)
    with pytest.raises(RosterFileError):
        service(database).preview(tmp_path / "roster.pdf")
    assert dump(database) == before


# -- export ---------------------------------------------------------------------------------------
def test_export_then_import_into_an_empty_database_reproduces_workers_and_placements(
    database: StationDatabase, tmp_path: Path
) -> None:
    service(database).run(mixed_roster(tmp_path / "roster.xlsx"))
    extra_worker = Worker(person_id(30, "320506"), "李丽", "320506", resident_county="640502")
    with database.transaction("setup"):
        WorkerRepository(database).upsert([extra_worker])
        PlacementRepository(database).upsert(
            [
                Placement(
                    "p-ended",
                    extra_worker.id_number,
                    "B1",
                    "640104",
                    date(2025, 1, 10),
                    end=date(2025, 4, 30),
                    employer="银川某公司",
                    contract=True,
                    contract_start=date(2025, 1, 10),
                    contract_end=date(2026, 1, 9),
                    monthly_wage=300050,
                )
            ]
        )
        code = PlacementRepository(database).all()[0].id
        PlacementRepository(database).add_follow_up(
            FollowUp("", code, date(2025, 6, 1), FollowUpMethod.PHONE, FollowUpResult.EMPLOYED)
        )
        ClaimRepository(database).add([Claim(2, 80000, 2025, worker=person_id(1), claim="C-1")])
    original = load_scenario(database)
    exported = tmp_path / "export.xlsx"

    result = RosterExportService(database).export(exported)

    assert (result.workers, result.placements, result.follow_ups, result.claims) == (4, 4, 1, 1)
    assert openpyxl.load_workbook(exported, read_only=True).sheetnames == [
        "人员",
        "就业",
        "回访",
        "申领",
        "组织",
    ]
    with open_station_database(tmp_path / "fresh.db") as fresh:
        report = RosterImportService(fresh, ACTOR, today=TODAY).run(exported)
        copy = load_scenario(fresh)
    assert report.rejects == ()
    assert report.organisations == RecordCounts(created=2)
    assert copy.workers == original.workers
    assert copy.placements == original.placements
    assert copy.organisations == original.organisations


def test_export_into_a_file_that_cannot_be_written_leaves_no_half_file(
    database: StationDatabase, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match=r"\.xlsx"):
        RosterExportService(database).export(tmp_path / "export.csv")
    with pytest.raises(OSError):
        RosterExportService(database).export(tmp_path / "missing-dir" / "export.xlsx")
    assert [path.name for path in tmp_path.iterdir() if ".xlsx" in path.name] == []
