"""The city's notices on this station's records (市里意见), as the latest receipt carried them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from zwdesk.storage.database import StationDatabase


@dataclass(frozen=True, slots=True)
class SyncNotice:
    """One open finding of the city about one of our records (e.g. claimed twice)."""

    table: str
    uuid: str
    message: str


@dataclass(frozen=True, slots=True)
class NoticeSource:
    """The receipt the stored notices came from; `total` is how many the city had open (it
    sends at most a capped number, so `total` may exceed the notices stored)."""

    bundle_id: str
    issued_at: str
    total: int
    received_at: str


def _instant(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


class SyncNoticeRepository:
    """Reads and replaces the notice set. Writes need `database.transaction()`."""

    def __init__(self, database: StationDatabase) -> None:
        self._database = database

    def all(self) -> list[SyncNotice]:
        rows = self._database.connection.execute(
            "SELECT table_name, record_uuid, message FROM sync_notices ORDER BY id"
        )
        return [SyncNotice(str(table), str(uuid), str(message)) for table, uuid, message in rows]

    def for_record(self, table: str, uuid: str) -> list[SyncNotice]:
        rows = self._database.connection.execute(
            "SELECT message FROM sync_notices WHERE record_uuid = ? AND table_name = ? ORDER BY id",
            (uuid, table),
        )
        return [SyncNotice(table, uuid, str(row[0])) for row in rows]

    def source(self) -> NoticeSource | None:
        row = self._database.connection.execute(
            "SELECT bundle_id, issued_at, total, received_at FROM sync_notice_source WHERE id = 1"
        ).fetchone()
        return None if row is None else NoticeSource(str(row[0]), str(row[1]), int(row[2]), row[3])

    def replace(self, notices: Iterable[SyncNotice], source: NoticeSource) -> bool:
        """Make `notices` the stored set, unless the stored set came from a receipt the city
        issued later (a receipt imported late is older news). True when replaced."""
        self._database.current_transaction()
        current = self.source()
        if current is not None:
            stored, incoming = _instant(current.issued_at), _instant(source.issued_at)
            if stored is not None and (incoming is None or incoming < stored):
                return False
        connection = self._database.connection
        connection.execute("DELETE FROM sync_notices")
        connection.executemany(
            "INSERT INTO sync_notices (table_name, record_uuid, message) VALUES (?, ?, ?)",
            ((notice.table, notice.uuid, notice.message) for notice in notices),
        )
        connection.execute(
            "INSERT OR REPLACE INTO sync_notice_source (id, bundle_id, issued_at, total,"
            " received_at) VALUES (1, ?, ?, ?, ?)",
            (source.bundle_id, source.issued_at, source.total, source.received_at),
        )
        return True
