"""Point-to-point batches (一次性组织输送) with their passenger manifests; fares in fen."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from zwdesk.domain.model import Batch, BatchMode, Passenger
from zwdesk.storage.database import StationDatabase
from zwdesk.storage.errors import ConstraintViolationError, RecordNotFoundError
from zwdesk.storage.organisation_repository import OrganisationRepository
from zwdesk.storage.records import (
    RecordUpdate,
    chunks,
    insert_records,
    placeholders,
    tombstone_record,
    update_records,
)
from zwdesk.storage.worker_repository import WorkerRepository

_SELECT = (
    "SELECT b.id, b.uuid, b.code, o.code, b.departure, b.origin, b.destination_county, b.mode,"
    " b.charter_cost_fen FROM batches b JOIN organisations o ON o.id = b.organiser_id"
)
_PASSENGERS = (
    "SELECT p.batch_id, w.id_number, p.fare_fen, p.receipt FROM passengers p"
    " JOIN workers w ON w.id = p.worker_id WHERE p.deleted_at IS NULL"
)


def _batch(row: tuple[Any, ...], passengers: list[Passenger]) -> Batch:
    return Batch(
        id=row[2],
        organiser=row[3],
        departure=date.fromisoformat(row[4]),
        origin=row[5],
        destination_county=row[6],
        mode=BatchMode(row[7]),
        charter_cost=row[8],
        passengers=tuple(passengers),
    )


class BatchRepository:
    """Reads hide tombstones; writes must run inside `StationDatabase.transaction()`."""

    def __init__(self, database: StationDatabase) -> None:
        self._database = database

    def get(self, code: str) -> Batch | None:
        row = self._database.connection.execute(
            f"{_SELECT} WHERE b.code = ? AND b.deleted_at IS NULL", (code,)
        ).fetchone()
        if row is None:
            return None
        passengers = self._database.connection.execute(
            f"{_PASSENGERS} AND p.batch_id = ? ORDER BY p.id", (row[0],)
        )
        return _batch(tuple(row), [Passenger(r[1], r[2], r[3]) for r in passengers])

    def all(self) -> list[Batch]:
        manifests: dict[int, list[Passenger]] = defaultdict(list)
        for row in self._database.connection.execute(f"{_PASSENGERS} ORDER BY p.id"):
            manifests[row[0]].append(Passenger(row[1], row[2], row[3]))
        rows = self._database.connection.execute(
            f"{_SELECT} WHERE b.deleted_at IS NULL ORDER BY b.id"
        )
        return [_batch(tuple(row), manifests[row[0]]) for row in rows]

    def add(self, batch: Batch) -> str:
        """Store a batch and its manifest; return the batch UUID."""
        return self.add_many([batch])[0]

    def add_many(self, batches: Sequence[Batch]) -> list[str]:
        """Store batches and their manifests (one executemany each); return the batch UUIDs."""
        connection = self._database.connection
        organisation_ids = OrganisationRepository(self._database).ids_by_code()
        worker_ids = WorkerRepository(self._database).ids_by_number(
            passenger.worker for batch in batches for passenger in batch.passengers
        )
        codes = [batch.id for batch in batches]
        taken = {
            row[0]
            for part in chunks(codes)
            for row in connection.execute(
                f"SELECT code FROM batches WHERE code IN ({placeholders(len(part))})", part
            )
        }
        for batch in batches:
            if batch.organiser not in organisation_ids:
                raise RecordNotFoundError(f"批次{batch.id}：组织{batch.organiser}不存在")
            if batch.id in taken or codes.count(batch.id) > 1:
                raise ConstraintViolationError(f"批次编号{batch.id}已存在")
            missing = [p.worker for p in batch.passengers if p.worker not in worker_ids]
            if missing:
                raise RecordNotFoundError(f"批次{batch.id}：乘客中有{len(missing)}人不在人员名单中")
        uuids = insert_records(
            self._database,
            "batches",
            [
                {
                    "code": batch.id,
                    "organiser_id": organisation_ids[batch.organiser],
                    "departure": batch.departure.isoformat(),
                    "origin": batch.origin,
                    "destination_county": batch.destination_county,
                    "mode": batch.mode.value,
                    "charter_cost_fen": batch.charter_cost,
                }
                for batch in batches
            ],
        )
        batch_ids: dict[str, int] = {}
        for part in chunks(codes):
            batch_ids.update(
                connection.execute(
                    f"SELECT code, id FROM batches WHERE code IN ({placeholders(len(part))})", part
                )
            )
        insert_records(
            self._database,
            "passengers",
            [
                {
                    "batch_id": batch_ids[batch.id],
                    "worker_id": worker_ids[passenger.worker],
                    "fare_fen": passenger.fare,
                    "receipt": passenger.receipt,
                }
                for batch in batches
                for passenger in batch.passengers
            ],
        )
        return uuids

    def delete(self, code: str) -> None:
        """Tombstone the batch (its manifest is reached only through it)."""
        row = self._database.connection.execute(
            f"{_SELECT} WHERE b.code = ? AND b.deleted_at IS NULL", (code,)
        ).fetchone()
        if row is None:
            raise RecordNotFoundError(f"批次{code}不存在")
        tombstone_record(self._database, "batches", row[0], row[1], {"code": code})

    # -- one passenger at a time (the 点对点 window adds them as they are scanned) ----------------
    def _batch_row_id(self, code: str) -> int:
        row = self._database.connection.execute(
            "SELECT id FROM batches WHERE code = ? AND deleted_at IS NULL", (code,)
        ).fetchone()
        if row is None:
            raise RecordNotFoundError(f"批次{code}不存在")
        return int(row[0])

    def _passenger_row(self, code: str, id_number: str) -> tuple[Any, ...] | None:
        row = self._database.connection.execute(
            "SELECT p.id, p.uuid, p.fare_fen, p.receipt FROM passengers p"
            " JOIN workers w ON w.id = p.worker_id"
            " WHERE p.batch_id = ? AND w.id_number = ? AND p.deleted_at IS NULL",
            (self._batch_row_id(code), id_number),
        ).fetchone()
        return tuple(row) if row else None

    def add_passenger(self, code: str, passenger: Passenger) -> str:
        """Add one passenger to a stored batch; return the passenger record's UUID."""
        batch_id = self._batch_row_id(code)
        if self._passenger_row(code, passenger.worker) is not None:
            raise ConstraintViolationError(f"该乘客已在批次{code}的名单中")
        worker_ids = WorkerRepository(self._database).ids_by_number([passenger.worker])
        if passenger.worker not in worker_ids:
            raise RecordNotFoundError("乘客不在人员名单中")
        row = {
            "batch_id": batch_id,
            "worker_id": worker_ids[passenger.worker],
            "fare_fen": passenger.fare,
            "receipt": passenger.receipt,
        }
        return insert_records(self._database, "passengers", [row])[0]

    def update_passenger(self, code: str, passenger: Passenger) -> bool:
        """Change a passenger's fare and receipt number; False when nothing changed."""
        row = self._passenger_row(code, passenger.worker)
        if row is None:
            raise RecordNotFoundError(f"该乘客不在批次{code}的名单中")
        old = {"fare_fen": row[2], "receipt": row[3]}
        new = {"fare_fen": passenger.fare, "receipt": passenger.receipt}
        return (
            update_records(self._database, "passengers", [RecordUpdate(row[0], row[1], old, new)])
            > 0
        )

    def remove_passenger(self, code: str, id_number: str) -> None:
        """Take a passenger off the manifest (a tombstone, kept for sync)."""
        row = self._passenger_row(code, id_number)
        if row is None:
            raise RecordNotFoundError(f"该乘客不在批次{code}的名单中")
        old = {"fare_fen": row[2], "receipt": row[3]}
        tombstone_record(self._database, "passengers", row[0], row[1], old)

    def codes(self) -> list[str]:
        """Codes of live batches, newest departure first."""
        rows = self._database.connection.execute(
            "SELECT code FROM batches WHERE deleted_at IS NULL ORDER BY departure DESC, id DESC"
        )
        return [row[0] for row in rows]
