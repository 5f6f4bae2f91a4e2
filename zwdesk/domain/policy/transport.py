"""第二项 — one-time transport subsidy (一次性交通补贴) per worker and year."""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from zwdesk.domain.dates import qualifying_date
from zwdesk.domain.model import Claim
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

# Why a placement does not qualify, as bits (cheaper than a list of sentences per placement:
# a city judges 300,000 placements and shows a handful).
_NOT_LOCAL, _NOT_AWAY, _NO_CONTRACT, _NO_INSURANCE, _NOT_STABLE, _OUTSIDE_PERIOD = (
    1 << bit for bit in range(6)
)

# A NamedTuple's generated constructor is a Python function; tuple.__new__ builds the same
# tuple several times faster, which counts for the 300,000 rows of a city.
_new = tuple.__new__


@dataclass(frozen=True, slots=True)
class _Day:
    """What item 2 asks of the calendar for a placement starting on one day (a slots class:
    its fields are read for each of 300,000 placements)."""

    months: int  # stability needed, in force on the start day
    qualifying: date  # the day the placement has been stable for `months` months
    year: int  # the qualifying date's year: the year the subsidy belongs to
    period: Period  # the policy period in force on the qualifying date (item 2's event)
    in_period: bool
    cross_province: Fen  # the amounts in force on the qualifying date
    intra_region: Fen
    start_year: int | None  # the start day's year when it is not `year`, else None


class _Calendar(dict[date, _Day]):
    """Each start day's `_Day`, worked out on first use: a city's 300,000 placements start on
    a few hundred days (and `calendar[day]` stays a plain dict lookup after that)."""

    def __init__(self, context: CalcContext) -> None:
        super().__init__()
        self._params_at = context.params_at

    def __missing__(self, start: date) -> _Day:
        months = self._params_at(start).transport.stable_months
        qualifying = qualifying_date(start, months)
        at_qualifying = self._params_at(qualifying)  # item 2's event
        amounts = at_qualifying.transport
        self[start] = day = _Day(
            months,
            qualifying,
            qualifying.year,
            at_qualifying.period,
            at_qualifying.period.contains(qualifying),
            amounts.cross_province * 100,
            amounts.intra_region * 100,
            start.year if start.year != qualifying.year else None,
        )
        return day


def _failed(facts: PlacementFacts, day: _Day) -> int:
    """The _NOT_LOCAL … _OUTSIDE_PERIOD bits of the conditions a placement fails."""
    failed = 0
    if facts.residence is not LOCAL:
        failed |= _NOT_LOCAL
    if facts.transfer is SAME_COUNTY:
        failed |= _NOT_AWAY
    if not facts.contract:
        failed |= _NO_CONTRACT
    if not facts.social_insurance:
        failed |= _NO_INSURANCE
    if facts.proven < day.qualifying:
        failed |= _NOT_STABLE
    if not day.in_period:
        failed |= _OUTSIDE_PERIOD
    return failed


