"""The cadence reports over real stations: targets per county and period against hand-counted
actuals, budget warnings just below, at and over their thresholds, and the .xlsx read back."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

from tests.city.merged_city import (
    HAIYUAN,
    SHAPOTOU,
    SHENZHEN,
    ZHONGNING,
    CityUnderTest,
    job,
    own_keyring,
    scenario,
    station_org,
    worker,
)
from zwdesk.city.analysis import refresh_conflicts
from zwdesk.city.city_view import CityView, build_city_view, shipped_policy_dir
from zwdesk.city.report_budget import (
    CITY_LEVEL,
    TOTAL_UNIT,
    BudgetLevel,
    budget_level,
    percent,
)
from zwdesk.city.report_xlsx import BUDGET_HEADERS, TARGET_HEADERS, write_report_xlsx
from zwdesk.city.reports import (
    Cadence,
    CityReport,
    Measure,
    ReportError,
    TargetStatus,
    build_report,
    city_report,
    parse_period,
    report_text,
)
from zwdesk.domain.claims import ClaimState
from zwdesk.domain.policy.engine import compute
from zwdesk.domain.policy.parameters import PolicySchedule, parse_parameter_set
from zwdesk.services.policy_files import default_schedule

A = worker(10, "马小兰")  # 海原, jobs at T1 and at T2: one person
B = worker(11, "白二")  # 海原, a job in his own county, found alone
C = worker(12, "丁三", ZHONGNING)  # started in November, never followed up
D = worker(13, "田四", ZHONGNING, rural=False)  # not rural labour: outside the targets, not item 2
E = worker(14, "杨五", "610102")  # from Xi'an, not living here: outside the targets
F = worker(15, "海六", SHAPOTOU)  # a job since 2024, still running
G = worker(16, "李七", "610102", resident=ZHONGNING)  # 常住 in 中宁; left after six weeks
H = worker(17, "刘八", SHAPOTOU)  # 沙坡头: item 2 draws on 市本级


@dataclass
class ReportCity:
    city: CityUnderTest
    view: CityView
    t1_item2: str
    t2_item2: str


@pytest.fixture(scope="module")
def report_city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReportCity]:
    with own_keyring():
        city = CityUnderTest(tmp_path_factory.mktemp("report-city"))
        city.add_station(
            "T1",
            scenario(
                [station_org("T1", HAIYUAN)],
                [A, B, C, D, E, F, H],
                [
                    job("P1", A, "T1", date(2025, 1, 10), verified=date(2025, 8, 1)),
                    job("P2", B, None, date(2025, 2, 1), county=HAIYUAN, verified=date(2025, 6, 1)),
                    job("P3", C, "T1", date(2025, 11, 1), county=SHENZHEN),
                    job("P4", D, "T1", date(2025, 1, 10), verified=date(2025, 8, 1)),
                    job("P5", E, "T1", date(2025, 1, 10), verified=date(2025, 8, 1)),
                    job("P6", F, "T1", date(2024, 6, 1), verified=date(2025, 3, 15)),
                    job("P7", H, "T1", date(2025, 1, 10), verified=date(2025, 8, 1)),
                ],
            ),
        )
        city.add_station(
            "T2",
            scenario(
                [station_org("T2", ZHONGNING)],
                [A, G],
                [
                    job(
                        "Q1", A, "T2", date(2025, 5, 1), county=SHENZHEN, verified=date(2025, 12, 1)
                    ),
                    job("Q2", G, "T2", date(2025, 3, 1), end=date(2025, 4, 15)),
                ],
            ),
        )
        # T1 claims item 2 for A, D and H (submitted); T2 claims it again for A (paid).
        t1, _uuid = city.claim("T1", 2, "T1", state=ClaimState.SUBMITTED)
        t2, _uuid = city.claim("T2", 2, "T2", state=ClaimState.PAID)
        city.send()
        refresh_conflicts(city.database, as_of=date(2025, 12, 31))
        yield ReportCity(city, build_city_view(city.database.live_records), t1.number, t2.number)


def report_for(
    report_city: ReportCity, period: str, schedule: PolicySchedule | None = None
) -> CityReport:
    schedule = schedule or default_schedule()
    parsed = parse_period(period)
    results = compute(report_city.view.scenario, min(parsed.end, date(2026, 1, 20)), schedule)
    return build_report(
        report_city.view,
        results,
        schedule,
        parsed,
        conflicts=report_city.city.database.conflicts(),
        generated_at=datetime(2026, 1, 20, 9, 30, tzinfo=UTC),
    )


def line(report: CityReport, scope: str, measure: Measure) -> tuple[int, int, int, int]:
    found = next(t for t in report.targets if t.scope == scope and t.measure is measure)
    return found.period_count, found.period_base, found.year_count, found.year_base


def test_periods_as_the_city_writes_them() -> None:
    month = parse_period("2025-03")
    assert (month.cadence, month.start, month.end) == (
        Cadence.MONTH,
        date(2025, 3, 1),
        date(2025, 3, 31),
    )
    assert parse_period("2024-02").end == date(2024, 2, 29)
    quarter = parse_period("2025-q4")
    assert (quarter.start, quarter.end, quarter.label) == (
        date(2025, 10, 1),
        date(2025, 12, 31),
        "2025年第四季度",
    )
    half = parse_period("2025-H2")
    assert (half.cadence, half.start, half.end, half.title) == (
        Cadence.HALF_YEAR,
        date(2025, 7, 1),
        date(2025, 12, 31),
        "2025年下半年 半年看进度",
    )
    assert parse_period("2025").title == "2025年 全年比成效"
    for bad in ("2025-13", "2025-Q5", "2025-H3", "25-03", "2025/03", ""):
        with pytest.raises(ReportError, match="报告期"):
            parse_period(bad)


def test_the_year_s_targets_count_each_person_once_in_their_home_county(
    report_city: ReportCity,
) -> None:
    report = report_for(report_city, "2025")
    assert [name for _code, name in report.counties] == ["沙坡头区", "中宁县", "海原县"]
    city = "640500"
    # A B C F G H are rural labour of Zhongwei (G as 常住 of 中宁); D and E are not.
    assert line(report, city, Measure.TRANSFER_WORKERS)[2] == 6
    assert line(report, city, Measure.ORGANISED)[2:] == (5, 6)  # B found his job alone
    assert line(report, city, Measure.OUTSIDE_COUNTY)[2:] == (5, 6)  # B works at home
    assert line(report, city, Measure.STABLE_SHORT)[2:] == (4, 6)  # A B F H
    assert line(report, city, Measure.STABLE_LONG)[2:] == (3, 6)  # A F H
    assert line(report, HAIYUAN, Measure.STABLE_SHORT)[2:] == (2, 2)
    assert line(report, ZHONGNING, Measure.TRANSFER_WORKERS)[2] == 2  # C and G
    assert line(report, ZHONGNING, Measure.STABLE_SHORT)[2:] == (0, 2)
    assert line(report, SHAPOTOU, Measure.STABLE_LONG)[2:] == (2, 2)
    statuses = {
        (t.scope, t.measure): t.status for t in report.targets if t.scope in (city, ZHONGNING)
    }
    assert statuses[(city, Measure.TRANSFER_WORKERS)] is TargetStatus.NOT_MET  # 6 of 220,000
    assert statuses[(ZHONGNING, Measure.TRANSFER_WORKERS)] is TargetStatus.NO_TARGET
    assert statuses[(city, Measure.ORGANISED)] is TargetStatus.MET  # 5/6 ≥ 40%
    assert statuses[(city, Measure.STABLE_SHORT)] is TargetStatus.NOT_MET  # 4/6 < 80%
    organised = next(
        t for t in report.targets if t.scope == city and t.measure is Measure.ORGANISED
    )
    assert organised.target == Fraction(2, 5) and organised.year_ratio == Fraction(5, 6)


def test_a_month_counts_what_was_proven_by_its_end_and_the_year_so_far(
    report_city: ReportCity,
) -> None:
    march = report_for(report_city, "2025-03")
    assert march.as_of == date(2025, 3, 31)
    # Running in March: A B F G H (C starts in November). Only F's job was stable by then.
    assert line(march, "640500", Measure.TRANSFER_WORKERS)[::2] == (5, 5)
    assert line(march, "640500", Measure.STABLE_SHORT) == (1, 5, 1, 5)
    transfer = next(t for t in march.targets if t.measure is Measure.TRANSFER_WORKERS)
    assert transfer.status is TargetStatus.IN_PROGRESS
    # May: G left in April — in the year so far, not in the month.
    may = report_for(report_city, "2025-05")
    assert line(may, "640500", Measure.TRANSFER_WORKERS)[::2] == (4, 5)
    assert line(may, ZHONGNING, Measure.TRANSFER_WORKERS)[::2] == (0, 1)


def schedule_with_item2_estimate(haiyuan_yuan: int) -> PolicySchedule:
    """The shipped parameters with 海原县's item-2 estimate changed (a real parameter file)."""
    path = shipped_policy_dir() / "2025-01-01.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    for budget_line in data["budget"]["lines"]:
        if budget_line["item"] == 2:
            budget_line["county_640522"] = haiyuan_yuan
    return PolicySchedule([parse_parameter_set(data, "测试参数")])


