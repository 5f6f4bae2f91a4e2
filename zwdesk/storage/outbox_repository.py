"""Sync bookkeeping (同步): the change feed since a change number, the outbox of built bundles,
receipts, and the station's enrolment with the city."""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from zwdesk.domain.json_values import holds_float
from zwdesk.storage.database import StationDatabase
from zwdesk.storage.errors import RecordNotFoundError

# Every table of synced records, parents before children (the order a receiver can insert in).
SYNCED_TABLES = (
    "organisations",
    "station_profile",
    "workers",
    "placements",
    "follow_ups",
    "batches",
    "passengers",
    "gig_records",
    "claim_batches",
    "claims",
    "claim_attachments",
)
AUDIT_TABLE = "audit_log"

PENDING = "待发送"
SENT = "已发送"
CONFIRMED = "已确认"
REJECTED = "被拒"
OUTBOX_STATES = (PENDING, SENT, CONFIRMED, REJECTED)


@dataclass(frozen=True, slots=True)
class SyncEnrolmentRecord:
    """The station as the city enrolled it; keys are base64 (public halves only)."""

    station_id: str
    city_url: str
    city_public_key: str
    city_verify_key: str
    station_verify_key: str
    enrolled_at: str


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One built bundle and how far it got (待发送 → 已发送 → 已确认 / 被拒)."""

    bundle_id: str
    station_id: str
    change_from: int
    change_to: int
    record_count: int
    size: int
    payload_sha256: str
    state: str
    reason: str | None
    created_at: str
    sent_at: str | None
    acknowledged_at: str | None


@dataclass(frozen=True, slots=True)
class SyncScheduleRecord:
    """The background sender's state (one row): consecutive failures, when to try next, the
    last outcome and whether the station's key was registered with the city. Times ISO UTC."""

    failures: int = 0
    next_attempt_at: str | None = None
    last_attempt_at: str | None = None
    last_success_at: str | None = None
    last_outcome: str | None = None
    last_detail: str | None = None
    registered_at: str | None = None


_ENTRY_COLUMNS = (
    "bundle_id, station_id, change_from, change_to, record_count, size, payload_sha256, state,"
    " reason, created_at, sent_at, acknowledged_at"
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _json_value(value: Any) -> Any:
    # BLOBs (claim_attachments.content) travel as base64 text.
    return base64.b64encode(value).decode("ascii") if isinstance(value, bytes) else value


def _stored_json(text: str) -> Any:
    """An audit entry's old/new JSON text as a value. orjson is several times faster than
    `json` and reads the same values, except that it refuses NaN/Infinity and reads an integer
    beyond 64 bits as a float: such text — any with a float in it — is read by `json` again,
    as it always was."""
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)
    return json.loads(text) if holds_float(value) else value


def audit_entries(
    connection: sqlite3.Connection, since: int, through: int
) -> Iterator[tuple[str, dict[str, Any]]]:
    """The audit entries of the changes in (since, through] as `(table, JSON-ready entry)`."""
    cursor = connection.execute(
        "SELECT id, at, actor, operation, table_name, record_uuid, old, new, change_number"
        " FROM audit_log WHERE change_number > ? AND change_number <= ?"
        # The change-number index gives this order without sorting every entry again.
        " ORDER BY change_number, id",
        (since, through),
    )
    for row in cursor:
        yield (
            AUDIT_TABLE,
            {
                "id": row[0],
                "at": row[1],
                "actor": row[2],
                "operation": row[3],
                "table_name": row[4],
                "record_uuid": row[5],
                "old": None if row[6] is None else _stored_json(row[6]),
                "new": None if row[7] is None else _stored_json(row[7]),
                "change_number": row[8],
            },
        )


@contextmanager
def read_only_connection(path: Path) -> Iterator[sqlite3.Connection]:
    """A second, read-only connection to a station database file (for another process: what
    is committed; the change numbers it is asked for are all committed already)."""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        yield connection
    finally:
        connection.close()


