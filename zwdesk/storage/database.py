"""Open a station database (pragmas, migrations, clear errors); run every write in a transaction."""

from __future__ import annotations

import json
import os
import sqlite3
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs

from zwdesk.storage.errors import (
    ConstraintViolationError,
    DatabaseLockedError,
    NotAStationDatabaseError,
    NoTransactionError,
    StorageError,
)
from zwdesk.storage.migrations import migrate

DEFAULT_BUSY_TIMEOUT_MS = 5000
APP_NAME = "zwdesk"

# A row as the audit log stores it: column name → value (JSON-compatible).
Row = Mapping[str, Any]


def default_database_path() -> Path:
    """`station.db` in the per-user data directory (e.g. %LOCALAPPDATA%\\zwdesk on Windows)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "station.db"


def new_uuid() -> str:
    """A fresh record UUID (every record has one, for sync)."""
    return new_uuids(1)[0]


def new_uuids(count: int) -> list[str]:
    """`count` time-ordered UUIDs (RFC 9562 version 7), ascending within one call.

    48 bits of Unix milliseconds, then a 32-bit sequence number within this call, then 40
    random bits. Time order keeps the UUID indexes append-mostly (a random v4 UUID lands on
    a random page: bulk imports slowed down once the index outgrew the page cache); the
    random bits keep UUIDs made on different machines distinct, as sync needs.
    """
    stamp = f"{time.time_ns() // 1_000_000 & 0xFFFF_FFFF_FFFF:012x}"
    head = f"{stamp[:8]}-{stamp[8:]}-7"
    random_hex = os.urandom(5 * count).hex()
    # Hex layout: time 12 | "7" | sequence 32 bits (3 + 3 + 2 digits, variant "8" between) |
    # 40 random bits. Formatting text is far cheaper than big-integer arithmetic per UUID.
    return [
        f"{head}{sequence >> 20:03x}-8{sequence >> 8 & 0xFFF:03x}-{sequence & 0xFF:02x}"
        f"{random_hex[10 * sequence : 10 * sequence + 10]}"
        for sequence in range(count)
    ]


def translate_error(error: sqlite3.Error, path: Path | str) -> StorageError:
    """Turn SQLite's English messages into Chinese ones a station worker can act on."""
    message = str(error)
    if "file is not a database" in message or "file is encrypted" in message:
        return NotAStationDatabaseError(
            f"文件 {path} 不是 zwdesk 站点数据库（可能已损坏、已加密或是其他程序的文件）"
        )
    if "locked" in message or "busy" in message:
        return DatabaseLockedError(
            f"数据库 {path} 正被另一个程序（或另一个 zwdesk 窗口）占用，请关闭后重试"
        )
    if isinstance(error, sqlite3.IntegrityError):
        return ConstraintViolationError(f"数据不符合数据库规则，未保存任何内容（{message}）")
    if "unable to open" in message:
        return StorageError(f"无法打开数据库文件 {path}（目录不存在或没有权限）")
    if "readonly" in message:
        return StorageError(f"数据库文件 {path} 是只读的，无法保存")
    return StorageError(f"数据库错误：{message}")


@dataclass
class Transaction:
    """One write transaction: its actor, time, change numbers and buffered audit entries."""

    actor: str
    now: str
    last_change: int
    audit_rows: list[tuple[Any, ...]] = field(default_factory=list)

    def next_change(self) -> int:
        """The next change number of this database (one counter, bumped by every write)."""
        self.last_change += 1
        return self.last_change

    def audit(
        self,
        operation: str,
        table: str,
        record_uuid: str,
        old: Row | None,
        new: Row | None,
        change_number: int,
    ) -> None:
        """Record who changed which record from what to what (written at commit)."""
        self.audit_rows.append(
            (
                self.now,
                self.actor,
                operation,
                table,
                record_uuid,
                _to_json(old),
                _to_json(new),
                change_number,
            )
        )


# One encoder for every audit entry: json.dumps with options builds a new one per call.
_AUDIT_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str)


def _to_json(row: Row | None) -> str | None:
    if row is None:
        return None
    return _AUDIT_ENCODER.encode(row if isinstance(row, dict) else dict(row))


