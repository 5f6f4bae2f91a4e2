"""The city database's SQL, written once for SQLite and PostgreSQL.

Statements use `?` placeholders (the PostgreSQL session turns them into `%s`). What differs
in the SQL is small and named in `Dialect`: the types of the binary and JSON columns, and
SQLite's `WITHOUT ROWID`. How many rows go in at once is the session's `bulk_insert`
(executemany on SQLite, COPY on PostgreSQL), with the conflict clauses written here.
"""

from __future__ import annotations

from dataclasses import dataclass

SCHEMA_VERSION = 3


@dataclass(frozen=True, slots=True)
class Dialect:
    """The few words in which SQLite and PostgreSQL differ."""

    name: str
    blob: str  # a column of bytes
    json_data: str  # the `data` column: one JSON object
    compact: str  # table suffix for tables looked up by primary key only
    # After TEXT, for the columns results are ordered by: compare bytes, as SQLite does, so
    # both give the same order whatever the server's locale (and the index serves the sort).
    bytewise: str

    def words(self) -> dict[str, str]:
        return {
            "blob": self.blob,
            "json_data": self.json_data,
            "compact": self.compact,
            "bytewise": self.bytewise,
        }


SQLITE = Dialect(
    name="sqlite",
    blob="BLOB",
    json_data="data TEXT NOT NULL CHECK (json_valid(data))",
    compact=" WITHOUT ROWID",
    bytewise="",
)
POSTGRES = Dialect(
    name="postgresql",
    blob="BYTEA",
    json_data="data JSONB NOT NULL",
    compact="",
    bytewise=' COLLATE "C"',
)

# Version 1: stations, received bundles, merged records and audit entries, persons.
_VERSION_1 = (
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
        change_from BIGINT NOT NULL,
        change_to BIGINT NOT NULL,
        payload_sha256 TEXT NOT NULL,
        sealed_sha256 TEXT NOT NULL,
        record_count BIGINT NOT NULL,
        size BIGINT NOT NULL,
        receipt {blob} NOT NULL,
        received_at TEXT NOT NULL,
        via TEXT NOT NULL CHECK (via IN ('http', 'file'))
    )""",
    """CREATE TABLE records (
        table_name TEXT{bytewise} NOT NULL,
        uuid TEXT{bytewise} NOT NULL,
        station_id TEXT NOT NULL REFERENCES stations (id),
        change_number BIGINT NOT NULL,
        deleted INTEGER NOT NULL CHECK (deleted IN (0, 1)),
        {json_data},
        bundle_id TEXT NOT NULL REFERENCES bundles (id),
        PRIMARY KEY (table_name, uuid)
    ){compact}""",
    "CREATE INDEX records_bundle ON records (bundle_id)",
    "CREATE INDEX records_station ON records (station_id, table_name)",
    """CREATE TABLE audit_entries (
        station_id TEXT NOT NULL REFERENCES stations (id),
        id BIGINT NOT NULL,
        change_number BIGINT NOT NULL,
        {json_data},
        bundle_id TEXT NOT NULL REFERENCES bundles (id),
        PRIMARY KEY (station_id, id)
    ){compact}""",
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
# Version 2: the city-wide conflicts (with the records they name) and the policy updates.
_VERSION_2 = (
    """CREATE TABLE conflicts (
        key TEXT{bytewise} PRIMARY KEY,
        kind TEXT NOT NULL,
        year INTEGER,
        message TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('open', 'resolved', 'gone')),
        first_found_at TEXT NOT NULL,
        last_found_at TEXT NOT NULL,
        resolution TEXT NOT NULL DEFAULT '',
        resolved_by TEXT NOT NULL DEFAULT '',
        resolved_at TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE conflict_refs (
        conflict_key TEXT{bytewise} NOT NULL REFERENCES conflicts (key) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        station_id TEXT NOT NULL,
        table_name TEXT NOT NULL,
        uuid TEXT NOT NULL,
        PRIMARY KEY (conflict_key, position)
    )""",
    "CREATE INDEX conflict_refs_station ON conflict_refs (station_id)",
    """CREATE TABLE policy_updates (
        name TEXT{bytewise} PRIMARY KEY,
        effective_from TEXT NOT NULL,
        content {blob} NOT NULL,
        signature {blob} NOT NULL,
        published_at TEXT NOT NULL
    )""",
)
# Version 3. SQLite: the `data` columns lose CHECK (json_valid(data)). What the merge writes
# there is text a JSON parser has just read; checking it again took SQLite 7 s of the 20 s a
# city-size bundle's rows take to insert. SQLite cannot drop a CHECK: the two tables are built
# again, rows and indexes included. (PostgreSQL's JSONB column is the check there.)
# Both: the index records_station goes — no query reads records by station, and every merged
# row paid for it.
_SQLITE_VERSION_3 = (
    """CREATE TABLE records_v3 (
        table_name TEXT NOT NULL,
        uuid TEXT NOT NULL,
        station_id TEXT NOT NULL REFERENCES stations (id),
        change_number BIGINT NOT NULL,
        deleted INTEGER NOT NULL CHECK (deleted IN (0, 1)),
        data TEXT NOT NULL,
        bundle_id TEXT NOT NULL REFERENCES bundles (id),
        PRIMARY KEY (table_name, uuid)
    ) WITHOUT ROWID""",
    "INSERT INTO records_v3 SELECT table_name, uuid, station_id, change_number, deleted, data,"
    " bundle_id FROM records",
    "DROP TABLE records",
    "ALTER TABLE records_v3 RENAME TO records",
    "CREATE INDEX records_bundle ON records (bundle_id)",
    """CREATE TABLE audit_entries_v3 (
        station_id TEXT NOT NULL REFERENCES stations (id),
        id BIGINT NOT NULL,
        change_number BIGINT NOT NULL,
        data TEXT NOT NULL,
        bundle_id TEXT NOT NULL REFERENCES bundles (id),
        PRIMARY KEY (station_id, id)
    ) WITHOUT ROWID""",
    "INSERT INTO audit_entries_v3 SELECT station_id, id, change_number, data, bundle_id"
    " FROM audit_entries",
    "DROP TABLE audit_entries",
    "ALTER TABLE audit_entries_v3 RENAME TO audit_entries",
)
_MIGRATIONS: dict[int, dict[str, tuple[str, ...]]] = {
    1: {SQLITE.name: _VERSION_1, POSTGRES.name: _VERSION_1},
    2: {SQLITE.name: _VERSION_2, POSTGRES.name: _VERSION_2},
    3: {SQLITE.name: _SQLITE_VERSION_3, POSTGRES.name: ("DROP INDEX IF EXISTS records_station",)},
}


def migration(version: int, dialect: Dialect) -> list[str]:
    """The statements that bring a database of version `version - 1` to `version`."""
    statements = _MIGRATIONS[version][dialect.name]
    return [statement.format(**dialect.words()) for statement in statements]


# -- bundles and merged records --------------------------------------------------------------
INSERT_BUNDLE = """
    INSERT INTO bundles (id, station_id, change_from, change_to, payload_sha256, sealed_sha256,
        record_count, size, receipt, received_at, via)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