class OutboxRepository:
    """Reads the change feed and keeps the outbox. Writes need `database.transaction()`."""

    def __init__(self, database: StationDatabase) -> None:
        self._database = database
        self._selects: dict[str, str] = {}

    # -- change feed -------------------------------------------------------------------------
    def current_change(self) -> int:
        row = self._database.connection.execute(
            "SELECT value FROM change_counter WHERE id = 1"
        ).fetchone()
        return int(row[0])

    def _select(self, table: str) -> str:
        """SELECT of a table's rows for the wire: local row ids dropped, references by UUID."""
        if table not in self._selects:
            connection = self._database.connection
            references = {
                row[3]: row[2] for row in connection.execute(f"PRAGMA foreign_key_list({table})")
            }
            columns = []
            for row in connection.execute(f"PRAGMA table_info({table})"):
                name = str(row[1])
                if name == "id":
                    continue
                if name in references:
                    stem = name.removesuffix("_id")
                    columns.append(
                        f"(SELECT uuid FROM {references[name]} WHERE id = t.{name}) AS {stem}_uuid"
                    )
                else:
                    columns.append(f"t.{name}")
            self._selects[table] = (
                f"SELECT {', '.join(columns)} FROM {table} AS t"
                " WHERE t.change_number > ? AND t.change_number <= ? ORDER BY t.change_number"
            )
        return self._selects[table]

    def changed_records(self, since: int, through: int) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every record (tombstones included) whose last change is in (since, through], then
        the audit entries of those changes — `(table, JSON-ready record)` pairs."""
        yield from self.changed_rows(since, through)
        yield from self.changed_audit_entries(since, through)

    def changed_rows(self, since: int, through: int) -> Iterator[tuple[str, dict[str, Any]]]:
        """The records (tombstones included) whose last change is in (since, through]."""
        connection = self._database.connection
        for table in SYNCED_TABLES:
            cursor = connection.execute(self._select(table), (since, through))
            names = [column[0] for column in cursor.description]
            for row in cursor:
                if bytes in map(type, row):
                    row = tuple(_json_value(value) for value in row)
                yield table, dict(zip(names, row, strict=True))

    def changed_audit_entries(
        self, since: int, through: int
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """The audit entries of the changes in (since, through]."""
        return audit_entries(self._database.connection, since, through)

    def audit_entry_count(self, since: int, through: int) -> int:
        row = self._database.connection.execute(
            "SELECT count(*) FROM audit_log WHERE change_number > ? AND change_number <= ?",
            (since, through),
        ).fetchone()
        return int(row[0])

    def pending_count(self, since: int) -> int:
        """How many records changed after `since` (待发送 N 条); audit entries not counted."""
        connection = self._database.connection
        return sum(
            int(
                connection.execute(
                    f"SELECT count(*) FROM {table} WHERE change_number > ?", (since,)
                ).fetchone()[0]
            )
            for table in SYNCED_TABLES
        )

    # -- enrolment ---------------------------------------------------------------------------
    def enrolment(self) -> SyncEnrolmentRecord | None:
        row = self._database.connection.execute(
            "SELECT station_id, city_url, city_public_key, city_verify_key, station_verify_key,"
            " enrolled_at FROM sync_enrolment WHERE id = 1"
        ).fetchone()
        return None if row is None else SyncEnrolmentRecord(*row)

    def save_enrolment(self, enrolment: SyncEnrolmentRecord) -> None:
        self._database.current_transaction()
        self._database.connection.execute(
            "INSERT OR REPLACE INTO sync_enrolment (id, station_id, city_url, city_public_key,"
            " city_verify_key, station_verify_key, enrolled_at) VALUES (1, ?, ?, ?, ?, ?, ?)",
            (
                enrolment.station_id,
                enrolment.city_url,
                enrolment.city_public_key,
                enrolment.city_verify_key,
                enrolment.station_verify_key,
                enrolment.enrolled_at,
            ),
        )

    # -- outbox ------------------------------------------------------------------------------
    def add(self, entry: OutboxEntry, content: bytes) -> None:
        """Record a freshly built bundle (state 待发送) with its bytes, for sending later."""
        self._database.current_transaction()
        self._database.connection.execute(
            f"INSERT INTO sync_outbox ({_ENTRY_COLUMNS}, content)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                entry.bundle_id,
                entry.station_id,
                entry.change_from,
                entry.change_to,
                entry.record_count,
                entry.size,
                entry.payload_sha256,
                entry.state,
                entry.reason,
                entry.created_at,
                entry.sent_at,
                entry.acknowledged_at,
                content,
            ),
        )

    def get(self, bundle_id: str) -> OutboxEntry:
        row = self._database.connection.execute(
            f"SELECT {_ENTRY_COLUMNS} FROM sync_outbox WHERE bundle_id = ?", (bundle_id,)
        ).fetchone()
        if row is None:
            raise RecordNotFoundError(f"发件箱中没有数据包 {bundle_id}")
        return OutboxEntry(*row)

    def entries(self) -> list[OutboxEntry]:
        """Every bundle built, oldest first."""
        rows = self._database.connection.execute(
            f"SELECT {_ENTRY_COLUMNS} FROM sync_outbox ORDER BY id"
        )
        return [OutboxEntry(*row) for row in rows]

    def content(self, bundle_id: str) -> bytes | None:
        """The bundle's bytes while it may still need sending (dropped once 已确认)."""
        row = self._database.connection.execute(
            "SELECT content FROM sync_outbox WHERE bundle_id = ?", (bundle_id,)
        ).fetchone()
        return None if row is None or row[0] is None else bytes(row[0])

    def mark_sent(self, bundle_id: str) -> None:
        self._database.current_transaction()
        self._database.connection.execute(
            "UPDATE sync_outbox SET state = ?, sent_at = coalesce(sent_at, ?)"
            " WHERE bundle_id = ? AND state IN (?, ?)",
            (SENT, _now(), bundle_id, PENDING, SENT),
        )

    def mark_confirmed(self, bundle_id: str, receipt: bytes) -> None:
        """A valid receipt covers the bundle: its changes count as synced; its bytes go."""
        self._database.current_transaction()
        self._database.connection.execute(
            "UPDATE sync_outbox SET state = ?, reason = NULL, receipt = ?, content = NULL,"
            " acknowledged_at = ? WHERE bundle_id = ?",
            (CONFIRMED, receipt, _now(), bundle_id),
        )

    def mark_rejected(self, bundle_id: str, reason: str, receipt: bytes) -> None:
        self._database.current_transaction()
        self._database.connection.execute(
            "UPDATE sync_outbox SET state = ?, reason = ?, receipt = ?, acknowledged_at = ?"
            " WHERE bundle_id = ? AND state <> ?",
            (REJECTED, reason, receipt, _now(), bundle_id, CONFIRMED),
        )

    def synced_through(self) -> int:
        """The highest change number such that every change up to it is covered by 已确认
        bundles (ranges chained from 1; a gap stops the count)."""
        rows = self._database.connection.execute(
            "SELECT change_from, change_to FROM sync_outbox WHERE state = ?"
            " ORDER BY change_from, change_to",
            (CONFIRMED,),
        )
        through = 0
        for change_from, change_to in rows:
            if change_from > through + 1:
                break
            through = max(through, int(change_to))
        return through

    def worker_records(self, id_number: str) -> list[tuple[str, str, str, int]]:
        """(table, uuid, key, change_number) of a worker, their live placements and those
        placements' live follow-ups; key is what the window knows the record by: the ID
        number, the placement's code, the follow-up's UUID (the worker's sync state per record)."""
        rows = self._database.connection.execute(
            "SELECT 'workers', uuid, id_number, change_number FROM workers WHERE id_number = ?1"
            " UNION ALL SELECT 'placements', p.uuid, p.code, p.change_number FROM placements p"
            " JOIN workers w ON w.id = p.worker_id WHERE w.id_number = ?1 AND p.deleted_at IS NULL"
            " UNION ALL SELECT 'follow_ups', f.uuid, f.uuid, f.change_number FROM follow_ups f"
            " JOIN placements p ON p.id = f.placement_id JOIN workers w ON w.id = p.worker_id"
            " WHERE w.id_number = ?1 AND f.deleted_at IS NULL AND p.deleted_at IS NULL",
            (id_number,),
        )
        return [(str(row[0]), str(row[1]), str(row[2]), int(row[3])) for row in rows]

    # -- the sender's bookkeeping -------------------------------------------------------------
    def oldest_unacknowledged(self) -> OutboxEntry | None:
        """The oldest bundle still to be offered to the city (待发送 or 已发送, bytes kept)."""
        row = self._database.connection.execute(
            f"SELECT {_ENTRY_COLUMNS} FROM sync_outbox WHERE state IN (?, ?)"
            " AND content IS NOT NULL ORDER BY id LIMIT 1",
            (PENDING, SENT),
        ).fetchone()
        return None if row is None else OutboxEntry(*row)

    def attempts(self, bundle_id: str) -> tuple[int, str | None]:
        """How many times the bundle was offered to the city, and when last."""
        row = self._database.connection.execute(
            "SELECT attempts, last_attempt_at FROM sync_outbox WHERE bundle_id = ?", (bundle_id,)
        ).fetchone()
        if row is None:
            raise RecordNotFoundError(f"发件箱中没有数据包 {bundle_id}")
        return int(row[0]), row[1]

    def record_attempt(self, bundle_id: str, at: str) -> None:
        self._database.current_transaction()
        self._database.connection.execute(
            "UPDATE sync_outbox SET attempts = attempts + 1, last_attempt_at = ?"
            " WHERE bundle_id = ?",
            (at, bundle_id),
        )

    def mark_refused(self, bundle_id: str, reason: str) -> None:
        """The city refused the upload itself (no receipt): 被拒 with its reason. The bytes go
        — a refused bundle is never offered again; the next attempt builds a new one."""
        self._database.current_transaction()
        self._database.connection.execute(
            "UPDATE sync_outbox SET state = ?, reason = ?, content = NULL"
            " WHERE bundle_id = ? AND state <> ?",
            (REJECTED, reason, bundle_id, CONFIRMED),
        )

    def schedule(self) -> SyncScheduleRecord:
        row = self._database.connection.execute(
            "SELECT failures, next_attempt_at, last_attempt_at, last_success_at, last_outcome,"
            " last_detail, registered_at FROM sync_schedule WHERE id = 1"
        ).fetchone()
        return SyncScheduleRecord() if row is None else SyncScheduleRecord(*row)

    def save_schedule(self, schedule: SyncScheduleRecord) -> None:
        self._database.current_transaction()
        self._database.connection.execute(
            "INSERT OR REPLACE INTO sync_schedule (id, failures, next_attempt_at, last_attempt_at,"
            " last_success_at, last_outcome, last_detail, registered_at)"
            " VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
            (
                schedule.failures,
                schedule.next_attempt_at,
                schedule.last_attempt_at,
                schedule.last_success_at,
                schedule.last_outcome,
                schedule.last_detail,
                schedule.registered_at,
            ),
        )