def item2_row(report: CityReport, unit: str) -> tuple[int, int, int, BudgetLevel, str]:
    row = next(r for r in report.budget if r.item == 2 and r.unit == unit)
    return row.estimate, row.submitted, row.paid, row.level, row.warning


@pytest.mark.parametrize(
    ("estimate_yuan", "level", "words"),
    [
        (2001, BudgetLevel.FINE, ""),  # 1,600 of 2,001: 79.96 %
        (2000, BudgetLevel.NEAR, "为测算的 80.00%，接近预算"),  # exactly 80 %
        (1600, BudgetLevel.NEAR, "为测算的 100.00%，接近预算"),  # used up, not over
        (1599, BudgetLevel.OVER, "为测算的 100.06%，超出预算"),  # one yuan over
    ],
)
def test_the_budget_warning_comes_before_a_unit_runs_over(
    report_city: ReportCity, estimate_yuan: int, level: BudgetLevel, words: str
) -> None:
    report = report_for(report_city, "2025-Q4", schedule_with_item2_estimate(estimate_yuan))
    # 海原县: A's 800 submitted by T1 and A's 800 paid by T2 (the double claim is a conflict).
    estimate, submitted, paid, found, warning = item2_row(report, HAIYUAN)
    assert (estimate, submitted, paid, found) == (estimate_yuan * 100, 80_000, 80_000, level)
    assert (words in warning) if words else warning == ""
    assert any("海原县" in text for text in report.warnings) == bool(words)


