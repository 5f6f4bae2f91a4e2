"""Roster fixtures written at test time: a standard header and rows built from a good row."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl

from zwdesk.domain.resident_id import make_resident_id

TODAY = date(2025, 6, 30)
HEADER = (
    "序号",  # A
    "姓名",  # B
    "性别",  # C
    "身份证号",  # D
    "户籍地",  # E
    "常住地",  # F
    "联系电话",  # G
    "务工地点",  # H
    "用工单位",  # I
    "开始日期",  # J
    "结束日期",  # K
    "月工资",  # L
    "是否签订劳动合同",  # M
    "是否缴纳社保",  # N
    "农村劳动力",  # O
    "人员类别",  # P
    "组织者",  # Q
)
COLUMN = {name: chr(ord("A") + index) for index, name in enumerate(HEADER)}


def person_id(sequence: int, region: str = "640522", birth: date = date(1990, 1, 1)) -> str:
    """A valid ID; an odd sequence is a man (17th digit)."""
    return make_resident_id(region, birth, sequence)


def good_row(sequence: int, **changes: Any) -> list[Any]:
    """A row that imports cleanly; keyword arguments replace cells by header name."""
    values: dict[str, Any] = {
        "序号": sequence,
        "姓名": f"张{chr(0x4E00 + sequence)}",
        "性别": "男" if sequence % 2 else "女",
        "身份证号": person_id(sequence),
        "户籍地": "海原县",
        "常住地": None,
        "联系电话": "13812345678",
        "务工地点": "江苏省苏州市吴中区",
        "用工单位": "苏州某电子厂",
        "开始日期": date(2025, 3, 1),
        "结束日期": None,
        "月工资": 4200,
        "是否签订劳动合同": "是",
        "是否缴纳社保": "是",
        "农村劳动力": "是",
        "人员类别": "脱贫人口",
        "组织者": None,
    }
    for name, value in changes.items():
        assert name in values, name
        values[name] = value
    return [values[name] for name in HEADER]


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER) -> Path:
    """A plain one-header-row workbook."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path
