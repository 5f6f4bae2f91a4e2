"""Opening, pragmas, transactions and the Chinese errors of the station database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from zwdesk.storage.database import (
    StationDatabase,
    default_database_path,
    open_station_database,
)
from zwdesk.storage.errors import (
    DatabaseLockedError,
    NotAStationDatabaseError,
    NoTransactionError,
    StorageError,
)
from zwdesk.storage.migrations import CURRENT_VERSION
from zwdesk.storage.worker_repository import WorkerRepository

from .conftest import dump, worker


def test_new_database_has_pragmas_and_current_schema(database_path: Path) -> None:
    with open_station_database(database_path) as database:
        connection = database.connection
        assert connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
        assert database.schema_version == CURRENT_VERSION


def test_default_path_is_in_the_user_data_directory() -> None:
    path = default_database_path()
    assert path.name == "station.db"
    assert "zwdesk" in str(path.parent)


def test_missing_file_is_refused_when_not_creating(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="不存在"):
        open_station_database(tmp_path / "none.db", create=False)
    assert not (tmp_path / "none.db").exists()


def test_a_text_file_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "roster.db"
    path.write_bytes("姓名,身份证号\n".encode() * 500)
    before = path.read_bytes()
    with pytest.raises(NotAStationDatabaseError, match="不是 zwdesk 站点数据库"):
        open_station_database(path)
    assert path.read_bytes() == before


def test_another_programs_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE things (x)")
    connection.close()
    with pytest.raises(NotAStationDatabaseError, match="其他程序"):
        open_station_database(path)


def test_a_locked_database_gives_a_chinese_error(database_path: Path) -> None:
    with open_station_database(database_path, busy_timeout_ms=50) as database:
        blocker = sqlite3.connect(database_path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(DatabaseLockedError, match="占用"), database.transaction():
                pass
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()


def test_write_outside_a_transaction_is_a_programming_error(database: StationDatabase) -> None:
    with pytest.raises(NoTransactionError):
        WorkerRepository(database).upsert([worker(1)])


def test_failing_multi_row_write_rolls_back_everything(database: StationDatabase) -> None:
    workers = WorkerRepository(database)
    with database.transaction("甲"):
        workers.upsert([worker(1), worker(2)])
    before = dump(database)
    with pytest.raises(RuntimeError), database.transaction("乙"):
        workers.upsert([worker(3), worker(4), worker(1, name="改名")])
        assert workers.count() == 4  # written inside the transaction …
        raise RuntimeError("断电")
    assert dump(database) == before  # … and all gone, audit and change counter included


def test_constraint_failure_mid_write_rolls_back(database: StationDatabase) -> None:
    workers = WorkerRepository(database)
    with database.transaction():
        workers.upsert([worker(1)])
    before = dump(database)
    bad = worker(9, hukou_county="12345")  # five digits: CHECK fails after good rows
    with pytest.raises(StorageError, match="数据库规则"), database.transaction():
        workers.upsert([worker(5), worker(6), bad])
    assert dump(database) == before


def test_nested_transaction_is_a_savepoint(database: StationDatabase) -> None:
    workers = WorkerRepository(database)
    with database.transaction("甲"):
        workers.upsert([worker(1)])
        with pytest.raises(RuntimeError), database.transaction():
            workers.upsert([worker(2)])
            raise RuntimeError
        workers.upsert([worker(3)])
    assert {w.name for w in workers.all()} == {"马1", "马3"}
    rows = database.connection.execute("SELECT change_number FROM audit_log").fetchall()
    assert [row[0] for row in rows] == [1, 2]
    assert database.connection.execute("SELECT value FROM change_counter").fetchone()[0] == 2


def test_bulk_uuids_are_valid_distinct_time_ordered_version_7() -> None:
    import uuid

    from zwdesk.storage.database import new_uuids

    made = new_uuids(2000)
    assert len(set(made)) == 2000
    assert made == sorted(made)  # append-mostly index inserts
    for text in made:
        parsed = uuid.UUID(text)
        assert str(parsed) == text
        assert parsed.version == 7 and parsed.variant == uuid.RFC_4122