def test_claims_draw_on_the_right_unit_and_the_item_total(report_city: ReportCity) -> None:
    report = report_for(report_city, "2025")
    # H's hukou 沙坡头区 has no item-2 estimate: 市本级 pays.
    assert item2_row(report, CITY_LEVEL)[:3] == (200_000_000, 80_000, 0)
    assert item2_row(report, SHAPOTOU)[:3] == (0, 0, 0)
    # D is not rural labour (outside the targets) but item 2 does not ask for it: 中宁县.
    assert item2_row(report, ZHONGNING)[:3] == (100_000_000, 80_000, 0)
    total = next(r for r in report.budget if r.item == 2 and r.unit == TOTAL_UNIT)
    assert (total.estimate, total.used) == (500_000_000, 320_000)
    assert total.level is BudgetLevel.FINE
    assert report.budget_year == 2025
    # No estimates for 2026 in the parameters: no budget comparison, said so.
    later = report_for(report_city, "2026-01")
    assert later.budget_year is None and later.budget == ()
    assert "没有 2026 年的资金测算" in report_text(later)


@pytest.mark.parametrize(
    ("used", "estimate", "near", "over", "level"),
    [
        (79_99, 100_00, 80, 100, BudgetLevel.FINE),
        (80_00, 100_00, 80, 100, BudgetLevel.NEAR),
        (100_00, 100_00, 80, 100, BudgetLevel.NEAR),
        (100_01, 100_00, 80, 100, BudgetLevel.OVER),
        (89_99, 100_00, 90, 100, BudgetLevel.FINE),
        (90_00, 100_00, 90, 95, BudgetLevel.NEAR),
        (95_01, 100_00, 90, 95, BudgetLevel.OVER),
        (1, 0, 80, 100, BudgetLevel.UNBUDGETED),
        (0, 0, 80, 100, BudgetLevel.FINE),
    ],
)
def test_budget_levels_at_their_boundaries(
    used: int, estimate: int, near: int, over: int, level: BudgetLevel
) -> None:
    assert budget_level(used, estimate, near_percent=near, over_percent=over) is level


