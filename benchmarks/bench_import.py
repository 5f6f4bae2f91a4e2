"""Benchmark: read_roster on a 10,000-row .xlsx against openpyxl read_only into plain tuples.

Run: .venv/bin/python benchmarks/bench_import.py [rows]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import openpyxl

from zwdesk.domain.resident_id import make_resident_id
from zwdesk.services.roster import read_roster

HEADER = [
    "序号",
    "姓名",
    "性别",
    "身份证号",
    "户籍地",
    "联系电话",
    "务工地点",
    "用工单位",
    "务工起始时间",
    "月工资",
    "是否签订劳动合同",
    "是否缴纳社保",
    "农村劳动力",
    "人员类别",
]
PLACES = [
    "江苏省苏州市吴中区",
    "江苏昆山",
    "新疆乌鲁木齐",
    "宁夏银川市兴庆区",
    "浙江义乌",
    "广东省深圳市南山区",
    "内蒙古鄂尔多斯",
    "上海浦东新区",
]
SURNAMES = "马李王张田杨刘海白丁"
GIVEN = "明兰强军花英福贵平安学文志红"
COUNTIES = [("640522", "海原县"), ("640521", "中宁县"), ("640502", "沙坡头区")]


def generate(path: Path, rows: int, seed: int = 7) -> None:
    """A realistic roster: title row, header, `rows` people with varied cell spellings."""
    rng = random.Random(seed)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(["2025年海原县驻苏州工作站转移就业花名册"])
    sheet.append(HEADER)
    for number in range(1, rows + 1):
        code, county = rng.choice(COUNTIES)
        birth = date(1970, 1, 1) + timedelta(days=rng.randrange(12000))
        sequence = rng.randrange(1000)
        start = date(2025, 1, 1) + timedelta(days=rng.randrange(150))
        sheet.append(
            [
                number,
                rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2))),
                "男" if sequence % 2 else "女",
                make_resident_id(code, birth, sequence),
                county,
                f"13{rng.randrange(10**9):09d}",
                rng.choice(PLACES),
                f"用工单位{rng.randrange(300)}",
                start if number % 2 else f"{start.year}/{start.month}/{start.day}",
                rng.choice([4200, "4,500元", "3800", 5200.5]),
                rng.choice(["是", "否", "√"]),
                rng.choice(["是", "否"]),
                "是",
                rng.choice(["脱贫人口", "", "易地搬迁", "就业困难人员"]),
            ]
        )
    workbook.save(path)


def baseline(path: Path) -> int:
    """Read the same file with openpyxl read_only into plain tuples."""
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = [tuple(row) for row in workbook.active.iter_rows(values_only=True)]
    workbook.close()
    return len(rows)


def best_of(runs: int, function, *args):  # type: ignore[no-untyped-def]
    best, result = float("inf"), None
    for _ in range(runs):
        began = time.perf_counter()
        result = function(*args)
        best = min(best, time.perf_counter() - began)
    return best, result


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "roster.xlsx"
        began = time.perf_counter()
        generate(path, rows)
        print(
            f"generated {rows} rows in {time.perf_counter() - began:.2f} s "
            f"({path.stat().st_size / 1e6:.1f} MB)"
        )
        raw_seconds, raw_rows = best_of(3, baseline, path)
        roster_seconds, plan = best_of(3, lambda: read_roster(path, today=date(2025, 12, 31)))
        print(f"baseline openpyxl read_only → tuples: {raw_seconds:.3f} s ({raw_rows} rows)")
        print(
            f"read_roster (parse + validate):       {roster_seconds:.3f} s "
            f"({plan.stats.valid} valid, {plan.stats.rejected} rejected, "
            f"{plan.stats.duplicates} duplicates)"
        )
        print(f"ratio read_roster / baseline: {roster_seconds / raw_seconds:.2f}×")


if __name__ == "__main__":
    main()
