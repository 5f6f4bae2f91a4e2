"""Storage failures as exceptions whose message a station worker can read (Chinese)."""

from __future__ import annotations


class StorageError(Exception):
    """Base of every storage failure; `str(error)` is one Chinese sentence."""


class NotAStationDatabaseError(StorageError):
    """The file is not a SQLite database, is encrypted with another key, or is someone else's."""


class DatabaseLockedError(StorageError):
    """Another program holds the write lock longer than the busy timeout."""


class SchemaTooNewError(StorageError):
    """The database was written by a newer zwdesk; opening it could lose data."""

    def __init__(self, found: int, supported: int) -> None:
        super().__init__(
            f"该数据库由较新版本的 zwdesk 创建（数据库结构第{found}版，"
            f"本程序只支持到第{supported}版），"
            "为免损坏数据，拒绝打开；请升级 zwdesk 后再试"
        )
        self.found = found
        self.supported = supported


class RecordNotFoundError(StorageError):
    """A record named by the caller does not exist (or was deleted)."""


class ConstraintViolationError(StorageError):
    """A row broke a database rule (CHECK, UNIQUE, FOREIGN KEY); nothing was written."""


class NoTransactionError(StorageError):
    """A write was attempted outside `StationDatabase.transaction()` — a programming error."""
