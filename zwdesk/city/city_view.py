"""The city's view (全市数据): every station's live records as one domain Scenario.

One person per ID number however many stations registered them (the newest worker record
supplies name and flags); organisations, placements, batches and claim numbers namespaced by
station (`T1/P7`: two stations may both use the code 本站 or P1); and beside the scenario where
every record came from, and every live claim line with the state of its frozen claim.
"""

from __future__ import annotations

import json
import tomllib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import zwdesk
from zwdesk.city.records import MergedRecord, PolicyUpdateRow, RecordRef
from zwdesk.domain.claims import ClaimState
from zwdesk.domain.model import (
    Batch,
    BatchMode,
    Claim,
    GigRecord,
    Organisation,
    OrganisationKind,
    Passenger,
    Placement,
    Scenario,
    TargetGroup,
    Worker,
)
from zwdesk.domain.money import Fen
from zwdesk.domain.policy.parameters import (
    ParameterSet,
    PolicyParameterError,
    PolicySchedule,
    parse_parameter_set,
)

ITEM_TITLES = {
    1: "驻外劳务工作站就业创业服务补贴",
    2: "一次性交通补贴",
    3: "劳务中介带动就业奖补",
    4: "就业帮扶车间一次性补贴",
    5: "“点对点”转移就业输送",
    6: "零工市场（驿站）运营补贴",
}
ITEM_NAMES = {1: "第一项", 2: "第二项", 3: "第三项", 4: "第四项", 5: "第五项", 6: "第六项"}

# Read parents first: a placement needs its worker and organiser, a batch its passengers.
ANALYSED_TABLES = (
    "organisations",
    "workers",
    "follow_ups",
    "placements",
    "passengers",
    "batches",
    "gig_records",
    "claim_batches",
    "claims",
)
# A frozen claim in these states no longer claims anything (its ledger lines are released).
_RELEASED_STATES = frozenset({ClaimState.CANCELLED, ClaimState.RETURNED})
_EMPLOYED = "在岗"


class RecordReader(Protocol):
    """`CityDatabase.live_records` (SQLite or PostgreSQL): live records of some tables."""

    def __call__(self, tables: Iterable[str] | None = None) -> Iterable[MergedRecord]: ...


class PolicySource(Protocol):
    """Where the city keeps the parameter files it published (`CityDatabase`)."""

    def policy_updates(self) -> Sequence[PolicyUpdateRow]: ...


# -- the view --------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Source:
    """Where a record of the city's scenario came from: its station, table, UUID and code."""

    station_id: str
    table: str
    uuid: str
    code: str

    @property
    def ref(self) -> RecordRef:
        return RecordRef(self.station_id, self.table, self.uuid)


@dataclass(frozen=True, slots=True)
class CityClaimLine:
    """One live ledger line (已申领) of a station, with the state of its frozen claim.

    `state` is None for a line no frozen claim of that station carries (claims imported with
    a scenario as already paid)."""

    station_id: str
    uuid: str
    item: int
    amount: Fen
    year: int | None  # the line's year, else its claim's numbering year
    worker: str | None  # ID number (items 2 and 3)
    organisation: str | None  # city organisation id
    batch: str | None  # city batch id (item 5)
    number: str | None  # the claim number as the station wrote it
    claim_batch: str | None  # UUID of the station's frozen claim (claim_batches)
    state: ClaimState | None

    @property
    def ref(self) -> RecordRef:
        """The frozen claim when there is one (what a station's clerk knows), else the line."""
        if self.claim_batch is not None:
            return RecordRef(self.station_id, "claim_batches", self.claim_batch)
        return RecordRef(self.station_id, "claims", self.uuid)

    @property
    def claim_key(self) -> tuple[str, str]:
        """One claim: (station, claim number or — without one — the line itself)."""
        return self.station_id, self.number or self.uuid

    @property
    def state_label(self) -> str:
        return self.state.value if self.state is not None else "导入的已申领记录"


