"""第二项 — one-time transport subsidy (一次性交通补贴) per worker and year."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from zwdesk.domain.dates import qualifying_date
from zwdesk.domain.model import Placement, Worker
from zwdesk.domain.money import Fen, format_yuan, yuan_to_fen
from zwdesk.domain.policy.context import CalcContext
from zwdesk.domain.policy.facts import (
    Residence,
    Transfer,
    home_county_of,
    outside_period_sentence,
    placement_sentence,
    residence_of,
    stability_of,
    transfer_of,
)
from zwdesk.domain.policy.ledger import claim_names, claimed_total
from zwdesk.domain.policy.results import TransportResult


@dataclass(frozen=True, slots=True)
class _Verdict:
    placement: Placement
    transfer: Transfer
    amount: Fen  # 0 unless every condition holds
    sentence: str


def compute_transport(context: CalcContext) -> list[TransportResult]:
    """One row per worker and year of the placements' 6-month qualifying dates (or claims)."""
    rows: list[TransportResult] = []
    claimed_keys = {key for key in context.ledger.keys_for(2) if isinstance(key, tuple)}
    worker_years: dict[str, dict[int, list[Placement]]] = defaultdict(lambda: defaultdict(list))
    # A placement that starts in one year and qualifies in the next is also mentioned in its
    # start year, so whoever looks there learns which year it belongs to.
    mentions: dict[tuple[str, int], list[str]] = defaultdict(list)
    for worker_id, placements in context.placements_by_worker.items():
        for placement in sorted(placements, key=lambda item: (item.start, item.id)):
            months = context.params_at(placement.start).transport.stable_months
            qualifying = qualifying_date(placement.start, months)
            worker_years[worker_id][qualifying.year].append(placement)
            if placement.start.year != qualifying.year:
                worker_years[worker_id].setdefault(placement.start.year, [])
                mentions[(worker_id, placement.start.year)].append(
                    f"就业记录{placement.id}于{placement.start}开始，满{months}个月之日为"
                    f"{qualifying}，计入{qualifying.year}年度"
                )
    for worker_id, year in claimed_keys:
        if isinstance(worker_id, str) and isinstance(year, int) and worker_id in context.workers:
            worker_years[worker_id].setdefault(year, [])
    for worker_id in sorted(worker_years):
        worker = context.workers[worker_id]
        for year, placements in sorted(worker_years[worker_id].items()):
            notes = mentions.get((worker_id, year), [])
            rows.append(_worker_year(context, worker, year, placements, notes))
    return rows


def _verdict(context: CalcContext, worker: Worker, placement: Placement) -> _Verdict:
    params = context.params_at(placement.start)
    jurisdiction = params.jurisdiction
    transfer = transfer_of(
        placement.work_county, home_county_of(worker, jurisdiction), jurisdiction
    )
    stability = stability_of(placement, params.transport.stable_months, context.as_of)
    rule = context.params_at(stability.qualifying)  # item 2's event is the qualifying date
    parts = [placement_sentence(placement, transfer)]
    problems = []
    residence = residence_of(worker, jurisdiction)
    if residence is not Residence.LOCAL:
        problems.append(f"{residence.label}，须为本地户籍")
    if not transfer.is_transfer:
        problems.append("不属于外出务工")
    parts.append("已签订劳动合同" if placement.contract else "未签订劳动合同")
    if not placement.contract:
        problems.append("未签订劳动合同")
    parts.append("已缴纳社会保险" if placement.social_insurance else "未缴纳社会保险")
    if not placement.social_insurance:
        problems.append("未缴纳社会保险")
    parts.append(stability.sentence())
    if not stability.stable:
        problems.append(f"外出务工未满{stability.months}个月")
    if not rule.period.contains(stability.qualifying):
        parts.append(outside_period_sentence("满6个月之日", stability.qualifying, rule.period))
        problems.append("不在政策实施期内")
    amount = 0
    if not problems:
        yuan = (
            rule.transport.cross_province
            if transfer is Transfer.CROSS_PROVINCE
            else rule.transport.intra_region
        )
        amount = yuan_to_fen(yuan)
        parts.append(f"{stability.qualifying}起符合条件，可享受{yuan}元")
    else:
        parts.append("不符合：" + "、".join(problems))
    return _Verdict(placement, transfer, amount, "；".join(parts))


def _worker_year(
    context: CalcContext,
    worker: Worker,
    year: int,
    placements: list[Placement],
    notes: list[str],
) -> TransportResult:
    params = (
        context.params_at(placements[0].start) if placements else context.schedule.for_year(year)
    )
    residence = residence_of(worker, params.jurisdiction)
    name = worker.name or "（无姓名）"
    explanation = [
        f"第二项（一次性交通补贴）：{name}，{residence.label}，{year}年（满6个月之日所在年度）"
    ]
    verdicts = [
        _verdict(context, worker, placement)
        for placement in sorted(placements, key=lambda item: (item.start, item.id))
    ]
    explanation.extend(verdict.sentence for verdict in verdicts)
    explanation.extend(notes)
    best = max(verdicts, key=lambda verdict: verdict.amount, default=None)
    entitlement = 0
    if residence is not Residence.LOCAL:
        explanation.append(f"仅本地户籍劳动力可享受，{residence.label}不予补贴")
    elif best is not None and best.amount > 0:
        entitlement = best.amount
        if sum(1 for verdict in verdicts if verdict.amount > 0) > 1:
            explanation.append("同一年度有多条就业记录符合条件，按较高标准补贴一次")
        explanation.append(f"补贴{format_yuan(entitlement)}元（{best.transfer.label}）")
    else:
        explanation.append(f"{year}年度没有符合条件的就业记录，不予补贴")

    claims = context.ledger.claims_for(2, (worker.id_number, year))
    claimed = claimed_total(claims)
    amount = entitlement
    if claims:
        amount = 0
        explanation.append(
            f"本年度已由{claim_names(claims)}支付，每人每年只享受一次，不再补发，应付0元"
        )
    chosen = best if best is not None and best.amount > 0 else None
    kind_source = chosen or next((v for v in verdicts if v.transfer.is_transfer), None)
    return TransportResult(
        worker=worker.id_number,
        year=year,
        kind=kind_source.transfer.value if kind_source else None,
        entitlement=entitlement,
        claimed=claimed,
        amount=amount,
        explanation=tuple(explanation),
        placement=chosen.placement.id if chosen else None,
        claims=tuple(claim.claim or "" for claim in claims),
    )
