"""Workers (人员), keyed city-wide by resident ID number: lookups by ID, prefix, name; upserts."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from zwdesk.domain.model import TargetGroup, Worker
from zwdesk.storage.database import StationDatabase
from zwdesk.storage.errors import RecordNotFoundError
from zwdesk.storage.records import (
    RecordUpdate,
    UpsertCounts,
    chunks,
    insert_records,
    placeholders,
    tombstone_record,
    update_records,
)

DATA_COLUMNS = (
    "id_number",
    "name",
    "gender",
    "phone",
    "hukou_county",
    "resident_county",
    "rural",
    "groups",
)
_SELECT = f"SELECT id, uuid, {', '.join(DATA_COLUMNS)}, deleted_at FROM workers"
DEFAULT_SEARCH_LIMIT = 50


def gender_of(id_number: str) -> str | None:
    """性别 from the 17th digit (odd = 男); None when the number is not all digits there."""
    digit = id_number[16:17]
    return ("男" if int(digit) % 2 else "女") if digit.isdigit() else None


def groups_text(groups: Iterable[TargetGroup]) -> str:
    """Groups as stored: a sorted JSON array, so equal sets store equal text."""
    return json.dumps(sorted(group.value for group in groups))


@lru_cache(maxsize=256)
def _groups(text: str) -> frozenset[TargetGroup]:
    # Few distinct combinations exist: parse each once, not once per worker.
    return frozenset(TargetGroup(value) for value in json.loads(text))


def worker_values(worker: Worker) -> dict[str, Any]:
    """The stored data columns of a worker."""
    return {
        "id_number": worker.id_number,
        "name": worker.name,
        "gender": gender_of(worker.id_number),
        "phone": worker.phone,
        "hukou_county": worker.hukou_county,
        "resident_county": worker.resident_county,
        "rural": int(worker.rural),
        "groups": groups_text(worker.groups),
    }


def _worker(row: tuple[Any, ...]) -> Worker:
    return Worker(
        id_number=row[2],
        name=row[3],
        phone=row[5],
        hukou_county=row[6],
        resident_county=row[7],
        rural=bool(row[8]),
        groups=_groups(row[9]),
    )


def _data(row: tuple[Any, ...]) -> dict[str, Any]:
    return dict(zip(DATA_COLUMNS, row[2:10], strict=True))


def prefix_upper_bound(prefix: str) -> str:
    """The smallest text greater than every text starting with `prefix` (BINARY collation)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


