"""What the city database needs from a backend (SQLite file or PostgreSQL server).

A `Session` is one connection inside one transaction, taking the shared `?`-placeholder SQL of
`city_sql`; a `Backend` hands out read sessions (one consistent snapshot) and write sessions
(one at a time across threads and processes, so check-then-insert is atomic) and knows where
its schema version is kept.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from zwdesk.city.city_sql import Dialect, Upsert, insert_values


class Rows(Protocol):
    """The cursor both drivers return from `execute`."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Session(ABC):
    """One connection in one transaction, for the length of one database call."""

    @abstractmethod
    def execute(self, sql: str, parameters: Sequence[object] = ()) -> Rows: ...

    @abstractmethod
    def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> None: ...

    @abstractmethod
    def stream(self, sql: str, parameters: Sequence[object] = ()) -> Iterator[Any]:
        """The rows of a query, fetched in batches rather than all at once."""

    def bulk_insert(
        self,
        table: str,
        columns: tuple[str, ...],
        rows: Iterable[Sequence[object]],
        on_conflict: str = "",
    ) -> None:
        """INSERT many rows with one conflict clause; the rows must not repeat a key (one row
        cannot be upserted twice in one statement on PostgreSQL)."""
        self.executemany(insert_values(table, columns, on_conflict), rows)

    def upsert(self, upsert: Upsert, rows: Sequence[Sequence[object]]) -> None:
        """Insert `rows`, updating taken keys as `upsert` says (rows must not repeat a key)."""
        self.bulk_insert(upsert.table, upsert.columns, rows, upsert.on_conflict())


class Backend(ABC):
    """Opens sessions on one city database."""

    dialect: Dialect
    description: str  # where the database is, safe to print (never a password)
    errors: tuple[type[Exception], ...]  # the driver's own failures

    @abstractmethod
    def read(self) -> AbstractContextManager[Session]: ...

    @abstractmethod
    def write(self) -> AbstractContextManager[Session]:
        """A write transaction that holds the database's write lock from its first statement."""

    @abstractmethod
    def schema_version(self, session: Session) -> int:
        """0 for a database zwdesk never set up."""

    @abstractmethod
    def set_schema_version(self, session: Session, version: int) -> None: ...

    @abstractmethod
    def has_other_tables(self, session: Session) -> bool:
        """Whether the (version 0) database already holds tables that are not ours."""

    def close(self) -> None:  # noqa: B027 — nothing to close for a backend without a pool
        """Close idle connections."""
