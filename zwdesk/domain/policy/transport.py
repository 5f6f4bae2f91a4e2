"""第二项 — one-time transport subsidy (一次性交通补贴) per worker and year."""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from datetime import date
from functools import partial
from typing import NamedTuple

from zwdesk.domain.dates import qualifying_date
from zwdesk.domain.model import Claim, Placement
from zwdesk.domain.money import Fen, format_yuan
from zwdesk.domain.policy.context import CalcContext
from zwdesk.domain.policy.facts import (
    CROSS_PROVINCE,
    INTRA_REGION,
    LOCAL,
    SAME_COUNTY,
    PlacementFacts,
    Residence,
    Transfer,
    outside_period_sentence,
    placement_sentence,
    stability_of,
)
from zwdesk.domain.policy.ledger import claim_names, claimed_total
from zwdesk.domain.policy.parameters import Period
from zwdesk.domain.policy.results import Explanation, TransportResult

# Why a placement does not qualify, as bits of `_Verdict.failed` (cheaper than a tuple of
# sentences per placement: a city judges 300,000 placements and shows a handful).
_NOT_LOCAL, _NOT_AWAY, _NO_CONTRACT, _NO_INSURANCE, _NOT_STABLE, _OUTSIDE_PERIOD = (
    1 << bit for bit in range(6)
)


class _Verdict(NamedTuple):
    """One placement judged for item 2; `failed` 0 means it qualifies for `amount`."""

    facts: PlacementFacts
    months: int
    qualifying: date
    period: Period
    failed: int  # the _NOT_LOCAL … _OUTSIDE_PERIOD bits of the conditions it fails
    amount: Fen

    @property
    def placement(self) -> Placement:
        """The placement judged."""
        return self.facts.placement

    @property
    def residence(self) -> Residence:
        """The worker's residence class when it started."""
        return self.facts.residence

    @property
    def transfer(self) -> Transfer:
        """Where the job is, from the worker's home county."""
        return self.facts.transfer


def compute_transport(context: CalcContext) -> list[TransportResult]:
    """One row per worker and year of the placements' 6-month qualifying dates (or claims),
    in worker and year order."""
    claims_by_key = context.ledger.index_for(2)
    claimed_years: dict[str, list[int]] = {}
    for key in claims_by_key:
        if isinstance(key, tuple):
            worker_id, year = key
            if isinstance(year, int) and worker_id in context.workers:
                claimed_years.setdefault(worker_id, []).append(year)
    # Workers are judged in the order the index holds them (close to the order the records
    # sit in memory) and only their finished rows are put in id order: visiting 300,000
    # placements in id order costs several times more on a large heap.
    rows_of: dict[str, list[TransportResult]] = {}
    no_claims: list[int] | tuple[()] = ()
    for worker_id, placements in context.facts_by_worker.items():
        years = claimed_years.get(worker_id, no_claims) if claimed_years else no_claims
        rows_of[worker_id] = _worker_rows(context, worker_id, placements, years, claims_by_key)
    for worker_id, years in claimed_years.items():
        if worker_id not in rows_of:
            rows_of[worker_id] = _worker_rows(context, worker_id, (), years, claims_by_key)
    rows: list[TransportResult] = []
    for worker_id in sorted(rows_of):
        rows += rows_of[worker_id]
    return rows


def _worker_rows(
    context: CalcContext,
    worker_id: str,
    placements: list[PlacementFacts] | tuple[()],
    claimed_years: list[int] | tuple[()],
    claims_by_key: dict[Hashable, tuple[Claim, ...]],
) -> list[TransportResult]:
    """The worker's rows, one per year, in year order."""
    if len(placements) > 1:
        placements = sorted(placements, key=_start_order)
    verdicts_by_year: dict[int, list[_Verdict]] = {}
    # A placement that starts in one year and qualifies in the next is also mentioned in its
    # start year, so whoever looks there learns which year it belongs to.
    mentions: dict[int, list[Placement]] | None = None
    for facts in placements:
        verdict = _judge(context, facts)
        year = verdict.qualifying.year
        if year in verdicts_by_year:
            verdicts_by_year[year].append(verdict)
        else:
            verdicts_by_year[year] = [verdict]
        start_year = facts.placement.start.year
        if start_year != year:
            verdicts_by_year.setdefault(start_year, [])
            if mentions is None:
                mentions = {}
            mentions.setdefault(start_year, []).append(facts.placement)
    for year in claimed_years:
        verdicts_by_year.setdefault(year, [])
    return [
        _worker_year(
            context,
            worker_id,
            year,
            verdicts_by_year[year],
            mentions.get(year, ()) if mentions else (),
            claims_by_key.get((worker_id, year), ()) if year in claimed_years else (),
        )
        for year in (sorted(verdicts_by_year) if len(verdicts_by_year) > 1 else verdicts_by_year)
    ]


