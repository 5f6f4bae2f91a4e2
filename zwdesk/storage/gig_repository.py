"""Gig records (零工): a gig market or station brought a person to work on a day."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from zwdesk.domain.model import GigRecord
from zwdesk.storage.database import StationDatabase
from zwdesk.storage.errors import RecordNotFoundError
from zwdesk.storage.organisation_repository import OrganisationRepository
from zwdesk.storage.records import insert_records


class GigRepository:
    """Reads hide tombstones; writes must run inside `StationDatabase.transaction()`."""

    def __init__(self, database: StationDatabase) -> None:
        self._database = database

    def add(self, records: Iterable[GigRecord]) -> list[str]:
        """Store gig records (one executemany); return their UUIDs."""
        organisation_ids = OrganisationRepository(self._database).ids_by_code()
        rows = []
        for record in records:
            if record.organisation not in organisation_ids:
                raise RecordNotFoundError(f"零工记录：组织{record.organisation}不存在")
            rows.append(
                {
                    "organisation_id": organisation_ids[record.organisation],
                    "worker_id_number": record.worker,
                    "date": record.date.isoformat(),
                }
            )
        return insert_records(self._database, "gig_records", rows)

    def all(self) -> list[GigRecord]:
        rows = self._database.connection.execute(
            "SELECT o.code, g.worker_id_number, g.date FROM gig_records g"
            " JOIN organisations o ON o.id = g.organisation_id"
            " WHERE g.deleted_at IS NULL ORDER BY g.id"
        )
        return [GigRecord(code, number, date.fromisoformat(day)) for code, number, day in rows]
