"""Storage fixtures: a real SQLite file in a temporary directory, and small valid facts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from zwdesk.domain.model import Organisation, OrganisationKind, Placement, TargetGroup, Worker
from zwdesk.domain.resident_id import make_resident_id
from zwdesk.storage.database import StationDatabase, open_station_database


@pytest.fixture
def database_path(tmp_path: Path) -> Path:
    return tmp_path / "station.db"


@pytest.fixture
def database(database_path: Path) -> Iterator[StationDatabase]:
    with open_station_database(database_path) as opened:
        yield opened


def worker(sequence: int = 1, **changes: object) -> Worker:
    values: dict[str, object] = {
        "id_number": make_resident_id("640522", date(1980, 1, 1 + sequence % 28), sequence),
        "name": f"马{sequence}",
        "hukou_county": "640522",
        "rural": True,
        "groups": frozenset({TargetGroup.POVERTY_RELIEVED}),
    }
    values.update(changes)
    return Worker(**values)  # type: ignore[arg-type]


STATION = Organisation("T1", OrganisationKind.STATION, "海原县驻苏州劳务工作站", "640522")
BROKER = Organisation("B1", OrganisationKind.BROKER, "宏达劳务", "640521")


def placement(person: Worker, code: str = "P1", **changes: object) -> Placement:
    values: dict[str, object] = {
        "id": code,
        "worker": person.id_number,
        "organiser": "T1",
        "employer": "某电子厂",
        "work_county": "320506",
        "start": date(2025, 3, 1),
        "monthly_wage": 420000,
    }
    values.update(changes)
    return Placement(**values)  # type: ignore[arg-type]


def dump(database: StationDatabase) -> list[str]:
    """Every statement needed to rebuild the database: compared before/after a failed write."""
    return list(database.connection.iterdump())