SELECT_BUNDLE = """
    SELECT id, station_id, change_from, change_to, payload_sha256, sealed_sha256, record_count,
        size, receipt, received_at, via
    FROM bundles WHERE id = ?
"""
RECORD_COLUMNS = (
    "table_name",
    "uuid",
    "station_id",
    "change_number",
    "deleted",
    "data",
    "bundle_id",
)
AUDIT_COLUMNS = ("station_id", "id", "change_number", "data", "bundle_id")
AUDIT_ON_CONFLICT = "ON CONFLICT DO NOTHING"  # an audit entry never changes


def insert_values(table: str, columns: tuple[str, ...], on_conflict: str = "") -> str:
    """INSERT INTO table (columns) VALUES (?, …) on_conflict."""
    marks = ", ".join("?" * len(columns))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}) {on_conflict}"


@dataclass(frozen=True, slots=True)
class Upsert:
    """Rows to insert; a row whose key is taken replaces the stored one's `updated` columns
    only where every `guard` (column, operator) holds as `stored column <operator> new value`.

    Written two ways with one meaning: one INSERT … ON CONFLICT DO UPDATE (`on_conflict`), or
    an INSERT of the new keys followed by an UPDATE of the taken ones (`insert_new`,
    `update_taken`) — SQLite checks foreign keys on an upsert's every row about twice as slowly
    as on a plain insert (a city-size bundle: 25 s against 12 s for its records)."""

    table: str
    columns: tuple[str, ...]
    key: tuple[str, ...]
    updated: tuple[str, ...]
    guard: tuple[tuple[str, str], ...] = ()

    def on_conflict(self) -> str:
        sets = ", ".join(f"{column} = excluded.{column}" for column in self.updated)
        clause = f"ON CONFLICT ({', '.join(self.key)}) DO UPDATE SET {sets}"
        if self.guard:
            clause += " WHERE " + " AND ".join(
                f"{self.table}.{column} {operator} excluded.{column}"
                for column, operator in self.guard
            )
        return clause

    def insert_new(self) -> str:
        return insert_values(
            self.table, self.columns, f"ON CONFLICT ({', '.join(self.key)}) DO NOTHING"
        )

    def update_taken(self) -> str:
        """The UPDATE of one taken row; its parameters are `update_parameters(row)`."""
        conditions = [f"{column} = ?" for column in self.key]
        conditions += [f"{column} {operator} ?" for column, operator in self.guard]
        sets = ", ".join(f"{column} = ?" for column in self.updated)
        return f"UPDATE {self.table} SET {sets} WHERE {' AND '.join(conditions)}"

    def update_parameters(self) -> list[int]:
        """Which of a row's values, in order, `update_taken` takes."""
        names = [*self.updated, *self.key, *(column for column, _ in self.guard)]
        return [self.columns.index(name) for name in names]


# Newest change wins; a record only ever moves forward, and only its own station may change it
# (a UUID arriving from a second station is left alone: a collision, not an update).
RECORD_UPSERT = Upsert(
    table="records",
    columns=RECORD_COLUMNS,
    key=("table_name", "uuid"),
    updated=("change_number", "deleted", "data", "bundle_id"),
    guard=(("station_id", "="), ("change_number", "<")),
)
PERSON_UPSERT = Upsert(
    table="persons",
    columns=("id_number", "name", "first_seen_at", "updated_at"),
    key=("id_number",),
    updated=("name", "updated_at"),
)
PERSON_RECORD_UPSERT = Upsert(
    table="person_records",
    columns=("worker_uuid", "id_number", "station_id", "deleted"),
    key=("worker_uuid",),
    updated=("id_number", "deleted"),
)
# records.bundle_id is the bundle that last wrote a row (the index holds the key: no row read).
WORKERS_WRITTEN_BY_BUNDLE = (
    "SELECT uuid FROM records WHERE bundle_id = ? AND table_name = 'workers'"
)
