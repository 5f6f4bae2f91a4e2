"""The dashboard's summary (工作台): what our organisation can claim this year, how far the
next tier is, the city's targets beside ours, and the one sentence that matters."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from zwdesk.domain.dates import qualifying_date
from zwdesk.domain.model import Organisation, OrganisationKind, Scenario
from zwdesk.domain.money import Fen, yuan_to_fen
from zwdesk.domain.policy.facts import (
    Residence,
    home_county_of,
    last_proven_day,
    residence_of,
    transfer_of,
)
from zwdesk.domain.policy.parameters import PolicySchedule, Tier, next_tier, tier_for
from zwdesk.domain.policy.results import NextStep, PendingQualification, Results
from zwdesk.services.subsidy_labels import ITEM_TITLES, ITEMS_BY_KIND, month_day


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
class DashboardSummary:
    """Our organisation this year: items, city targets, and the one sentence that matters."""

    as_of: date
    year: int
    organisation: Organisation | None
    items: tuple[ItemSummary, ...]
    targets: tuple[TargetProgress, ...]
    workers_this_year: int
    headline: str


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


def tier_values(
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


def _headline(
    ours: Organisation | None, results: Results, items: Sequence[ItemSummary], year: int
) -> str:
    if ours is None:
        return "尚未设置本站信息（文件 → 本站信息），无法汇总本站可申领的补贴"
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
