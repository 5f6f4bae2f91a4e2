"""The station schema, one numbered migration per step (sqlite-utils `Migrations`), and the runner.

Never edit a migration that has shipped: add a new one. Version = number of migrations applied,
mirrored in PRAGMA user_version. A database with a migration this code does not know was written
by a newer zwdesk and is refused (SchemaTooNewError).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database, Migrations

from zwdesk.storage.errors import NotAStationDatabaseError, SchemaTooNewError

MIGRATION_SET = "zwdesk-station"
station_migrations = Migrations(MIGRATION_SET)

# Every synced record: a UUID, the change number of its last write, times, and a tombstone.
_SYNC_COLUMNS = """
    uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    change_number INTEGER NOT NULL CHECK (change_number > 0),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
"""


def _date(column: str, *, nullable: bool = False) -> str:
    """A CHECK that the column holds a real ISO date (SQLite's date() normalises 02-30)."""
    check = f"date({column}) IS {column}"
    return f"CHECK ({column} IS NULL OR {check})" if nullable else f"CHECK ({check})"


def _county(column: str) -> str:
    return f"CHECK ({column} IS NULL OR ({column} GLOB '[0-9][0-9][0-9][0-9][0-9][0-9]'))"


_ID_NUMBER_GLOB = "'" + "[0-9]" * 17 + "[0-9X]'"


def _id_number(column: str) -> str:
    return (
        f"CHECK ({column} IS NULL OR (length({column}) = 18 AND {column} GLOB {_ID_NUMBER_GLOB}))"
    )


def _run(db: Database, *statements: str) -> None:
    # Statement by statement: executescript() would COMMIT the surrounding transaction.
    for statement in statements:
        db.execute(statement)


@station_migrations(name="m001_organisations_and_workers")
def _m001(db: Database) -> None:
    _run(
        db,
        """CREATE TABLE change_counter (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            value INTEGER NOT NULL CHECK (value >= 0)
        )""",
        "INSERT INTO change_counter (id, value) VALUES (1, 0)",
        f"""CREATE TABLE organisations (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE CHECK (length(trim(code)) > 0),
            kind TEXT NOT NULL CHECK (kind IN
                ('station', 'broker', 'workshop', 'gig_market', 'gig_station')),
            name TEXT NOT NULL CHECK (length(trim(name)) > 0),
            county TEXT {_county("county")},
            contact TEXT,
            {_SYNC_COLUMNS}
        )""",
        # Our own organisation (本站): exactly one row pointing at `organisations`.
        f"""CREATE TABLE station_profile (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            organisation_id INTEGER NOT NULL REFERENCES organisations (id),
            {_SYNC_COLUMNS}
        )""",
        f"""CREATE TABLE workers (
            id INTEGER PRIMARY KEY,
            id_number TEXT NOT NULL UNIQUE {_id_number("id_number")},
            name TEXT NOT NULL,
            gender TEXT CHECK (gender IS NULL OR gender IN ('男', '女')),
            phone TEXT,
            hukou_county TEXT NOT NULL {_county("hukou_county")},
            resident_county TEXT {_county("resident_county")},
            rural INTEGER NOT NULL DEFAULT 0 CHECK (rural IN (0, 1)),
            groups TEXT NOT NULL DEFAULT '[]'
                CHECK (json_valid(groups) AND json_type(groups) = 'array'),
            {_SYNC_COLUMNS}
        )""",
        """CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            operation TEXT NOT NULL CHECK (operation IN ('insert', 'update', 'delete')),
            table_name TEXT NOT NULL,
            record_uuid TEXT NOT NULL,
            old TEXT CHECK (old IS NULL OR json_valid(old)),
            new TEXT CHECK (new IS NULL OR json_valid(new)),
            change_number INTEGER NOT NULL
        )""",
        "CREATE INDEX audit_log_record ON audit_log (record_uuid)",
        "CREATE INDEX organisations_change ON organisations (change_number)",
        "CREATE INDEX workers_change ON workers (change_number)",
    )


@station_migrations(name="m002_placements_and_follow_ups")
def _m002(db: Database) -> None:
    _run(
        db,
        f"""CREATE TABLE placements (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE CHECK (length(trim(code)) > 0),
            worker_id INTEGER NOT NULL REFERENCES workers (id),
            organiser_id INTEGER REFERENCES organisations (id),
            employer TEXT NOT NULL DEFAULT '',
            work_county TEXT NOT NULL {_county("work_county")},
            start_date TEXT NOT NULL {_date("start_date")},
            end_date TEXT {_date("end_date", nullable=True)},
            contract INTEGER NOT NULL DEFAULT 0 CHECK (contract IN (0, 1)),
            contract_start TEXT {_date("contract_start", nullable=True)},
            contract_end TEXT {_date("contract_end", nullable=True)},
            social_insurance INTEGER NOT NULL DEFAULT 0 CHECK (social_insurance IN (0, 1)),
            monthly_wage_fen INTEGER CHECK (monthly_wage_fen IS NULL OR monthly_wage_fen >= 0),
            {_SYNC_COLUMNS},
            CHECK (end_date IS NULL OR end_date >= start_date),
            CHECK (contract_end IS NULL OR contract_start IS NULL OR contract_end >= contract_start)
        )""",
        # The natural key the roster import matches on: one live placement per (worker, employer,
        # start). Tombstones are outside it so a deleted placement can be entered again.
        """CREATE UNIQUE INDEX placements_natural_key
            ON placements (worker_id, employer, start_date) WHERE deleted_at IS NULL""",
        "CREATE INDEX placements_worker ON placements (worker_id)",
        "CREATE INDEX placements_organiser ON placements (organiser_id)",
        "CREATE INDEX placements_change ON placements (change_number)",
        f"""CREATE TABLE follow_ups (
            id INTEGER PRIMARY KEY,
            placement_id INTEGER NOT NULL REFERENCES placements (id),
            date TEXT NOT NULL {_date("date")},
            method TEXT NOT NULL CHECK (method IN ('电话', '用工单位确认', '社保记录', '实地走访')),
            result TEXT NOT NULL CHECK (result IN ('在岗', '已离职')),
            who TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            {_SYNC_COLUMNS}
        )""",
        "CREATE INDEX follow_ups_placement ON follow_ups (placement_id)",
        # Covers verified_through (latest live 在岗 date per placement) without table lookups.
        """CREATE INDEX follow_ups_employed ON follow_ups (placement_id, date)
            WHERE result = '在岗' AND deleted_at IS NULL""",
        "CREATE INDEX follow_ups_change ON follow_ups (change_number)",
    )


@station_migrations(name="m003_batches_and_passengers")
def _m003(db: Database) -> None:
    _run(
        db,
        f"""CREATE TABLE batches (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE CHECK (length(trim(code)) > 0),
            organiser_id INTEGER NOT NULL REFERENCES organisations (id),
            departure TEXT NOT NULL {_date("departure")},
            origin TEXT {_county("origin")},
            destination_county TEXT NOT NULL {_county("destination_county")},
            mode TEXT NOT NULL CHECK (mode IN ('charter', 'tickets')),
            charter_cost_fen INTEGER CHECK (charter_cost_fen IS NULL OR charter_cost_fen >= 0),
            {_SYNC_COLUMNS},
            CHECK (mode <> 'charter' OR charter_cost_fen IS NOT NULL)
        )""",
        "CREATE INDEX batches_change ON batches (change_number)",
        f"""CREATE TABLE passengers (
            id INTEGER PRIMARY KEY,
            batch_id INTEGER NOT NULL REFERENCES batches (id),
            worker_id INTEGER NOT NULL REFERENCES workers (id),
            fare_fen INTEGER NOT NULL DEFAULT 0 CHECK (fare_fen >= 0),
            receipt TEXT,
            {_SYNC_COLUMNS}
        )""",
        "CREATE INDEX passengers_batch ON passengers (batch_id)",
        "CREATE INDEX passengers_worker ON passengers (worker_id)",
        "CREATE INDEX passengers_change ON passengers (change_number)",
    )


@station_migrations(name="m004_gig_records_and_claims")
def _m004(db: Database) -> None:
    _run(
        db,
        # Gig workers need not be on the workers list: the ID number is kept as text.
        f"""CREATE TABLE gig_records (
            id INTEGER PRIMARY KEY,
            organisation_id INTEGER NOT NULL REFERENCES organisations (id),
            worker_id_number TEXT NOT NULL {_id_number("worker_id_number")},
            date TEXT NOT NULL {_date("date")},
            {_SYNC_COLUMNS}
        )""",
        "CREATE INDEX gig_records_organisation ON gig_records (organisation_id, date)",
        "CREATE INDEX gig_records_change ON gig_records (change_number)",
        f"""CREATE TABLE claims (
            id INTEGER PRIMARY KEY,
            item INTEGER NOT NULL CHECK (item BETWEEN 1 AND 6),
            amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
            year INTEGER CHECK (year IS NULL OR year BETWEEN 2000 AND 2100),
            worker_id_number TEXT {_id_number("worker_id_number")},
            organisation_id INTEGER REFERENCES organisations (id),
            batch_id INTEGER REFERENCES batches (id),
            claim_number TEXT,
            {_SYNC_COLUMNS}
        )""",
        "CREATE INDEX claims_change ON claims (change_number)",
    )


@station_migrations(name="m005_worker_search_indexes")
def _m005(db: Database) -> None:
    # id_number is already UNIQUE (full ID and ID-prefix range scans use that index).
    _run(db, "CREATE INDEX workers_name ON workers (name)")


@station_migrations(name="m006_worker_phone_index")
def _m006(db: Database) -> None:
    # The window's search box finds a worker by phone (prefix range scan) as fast as by name.
    _run(db, "CREATE INDEX workers_phone ON workers (phone) WHERE phone IS NOT NULL")


@station_migrations(name="m007_claim_batches")
def _m007(db: Database) -> None:
    # A frozen claim (申领单): its number, the immutable snapshot (JSON) and its SHA-256, and
    # where it is on its way to payment. Its lines enter the ledger (`claims`) under the number.
    states = "'草稿', '已打印', '已签字', '已提交', '已拨付', '已退回', '已作废'"
    _run(
        db,
        f"""CREATE TABLE claim_batches (
            id INTEGER PRIMARY KEY,
            number TEXT NOT NULL UNIQUE CHECK (length(trim(number)) > 0),
            item INTEGER NOT NULL CHECK (item BETWEEN 1 AND 6),
            organisation_id INTEGER NOT NULL REFERENCES organisations (id),
            year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
            sequence INTEGER NOT NULL CHECK (sequence > 0),
            batch_code TEXT,
            state TEXT NOT NULL CHECK (state IN ({states})),
            reason TEXT,
            total_fen INTEGER NOT NULL CHECK (total_fen >= 0),
            snapshot TEXT NOT NULL CHECK (json_valid(snapshot)),
            digest TEXT NOT NULL CHECK (length(digest) = 64),
            {_SYNC_COLUMNS},
            UNIQUE (organisation_id, year, sequence)
        )""",
        # The snapshot is what was signed: no update may change it.
        """CREATE TRIGGER claim_batches_snapshot_immutable
            BEFORE UPDATE OF number, item, organisation_id, year, sequence, snapshot, digest,
                total_fen ON claim_batches
            BEGIN SELECT RAISE(ABORT, '申领单快照不可修改'); END""",
        "CREATE INDEX claim_batches_change ON claim_batches (change_number)",
        # The signed pages (签字页扫描件/照片), kept in the database so a backup carries them.
        f"""CREATE TABLE claim_attachments (
            id INTEGER PRIMARY KEY,
            claim_batch_id INTEGER NOT NULL REFERENCES claim_batches (id),
            file_name TEXT NOT NULL,
            sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
            size INTEGER NOT NULL CHECK (size >= 0),
            content BLOB NOT NULL,
            {_SYNC_COLUMNS}
        )""",
        "CREATE INDEX claim_attachments_claim ON claim_attachments (claim_batch_id)",
        "CREATE INDEX claims_claim_number ON claims (claim_number)",
    )


@station_migrations(name="m008_sync_outbox")
def _m008(db: Database) -> None:
    # Sync with the city (同步). Local bookkeeping, not synced records: no UUID, no change number.
    # `sync_enrolment`: who we are to the city and the city's public keys (not secret; the
    # private key and the token live in the OS keychain). `sync_outbox`: every bundle built,
    # the change range it covers, and how far it got; a record is synced once an 已确认 bundle
    # covers its change number.
    _run(
        db,
        """CREATE TABLE sync_enrolment (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            station_id TEXT NOT NULL CHECK (length(trim(station_id)) > 0),
            city_url TEXT NOT NULL,
            city_public_key TEXT NOT NULL,
            city_verify_key TEXT NOT NULL,
            station_verify_key TEXT NOT NULL,
            enrolled_at TEXT NOT NULL
        )""",
        """CREATE TABLE sync_outbox (
            id INTEGER PRIMARY KEY,
            bundle_id TEXT NOT NULL UNIQUE CHECK (length(bundle_id) = 36),
            station_id TEXT NOT NULL,
            change_from INTEGER NOT NULL CHECK (change_from > 0),
            change_to INTEGER NOT NULL,
            record_count INTEGER NOT NULL CHECK (record_count >= 0),
            size INTEGER NOT NULL CHECK (size > 0),
            payload_sha256 TEXT NOT NULL CHECK (length(payload_sha256) = 64),
            content BLOB,
            state TEXT NOT NULL CHECK (state IN ('待发送', '已发送', '已确认', '被拒')),
            reason TEXT,
            receipt BLOB,
            created_at TEXT NOT NULL,
            sent_at TEXT,
            acknowledged_at TEXT,
            CHECK (change_to >= change_from),
            CHECK (state <> '被拒' OR reason IS NOT NULL)
        )""",
        "CREATE INDEX sync_outbox_state ON sync_outbox (state, change_to)",
        "CREATE INDEX claim_attachments_change ON claim_attachments (change_number)",
        "CREATE INDEX audit_log_change ON audit_log (change_number)",
    )


@station_migrations(name="m009_sync_schedule")
def _m009(db: Database) -> None:
    # The background sender's schedule, kept so it resumes after a restart: consecutive
    # failures (exponential backoff), when to try next, the last outcome (shown in the status
    # bar), and whether the station's public key was registered with the city. Per bundle:
    # how many times it was offered to the city, and when last.
    _run(
        db,
        """CREATE TABLE sync_schedule (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            failures INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
            next_attempt_at TEXT,
            last_attempt_at TEXT,
            last_success_at TEXT,
            last_outcome TEXT,
            last_detail TEXT,
            registered_at TEXT
        )""",
        "ALTER TABLE sync_outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE sync_outbox ADD COLUMN last_attempt_at TEXT",
    )


@station_migrations(name="m010_policy_updates_and_notices")
def _m010(db: Database) -> None:
    # What the city's receipts carry back (local bookkeeping, not synced records).
    # `policy_updates`: parameter files the city signed, kept byte for byte with the signature
    # (re-checked every time the schedule is loaded), one per file name = effective date.
    # `policy_update_refusals`: updates this station would not apply, and why.
    # `sync_notices`: the city's open findings on our records, replaced by each receipt that
    # carries a list; `sync_notice_source` says which receipt that was (an older receipt
    # imported late must not bring back findings the city has since closed).
    _run(
        db,
        """CREATE TABLE policy_updates (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE
                CHECK (name GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9].toml'),
            effective_from TEXT NOT NULL CHECK (date(effective_from) IS effective_from),
            content BLOB NOT NULL CHECK (length(content) > 0),
            content_sha256 TEXT NOT NULL CHECK (length(content_sha256) = 64),
            signature BLOB NOT NULL CHECK (length(signature) = 64),
            published_at TEXT NOT NULL,
            received_at TEXT NOT NULL,
            bundle_id TEXT NOT NULL,
            CHECK (name = effective_from || '.toml')
        )""",
        """CREATE TABLE policy_update_refusals (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            content_sha256 TEXT NOT NULL CHECK (length(content_sha256) = 64),
            reason TEXT NOT NULL CHECK (length(reason) > 0),
            bundle_id TEXT NOT NULL,
            refused_at TEXT NOT NULL,
            UNIQUE (name, content_sha256)
        )""",
        """CREATE TABLE sync_notices (
            id INTEGER PRIMARY KEY,
            table_name TEXT NOT NULL,
            record_uuid TEXT NOT NULL,
            message TEXT NOT NULL
        )""",
        "CREATE INDEX sync_notices_record ON sync_notices (record_uuid, table_name)",
        """CREATE TABLE sync_notice_source (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            bundle_id TEXT NOT NULL,
            issued_at TEXT NOT NULL,
            total INTEGER NOT NULL CHECK (total >= 0),
            received_at TEXT NOT NULL
        )""",
    )


def known_migrations() -> list[str]:
    """Names of the migrations this code knows, in order."""
    return [migration.name for migration in station_migrations._migrations]


CURRENT_VERSION = len(known_migrations())


def _user_tables(connection: sqlite3.Connection) -> list[str]:
    return [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]


def migrate(connection: sqlite3.Connection, path: Path | str, *, up_to: int | None = None) -> int:
    """Apply pending migrations in one IMMEDIATE transaction; return the resulting version.

    `up_to` stops after that many migrations (tests build databases of earlier versions).
    """
    database = Database(connection)
    known = known_migrations()
    connection.execute("BEGIN IMMEDIATE")
    try:
        tables = _user_tables(connection)
        if tables and Migrations.migrations_table not in tables:
            raise NotAStationDatabaseError(
                f"文件 {path} 是其他程序的 SQLite 数据库，不是 zwdesk 站点数据库"
            )
        applied = [entry.name for entry in station_migrations.applied(database)]
        user_version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        if any(name not in known for name in applied) or user_version > len(known):
            raise SchemaTooNewError(max(len(applied), user_version), len(known))
        target = len(known) if up_to is None else up_to
        stop_before = known[target] if target < len(known) else None
        if len(applied) < target:
            station_migrations.apply(database, stop_before=stop_before)
        version = len(station_migrations.applied(database))
        connection.execute(f"PRAGMA user_version = {version}")
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    return version
