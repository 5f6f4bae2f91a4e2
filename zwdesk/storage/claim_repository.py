"""The claims ledger (已申领/已兑付): what was already paid, per item, in fen."""

from __future__ import annotations

from collections.abc import Iterable

from zwdesk.domain.model import Claim
from zwdesk.storage.database import StationDatabase
from zwdesk.storage.errors import RecordNotFoundError
from zwdesk.storage.organisation_repository import OrganisationRepository
from zwdesk.storage.records import insert_records


class ClaimRepository:
    """Reads hide tombstones; writes must run inside `StationDatabase.transaction()`."""

    def __init__(self, database: StationDatabase) -> None:
        self._database = database

    def add(self, claims: Iterable[Claim]) -> list[str]:
        """Append ledger lines (one executemany); return their UUIDs."""
        connection = self._database.connection
        organisation_ids = OrganisationRepository(self._database).ids_by_code()
        batch_ids = dict(
            connection.execute("SELECT code, id FROM batches WHERE deleted_at IS NULL")
        )
        rows = []
        for claim in claims:
            if claim.organisation is not None and claim.organisation not in organisation_ids:
                raise RecordNotFoundError(
                    f"申领记录{claim.claim or ''}：组织{claim.organisation}不存在"
                )
            if claim.batch is not None and claim.batch not in batch_ids:
                raise RecordNotFoundError(f"申领记录{claim.claim or ''}：批次{claim.batch}不存在")
            rows.append(
                {
                    "item": claim.item,
                    "amount_fen": claim.amount,
                    "year": claim.year,
                    "worker_id_number": claim.worker,
                    "organisation_id": organisation_ids.get(claim.organisation or ""),
                    "batch_id": batch_ids.get(claim.batch or ""),
                    "claim_number": claim.claim,
                }
            )
        return insert_records(self._database, "claims", rows)

    def all(self) -> list[Claim]:
        rows = self._database.connection.execute(
            "SELECT c.item, c.amount_fen, c.year, c.worker_id_number, o.code, b.code,"
            " c.claim_number FROM claims c"
            " LEFT JOIN organisations o ON o.id = c.organisation_id"
            " LEFT JOIN batches b ON b.id = c.batch_id"
            " WHERE c.deleted_at IS NULL ORDER BY c.id"
        )
        return [Claim(*row) for row in rows]
