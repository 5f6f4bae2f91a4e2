"""The city database itself: schema upgrade, merged records, conflicts and policy updates."""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from typing import Any

import psycopg
import pytest

from zwdesk.city import city_sql
from zwdesk.city.database import SCHEMA_VERSION, CityDatabase, is_postgres_url
from zwdesk.city.errors import CityDatabaseError, CityError
from zwdesk.city.records import (
    CONFLICT_GONE,
    CONFLICT_OPEN,
    CONFLICT_RESOLVED,
    CityConflict,
    PolicyUpdateRow,
    RecordRef,
    StationNotice,
)
from zwdesk.sync.bundle import AUDIT_TABLE, BundleRecord
from zwdesk.sync.manifest import BundleManifest

WORKER_A = "00000000-0000-4000-8000-00000000000a"
WORKER_B = "00000000-0000-4000-8000-00000000000b"
PLACEMENT = "00000000-0000-4000-8000-0000000000c1"
ID_A = "640502199001011234"


def add_stations(database: CityDatabase, *station_ids: str) -> None:
    for station_id in station_ids:
        database.add_station(station_id, f"{station_id} 工作站", "http://127.0.0.1/", station_id)


def manifest_for(station_id: str, records: list[BundleRecord], change_to: int) -> BundleManifest:
    counts: dict[str, int] = {}
    for entry in records:
        counts[entry.table] = counts.get(entry.table, 0) + 1
    return BundleManifest(
        bundle_id=str(uuid.uuid4()),
        station_id=station_id,
        change_from=1,
        change_to=change_to,
        counts=counts,
        payload_sha256="0" * 64,
        payload_bytes=1,
        recipient="key",
        app_version="test",
        policy_version="test",
        created_at="2025-06-01T00:00:00+00:00",
    )


def store(
    database: CityDatabase, station_id: str, records: list[BundleRecord], change_to: int
) -> str:
    """Merge `records` as one bundle of `station_id`; returns the bundle id."""
    manifest = manifest_for(station_id, records, change_to)
    database.store_bundle(
        manifest, records, sealed_sha256="1" * 64, size=1, via="file", receipt_for=lambda _: b"r"
    )
    return manifest.bundle_id


def worker(uuid_: str, change: int, name: str, *, deleted: bool = False) -> BundleRecord:
    record: dict[str, Any] = {
        "uuid": uuid_,
        "change_number": change,
        "id_number": ID_A if uuid_ == WORKER_A else "640502199202022345",
        "name": name,
        "deleted_at": "2025-06-02T00:00:00+00:00" if deleted else None,
    }
    return BundleRecord("workers", record)


def conflict(key: str, message: str, *refs: RecordRef, year: int | None = 2025) -> CityConflict:
    return CityConflict(key=key, kind="item2-twice", year=year, message=message, refs=refs)


# -- schema ---------------------------------------------------------------------------------
def run_sql(target: str, *statements: str) -> list[Any]:
    """Run statements straight on the database (as an older zwdesk or another program would);
    returns the last one's first row."""
    row: list[Any] = []
    if is_postgres_url(target):
        with psycopg.connect(target, autocommit=True) as connection:
            for statement in statements:
                cursor = connection.execute(statement)
                row = list(cursor.fetchone() or ()) if cursor.description else []
        return row
    with closing(sqlite3.connect(target, isolation_level=None)) as connection:
        for statement in statements:
            row = list(connection.execute(statement).fetchone() or ())
    return row


def set_schema_version(target: str, version: int) -> None:
    if is_postgres_url(target):
        run_sql(target, f"UPDATE zwdesk_meta SET value = '{version}'")
    else:
        run_sql(target, f"PRAGMA user_version = {version}")


def schema_version(target: str) -> int:
    if is_postgres_url(target):
        return int(run_sql(target, "SELECT value FROM zwdesk_meta")[0])
    return int(run_sql(target, "PRAGMA user_version")[0])