class StationDatabase:
    """An open station database. Reads go through `connection`; writes through `transaction()`."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.connection = connection
        self.path = path
        self._transaction: Transaction | None = None

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        """Close the connection (a running transaction is rolled back by SQLite)."""
        self.connection.close()

    def __enter__(self) -> StationDatabase:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        """How many migrations this database has (PRAGMA user_version)."""
        return int(self.connection.execute("PRAGMA user_version").fetchone()[0])

    # -- transactions ------------------------------------------------------------------------
    @contextmanager
    def transaction(self, actor: str = "") -> Iterator[Transaction]:
        """BEGIN IMMEDIATE … COMMIT; ROLLBACK on any exception, so nothing half-written stays.

        A nested call runs in a SAVEPOINT of the outer transaction (its actor is the outer one).
        """
        if self._transaction is not None:
            yield from self._savepoint(self._transaction)
            return
        try:
            self.connection.execute("BEGIN IMMEDIATE")
            counter = self.connection.execute(
                "SELECT value FROM change_counter WHERE id = 1"
            ).fetchone()[0]
        except sqlite3.Error as error:
            self._rollback_quietly()
            raise translate_error(error, self.path) from error
        now = datetime.now(UTC).isoformat(timespec="milliseconds")
        transaction = Transaction(actor=actor, now=now, last_change=int(counter))
        self._transaction = transaction
        try:
            yield transaction
            self._flush(transaction)
            self.connection.execute("COMMIT")
        except sqlite3.Error as error:
            self._rollback_quietly()
            raise translate_error(error, self.path) from error
        except BaseException:
            self._rollback_quietly()
            raise
        finally:
            self._transaction = None

    def _savepoint(self, transaction: Transaction) -> Iterator[Transaction]:
        name = f"zwdesk_{uuid.uuid4().hex}"
        audit_mark, change_mark = len(transaction.audit_rows), transaction.last_change
        self.connection.execute(f"SAVEPOINT {name}")
        try:
            yield transaction
        except BaseException:
            if self.connection.in_transaction:
                self.connection.execute(f"ROLLBACK TO SAVEPOINT {name}")
                self.connection.execute(f"RELEASE SAVEPOINT {name}")
            del transaction.audit_rows[audit_mark:]
            transaction.last_change = change_mark
            raise
        self.connection.execute(f"RELEASE SAVEPOINT {name}")

    def _flush(self, transaction: Transaction) -> None:
        if transaction.audit_rows:
            self.connection.executemany(
                "INSERT INTO audit_log (at, actor, operation, table_name, record_uuid, old, new,"
                " change_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                transaction.audit_rows,
            )
        self.connection.execute(
            "UPDATE change_counter SET value = ? WHERE id = 1", (transaction.last_change,)
        )

    def _rollback_quietly(self) -> None:
        if self.connection.in_transaction:
            self.connection.execute("ROLLBACK")

    def current_transaction(self) -> Transaction:
        """The running transaction; writing without one is a programming error."""
        if self._transaction is None:
            raise NoTransactionError("写入数据库须在事务中进行（StationDatabase.transaction()）")
        return self._transaction


def open_station_database(
    path: Path | str | None = None,
    *,
    create: bool = True,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
) -> StationDatabase:
    """Open (or create) a station database and bring its schema up to date.

    Raises NotAStationDatabaseError, DatabaseLockedError, SchemaTooNewError or StorageError,
    each with a Chinese message; the file is left untouched when opening fails.
    """
    file_path = Path(path) if path is not None else default_database_path()
    if not file_path.exists():
        if not create:
            raise StorageError(f"数据库文件 {file_path} 不存在")
        file_path.parent.mkdir(parents=True, exist_ok=True)
    elif file_path.is_dir():
        raise StorageError(f"{file_path} 是目录，不是数据库文件")
    try:
        connection = sqlite3.connect(
            str(file_path), isolation_level=None, timeout=busy_timeout_ms / 1000
        )
    except sqlite3.Error as error:
        raise translate_error(error, file_path) from error
    try:
        connection.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        connection.execute("PRAGMA foreign_keys = ON")
        # Reading the schema is the first real read: a non-database file fails here.
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        connection.execute("PRAGMA journal_mode = WAL").fetchone()
        connection.execute("PRAGMA synchronous = NORMAL")
        # 64 MB page cache: bulk imports update random-UUID indexes all over the file.
        connection.execute("PRAGMA cache_size = -65536")
        migrate(connection, file_path)
    except sqlite3.Error as error:
        connection.close()
        raise translate_error(error, file_path) from error
    except BaseException:
        connection.close()
        raise
    return StationDatabase(connection, file_path)
