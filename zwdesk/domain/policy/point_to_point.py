"""第五项 — point-to-point transport (“点对点”输送): charter cost or fares per batch."""

from __future__ import annotations

from zwdesk.domain.model import Batch, BatchMode, OrganisationKind, Passenger
from zwdesk.domain.money import format_yuan
from zwdesk.domain.policy.context import CalcContext
from zwdesk.domain.policy.facts import OTHER, belonging
from zwdesk.domain.policy.ledger import due_sentence
from zwdesk.domain.policy.results import BatchResult, Explanation
from zwdesk.domain.regions import region_label


def compute_batches(context: CalcContext, batches: tuple[Batch, ...]) -> list[BatchResult]:
    """One row per batch that departed on or before D."""
    return [
        _batch(context, batch)
        for batch in sorted(batches, key=lambda item: item.id)
        if batch.departure <= context.as_of
    ]


def _batch(context: CalcContext, batch: Batch) -> BatchResult:
    params = context.params_at(batch.departure)
    rule = params.point_to_point
    organiser = context.organisations[batch.organiser]
    mode_label = "包车（包机）" if batch.mode is BatchMode.CHARTER else "按人购票"
    explanation = [
        f"第五项（“点对点”转移就业输送）：批次{batch.id}，{organiser.name}于{batch.departure}"
        f"组织前往{region_label(batch.destination_county)}，{mode_label}，乘客{len(batch.passengers)}人"
    ]
    eligible: dict[str, int] = {}  # worker → fare reimbursable (fen); one seat per person
    without_receipt: list[str] = []
    not_eligible = duplicates = 0
    # A person listed twice counts once, on the line with a receipt and the highest fare (the
    # first of equal lines), so the manifest's order never changes the amount.
    lines: dict[str, Passenger] = {}
    for passenger in batch.passengers:
        earlier = lines.get(passenger.worker)
        if earlier is None:
            lines[passenger.worker] = passenger
        else:
            duplicates += 1
            if (not passenger.receipt, -passenger.fare) < (not earlier.receipt, -earlier.fare):
                lines[passenger.worker] = passenger
    workers, jurisdiction = context.workers, params.jurisdiction
    for passenger in lines.values():
        worker = workers[passenger.worker]
        residence, home = belonging(worker, jurisdiction)
        if residence is OTHER:
            not_eligible += 1
            continue
        if batch.destination_county == home:
            not_eligible += 1
            continue
        if passenger.receipt:
            eligible[passenger.worker] = passenger.fare
        else:
            eligible[passenger.worker] = 0
            if passenger.fare:
                without_receipt.append(worker.name or "（无姓名）")
    without_receipt.sort()
    count = len(eligible)
    explanation.append(f"符合条件（中卫户籍或常住、到户籍或常住县以外就业）的乘客{count}人")
    if not_eligible:
        explanation.append(f"{not_eligible}人非中卫户籍或常住人口、或目的地在本县，不计入")
    if duplicates:
        explanation.append(f"名单中{duplicates}人重复，只计一次")

    kind, entitlement = "none", 0
    if batch.mode is BatchMode.CHARTER:
        if count >= rule.charter_min_passengers:
            kind, entitlement = "charter", batch.charter_cost or 0
            explanation.append(
                f"{count}人达到{rule.charter_min_passengers}人，按包车（包机）发票据实支付"
                f"{format_yuan(entitlement)}元"
            )
        else:
            explanation.append(
                f"包车（包机）须一次性组织{rule.charter_min_passengers}人以上，{count}人不足，不予支付"
            )
    elif count >= rule.fare_min_passengers:
        kind, entitlement = "fare", sum(eligible.values())
        explanation.append(
            f"{count}人达到{rule.fare_min_passengers}人，车费据实报销{format_yuan(entitlement)}元"
        )
        if without_receipt:
            explanation.append(
                f"{len(without_receipt)}人无票据号（{'、'.join(without_receipt[:10])}"
                f"{'等' if len(without_receipt) > 10 else ''}），计入人数但车费不予报销"
            )
    else:
        explanation.append(f"一次性组织不足{rule.fare_min_passengers}人，不予报销")
    if organiser.kind is not OrganisationKind.BROKER:
        kind, entitlement = "none", 0
        explanation.append(
            f"组织者为{organiser.kind.label}，本项仅适用于劳务中介组织（劳务经纪人）"
        )
    if not params.period.contains(batch.departure):
        kind, entitlement = "none", 0
        explanation.append(
            f"出发日期{batch.departure}不在政策实施期{params.period.start}至{params.period.end}内，不予补贴"
        )
    claims = context.ledger.claims_for(5, batch.id)
    claimed, due, claim_sentence = due_sentence(entitlement, claims)
    if claim_sentence:
        explanation.append(claim_sentence)
    return BatchResult(
        batch=batch.id,
        organisation=batch.organiser,
        eligible=count,
        kind=kind,
        entitlement=entitlement,
        claimed=claimed,
        amount=due,
        explanation=Explanation.of(explanation),
    )
