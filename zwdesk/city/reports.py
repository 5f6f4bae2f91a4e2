"""The city's cadence reports (月调度、季通报、半年看进度、全年比成效): per county and period the
five yearly targets of POLICY.md §5 against actuals, per item and budget unit what was claimed
and paid against the year's estimates — with a warning before a unit runs over — and the
conflicts of the period's year.

Definitions (also printed under the report, so a reader need not look here):
- 转移就业人数 counts rural labourers (本地户籍 or 常住, `rural` set) with any employment record
  in progress during the window; 外出就业 are those among them working outside their home
  county (POLICY.md §3's transfer employment); 有组织 those with an organised job; 稳定就业 n个月
  those with a job stable n months as of the window's end (POLICY.md §2). A person counts once,
  in their home county (hukou county; residence county for 常住人口). 本期 is the period itself,
  年内累计 1 January to the period's end. The head-count target is the city's; counties have the
  share targets only.
- Budget: see zwdesk.city.report_budget.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from fractions import Fraction

from zwdesk.city.analysis import KIND_LABELS, ConflictStore
from zwdesk.city.city_view import (
    ITEM_NAMES,
    ITEM_TITLES,
    CityView,
    build_city_view,
    city_schedule,
)
from zwdesk.city.errors import CityError
from zwdesk.city.records import CONFLICT_GONE, ConflictRow
from zwdesk.city.report_budget import (
    BUDGET_NEAR_PERCENT,
    BUDGET_OVER_PERCENT,
    BudgetRow,
    budget_rows,
    percent,
)
from zwdesk.domain.collector import collector_paused
from zwdesk.domain.dates import add_months, qualifying_date
from zwdesk.domain.model import Placement
from zwdesk.domain.money import Fen, format_yuan_grouped
from zwdesk.domain.policy.engine import compute
from zwdesk.domain.policy.facts import OTHER, belonging, last_proven_day, transfer_of
from zwdesk.domain.policy.parameters import (
    Jurisdiction,
    PolicySchedule,
    Targets,
)
from zwdesk.domain.policy.results import Results
from zwdesk.domain.regions import lookup_region

# The targets name their stability spans in their keys (stable_3_months_share, …).
STABLE_SHORT_MONTHS = 3
STABLE_LONG_MONTHS = 6


class ReportError(CityError):
    """A report that cannot be made (a bad period, one not begun)."""


# -- periods ---------------------------------------------------------------------------------
class Cadence(StrEnum):
    """The city's rhythm: which report a period is."""

    MONTH = "月调度"
    QUARTER = "季通报"
    HALF_YEAR = "半年看进度"
    YEAR = "全年比成效"


_QUARTER_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")
_PERIOD = re.compile(r"^(\d{4})(?:-(?:(\d{2})|[Qq]([1-4])|[Hh]([12])))?$")


@dataclass(frozen=True, slots=True)
class ReportPeriod:
    """One report period: `2025-03`, `2025-Q1`, `2025-H1` or `2025`."""

    text: str
    cadence: Cadence
    start: date
    end: date
    label: str  # 2025年3月, 2025年第一季度, 2025年上半年, 2025年

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def title(self) -> str:
        """`2025年第一季度 季通报`."""
        return f"{self.label} {self.cadence.value}"


def parse_period(text: str) -> ReportPeriod:
    """A period as the command line writes it; ReportError (Chinese) otherwise."""
    cleaned = text.strip()
    match = _PERIOD.match(cleaned)
    if match is None:
        raise ReportError(
            f"报告期“{text}”无法识别：应为 2025-03（月）、2025-Q1（季）、2025-H1（半年）"
            "或 2025（全年）"
        )
    year = int(match.group(1))
    month, quarter, half = match.group(2), match.group(3), match.group(4)
    if month is not None:
        number = int(month)
        if not 1 <= number <= 12:
            raise ReportError(f"报告期“{text}”的月份应为 01–12")
        first, months, cadence, label = number, 1, Cadence.MONTH, f"{year}年{number}月"
    elif quarter is not None:
        number = int(quarter)
        first, months = 3 * number - 2, 3
        cadence, label = Cadence.QUARTER, f"{year}年{_QUARTER_NAMES[number - 1]}"
    elif half is not None:
        number = int(half)
        first, months = 6 * number - 5, 6
        cadence, label = Cadence.HALF_YEAR, f"{year}年{'上' if number == 1 else '下'}半年"
    else:
        first, months, cadence, label = 1, 12, Cadence.YEAR, f"{year}年"
    if not 2000 <= year <= 2100:
        raise ReportError(f"报告期“{text}”的年份不合理")
    start = date(year, first, 1)
    end = add_months(start, months) - timedelta(days=1)
    return ReportPeriod(cleaned.upper(), cadence, start, end, label)


