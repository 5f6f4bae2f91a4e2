"""The facts zwdesk keeps: organisations, workers, placements, batches, gig records, claims."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from zwdesk.domain.money import Fen


class OrganisationKind(StrEnum):
    """Who an organisation is; each kind can claim its own items."""

    STATION = "station"  # 驻外劳务工作站 — item 1
    BROKER = "broker"  # 劳务中介/经纪人 — items 3 and 5
    WORKSHOP = "workshop"  # 就业帮扶车间 — item 4
    GIG_MARKET = "gig_market"  # 零工市场 — item 6
    GIG_STATION = "gig_station"  # 零工驿站 — item 6

    @property
    def label(self) -> str:
        """Chinese name of the kind."""
        return _KIND_LABELS[self]


_KIND_LABELS = {
    OrganisationKind.STATION: "驻外劳务工作站",
    OrganisationKind.BROKER: "劳务中介",
    OrganisationKind.WORKSHOP: "就业帮扶车间",
    OrganisationKind.GIG_MARKET: "零工市场",
    OrganisationKind.GIG_STATION: "零工驿站",
}


class TargetGroup(StrEnum):
    """Item 4's target groups (重点群体)."""

    HARD_TO_EMPLOY = "hard_to_employ"  # 就业困难人员
    GRADUATE = "graduate"  # 毕业年度及离校2年内未就业高校毕业生
    POVERTY_RELIEVED = "poverty_relieved"  # 脱贫人口
    LOW_INCOME_RURAL = "low_income_rural"  # 农村低收入人口
    RELOCATED = "relocated"  # 搬迁群众

    @property
    def label(self) -> str:
        """Chinese name of the group."""
        return _GROUP_LABELS[self]


_GROUP_LABELS = {
    TargetGroup.HARD_TO_EMPLOY: "就业困难人员",
    TargetGroup.GRADUATE: "毕业年度及离校2年内未就业高校毕业生",
    TargetGroup.POVERTY_RELIEVED: "脱贫人口",
    TargetGroup.LOW_INCOME_RURAL: "农村低收入人口",
    TargetGroup.RELOCATED: "搬迁群众",
}


class BatchMode(StrEnum):
    """How a point-to-point batch travels."""

    CHARTER = "charter"  # 包车/包机
    TICKETS = "tickets"  # 按人购票


@dataclass(frozen=True, slots=True)
class Organisation:
    """A station, broker, workshop, gig market or gig station."""

    id: str
    kind: OrganisationKind
    name: str
    county: str | None = None


@dataclass(frozen=True, slots=True)
class Worker:
    """A person, identified city-wide by the resident ID number."""

    id_number: str
    name: str
    hukou_county: str
    resident_county: str | None = None
    rural: bool = False
    groups: frozenset[TargetGroup] = frozenset()
    phone: str | None = None  # personal data: never logged


@dataclass(frozen=True, slots=True)
class Placement:
    """One job: who, where, from when, organised by whom, and what was proven."""

    id: str
    worker: str
    organiser: str | None
    work_county: str
    start: date
    end: date | None = None
    verified_through: date | None = None
    employer: str = ""
    contract: bool = False
    contract_start: date | None = None
    contract_end: date | None = None
    social_insurance: bool = False
    monthly_wage: Fen | None = None


class FollowUpMethod(StrEnum):
    """How a follow-up (回访) confirmed the worker's situation."""

    PHONE = "电话"
    EMPLOYER = "用工单位确认"
    SOCIAL_INSURANCE = "社保记录"
    VISIT = "实地走访"


class FollowUpResult(StrEnum):
    """What a follow-up found."""

    EMPLOYED = "在岗"
    LEFT = "已离职"


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A follow-up (回访) of one placement: the latest 在岗 date is its verified_through."""

    id: str
    placement: str
    date: date
    method: FollowUpMethod
    result: FollowUpResult
    who: str = ""
    note: str = ""


def verified_through(follow_ups: Iterable[FollowUp]) -> date | None:
    """POLICY.md §2: the latest date on which a follow-up confirmed the worker employed."""
    return max(
        (item.date for item in follow_ups if item.result is FollowUpResult.EMPLOYED), default=None
    )


@dataclass(frozen=True, slots=True)
class Passenger:
    """One person on a point-to-point batch, with the fare paid and its receipt."""

    worker: str
    fare: Fen = 0
    receipt: str | None = None


@dataclass(frozen=True, slots=True)
class Batch:
    """One point-to-point departure (一次性组织) organised by a broker."""

    id: str
    organiser: str
    departure: date
    destination_county: str
    mode: BatchMode
    charter_cost: Fen | None = None
    passengers: tuple[Passenger, ...] = ()
    origin: str | None = None


@dataclass(frozen=True, slots=True)
class GigRecord:
    """A gig market or station brought a person to work on a day."""

    organisation: str
    worker: str
    date: date


@dataclass(frozen=True, slots=True)
class Claim:
    """A line of the ledger of what was already claimed (paid)."""

    item: int
    amount: Fen
    year: int | None = None
    worker: str | None = None
    organisation: str | None = None
    batch: str | None = None
    claim: str | None = None


@dataclass(frozen=True, slots=True)
class Scenario:
    """Every fact the engine computes from."""

    organisations: tuple[Organisation, ...] = ()
    workers: tuple[Worker, ...] = ()
    placements: tuple[Placement, ...] = ()
    batches: tuple[Batch, ...] = ()
    gig_records: tuple[GigRecord, ...] = ()
    claims: tuple[Claim, ...] = field(default=())