def _amount(facts: PlacementFacts, day: _Day) -> Fen:
    """What the placement pays on its own: 0 unless it fails none of the conditions of
    `_failed` (tested as one expression, without the bits; `compute_transport`'s loop over a
    city's single-placement workers repeats this test inline)."""
    if (
        facts.residence is LOCAL
        and facts.transfer is not SAME_COUNTY
        and facts.contract
        and facts.social_insurance
        and facts.proven >= day.qualifying
        and day.in_period
    ):
        return day.cross_province if facts.transfer is CROSS_PROVINCE else day.intra_region
    return 0


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
    calendar = _Calendar(context)
    rows: list[TransportResult] = []
    append = rows.append
    no_claims = ()
    for worker_id, placements in context.facts_by_worker.items():  # every worker, in id order
        years = claimed_years.get(worker_id, no_claims) if claimed_years else no_claims
        if len(placements) == 1 and not years:  # most workers: one placement, no claim
            facts = placements[0]
            day = calendar[facts.start]
            year = day.year
            if day.start_year is not None:  # mentioned in its start year too (_worker_rows)
                append(_mention(context, calendar, worker_id, day.start_year, placements))
            # The row _row makes of one placement: chosen if it pays, its kind shown if away
            # (_amount and _kind inline: this runs for most of a city's 300,000 placements).
            transfer = facts.transfer
            if transfer is SAME_COUNTY:
                kind, amount = None, 0
            else:
                cross = transfer is CROSS_PROVINCE
                kind = _CROSS_PROVINCE if cross else _INTRA_REGION
                if (
                    facts.residence is LOCAL
                    and facts.contract
                    and facts.social_insurance
                    and facts.proven >= day.qualifying
                    and day.in_period
                ):
                    amount = day.cross_province if cross else day.intra_region
                else:
                    amount = 0
            append(
                _new(
                    TransportResult,
                    (
                        worker_id,
                        year,
                        kind,
                        amount,
                        0,
                        amount,
                        Explanation(
                            _explain, context, calendar, worker_id, year, placements, (), ()
                        ),
                        facts.placement_id if amount else None,
                        (),
                    ),
                )
            )
        elif placements or years:
            rows += _worker_rows(context, calendar, worker_id, placements, years, claims_by_key)
    return rows


def _worker_rows(
    context: CalcContext,
    calendar: _Calendar,
    worker_id: str,
    placements: list[PlacementFacts],
    claimed_years: list[int] | tuple[()],
    claims_by_key: dict[Hashable, tuple[Claim, ...]],
) -> list[TransportResult]:
    """The worker's rows, one per year, in year order (placements come in (start, id) order)."""
    by_year: dict[int, list[PlacementFacts]] = {}
    # A placement that starts in one year and qualifies in the next is also mentioned in its
    # start year, so whoever looks there learns which year it belongs to.
    mentions: dict[int, list[PlacementFacts]] | None = None
    for facts in placements:
        day = calendar[facts.start]
        year = day.year
        listed = by_year.get(year)
        if listed is None:
            by_year[year] = [facts]
        else:
            listed.append(facts)
        start_year = day.start_year
        if start_year is not None:
            if start_year not in by_year:
                by_year[start_year] = []
            if mentions is None:
                mentions = {start_year: [facts]}
            elif start_year in mentions:
                mentions[start_year].append(facts)
            else:
                mentions[start_year] = [facts]
    for year in claimed_years:
        by_year.setdefault(year, [])
    rows = []
    for year in sorted(by_year) if len(by_year) > 1 else by_year:
        claims = claims_by_key.get((worker_id, year), ()) if year in claimed_years else ()
        rows.append(
            _row(
                context,
                calendar,
                worker_id,
                year,
                by_year[year],
                mentions.get(year, ()) if mentions else (),
                claims,
            )
        )
    return rows


def _row(
    context: CalcContext,
    calendar: _Calendar,
    worker_id: str,
    year: int,
    placements: Sequence[PlacementFacts],
    mentioned: Sequence[PlacementFacts] = (),
    claims: tuple[Claim, ...] = (),
) -> TransportResult:
    """The row of one worker-year: its placements in (start, id) order, the placements of
    other years started in it, and the claims already paid for it."""
    chosen = None  # the first placement paying the most; none when nothing pays
    entitlement = 0
    first_away = None  # the first placement away from home (its kind is shown if none pays)
    for facts in placements:
        if facts.transfer is SAME_COUNTY:  # pays nothing (_amount), and is not away
            continue
        if first_away is None:
            first_away = facts
        amount = _amount(facts, calendar[facts.start])
        if amount > entitlement:
            chosen, entitlement = facts, amount
    shown = chosen or first_away
    return _new(
        TransportResult,
        (
            worker_id,
            year,
            _kind(shown.transfer) if shown else None,
            entitlement,
            claimed_total(claims) if claims else 0,
            0 if claims else entitlement,
            Explanation(
                _explain, context, calendar, worker_id, year, placements, mentioned, claims
            ),
            chosen.placement_id if chosen else None,
            tuple(claim.claim or "" for claim in claims) if claims else (),
        ),
    )


