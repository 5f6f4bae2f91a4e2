"""The city database (市里数据库): stations, received bundles, merged records, persons,
conflicts and published policy updates — on an SQLite file (the default) or on PostgreSQL.

Its own schema, unrelated to a station's. One row per (table, uuid) keeps the newest change a
station sent; audit entries are kept per (station, id); persons are keyed by ID number across
stations (`person_records` links every station's worker record to its person). Conflicts are
what the city-wide analysis finds, with the staff's resolution; policy updates are the signed
parameter files the city publishes to the stations. The SQL is in `city_sql` (written once for
both), the connections in `db_sqlite` / `db_postgres`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import platformdirs
from nacl.signing import VerifyKey

from zwdesk.city import city_sql
from zwdesk.city.city_sql import SCHEMA_VERSION
from zwdesk.city.db_backend import Backend, Session
from zwdesk.city.db_sqlite import SqliteBackend
from zwdesk.city.errors import (
    CityDatabaseError,
    CityError,
    RegistrationError,
    StationExistsError,
)
from zwdesk.city.merge_rows import AUDIT_ENTRIES, RECORDS, Worker, merged_rows
from zwdesk.city.records import (
    CONFLICT_GONE,
    CONFLICT_OPEN,
    CONFLICT_RESOLVED,
    CityConflict,
    ConflictRow,
    MergedRecord,
    PolicyUpdateRow,
    RecordRef,
    StationNotice,
)
from zwdesk.domain.collector import collector_paused
from zwdesk.sync.bundle import BundleRecord, VerifiedBundle
from zwdesk.sync.canonical import from_base64
from zwdesk.sync.manifest import BundleManifest

__all__ = ["SCHEMA_VERSION", "BundleRow", "CityDatabase", "StationRow", "open_city_database"]

POSTGRES_URL_SCHEMES = ("postgresql://", "postgres://")


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


def is_postgres_url(target: str | Path) -> bool:
    return isinstance(target, str) and target.startswith(POSTGRES_URL_SCHEMES)


def open_city_database(target: str | Path) -> CityDatabase:
    """The city database at `target`: a postgresql:// URL, or else an SQLite file's path."""
    return CityDatabase(target)


