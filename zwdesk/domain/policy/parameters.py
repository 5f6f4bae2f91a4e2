"""Dated policy parameters: the schema of resources/policy/*.toml and the schedule of files."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, ValidationError, model_validator

from zwdesk.domain.model import TargetGroup


class _Strict(BaseModel):
    """Frozen, and a misspelt or unknown key is an error, never ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class _Clause(_Strict):
    clause: str = Field(min_length=1)
    quote: str = Field(min_length=1)


class Tier(_Strict):
    """`count >= min_count` earns `amount` 元."""

    min_count: int = Field(gt=0)
    amount: int = Field(ge=0)


def tier_for(tiers: Sequence[Tier], count: int) -> Tier | None:
    """The highest tier `count` reaches (tiers highest first, as the schema requires)."""
    return next((tier for tier in tiers if count >= tier.min_count), None)


def next_tier(tiers: Sequence[Tier], count: int) -> Tier | None:
    """The lowest tier above `count`, or None at the top."""
    higher = [tier for tier in tiers if tier.min_count > count]
    return min(higher, key=lambda tier: tier.min_count) if higher else None


class _Tiered(_Clause):
    tiers: tuple[Tier, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _descending(self) -> _Tiered:
        counts = [tier.min_count for tier in self.tiers]
        if counts != sorted(counts, reverse=True) or len(set(counts)) != len(counts):
            raise ValueError("tiers 须按 min_count 从高到低排列且不重复")
        return self

    def tier_for(self, count: int) -> Tier | None:
        """The highest tier `count` reaches, or None below the lowest."""
        return tier_for(self.tiers, count)

    def next_tier(self, count: int) -> Tier | None:
        """The next tier above `count`, or None at the top."""
        return next_tier(self.tiers, count)

    @property
    def lowest(self) -> Tier:
        """The lowest paying tier."""
        return self.tiers[-1]


class Period(_Clause):
    """实施期限: events outside [start, end] earn nothing."""

    start: date
    end: date

    def contains(self, day: date) -> bool:
        """True when `day` is inside the policy period."""
        return self.start <= day <= self.end


class Jurisdiction(_Clause):
    """Which counties are local (本地户籍) and what is in-region (区内)."""

    city: str
    home_region_prefix: str
    local_counties: tuple[str, ...] = Field(min_length=1)


class StationTierRule(_Tiered):
    """第一项: station tiers by stable transfer workers."""

    stable_months: int = Field(gt=0)


class TransportRule(_Clause):
    """第二项: one-time transport subsidy."""

    stable_months: int = Field(gt=0)
    cross_province: int = Field(ge=0)
    intra_region: int = Field(ge=0)


class BrokerRewardRule(_Clause):
    """第三项: broker reward per rural worker."""

    min_workers: int = Field(gt=0)
    min_monthly_wage: int = Field(ge=0)
    stable_months: int = Field(gt=0)
    amount: int = Field(ge=0)
    long_stable_months: int = Field(gt=0)
    long_amount: int = Field(ge=0)


class WorkshopRule(_Tiered):
    """第四项: assistance-workshop one-time subsidy."""

    min_contract_months: int = Field(gt=0)
    # Enum members come from TOML as their string values.
    target_groups: tuple[Annotated[TargetGroup, Strict(False)], ...] = Field(min_length=1)


class PointToPointRule(_Clause):
    """第五项: charter or fare reimbursement per batch."""

    charter_min_passengers: int = Field(gt=0)
    fare_min_passengers: int = Field(gt=0)


class GigRule(_Clause):
    """第六项: gig market / gig station operating subsidy."""

    market_min_people: int = Field(gt=0)
    market_amount: int = Field(ge=0)
    station_min_people: int = Field(gt=0)
    station_amount: int = Field(ge=0)


class Exclusivity(_Clause):
    """Items that cannot both be enjoyed for one worker in one year."""

    items: tuple[int, int]


class BudgetLine(_Strict):
    """资金测算 for one item, in 元, per budget unit."""

    item: int = Field(ge=1, le=6)
    paid_2024: int = Field(ge=0)
    total: int = Field(ge=0)
    city_level: int = Field(ge=0)
    county_640502: int = Field(ge=0)
    county_640521: int = Field(ge=0)
    county_640522: int = Field(ge=0)


class Budget(_Clause):
    """Budget estimates for one year."""

    year: int
    lines: tuple[BudgetLine, ...] = Field(min_length=6, max_length=6)


class Targets(_Clause):
    """The city's yearly targets (每年)."""

    transfer_workers: int = Field(gt=0)
    organised_share: float = Field(ge=0, le=1)
    outside_county_share: float = Field(ge=0, le=1)
    stable_3_months_share: float = Field(ge=0, le=1)
    stable_6_months_share: float = Field(ge=0, le=1)


class ParameterSet(_Strict):
    """One complete parameter file, in force from `effective_from`."""

    format: Literal["zwdesk-policy/1"]
    effective_from: date
    title: str
    period: Period
    jurisdiction: Jurisdiction
    station_tier: StationTierRule
    transport: TransportRule
    broker_reward: BrokerRewardRule
    workshop: WorkshopRule
    point_to_point: PointToPointRule
    gig: GigRule
    exclusivity: Exclusivity
    budget: Budget
    targets: Targets


class PolicyParameterError(ValueError):
    """A parameter file that does not fit the schema; the message names the file and key."""


def parse_parameter_set(data: Mapping[str, Any], source: str) -> ParameterSet:
    """Validate one parsed parameter file; every problem is reported with its key path."""
    try:
        return ParameterSet.model_validate(_arrays_as_tuples(data))
    except ValidationError as error:
        problems = []
        for problem in error.errors():
            path = ".".join(str(part) for part in problem["loc"]) or "（文件）"
            kind = problem["type"]
            if kind == "missing":
                reason = "缺少此参数"
            elif kind == "extra_forbidden":
                reason = "未知参数（拼写错误？）"
            else:
                reason = problem["msg"]
            problems.append(f"{path}：{reason}")
        raise PolicyParameterError(f"政策参数文件 {source} 有误：" + "；".join(problems)) from None


def _arrays_as_tuples(value: Any) -> Any:
    """TOML arrays arrive as lists; strict validation wants the tuples the schema declares."""
    if isinstance(value, Mapping):
        return {key: _arrays_as_tuples(item) for key, item in value.items()}
    if isinstance(value, list):
        return tuple(_arrays_as_tuples(item) for item in value)
    return value


class PolicySchedule:
    """All parameter sets, each in force from its date until the next one's."""

    def __init__(self, parameter_sets: Iterable[ParameterSet]) -> None:
        ordered = sorted(parameter_sets, key=lambda item: item.effective_from)
        if not ordered:
            raise PolicyParameterError("没有任何政策参数文件")
        starts = [item.effective_from for item in ordered]
        if len(set(starts)) != len(starts):
            raise PolicyParameterError("两个政策参数文件的生效日期相同")
        self._sets = tuple(ordered)
        self._starts = starts
        self._by_day: dict[date, ParameterSet] = {}

    @property
    def parameter_sets(self) -> tuple[ParameterSet, ...]:
        """Every set, oldest first."""
        return self._sets

    def at(self, day: date) -> ParameterSet:
        """The set in force on `day`; before the first set, the first one (its period
        check then says the event is too early)."""
        found = self._by_day.get(day)
        if found is None:
            index = bisect.bisect_right(self._starts, day) - 1
            found = self._by_day[day] = self._sets[max(index, 0)]
        return found

    def for_year(self, year: int) -> ParameterSet:
        """The set for a yearly aggregate (tiers, thresholds): the one in force on 1 January,
        so a change dated later in the year never rewrites that year's earlier events."""
        return self.at(date(year, 1, 1))