class WorkerRepository:
    """Reads hide tombstones; writes must run inside `StationDatabase.transaction()`."""

    def __init__(self, database: StationDatabase) -> None:
        self._database = database

    def _row(self, id_number: str, *, with_deleted: bool = False) -> tuple[Any, ...] | None:
        row = self._database.connection.execute(
            f"{_SELECT} WHERE id_number = ?", (id_number,)
        ).fetchone()
        if row is None or (row[10] is not None and not with_deleted):
            return None
        return tuple(row)

    # -- reads -------------------------------------------------------------------------------
    def get(self, id_number: str) -> Worker | None:
        """The worker with this full ID number (unique index)."""
        row = self._row(id_number)
        return _worker(row) if row else None

    def uuid_of(self, id_number: str) -> str | None:
        row = self._row(id_number)
        return row[1] if row else None

    def _prefix(self, column: str, prefix: str, limit: int) -> list[Worker]:
        if not prefix:
            return []
        rows = self._database.connection.execute(
            f"{_SELECT} WHERE {column} >= ? AND {column} < ? AND deleted_at IS NULL"
            f" ORDER BY {column} LIMIT ?",
            (prefix, prefix_upper_bound(prefix), limit),
        )
        return [_worker(row) for row in rows]

    def find_by_id_prefix(self, prefix: str, limit: int = DEFAULT_SEARCH_LIMIT) -> list[Worker]:
        """Workers whose ID number starts with `prefix` (range scan on the unique index)."""
        return self._prefix("id_number", prefix.upper(), limit)

    def find_by_name_prefix(self, prefix: str, limit: int = DEFAULT_SEARCH_LIMIT) -> list[Worker]:
        """Workers whose name starts with `prefix` (range scan on the name index)."""
        return self._prefix("name", prefix, limit)

    def count(self) -> int:
        return int(
            self._database.connection.execute(
                "SELECT count(*) FROM workers WHERE deleted_at IS NULL"
            ).fetchone()[0]
        )

    def all(self) -> list[Worker]:
        """Every live worker, in the order they were first stored."""
        rows = self._database.connection.execute(
            "SELECT id_number, name, phone, hukou_county, resident_county, rural, groups"
            " FROM workers WHERE deleted_at IS NULL ORDER BY id"
        )
        groups = _groups
        # A tight comprehension: this runs 220,000 times when the engine loads the city.
        return [
            Worker(number, name, hukou, resident, bool(rural), groups(group_text), phone)
            for number, name, phone, hukou, resident, rural, group_text in rows
        ]

    def ids_by_number(self, id_numbers: Iterable[str]) -> dict[str, int]:
        """Row ids of the live workers among these ID numbers, for foreign keys."""
        numbers = sorted(set(id_numbers))
        found: dict[str, int] = {}
        for part in chunks(numbers):
            rows = self._database.connection.execute(
                f"SELECT id_number, id FROM workers WHERE deleted_at IS NULL"
                f" AND id_number IN ({placeholders(len(part))})",
                part,
            )
            found.update(rows)
        return found

    # -- writes ------------------------------------------------------------------------------
    def add(self, worker: Worker) -> str:
        """Store a new worker (or revive a deleted one with this ID number); return its UUID."""
        self.upsert([worker])
        row = self._row(worker.id_number)
        assert row is not None
        return str(row[1])

    def update(self, worker: Worker) -> bool:
        """Replace the stored fields of this worker; False when nothing changed."""
        row = self._row(worker.id_number)
        if row is None:
            raise RecordNotFoundError("该身份证号的人员不存在")
        update = RecordUpdate(row[0], row[1], _data(row), worker_values(worker))
        return update_records(self._database, "workers", [update]) == 1

    def delete(self, id_number: str) -> None:
        """Tombstone the worker (kept for sync, hidden from reads)."""
        row = self._row(id_number)
        if row is None:
            raise RecordNotFoundError("该身份证号的人员不存在")
        tombstone_record(self._database, "workers", row[0], row[1], _data(row))

    def upsert(self, workers: Iterable[Worker]) -> UpsertCounts:
        """Create or update workers keyed by ID number, idempotently (roster import).

        A worker given without a phone keeps the stored phone (rosters often lack one); a
        deleted worker is revived. One executemany per kind of write, audited row by row.
        """
        created, updates, unchanged = self._classify(workers)
        insert_records(self._database, "workers", created)
        updated = update_records(self._database, "workers", updates)
        return UpsertCounts(len(created), updated, unchanged)

    def preview_upsert(self, workers: Iterable[Worker]) -> UpsertCounts:
        """What `upsert` would create, update and leave unchanged — without writing (dry run)."""
        created, updates, unchanged = self._classify(workers)
        return UpsertCounts(len(created), len(updates), unchanged)

    def _classify(
        self, workers: Iterable[Worker]
    ) -> tuple[list[dict[str, Any]], list[RecordUpdate], int]:
        """New rows, updates and the unchanged count of an upsert (shared with its preview)."""
        incoming: dict[str, dict[str, Any]] = {}
        for worker in workers:
            incoming[worker.id_number] = worker_values(worker)  # the last one of a number wins
        existing: dict[str, tuple[Any, ...]] = {}
        for part in chunks(list(incoming)):
            rows = self._database.connection.execute(
                f"{_SELECT} WHERE id_number IN ({placeholders(len(part))})", part
            )
            existing.update((row[2], tuple(row)) for row in rows)
        created: list[dict[str, Any]] = []
        updates: list[RecordUpdate] = []
        unchanged = 0
        for number, values in incoming.items():
            row = existing.get(number)
            if row is None:
                created.append(values)
                continue
            old = _data(row)
            if values["phone"] is None:
                values["phone"] = old["phone"]
            revive = row[10] is not None
            if values == old and not revive:
                unchanged += 1
            else:
                updates.append(RecordUpdate(row[0], row[1], old, values, revive=revive))
        return created, updates, unchanged