# -- targets ---------------------------------------------------------------------------------
class Measure(StrEnum):
    """The five targets of POLICY.md §5, in the order the notice lists them."""

    TRANSFER_WORKERS = "transfer_workers"
    ORGANISED = "organised_share"
    OUTSIDE_COUNTY = "outside_county_share"
    STABLE_SHORT = "stable_3_months_share"
    STABLE_LONG = "stable_6_months_share"

    @property
    def label(self) -> str:
        return _MEASURE_LABELS[self]


_MEASURE_LABELS = {
    Measure.TRANSFER_WORKERS: "农村劳动力转移就业人数",
    Measure.ORGANISED: "有组织输出占比",
    Measure.OUTSIDE_COUNTY: "外出就业（区内县外、区外）占比",
    Measure.STABLE_SHORT: f"稳定就业{STABLE_SHORT_MONTHS}个月以上占比",
    Measure.STABLE_LONG: f"稳定就业{STABLE_LONG_MONTHS}个月以上占比",
}


# How the actuals are counted, printed under the targets (text and .xlsx).
TARGET_NOTES = (
    "转移就业人数：本地户籍或常住的农村劳动力中，统计期内有就业记录（在岗）的人数，每人只计一次，"
    "计入其户籍县区（常住人口计入常住县区）；县区不分解人数目标",
    "外出就业：在本县区以外就业（区内县外、区外）；有组织输出：有组织者（工作站、劳务中介等）的就业",
    f"稳定就业{STABLE_SHORT_MONTHS}个月、{STABLE_LONG_MONTHS}个月：截至统计日已由结束日期或回访"
    "证实的在岗时长",
    "本期 = 报告期内；年内累计 = 当年1月1日至报告期末（或今天）",
)


class TargetStatus(StrEnum):
    MET = "达标"
    NOT_MET = "未达标"
    IN_PROGRESS = "进行中"
    NO_DATA = "无数据"
    NO_TARGET = "—"


@dataclass(frozen=True, slots=True)
class TargetLine:
    """One target of one county (or the city) against the period's and the year's actuals.

    For the head count, `*_count` is the number of people; for a share, `*_count` of
    `*_base` people meet it."""

    scope: str  # county code, or the city's code
    scope_name: str
    measure: Measure
    target: Fraction | int | None  # a share, a head count, or None (no target here)
    period_count: int
    period_base: int
    year_count: int
    year_base: int
    status: TargetStatus

    @property
    def is_share(self) -> bool:
        return self.measure is not Measure.TRANSFER_WORKERS

    @property
    def year_ratio(self) -> Fraction | None:
        """The year's share, or — for the head count — the year's progress toward it."""
        if self.is_share:
            return Fraction(self.year_count, self.year_base) if self.year_base else None
        if isinstance(self.target, int) and self.target > 0:
            return Fraction(self.year_count, self.target)
        return None

    @property
    def period_ratio(self) -> Fraction | None:
        if self.is_share and self.period_base:
            return Fraction(self.period_count, self.period_base)
        return None


@dataclass
class _Tally:
    """One window's people, counted by the set of measures each reached (a bit mask)."""

    by_mask: Counter[int] = field(default_factory=Counter)

    @property
    def people(self) -> int:
        return sum(self.by_mask.values())

    def reached(self, measure: Measure) -> int:
        bit = _BITS[measure]
        return sum(count for mask, count in self.by_mask.items() if mask & bit)