@dataclass(frozen=True)
class CityView:
    """Every station merged into one scenario, with the records' provenance."""

    scenario: Scenario
    organisations: Mapping[str, Source]  # city organisation id → its record
    placements: Mapping[str, Source]  # city placement id → its record
    batches: Mapping[str, Source]
    person_records: Mapping[str, tuple[RecordRef, ...]]  # ID number → every worker record
    claim_lines: tuple[CityClaimLine, ...]
    records_read: int = 0
    skipped: Mapping[str, int] = field(default_factory=dict)  # why → how many records

    @property
    def shared_persons(self) -> int:
        """Persons registered at two or more stations."""
        return sum(
            1 for refs in self.person_records.values() if len({ref.station_id for ref in refs}) > 1
        )

    def station_of(self, organisation: str) -> str:
        """The station whose record an organisation (city id) is."""
        source = self.organisations.get(organisation)
        return source.station_id if source else organisation.split("/", 1)[0]


def city_id(station_id: str, code: str) -> str:
    """`T1/P7`: a station's code made unique across the city."""
    return f"{station_id}/{code}"


def local_code(identifier: str) -> str:
    """The station's own code of a city id (`T1/P7` → `P7`)."""
    return identifier.split("/", 1)[-1]


class _Builder:
    """Turns live records, table by table, into the city's view."""

    def __init__(self) -> None:
        self.skipped: Counter[str] = Counter()
        self.read = 0
        self.organisations: dict[str, Organisation] = {}
        self.organisation_sources: dict[str, Source] = {}
        self.organisation_by_uuid: dict[str, str] = {}
        self.workers: dict[str, tuple[str, str, Worker]] = {}  # number → (updated, station, W)
        self.person_records: dict[str, list[RecordRef]] = defaultdict(list)
        self.number_by_uuid: dict[str, str] = {}
        self.verified: dict[str, date] = {}
        self.placements: list[Placement] = []
        self.placement_sources: dict[str, Source] = {}
        self.passengers: dict[str, list[Passenger]] = defaultdict(list)
        self.batches: list[Batch] = []
        self.batch_sources: dict[str, Source] = {}
        self.batch_by_uuid: dict[str, str] = {}
        self.gig_records: list[GigRecord] = []
        self.claim_batches: dict[tuple[str, str], tuple[str, ClaimState, int]] = {}
        self.claim_lines: list[CityClaimLine] = []

    def add(self, record: MergedRecord) -> None:
        self.read += 1
        handler = _HANDLERS.get(record.table)
        if handler is None:
            return
        try:
            handler(self, record.station_id, record.uuid, record.data)
        except (KeyError, TypeError, ValueError, AttributeError):
            self.skipped[
                f"{_TABLE_LABELS.get(record.table, record.table)}：字段缺失或格式有误"
            ] += 1

    def organiser(self, station: str, uuid: object) -> str | None:
        if uuid is None:
            return None
        found = self.organisation_by_uuid.get(str(uuid))
        # A deleted organisation still organised its placements: keep them apart by UUID.
        return found if found is not None else city_id(station, str(uuid))

    # -- one handler per table ---------------------------------------------------------------
    def organisation(self, station: str, uuid: str, data: Mapping[str, Any]) -> None:
        code = _text(data["code"])
        identifier = city_id(station, code)
        county = data.get("county")
        self.organisations[identifier] = Organisation(
            identifier,
            OrganisationKind(data["kind"]),
            _text(data["name"]),
            None if county is None else _text(county),
        )
        self.organisation_sources[identifier] = Source(station, "organisations", uuid, code)
        self.organisation_by_uuid[uuid] = identifier

    def worker(self, station: str, uuid: str, data: Mapping[str, Any]) -> None:
        number = _text(data["id_number"])
        resident = data.get("resident_county")
        worker = Worker(
            id_number=number,
            name=_text(data.get("name") or ""),
            hukou_county=_text(data["hukou_county"]),
            resident_county=None if resident is None else _text(resident),
            rural=bool(data.get("rural")),
            groups=_groups(data.get("groups") or "[]"),
        )
        updated = str(data.get("updated_at") or "")
        self.number_by_uuid[uuid] = number
        self.person_records[number].append(RecordRef(station, "workers", uuid))
        # One person per ID number: the most recently updated record speaks for them.
        current = self.workers.get(number)
        if current is None or (updated, station) > current[:2]:
            self.workers[number] = (updated, station, worker)

    def follow_up(self, station: str, uuid: str, data: Mapping[str, Any]) -> None:
        if data.get("result") != _EMPLOYED:
            return
        placement = str(data["placement_uuid"])
        day = _iso_day(data["date"])
        if placement not in self.verified or day > self.verified[placement]:
            self.verified[placement] = day

    def placement(self, station: str, uuid: str, data: Mapping[str, Any]) -> None:
        number = self.number_by_uuid.get(str(data["worker_uuid"]))
        if number is None:
            self.skipped["就业记录：所属人员不在（已删除或未同步）"] += 1
            return
        code = _text(data["code"])
        identifier = city_id(station, code)
        wage = data.get("monthly_wage_fen")
        self.placements.append(
            Placement(
                id=identifier,
                worker=number,
                organiser=self.organiser(station, data.get("organiser_uuid")),
                work_county=_text(data["work_county"]),
                start=_iso_day(data["start_date"]),
                end=_day(data.get("end_date")),
                verified_through=self.verified.get(uuid),
                employer=_text(data.get("employer") or ""),
                contract=bool(data.get("contract")),
                contract_start=_day(data.get("contract_start")),
                contract_end=_day(data.get("contract_end")),
                social_insurance=bool(data.get("social_insurance")),
                monthly_wage=None if wage is None else int(wage),
            )
        )
        self.placement_sources[identifier] = Source(station, "placements", uuid, code)

    def passenger(self, station: str, uuid: str, data: Mapping[str, Any]) -> None:
        number = self.number_by_uuid.get(str(data["worker_uuid"]))
        if number is None:
            self.skipped["乘客：所属人员不在（已删除或未同步）"] += 1
            return
        receipt = data.get("receipt")
        self.passengers[str(data["batch_uuid"])].append(
            Passenger(
                number, int(data.get("fare_fen") or 0), None if receipt is None else str(receipt)
            )
        )

    def batch(self, station: str, uuid: str, data: Mapping[str, Any]) -> None:
        organiser = self.organisation_by_uuid.get(str(data["organiser_uuid"]))
        if organiser is None:
            self.skipped["批次：组织者不在（已删除或未同步）"] += 1
            return
        code = _text(data["code"])
        identifier = city_id(station, code)
        cost = data.get("charter_cost_fen")
        origin = data.get("origin")
        self.batches.append(
            Batch(
                id=identifier,
                organiser=organiser,
                departure=_iso_day(data["departure"]),
                destination_county=_text(data["destination_county"]),
                mode=BatchMode(data["mode"]),
                charter_cost=None if cost is None else int(cost),
                passengers=tuple(self.passengers.get(uuid, ())),
                origin=None if origin is None else _text(origin),
            )
        )
        self.batch_sources[identifier] = Source(station, "batches", uuid, code)
        self.batch_by_uuid[uuid] = identifier

    def gig_record(self, station: str, uuid: str, data: Mapping[str, Any]) -> None:
        organisation = self.organisation_by_uuid.get(str(data["organisation_uuid"]))
        if organisation is None:
            self.skipped["零工记录：所属组织不在（已删除或未同步）"] += 1
            return
        self.gig_records.append(
            GigRecord(organisation, _text(data["worker_id_number"]), _iso_day(data["date"]))
        )

    def claim_batch(self, station: str, uuid: str, data: Mapping[str, Any]) -> None:
        self.claim_batches[(station, _text(data["number"]))] = (
            uuid,
            ClaimState(data["state"]),
            int(data["year"]),
        )

    def claim(self, station: str, uuid: str, data: Mapping[str, Any]) -> None:
        number = data.get("claim_number")
        number = None if number is None else _text(number)
        frozen = self.claim_batches.get((station, number)) if number else None
        if frozen is not None and frozen[1] in _RELEASED_STATES:
            return  # the station released these lines; a late tombstone changes nothing
        year = data.get("year")
        worker = data.get("worker_id_number")
        batch = data.get("batch_uuid")
        self.claim_lines.append(
            CityClaimLine(
                station_id=station,
                uuid=uuid,
                item=int(data["item"]),
                amount=int(data["amount_fen"]),
                year=int(year) if year is not None else (frozen[2] if frozen else None),
                worker=None if worker is None else _text(worker),
                organisation=self.organiser(station, data.get("organisation_uuid")),
                batch=None if batch is None else self.batch_by_uuid.get(str(batch)),
                number=number,
                claim_batch=frozen[0] if frozen else None,
                state=frozen[1] if frozen else None,
            )
        )

    def view(self) -> CityView:
        claims = tuple(
            Claim(
                item=line.item,
                amount=line.amount,
                year=line.year if line.item not in (4, 5) else None,
                worker=line.worker if line.item in (2, 3) else None,
                organisation=line.organisation,
                batch=line.batch,
                claim=city_id(line.station_id, line.number) if line.number else None,
            )
            for line in self.claim_lines
        )
        scenario = Scenario(
            organisations=tuple(self.organisations.values()),
            workers=tuple(entry[2] for entry in self.workers.values()),
            placements=tuple(self.placements),
            batches=tuple(self.batches),
            gig_records=tuple(self.gig_records),
            claims=claims,
        )
        return CityView(
            scenario=scenario,
            organisations=self.organisation_sources,
            placements=self.placement_sources,
            batches=self.batch_sources,
            person_records={number: tuple(refs) for number, refs in self.person_records.items()},
            claim_lines=tuple(self.claim_lines),
            records_read=self.read,
            skipped=dict(self.skipped),
        )


