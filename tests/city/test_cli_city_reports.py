"""`zwdesk city conflicts | resolve | report`, run in a subprocess as the city's staff would,
on a city database filled by two real stations' bundles."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from tests.city.merged_city import (
    SHENZHEN,
    CityUnderTest,
    job,
    scenario,
    station_org,
    worker,
)

W = worker(31, "马三兰")


def run(*arguments: str) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(
        [sys.executable, "-m", "zwdesk", "city", *arguments],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        timeout=120,
        check=False,
    )


@pytest.fixture
def city_file(tmp_path: Path) -> Path:
    """Two stations that both claimed W's 2025 item 2, taken in by the city."""
    city = CityUnderTest(tmp_path)
    city.add_station(
        "T1",
        scenario(
            [station_org("T1")],
            [W],
            [job("P1", W, "T1", date(2025, 1, 10), verified=date(2025, 8, 1))],
        ),
    )
    city.add_station(
        "T2",
        scenario(
            [station_org("T2")],
            [W],
            [job("Q1", W, "T2", date(2025, 2, 1), county=SHENZHEN, verified=date(2025, 9, 1))],
        ),
    )
    city.claim("T1", 2, "T1")
    city.claim("T2", 2, "T2")
    city.send()
    return tmp_path / "city.db"


def test_conflicts_are_listed_resolved_and_stay_resolved(city_file: Path) -> None:
    database = str(city_file)
    listed = run("conflicts", "--refresh", "--as-of", "2025-12-31", "--db", database)
    assert listed.returncode == 0, listed.stderr
    out = listed.stdout
    assert "全市比对（截至 2025-12-31）" in out and "第二项重复申领：1 项" in out
    assert "冲突清单（待处理）：1 项" in out
    assert "由 T1 和 T2 两个站点分别申领" in out and "640522********" in out
    assert W.id_number not in out + listed.stderr
    key = next(part for part in out.split() if part.startswith("item2:"))

    resolved = run(
        "resolve", key[:12], "--note", "由T1申领，T2退回", "--by", "王科长", "--db", database
    )
    assert resolved.returncode == 0, resolved.stderr
    assert f"冲突 {key} 已处理：由T1申领，T2退回（王科长" in resolved.stdout

    again = run(
        "conflicts", "--refresh", "--as-of", "2025-12-31", "--state", "resolved", "--db", database
    )
    assert again.returncode == 0, again.stderr
    assert (
        "冲突清单（已处理）：1 项" in again.stdout and "处理意见：由T1申领，T2退回" in again.stdout
    )
    assert "冲突清单（待处理）：0 项" in run("conflicts", "--db", database).stdout  # the default

    unknown = run("resolve", "item9:nothing", "--note", "x", "--db", database)
    assert unknown.returncode == 2 and "没有编号为 item9:nothing 的冲突" in unknown.stderr


def test_the_report_prints_and_writes_xlsx(city_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "2025-Q4.xlsx"
    result = run(
        "report",
        "--period",
        "2025-Q4",
        "--today",
        "2026-01-20",
        "--refresh",
        "--out",
        str(out),
        "--db",
        str(city_file),
    )
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "2025年第四季度 季通报（2025-10-01 至 2025-12-31，统计至 2025-12-31）" in text
    assert (
        "一、工作目标" in text
        and "二、资金（元）" in text
        and "三、冲突（2025 年，待处理 1 项）" in text
    )
    assert "第二项  海原县    2,000,000.00" in text
    assert f"报告已写入 {out}" in text
    assert W.id_number not in text
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames == ["目标", "资金", "冲突"]
    assert workbook["冲突"].cell(3, 2).value == "第二项重复申领"

    bad = run("report", "--period", "2025-Q5", "--db", str(city_file))
    assert bad.returncode == 2 and "报告期“2025-Q5”无法识别" in bad.stderr
    assert not (tmp_path / "2025-Q5.xlsx").exists()
