"""第四项 — assistance workshop one-time subsidy (就业帮扶车间一次性补贴) per workshop."""

from __future__ import annotations

from datetime import date

from zwdesk.domain.dates import qualifying_date
from zwdesk.domain.model import OrganisationKind, Placement
from zwdesk.domain.money import yuan_to_fen
from zwdesk.domain.policy.context import CalcContext
from zwdesk.domain.policy.ledger import claim_names, claimed_total
from zwdesk.domain.policy.results import Explanation, NextStep, WorkshopResult


def compute_workshops(context: CalcContext) -> list[WorkshopResult]:
    """One row per workshop with hires (or claims)."""
    results = []
    claimed_ids = set(context.ledger.keys_for(4))
    for workshop in context.organisations_of(OrganisationKind.WORKSHOP):
        hires = context.placements_by_organiser(workshop.id)
        if hires or workshop.id in claimed_ids:
            results.append(_workshop(context, workshop.id, workshop.name, hires))
    return results


def _hire_problems(context: CalcContext, hire: Placement) -> list[str]:
    params = context.params_at(hire.start)
    rule = params.workshop
    worker = context.workers[hire.worker]
    problems = []
    if not params.period.contains(hire.start):
        problems.append(f"吸纳日期{hire.start}不在政策实施期内")
    if not worker.groups.intersection(rule.target_groups):
        problems.append("不属于重点帮扶人群")
    if not hire.contract:
        problems.append("未签订劳动合同")
    elif hire.contract_end is not None:
        contract_start = hire.contract_start or hire.start
        needed = qualifying_date(contract_start, rule.min_contract_months)
        if hire.contract_end < needed:
            problems.append(
                f"劳动合同{contract_start}至{hire.contract_end}，不足{rule.min_contract_months}个月"
                f"（须至{needed}）"
            )
    if not hire.social_insurance:
        problems.append("未缴纳社会保险")
    return problems


def _workshop(
    context: CalcContext, workshop_id: str, name: str, hires: list[Placement]
) -> WorkshopResult:
    counted: dict[str, date] = {}
    rejected: dict[str, list[str]] = {}
    for hire in sorted(hires, key=lambda item: (item.start, item.id)):
        problems = _hire_problems(context, hire)
        if problems:
            rejected[hire.id] = problems
        elif hire.worker not in counted:
            counted[hire.worker] = hire.start
    count = len(counted)
    # The tier table in force when the count was completed (the latest counted hire).
    decisive = max(counted.values(), default=context.as_of)
    rule = context.params_at(decisive).workshop
    tier = rule.tier_for(count)
    entitlement = yuan_to_fen(tier.amount) if tier else 0
    explanation = [
        f"第四项（就业帮扶车间一次性补贴）：{name}吸纳重点帮扶人群、签订{rule.min_contract_months}"
        f"个月以上劳动合同并缴纳社会保险的共{count}人（同一人只计一次）"
    ]
    if tier:
        explanation.append(f"{count}人达到{tier.min_count}人以上档，一次性补贴{tier.amount}元")
    else:
        explanation.append(f"{count}人不足{rule.lowest.min_count}人，不予补贴")
    for hire_id, problems in sorted(rejected.items())[:20]:
        explanation.append(f"就业记录{hire_id}未计入：" + "、".join(problems))
    if len(rejected) > 20:
        explanation.append(f"另有{len(rejected) - 20}条就业记录未计入")
    next_tier = rule.next_tier(count)
    next_step = None
    if next_tier is not None:
        next_step = NextStep.toward(next_tier, count)
    claims = context.ledger.claims_for(4, workshop_id)
    claimed = claimed_total(claims)
    amount = entitlement
    if claims:
        amount = 0
        explanation.append(f"一次性补贴已由{claim_names(claims)}申领，不再补发，应付0元")
    return WorkshopResult(
        organisation=workshop_id,
        count=count,
        entitlement=entitlement,
        claimed=claimed,
        amount=amount,
        explanation=Explanation.of(explanation),
        next_tier=next_step,
    )
