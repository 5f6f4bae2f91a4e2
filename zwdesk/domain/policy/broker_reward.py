"""第三项 — broker reward (劳务中介带动就业奖补) per broker and year, per worker."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import NamedTuple

from zwdesk.domain.dates import qualifying_date
from zwdesk.domain.model import Claim, OrganisationKind, Placement, Worker
from zwdesk.domain.money import Fen, format_yuan
from zwdesk.domain.policy.context import CalcContext
from zwdesk.domain.policy.facts import (
    LOCAL,
    SAME_COUNTY,
    PlacementFacts,
    outside_period_sentence,
    placement_sentence,
    stability_of,
)
from zwdesk.domain.policy.ledger import due_sentence
from zwdesk.domain.policy.results import (
    PENDING_ORDER,
    BrokerRewardResult,
    BrokerWorkerResult,
    Explanation,
    NextStep,
    PendingQualification,
)


class _Verdict(NamedTuple):
    """One placement of a worker with this broker, judged (a tuple, made by `_new`: a city
    makes 100,000 of these, and a slots class's Python `__init__` costs more than its reads
    save)."""

    facts: PlacementFacts
    level: int  # 0 = not qualifying, 1 = 3 to <6 months, 2 = 6 months or more
    amount: Fen  # amount of the level reached (before the 20-person threshold)
    months: int  # months of stability reached (0, 3 or 6)
    could_qualify_on: date | None  # not yet stable, but would be on this day if confirmed
    upgrade_on: date | None  # stable 3, would reach 6 on this day if confirmed

    @property
    def placement(self) -> Placement:
        """The placement judged."""
        return self.facts.placement


@dataclass(frozen=True, slots=True)
class _Day:
    """What item 3 asks of the calendar for a placement starting on one day (worked out once
    per start day: a city's placements start on a few hundred days)."""

    # The rule in force on the start day, amounts in fen.
    in_period: bool
    min_wage: Fen
    months: int  # stable this many months, from `short` on, earns `amount`
    short: date
    amount: Fen
    long_months: int  # stable this many months, from `long` on, earns `long_amount`
    long: date
    long_amount: Fen


# A NamedTuple's generated constructor is a Python function; tuple.__new__ builds the same
# tuple several times faster, which counts for the 100,000 rows of a city.
_new = tuple.__new__


def compute_broker_rewards(context: CalcContext) -> list[BrokerRewardResult]:
    """One row per broker-year with placements (or claims)."""
    results = []
    claims_by_key = context.ledger.index_for(3)  # looked up once per worker of every broker
    claimed = _claimed_workers(context, claims_by_key)
    calendar = _Calendar(context)
    for broker in context.organisations_of(OrganisationKind.BROKER):
        by_year: dict[int, list[PlacementFacts]] = defaultdict(list)
        for facts in context.facts_by_organiser.get(broker.id, ()):
            by_year[facts.start.year].append(facts)
        claimed_years = claimed.get(broker.id, {})
        for year in sorted(by_year.keys() | claimed_years.keys()):
            results.append(
                _broker_year(
                    context,
                    broker.id,
                    broker.name,
                    year,
                    by_year[year],
                    claimed_years.get(year, ()),
                    claims_by_key,
                    calendar,
                )
            )
    return results


def _claimed_workers(
    context: CalcContext, claims_by_key: dict[Hashable, tuple[Claim, ...]]
) -> dict[str, dict[int, list[str]]]:
    """Broker → year → workers with a claim (a year with claims is listed even without
    placements; a worker with a claim is listed even without a placement that year)."""
    claimed: dict[str, dict[int, list[str]]] = {}
    for key in claims_by_key:
        if isinstance(key, tuple) and isinstance(key[2], int):
            broker_id, worker_id, year = key
            workers = claimed.setdefault(broker_id, {}).setdefault(year, [])
            if isinstance(worker_id, str) and worker_id in context.workers:
                workers.append(worker_id)
    return claimed


def _problems(facts: PlacementFacts) -> list[str]:
    """Why a placement does not qualify, stability aside (empty when it can)."""
    placement, params = facts.placement, facts.params
    rule = params.broker_reward
    problems = []
    if not params.period.start <= placement.start <= params.period.end:
        problems.append("不在政策实施期内")
    if facts.residence is not LOCAL:
        problems.append(f"{facts.residence.label}，须为本地户籍")
    if not facts.worker.rural:
        problems.append("非农村劳动力")
    if facts.transfer is SAME_COUNTY:
        problems.append("不属于转移就业")
    wage = placement.monthly_wage
    if wage is None:
        problems.append("未登记月工资")
    elif wage < rule.min_monthly_wage * 100:
        problems.append(f"月工资{format_yuan(wage)}元，低于{rule.min_monthly_wage}元")
    return problems


class _Calendar(dict[date, _Day]):
    """Each start day's `_Day`, worked out on first use (then a plain dict lookup)."""

    def __init__(self, context: CalcContext) -> None:
        super().__init__()
        self._params_at = context.params_at

    def __missing__(self, start: date) -> _Day:
        params = self._params_at(start)
        rule = params.broker_reward
        self[start] = day = _Day(
            params.period.start <= start <= params.period.end,
            rule.min_monthly_wage * 100,
            rule.stable_months,
            qualifying_date(start, rule.stable_months),
            rule.amount * 100,
            rule.long_stable_months,
            qualifying_date(start, rule.long_stable_months),
            rule.long_amount * 100,
        )
        return day


def _judge(facts: PlacementFacts, day: _Day) -> _Verdict:
    """The level a placement reaches, or the day it could if a follow-up confirms it."""
    wage = facts.monthly_wage
    if not (  # the conditions `_problems` puts in words
        day.in_period
        and facts.residence is LOCAL
        and facts.rural
        and facts.transfer is not SAME_COUNTY
        and wage is not None
        and wage >= day.min_wage
    ):
        return _new(_Verdict, (facts, 0, 0, 0, None, None))
    proven, end = facts.proven, facts.end
    if proven >= day.long:
        return _new(_Verdict, (facts, 2, day.long_amount, day.long_months, None, None))
    if proven >= day.short:
        upgrade = day.long if end is None or end >= day.long else None
        return _new(_Verdict, (facts, 1, day.amount, day.months, None, upgrade))
    could = day.short if end is None or end >= day.short else None
    return _new(_Verdict, (facts, 0, 0, 0, could, None))


def _sentence(context: CalcContext, verdict: _Verdict) -> str:
    """The facts and the verdict on one placement, for the worker's explanation."""
    facts = verdict.facts
    placement, params = facts.placement, facts.params
    rule = params.broker_reward
    parts = [placement_sentence(placement, facts.transfer)]
    if not params.period.contains(placement.start):
        parts.append(outside_period_sentence("开始日期", placement.start, params.period))
    wage = placement.monthly_wage
    if wage is not None and wage >= rule.min_monthly_wage * 100:
        parts.append(f"月工资{format_yuan(wage)}元，达到{rule.min_monthly_wage}元")
    short = stability_of(placement, rule.stable_months, context.as_of)
    long = stability_of(placement, rule.long_stable_months, context.as_of)
    parts.append((long if short.stable else short).sentence())
    problems = _problems(facts)
    if problems:
        parts.append("不符合：" + "、".join(problems))
    elif verdict.level == 2:
        parts.append(f"转移就业{rule.long_stable_months}个月以上，{rule.long_amount}元/人")
    elif verdict.level == 1:
        parts.append(
            f"转移就业{rule.stable_months}个月以上不满{rule.long_stable_months}个月，"
            f"{rule.amount}元/人"
        )
    else:
        parts.append(f"不符合：转移就业未满{rule.stable_months}个月")
    return "；".join(parts)


def _broker_year(
    context: CalcContext,
    broker_id: str,
    broker_name: str,
    year: int,
    placements: list[PlacementFacts],
    claimed_workers: list[str] | tuple[()],
    claims_by_key: dict[Hashable, tuple[Claim, ...]],
    calendar: _Calendar,
) -> BrokerRewardResult:
    rule = context.schedule.for_year(year).broker_reward
    # The placements come by worker in id order, each worker's by (start, id) (CalcContext's
    # order): one run of verdicts per worker, already in the order the rows are listed.
    runs: list[tuple[str, list[_Verdict]]] = []
    verdicts: list[_Verdict] = []
    worker: Worker | None = None
    judge = _judge
    for facts in placements:
        if facts.worker is not worker:
            worker, verdicts = facts.worker, []
            runs.append((facts.worker_id, verdicts))
        verdicts.append(judge(facts, calendar[facts.start]))
    if claimed_workers:  # a worker with a claim and no placement here still gets a row
        listed = {worker_id for worker_id, _ in runs}
        missing: list[tuple[str, list[_Verdict]]] = [
            (worker_id, []) for worker_id in claimed_workers if worker_id not in listed
        ]
        if missing:
            runs = sorted(runs + missing, key=itemgetter(0))

    best = [  # the first verdict of the highest level and amount, per worker
        judged[0] if len(judged) == 1 else max(judged, key=_RANK, default=None)
        for _, judged in runs
    ]
    count = sum(1 for verdict in best if verdict is not None and verdict.level > 0)
    reached = count >= rule.min_workers

    workers = []
    pending: list[PendingQualification] = []
    total_entitlement = total_claimed = total_due = long_count = 0
    long_months = rule.long_stable_months
    for (worker_id, verdicts), chosen in zip(runs, best, strict=True):
        if chosen is not None and chosen.level > 0:
            qualifies = True
            entitlement = chosen.amount if reached else 0
            if chosen.upgrade_on is not None:
                pending.append(
                    _new(
                        PendingQualification,
                        (chosen.facts.placement_id, worker_id, chosen.upgrade_on, "upgrade"),
                    )
                )
            if chosen.months >= long_months:
                long_count += 1
            placement_id: str | None = chosen.facts.placement_id
            months = chosen.months
        else:  # the first placement that could qualify soonest, if a follow-up confirms it
            qualifies, entitlement, placement_id = False, 0, None
            months = chosen.months if chosen is not None else 0
            soonest, soonest_on = None, date.max
            for verdict in verdicts:
                could = verdict.could_qualify_on
                if could is not None and could < soonest_on:
                    soonest, soonest_on = verdict, could
            if soonest is not None:
                pending.append(
                    _new(
                        PendingQualification,
                        (soonest.facts.placement_id, worker_id, soonest_on, "stable"),
                    )
                )
        claims = claims_by_key.get((broker_id, worker_id, year), ()) if claimed_workers else ()
        if claims:
            claimed, due = due_sentence(entitlement, claims)[:2]
            total_claimed += claimed
        else:
            claimed, due = 0, entitlement
        total_entitlement += entitlement
        total_due += due
        workers.append(
            _new(
                BrokerWorkerResult,
                (
                    worker_id,
                    qualifies,
                    entitlement,
                    claimed,
                    due,
                    Explanation(
                        _explain_worker,
                        context,
                        worker_id,
                        year,
                        verdicts,
                        chosen,
                        reached,
                        entitlement,
                        claims,
                    ),
                    placement_id,
                    months,
                ),
            )
        )

    entitlement, claimed, due = total_entitlement, total_claimed, total_due
    explanation = [
        f"第三项（劳务中介带动就业奖补）：{broker_name}{year}年组织本地户籍农村劳动力转移就业、"
        f"月工资{rule.min_monthly_wage}元以上、稳定{rule.stable_months}个月以上共{count}人"
        f"（其中{rule.long_stable_months}个月以上{long_count}人）"
    ]
    next_step = None
    if reached:
        explanation.append(
            f"达到{rule.min_workers}人，{rule.stable_months}至不满{rule.long_stable_months}个月"
            f"{rule.amount}元/人、{rule.long_stable_months}个月以上{rule.long_amount}元/人，"
            f"合计应享{format_yuan(entitlement)}元"
        )
    else:
        next_step = NextStep(rule.min_workers, 0, rule.min_workers - count)
        explanation.append(
            f"{count}人不足{rule.min_workers}人，不予奖补；还差{next_step.missing}人"
        )
    if claimed:
        explanation.append(f"已申领{format_yuan(claimed)}元，本次应付{format_yuan(due)}元")
    pending.sort(key=PENDING_ORDER)
    newly = sum(1 for item in pending if item.reason == "stable")
    if newly:
        explanation.append(f"另有{newly}人若经回访确认在岗即可计入")
    return BrokerRewardResult(
        organisation=broker_id,
        year=year,
        count=count,
        entitlement=entitlement,
        claimed=claimed,
        amount=due,
        workers=tuple(workers),
        explanation=Explanation.of(explanation),
        next_tier=next_step,
        pending=tuple(pending),
    )


# A worker's verdicts compare by level, then amount (max keeps the first of equals).
_RANK = itemgetter(1, 2)


def _explain_worker(
    context: CalcContext,
    worker_id: str,
    year: int,
    verdicts: list[_Verdict],
    chosen: _Verdict | None,
    reached: bool,
    entitlement: Fen,
    claims: tuple[Claim, ...],
) -> Iterator[str]:
    yield f"第三项：{context.worker_name(worker_id)}"
    for verdict in verdicts:
        yield _sentence(context, verdict)
    if chosen is not None and chosen.level > 0:
        if reached:
            yield f"按就业记录{chosen.placement.id}计{format_yuan(entitlement)}元"
        else:
            threshold = context.schedule.for_year(year).broker_reward.min_workers
            yield f"本中介{year}年符合条件者不足{threshold}人，不予奖补"
    sentence = due_sentence(entitlement, claims)[2]
    if sentence:
        yield sentence
