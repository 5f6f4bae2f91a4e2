"""The city database (市里数据库, SQLite): stations, received bundles, merged records, persons.

Its own schema, unrelated to a station's. One row per (table, uuid) keeps the newest change a
station sent; audit entries are kept per (station, id); persons are keyed by ID number across
stations (`person_records` links every station's worker record to its person).
"""

from __future__ import annotations

import hashlib
import hmac
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import platformdirs
from nacl.signing import VerifyKey

from zwdesk.city.errors import CityDatabaseError, RegistrationError, StationExistsError
from zwdesk.sync.bundle import AUDIT_TABLE, BundleRecord
from zwdesk.sync.canonical import canonical_json, from_base64
from zwdesk.sync.manifest import BundleManifest

SCHEMA_VERSION = 1
WORKERS_TABLE = "workers"

_SCHEMA = (
    """CREATE TABLE stations (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        city_url TEXT NOT NULL,
        token_sha256 TEXT NOT NULL CHECK (length(token_sha256) = 64),
        public_key TEXT,
        registered_at TEXT,
        created_at TEXT NOT NULL,
        CHECK ((public_key IS NULL) = (registered_at IS NULL))
    )""",
    """CREATE TABLE bundles (
        id TEXT PRIMARY KEY,
        station_id TEXT NOT NULL REFERENCES stations (id),
        change_from INTEGER NOT NULL,
        change_to INTEGER NOT NULL,
        payload_sha256 TEXT NOT NULL,
        sealed_sha256 TEXT NOT NULL,
        record_count INTEGER NOT NULL,
        size INTEGER NOT NULL,
        receipt BLOB NOT NULL,
        received_at TEXT NOT NULL,
        via TEXT NOT NULL CHECK (via IN ('http', 'file'))
    )""",
    """CREATE TABLE records (
        table_name TEXT NOT NULL,
        uuid TEXT NOT NULL,
        station_id TEXT NOT NULL REFERENCES stations (id),
        change_number INTEGER NOT NULL,
        deleted INTEGER NOT NULL CHECK (deleted IN (0, 1)),
        data TEXT NOT NULL CHECK (json_valid(data)),
        bundle_id TEXT NOT NULL REFERENCES bundles (id),
        PRIMARY KEY (table_name, uuid)
    ) WITHOUT ROWID""",
    "CREATE INDEX records_bundle ON records (bundle_id)",
    "CREATE INDEX records_station ON records (station_id, table_name)",
    """CREATE TABLE audit_entries (
        station_id TEXT NOT NULL REFERENCES stations (id),
        id INTEGER NOT NULL,
        change_number INTEGER NOT NULL,
        data TEXT NOT NULL CHECK (json_valid(data)),
        bundle_id TEXT NOT NULL REFERENCES bundles (id),
        PRIMARY KEY (station_id, id)
    ) WITHOUT ROWID""",
    """CREATE TABLE persons (
        id_number TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        first_seen_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    """CREATE TABLE person_records (
        worker_uuid TEXT PRIMARY KEY,
        id_number TEXT NOT NULL REFERENCES persons (id_number),
        station_id TEXT NOT NULL REFERENCES stations (id),
        deleted INTEGER NOT NULL CHECK (deleted IN (0, 1))
    )""",
    "CREATE INDEX person_records_person ON person_records (id_number)",
)

# Newest change wins; a record only ever moves forward, and only its own station may change it
# (a UUID arriving from a second station is left alone: a collision, not an update).
_UPSERT_RECORD = """
    INSERT INTO records (table_name, uuid, station_id, change_number, deleted, data, bundle_id)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (table_name, uuid) DO UPDATE SET
        change_number = excluded.change_number, deleted = excluded.deleted,
        data = excluded.data, bundle_id = excluded.bundle_id
    WHERE excluded.station_id = records.station_id
      AND excluded.change_number > records.change_number
"""
_INSERT_AUDIT = """
    INSERT INTO audit_entries (station_id, id, change_number, data, bundle_id)
    VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
"""
# Workers this bundle changed (records.bundle_id is the bundle that last wrote a row).
_UPSERT_PERSONS = """
    INSERT INTO persons (id_number, name, first_seen_at, updated_at)
    SELECT json_extract(data, '$.id_number'), json_extract(data, '$.name'), ?1, ?1
    FROM records WHERE table_name = 'workers' AND bundle_id = ?2
        AND json_type(data, '$.id_number') = 'text'
    ON CONFLICT (id_number) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at
"""
_UPSERT_PERSON_RECORDS = """
    INSERT INTO person_records (worker_uuid, id_number, station_id, deleted)
    SELECT uuid, json_extract(data, '$.id_number'), station_id, deleted
    FROM records WHERE table_name = 'workers' AND bundle_id = ?
        AND json_type(data, '$.id_number') = 'text'
    ON CONFLICT (worker_uuid) DO UPDATE SET
        id_number = excluded.id_number, deleted = excluded.deleted
"""


def default_city_database_path() -> Path:
    """`city.db` in the per-user data directory."""
    return Path(platformdirs.user_data_dir("zwdesk", appauthor=False)) / "city.db"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class StationRow:
    id: str
    name: str
    city_url: str
    public_key: str | None
    registered_at: str | None
    created_at: str


@dataclass(frozen=True, slots=True)
class BundleRow:
    id: str
    station_id: str
    change_from: int
    change_to: int
    payload_sha256: str
    sealed_sha256: str
    record_count: int
    size: int
    receipt: bytes
    received_at: str
    via: str


class CityDatabase:
    """The city database at `path`; each call opens its own short connection (thread-safe:
    the web server calls it from worker threads, `zwdesk city import` from another process)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as connection:
            self._migrate(connection)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            connection = sqlite3.connect(self.path, isolation_level=None, timeout=30.0)
        except sqlite3.Error as error:
            raise CityDatabaseError(f"无法打开市里数据库 {self.path}：{error}") from error
        with closing(connection):
            connection.execute("PRAGMA foreign_keys = ON")
            yield connection

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken up front (BEGIN IMMEDIATE): check-then-insert is atomic
        against other threads and processes."""
        with self._connect() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    def _migrate(self, connection: sqlite3.Connection) -> None:
        try:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            tables = connection.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise CityDatabaseError(f"{self.path} 不是市里数据库（{error}）") from error
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            raise CityDatabaseError(
                f"市里数据库 {self.path} 来自更新版本的 zwdesk（结构版本 {version}）"
            )
        if tables:
            raise CityDatabaseError(f"{self.path} 不是市里数据库（已有其他数据表）")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("BEGIN IMMEDIATE")
        for statement in _SCHEMA:
            connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        connection.execute("COMMIT")

    # -- stations ----------------------------------------------------------------------------
    def add_station(self, station_id: str, name: str, city_url: str, token: str) -> StationRow:
        with self._write() as connection:
            if connection.execute("SELECT 1 FROM stations WHERE id = ?", (station_id,)).fetchone():
                raise StationExistsError(f"站点 {station_id} 已存在")
            created = _now()
            connection.execute(
                "INSERT INTO stations (id, name, city_url, token_sha256, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (station_id, name, city_url, token_digest(token), created),
            )
        return StationRow(station_id, name, city_url, None, None, created)

    def station(self, station_id: str) -> StationRow | None:
        with self._connect() as connection:
            row = connection.execute(
                "SELECT id, name, city_url, public_key, registered_at, created_at"
                " FROM stations WHERE id = ?",
                (station_id,),
            ).fetchone()
        return None if row is None else StationRow(*row)

    def register(self, station_id: str, token: str, public_key: str) -> None:
        """Register a station's Ed25519 public key with its one-time token.

        RegistrationError for an unknown station, a wrong token or one already used — the
        same message for all three, so the answer tells a guesser nothing.
        """
        from_base64(public_key, 32)  # ValueError: not a key
        refused = RegistrationError(
            "登记令牌无效或已经用过（每个令牌只能用一次）：请向市里申请新的登记文件"
        )
        with self._write() as connection:
            row = connection.execute(
                "SELECT token_sha256, registered_at FROM stations WHERE id = ?", (station_id,)
            ).fetchone()
            if row is None or row[1] is not None:
                raise refused
            if not hmac.compare_digest(row[0], token_digest(token)):
                raise refused
            connection.execute(
                "UPDATE stations SET public_key = ?, registered_at = ? WHERE id = ?",
                (public_key, _now(), station_id),
            )

    def station_keys(self, station_id: str | None = None) -> dict[str, VerifyKey]:
        """The registered stations' verify keys (only `station_id`'s when given)."""
        query = "SELECT id, public_key FROM stations WHERE public_key IS NOT NULL"
        parameters: tuple[str, ...] = ()
        if station_id is not None:
            query += " AND id = ?"
            parameters = (station_id,)
        with self._connect() as connection:
            rows = connection.execute(query, parameters).fetchall()
        return {str(row[0]): VerifyKey(from_base64(str(row[1]), 32)) for row in rows}

    # -- bundles -----------------------------------------------------------------------------
    def bundle(self, bundle_id: str) -> BundleRow | None:
        with self._connect() as connection:
            return _bundle(connection, bundle_id)

    def store_bundle(
        self,
        manifest: BundleManifest,
        records: Iterable[BundleRecord],
        *,
        sealed_sha256: str,
        size: int,
        via: str,
        receipt_for: Callable[[BundleManifest], bytes],
    ) -> tuple[BundleRow, bool]:
        """Merge a verified bundle and keep its receipt, in one transaction.

        `receipt_for` signs the receipt inside the transaction, only for a new bundle. Returns
        (row, stored): `stored` is False when the bundle id was already here — then nothing
        changes and the row carries the receipt given the first time.
        """
        with self._write() as connection:
            existing = _bundle(connection, manifest.bundle_id)
            if existing is not None:
                return existing, False
            received_at = _now()
            row = BundleRow(
                id=manifest.bundle_id,
                station_id=manifest.station_id,
                change_from=manifest.change_from,
                change_to=manifest.change_to,
                payload_sha256=manifest.payload_sha256,
                sealed_sha256=sealed_sha256,
                record_count=manifest.record_count,
                size=size,
                receipt=receipt_for(manifest),
                received_at=received_at,
                via=via,
            )
            connection.execute(
                "INSERT INTO bundles (id, station_id, change_from, change_to, payload_sha256,"
                " sealed_sha256, record_count, size, receipt, received_at, via)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    row.id,
                    row.station_id,
                    row.change_from,
                    row.change_to,
                    row.payload_sha256,
                    row.sealed_sha256,
                    row.record_count,
                    row.size,
                    row.receipt,
                    row.received_at,
                    row.via,
                ),
            )
            _merge(connection, manifest, records)
            connection.execute(_UPSERT_PERSONS, (received_at, manifest.bundle_id))
            connection.execute(_UPSERT_PERSON_RECORDS, (manifest.bundle_id,))
        return row, True

    # -- reading (tests, later reports) ------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Rows per table: bundles, records (per synced table), audit entries, persons."""
        with self._connect() as connection:
            result = {
                name: int(connection.execute(f"SELECT count(*) FROM {name}").fetchone()[0])
                for name in ("stations", "bundles", "audit_entries", "persons", "person_records")
            }
            for table, count in connection.execute(
                "SELECT table_name, count(*) FROM records GROUP BY table_name"
            ):
                result[f"records.{table}"] = int(count)
        return result

    def record_versions(self) -> dict[tuple[str, str], int]:
        """(table, uuid) → the change number kept."""
        with self._connect() as connection:
            rows = connection.execute("SELECT table_name, uuid, change_number FROM records")
            return {(str(table), str(uuid)): int(change) for table, uuid, change in rows}


def _bundle(connection: sqlite3.Connection, bundle_id: str) -> BundleRow | None:
    row = connection.execute(
        "SELECT id, station_id, change_from, change_to, payload_sha256, sealed_sha256,"
        " record_count, size, receipt, received_at, via FROM bundles WHERE id = ?",
        (bundle_id,),
    ).fetchone()
    return None if row is None else BundleRow(*row)


def _merge(
    connection: sqlite3.Connection, manifest: BundleManifest, records: Iterable[BundleRecord]
) -> None:
    station, bundle_id = manifest.station_id, manifest.bundle_id
    upserts: list[tuple[object, ...]] = []
    audits: list[tuple[object, ...]] = []
    for entry in records:
        record: Mapping[str, object] = entry.record
        data = canonical_json(record).decode("utf-8")
        change = record["change_number"]
        if entry.table == AUDIT_TABLE:
            audits.append((station, record.get("id"), change, data, bundle_id))
        else:
            deleted = 1 if record.get("deleted_at") else 0
            upserts.append(
                (entry.table, record.get("uuid"), station, change, deleted, data, bundle_id)
            )
    connection.executemany(_UPSERT_RECORD, upserts)
    connection.executemany(_INSERT_AUDIT, audits)
