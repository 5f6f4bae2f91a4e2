"""Repositories: domain objects in and out, tombstones, change numbers, audit log, upserts."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from zwdesk.domain.model import (
    Batch,
    BatchMode,
    Claim,
    FollowUp,
    FollowUpMethod,
    FollowUpResult,
    GigRecord,
    Passenger,
    verified_through,
)
from zwdesk.storage.batch_repository import BatchRepository
from zwdesk.storage.claim_repository import ClaimRepository
from zwdesk.storage.database import StationDatabase
from zwdesk.storage.errors import RecordNotFoundError
from zwdesk.storage.gig_repository import GigRepository
from zwdesk.storage.organisation_repository import OrganisationRepository
from zwdesk.storage.placement_repository import PlacementRepository
from zwdesk.storage.records import UpsertCounts
from zwdesk.storage.worker_repository import WorkerRepository

from .conftest import BROKER, STATION, placement, worker


def audit(database: StationDatabase) -> list[tuple[str, str, str, dict | None, dict | None, int]]:
    rows = database.connection.execute(
        "SELECT actor, operation, table_name, old, new, change_number FROM audit_log ORDER BY id"
    )
    return [
        (actor, op, table, json.loads(old) if old else None, json.loads(new) if new else None, n)
        for actor, op, table, old, new, n in rows
    ]


def change_number(database: StationDatabase, table: str, where: str) -> int:
    row = database.connection.execute(f"SELECT change_number FROM {table} WHERE {where}")
    return int(row.fetchone()[0])


def test_worker_round_trip_search_and_tombstone(database: StationDatabase) -> None:
    workers = WorkerRepository(database)
    people = [worker(n) for n in range(1, 6)] + [worker(6, name="丁明花", phone="13900000000")]
    with database.transaction("李四"):
        assert workers.upsert(people) == UpsertCounts(created=6)
    assert workers.get(people[5].id_number) == people[5]
    assert workers.find_by_id_prefix(people[0].id_number[:14]) == [people[0]]
    assert len(workers.find_by_id_prefix("640522")) == 6
    assert workers.find_by_name_prefix("丁明") == [people[5]]
    assert workers.find_by_name_prefix("马") == sorted(people[:5], key=lambda w: w.name)
    assert workers.find_by_name_prefix("") == []
    gender = database.connection.execute("SELECT gender FROM workers WHERE id = 1").fetchone()[0]
    assert gender == ("男" if int(people[0].id_number[16]) % 2 else "女")

    with database.transaction("王五"):
        workers.delete(people[5].id_number)
    assert workers.get(people[5].id_number) is None
    assert workers.find_by_name_prefix("丁") == []
    assert workers.count() == 5
    row = database.connection.execute(
        "SELECT deleted_at, change_number FROM workers WHERE id_number = ?", (people[5].id_number,)
    ).fetchone()
    assert row[0] is not None and row[1] == 7  # the tombstone stays, with a new change number
    *_, last = audit(database)
    assert last[:3] == ("王五", "delete", "workers") and last[4] is None and last[5] == 7
    with pytest.raises(RecordNotFoundError), database.transaction():
        workers.delete(people[5].id_number)

    with database.transaction("李四"):  # adding the same person again revives the tombstone
        assert workers.upsert([people[5]]) == UpsertCounts(updated=1)
    assert workers.get(people[5].id_number) == people[5]


def test_change_numbers_rise_with_every_write_and_audit_says_what_changed(
    database: StationDatabase,
) -> None:
    workers = WorkerRepository(database)
    person = worker(1)
    with database.transaction("甲"):
        workers.upsert([person])
    first = change_number(database, "workers", "id = 1")
    with database.transaction("乙"):
        assert workers.update(replace(person, name="马一改", rural=False))
    second = change_number(database, "workers", "id = 1")
    assert second > first
    with database.transaction("丙"):
        assert not workers.update(replace(person, name="马一改", rural=False))  # no change
    assert change_number(database, "workers", "id = 1") == second
    entries = audit(database)
    assert [entry[:3] for entry in entries] == [
        ("甲", "insert", "workers"),
        ("乙", "update", "workers"),
    ]
    assert entries[1][3] == {"name": "马1", "rural": 1}
    assert entries[1][4] == {"name": "马一改", "rural": 0}
    uuids = database.connection.execute("SELECT DISTINCT record_uuid FROM audit_log").fetchall()
    assert uuids == [(WorkerRepository(database).uuid_of(person.id_number),)]


def test_worker_upsert_is_idempotent_and_keeps_a_known_phone(database: StationDatabase) -> None:
    workers = WorkerRepository(database)
    people = [worker(n, phone="1390000000" + str(n)) for n in range(1, 4)]
    with database.transaction():
        assert workers.upsert(people) == UpsertCounts(3, 0, 0)
    audit_before = len(audit(database))
    roster = [replace(person, phone=None) for person in people]  # a roster without phones
    with database.transaction():
        assert workers.upsert(roster) == UpsertCounts(0, 0, 3)
    assert len(audit(database)) == audit_before
    assert workers.get(people[0].id_number) == people[0]
    with database.transaction():
        counts = workers.upsert([replace(people[0], name="新名"), people[1], worker(4)])
    assert counts == UpsertCounts(created=1, updated=1, unchanged=1)


@pytest.fixture
def staffed(database: StationDatabase) -> StationDatabase:
    with database.transaction("建站"):
        OrganisationRepository(database).set_station_profile(STATION, contact="0955-1234567")
        OrganisationRepository(database).upsert([BROKER])
        WorkerRepository(database).upsert([worker(n) for n in range(1, 4)])
    return database


def test_station_profile_and_organisations(staffed: StationDatabase) -> None:
    organisations = OrganisationRepository(staffed)
    assert organisations.station_profile() == STATION
    assert organisations.contact("T1") == "0955-1234567"
    assert organisations.all() == [STATION, BROKER]
    with staffed.transaction():
        assert organisations.upsert([STATION, BROKER]) == UpsertCounts(unchanged=2)
        organisations.set_station_profile(BROKER)
    assert organisations.station_profile() == BROKER
    assert organisations.contact("T1") == "0955-1234567"


def test_placement_upsert_by_natural_key_is_idempotent(staffed: StationDatabase) -> None:
    placements = PlacementRepository(staffed)
    person = worker(1)
    roster = [
        placement(person, "R-1", verified_through=date(2025, 6, 30)),
        placement(worker(2), "R-2", organiser=None, end=date(2025, 5, 1)),
    ]
    with staffed.transaction("导入员"):
        assert placements.upsert(roster) == UpsertCounts(created=2)
    with staffed.transaction("导入员"):
        assert placements.upsert(roster) == UpsertCounts(unchanged=2)
    # The same job under another row number of a later roster: matched, its code kept.
    later = replace(roster[0], id="R2-7", verified_through=date(2025, 9, 30), monthly_wage=450000)
    with staffed.transaction("导入员"):
        assert placements.upsert([later]) == UpsertCounts(updated=1)
        assert placements.upsert([replace(later, verified_through=date(2025, 7, 1))]) == (
            UpsertCounts(unchanged=1)  # an older proof never lowers verified_through
        )
    stored = placements.get("R-1")
    assert stored == replace(later, id="R-1")
    assert [f.date for f in placements.follow_ups("R-1")] == [date(2025, 6, 30), date(2025, 9, 30)]
    assert placements.all()[0] == stored
    assert placements.for_worker(person.id_number) == [stored]


def test_placement_upsert_needs_known_worker_and_organiser(staffed: StationDatabase) -> None:
    placements = PlacementRepository(staffed)
    with pytest.raises(RecordNotFoundError, match=r"640522\*+"), staffed.transaction():
        placements.upsert([placement(worker(50))])
    with pytest.raises(RecordNotFoundError, match="组织X9"), staffed.transaction():
        placements.upsert([placement(worker(1), organiser="X9")])


def test_verified_through_comes_from_latest_employed_follow_up(staffed: StationDatabase) -> None:
    placements = PlacementRepository(staffed)
    with staffed.transaction():
        code = placements.add(placement(worker(1)))
    assert placements.get(code).verified_through is None  # type: ignore[union-attr]
    with staffed.transaction("回访员"):
        for day, result in [
            (date(2025, 5, 1), FollowUpResult.EMPLOYED),
            (date(2025, 8, 1), FollowUpResult.EMPLOYED),
            (date(2025, 9, 1), FollowUpResult.LEFT),
        ]:
            placements.add_follow_up(
                FollowUp("", code, day, FollowUpMethod.PHONE, result, who="回访员")
            )
    follow_ups = placements.follow_ups(code)
    assert placements.get(code).verified_through == date(2025, 8, 1)  # type: ignore[union-attr]
    assert placements.all()[0].verified_through == verified_through(follow_ups)
    with staffed.transaction():
        placements.delete_follow_up(follow_ups[1].id)
    assert placements.get(code).verified_through == date(2025, 5, 1)  # type: ignore[union-attr]
    with staffed.transaction():
        placements.delete(code)
    assert placements.get(code) is None and placements.all() == []


def test_batches_gig_records_and_claims(staffed: StationDatabase) -> None:
    batch = Batch(
        "C1",
        "B1",
        date(2025, 2, 20),
        "650102",
        BatchMode.TICKETS,
        passengers=(Passenger(worker(1).id_number, 35050, "R001"), Passenger(worker(2).id_number)),
        origin="640521",
    )
    gigs = [GigRecord("B1", worker(9).id_number, date(2025, 5, 2))]
    claims = [
        Claim(5, 35050, 2025, batch="C1", claim="2025-B1-001"),
        Claim(2, 20000, 2025, worker(1).id_number),
    ]
    with staffed.transaction():
        BatchRepository(staffed).add(batch)
        GigRepository(staffed).add(gigs)
        ClaimRepository(staffed).add(claims)
    assert BatchRepository(staffed).get("C1") == batch
    assert BatchRepository(staffed).all() == [batch]
    assert GigRepository(staffed).all() == gigs
    assert ClaimRepository(staffed).all() == claims
    with staffed.transaction():
        BatchRepository(staffed).delete("C1")
    assert BatchRepository(staffed).all() == []
