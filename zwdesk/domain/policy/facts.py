"""Derived facts shared by the items: residence, transfer employment, proven stability."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from zwdesk.domain.dates import qualifying_date
from zwdesk.domain.model import Placement, Worker
from zwdesk.domain.money import Fen
from zwdesk.domain.policy.parameters import Jurisdiction, ParameterSet, Period
from zwdesk.domain.regions import region_label

# Looked up by `_value_` (a plain attribute; `value` is a descriptor call): an explanation of
# a city's results asks for these a million times.
_RESIDENCE_LABELS = {"local": "本地户籍", "resident": "常住人口", "other": "非中卫户籍或常住人口"}
_TRANSFER_LABELS = {
    "cross_province": "跨省（区）转移就业",
    "intra_region": "区内跨县转移就业",
    "same_county": "在本县就业，不属于转移就业",
}


class Residence(StrEnum):
    """How a worker belongs to Zhongwei."""

    LOCAL = "local"  # 本地户籍
    RESIDENT = "resident"  # 常住人口
    OTHER = "other"  # 非中卫

    @property
    def label(self) -> str:
        """Chinese wording."""
        return _RESIDENCE_LABELS[self._value_]


class Transfer(StrEnum):
    """Where a job is, seen from the worker's home county."""

    CROSS_PROVINCE = "cross_province"  # 区外 / 跨省
    INTRA_REGION = "intra_region"  # 区内县外
    SAME_COUNTY = "same_county"  # 本县，不是转移就业

    @property
    def label(self) -> str:
        """Chinese wording."""
        return _TRANSFER_LABELS[self._value_]

    @property
    def is_transfer(self) -> bool:
        """True for cross-province and intra-region cross-county jobs."""
        return self is not Transfer.SAME_COUNTY


def residence_of(worker: Worker, jurisdiction: Jurisdiction) -> Residence:
    """Local hukou, permanent resident, or neither (POLICY.md §1)."""
    if worker.hukou_county in jurisdiction.local_counties:
        return Residence.LOCAL
    if worker.resident_county in jurisdiction.local_counties:
        return Residence.RESIDENT
    return Residence.OTHER


def home_county_of(worker: Worker, jurisdiction: Jurisdiction) -> str:
    """The county a job must leave to be transfer employment: residence for permanent
    residents, hukou county for everyone else."""
    return belonging(worker, jurisdiction)[1]


def belonging(worker: Worker, jurisdiction: Jurisdiction) -> tuple[Residence, str]:
    """Residence class and home county together (the tests of `residence_of`, made here
    once more rather than by calling it: this runs for every worker of a city)."""
    local_counties = jurisdiction.local_counties
    if worker.hukou_county in local_counties:
        return LOCAL, worker.hukou_county
    resident_county = worker.resident_county
    if resident_county in local_counties:
        return RESIDENT, resident_county or worker.hukou_county
    return OTHER, worker.hukou_county


def transfer_of(work_county: str, home_county: str, jurisdiction: Jurisdiction) -> Transfer:
    """Classify a work location against the home county (POLICY.md §3)."""
    if not work_county.startswith(jurisdiction.home_region_prefix):
        return Transfer.CROSS_PROVINCE
    if work_county != home_county:
        return Transfer.INTRA_REGION
    return Transfer.SAME_COUNTY


def last_proven_day(placement: Placement, as_of: date) -> date:
    """L of POLICY.md §2: end date, else latest follow-up, else only the start day."""
    if placement.end is not None:
        return min(placement.end, as_of)
    if placement.verified_through is not None:
        return min(placement.verified_through, as_of)
    return min(placement.start, as_of)


class Stability(NamedTuple):
    """Whether a placement is stable for `months` months as of the evaluation date (a tuple,
    made by `tuple.__new__`: a city's explanations judge a million of these)."""

    months: int
    qualifying: date
    proven: date
    ended: date | None
    unconfirmed: bool  # ongoing and never followed up

    @property
    def stable(self) -> bool:
        """L >= qualifying date."""
        return self.proven >= self.qualifying

    @property
    def can_still_qualify(self) -> bool:
        """Not yet stable, but a follow-up could still prove it (it has not ended too soon)."""
        return not self.stable and (self.ended is None or self.ended >= self.qualifying)

    def sentence(self) -> str:
        """`稳定就业核实至2025-05-30，满3个月需至2025-05-31` plus the verdict."""
        if self.unconfirmed:
            proof = f"无回访核实，仅计至开始日{self.proven}"
        elif self.ended is not None and self.proven == self.ended:
            proof = f"已于{self.ended}结束，稳定就业至{self.proven}"
        else:
            proof = f"稳定就业核实至{self.proven}"
        verdict = "已满" if self.stable else "未满"
        return f"{proof}，满{self.months}个月需至{self.qualifying}，{verdict}{self.months}个月"


def stability_of(placement: Placement, months: int, as_of: date) -> Stability:
    """Evaluate the n-month stability condition of POLICY.md §2."""
    end = placement.end
    return _new(
        Stability,
        (
            months,
            qualifying_date(placement.start, months),
            last_proven_day(placement, as_of),
            end,
            end is None and placement.verified_through is None,
        ),
    )


_new = tuple.__new__


@dataclass(slots=True, eq=False)
class PlacementFacts:
    """What every item asks of one placement, worked out once per run.

    Besides the derived facts, it repeats the few fields of the placement and the worker that
    items 1, 2 and 3 judge by. Their passes then read these records, made one after the other,
    instead of reaching into 300,000 placements scattered over a city-sized heap three more
    times (the placement itself is read again only to explain a row).

    A plain slots class, not frozen and not a NamedTuple: its fields are read some 5 million
    times for a city, and a slot is read several times faster than a NamedTuple field (made
    through a descriptor); a frozen dataclass is several times slower to make."""

    placement: Placement
    params: ParameterSet  # in force on the placement's start
    residence: Residence
    transfer: Transfer
    proven: date  # L, the last proven day as of D
    worker: Worker
    # As in the placement and the worker:
    placement_id: str
    worker_id: str
    start: date
    end: date | None
    contract: bool
    social_insurance: bool
    monthly_wage: Fen | None
    rural: bool


def placement_sentence(placement: Placement, transfer: Transfer) -> str:
    """`就业记录P1：2025-03-01起在320506（江苏省吴中区）就业，跨省（区）转移就业`."""
    employer = f"{placement.employer}，" if placement.employer else ""
    return (
        f"就业记录{placement.id}：{employer}{placement.start}起在"
        f"{region_label(placement.work_county)}就业，{transfer.label}"
    )


def outside_period_sentence(event: str, day: date, period: Period) -> str:
    """Why an event outside the policy period earns nothing."""
    return f"{event}{day}不在政策实施期{period.start}至{period.end}内，不予补贴"


# Hot loops compare against these module constants: an enum member looked up on its class
# costs a descriptor call per access in Python 3.11.
LOCAL, RESIDENT, OTHER = Residence.LOCAL, Residence.RESIDENT, Residence.OTHER
CROSS_PROVINCE, INTRA_REGION, SAME_COUNTY = (
    Transfer.CROSS_PROVINCE,
    Transfer.INTRA_REGION,
    Transfer.SAME_COUNTY,
)
