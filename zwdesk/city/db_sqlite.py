"""The city database in one SQLite file (the default: `city.db` in the user's data folder).

Each session opens its own short connection, so the web server's worker threads and a
`zwdesk city import` in another process can share the file; WAL lets readers go on while a
bundle is being merged.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from operator import itemgetter
from pathlib import Path
from typing import Any

from zwdesk.city.city_sql import SQLITE, Upsert
from zwdesk.city.db_backend import Backend, Rows, Session
from zwdesk.city.errors import CityDatabaseError

BUSY_TIMEOUT_SECONDS = 30.0
# Page cache of a write session (writes take turns, so at most one holds this much): a
# city-size bundle's B-trees no longer fit the default 2 MB, and every insert would re-read.
WRITE_CACHE_KIB = 128 * 1024
# Records and audit entries are a few hundred bytes of JSON each: bigger pages hold more of
# them per B-tree node (a city-size bundle merges ≈12% faster than with the 4 KiB default).
PAGE_SIZE = 16 * 1024


class _SqliteSession(Session):
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def execute(self, sql: str, parameters: Sequence[object] = ()) -> Rows:
        return self._connection.execute(sql, parameters)

    def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> None:
        self._connection.executemany(sql, rows)

    def stream(self, sql: str, parameters: Sequence[object] = ()) -> Iterator[Any]:
        yield from self._connection.execute(sql, parameters)  # SQLite steps row by row

    def upsert(self, upsert: Upsert, rows: Sequence[Sequence[object]]) -> None:
        # New keys with a plain insert; only when some key was taken, an UPDATE of every row
        # (a row inserted just now is left as it is by the guard, or set to what it holds).
        connection = self._connection
        before = connection.total_changes
        connection.executemany(upsert.insert_new(), rows)
        if connection.total_changes - before < len(rows):
            parameters = itemgetter(*upsert.update_parameters())
            connection.executemany(upsert.update_taken(), map(parameters, rows))


class SqliteBackend(Backend):
    """The city database at `path` (created with its folder when missing)."""

    dialect = SQLITE
    errors = (sqlite3.Error,)

    def __init__(self, path: Path) -> None:
        self.path = path
        self.description = str(path)
        new = not path.exists() or path.stat().st_size == 0
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CityDatabaseError(f"无法创建文件夹 {path.parent}：{error.strerror}") from error
        if new:  # before the first table, outside any transaction, never on a file not ours
            self._set_up_new_file()

    def _set_up_new_file(self) -> None:
        """Page size and WAL for a new file. Another thread or process may be creating the same
        file at once and already be writing its tables: switching to WAL then fails at once
        with "database is locked" (SQLite's busy wait does not cover it), so it is tried again
        until the busy timeout; once the other is done the file is in WAL already."""
        deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
        while True:
            try:
                with self._connection() as connection:
                    connection.execute(f"PRAGMA page_size = {PAGE_SIZE}")
                    connection.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        try:
            connection = sqlite3.connect(
                self.path, isolation_level=None, timeout=BUSY_TIMEOUT_SECONDS
            )
        except sqlite3.Error as error:
            raise CityDatabaseError(f"无法打开市里数据库 {self.path}：{error}") from error
        with closing(connection):
            connection.execute("PRAGMA foreign_keys = ON")
            yield connection

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._connection() as connection:
            connection.execute("BEGIN")  # one snapshot for all the call's statements
            try:
                yield _SqliteSession(connection)
            finally:
                connection.execute("ROLLBACK")

    @contextmanager
    def write(self) -> Iterator[Session]:
        # BEGIN IMMEDIATE takes the write lock now, not at the first write: a check-then-insert
        # is atomic against other threads and processes.
        with self._connection() as connection:
            connection.execute(f"PRAGMA cache_size = -{WRITE_CACHE_KIB}")
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield _SqliteSession(connection)
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    def schema_version(self, session: Session) -> int:
        return int(session.execute("PRAGMA user_version").fetchone()[0])

    def set_schema_version(self, session: Session, version: int) -> None:
        session.execute(f"PRAGMA user_version = {int(version)}")

    def has_other_tables(self, session: Session) -> bool:
        return bool(session.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0])