_HANDLERS: dict[str, Callable[[_Builder, str, str, Mapping[str, Any]], None]] = {
    "organisations": _Builder.organisation,
    "workers": _Builder.worker,
    "follow_ups": _Builder.follow_up,
    "placements": _Builder.placement,
    "passengers": _Builder.passenger,
    "batches": _Builder.batch,
    "gig_records": _Builder.gig_record,
    "claim_batches": _Builder.claim_batch,
    "claims": _Builder.claim,
}
_TABLE_LABELS = {
    "organisations": "组织",
    "workers": "人员",
    "follow_ups": "回访",
    "placements": "就业记录",
    "passengers": "乘客",
    "batches": "批次",
    "gig_records": "零工记录",
    "claim_batches": "申领单",
    "claims": "申领明细",
}


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("not text")
    return value


@cache  # a city's records share a few thousand distinct days: parse each once
def _iso_day(text: str) -> date:
    return date.fromisoformat(text)


def _day(value: object) -> date | None:
    return None if value is None else _iso_day(_text(value))


@cache  # and a handful of distinct group lists
def _groups(text: str) -> frozenset[TargetGroup]:
    return frozenset(TargetGroup(group) for group in json.loads(text))


def build_city_view(read: RecordReader) -> CityView:
    """The city's view from a reader of live records (`CityDatabase.live_records`), one table
    at a time in `ANALYSED_TABLES` order, so the records stream and parents come first."""
    builder = _Builder()
    for table in ANALYSED_TABLES:
        for record in read([table]):
            builder.add(record)
    return builder.view()


