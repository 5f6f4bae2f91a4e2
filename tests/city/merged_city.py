"""Builders for city-wide tests: real station databases filled through the services, enrolled
with a real city database, their bundles taken in by the real intake (CityIntake)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

import keyring

from tests.sync.conftest import MemoryKeyring
from zwdesk.city.commands import add_station
from zwdesk.city.database import CityDatabase
from zwdesk.city.intake import VIA_FILE, CityIntake
from zwdesk.city.keys import load_city_keys
from zwdesk.domain.claims import ClaimState, FrozenClaim
from zwdesk.domain.model import (
    Claim,
    Organisation,
    OrganisationKind,
    Placement,
    Scenario,
    TargetGroup,
    Worker,
)
from zwdesk.domain.policy.parameters import PolicySchedule
from zwdesk.domain.resident_id import make_resident_id
from zwdesk.services.claim_service import ClaimService
from zwdesk.services.station_scenario_service import import_scenario
from zwdesk.services.sync_service import SyncService
from zwdesk.storage.database import open_station_database
from zwdesk.sync.enrolment import read_enrolment_file

YEAR_END = date(2025, 12, 31)
HAIYUAN, ZHONGNING, SHAPOTOU = "640522", "640521", "640502"
SUZHOU, SHENZHEN = "320506", "440305"


def id_number(n: int, county: str = HAIYUAN) -> str:
    """A valid ID number, different for every n (birth day and sequence both follow n)."""
    return make_resident_id(county, date(1970, 1, 1) + timedelta(days=n), n % 1000)


def worker(
    n: int,
    name: str = "",
    county: str = HAIYUAN,
    *,
    rural: bool = True,
    resident: str | None = None,
    groups: Iterable[TargetGroup] = (),
) -> Worker:
    return Worker(
        id_number(n, county),
        name or f"张{n:03d}花",
        county,
        resident_county=resident,
        rural=rural,
        groups=frozenset(groups),
    )


def job(
    code: str,
    who: Worker,
    organiser: str | None,
    start: date,
    *,
    county: str = SUZHOU,
    employer: str = "苏州某电子厂",
    verified: date | None = None,
    end: date | None = None,
    wage_yuan: int = 4200,
    contract: bool = True,
    insured: bool = True,
) -> Placement:
    """A placement; `verified` becomes a 在岗 follow-up when the scenario is imported."""
    return Placement(
        id=code,
        worker=who.id_number,
        organiser=organiser,
        work_county=county,
        start=start,
        end=end,
        verified_through=verified,
        employer=employer,
        contract=contract,
        contract_start=start if contract else None,
        social_insurance=insured,
        monthly_wage=wage_yuan * 100,
    )


def station_org(code: str, county: str = HAIYUAN, name: str = "") -> Organisation:
    return Organisation(code, OrganisationKind.STATION, name or f"{code}驻外劳务工作站", county)


def broker(code: str, county: str = HAIYUAN, name: str = "") -> Organisation:
    return Organisation(code, OrganisationKind.BROKER, name or f"{code}劳务中介", county)


@dataclass
class CityUnderTest:
    """A city database with its intake, and the stations sending to it."""

    root: Path
    target: str | Path | None = None  # the city database: a postgresql:// URL, else a file
    schedule: PolicySchedule | None = None
    database: CityDatabase = field(init=False)
    intake: CityIntake = field(init=False)
    stations: dict[str, Path] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.database = CityDatabase(self.target or self.root / "city.db")
        self.intake = CityIntake(self.database, load_city_keys(create=True))

    def close(self) -> None:
        self.database.close()

    def add_station(self, station_id: str, scenario: Scenario) -> Path:
        """A new station database holding `scenario`, enrolled and registered with the city."""
        enrolment = self.root / f"{station_id}.enrol.json"
        add_station(self.database, station_id, f"{station_id} 工作站", "http://city/", enrolment)
        path = self.root / f"{station_id}.db"
        with open_station_database(path) as database:
            import_scenario(database, scenario, actor="测试")
            result = SyncService(database).enrol(enrolment)
        token = read_enrolment_file(enrolment).token
        self.database.register(station_id, token, result.station_public_key)
        self.stations[station_id] = path
        return path

    def claim(
        self,
        station_id: str,
        item: int,
        organisation: str,
        *,
        year: int | None = 2025,
        as_of: date = YEAR_END,
        excluded: Sequence[str] = (),
        state: ClaimState | None = None,
    ) -> tuple[FrozenClaim, str]:
        """Freeze a claim at a station (moved on to `state`); returns it and its record UUID."""
        with open_station_database(self.stations[station_id]) as database:
            service = ClaimService(database, actor="测试员", schedule=self.schedule)
            draft = service.draft(item, organisation, year=year, as_of=as_of)
            frozen = service.freeze(draft, {subject: "测试排除" for subject in excluded})
            if state is not None:
                _advance(service, frozen.number, state, self.root)
            uuid = database.connection.execute(
                "SELECT uuid FROM claim_batches WHERE number = ?", (frozen.number,)
            ).fetchone()[0]
        return frozen, str(uuid)

    def cancel(self, station_id: str, number: str) -> None:
        with open_station_database(self.stations[station_id]) as database:
            ClaimService(database, actor="测试员", schedule=self.schedule).cancel(
                number, "市里比对：重复申领"
            )

    def send(self, *station_ids: str) -> None:
        """Each station's changes since its last bundle, through the city's intake."""
        for station_id in station_ids or tuple(self.stations):
            with open_station_database(self.stations[station_id]) as database:
                data = SyncService(database).build().data
            self.intake.receive(data, via=VIA_FILE)


def _advance(service: ClaimService, number: str, state: ClaimState, root: Path) -> None:
    path = [ClaimState.PRINTED, ClaimState.SIGNED, ClaimState.SUBMITTED, ClaimState.PAID]
    scan = root / "签字页.png"
    scan.write_bytes(b"\x89PNG signed pages")
    for step in path[: path.index(state) + 1]:
        service.set_state(number, step, attachment=scan if step is ClaimState.SIGNED else None)


def scenario(
    organisations: Iterable[Organisation],
    workers: Iterable[Worker],
    placements: Iterable[Placement],
    claims: Iterable[Claim] = (),
) -> Scenario:
    unique = {item.id_number: item for item in workers}
    return Scenario(
        organisations=tuple(organisations),
        workers=tuple(unique.values()),
        placements=tuple(placements),
        claims=tuple(claims),
    )


def renamed(who: Worker, name: str) -> Worker:
    return replace(who, name=name)


@contextmanager
def own_keyring() -> Iterator[None]:
    """An in-memory keychain for a module-scoped city (the autouse one is per test)."""
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)