def test_a_version_1_database_is_upgraded_in_place_and_keeps_its_data(city_target: str) -> None:
    with CityDatabase(city_target) as database:
        add_stations(database, "T1")
        store(database, "T1", [worker(WORKER_A, 1, "张三")], 1)
    # What zwdesk with schema version 1 left behind: no conflicts, no policy updates.
    run_sql(city_target, "DROP TABLE conflict_refs", "DROP TABLE conflicts")
    run_sql(city_target, "DROP TABLE policy_updates")
    set_schema_version(city_target, 1)

    with CityDatabase(city_target) as upgraded:
        assert schema_version(city_target) == SCHEMA_VERSION == 3
        assert [record.data["name"] for record in upgraded.live_records()] == ["张三"]
        assert upgraded.counts()["persons"] == 1
        upgraded.replace_conflicts([conflict("k1", "重复", RecordRef("T1", "workers", WORKER_A))])
        assert [row.conflict.key for row in upgraded.conflicts()] == ["k1"]


def test_a_version_2_sqlite_database_keeps_its_rows_without_the_json_check(
    tmp_path: Any,
) -> None:
    """Version 3 rebuilds the two JSON tables without CHECK (json_valid): rows, keys and
    indexes stay, and merging goes on as before."""
    path = tmp_path / "city.db"
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        for version in (1, 2):  # what zwdesk with schema version 2 built
            for statement in city_sql.migration(version, city_sql.SQLITE):
                connection.execute(statement)
        connection.execute("PRAGMA user_version = 2")
        connection.execute(
            "INSERT INTO stations (id, name, city_url, token_sha256, created_at)"
            " VALUES ('T1', 'T1 工作站', 'http://127.0.0.1/', ?, '2025-06-01')",
            ("0" * 64,),
        )
        connection.execute(
            "INSERT INTO bundles VALUES ('b1', 'T1', 1, 1, ?, ?, 2, 1, x'00', '2025-06-01',"
            " 'file')",
            ("0" * 64, "1" * 64),
        )
        connection.execute(
            "INSERT INTO records VALUES ('workers', ?, 'T1', 1, 0, ?, 'b1')",
            (WORKER_A, json.dumps({"name": "张三", "uuid": WORKER_A}, ensure_ascii=False)),
        )
        connection.execute("INSERT INTO audit_entries VALUES ('T1', 7, 1, '{\"id\":7}', 'b1')")
        with pytest.raises(sqlite3.IntegrityError):  # version 2 checked the JSON
            connection.execute("INSERT INTO audit_entries VALUES ('T1', 8, 1, 'not json', 'b1')")

    with CityDatabase(path) as database:
        assert schema_version(str(path)) == SCHEMA_VERSION == 3
        assert [record.data["name"] for record in database.live_records()] == ["张三"]
        assert database.counts()["audit_entries"] == 1
        store(database, "T1", [worker(WORKER_A, 2, "张三丰")], 2)
        assert [record.data["name"] for record in database.live_records()] == ["张三丰"]
    with closing(sqlite3.connect(path)) as connection:
        tables = dict(
            connection.execute(
                "SELECT name, sql FROM sqlite_schema WHERE name IN ('records', 'audit_entries')"
            ).fetchall()
        )
        indexes = {
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'records'"
            )
        }
    assert set(tables) == {"records", "audit_entries"}
    assert not any("json_valid" in sql for sql in tables.values())
    assert "records_bundle" in indexes
    assert "records_station" not in indexes  # read by no query


def test_a_database_from_a_newer_zwdesk_is_refused(city_target: str) -> None:
    CityDatabase(city_target).close()
    set_schema_version(city_target, SCHEMA_VERSION + 1)
    with pytest.raises(CityDatabaseError, match="更新版本"):
        CityDatabase(city_target)


