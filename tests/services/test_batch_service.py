"""BatchService: a departure, scanned passengers, and the engine's verdict at 10 and 35."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.services.station_builders import BROKER, person, station_database
from zwdesk.domain.model import Scenario
from zwdesk.services.batch_service import BatchService
from zwdesk.services.station_scenario_service import import_scenario
from zwdesk.services.station_service import StationInputError
from zwdesk.storage.database import StationDatabase

PEOPLE = [person(100 + number) for number in range(40)]
OUTSIDER = person(999, county="110101")  # Beijing hukou: not eligible


@pytest.fixture
def database(tmp_path: Path) -> Iterator[StationDatabase]:
    database = station_database(tmp_path / "station.db", stable=0, awaiting=0, ours=BROKER)
    import_scenario(database, Scenario(workers=(*PEOPLE, OUTSIDER)), actor="测试")
    yield database
    database.close()


def audit_tables(database: StationDatabase) -> list[tuple[str, str, str]]:
    return database.connection.execute(
        "SELECT actor, operation, table_name FROM audit_log WHERE actor = '王经办' ORDER BY id"
    ).fetchall()


def test_charter_needs_35_eligible_passengers(database: StationDatabase) -> None:
    service = BatchService(database, actor="王经办")
    assert [org.id for org in service.organisers()] == ["B1"]
    batch = service.create_batch(
        date(2025, 3, 1),
        "320506",
        "charter",
        organiser="B1",
        origin="640521",
        charter_cost=1_200_000,
    )
    assert batch.id == "PD20250301-1"
    for worker in PEOPLE[:34]:
        batch = service.add_passenger(batch.id, worker.id_number.lower())
    batch = service.add_passenger(batch.id, OUTSIDER.id_number)
    verdict = service.evaluate(batch)
    assert (verdict.eligible, verdict.kind, verdict.amount) == (34, "none", 0)
    assert verdict.kind_label == "不予补贴"
    batch = service.add_passenger(batch.id, PEOPLE[34].id_number)
    verdict = service.evaluate(batch)
    assert (verdict.eligible, verdict.kind, verdict.amount) == (35, "charter", 1_200_000)
    assert (verdict.fare_min_passengers, verdict.charter_min_passengers) == (10, 35)
    assert audit_tables(database)[:2] == [
        ("王经办", "insert", "batches"),
        ("王经办", "insert", "passengers"),
    ]


def test_fares_with_receipts_are_reimbursed_from_ten(database: StationDatabase) -> None:
    service = BatchService(database, actor="王经办")
    batch = service.create_batch(date(2025, 4, 2), "320506", "tickets", organiser="B1")
    for worker in PEOPLE[:10]:
        batch = service.add_passenger(batch.id, worker.id_number, 35_050, "R1")
    assert service.evaluate(batch).amount == 350_500
    batch = service.update_passenger(batch.id, PEOPLE[0].id_number, 35_050, "")
    verdict = service.evaluate(batch)
    assert (verdict.kind, verdict.amount) == ("fare", 315_450)
    batch = service.remove_passenger(batch.id, PEOPLE[0].id_number)
    assert service.evaluate(batch).kind == "none"
    assert len(batch.passengers) == 9


def test_bad_input_is_refused_and_nothing_is_written(database: StationDatabase) -> None:
    service = BatchService(database, actor="王经办")
    with pytest.raises(StationInputError, match="包车费用"):
        service.create_batch(date(2025, 3, 1), "320506", "charter", organiser="B1")
    batch = service.create_batch(date(2025, 3, 1), "320506", "tickets", organiser="B1")
    before = len(audit_tables(database))
    with pytest.raises(StationInputError, match="身份证号"):
        service.add_passenger(batch.id, "123")
    service.add_passenger(batch.id, PEOPLE[0].id_number)
    with pytest.raises(StationInputError, match="已在本批次名单中"):
        service.add_passenger(batch.id, PEOPLE[0].id_number)
    unknown = person(5000).id_number
    with pytest.raises(StationInputError, match="未登记"):
        service.add_passenger(batch.id, unknown)
    assert len(audit_tables(database)) == before + 1
