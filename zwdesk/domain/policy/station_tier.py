"""第一项 — station tier (驻外劳务工作站就业创业服务补贴) per station and year."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from zwdesk.domain.dates import qualifying_date
from zwdesk.domain.model import OrganisationKind
from zwdesk.domain.money import yuan_to_fen
from zwdesk.domain.policy.context import CalcContext
from zwdesk.domain.policy.facts import OTHER, SAME_COUNTY, PlacementFacts
from zwdesk.domain.policy.ledger import due_sentence
from zwdesk.domain.policy.parameters import ParameterSet
from zwdesk.domain.policy.results import (
    PENDING_ORDER,
    Explanation,
    NextStep,
    PendingQualification,
    StationTierResult,
)

# A NamedTuple's generated constructor is a Python function; tuple.__new__ builds the same
# tuple several times faster (a city has some 25,000 pending qualifications).
_new = tuple.__new__


def compute_station_tiers(context: CalcContext) -> list[StationTierResult]:
    """One row per station-year with placements (or claims)."""
    results = []
    for station in context.organisations_of(OrganisationKind.STATION):
        by_year: dict[int, list[PlacementFacts]] = defaultdict(list)
        for facts in context.facts_by_organiser.get(station.id, ()):
            by_year[facts.start.year].append(facts)
        claimed_years = {
            key[1]
            for key in context.ledger.keys_for(1)
            if isinstance(key, tuple) and key[0] == station.id and isinstance(key[1], int)
        }
        for year in sorted(set(by_year) | claimed_years):
            results.append(_station_year(context, station.id, station.name, year, by_year[year]))
    return results


def _day(params: ParameterSet, start: date) -> tuple[bool, str, date]:
    """What item 1 asks of the calendar for a placement starting on `start` (worked out once
    per start day: a city's placements start on a few hundred days): whether it is in the
    period, the reason it is not counted while not yet stable, and its qualifying date."""
    months = params.station_tier.stable_months
    reason = f"稳定就业未满{months}个月"
    return params.period.contains(start), reason, qualifying_date(start, months)


def _station_year(
    context: CalcContext,
    station_id: str,
    station_name: str,
    year: int,
    placements: list[PlacementFacts],
) -> StationTierResult:
    rule_for_year = context.schedule.for_year(year)
    counted: set[str] = set()
    excluded: Counter[str] = Counter()
    candidates: dict[str, tuple[date, str]] = {}
    days: dict[date, tuple[bool, str, date]] = {}  # start → in period, reason, qualifying
    for facts in placements:
        start = facts.start
        day = days.get(start)
        if day is None:
            day = days[start] = _day(facts.params, start)
        in_period, not_stable, qualifying = day
        if not in_period:
            excluded["开始日期不在政策实施期内"] += 1
            continue
        if facts.residence is OTHER:
            excluded["非本地户籍或常住人口"] += 1
            continue
        if facts.transfer is SAME_COUNTY:
            excluded["在本县就业，不属于转移就业"] += 1
            continue
        if facts.proven >= qualifying:
            counted.add(facts.worker_id)
            continue
        excluded[not_stable] += 1
        if facts.end is None or facts.end >= qualifying:  # a follow-up can still prove it
            candidate = (qualifying, facts.placement_id)
            earlier = candidates.get(facts.worker_id)
            if earlier is None or candidate < earlier:
                candidates[facts.worker_id] = candidate

    count = len(counted)
    rule = rule_for_year.station_tier
    tier = rule.tier_for(count)
    entitlement = yuan_to_fen(tier.amount) if tier else 0
    claims = context.ledger.claims_for(1, (station_id, year))
    claimed, due, claim_sentence = due_sentence(entitlement, claims)

    explanation = [
        f"第一项（驻外劳务工作站就业创业服务补贴）：{station_name}{year}年组织转移就业、"
        f"稳定就业{rule.stable_months}个月以上的本地户籍或常住人口共{count}人（同一人只计一次）"
    ]
    if tier:
        explanation.append(f"{count}人达到{tier.min_count}人档，补贴{tier.amount}元")
    else:
        explanation.append(f"{count}人不足{rule.lowest.min_count}人，不予补贴")
    if excluded:
        details = "，".join(f"{reason}{number}条" for reason, number in sorted(excluded.items()))
        explanation.append(f"未计入的就业记录：{details}")

    next_tier = rule.next_tier(count)
    next_step = None
    if next_tier is not None:
        next_step = NextStep.toward(next_tier, count)
        explanation.append(
            f"距下一档（{next_tier.min_count}人，{next_tier.amount}元）还差{next_step.missing}人"
        )
    pending = tuple(
        sorted(
            (
                _new(PendingQualification, (placement_id, worker_id, day, "stable"))
                for worker_id, (day, placement_id) in candidates.items()
                if worker_id not in counted
            ),
            key=PENDING_ORDER,
        )
    )
    if pending:
        explanation.append(
            f"另有{len(pending)}人若经回访确认在岗即可计入，最早{pending[0].qualifies_on}、"
            f"最晚{pending[-1].qualifies_on}满{rule.stable_months}个月"
        )
    if claim_sentence:
        explanation.append(claim_sentence)
    return StationTierResult(
        organisation=station_id,
        year=year,
        count=count,
        entitlement=entitlement,
        claimed=claimed,
        amount=due,
        explanation=Explanation.of(explanation),
        next_tier=next_step,
        pending=pending,
        counted_workers=frozenset(counted),
    )