def _start_order(facts: PlacementFacts) -> tuple[date, str]:
    return facts.placement.start, facts.placement.id


def _judge(context: CalcContext, facts: PlacementFacts) -> _Verdict:
    placement = facts.placement
    months = facts.params.transport.stable_months
    qualifying = qualifying_date(placement.start, months)
    at_qualifying = context.params_at(qualifying)  # item 2's event is the qualifying date
    residence, transfer, period = facts.residence, facts.transfer, at_qualifying.period
    failed = 0
    if residence is not LOCAL:
        failed |= _NOT_LOCAL
    if transfer is SAME_COUNTY:
        failed |= _NOT_AWAY
    if not placement.contract:
        failed |= _NO_CONTRACT
    if not placement.social_insurance:
        failed |= _NO_INSURANCE
    if facts.proven < qualifying:
        failed |= _NOT_STABLE
    if not period.start <= qualifying <= period.end:
        failed |= _OUTSIDE_PERIOD
    amount = 0
    if not failed:
        amounts = at_qualifying.transport
        yuan = amounts.cross_province if transfer is CROSS_PROVINCE else amounts.intra_region
        amount = yuan * 100
    return _Verdict(facts, months, qualifying, period, failed, amount)


def _problems(verdict: _Verdict) -> list[str]:
    """The conditions a placement fails, in words."""
    failed, problems = verdict.failed, []
    if failed & _NOT_LOCAL:
        problems.append(f"{verdict.residence.label}，须为本地户籍")
    if failed & _NOT_AWAY:
        problems.append("不属于外出务工")
    if failed & _NO_CONTRACT:
        problems.append("未签订劳动合同")
    if failed & _NO_INSURANCE:
        problems.append("未缴纳社会保险")
    if failed & _NOT_STABLE:
        problems.append(f"外出务工未满{verdict.months}个月")
    if failed & _OUTSIDE_PERIOD:
        problems.append("不在政策实施期内")
    return problems


def _worker_year(
    context: CalcContext,
    worker_id: str,
    year: int,
    verdicts: list[_Verdict],
    mentioned: list[Placement] | tuple[()],
    claims: tuple[Claim, ...],
) -> TransportResult:
    chosen = None  # the first placement paying the most; none when nothing pays
    for verdict in verdicts:
        if verdict.amount > (chosen.amount if chosen else 0):
            chosen = verdict
    entitlement = chosen.amount if chosen else 0
    return TransportResult(
        worker_id,
        year,
        _kind(verdicts, chosen),
        entitlement,
        claimed_total(claims) if claims else 0,
        0 if claims else entitlement,
        Explanation(
            partial(_explain, context, worker_id, year, verdicts, chosen, mentioned, claims)
        ),
        chosen.placement.id if chosen else None,
        tuple(claim.claim or "" for claim in claims) if claims else (),
    )


def _kind(verdicts: list[_Verdict], chosen: _Verdict | None) -> str | None:
    """The chosen placement's kind of transfer, else the first transfer job's, else None."""
    for verdict in verdicts if chosen is None else (chosen,):
        transfer = verdict.facts.transfer
        if transfer is not SAME_COUNTY:
            # Not `transfer.value`: an enum's value is a property, called 300,000 times here.
            return _CROSS_PROVINCE if transfer is CROSS_PROVINCE else _INTRA_REGION
    return None


_CROSS_PROVINCE, _INTRA_REGION = CROSS_PROVINCE.value, INTRA_REGION.value


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
    if verdict.failed:
        parts.append("不符合：" + "、".join(_problems(verdict)))
    else:
        parts.append(f"{stability.qualifying}起符合条件，可享受{format_yuan(verdict.amount)}元")
    return "；".join(parts)


def _explain(
    context: CalcContext,
    worker_id: str,
    year: int,
    verdicts: list[_Verdict],
    chosen: _Verdict | None,
    mentioned: list[Placement] | tuple[()],
    claims: tuple[Claim, ...],
) -> Iterator[str]:
    worker = context.workers[worker_id]
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
