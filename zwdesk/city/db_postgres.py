"""The city database on PostgreSQL (`--db postgresql://user:password@host/dbname`), for the
real deployment.

psycopg 3; a few idle connections are kept for the next call (each call still has a
connection to itself), and one that no longer answers — the server restarted — is replaced
without the caller noticing. Writes are serialised with a transaction-level advisory lock,
the counterpart of SQLite's BEGIN IMMEDIATE, so check-then-insert (a bundle received twice at
once, a token used twice) is atomic; reads run in one REPEATABLE READ snapshot. The schema
version is kept in `zwdesk_meta`. The tables live in the connection's current schema, so one
server can hold several city databases (`?options=-csearch_path%3Dname` in the URL).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from functools import lru_cache
from itertools import count
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg import pq

from zwdesk.city.city_sql import POSTGRES
from zwdesk.city.db_backend import Backend, Rows, Session
from zwdesk.city.errors import CityDatabaseError

IDLE_CONNECTIONS = 4
CONNECT_TIMEOUT_SECONDS = 10
STREAM_BATCH_ROWS = 2000
# Any fixed number: the lock all of zwdesk's city writers on one server agree on.
WRITE_LOCK_KEY = 0x7A77_6465_736B  # "zwdesk"
APPLICATION_NAME = "zwdesk-city"
_MASK = "***"
_BEGIN_READ = ("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",)
_BEGIN_WRITE = ("BEGIN", f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")


def mask_url(url: str) -> str:
    """The URL with its password (in the user part or as ?password=) replaced by ***."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        user, _, host = netloc.rpartition("@")
        if ":" in user:
            user = user.split(":", 1)[0] + ":" + _MASK
        netloc = f"{user}@{host}"
    query = parts.query
    if "password" in query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, _MASK if k == "password" else v) for k, v in pairs], safe="*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


@lru_cache(maxsize=256)
def _placeholders(sql: str) -> str:
    """The shared SQL's `?` placeholders as psycopg's `%s` (the SQL has no literal % or ?)."""
    return sql.replace("?", "%s")


class _PostgresSession(Session):
    _cursor_names = count(1)

    def __init__(self, connection: psycopg.Connection[Any]) -> None:
        self._connection = connection

    def execute(self, sql: str, parameters: Sequence[object] = ()) -> Rows:
        return self._connection.execute(_placeholders(sql), parameters)

    def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> None:
        with self._connection.cursor() as cursor:
            cursor.executemany(_placeholders(sql), rows)  # pipelined: no round trip per row

    def bulk_insert(
        self,
        table: str,
        columns: tuple[str, ...],
        rows: Iterable[Sequence[object]],
        on_conflict: str = "",
    ) -> None:
        # COPY into a staging table and one INSERT … SELECT: half the time of a pipelined
        # executemany on a city-size bundle, the same conflict rules.
        names = ", ".join(columns)
        staging = f"zwdesk_incoming_{table}"
        with self._connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {staging} (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP"
            )
            with cursor.copy(f"COPY {staging} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT {names} FROM {staging} {on_conflict}"
            )
            cursor.execute(f"DROP TABLE {staging}")

    def stream(self, sql: str, parameters: Sequence[object] = ()) -> Iterator[Any]:
        # A server-side cursor: the client holds one batch at a time, not the whole result.
        name = f"zwdesk_stream_{next(self._cursor_names)}"
        with self._connection.cursor(name=name) as cursor:
            cursor.itersize = STREAM_BATCH_ROWS
            cursor.execute(_placeholders(sql), parameters)
            yield from cursor


class PostgresBackend(Backend):
    """The city database at a postgresql:// URL."""

    dialect = POSTGRES
    errors = (psycopg.Error,)

    def __init__(self, url: str) -> None:
        self._url = url
        self._password = urlsplit(url).password or ""
        self.description = mask_url(url)
        self._idle: list[psycopg.Connection[Any]] = []
        self._lock = threading.Lock()
        # A database dropped without close() (a CLI run) still closes its idle connections.
        weakref.finalize(self, _close_all, self._idle)

    def _safe(self, error: Exception) -> str:
        """The driver's message, without the password should it ever repeat it."""
        text = str(error).strip()
        return text.replace(self._password, _MASK) if self._password else text

    def _connect(self) -> psycopg.Connection[Any]:
        try:
            return psycopg.connect(
                self._url,
                autocommit=True,  # transactions are explicit: BEGIN … COMMIT in _session
                connect_timeout=CONNECT_TIMEOUT_SECONDS,
                application_name=APPLICATION_NAME,
            )
        except psycopg.Error as error:
            message = f"无法连接市里数据库 {self.description}：{self._safe(error)}"
            raise CityDatabaseError(message) from None  # the cause may carry the URL

    def _begin(self, begin: Sequence[str]) -> psycopg.Connection[Any]:
        """A connection inside a new transaction: an idle one if it still answers (the server
        may have restarted since), else a new one."""
        while True:
            with self._lock:
                connection = self._idle.pop() if self._idle else None
            if connection is None:
                break
            try:
                for statement in begin:
                    connection.execute(statement)
                return connection
            except psycopg.OperationalError:
                connection.close()
        connection = self._connect()
        for statement in begin:
            connection.execute(statement)
        return connection

    def _checkin(self, connection: psycopg.Connection[Any]) -> None:
        reusable = (
            not connection.closed
            and not connection.broken
            and connection.info.transaction_status == pq.TransactionStatus.IDLE
        )
        with self._lock:
            if reusable and len(self._idle) < IDLE_CONNECTIONS:
                self._idle.append(connection)
                return
        connection.close()

    @contextmanager
    def _session(self, begin: Sequence[str]) -> Iterator[Session]:
        connection = self._begin(begin)
        try:
            yield _PostgresSession(connection)
        except BaseException:
            if not connection.broken:
                with suppress(psycopg.Error):
                    connection.execute("ROLLBACK")
            raise
        else:
            connection.execute("COMMIT")
        finally:
            self._checkin(connection)

    def read(self) -> AbstractContextManager[Session]:
        return self._session(_BEGIN_READ)

    def write(self) -> AbstractContextManager[Session]:
        return self._session(_BEGIN_WRITE)

    def schema_version(self, session: Session) -> int:
        if session.execute("SELECT current_schema()").fetchone()[0] is None:
            raise CityDatabaseError(
                f"市里数据库 {self.description} 没有可建表的模式（schema）：请检查 search_path"
            )
        if session.execute("SELECT to_regclass('zwdesk_meta')").fetchone()[0] is None:
            return 0
        row = session.execute("SELECT value FROM zwdesk_meta WHERE key = 'schema_version'")
        found = row.fetchone()
        return 0 if found is None else int(found[0])

    def set_schema_version(self, session: Session, version: int) -> None:
        session.execute(
            "CREATE TABLE IF NOT EXISTS zwdesk_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
        )
        session.execute(
            "INSERT INTO zwdesk_meta (key, value) VALUES ('schema_version', ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (str(version),),
        )

    def has_other_tables(self, session: Session) -> bool:
        row = session.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
        ).fetchone()
        return bool(row[0])

    def close(self) -> None:
        with self._lock:
            _close_all(self._idle)


def _close_all(connections: list[psycopg.Connection[Any]]) -> None:
    while connections:
        connections.pop().close()