def test_the_report_reads_from_the_city_database_and_prints(report_city: ReportCity) -> None:
    report = city_report(
        report_city.city.database, parse_period("2025-Q4"), today=date(2026, 1, 20)
    )
    text = report_text(report)
    assert "2025年第四季度 季通报" in text and "统计至 2025-12-31" in text
    assert "海原县" in text and "80,000.00" in text and "500,000,000.00" not in text
    assert "第二项重复申领：1 项" in text  # A, claimed by T1 and T2
    assert report_city.t1_item2 in text and report_city.t2_item2 in text
    assert A.id_number not in text
    with pytest.raises(ReportError, match="尚未开始"):
        city_report(report_city.city.database, parse_period("2026-03"), today=date(2026, 1, 20))


def test_the_xlsx_reads_back(report_city: ReportCity, tmp_path: Path) -> None:
    report = report_for(report_city, "2025", schedule_with_item2_estimate(1599))
    path = write_report_xlsx(report, tmp_path / "报告" / "2025.xlsx")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["目标", "资金", "冲突"]
    targets, budget, conflicts = (workbook[name] for name in workbook.sheetnames)
    title = str(targets["A1"].value)
    assert "2025年 全年比成效" in title and "生成于 2026-01-20" in title
    for sheet in (targets, budget, conflicts):
        assert sheet.freeze_panes == "A3"
    assert [cell.value for cell in targets[2]] == [name for name, _width in TARGET_HEADERS]
    assert [cell.value for cell in budget[2]] == [name for name, _width in BUDGET_HEADERS]
    assert targets.column_dimensions["B"].width == TARGET_HEADERS[1][1]
    first = [cell.value for cell in targets[3]]
    assert first[:4] == ["中卫市", "农村劳动力转移就业人数", 220000, 6]
    organised = [cell.value for cell in targets[4]]
    assert organised[1] == "有组织输出占比" and organised[2] == pytest.approx(0.4)
    assert organised[6:9] == [5, 6, pytest.approx(5 / 6)]
    assert targets.cell(4, 9).number_format == "0.0%"
    rows = [[cell.value for cell in row] for row in budget.iter_rows(min_row=3)]
    haiyuan = next(row for row in rows if row[0] == "第二项" and row[2] == "海原县")
    assert haiyuan[3:8] == [1599, 0, 800, 800, 1600]
    assert haiyuan[11] == "超出预算" and "超出预算" in haiyuan[12]
    money_cell = next(
        row
        for row in budget.iter_rows(min_row=3)
        if row[0].value == "第二项" and row[2].value == "海原县"
    )[5]
    assert money_cell.number_format == "#,##0.00"
    listed = [[cell.value for cell in row] for row in conflicts.iter_rows(min_row=3)]
    assert any(row[1] == "第二项重复申领" and row[3] == "待处理" for row in listed)
    assert all(A.id_number not in str(value) for row in listed for value in row)


def test_shares_are_shown_rounded_down() -> None:
    assert percent(Fraction(3999, 10000)) == "39.9%"  # short of a 40 % target: never "40.0%"
    assert percent(Fraction(2, 5)) == "40.0%"
    assert percent(Fraction(1600, 2001), 2) == "79.96%"
    assert percent(Fraction(1600, 1599), 2) == "100.06%"
