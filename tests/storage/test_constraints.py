"""The schema itself rejects bad rows (CHECK, UNIQUE, FOREIGN KEY), whatever code writes them."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from zwdesk.storage.database import StationDatabase

SYNC = {
    "uuid": "00000000-0000-4000-8000-00000000000{n}",
    "change_number": 1,
    "created_at": "2025-01-01T00:00:00",
    "updated_at": "2025-01-01T00:00:00",
}
GOOD = {
    "organisations": {"code": "T1", "kind": "station", "name": "站", "county": "640522"},
    "workers": {
        "id_number": "640522198001010012",
        "name": "马一",
        "hukou_county": "640522",
        "rural": 1,
        "groups": "[]",
    },
    "placements": {
        "code": "P1",
        "worker_id": 1,
        "organiser_id": 1,
        "work_county": "320506",
        "start_date": "2025-03-01",
        "end_date": "2025-09-01",
        "contract_start": "2025-03-01",
        "contract_end": "2026-03-01",
        "monthly_wage_fen": 300000,
    },
    "follow_ups": {"placement_id": 1, "date": "2025-06-01", "method": "电话", "result": "在岗"},
    "batches": {
        "code": "C1",
        "organiser_id": 1,
        "departure": "2025-02-20",
        "destination_county": "650102",
        "mode": "charter",
        "charter_cost_fen": 4200000,
    },
    "passengers": {"batch_id": 1, "worker_id": 1, "fare_fen": 0},
    "gig_records": {
        "organisation_id": 1,
        "worker_id_number": "640522198001010012",
        "date": "2025-05-02",
    },
    "claims": {"item": 2, "amount_fen": 20000, "year": 2025, "worker_id_number": None},
}


def insert(database: StationDatabase, table: str, number: int, **changes: Any) -> None:
    row = {**GOOD[table], **SYNC, **changes}
    row["uuid"] = str(row["uuid"]).format(n=number)
    columns = ", ".join(row)
    database.connection.execute(
        f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(row))})",
        list(row.values()),
    )


@pytest.fixture
def filled(database: StationDatabase) -> StationDatabase:
    for number, table in enumerate(GOOD, start=1):
        insert(database, table, number)
    return database


BAD_ROWS = [
    ("organisations", {"kind": "bank"}),
    ("organisations", {"county": "6405"}),
    ("organisations", {"name": "  "}),
    ("workers", {"id_number": "64052219800101001"}),  # 17 characters
    ("workers", {"id_number": "64052219800101001Y"}),
    ("workers", {"hukou_county": None}),
    ("workers", {"rural": 2}),
    ("workers", {"groups": "not json"}),
    ("workers", {"gender": "M"}),
    ("placements", {"worker_id": 99}),  # no such worker
    ("placements", {"organiser_id": 99}),
    ("placements", {"end_date": "2025-02-28"}),  # before start
    ("placements", {"contract_end": "2025-01-01"}),
    ("placements", {"start_date": "2025-02-30"}),
    ("placements", {"start_date": "2025/03/01"}),
    ("placements", {"monthly_wage_fen": -1}),
    ("placements", {"contract": 3}),
    ("follow_ups", {"method": "微信"}),
    ("follow_ups", {"result": "失业"}),
    ("follow_ups", {"placement_id": 99}),
    ("batches", {"mode": "train"}),
    ("batches", {"charter_cost_fen": None}),  # a charter needs its cost
    ("batches", {"charter_cost_fen": -100}),
    ("passengers", {"fare_fen": -1}),
    ("passengers", {"batch_id": 99}),
    ("gig_records", {"worker_id_number": "123"}),
    ("gig_records", {"organisation_id": 99}),
    ("claims", {"item": 7}),
    ("claims", {"amount_fen": -5}),
    ("claims", {"batch_id": 99}),
    ("claims", {"uuid": "short"}),
    ("claims", {"change_number": 0}),
]


@pytest.mark.parametrize(("table", "changes"), BAD_ROWS)
def test_bad_row_is_rejected(filled: StationDatabase, table: str, changes: dict[str, Any]) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        insert(filled, table, 9, **changes)


def test_good_rows_are_accepted(filled: StationDatabase) -> None:
    assert filled.connection.execute("SELECT count(*) FROM passengers").fetchone()[0] == 1


def test_id_number_and_live_natural_key_are_unique(filled: StationDatabase) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        insert(filled, "workers", 9)
    with pytest.raises(sqlite3.IntegrityError):
        insert(filled, "placements", 9, code="P2")  # same worker, employer and start
    filled.connection.execute("UPDATE placements SET deleted_at = '2025-07-01' WHERE id = 1")
    insert(filled, "placements", 9, code="P2")  # a tombstone is outside the key
