"""Audited row writes shared by repositories: insert, update, tombstone, with change numbers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from zwdesk.storage.database import StationDatabase, new_uuids

SYNC_COLUMNS = ("uuid", "change_number", "created_at", "updated_at", "deleted_at")
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class UpsertCounts:
    """What a bulk upsert did: rows created, rows changed, rows already exactly so."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: UpsertCounts) -> UpsertCounts:
        return UpsertCounts(
            self.created + other.created,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
        )


def day_text(value: date | None) -> str | None:
    """A date as stored (ISO text)."""
    return value.isoformat() if value is not None else None


def text_day(value: str | None) -> date | None:
    """A stored ISO date back as a date."""
    return date.fromisoformat(value) if value is not None else None


class DayCache(dict[str | None, date | None]):
    """Stored ISO text → date, each distinct day parsed once (a city has few distinct days)."""

    def __missing__(self, key: str | None) -> date | None:
        value = date.fromisoformat(key) if key is not None else None
        self[key] = value
        return value


def chunks(items: Sequence[_T], size: int = 500) -> Iterator[Sequence[_T]]:
    """Slices small enough for an `IN (?, ?, …)` list."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def placeholders(count: int) -> str:
    """`?, ?, ?` for an IN list or VALUES."""
    return ", ".join("?" * count)


def insert_records(
    database: StationDatabase, table: str, rows: Sequence[Mapping[str, Any]]
) -> list[str]:
    """Insert new records (one executemany), each with a UUID, change number and audit entry.

    Every row must have the same keys (data columns only). Returns the new UUIDs in order.
    """
    if not rows:
        return []
    transaction = database.current_transaction()
    values = []
    uuids = []
    fresh = iter(new_uuids(len(rows)))
    for row in rows:
        record_uuid = str(row.get("uuid") or next(fresh))
        change = transaction.next_change()
        data = {key: value for key, value in row.items() if key != "uuid"}
        values.append((*data.values(), record_uuid, change, transaction.now, transaction.now, None))
        transaction.audit("insert", table, record_uuid, None, data, change)
        uuids.append(record_uuid)
    columns = [column for column in rows[0] if column != "uuid"] + list(SYNC_COLUMNS)
    database.connection.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders(len(columns))})",
        values,
    )
    return uuids


@dataclass(frozen=True, slots=True)
class RecordUpdate:
    """One stored record to change: its row id and UUID, its data before, and after."""

    row_id: int
    uuid: str
    old: Mapping[str, Any]
    new: Mapping[str, Any]
    revive: bool = False  # un-delete a tombstone


def update_records(database: StationDatabase, table: str, updates: Iterable[RecordUpdate]) -> int:
    """Apply updates (grouped by changed columns, executemany), audited; return how many."""
    transaction = database.current_transaction()
    grouped: dict[tuple[tuple[str, ...], bool], list[tuple[Any, ...]]] = {}
    count = 0
    for update in updates:
        changed = tuple(key for key in update.new if update.new[key] != update.old.get(key))
        if not changed and not update.revive:
            continue
        change = transaction.next_change()
        grouped.setdefault((changed, update.revive), []).append(
            (
                *(update.new[key] for key in changed),
                change,
                transaction.now,
                update.row_id,
            )
        )
        transaction.audit(
            "update",
            table,
            update.uuid,
            {key: update.old.get(key) for key in changed} | _revived(update.revive, True),
            {key: update.new[key] for key in changed} | _revived(update.revive, False),
            change,
        )
        count += 1
    for (changed, revive), values in grouped.items():
        assignments = [f"{key} = ?" for key in changed] + ["change_number = ?", "updated_at = ?"]
        if revive:
            assignments.append("deleted_at = NULL")
        database.connection.executemany(
            f"UPDATE {table} SET {', '.join(assignments)} WHERE id = ?", values
        )
    return count


def _revived(revive: bool, old: bool) -> dict[str, Any]:
    return {"deleted": old} if revive else {}


def tombstone_record(
    database: StationDatabase, table: str, row_id: int, record_uuid: str, old: Mapping[str, Any]
) -> None:
    """Mark a record deleted (kept for sync); repositories hide tombstones."""
    transaction = database.current_transaction()
    change = transaction.next_change()
    database.connection.execute(
        f"UPDATE {table} SET deleted_at = ?, updated_at = ?, change_number = ? WHERE id = ?",
        (transaction.now, transaction.now, change, row_id),
    )
    transaction.audit("delete", table, record_uuid, old, None, change)