def _share(value: float) -> Fraction:
    return Fraction(str(value))  # 0.40 as written in the parameters, not its binary neighbour


def target_lines(
    view: CityView,
    schedule: PolicySchedule,
    period: ReportPeriod,
    as_of: date,
    counties: Sequence[tuple[str, str]],
) -> tuple[TargetLine, ...]:
    """The five targets for the city and each county, over the period and the year so far
    (home counties and transfer judged by the jurisdiction in force on 1 January)."""
    params = schedule.for_year(period.year)
    jurisdiction = params.jurisdiction
    end = min(period.end, as_of)
    year_start = date(period.year, 1, 1)
    by_worker: dict[str, list[Placement]] = defaultdict(list)
    for placement in view.scenario.placements:
        if placement.start <= end and (placement.end is None or placement.end >= year_start):
            by_worker[placement.worker].append(placement)
    tallies: dict[tuple[str, str], _Tally] = defaultdict(_Tally)
    for worker in view.scenario.workers:
        placements = by_worker.get(worker.id_number)
        if not placements or not worker.rural:
            continue
        residence, home = belonging(worker, jurisdiction)
        if residence is OTHER:
            continue
        in_year, in_period = 0, 0
        running_in_period = False
        for placement in placements:
            reached = _reached(placement, home, jurisdiction, end)
            in_year |= reached
            if placement.end is None or placement.end >= period.start:
                running_in_period = True
                in_period |= reached
        windows = [("year", in_year), *([("period", in_period)] if running_in_period else [])]
        for window, reached in windows:
            for scope in (home, jurisdiction.city):
                tallies[(window, scope)].by_mask[reached] += 1
    scopes = [(jurisdiction.city, _region_name(jurisdiction.city)), *counties]
    return tuple(
        _target_line(scope, name, measure, params.targets, tallies, period, jurisdiction.city)
        for scope, name in scopes
        for measure in Measure
    )


_BITS = {measure: 1 << bit for bit, measure in enumerate(Measure)}
_EMPLOYED, _ORGANISED, _OUTSIDE, _SHORT, _LONG = (_BITS[m] for m in Measure)


def _reached(placement: Placement, home: str, jurisdiction: Jurisdiction, end: date) -> int:
    """The measures one job meets, as bits of `_BITS` (300,000 jobs: no objects per job)."""
    reached = _EMPLOYED
    if placement.organiser is not None:
        reached |= _ORGANISED
    if transfer_of(placement.work_county, home, jurisdiction).is_transfer:
        reached |= _OUTSIDE
    proven = last_proven_day(placement, end)
    if proven >= qualifying_date(placement.start, STABLE_SHORT_MONTHS):
        reached |= _SHORT
    if proven >= qualifying_date(placement.start, STABLE_LONG_MONTHS):
        reached |= _LONG
    return reached


def _target_line(
    scope: str,
    name: str,
    measure: Measure,
    targets: Targets,
    tallies: Mapping[tuple[str, str], _Tally],
    period: ReportPeriod,
    city: str,
) -> TargetLine:
    in_period, in_year = tallies.get(("period", scope)), tallies.get(("year", scope))
    period_base = in_period.people if in_period else 0
    year_base = in_year.people if in_year else 0
    period_count = in_period.reached(measure) if in_period else 0
    year_count = in_year.reached(measure) if in_year else 0
    target: Fraction | int | None
    if measure is Measure.TRANSFER_WORKERS:
        # The head count is the city's; no county share of it is set.
        target = targets.transfer_workers if scope == city else None
        if target is None:
            status = TargetStatus.NO_TARGET
        elif year_count >= target:
            status = TargetStatus.MET
        elif period.cadence is Cadence.YEAR:
            status = TargetStatus.NOT_MET
        else:
            status = TargetStatus.IN_PROGRESS
    else:
        target = _share(getattr(targets, measure.value))
        if not year_base:
            status = TargetStatus.NO_DATA
        else:
            met = Fraction(year_count, year_base) >= target
            status = TargetStatus.MET if met else TargetStatus.NOT_MET
    return TargetLine(
        scope, name, measure, target, period_count, period_base, year_count, year_base, status
    )


