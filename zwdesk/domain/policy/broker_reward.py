"""第三项 — broker reward (劳务中介带动就业奖补) per broker and year, per worker."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterator
from datetime import date
from functools import partial
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
    BrokerRewardResult,
    BrokerWorkerResult,
    Explanation,
    NextStep,
    PendingQualification,
)


class _Verdict(NamedTuple):
    """One placement of a worker with this broker, judged."""

    facts: PlacementFacts
    level: int  # 0 = not qualifying, 1 = 3 to <6 months, 2 = 6 months or more
    amount: Fen  # amount of the level reached (before the 20-person threshold)
    months: int  # months of stability reached (0, 3 or 6)
    problems: tuple[str, ...]  # why it does not qualify (stability aside)
    could_qualify_on: date | None  # not yet stable, but would be on this day if confirmed
    upgrade_on: date | None  # stable 3, would reach 6 on this day if confirmed

    @property
    def placement(self) -> Placement:
        """The placement judged."""
        return self.facts.placement


def compute_broker_rewards(context: CalcContext) -> list[BrokerRewardResult]:
    """One row per broker-year with placements (or claims)."""
    results = []
    claims_by_key = context.ledger.index_for(3)  # looked up once per worker of every broker
    claimed = _claimed_workers(context, claims_by_key)
    for broker in context.organisations_of(OrganisationKind.BROKER):
        by_year: dict[int, list[PlacementFacts]] = defaultdict(list)
        for facts in context.facts_by_organiser.get(broker.id, ()):
            by_year[facts.placement.start.year].append(facts)
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


def _judge(worker: Worker, facts: PlacementFacts) -> _Verdict:
    placement, params = facts.placement, facts.params
    rule = params.broker_reward
    problems = []
    if not params.period.start <= placement.start <= params.period.end:
        problems.append("不在政策实施期内")
    if facts.residence is not LOCAL:
        problems.append(f"{facts.residence.label}，须为本地户籍")
    if not worker.rural:
        problems.append("非农村劳动力")
    if facts.transfer is SAME_COUNTY:
        problems.append("不属于转移就业")
    wage = placement.monthly_wage
    if wage is None:
        problems.append("未登记月工资")
    elif wage < rule.min_monthly_wage * 100:
        problems.append(f"月工资{format_yuan(wage)}元，低于{rule.min_monthly_wage}元")
    if problems:
        return _Verdict(facts, 0, 0, 0, tuple(problems), None, None)
    short = qualifying_date(placement.start, rule.stable_months)
    long = qualifying_date(placement.start, rule.long_stable_months)
    proven, end = facts.proven, placement.end
    if proven >= long:
        long_amount, long_months = rule.long_amount * 100, rule.long_stable_months
        return _Verdict(facts, 2, long_amount, long_months, (), None, None)
    if proven >= short:
        upgrade = long if end is None or end >= long else None
        return _Verdict(facts, 1, rule.amount * 100, rule.stable_months, (), None, upgrade)
    could = short if end is None or end >= short else None
    return _Verdict(facts, 0, 0, 0, (), could, None)


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
    if verdict.problems:
        parts.append("不符合：" + "、".join(verdict.problems))
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
) -> BrokerRewardResult:
    rule = context.schedule.for_year(year).broker_reward
    per_worker: dict[str, list[_Verdict]] = defaultdict(list)
    placements.sort(key=lambda item: (item.placement.start, item.placement.id))
    worker_of = context.workers
    for facts in placements:
        worker_id = facts.placement.worker
        per_worker[worker_id].append(_judge(worker_of[worker_id], facts))
    for worker_id in claimed_workers:
        per_worker.setdefault(worker_id, [])

    best = {
        worker_id: max(verdicts, key=lambda verdict: (verdict.level, verdict.amount), default=None)
        for worker_id, verdicts in per_worker.items()
    }
    count = sum(1 for verdict in best.values() if verdict is not None and verdict.level > 0)
    reached = count >= rule.min_workers

    workers = []
    pending: list[PendingQualification] = []
    for worker_id in sorted(per_worker):
        verdicts, chosen = per_worker[worker_id], best[worker_id]
        entitlement = 0
        if chosen is not None and chosen.level > 0:
            if reached:
                entitlement = chosen.amount
            if chosen.upgrade_on is not None:
                pending.append(
                    PendingQualification(
                        chosen.placement.id, worker_id, chosen.upgrade_on, "upgrade"
                    )
                )
        else:
            possible = [verdict for verdict in verdicts if verdict.could_qualify_on is not None]
            if possible:
                soonest = min(possible, key=lambda verdict: verdict.could_qualify_on or date.max)
                assert soonest.could_qualify_on is not None
                pending.append(
                    PendingQualification(soonest.placement.id, worker_id, soonest.could_qualify_on)
                )
        claims = claims_by_key.get((broker_id, worker_id, year), ())
        claimed, due, _ = due_sentence(entitlement, claims)
        workers.append(
            BrokerWorkerResult(
                worker=worker_id,
                qualifies=chosen is not None and chosen.level > 0,
                entitlement=entitlement,
                claimed=claimed,
                amount=due,
                explanation=Explanation(
                    partial(
                        _explain_worker,
                        context,
                        worker_id,
                        year,
                        verdicts,
                        chosen,
                        reached,
                        entitlement,
                        claims,
                    )
                ),
                placement=chosen.placement.id if chosen is not None and chosen.level > 0 else None,
                stable_months=chosen.months if chosen is not None else 0,
            )
        )

    entitlement = sum(worker.entitlement for worker in workers)
    claimed = sum(worker.claimed for worker in workers)
    due = sum(worker.amount for worker in workers)
    long_count = sum(
        1
        for worker in workers
        if worker.qualifies and worker.stable_months >= rule.long_stable_months
    )
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
    pending.sort(key=lambda item: (item.qualifies_on, item.placement))
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
