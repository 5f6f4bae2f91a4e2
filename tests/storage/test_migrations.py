"""Migrations: from an empty file, from every earlier version, and refusal of a newer schema."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from zwdesk.storage.database import open_station_database
from zwdesk.storage.errors import SchemaTooNewError
from zwdesk.storage.migrations import CURRENT_VERSION, known_migrations, migrate
from zwdesk.storage.placement_repository import PlacementRepository
from zwdesk.storage.worker_repository import WorkerRepository

NOW = datetime(2025, 6, 1, tzinfo=UTC).isoformat()
SYNC = "'{uuid}', {change}, '" + NOW + "', '" + NOW + "', NULL"
# Rows an older zwdesk could have written at each version (raw SQL, as that version would).
ROWS_AT_VERSION = {
    1: [
        "INSERT INTO organisations (code, kind, name, county, contact, uuid, change_number,"
        " created_at, updated_at, deleted_at) VALUES ('T1', 'station', '驻苏州站', '640522',"
        " NULL, " + SYNC.format(uuid="00000000-0000-4000-8000-000000000001", change=1) + ")",
        "INSERT INTO workers (id_number, name, gender, phone, hukou_county, resident_county,"
        " rural, groups, uuid, change_number, created_at, updated_at, deleted_at) VALUES"
        " ('640522198001010012', '马一', '男', NULL, '640522', NULL, 1, '[]', "
        + SYNC.format(uuid="00000000-0000-4000-8000-000000000002", change=2)
        + ")",
        "UPDATE change_counter SET value = 2",
    ],
    2: [
        "INSERT INTO placements (code, worker_id, organiser_id, employer, work_county,"
        " start_date, contract, social_insurance, uuid, change_number, created_at, updated_at,"
        " deleted_at) VALUES ('P1', 1, 1, '某厂', '320506', '2025-03-01', 0, 0, "
        + SYNC.format(uuid="00000000-0000-4000-8000-000000000003", change=3)
        + ")",
        "INSERT INTO follow_ups (placement_id, date, method, result, who, note, uuid,"
        " change_number, created_at, updated_at, deleted_at) VALUES (1, '2025-06-30', '电话',"
        " '在岗', '李', '', "
        + SYNC.format(uuid="00000000-0000-4000-8000-000000000004", change=4)
        + ")",
        "UPDATE change_counter SET value = 4",
    ],
}


def build_at_version(path: Path, version: int) -> None:
    """A database exactly as a zwdesk with `version` migrations left it, with its data."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        assert migrate(connection, path, up_to=version) == version
        for step in range(1, version + 1):
            for statement in ROWS_AT_VERSION.get(step, []):
                connection.execute(statement)
    finally:
        connection.close()


def test_migrations_are_numbered_steps() -> None:
    names = known_migrations()
    assert len(names) == CURRENT_VERSION >= 5
    assert [name[:4] for name in names] == [f"m{number:03d}" for number in range(1, len(names) + 1)]


def test_empty_file_migrates_to_current(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with open_station_database(path) as database:
        assert database.schema_version == CURRENT_VERSION
    with open_station_database(path) as database:  # reopening applies nothing more
        assert database.schema_version == CURRENT_VERSION


@pytest.mark.parametrize("version", range(CURRENT_VERSION))
def test_every_earlier_version_migrates_and_keeps_its_data(tmp_path: Path, version: int) -> None:
    path = tmp_path / f"v{version}.db"
    build_at_version(path, version)
    with open_station_database(path) as database:
        assert database.schema_version == CURRENT_VERSION
        tables = {row[0] for row in database.connection.execute("SELECT name FROM sqlite_master")}
        assert {"workers", "placements", "follow_ups", "batches", "claims", "gig_records"} <= tables
        assert "workers_name" in tables
        workers = WorkerRepository(database)
        if version >= 1:
            found = workers.get("640522198001010012")
            assert found is not None and found.name == "马一"
            with database.transaction() as transaction:
                assert transaction.next_change() == (4 if version >= 2 else 2) + 1
        if version >= 2:
            stored = PlacementRepository(database).get("P1")
            assert stored is not None
            assert stored.verified_through is not None
            assert stored.verified_through.isoformat() == "2025-06-30"


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    open_station_database(path).close()
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        " VALUES ('zwdesk-station', 'm099_from_the_future', '2030-01-01')"
    )
    connection.execute(f"PRAGMA user_version = {CURRENT_VERSION + 1}")
    connection.close()
    before = path.read_bytes()
    with pytest.raises(SchemaTooNewError, match="较新版本") as caught:
        open_station_database(path)
    assert caught.value.found == CURRENT_VERSION + 1
    assert caught.value.supported == CURRENT_VERSION
    assert path.read_bytes() == before


def test_a_higher_user_version_alone_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    open_station_database(path).close()
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute(f"PRAGMA user_version = {CURRENT_VERSION + 3}")
    connection.close()
    with pytest.raises(SchemaTooNewError):
        open_station_database(path)
