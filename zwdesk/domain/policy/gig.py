"""第六项 — gig market / gig station operating subsidy (零工市场/零工驿站运营补贴) per year."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from zwdesk.domain.model import GigRecord, OrganisationKind
from zwdesk.domain.money import yuan_to_fen
from zwdesk.domain.policy.context import CalcContext
from zwdesk.domain.policy.ledger import due_sentence
from zwdesk.domain.policy.results import Explanation, GigResult


def compute_gig(context: CalcContext, records: tuple[GigRecord, ...]) -> list[GigResult]:
    """One row per organisation-year with gig records on or before D (or claims)."""
    people: dict[tuple[str, int], set[str]] = defaultdict(set)
    for record in records:
        if record.date <= context.as_of:
            people[(record.organisation, record.date.year)].add(record.worker)
    for key in context.ledger.keys_for(6):
        if isinstance(key, tuple) and isinstance(key[0], str) and isinstance(key[1], int):
            people.setdefault((key[0], key[1]), set())
    return [
        _organisation_year(context, organisation, year, len(workers))
        for (organisation, year), workers in sorted(people.items())
    ]


def _organisation_year(
    context: CalcContext, organisation_id: str, year: int, count: int
) -> GigResult:
    params = context.schedule.for_year(year)
    rule = params.gig
    organisation = context.organisations[organisation_id]
    explanation = [
        f"第六项（零工市场/零工驿站运营补贴）：{organisation.name}{year}年带动就业{count}人（同一人只计一次）"
    ]
    entitlement = 0
    if organisation.kind is OrganisationKind.GIG_MARKET:
        threshold, yuan = rule.market_min_people, rule.market_amount
    elif organisation.kind is OrganisationKind.GIG_STATION:
        threshold, yuan = rule.station_min_people, rule.station_amount
    else:
        threshold, yuan = 0, 0
        explanation.append(f"{organisation.kind.label}不是零工市场或零工驿站，本项不适用")
    in_period = params.period.start <= date(year, 12, 31) and date(year, 1, 1) <= params.period.end
    if threshold:
        if not in_period:
            explanation.append(
                f"{year}年不在政策实施期{params.period.start}至{params.period.end}内，不予补贴"
            )
        elif count >= threshold:
            entitlement = yuan_to_fen(yuan)
            explanation.append(f"达到{threshold}人/年，{organisation.kind.label}运营补贴{yuan}元")
        else:
            explanation.append(
                f"{count}人不足{threshold}人/年，不予补贴；还差{threshold - count}人"
            )
    claims = context.ledger.claims_for(6, (organisation_id, year))
    claimed, due, claim_sentence = due_sentence(entitlement, claims)
    if claim_sentence:
        explanation.append(claim_sentence)
    return GigResult(
        organisation_id, year, count, entitlement, claimed, due, Explanation.of(explanation)
    )