def _region_name(code: str) -> str:
    region = lookup_region(code)
    return region.name if region else code


def local_counties(schedule: PolicySchedule, year: int) -> tuple[tuple[str, str], ...]:
    """(code, name) of the city's counties, from the year's jurisdiction parameters."""
    jurisdiction = schedule.for_year(year).jurisdiction
    return tuple((code, _region_name(code)) for code in jurisdiction.local_counties)


# -- the report ------------------------------------------------------------------------------
@dataclass(frozen=True)
class CityReport:
    """Everything one cadence report shows."""

    period: ReportPeriod
    as_of: date  # the period's end, or today while it runs
    generated_at: datetime
    counties: tuple[tuple[str, str], ...]
    targets: tuple[TargetLine, ...]
    budget_year: int | None  # None: the parameters have no estimates for the period's year
    budget: tuple[BudgetRow, ...]
    conflicts: tuple[ConflictRow, ...]
    near_percent: int = BUDGET_NEAR_PERCENT
    over_percent: int = BUDGET_OVER_PERCENT
    skipped: Mapping[str, int] = field(default_factory=dict)

    @property
    def warnings(self) -> list[str]:
        """`第二项 一次性交通补贴 · 海原县：预警：…` for every row with a warning."""
        return [
            f"{ITEM_NAMES[row.item]} {ITEM_TITLES[row.item]} · {row.unit_name}：{row.warning}"
            for row in self.budget
            if row.warning
        ]

    @property
    def open_conflicts(self) -> int:
        return sum(1 for row in self.conflicts if row.state == "open")


def build_report(
    view: CityView,
    results: Results,
    schedule: PolicySchedule,
    period: ReportPeriod,
    *,
    conflicts: Iterable[ConflictRow] = (),
    generated_at: datetime | None = None,
    near_percent: int = BUDGET_NEAR_PERCENT,
    over_percent: int = BUDGET_OVER_PERCENT,
) -> CityReport:
    """The report over a city view and the engine's results on it (as of `results.as_of`)."""
    if not 0 < near_percent <= over_percent:
        raise ReportError(f"预警比例应满足 0 < 接近({near_percent}%) ≤ 超出({over_percent}%)")
    counties = local_counties(schedule, period.year)
    budget = schedule.for_year(period.year).budget
    has_budget = budget.year == period.year
    return CityReport(
        period=period,
        as_of=results.as_of,
        generated_at=generated_at or datetime.now(UTC),
        counties=counties,
        targets=target_lines(view, schedule, period, results.as_of, counties),
        budget_year=budget.year if has_budget else None,
        budget=(
            budget_rows(
                view,
                results,
                budget,
                counties,
                near_percent=near_percent,
                over_percent=over_percent,
            )
            if has_budget
            else ()
        ),
        conflicts=tuple(
            row
            for row in conflicts
            if row.state != CONFLICT_GONE and row.conflict.year in (None, period.year)
        ),
        near_percent=near_percent,
        over_percent=over_percent,
        skipped=view.skipped,
    )


def city_report(
    database: ConflictStore,
    period: ReportPeriod,
    schedule: PolicySchedule | None = None,
    *,
    today: date | None = None,
    near_percent: int = BUDGET_NEAR_PERCENT,
    over_percent: int = BUDGET_OVER_PERCENT,
) -> CityReport:
    """The report from the city database: its merged records and stored conflicts."""
    day = today or date.today()
    if period.start > day:
        raise ReportError(f"报告期 {period.label} 尚未开始（今天是 {day}）")
    schedule = schedule or city_schedule(database)
    with collector_paused():
        view = build_city_view(database.live_records)
        results = compute(view.scenario, min(period.end, day), schedule)
        return build_report(
            view,
            results,
            schedule,
            period,
            conflicts=database.conflicts(),
            near_percent=near_percent,
            over_percent=over_percent,
        )


# -- as text ---------------------------------------------------------------------------------
def money(fen: Fen) -> str:
    """`4,000,000.00` (元, with fen)."""
    return format_yuan_grouped(fen)


