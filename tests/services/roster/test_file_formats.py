"""Real files in every format offices send: .xlsx with a title and a two-level merged header,
legacy .xls, CSV in UTF-8 with BOM and in GB18030."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.services.roster.builders import HEADER, TODAY, good_row, person_id, write_xlsx
from zwdesk.domain.model import TargetGroup
from zwdesk.services.roster import RosterFileError, RosterPlan, read_roster

TITLE = "2025年海原县驻苏州工作站转移就业花名册"
# 序号 … 户籍所在地 | 就业信息: 用工单位 务工地点 务工起始时间 月工资（元） | 劳动合同
TOP = ["序号", "姓名", "性别", "身份证号码", "户籍所在地", "就业信息", None, None, None, "劳动合同"]
SUB = [None, None, None, None, None, "用工单位", "务工地点", "务工起始时间", "月工资（元）", None]


def _two_level_rows() -> list[list[Any]]:
    return [
        [
            1,
            "马  明",
            "男",
            person_id(11),
            "宁夏中卫市海原县",
            "苏州某电子厂",
            "江苏省苏州市吴中区",
            date(2025, 3, 1),
            4200,
            "是",
        ],
        [None] * 10,  # a blank line in the middle
        [
            2,
            "马兰",
            "女",
            person_id(12),
            "海原县",
            "昆山某厂",
            "江苏昆山",
            "2025/3/1",
            "4,200元",
            "√",
        ],
        [
            3,
            "田原",
            "男",
            person_id(13),
            None,
            "乌市某公司",
            "新疆乌鲁木齐",
            "2025年3月1日",
            "4200",
            "已签",
        ],
        [4, None, None, None, None, None, None, None, None, None],  # pre-numbered template row
        ["合计", None, None, None, None, None, None, None, 12600, None],
    ]


def _check_two_level(plan: RosterPlan) -> None:
    assert plan.rejects == [], [r.reasons for r in plan.rejects]
    assert [row.worker.name for row in plan.rows] == ["马明", "马兰", "田原"]
    first, second, third = plan.rows
    assert first.placement is not None and first.placement.work_county == "320506"
    assert second.placement is not None and second.placement.work_county == "320583"
    assert third.placement is not None and third.placement.work_county == "650100"
    assert {row.placement.start for row in plan.rows if row.placement} == {date(2025, 3, 1)}
    assert {row.placement.monthly_wage for row in plan.rows if row.placement} == {420000}
    assert all(row.placement and row.placement.contract for row in plan.rows)
    assert third.worker.hukou_county == "640522"  # defaulted from the ID, with a warning
    assert any("户籍地未填，按身份证号前6位默认为" in w.message for w in plan.warnings)
    assert plan.stats.skipped == 3


def test_xlsx_with_title_row_and_merged_two_level_header(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "花名册"
    sheet.append([TITLE])
    sheet.merge_cells("A1:J1")
    sheet.append(TOP)
    sheet.append(SUB)
    sheet.merge_cells("F2:I2")
    for letter in "ABCDEJ":
        sheet.merge_cells(f"{letter}2:{letter}3")
    for row in _two_level_rows():
        sheet.append(row)
    workbook.save(tmp_path / "roster.xlsx")

    plan = read_roster(tmp_path / "roster.xlsx", today=TODAY)

    _check_two_level(plan)
    assert plan.stats.header_rows == {"花名册": (2, 3)}
    assert [row.row_number for row in plan.rows] == [4, 6, 7]
    assert plan.stats.format == "xlsx"


def test_legacy_xls(tmp_path: Path) -> None:
    xlwt = pytest.importorskip("xlwt")  # test-only: xlrd can only read
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("花名册")
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    sheet.write_merge(0, 0, 0, 9, TITLE)
    for column, text in enumerate(TOP):
        if text and column not in (5, 6, 7, 8):
            sheet.write_merge(1, 2, column, column, text)
    sheet.write_merge(1, 1, 5, 8, "就业信息")
    for column, text in enumerate(SUB):
        if text:
            sheet.write(2, column, text)
    for offset, row in enumerate(_two_level_rows(), start=3):
        for column, value in enumerate(row):
            if isinstance(value, date):
                sheet.write(offset, column, value, date_style)
            elif value is not None:
                sheet.write(offset, column, value)
    book.save(str(tmp_path / "roster.xls"))

    plan = read_roster(tmp_path / "roster.xls", today=TODAY)

    _check_two_level(plan)
    assert plan.stats.format == "xls"


def _csv_rows() -> list[list[Any]]:
    rows: list[list[Any]] = [list(HEADER)]
    rows.append(good_row(21, 身份证号=" ６４０５２２" + person_id(21)[6:], 月工资="4200元"))
    rows.append(good_row(22, 开始日期="20250301", 人员类别="脱贫人口、易地搬迁"))
    rows.append(good_row(23, 开始日期="2025.3.1", 是否签订劳动合同="×", 联系电话="138 1234 5678"))
    return rows


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "utf-8"])
def test_csv_in_utf8_with_bom_and_in_gb18030(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "roster.csv"
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(
            [
                [value.isoformat() if isinstance(value, date) else value for value in row]
                for row in _csv_rows()
            ]
        )

    plan = read_roster(path, today=TODAY)

    assert plan.rejects == [], [r.reasons for r in plan.rejects]
    assert plan.stats.format == f"csv/{encoding}"
    first, second, third = plan.rows
    assert first.worker.id_number == person_id(21)
    assert first.worker.name == good_row(21)[1]
    assert second.worker.groups == {TargetGroup.POVERTY_RELIEVED, TargetGroup.RELOCATED}
    assert third.placement is not None and not third.placement.contract
    assert third.worker.phone == "13812345678"
    assert {row.placement.start for row in plan.rows if row.placement} == {date(2025, 3, 1)}


def test_duplicate_rows_collapse_with_a_note(tmp_path: Path) -> None:
    rows = [good_row(31), good_row(32), good_row(31, 序号=3, 月工资="4,200")]
    plan = read_roster(write_xlsx(tmp_path / "dup.xlsx", rows), today=TODAY)
    assert [row.row_number for row in plan.rows] == [2, 3]
    assert plan.stats.duplicates == 1
    notes = [w for w in plan.warnings if w.row_number == 4]
    assert notes[0].message == "与第2行重复（同一人、同一用工单位、同一开始日期），已合并"


def test_same_person_two_jobs_is_two_placements(tmp_path: Path) -> None:
    rows = [good_row(33), good_row(33, 用工单位="另一家厂", 开始日期=date(2025, 5, 1))]
    plan = read_roster(write_xlsx(tmp_path / "two.xlsx", rows), today=TODAY)
    assert len(plan.placements) == 2 and len(plan.workers) == 1
    assert len({p.id for p in plan.placements}) == 2


def test_placement_ids_are_deterministic(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", [good_row(34)])
    first = read_roster(path, today=TODAY).placements[0].id
    assert first == read_roster(path, today=TODAY).placements[0].id


def test_organiser_column_and_default(tmp_path: Path) -> None:
    rows = [good_row(35), good_row(36, 组织者="海原县驻苏州工作站")]
    plan = read_roster(write_xlsx(tmp_path / "o.xlsx", rows), today=TODAY, organiser="st-1")
    assert [p.organiser for p in plan.placements] == ["st-1", "海原县驻苏州工作站"]
    assert plan.rows[1].organiser_name == "海原县驻苏州工作站"


def test_file_without_a_roster_header_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "x.xlsx", [["a", "b"]], header=("项目", "金额"))
    with pytest.raises(RosterFileError, match="没有找到花名册表头"):
        read_roster(path)


@pytest.mark.parametrize(
    ("name", "message"),
    [("missing.xlsx", "文件不存在"), ("notes.docx", "不支持的文件类型")],
)
def test_unreadable_files_say_why(tmp_path: Path, name: str, message: str) -> None:
    if name.endswith(".docx"):
        (tmp_path / name).write_bytes(b"x")
    with pytest.raises(RosterFileError, match=message):
        read_roster(tmp_path / name)


def test_damaged_xlsx_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bad.xlsx").write_bytes(b"not a zip")
    with pytest.raises(RosterFileError, match="无法打开Excel文件"):
        read_roster(tmp_path / "bad.xlsx")


def test_unknown_columns_are_reported_not_fatal(tmp_path: Path) -> None:
    header = (*HEADER, "文化程度")
    plan = read_roster(
        write_xlsx(tmp_path / "u.xlsx", [[*good_row(37), "初中"]], header=header), today=TODAY
    )
    assert len(plan.rows) == 1
    assert any(w.message == "未识别的列“文化程度”，已忽略" for w in plan.warnings)