class CityDatabase:
    """The city database at `target` (a postgresql:// URL or an SQLite file's path), created
    or upgraded to SCHEMA_VERSION on opening. Each call takes its own connection and
    transaction, so it is thread-safe: the web server calls it from worker threads,
    `zwdesk city import` from another process."""

    def __init__(self, target: str | Path) -> None:
        backend: Backend
        if is_postgres_url(target):
            from zwdesk.city.db_postgres import PostgresBackend  # psycopg only when needed

            backend = PostgresBackend(str(target))
        else:
            backend = SqliteBackend(Path(target))
        self._backend = backend
        self.path: Path | None = backend.path if isinstance(backend, SqliteBackend) else None
        self._migrate()

    @property
    def description(self) -> str:
        """Where the database is, fit for messages and logs (the password masked)."""
        return self._backend.description

    @property
    def dialect(self) -> str:
        """The backend's name: sqlite or postgresql."""
        return self._backend.dialect.name

    def close(self) -> None:
        """Close the idle connections kept for the next call (PostgreSQL)."""
        self._backend.close()

    def __enter__(self) -> CityDatabase:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _migrate(self) -> None:
        """Create the schema, or bring an older city database up to SCHEMA_VERSION in place
        (under the write lock: two processes opening a new database at once create it once)."""
        backend, where = self._backend, self._backend.description
        try:
            with backend.write() as session:
                version = backend.schema_version(session)
                if version == SCHEMA_VERSION:
                    return
                if version > SCHEMA_VERSION:
                    raise CityDatabaseError(
                        f"市里数据库 {where} 来自更新版本的 zwdesk（结构版本 {version}）"
                    )
                if version == 0 and backend.has_other_tables(session):
                    raise CityDatabaseError(f"{where} 不是市里数据库（已有其他数据表）")
                for target in range(version + 1, SCHEMA_VERSION + 1):
                    for statement in city_sql.migration(target, backend.dialect):
                        session.execute(statement)
                backend.set_schema_version(session, SCHEMA_VERSION)
        except backend.errors as error:
            raise CityDatabaseError(f"{where} 不是可用的市里数据库（{error}）") from error

    # -- stations ----------------------------------------------------------------------------
    def add_station(self, station_id: str, name: str, city_url: str, token: str) -> StationRow:
        with self._backend.write() as session:
            if session.execute("SELECT 1 FROM stations WHERE id = ?", (station_id,)).fetchone():
                raise StationExistsError(f"站点 {station_id} 已存在")
            created = _now()
            session.execute(
                "INSERT INTO stations (id, name, city_url, token_sha256, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (station_id, name, city_url, token_digest(token), created),
            )
        return StationRow(station_id, name, city_url, None, None, created)

    def station(self, station_id: str) -> StationRow | None:
        with self._backend.read() as session:
            row = session.execute(
                "SELECT id, name, city_url, public_key, registered_at, created_at"
                " FROM stations WHERE id = ?",
                (station_id,),
            ).fetchone()
        return None if row is None else StationRow(*row)

    def register(self, station_id: str, token: str, public_key: str) -> None:
        """Register a station's Ed25519 public key with its one-time token.

        The same token with the same key again succeeds and changes nothing (a station whose
        first answer was lost on the way simply asks again). RegistrationError for an unknown
        station, a wrong token, or a used token with another key — the same message for all
        three, so the answer tells a guesser nothing.
        """
        from_base64(public_key, 32)  # ValueError: not a key
        refused = RegistrationError(
            "登记令牌无效或已经用过（每个令牌只能用一次）：请向市里申请新的登记文件"
        )
        with self._backend.write() as session:
            row = session.execute(
                "SELECT token_sha256, public_key FROM stations WHERE id = ?", (station_id,)
            ).fetchone()
            if row is None or not hmac.compare_digest(str(row[0]), token_digest(token)):
                raise refused
            if row[1] is not None:
                if row[1] == public_key:
                    return
                raise refused
            session.execute(
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
        with self._backend.read() as session:
            rows = session.execute(query, parameters).fetchall()
        return {str(row[0]): VerifyKey(from_base64(str(row[1]), 32)) for row in rows}

    # -- bundles -----------------------------------------------------------------------------
    def bundle(self, bundle_id: str) -> BundleRow | None:
        with self._backend.read() as session:
            return _bundle(session, bundle_id)

    def store_bundle(
        self,
        manifest: BundleManifest,
        records: VerifiedBundle | Iterable[BundleRecord],
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
        with self._backend.write() as session:
            existing = _bundle(session, manifest.bundle_id)
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
            session.execute(
                city_sql.INSERT_BUNDLE,
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
            workers = _merge(session, manifest, records)
            _merge_persons(session, manifest, workers, received_at)
        return row, True

    # -- reading (tests, later reports) ------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Rows per table: bundles, records (per synced table), audit entries, persons."""
        with self._backend.read() as session:
            result = {
                name: int(session.execute(f"SELECT count(*) FROM {name}").fetchone()[0])
                for name in ("stations", "bundles", "audit_entries", "persons", "person_records")
            }
            for table, count in session.execute(
                "SELECT table_name, count(*) FROM records GROUP BY table_name"
            ):
                result[f"records.{table}"] = int(count)
        return result

    def record_versions(self) -> dict[tuple[str, str], int]:
        """(table, uuid) → the change number kept."""
        with self._backend.read() as session:
            rows = session.execute("SELECT table_name, uuid, change_number FROM records")
            return {(str(table), str(uuid)): int(change) for table, uuid, change in rows}

    def live_records(self, tables: Iterable[str] | None = None) -> Iterator[MergedRecord]:
        """Every merged record not deleted, ordered by table then uuid, streamed from the
        database (the whole city never sits in memory at once)."""
        query = "SELECT station_id, table_name, uuid, data FROM records WHERE deleted = 0"
        parameters: tuple[str, ...] = ()
        if tables is not None:
            parameters = tuple(tables)
            if not parameters:
                return
            query += f" AND table_name IN ({', '.join('?' * len(parameters))})"
        query += " ORDER BY table_name, uuid"
        with self._backend.read() as session:
            for station_id, table, uuid, data in session.stream(query, parameters):
                yield MergedRecord(str(station_id), str(table), str(uuid), _mapping(data))

    # -- conflicts ---------------------------------------------------------------------------
    def replace_conflicts(self, found: Iterable[CityConflict], *, now: str | None = None) -> None:
        """Store what the latest city-wide analysis found, in one transaction.

        A conflict already stored keeps its state and resolution (one found again after it was
        `gone` is open again) and gets the new message, records and last_found_at; a new one
        is open; an open one not found any more becomes `gone`. Resolved ones stay resolved.
        With the same key twice in `found`, the last one counts.
        """
        stamp = now or _now()
        latest = {conflict.key: conflict for conflict in found}
        with self._backend.write() as session:
            states = dict(session.execute("SELECT key, state FROM conflicts").fetchall())
            for key, conflict in latest.items():
                state = states.get(key)
                if state is None:
                    session.execute(
                        "INSERT INTO conflicts (key, kind, year, message, state,"
                        " first_found_at, last_found_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (
                            key,
                            conflict.kind,
                            conflict.year,
                            conflict.message,
                            CONFLICT_OPEN,
                            stamp,
                            stamp,
                        ),
                    )
                else:
                    session.execute(
                        "UPDATE conflicts SET kind = ?, year = ?, message = ?, state = ?,"
                        " last_found_at = ? WHERE key = ?",
                        (
                            conflict.kind,
                            conflict.year,
                            conflict.message,
                            CONFLICT_OPEN if state == CONFLICT_GONE else state,
                            stamp,
                            key,
                        ),
                    )
                    session.execute("DELETE FROM conflict_refs WHERE conflict_key = ?", (key,))
                session.executemany(
                    "INSERT INTO conflict_refs (conflict_key, position, station_id, table_name,"
                    " uuid) VALUES (?, ?, ?, ?, ?)",
                    [
                        (key, position, ref.station_id, ref.table, ref.uuid)
                        for position, ref in enumerate(conflict.refs)
                    ],
                )
            session.executemany(
                "UPDATE conflicts SET state = ? WHERE key = ? AND state = ?",
                [
                    (CONFLICT_GONE, key, CONFLICT_OPEN)
                    for key, state in states.items()
                    if state == CONFLICT_OPEN and key not in latest
                ],
            )

    def conflicts(self, state: str | None = None) -> list[ConflictRow]:
        """Stored conflicts (only those in `state` when given), ordered by key."""
        with self._backend.read() as session:
            return _conflict_rows(
                session, "state = ?" if state else "1 = 1", (state,) if state else ()
            )

    def conflict(self, key: str) -> ConflictRow | None:
        with self._backend.read() as session:
            rows = _conflict_rows(session, "key = ?", (key,))
        return rows[0] if rows else None

    def resolve_conflict(self, key: str, resolution: str, by: str) -> ConflictRow:
        """Record the staff's resolution; the conflict is then resolved for good (a later
        analysis that still finds it keeps it resolved)."""
        if not resolution.strip():
            raise CityError(f"冲突 {key}：处理意见不能为空")
        if not by.strip():
            raise CityError(f"冲突 {key}：须写明处理人")
        with self._backend.write() as session:
            changed = session.execute(
                "UPDATE conflicts SET state = ?, resolution = ?, resolved_by = ?,"
                " resolved_at = ? WHERE key = ?",
                (CONFLICT_RESOLVED, resolution.strip(), by.strip(), _now(), key),
            ).rowcount
            if not changed:
                raise CityError(f"没有编号为 {key} 的冲突")
            return _conflict_rows(session, "key = ?", (key,))[0]

    def open_notices(self, station_id: str) -> list[StationNotice]:
        """For every open conflict, one notice per record of `station_id` it names."""
        with self._backend.read() as session:
            rows = session.execute(
                "SELECT r.table_name, r.uuid, c.message FROM conflict_refs r"
                " JOIN conflicts c ON c.key = r.conflict_key"
                " WHERE r.station_id = ? AND c.state = ? ORDER BY c.key, r.position",
                (station_id, CONFLICT_OPEN),
            ).fetchall()
        return [StationNotice(str(table), str(uuid), str(message)) for table, uuid, message in rows]

    # -- policy updates ----------------------------------------------------------------------
    def publish_policy(self, update: PolicyUpdateRow) -> None:
        """Keep a signed parameter file for the stations. Publishing the same file again
        changes nothing; another file under a name already published is refused."""
        with self._backend.write() as session:
            row = session.execute(
                "SELECT effective_from, content, signature FROM policy_updates WHERE name = ?",
                (update.name,),
            ).fetchone()
            if row is not None:
                if (row[0], bytes(row[1]), bytes(row[2])) != (
                    update.effective_from,
                    update.content,
                    update.signature,
                ):
                    raise CityError(
                        f"参数文件 {update.name} 已发布过内容不同的版本：请换一个文件名发布"
                    )
                return
            session.execute(
                "INSERT INTO policy_updates (name, effective_from, content, signature,"
                " published_at) VALUES (?, ?, ?, ?, ?)",
                (
                    update.name,
                    update.effective_from,
                    update.content,
                    update.signature,
                    update.published_at,
                ),
            )

    def policy_updates(self) -> list[PolicyUpdateRow]:
        """Every published parameter file, ordered by effective date."""
        with self._backend.read() as session:
            rows = session.execute(
                "SELECT name, effective_from, content, signature, published_at"
                " FROM policy_updates ORDER BY effective_from, name"
            ).fetchall()
        return [
            PolicyUpdateRow(str(name), str(effective), bytes(content), bytes(signature), str(at))
            for name, effective, content, signature, at in rows
        ]


def _bundle(session: Session, bundle_id: str) -> BundleRow | None:
    row = session.execute(city_sql.SELECT_BUNDLE, (bundle_id,)).fetchone()
    if row is None:
        return None
    (bundle, station, change_from, change_to, payload, sealed, count, size, receipt, at, via) = row
    return BundleRow(
        bundle,
        station,
        change_from,
        change_to,
        payload,
        sealed,
        count,
        size,
        bytes(receipt),
        at,
        via,
    )


def _mapping(data: str | Mapping[str, Any]) -> Mapping[str, Any]:
    """A `data` column as a mapping: SQLite hands out JSON text, PostgreSQL a parsed JSONB."""
    if isinstance(data, str):
        loaded: Mapping[str, Any] = json.loads(data)
        return loaded
    return data


def _conflict_rows(session: Session, where: str, parameters: tuple[str, ...]) -> list[ConflictRow]:
    rows = session.execute(
        "SELECT key, kind, year, message, state, first_found_at, last_found_at, resolution,"
        f" resolved_by, resolved_at FROM conflicts WHERE {where} ORDER BY key",
        parameters,
    ).fetchall()
    refs: dict[str, list[RecordRef]] = {str(row[0]): [] for row in rows}
    if refs:
        for key, station, table, uuid in session.execute(
            "SELECT r.conflict_key, r.station_id, r.table_name, r.uuid FROM conflict_refs r"
            f" JOIN conflicts ON conflicts.key = r.conflict_key WHERE {where}"
            " ORDER BY r.conflict_key, r.position",
            parameters,
        ):
            refs[str(key)].append(RecordRef(str(station), str(table), str(uuid)))
    return [
        ConflictRow(
            conflict=CityConflict(
                key=str(row[0]),
                kind=str(row[1]),
                year=None if row[2] is None else int(row[2]),
                message=str(row[3]),
                refs=tuple(refs[str(row[0])]),
            ),
            state=str(row[4]),
            first_found_at=str(row[5]),
            last_found_at=str(row[6]),
            resolution=str(row[7]),
            resolved_by=str(row[8]),
            resolved_at=str(row[9]),
        )
        for row in rows
    ]


def _merge(
    session: Session, manifest: BundleManifest, source: VerifiedBundle | Iterable[BundleRecord]
) -> list[Worker]:
    """Upsert the records and insert the audit entries; returns the bundle's workers."""
    workers: list[Worker] = []
    with collector_paused():  # a million rows pass through: nothing for the collector
        for kind, rows in merged_rows(manifest, source, workers):
            if kind == RECORDS:
                session.upsert(city_sql.RECORD_UPSERT, rows)
            else:
                session.bulk_insert(
                    AUDIT_ENTRIES, city_sql.AUDIT_COLUMNS, rows, city_sql.AUDIT_ON_CONFLICT
                )
    return workers


def _merge_persons(
    session: Session,
    manifest: BundleManifest,
    workers: list[Worker],
    now: str,
) -> None:
    """One person per ID number for the worker records this bundle wrote (a record the merge
    left alone — older, or another station's UUID — changes no person)."""
    written = {
        str(row[0])
        for row in session.execute(city_sql.WORKERS_WRITTEN_BY_BUNDLE, (manifest.bundle_id,))
    }
    names: dict[str, str] = {}
    links: list[tuple[object, ...]] = []
    for uuid, id_number, name, deleted in workers:
        if uuid not in written or not isinstance(id_number, str):
            continue
        # Two records of one person in one bundle: one name, the same on both databases.
        names[id_number] = max(names.get(id_number, ""), name if isinstance(name, str) else "")
        links.append((uuid, id_number, manifest.station_id, deleted))
    session.upsert(
        city_sql.PERSON_UPSERT,
        sorted((id_number, name, now, now) for id_number, name in names.items()),
    )
    session.upsert(city_sql.PERSON_RECORD_UPSERT, sorted(links))