def target_text(line: TargetLine) -> str:
    if line.target is None:
        return "—"
    if isinstance(line.target, Fraction):
        return f"≥{percent(line.target)}"
    return f"{line.target:,}人"


def actual_text(line: TargetLine, which: str) -> str:
    """`45.0%（9/20）` for a share, `30人` (with progress for the year) for the head count."""
    count = line.period_count if which == "period" else line.year_count
    base = line.period_base if which == "period" else line.year_base
    if line.is_share:
        return f"{percent(Fraction(count, base))}（{count}/{base}）" if base else "—"
    ratio = line.year_ratio if which == "year" else None
    return f"{count:,}人" + (f"（完成{percent(ratio)}）" if ratio is not None else "")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    rows = [list(header), *(list(row) for row in rows)]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(header))]
    return [
        "  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)).rstrip()
        for row in rows
    ]


SHOWN_CONFLICTS = 20  # a terminal lists this many; the .xlsx has them all
CONFLICT_STATE_LABELS = {"open": "待处理", "resolved": "已处理", "gone": "已消失"}


def report_text(report: CityReport, *, shown_conflicts: int = SHOWN_CONFLICTS) -> str:
    """The report as a terminal shows it (Chinese; no personal data beyond masked ones)."""
    period = report.period
    lines = [
        f"中卫市就业优先政策 {period.title}（{period.start} 至 {period.end}，统计至 "
        f"{report.as_of}）",
        "",
        "一、工作目标（年度目标）",
    ]
    lines += _table(
        ("县区", "指标", "目标", "本期", "年内累计", "情况"),
        (
            (
                line.scope_name,
                line.measure.label,
                target_text(line),
                actual_text(line, "period"),
                actual_text(line, "year"),
                line.status.value,
            )
            for line in report.targets
        ),
    )
    lines += [f"注：{note}" for note in TARGET_NOTES]
    lines += ["", "二、资金（元）"]
    if report.budget_year is None:
        lines.append(f"政策参数中没有 {period.year} 年的资金测算，不作比较")
    else:
        lines.append(
            f"{report.budget_year} 年资金测算；预警：已提交和已拨付达测算的 "
            f"{report.near_percent}% 为接近预算，超过 {report.over_percent}% 为超出预算"
        )
        lines += _table(
            ("项目", "预算单位", "测算", "在办", "已提交", "已拨付", "占测算", "可申领", "预警"),
            (
                (
                    ITEM_NAMES[row.item],
                    row.unit_name,
                    money(row.estimate),
                    money(row.in_process),
                    money(row.submitted),
                    money(row.paid),
                    percent(row.used_share) if row.used_share is not None else "—",
                    money(row.due),
                    row.level.value,
                )
                for row in report.budget
            ),
        )
        warnings = report.warnings
        lines += ["", f"预警 {len(warnings)} 项：" if warnings else "预警：无"]
        lines += [f"  {warning}" for warning in warnings]
    lines += ["", f"三、冲突（{period.year} 年，待处理 {report.open_conflicts} 项）"]
    counts = Counter(row.conflict.kind for row in report.conflicts)
    lines += [
        f"  {KIND_LABELS.get(kind, kind)}：{count} 项" for kind, count in sorted(counts.items())
    ]
    shown = report.conflicts[:shown_conflicts]
    for row in shown:
        conflict = row.conflict
        state = CONFLICT_STATE_LABELS.get(row.state, row.state)
        lines.append(f"[{state}] {KIND_LABELS.get(conflict.kind, conflict.kind)}  {conflict.key}")
        lines.append(f"  {conflict.message}")
        if row.resolution:
            lines.append(f"  处理意见：{row.resolution}（{row.resolved_by}，{row.resolved_at}）")
    if not report.conflicts:
        lines.append("无")
    elif len(shown) < len(report.conflicts):
        lines.append(
            f"……另有 {len(report.conflicts) - len(shown)} 项未列出"
            "（全部见 zwdesk city conflicts 或导出的 .xlsx）"
        )
    for why, count in sorted(report.skipped.items()):
        lines.append(f"注：未纳入统计的记录：{why} {count} 条")
    return "\n".join(lines) + "\n"
