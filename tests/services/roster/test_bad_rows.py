"""One roster with every kind of mistake offices make: each row is rejected for its own reason,
at its own row and column, and no message shows a whole ID number or phone."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.services.roster.builders import COLUMN, TODAY, good_row, person_id, write_xlsx
from zwdesk.services.roster import NUMERIC_ID_REASON, RejectedRow, RosterPlan, read_roster

GOOD = person_id(1)
# (changes to a good row, column header, expected reason — "…" marks a prefix match)
BAD_ROWS: list[tuple[str, dict[str, Any], str, str]] = [
    ("bad checksum", {"身份证号": GOOD[:-1] + "0"}, "身份证号", "身份证号校验位错误：末位应为…"),
    ("17-digit number", {"身份证号": int(GOOD[:17])}, "身份证号", NUMERIC_ID_REASON),
    ("float ID", {"身份证号": 6.40522199001011e17}, "身份证号", NUMERIC_ID_REASON),
    ("ID as 6.4052E+17 text", {"身份证号": "6.40522E+17"}, "身份证号", NUMERIC_ID_REASON),
    ("ID 15 digits", {"身份证号": "640522900101123"}, "身份证号", "身份证号应为18位，实际15位"),
    (
        "ID birth date impossible",
        {"身份证号": "640522199013011234"},
        "身份证号",
        "身份证号中的出生日期19901301不存在",
    ),
    ("missing ID", {"身份证号": None}, "身份证号", "身份证号未填"),
    ("missing name", {"姓名": "  "}, "姓名", "姓名未填"),
    ("ID typed into name", {"姓名": "6405221990"}, "姓名", "姓名中有数字，可能填错了列"),
    (
        "gender contradicts ID",
        {"性别": "女", "身份证号": person_id(3)},
        "性别",
        "性别与身份证号不符（身份证号第17位表示男）",
    ),
    ("unknown gender", {"性别": "M"}, "性别", "性别应填“男”或“女”"),
    ("impossible date", {"开始日期": "2025-02-30"}, "开始日期", "日期“2025-02-30”不存在"),
    (
        "month-only date",
        {"开始日期": "2025年3月"},
        "开始日期",
        "日期“2025年3月”只写到月，请写到具体哪一天",
    ),
    ("not a date", {"开始日期": "三月初"}, "开始日期", "“三月初”不是日期，请写成2025-03-01的格式"),
    ("missing start", {"开始日期": None}, "开始日期", "开始日期未填"),
    (
        "future start",
        {"开始日期": date(2025, 12, 1)},
        "开始日期",
        "开始日期2025-12-01晚于今天（2025-06-30）",
    ),
    ("typo year", {"开始日期": "1025-03-01"}, "开始日期", "开始日期1025-03-01早于2000年，请核对"),
    (
        "end before start",
        {"结束日期": "2025.2.1"},
        "结束日期",
        "结束日期2025-02-01早于开始日期2025-03-01",
    ),
    (
        "future end",
        {"结束日期": "2026-01-01"},
        "结束日期",
        "结束日期2026-01-01晚于今天（2025-06-30）",
    ),
    (
        "unresolvable place",
        {"务工地点": "火星基地"},
        "务工地点",
        "无法识别地点“火星基地”，请写明省、市、县区",
    ),
    ("ambiguous county", {"务工地点": "鼓楼区"}, "务工地点", "“鼓楼区”可能是江苏省南京市鼓楼区、…"),
    (
        "own city only",
        {"务工地点": "宁夏中卫"},
        "务工地点",
        "务工地点只写到“宁夏回族自治区中卫市”，其中包含宁夏回族自治区中卫市海原县，"
        "无法判断是否跨县，请写到县区",
    ),
    (
        "contradictory place",
        {"务工地点": "宁夏吴中区"},
        "务工地点",
        "“吴中区”不在“宁夏回族自治区”境内，地点前后矛盾",
    ),
    (
        "abolished county",
        {"务工地点": "江苏省吴县"},
        "务工地点",
        "“吴县”是已撤销的行政区划（1995年停用），请写现在的县区名称",
    ),
    ("missing work place", {"务工地点": None}, "务工地点", "务工地点未填"),
    ("negative wage", {"月工资": -4200}, "月工资", "月工资“-4200”应大于0"),
    ("non-numeric wage", {"月工资": "面议"}, "月工资", "月工资“面议”不是数字"),
    ("wage range", {"月工资": "4000-5000"}, "月工资", "月工资“4000-5000”是一个范围，请填写一个数"),
    ("annual income as wage", {"月工资": "600000元"}, "月工资", "…"),
    (
        "wage with fen fractions",
        {"月工资": 4200.555},
        "月工资",
        "月工资“4200.555”金额最多保留两位小数（分）",
    ),
    (
        "unknown yes/no",
        {"是否签订劳动合同": "待定"},
        "是否签订劳动合同",
        "无法识别“待定”，请填写“是”或“否”",
    ),
    (
        "unknown yes/no insurance",
        {"是否缴纳社保": "部分"},
        "是否缴纳社保",
        "无法识别“部分”，请填写“是”或“否”",
    ),
    ("unknown category", {"人员类别": "贫困户"}, "人员类别", "人员类别“贫困户”无法识别，…"),
    ("bad phone", {"联系电话": "1381234567"}, "联系电话", "联系电话“138***4567”应为11位手机号"),
    (
        "no hukou, non-local ID",
        {"户籍地": None, "身份证号": person_id(1, "320506"), "性别": None},
        "户籍地",
        "户籍地未填，身份证号前6位（320506）不是本市现行县区代码，无法默认，请填写户籍地",
    ),
    (
        "no hukou, old code",
        {"户籍地": None, "身份证号": person_id(1, "642222", date(1975, 5, 5)), "性别": None},
        "户籍地",
        "户籍地未填，身份证号前6位（642222）不是本市现行县区代码，无法默认，请填写户籍地",
    ),
    (
        "hukou only a province",
        {"户籍地": "宁夏", "身份证号": person_id(1, "320506"), "性别": None},
        "户籍地",
        "户籍地只写到“宁夏回族自治区”，请写到县区",
    ),
    (
        "ambiguous hukou",
        {"户籍地": "朝阳区"},
        "户籍地",
        "“朝阳区”可能是北京市朝阳区、吉林省长春市朝阳区，有重名，请写明所在省市",
    ),
    (
        "same ID, other name",
        {"身份证号": person_id(101), "姓名": "王五", "性别": None},
        "姓名",
        "同一身份证号在第2行的姓名是“张乥”，请核对身份证号或姓名",
    ),
]
# the annual-income row's reason, checked exactly
ANNUAL = "月工资“600000元”超过10万元，请核对（是否填成了年收入？）"


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> RosterPlan:
    rows = [good_row(101)]  # row 2: the person the "same ID, other name" row collides with
    for number, (_, changes, _, _) in enumerate(BAD_ROWS, start=3):
        rows.append(good_row(number, **changes))
    rows.append(good_row(1, 姓名=None, 月工资="很多"))  # two errors in one row
    path = tmp_path_factory.mktemp("bad") / "bad.xlsx"
    return read_roster(write_xlsx(path, rows), today=TODAY)


def _by_row(plan: RosterPlan) -> dict[int, RejectedRow]:
    return {reject.row_number: reject for reject in plan.rejects}


def test_there_are_at_least_twenty_kinds() -> None:
    assert len(BAD_ROWS) >= 20


@pytest.mark.parametrize(
    ("offset", "case"), list(enumerate(BAD_ROWS)), ids=[case[0] for case in BAD_ROWS]
)
def test_each_bad_row_is_rejected_for_its_reason(
    plan: RosterPlan, offset: int, case: tuple[str, dict[str, Any], str, str]
) -> None:
    _, _, header, reason = case
    row_number = offset + 3
    reject = _by_row(plan)[row_number]
    cells = [cell for cell in reject.cells if cell.column == COLUMN[header]]
    assert cells, reject.cells
    cell = cells[0]
    assert cell.row == row_number
    assert cell.field == header or header in ("身份证号",)
    if reason == "…":
        reason = ANNUAL
    if reason.endswith("…"):
        assert cell.reason.startswith(reason[:-1]), cell.reason
    else:
        assert cell.reason == reason
    assert len(reject.cells) == 1, reject.cells


def test_a_row_with_two_mistakes_lists_both(plan: RosterPlan) -> None:
    reject = _by_row(plan)[len(BAD_ROWS) + 3]
    assert [(cell.column, cell.field) for cell in reject.cells] == [
        ("B", "姓名"),
        ("L", "月工资"),
    ]
    assert reject.reasons == "B列姓名：姓名未填；L列月工资：月工资“很多”不是数字"


def test_only_the_good_row_is_imported(plan: RosterPlan) -> None:
    assert [row.row_number for row in plan.rows] == [2]
    assert plan.stats.rejected == len(BAD_ROWS) + 1
    assert plan.stats.valid == 1


def test_no_message_shows_a_whole_id_or_phone(plan: RosterPlan) -> None:
    secrets = {"13812345678", "1381234567", GOOD, GOOD[:-1] + "0", person_id(101)}
    secrets |= {person_id(1, "320506"), "640522199013011234"}
    for reject in plan.rejects:
        for cell in reject.cells:
            for text in (cell.value, cell.reason, cell.describe()):
                assert not any(secret in text for secret in secrets), text
    ids = [c.value for r in plan.rejects for c in r.cells if c.field == "身份证号"]
    assert "640522********0120"[:6] in ids[0] and ids[0].count("*") == 8


def test_rejected_rows_keep_their_original_values(plan: RosterPlan, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from zwdesk.services.roster import write_rejects_xlsx

    write_rejects_xlsx(plan, tmp_path / "errors.xlsx")
    sheet = load_workbook(tmp_path / "errors.xlsx").active
    rows = list(sheet.values)
    assert rows[0][-2:] == ("原行号", "错误原因")
    assert rows[0][:4] == ("序号", "姓名", "性别", "身份证号")
    first = rows[1]
    assert first[3] == GOOD[:-1] + "0"  # the office needs the value it typed to fix it
    assert first[-2] == 3
    assert first[-1].startswith("D列身份证号：身份证号校验位错误")
    assert len(rows) == len(plan.rejects) + 1
