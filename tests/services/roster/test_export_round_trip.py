"""write_export_xlsx writes 人员/就业/回访/申领; read_roster reads 人员 and 就业 back losslessly."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl

from tests.services.roster.builders import TODAY, person_id
from zwdesk.domain.model import (
    Claim,
    FollowUp,
    FollowUpMethod,
    FollowUpResult,
    Placement,
    TargetGroup,
    Worker,
)
from zwdesk.services.roster import read_roster, write_export_xlsx

WORKERS = [
    Worker(
        person_id(41),
        "马明",
        "640522",
        rural=True,
        groups=frozenset({TargetGroup.POVERTY_RELIEVED, TargetGroup.RELOCATED}),
        phone="13812345678",
    ),
    Worker(
        person_id(42, "320506"), "李丽", "320506", resident_county="640502", phone="0955-7012345"
    ),
    Worker(person_id(43), "没有工作的人", "640521"),  # a worker without placement
]
PLACEMENTS = [
    Placement(
        "p-1",
        person_id(41),
        "st-1",
        "320506",
        date(2025, 3, 1),
        verified_through=date(2025, 6, 1),
        employer="苏州某电子厂",
        contract=True,
        contract_start=date(2025, 3, 1),
        contract_end=date(2026, 2, 28),
        social_insurance=True,
        monthly_wage=420050,
    ),
    Placement("p-2", person_id(41), None, "650100", date(2024, 11, 5), end=date(2025, 2, 1)),
    Placement(
        "p-3",
        person_id(42, "320506"),
        "broker-9",
        "640104",
        date(2025, 1, 10),
        employer="银川某公司",
        monthly_wage=300000,
    ),
]
FOLLOW_UPS = [
    FollowUp("f-1", "p-1", date(2025, 6, 1), FollowUpMethod.PHONE, FollowUpResult.EMPLOYED, "王")
]
CLAIMS = [Claim(2, 80000, 2025, worker=person_id(41), claim="C-1")]


def test_export_reads_back_the_same_workers_and_placements(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    write_export_xlsx(path, WORKERS, PLACEMENTS, FOLLOW_UPS, CLAIMS)

    plan = read_roster(path, today=TODAY)

    assert plan.rejects == [], [r.reasons for r in plan.rejects]
    assert plan.workers == WORKERS
    assert plan.placements == PLACEMENTS
    assert [w.message for w in plan.warnings] == []


def test_export_has_four_sheets_with_chinese_headers(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    write_export_xlsx(path, WORKERS, PLACEMENTS, FOLLOW_UPS, CLAIMS)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["人员", "就业", "回访", "申领"]
    people = list(workbook["人员"].values)
    assert people[0][:4] == ("姓名", "性别", "身份证号", "户籍地")
    assert people[1][3] == "宁夏回族自治区中卫市海原县"
    assert isinstance(people[1][2], str)  # IDs stay text
    jobs = list(workbook["就业"].values)
    assert jobs[1][4] == "江苏省苏州市吴中区"
    assert list(workbook["回访"].values)[1][3] == "电话"
    assert list(workbook["申领"].values)[1][:3] == ("第2项", 800, 2025)


def test_export_of_nothing_is_a_valid_empty_roster(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    write_export_xlsx(path, [], [], [], [])
    plan = read_roster(path, today=TODAY)
    assert plan.rows == [] and plan.rejects == []