def _mention(
    context: CalcContext,
    calendar: _Calendar,
    worker_id: str,
    year: int,
    mentioned: Sequence[PlacementFacts],
) -> TransportResult:
    """`_row` for a year in which placements only started: nothing to choose or pay."""
    return _new(
        TransportResult,
        (
            worker_id,
            year,
            None,
            0,
            0,
            0,
            Explanation(_explain, context, calendar, worker_id, year, (), mentioned, ()),
            None,
            (),
        ),
    )


def _kind(transfer: Transfer) -> str:
    """`cross_province` or `intra_region` for a job away from home (not `transfer.value`: an
    enum's value is a property; `compute_transport` picks the same inline)."""
    return _CROSS_PROVINCE if transfer is CROSS_PROVINCE else _INTRA_REGION


_CROSS_PROVINCE, _INTRA_REGION = CROSS_PROVINCE.value, INTRA_REGION.value


class _Verdict(NamedTuple):
    """One placement judged for item 2, for its explanation; `failed` 0 means it qualifies
    for `amount`."""

    facts: PlacementFacts
    day: _Day
    failed: int
    amount: Fen

    @property
    def transfer(self) -> Transfer:
        """Where the job is, from the worker's home county."""
        return self.facts.transfer


def _verdict(calendar: _Calendar, facts: PlacementFacts) -> _Verdict:
    day = calendar[facts.start]
    return _Verdict(facts, day, _failed(facts, day), _amount(facts, day))


def _problems(verdict: _Verdict) -> list[str]:
    """The conditions a placement fails, in words."""
    failed, problems = verdict.failed, []
    if failed & _NOT_LOCAL:
        problems.append(f"{verdict.facts.residence.label}，须为本地户籍")
    if failed & _NOT_AWAY:
        problems.append("不属于外出务工")
    if failed & _NO_CONTRACT:
        problems.append("未签订劳动合同")
    if failed & _NO_INSURANCE:
        problems.append("未缴纳社会保险")
    if failed & _NOT_STABLE:
        problems.append(f"外出务工未满{verdict.day.months}个月")
    if failed & _OUTSIDE_PERIOD:
        problems.append("不在政策实施期内")
    return problems


def _verdict_sentence(context: CalcContext, verdict: _Verdict) -> str:
    placement = verdict.facts.placement
    stability = stability_of(placement, verdict.day.months, context.as_of)
    parts = [
        placement_sentence(placement, verdict.transfer),
        "已签订劳动合同" if placement.contract else "未签订劳动合同",
        "已缴纳社会保险" if placement.social_insurance else "未缴纳社会保险",
        stability.sentence(),
    ]
    if not verdict.day.period.contains(stability.qualifying):
        parts.append(
            outside_period_sentence("满6个月之日", stability.qualifying, verdict.day.period)
        )
    if verdict.failed:
        parts.append("不符合：" + "、".join(_problems(verdict)))
    else:
        parts.append(f"{stability.qualifying}起符合条件，可享受{format_yuan(verdict.amount)}元")
    return "；".join(parts)


def _explain(
    context: CalcContext,
    calendar: _Calendar,
    worker_id: str,
    year: int,
    placements: Sequence[PlacementFacts],
    mentioned: Sequence[PlacementFacts],
    claims: tuple[Claim, ...],
) -> Iterator[str]:
    verdicts = [_verdict(calendar, facts) for facts in placements]
    chosen = None  # as in _row: the first placement paying the most
    for verdict in verdicts:
        if verdict.amount > (chosen.amount if chosen else 0):
            chosen = verdict
    worker = context.workers[worker_id]
    first = placements[0].start if placements else None
    params = context.params_at(first) if first else context.schedule.for_year(year)
    residence = context.belonging(worker, params.jurisdiction)[0]
    yield (
        f"第二项（一次性交通补贴）：{worker.name or '（无姓名）'}，{residence.label}，"
        f"{year}年（满6个月之日所在年度）"
    )
    for verdict in verdicts:
        yield _verdict_sentence(context, verdict)
    for facts in mentioned:
        placement = facts.placement
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