def test_a_database_holding_other_tables_is_not_taken_over(city_target: str) -> None:
    run_sql(city_target, "CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    with pytest.raises(CityDatabaseError, match="不是市里数据库（已有其他数据表）"):
        CityDatabase(city_target)
    assert run_sql(city_target, "SELECT count(*) FROM invoices") == [0]


def test_two_processes_opening_a_new_database_at_once_create_it_once(city_target: str) -> None:
    with ThreadPoolExecutor(4) as pool:
        opened = list(pool.map(lambda _: CityDatabase(city_target), range(4)))
    for number, database in enumerate(opened):
        add_stations(database, f"S{number}")
        database.close()
    with CityDatabase(city_target) as database:
        assert database.counts()["stations"] == 4


def test_the_same_bundle_stored_at_once_twice_is_merged_once(city_db: CityDatabase) -> None:
    add_stations(city_db, "T1")
    manifest = manifest_for("T1", [worker(WORKER_A, 1, "张三")], 1)
    barrier = threading.Barrier(2)

    def receipt(_: BundleManifest) -> bytes:
        return f"receipt signed in thread {threading.get_ident()}".encode()

    def store_once(_: int) -> tuple[bytes, bool]:
        barrier.wait(timeout=10)
        row, stored = city_db.store_bundle(
            manifest,
            [worker(WORKER_A, 1, "张三")],
            sealed_sha256="1" * 64,
            size=1,
            via="http",
            receipt_for=receipt,
        )
        return row.receipt, stored

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(store_once, range(2)))
    assert sorted(stored for _, stored in results) == [False, True]
    assert results[0][0] == results[1][0]  # the second caller got the first receipt
    assert city_db.counts()["bundles"] == 1 and city_db.counts()["records.workers"] == 1


def test_two_records_of_one_person_in_one_bundle_make_one_person(city_db: CityDatabase) -> None:
    add_stations(city_db, "T1")
    twin = BundleRecord("workers", {**worker(WORKER_B, 2, "张三").record, "id_number": ID_A})
    store(city_db, "T1", [worker(WORKER_A, 1, "张三"), twin], 2)
    counts = city_db.counts()
    assert counts["persons"] == 1 and counts["person_records"] == 2


# -- merged records -------------------------------------------------------------------------
def test_live_records_are_the_newest_versions_not_deleted_ordered_by_table_and_uuid(
    city_db: CityDatabase,
) -> None:
    add_stations(city_db, "T1", "T2")
    store(
        city_db,
        "T1",
        [
            worker(WORKER_B, 1, "李四"),
            worker(WORKER_A, 2, "张三"),
            BundleRecord("placements", {"uuid": PLACEMENT, "change_number": 3}),
            BundleRecord(AUDIT_TABLE, {"id": 1, "change_number": 3}),
        ],
        3,
    )
    store(
        city_db, "T1", [worker(WORKER_A, 4, "张三丰"), worker(WORKER_B, 5, "李四", deleted=True)], 5
    )

    live = list(city_db.live_records())

    assert [(r.table, r.uuid) for r in live] == [
        ("placements", PLACEMENT),
        ("workers", WORKER_A),
    ]
    assert all(record.station_id == "T1" for record in live)
    newest: Mapping[str, Any] = live[1].data
    assert newest["name"] == "张三丰" and newest["change_number"] == 4
    assert [r.uuid for r in city_db.live_records(["workers"])] == [WORKER_A]
    assert list(city_db.live_records([])) == []


def test_live_records_stream_without_building_a_list(city_db: CityDatabase) -> None:
    add_stations(city_db, "T1")
    store(city_db, "T1", [worker(WORKER_A, 1, "张三"), worker(WORKER_B, 2, "李四")], 2)
    records = city_db.live_records()
    assert not isinstance(records, list)
    assert next(records).uuid == WORKER_A
    assert next(records).uuid == WORKER_B
    assert next(records, None) is None


# -- conflicts ------------------------------------------------------------------------------
def test_conflicts_keep_their_state_across_analyses(city_db: CityDatabase) -> None:
    a = RecordRef("T1", "workers", WORKER_A)
    b = RecordRef("T2", "workers", WORKER_B)
    city_db.replace_conflicts(
        [conflict("open", "旧说明", a), conflict("fixed", "已处理", a, b)], now="2025-07-01"
    )
    first = city_db.conflict("open")
    assert first is not None
    assert (first.state, first.first_found_at, first.last_found_at) == (CONFLICT_OPEN,) + (
        "2025-07-01",
    ) * 2
    assert first.conflict.refs == (a,)
    city_db.resolve_conflict("fixed", "已核实：以 T1 为准", "市就业局 王五")

    city_db.replace_conflicts(
        [conflict("open", "新说明", a, b), conflict("fixed", "已处理", a, b)], now="2025-07-02"
    )
    again = city_db.conflict("open")
    assert again is not None
    assert again.state == CONFLICT_OPEN
    assert (again.first_found_at, again.last_found_at) == ("2025-07-01", "2025-07-02")
    assert again.conflict.message == "新说明" and again.conflict.refs == (a, b)
    resolved = city_db.conflict("fixed")
    assert resolved is not None and resolved.state == CONFLICT_RESOLVED
    assert resolved.resolution == "已核实：以 T1 为准" and resolved.resolved_by == "市就业局 王五"
    assert resolved.last_found_at == "2025-07-02"

    # Not found any more: the open one is gone, the resolved one stays resolved.
    city_db.replace_conflicts([], now="2025-07-03")
    assert [(row.conflict.key, row.state) for row in city_db.conflicts()] == [
        ("fixed", CONFLICT_RESOLVED),
        ("open", CONFLICT_GONE),
    ]
    assert [row.conflict.key for row in city_db.conflicts(CONFLICT_GONE)] == ["open"]

    # Found again: open again, with its history.
    city_db.replace_conflicts([conflict("open", "又出现", a)], now="2025-07-04")
    back = city_db.conflict("open")
    assert back is not None and back.state == CONFLICT_OPEN
    assert (back.first_found_at, back.last_found_at) == ("2025-07-01", "2025-07-04")
    assert [row.conflict.key for row in city_db.conflicts(CONFLICT_OPEN)] == ["open"]