def view_from_records(records: Iterable[MergedRecord]) -> CityView:
    """The city's view from records in any order (tests, opened bundles)."""
    by_table: dict[str, list[MergedRecord]] = defaultdict(list)
    for record in records:
        by_table[record.table].append(record)

    def read(tables: Iterable[str] | None = None) -> list[MergedRecord]:
        wanted = by_table.keys() if tables is None else tables
        return [record for table in wanted for record in by_table.get(table, ())]

    return build_city_view(read)


# -- the policy the city computes with -------------------------------------------------------
def shipped_policy_dir() -> Path:
    """`resources/policy/` inside the installed package, or in the source checkout."""
    package = Path(zwdesk.__file__).resolve().parent
    installed = package / "resources" / "policy"
    return installed if installed.is_dir() else package.parent / "resources" / "policy"


def city_schedule(database: PolicySource | None = None) -> PolicySchedule:
    """The shipped parameter files, and the ones the city published (a published file replaces
    a shipped one with the same effective date)."""
    by_start: dict[date, ParameterSet] = {}
    for path in sorted(shipped_policy_dir().glob("*.toml")):
        parameters = _parameter_file(path.read_bytes(), path.name)
        by_start[parameters.effective_from] = parameters
    for update in database.policy_updates() if database is not None else ():
        parameters = _parameter_file(update.content, update.name)
        by_start[parameters.effective_from] = parameters
    return PolicySchedule(by_start.values())


def _parameter_file(content: bytes, name: str) -> ParameterSet:
    try:
        data = tomllib.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise PolicyParameterError(f"政策参数文件 {name} 不是有效的 TOML：{error}") from None
    return parse_parameter_set(data, name)
