"""A station database with N stable placements and a few awaiting follow-up, for subsidy tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from zwdesk.domain.model import Organisation, OrganisationKind, Placement, Scenario, Worker
from zwdesk.domain.resident_id import make_resident_id
from zwdesk.services.station_scenario_service import import_scenario
from zwdesk.storage.database import StationDatabase, open_station_database
from zwdesk.storage.organisation_repository import OrganisationRepository

STATION = Organisation("T1", OrganisationKind.STATION, "海原县驻苏州劳务工作站", "640522")
BROKER = Organisation("B1", OrganisationKind.BROKER, "宏达劳务", "640521")
AS_OF = date(2025, 7, 1)


def person(sequence: int, county: str = "640522", **changes: object) -> Worker:
    values: dict[str, object] = {
        "id_number": make_resident_id(county, date(1980, 1, 1 + sequence % 28), sequence),
        "name": f"马{sequence}",
        "hukou_county": county,
        "rural": True,
    }
    values.update(changes)
    return Worker(**values)  # type: ignore[arg-type]


def station_database(
    path: Path, stable: int, awaiting: int, ours: Organisation = STATION
) -> StationDatabase:
    """`stable` workers proven stable for 3 months in 2025, and `awaiting` whose 3-month date
    (2025-05-31) has passed without a follow-up; all placed by T1 in 江苏省吴中区."""
    workers = [person(number) for number in range(1, stable + awaiting + 1)]
    placements = [
        Placement(
            id=f"P{index + 1}",
            worker=worker.id_number,
            organiser="T1",
            employer="某电子厂",
            work_county="320506",
            start=date(2025, 3, 1),
            verified_through=date(2025, 6, 1) if index < stable else None,
            monthly_wage=420000,
        )
        for index, worker in enumerate(workers)
    ]
    database = open_station_database(path)
    import_scenario(
        database,
        Scenario(
            organisations=(STATION, BROKER),
            workers=tuple(workers),
            placements=tuple(placements),
        ),
        actor="测试",
    )
    with database.transaction("测试"):
        OrganisationRepository(database).set_station_profile(ours)
    return database
