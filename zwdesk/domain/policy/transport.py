"""第二项 — one-time transport subsidy (一次性交通补贴) per worker and year."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from functools import partial
from typing import NamedTuple

from zwdesk.domain.dates import qualifying_date
from zwdesk.domain.model import Claim, Placement, Worker
from zwdesk.domain.money import Fen, format_yuan
from zwdesk.domain.policy.context import CalcContext
from zwdesk.domain.policy.facts import (
    CROSS_PROVINCE,
    LOCAL,
    SAME_COUNTY,
    Residence,
    Transfer,
    outside_period_sentence,
    placement_sentence,
    stability_of,
)
from zwdesk.domain.policy.ledger import claim_names, claimed_total
from zwdesk.domain.policy.parameters import Period
from zwdesk.domain.policy.results import Explanation, TransportResult

_NOT_LOCAL = {residence: f"{residence.label}，须为本地户籍" for residence in Residence}


class _Verdict(NamedTuple):
    """One placement judged for item 2; `problems` empty means it qualifies for `amount`."""

    placement: Placement
    transfer: Transfer
    months: int
    qualifying: date
    period: Period
    problems: tuple[str, ...]
    amount: Fen


def compute_transport(context: CalcContext) -> list[TransportResult]:
    """One row per worker and year of the placements' 6-month qualifying dates (or claims)."""
    worker_years: dict[str, dict[int, list[Placement]]] = {}
    # A placement that starts in one year and qualifies in the next is also mentioned in its
    # start year, so whoever looks there learns which year it belongs to.
    mentions: dict[tuple[str, int], list[Placement]] = defaultdict(list)
    params_at = context.params_at
    for worker_id, placements in context.placements_by_worker.items():
        years: dict[int, list[Placement]] = {}
        worker_years[worker_id] = years
        for placement in placements:
            start = placement.start
            year = qualifying_date(start, params_at(start).transport.stable_months).year
            if year in years:
                years[year].append(placement)
            else:
                years[year] = [placement]
            if start.year != year:
                years.setdefault(start.year, [])
                mentions[(worker_id, start.year)].append(placement)
    claims_by_key = context.ledger.index_for(2)
    for key in claims_by_key:
        if isinstance(key, tuple):
            worker_id, year = key
            if isinstance(year, int) and worker_id in context.workers:
                worker_years.setdefault(worker_id, {}).setdefault(year, [])
    rows: list[TransportResult] = []
    workers = context.workers
    for worker_id in sorted(worker_years):
        worker = workers[worker_id]
        for year, placements in sorted(worker_years[worker_id].items()):
            if len(placements) > 1:
                placements.sort(key=_start_order)
            notes = mentions.get((worker_id, year))
            if notes:
                notes.sort(key=_start_order)
            claims = claims_by_key.get((worker_id, year), ())
            rows.append(_worker_year(context, worker, year, placements, notes or [], claims))
    return rows


def _start_order(placement: Placement) -> tuple[date, str]:
    return placement.start, placement.id


def _judge(context: CalcContext, placement: Placement) -> _Verdict:
    facts = context.facts(placement)
    months = facts.params.transport.stable_months
    qualifying = qualifying_date(placement.start, months)
    at_qualifying = context.params_at(qualifying)  # item 2's event is the qualifying date
    transfer = facts.transfer
    problems = []
    if facts.residence is not LOCAL:
        problems.append(_NOT_LOCAL[facts.residence])
    if transfer is SAME_COUNTY:
        problems.append("不属于外出务工")
    if not placement.contract:
        problems.append("未签订劳动合同")
    if not placement.social_insurance:
        problems.append("未缴纳社会保险")
    if facts.proven < qualifying:
        problems.append(f"外出务工未满{months}个月")
    period = at_qualifying.period
    if not period.start <= qualifying <= period.end:
        problems.append("不在政策实施期内")
    amount = 0
    if not problems:
        amounts = at_qualifying.transport
        yuan = amounts.cross_province if transfer is CROSS_PROVINCE else amounts.intra_region
        amount = yuan * 100
    return _Verdict(placement, transfer, months, qualifying, period, tuple(problems), amount)


def _worker_year(
    context: CalcContext,
    worker: Worker,
    year: int,
    placements: list[Placement],
    mentioned: list[Placement],
    claims: tuple[Claim, ...],
) -> TransportResult:
    verdicts = [_judge(context, placement) for placement in placements]
    chosen = None  # the first placement paying the most; none when nothing pays
    for verdict in verdicts:
        if verdict.amount > (chosen.amount if chosen else 0):
            chosen = verdict
    if chosen is not None:
        kind: str | None = chosen.transfer.value
    else:
        kind = next((v.transfer.value for v in verdicts if v.transfer is not SAME_COUNTY), None)
    entitlement = chosen.amount if chosen else 0
    return TransportResult(
        worker.id_number,
        year,
        kind,
        entitlement,
        claimed_total(claims) if claims else 0,
        0 if claims else entitlement,
        Explanation(partial(_explain, context, worker, year, verdicts, chosen, mentioned, claims)),
        chosen.placement.id if chosen else None,
        tuple(claim.claim or "" for claim in claims) if claims else (),
    )


def _verdict_sentence(context: CalcContext, verdict: _Verdict) -> str:
    placement = verdict.placement
    stability = stability_of(placement, verdict.months, context.as_of)
    parts = [
        placement_sentence(placement, verdict.transfer),
        "已签订劳动合同" if placement.contract else "未签订劳动合同",
        "已缴纳社会保险" if placement.social_insurance else "未缴纳社会保险",
        stability.sentence(),
    ]
    if not verdict.period.contains(stability.qualifying):
        parts.append(outside_period_sentence("满6个月之日", stability.qualifying, verdict.period))
    if verdict.problems:
        parts.append("不符合：" + "、".join(verdict.problems))
    else:
        parts.append(f"{stability.qualifying}起符合条件，可享受{format_yuan(verdict.amount)}元")
    return "；".join(parts)


def _explain(
    context: CalcContext,
    worker: Worker,
    year: int,
    verdicts: list[_Verdict],
    chosen: _Verdict | None,
    mentioned: list[Placement],
    claims: tuple[Claim, ...],
) -> Iterator[str]:
    first = verdicts[0].placement.start if verdicts else None
    params = context.params_at(first) if first else context.schedule.for_year(year)
    residence = context.belonging(worker, params.jurisdiction)[0]
    yield (
        f"第二项（一次性交通补贴）：{worker.name or '（无姓名）'}，{residence.label}，"
        f"{year}年（满6个月之日所在年度）"
    )
    for verdict in verdicts:
        yield _verdict_sentence(context, verdict)
    for placement in mentioned:
        months = context.params_at(placement.start).transport.stable_months
        qualifying = qualifying_date(placement.start, months)
        yield (
            f"就业记录{placement.id}于{placement.start}开始，满{months}个月之日为"
            f"{qualifying}，计入{qualifying.year}年度"
        )
    if residence is not Residence.LOCAL:
        yield f"仅本地户籍劳动力可享受，{residence.label}不予补贴"
    elif chosen is not None:
        if sum(1 for verdict in verdicts if verdict.amount > 0) > 1:
            yield "同一年度有多条就业记录符合条件，按较高标准补贴一次"
        yield f"补贴{format_yuan(chosen.amount)}元（{chosen.transfer.label}）"
    else:
        yield f"{year}年度没有符合条件的就业记录，不予补贴"
    if claims:
        yield f"本年度已由{claim_names(claims)}支付，每人每年只享受一次，不再补发，应付0元"
