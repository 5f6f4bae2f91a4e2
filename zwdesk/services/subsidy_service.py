"""Subsidies as a station sees them (no Qt): results as of a date, the dashboard summary of our
organisation, the follow-up worklist (回访清单) and every result row with its explanation."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from zwdesk.domain.dates import qualifying_date
from zwdesk.domain.model import Organisation, OrganisationKind, Scenario
from zwdesk.domain.money import Fen, format_yuan_grouped, yuan_to_fen
from zwdesk.domain.policy.facts import (
    Residence,
    home_county_of,
    last_proven_day,
    residence_of,
    transfer_of,
)
from zwdesk.domain.policy.parameters import PolicySchedule, Tier, next_tier, tier_for
from zwdesk.domain.policy.results import NextStep, PendingQualification, Results
from zwdesk.domain.privacy import mask_id_number
from zwdesk.domain.regions import region_label
from zwdesk.services.calc_service import calculate, display_names
from zwdesk.services.policy_files import default_schedule
from zwdesk.storage.change_counter import current_change_number
from zwdesk.storage.database import StationDatabase, open_station_database
from zwdesk.storage.organisation_repository import OrganisationRepository
from zwdesk.storage.scenario_repository import load_scenario

ITEM_TITLES = {
    1: "第一项 驻外劳务工作站就业创业服务补贴",
    2: "第二项 一次性交通补贴",
    3: "第三项 劳务中介带动就业奖补",
    4: "第四项 就业帮扶车间一次性补贴",
    5: "第五项 “点对点”转移就业输送",
    6: "第六项 零工市场（驿站）运营补贴",
}
ITEM_NAMES = {1: "第一项", 2: "第二项", 3: "第三项", 4: "第四项", 5: "第五项", 6: "第六项"}
# Which items an organisation of each kind can claim (POLICY.md §4).
ITEMS_BY_KIND = {
    OrganisationKind.STATION: (1,),
    OrganisationKind.BROKER: (3, 5),
    OrganisationKind.WORKSHOP: (4,),
    OrganisationKind.GIG_MARKET: (6,),
    OrganisationKind.GIG_STATION: (6,),
}
# How far ahead the worklist looks: a follow-up due next month is planned now.
WORKLIST_HORIZON = timedelta(days=31)

Report = Callable[[int, int, str], None]


def format_money(fen: Fen) -> str:
    """`40,000.00 元`: 元 with fen, thousands separated."""
    return f"{format_yuan_grouped(fen)} 元"


def month_day(day: date) -> str:
    """`6月30日`."""
    return f"{day.month}月{day.day}日"


@dataclass(frozen=True, slots=True)
class SubsidyRow:
    """One computed result, flattened: item, year, who, amounts and the explaining sentences."""

    item: int
    year: int | None  # None: item 4 is one-time over the policy period
    who: str
    amount: Fen  # due now
    entitlement: Fen
    claimed: Fen
    explanation: Sequence[str]
    detail: str = ""  # e.g. 批次号 or a masked ID number

    @property
    def item_name(self) -> str:
        """第一项 … 第六项."""
        return ITEM_NAMES[self.item]


@dataclass(frozen=True, slots=True)
class ItemSummary:
    """What our organisation can claim under one item this year, and how far the next tier is."""

    item: int
    title: str
    count: int
    count_label: str
    status: str  # 已达200人档 / 未达200人档 …
    entitlement: Fen
    amount: Fen  # due now (entitlement minus what was claimed)
    thresholds: tuple[int, ...] = ()  # ascending, for the tier bar
    next_threshold: int | None = None
    next_amount: Fen | None = None
    missing: int | None = None


@dataclass(frozen=True, slots=True)
class TargetProgress:
    """One city target (工作目标) against our own workers this year."""

    label: str
    target: float
    numerator: int
    denominator: int
    note: str

    @property
    def actual(self) -> float | None:
        """The share reached, or None when nobody is in the denominator yet."""
        return self.numerator / self.denominator if self.denominator else None

    @property
    def met(self) -> bool:
        """True when the share reaches the target."""
        return self.actual is not None and self.actual >= self.target


@dataclass(frozen=True, slots=True)
class WorklistEntry:
    """A placement whose 3- or 6-month date is near or past and that no follow-up proved yet."""

    placement: str
    worker: str
    worker_name: str
    phone: str | None
    employer: str
    work_place: str
    start: date
    qualifies_on: date
    months: int
    item: int
    year: int
    reason: str
    value: Fen  # the money that depends on confirming this placement

    def days_left(self, as_of: date) -> int:
        """Days until the stable date (0 or less: a follow-up now proves it)."""
        return (self.qualifies_on - as_of).days

    def status(self, as_of: date) -> str:
        """`已满期，待回访` or `12天后满期`."""
        days = self.days_left(as_of)
        return "已满期，待回访" if days <= 0 else f"{days}天后满期"


@dataclass(frozen=True, slots=True)
class DashboardSummary:
    """Our organisation this year: items, city targets, and the one sentence that matters."""

    as_of: date
    year: int
    organisation: Organisation | None
    items: tuple[ItemSummary, ...]
    targets: tuple[TargetProgress, ...]
    workers_this_year: int
    headline: str


@dataclass(frozen=True, slots=True)
class SubsidyOverview:
    """Everything the views show, computed once per (date, database change)."""

    as_of: date
    change_number: int
    results: Results
    summary: DashboardSummary
    worklist: tuple[WorklistEntry, ...]
    rows: tuple[SubsidyRow, ...]

    @property
    def years(self) -> tuple[int, ...]:
        """The years that have rows, ascending."""
        return tuple(sorted({row.year for row in self.rows if row.year is not None}))


def filter_rows(
    rows: Iterable[SubsidyRow], item: int | None = None, year: int | None = None
) -> list[SubsidyRow]:
    """Rows of one item and/or one year (None = all). One-time rows (item 4) show in every year."""
    return [
        row
        for row in rows
        if (item is None or row.item == item)
        and (year is None or row.year is None or row.year == year)
    ]


class SubsidyService:
    """Computes over a station database. Safe to call from a worker thread: every call opens its
    own connection, and a result is reused while the database has not changed."""

    def __init__(self, database: StationDatabase, schedule: PolicySchedule | None = None) -> None:
        self._path = database.path
        self._schedule = schedule
        self._lock = threading.Lock()
        self._cached: SubsidyOverview | None = None

    @property
    def schedule(self) -> PolicySchedule:
        """The policy parameters computed with."""
        if self._schedule is None:
            self._schedule = default_schedule()
        return self._schedule

    def compute(self, as_of: date) -> Results:
        """Engine results as of a date (slow at city scale: call it off the GUI thread)."""
        return self.overview(as_of).results

    def overview(self, as_of: date, report: Report | None = None) -> SubsidyOverview:
        """Results, dashboard summary, worklist and rows (slow at city scale: off the GUI
        thread). `report(done, total, text)` is told how far it is."""

        def step(done: int, text: str) -> None:
            if report is not None:
                report(done, 4, text)

        with self._lock:  # two views asking at once: the second gets the first one's result
            step(0, "读取数据…")
            with open_station_database(self._path, create=False) as database:
                number = current_change_number(database)
                cached = self._cached
                if cached is not None and (cached.as_of, cached.change_number) == (as_of, number):
                    return cached
                scenario = load_scenario(database)
                ours = OrganisationRepository(database).station_profile()
            step(1, "计算补贴…")
            results = calculate(scenario, as_of, self.schedule)
            step(2, "整理结果…")
            overview = build_overview(scenario, results, ours, self.schedule, number)
            step(4, "完成")
            self._cached = overview
            return overview


# -- building the overview (pure functions over one scenario and its results) ----------------
def build_overview(
    scenario: Scenario,
    results: Results,
    ours: Organisation | None,
    schedule: PolicySchedule,
    change_number: int = 0,
) -> SubsidyOverview:
    """Summary, worklist and rows for our organisation in the year of `results.as_of`."""
    worklist = follow_up_worklist(scenario, results, ours, schedule)
    return SubsidyOverview(
        as_of=results.as_of,
        change_number=change_number,
        results=results,
        summary=dashboard_summary(scenario, results, ours, schedule),
        worklist=worklist,
        rows=subsidy_rows(scenario, results),
    )


def subsidy_rows(scenario: Scenario, results: Results) -> tuple[SubsidyRow, ...]:
    """Every result row of every item, with who it is for and its explanation."""
    names = display_names(scenario)
    departures = {batch.id: batch.departure.year for batch in scenario.batches}
    rows: list[SubsidyRow] = []
    add = rows.append
    for station in results.station_tiers:
        add(
            SubsidyRow(
                1,
                station.year,
                names.get(station.organisation, station.organisation),
                station.amount,
                station.entitlement,
                station.claimed,
                station.explanation,
            )
        )
    for transport in results.transport:
        add(
            SubsidyRow(
                2,
                transport.year,
                names.get(transport.worker, "（无姓名）"),
                transport.amount,
                transport.entitlement,
                transport.claimed,
                transport.explanation,
                mask_id_number(transport.worker),
            )
        )
    for broker in results.broker_rewards:
        add(
            SubsidyRow(
                3,
                broker.year,
                names.get(broker.organisation, broker.organisation),
                broker.amount,
                broker.entitlement,
                broker.claimed,
                broker.explanation,
            )
        )
    for workshop in results.workshops:
        add(
            SubsidyRow(
                4,
                None,
                names.get(workshop.organisation, workshop.organisation),
                workshop.amount,
                workshop.entitlement,
                workshop.claimed,
                workshop.explanation,
            )
        )
    for batch in results.batches:
        add(
            SubsidyRow(
                5,
                departures.get(batch.batch),
                names.get(batch.organisation, batch.organisation),
                batch.amount,
                batch.entitlement,
                batch.claimed,
                batch.explanation,
                f"批次{batch.batch}",
            )
        )
    for gig in results.gig:
        add(
            SubsidyRow(
                6,
                gig.year,
                names.get(gig.organisation, gig.organisation),
                gig.amount,
                gig.entitlement,
                gig.claimed,
                gig.explanation,
            )
        )
    return tuple(rows)


def _tier_summary(
    item: int,
    count: int,
    count_label: str,
    tiers: Sequence[Tier],
    entitlement: Fen,
    amount: Fen,
    next_step: NextStep | None,
    unit: str = "人",
) -> ItemSummary:
    reached = tier_for(tiers, count)
    lowest = min(tier.min_count for tier in tiers)
    status = f"已达{reached.min_count}{unit}档" if reached else f"未达{lowest}{unit}档"
    return ItemSummary(
        item=item,
        title=ITEM_TITLES[item],
        count=count,
        count_label=count_label,
        status=status,
        entitlement=entitlement,
        amount=amount,
        thresholds=tuple(sorted(tier.min_count for tier in tiers)),
        next_threshold=next_step.threshold if next_step else None,
        next_amount=next_step.amount if next_step else None,
        missing=next_step.missing if next_step else None,
    )


def _next_step(tiers: Sequence[Tier], count: int) -> NextStep | None:
    tier = next_tier(tiers, count)
    return NextStep.toward(tier, count) if tier else None


def _item_summaries(
    scenario: Scenario, results: Results, ours: Organisation, schedule: PolicySchedule, year: int
) -> list[ItemSummary]:
    params = schedule.for_year(year)
    summaries: list[ItemSummary] = []
    for item in ITEMS_BY_KIND[ours.kind]:
        if item == 1:
            rule = params.station_tier
            station = next(
                (r for r in results.station_tiers if (r.organisation, r.year) == (ours.id, year)),
                None,
            )
            count = station.count if station else 0
            summaries.append(
                _tier_summary(
                    1,
                    count,
                    f"稳定就业{rule.stable_months}个月以上的转移就业人数",
                    rule.tiers,
                    station.entitlement if station else 0,
                    station.amount if station else 0,
                    station.next_tier if station else _next_step(rule.tiers, count),
                )
            )
        elif item == 3:
            broker_rule = params.broker_reward
            broker = next(
                (r for r in results.broker_rewards if (r.organisation, r.year) == (ours.id, year)),
                None,
            )
            count = broker.count if broker else 0
            threshold = Tier(min_count=broker_rule.min_workers, amount=0)
            next_step = broker.next_tier if broker else None
            if broker is None:
                next_step = NextStep(broker_rule.min_workers, 0, broker_rule.min_workers)
            summary = _tier_summary(
                3,
                count,
                f"工资{broker_rule.min_monthly_wage}元以上、稳定就业"
                f"{broker_rule.stable_months}个月以上的农村劳动力人数",
                (threshold,),
                broker.entitlement if broker else 0,
                broker.amount if broker else 0,
                next_step,
            )
            summaries.append(summary)
        elif item == 4:
            workshop_rule = params.workshop
            workshop = next((r for r in results.workshops if r.organisation == ours.id), None)
            count = workshop.count if workshop else 0
            summaries.append(
                _tier_summary(
                    4,
                    count,
                    "吸纳重点群体签订6个月以上合同并缴纳社保的人数（实施期内一次性）",
                    workshop_rule.tiers,
                    workshop.entitlement if workshop else 0,
                    workshop.amount if workshop else 0,
                    workshop.next_tier if workshop else _next_step(workshop_rule.tiers, count),
                )
            )
        elif item == 5:
            departures = {b.id: b.departure.year for b in scenario.batches}
            ours_batches = [
                r
                for r in results.batches
                if r.organisation == ours.id and departures.get(r.batch) == year
            ]
            paying = sum(1 for r in ours_batches if r.kind != "none")
            summaries.append(
                ItemSummary(
                    item=5,
                    title=ITEM_TITLES[5],
                    count=len(ours_batches),
                    count_label="本年已出发的输送批次",
                    status=f"{paying}批可获补贴",
                    entitlement=sum(r.entitlement for r in ours_batches),
                    amount=sum(r.amount for r in ours_batches),
                )
            )
        else:
            gig_rule = params.gig
            market = ours.kind is OrganisationKind.GIG_MARKET
            minimum = gig_rule.market_min_people if market else gig_rule.station_min_people
            pays = gig_rule.market_amount if market else gig_rule.station_amount
            tiers = (Tier(min_count=minimum, amount=pays),)
            gig = next(
                (r for r in results.gig if (r.organisation, r.year) == (ours.id, year)), None
            )
            count = gig.count if gig else 0
            summaries.append(
                _tier_summary(
                    6,
                    count,
                    "本年带动就业人数",
                    tiers,
                    gig.entitlement if gig else 0,
                    gig.amount if gig else 0,
                    _next_step(tiers, count),
                )
            )
    return summaries


def city_targets(
    scenario: Scenario, as_of: date, schedule: PolicySchedule, year: int
) -> tuple[tuple[TargetProgress, ...], int]:
    """POLICY.md §5 targets over our own workers (本地户籍及常住) with a job starting this year.

    Stability shares count only those whose 3- (6-) month date has come: a job that started
    last week cannot be stable yet, and counting it would make every spring look like failure.
    """
    params = schedule.for_year(year)
    jurisdiction = params.jurisdiction
    targets = params.targets
    workers = {worker.id_number: worker for worker in scenario.workers}
    base: set[str] = set()
    organised: set[str] = set()
    outside: set[str] = set()
    due: dict[int, set[str]] = defaultdict(set)
    stable: dict[int, set[str]] = defaultdict(set)
    for placement in scenario.placements:
        if placement.start.year != year or placement.start > as_of:
            continue
        worker = workers.get(placement.worker)
        if worker is None or residence_of(worker, jurisdiction) is Residence.OTHER:
            continue
        base.add(worker.id_number)
        if placement.organiser is not None:
            organised.add(worker.id_number)
        home = home_county_of(worker, jurisdiction)
        if transfer_of(placement.work_county, home, jurisdiction).is_transfer:
            outside.add(worker.id_number)
        proven = last_proven_day(placement, as_of)
        for months in (3, 6):
            qualifying = qualifying_date(placement.start, months)
            if qualifying <= as_of:
                due[months].add(worker.id_number)
            if proven >= qualifying:
                stable[months].add(worker.id_number)
    total = len(base)
    progress = (
        TargetProgress(
            "有组织输出", targets.organised_share, len(organised), total, f"{total}人中"
        ),
        TargetProgress(
            "外出就业（区内县外＋区外）",
            targets.outside_county_share,
            len(outside),
            total,
            f"{total}人中",
        ),
        TargetProgress(
            "稳定就业3个月以上",
            targets.stable_3_months_share,
            len(stable[3]),
            len(due[3]),
            f"已满3个月期限的{len(due[3])}人中",
        ),
        TargetProgress(
            "稳定就业6个月以上",
            targets.stable_6_months_share,
            len(stable[6]),
            len(due[6]),
            f"已满6个月期限的{len(due[6])}人中",
        ),
    )
    return progress, total


def _tier_values(
    pending: Sequence[PendingQualification], count: int, tiers: Sequence[Tier]
) -> dict[str, Fen]:
    """For each pending placement (in date order), the tier increment it helps unlock: the
    k-th confirmation brings the count to count + k, and is needed for the lowest tier at or
    above that number."""
    values: dict[str, Fen] = {}
    for index, item in enumerate(pending):
        reaches = count + index + 1
        target = min(
            (t for t in tiers if t.min_count >= reaches), key=lambda t: t.min_count, default=None
        )
        if target is None:
            values[item.placement] = 0
            continue
        below = next((t for t in tiers if t.min_count < target.min_count), None)
        values[item.placement] = yuan_to_fen(target.amount - (below.amount if below else 0))
    return values


def follow_up_worklist(
    scenario: Scenario,
    results: Results,
    ours: Organisation | None,
    schedule: PolicySchedule,
    horizon: timedelta = WORKLIST_HORIZON,
) -> tuple[WorklistEntry, ...]:
    """Our placements whose stable date is past or within `horizon` and not yet proven, the
    ones with the most money depending on them first."""
    if ours is None:
        return ()
    as_of = results.as_of
    placements = {placement.id: placement for placement in scenario.placements}
    workers = {worker.id_number: worker for worker in scenario.workers}
    entries: list[WorklistEntry] = []

    def add(
        item: PendingQualification, number: int, year: int, months: int, reason: str, value: Fen
    ) -> None:
        if item.qualifies_on > as_of + horizon:
            return
        placement = placements.get(item.placement)
        worker = workers.get(item.worker)
        if placement is None or worker is None:
            return
        entries.append(
            WorklistEntry(
                placement=placement.id,
                worker=worker.id_number,
                worker_name=worker.name,
                phone=worker.phone,
                employer=placement.employer,
                work_place=region_label(placement.work_county),
                start=placement.start,
                qualifies_on=item.qualifies_on,
                months=months,
                item=number,
                year=year,
                reason=reason,
                value=value,
            )
        )

    for station in results.station_tiers:
        if station.organisation != ours.id:
            continue
        rule = schedule.for_year(station.year).station_tier
        values = _tier_values(station.pending, station.count, rule.tiers)
        for item in station.pending:
            add(
                item,
                1,
                station.year,
                rule.stable_months,
                f"满{rule.stable_months}个月计入第一项{station.year}年人数",
                values[item.placement],
            )
    for broker in results.broker_rewards:
        if broker.organisation != ours.id:
            continue
        broker_rule = schedule.for_year(broker.year).broker_reward
        for item in broker.pending:
            if item.reason == "upgrade":
                months = broker_rule.long_stable_months
                value = yuan_to_fen(broker_rule.long_amount - broker_rule.amount)
                reason = (
                    f"满{months}个月，第三项奖补由{broker_rule.amount}元"
                    f"增至{broker_rule.long_amount}元"
                )
            else:
                months = broker_rule.stable_months
                value = yuan_to_fen(broker_rule.amount)
                reason = f"满{months}个月计入第三项{broker.year}年人数"
            add(item, 3, broker.year, months, reason, value)
    entries.sort(key=lambda entry: (-entry.value, entry.qualifies_on, entry.placement))
    return tuple(entries)


def _headline(
    ours: Organisation | None, results: Results, items: Sequence[ItemSummary], year: int
) -> str:
    if ours is None:
        return "尚未设置本站信息（设置 → 本站），无法汇总本站可申领的补贴"
    for summary in items:
        if summary.missing is None or summary.next_threshold is None:
            continue
        unit = "人档" if summary.item in (1, 4) else "人"
        goal = f"{summary.next_threshold}{unit}" + ("门槛" if summary.item in (3, 6) else "")
        pending: Sequence[PendingQualification] = ()
        if summary.item == 1:
            row = next(
                (r for r in results.station_tiers if (r.organisation, r.year) == (ours.id, year)),
                None,
            )
            pending = row.pending if row else ()
        elif summary.item == 3:
            broker = next(
                (r for r in results.broker_rewards if (r.organisation, r.year) == (ours.id, year)),
                None,
            )
            if broker is not None:
                pending = sorted(
                    (p for p in broker.pending if p.reason == "stable"),
                    key=lambda p: (p.qualifies_on, p.placement),
                )
        if pending and len(pending) >= summary.missing:
            by = pending[summary.missing - 1].qualifies_on
            return f"确认这{summary.missing}人在岗（{month_day(by)}前满期）即可达到{goal}"
        if pending:
            return (
                f"还差{summary.missing}人达到{goal}；待回访的{len(pending)}人全部确认后"
                f"仍差{summary.missing - len(pending)}人"
            )
        return f"还差{summary.missing}人达到{goal}"
    if any(summary.thresholds for summary in items):
        return "已达最高档"
    return f"{year}年本站补贴一览"


def dashboard_summary(
    scenario: Scenario, results: Results, ours: Organisation | None, schedule: PolicySchedule
) -> DashboardSummary:
    """Our organisation in the year of the evaluation date."""
    year = results.as_of.year
    items = _item_summaries(scenario, results, ours, schedule, year) if ours else []
    targets, total = city_targets(scenario, results.as_of, schedule, year)
    return DashboardSummary(
        as_of=results.as_of,
        year=year,
        organisation=ours,
        items=tuple(items),
        targets=targets,
        workers_this_year=total,
        headline=_headline(ours, results, items, year),
    )
