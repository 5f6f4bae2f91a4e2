"""The budget side of the city's reports (资金): per item and budget unit, what was claimed and
paid against the year's estimates (资金测算) of the policy parameters, and the warning before a
unit runs over.

A person's line (items 2, 3) draws on the hukou county's unit, an organisation's (1, 4, 6) and
a batch's (5, its organiser) on the organisation's county — when that county has an estimate
for the item, else on 市本级 (POLICY.md §5: 沙坡头区 has its own line for item 6 only). Columns:
在办 = 草稿/已打印/已签字, 已提交, 已拨付 (claims imported as already paid count as 已拨付),
可申领 = what the engine says is still due now. The warning compares 已提交 + 已拨付 with the
estimate; money stays in fen.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from zwdesk.city.city_view import CityClaimLine, CityView
from zwdesk.domain.claims import ClaimState
from zwdesk.domain.money import Fen, format_yuan_grouped, yuan_to_fen
from zwdesk.domain.policy.parameters import Budget, BudgetLine
from zwdesk.domain.policy.results import Results

# Budget warning thresholds, in per cent of a unit's estimate (claimed + paid against it):
# from NEAR on the unit is 接近预算; above OVER it is 超出预算. `build_report` takes others.
BUDGET_NEAR_PERCENT = 80
BUDGET_OVER_PERCENT = 100
CITY_LEVEL = "city_level"  # 市本级: a budget unit, not a place
CITY_LEVEL_NAME = "市本级"
TOTAL_UNIT = "total"

_IN_PROCESS = frozenset({ClaimState.DRAFT, ClaimState.PRINTED, ClaimState.SIGNED})
_COLUMNS = ("in_process", "submitted", "paid", "due")


class BudgetLevel(StrEnum):
    """Where a unit stands against its estimate."""

    FINE = ""
    NEAR = "接近预算"
    OVER = "超出预算"
    UNBUDGETED = "无测算"  # money drawn on a unit the estimates give nothing


def budget_level(
    used: Fen,
    estimate: Fen,
    *,
    near_percent: int = BUDGET_NEAR_PERCENT,
    over_percent: int = BUDGET_OVER_PERCENT,
) -> BudgetLevel:
    """NEAR from `near_percent` of the estimate on, OVER above `over_percent` (integers: no
    rounding decides a warning)."""
    if estimate <= 0:
        return BudgetLevel.UNBUDGETED if used > 0 else BudgetLevel.FINE
    if used * 100 > estimate * over_percent:
        return BudgetLevel.OVER
    if used * 100 >= estimate * near_percent:
        return BudgetLevel.NEAR
    return BudgetLevel.FINE


@dataclass(frozen=True, slots=True)
class BudgetRow:
    """One item and budget unit (or the item's total): estimate against claims, in fen."""

    item: int
    unit: str  # CITY_LEVEL, a county code, or TOTAL_UNIT
    unit_name: str
    estimate: Fen
    in_process: Fen  # 草稿、已打印、已签字
    submitted: Fen  # 已提交
    paid: Fen  # 已拨付 (and imported claims)
    due: Fen  # still claimable now, by the engine
    level: BudgetLevel
    projected_level: BudgetLevel

    @property
    def used(self) -> Fen:
        """已提交 + 已拨付: what the warning compares with the estimate."""
        return self.submitted + self.paid

    @property
    def projected(self) -> Fen:
        """Everything claimed in any live state plus what can still be claimed now."""
        return self.used + self.in_process + self.due

    @property
    def used_share(self) -> Fraction | None:
        return Fraction(self.used, self.estimate) if self.estimate > 0 else None

    @property
    def projected_share(self) -> Fraction | None:
        return Fraction(self.projected, self.estimate) if self.estimate > 0 else None

    @property
    def warning(self) -> str:
        """`预警：已提交和已拨付 3,300,000.00 元，为测算的 110.0%，超出预算` or ""."""
        used = f"已提交和已拨付 {format_yuan_grouped(self.used)} 元"
        share = self.used_share
        if self.level is BudgetLevel.UNBUDGETED:
            return f"预警：{used}，该单位无此项测算"
        if self.level in (BudgetLevel.NEAR, BudgetLevel.OVER) and share is not None:
            return f"预警：{used}，为测算的 {percent(share, 2)}，{self.level.value}"
        if self.projected_level in (BudgetLevel.OVER, BudgetLevel.UNBUDGETED):
            return f"提示：连同在办和可申领共 {format_yuan_grouped(self.projected)} 元，将超出测算"
        return ""


def percent(share: Fraction, digits: int = 1) -> str:
    """`80.0%`, rounded down: a share just short of a threshold never reads as reaching it."""
    scale = 10**digits
    whole = math.floor(share * 100 * scale)
    return f"{whole // scale}.{whole % scale:0{digits}d}%" if digits else f"{whole}%"


def budget_units(
    budget: Budget, counties: Sequence[tuple[str, str]]
) -> tuple[tuple[str, str], ...]:
    """(unit, name): 市本级 and every county the estimates have a column for."""
    columns = {name.removeprefix("county_") for name in BudgetLine.model_fields}
    return ((CITY_LEVEL, CITY_LEVEL_NAME), *((c, n) for c, n in counties if c in columns))


def _estimate(line: BudgetLine, unit: str) -> Fen:
    if unit == CITY_LEVEL:
        return yuan_to_fen(line.city_level)
    if unit == TOTAL_UNIT:
        return yuan_to_fen(line.total)
    value = getattr(line, f"county_{unit}", 0)
    return yuan_to_fen(value) if isinstance(value, int) else 0


def budget_unit(line: BudgetLine, county: str | None, counties: Iterable[str]) -> str:
    """The unit a claim on `county` draws on: that county when the estimates give it
    something for the item, else 市本级 (e.g. 沙坡头区 for items 1–5)."""
    if county is not None and county in counties and _estimate(line, county) > 0:
        return county
    return CITY_LEVEL


class _Counties:
    """Who is where: a person's hukou county, an organisation's or a batch organiser's."""

    def __init__(self, view: CityView) -> None:
        self.workers = {worker.id_number: worker.hukou_county for worker in view.scenario.workers}
        self.organisations = {item.id: item.county for item in view.scenario.organisations}
        self.batches = {batch.id: batch for batch in view.scenario.batches}

    def of_claim(self, line: CityClaimLine) -> str | None:
        if line.item in (2, 3):
            return self.workers.get(line.worker or "")
        if line.organisation is not None:
            return self.organisations.get(line.organisation)
        batch = self.batches.get(line.batch or "")
        if batch is None:
            return None
        return self.organisations.get(batch.organiser) or batch.origin

    def batch_year(self, batch: str | None) -> int | None:
        found = self.batches.get(batch or "")
        return found.departure.year if found else None


def budget_rows(
    view: CityView,
    results: Results,
    budget: Budget,
    counties: Sequence[tuple[str, str]],
    *,
    near_percent: int = BUDGET_NEAR_PERCENT,
    over_percent: int = BUDGET_OVER_PERCENT,
) -> tuple[BudgetRow, ...]:
    """Per item: one row per budget unit, then the item's total row. Every live claim of the
    budget's year counts, in its state today (a year's claims are filed well into the next)."""
    where = _Counties(view)
    units = budget_units(budget, counties)
    county_codes = [code for code, _name in units if code != CITY_LEVEL]
    lines = {line.item: line for line in budget.lines}
    sums: dict[tuple[int, str, str], Fen] = defaultdict(int)

    def add(item: int, county: str | None, column: str, amount: Fen) -> None:
        unit = budget_unit(lines[item], county, county_codes)
        sums[(item, unit, column)] += amount

    for claim in view.claim_lines:
        year = claim.year if claim.year is not None else where.batch_year(claim.batch)
        if year != budget.year or claim.item not in lines:
            continue
        if claim.state in _IN_PROCESS:
            column = "in_process"
        elif claim.state is ClaimState.SUBMITTED:
            column = "submitted"
        else:  # 已拨付, or a claim imported as already paid
            column = "paid"
        add(claim.item, where.of_claim(claim), column, claim.amount)
    for item, county, amount in _due(view, results, budget.year, where):
        add(item, county, "due", amount)

    rows: list[BudgetRow] = []
    for item in sorted(lines):
        unit_rows = [
            _budget_row(item, unit, name, lines[item], sums, near_percent, over_percent)
            for unit, name in units
        ]
        rows += unit_rows
        totals = {
            column: sum(sums.get((item, unit, column), 0) for unit, _name in units)
            for column in _COLUMNS
        }
        rows.append(
            _budget_row(
                item,
                TOTAL_UNIT,
                "合计",
                lines[item],
                {(item, TOTAL_UNIT, column): amount for column, amount in totals.items()},
                near_percent,
                over_percent,
            )
        )
    return tuple(rows)


def _budget_row(
    item: int,
    unit: str,
    name: str,
    line: BudgetLine,
    sums: Mapping[tuple[int, str, str], Fen],
    near_percent: int,
    over_percent: int,
) -> BudgetRow:
    estimate = _estimate(line, unit)
    in_process, submitted, paid, due = (sums.get((item, unit, column), 0) for column in _COLUMNS)
    used, projected = submitted + paid, submitted + paid + in_process + due
    return BudgetRow(
        item,
        unit,
        name,
        estimate,
        in_process,
        submitted,
        paid,
        due,
        budget_level(used, estimate, near_percent=near_percent, over_percent=over_percent),
        budget_level(projected, estimate, near_percent=near_percent, over_percent=over_percent),
    )


def _due(
    view: CityView, results: Results, year: int, where: _Counties
) -> Iterable[tuple[int, str | None, Fen]]:
    """(item, county, amount) of what the engine says is still due now, for `year`."""
    for station in results.station_tiers:
        if station.year == year and station.amount > 0:
            yield 1, where.organisations.get(station.organisation), station.amount
    for transport in results.transport:
        if transport.year == year and transport.amount > 0:
            yield 2, where.workers.get(transport.worker), transport.amount
    for broker in results.broker_rewards:
        if broker.year == year:
            for row in broker.workers:
                if row.amount > 0:
                    yield 3, where.workers.get(row.worker), row.amount
    if results.as_of.year == year:  # item 4 is one-time: due now, drawn on this year
        for workshop in results.workshops:
            if workshop.amount > 0:
                yield 4, where.organisations.get(workshop.organisation), workshop.amount
    for batch in results.batches:
        if batch.amount > 0 and where.batch_year(batch.batch) == year:
            yield 5, where.organisations.get(batch.organisation), batch.amount
    for gig in results.gig:
        if gig.year == year and gig.amount > 0:
            yield 6, where.organisations.get(gig.organisation), gig.amount