def test_a_conflict_without_a_year_or_records_round_trips(city_db: CityDatabase) -> None:
    city_db.replace_conflicts([conflict("k", "说明", year=None)])
    row = city_db.conflict("k")
    assert row is not None
    assert row.conflict == conflict("k", "说明", year=None)
    assert city_db.conflict("nothing") is None


def test_resolving_needs_a_known_conflict_and_a_resolution(city_db: CityDatabase) -> None:
    city_db.replace_conflicts([conflict("k", "说明")])
    with pytest.raises(CityError, match="没有编号为 x 的冲突"):
        city_db.resolve_conflict("x", "已处理", "王五")
    with pytest.raises(CityError, match="处理意见不能为空"):
        city_db.resolve_conflict("k", "  ", "王五")
    with pytest.raises(CityError, match="处理人"):
        city_db.resolve_conflict("k", "已处理", "")
    row = city_db.conflict("k")
    assert row is not None and row.state == CONFLICT_OPEN and row.resolution == ""
    done = city_db.resolve_conflict("k", "已处理", "王五")
    assert done.state == CONFLICT_RESOLVED and done.resolved_at


def test_open_notices_name_the_stations_own_records(city_db: CityDatabase) -> None:
    a = RecordRef("T1", "workers", WORKER_A)
    b = RecordRef("T2", "workers", WORKER_B)
    p = RecordRef("T1", "placements", PLACEMENT)
    city_db.replace_conflicts(
        [
            conflict("k1", "第二项重复", a, b),
            conflict("k2", "同一岗位", p, b),
            conflict("k3", "x", a),
        ]
    )
    city_db.resolve_conflict("k3", "已处理", "王五")

    assert city_db.open_notices("T1") == [
        StationNotice("workers", WORKER_A, "第二项重复"),
        StationNotice("placements", PLACEMENT, "同一岗位"),
    ]
    assert city_db.open_notices("T2") == [
        StationNotice("workers", WORKER_B, "第二项重复"),
        StationNotice("workers", WORKER_B, "同一岗位"),
    ]
    assert city_db.open_notices("T9") == []


# -- policy updates -------------------------------------------------------------------------
def policy(name: str, effective_from: str, content: bytes) -> PolicyUpdateRow:
    return PolicyUpdateRow(name, effective_from, content, b"s" * 64, "2025-12-01T00:00:00+00:00")


def test_policy_updates_are_published_once_and_listed_by_effective_date(
    city_db: CityDatabase,
) -> None:
    later = policy("2027-01-01.toml", "2027-01-01", b"year = 2027\n")
    sooner = policy("2026-01-01.toml", "2026-01-01", b"year = 2026\n\x00\xff")
    city_db.publish_policy(later)
    city_db.publish_policy(sooner)
    city_db.publish_policy(sooner)  # the same file again: nothing changes

    assert city_db.policy_updates() == [sooner, later]
    with pytest.raises(CityError, match=r"2026-01-01\.toml 已发布过内容不同的版本"):
        city_db.publish_policy(policy("2026-01-01.toml", "2026-01-01", b"year = 2099\n"))
    assert city_db.policy_updates() == [sooner, later]
