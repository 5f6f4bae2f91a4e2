"""Frozen claims (申领单): their immutable snapshots, states, signed-page attachments, and the
ledger lines (`claims`) each one puts in and takes back out."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from zwdesk.domain.claims import ClaimLine, ClaimState, ExcludedLine, FrozenClaim
from zwdesk.domain.model import Claim
from zwdesk.storage.claim_repository import ClaimRepository
from zwdesk.storage.database import StationDatabase, new_uuid
from zwdesk.storage.errors import RecordNotFoundError, StorageError
from zwdesk.storage.organisation_repository import OrganisationRepository
from zwdesk.storage.records import RecordUpdate, insert_records, tombstone_record, update_records

SNAPSHOT_FORMAT = "zwdesk-claim/1"


@dataclass(frozen=True, slots=True)
class ClaimRecord:
    """One stored claim as a list shows it (the snapshot itself: `ClaimBatchRepository.get`)."""

    number: str
    item: int
    organisation_id: str
    year: int
    batch: str | None
    state: ClaimState
    reason: str | None
    total: int
    line_count: int
    excluded_count: int
    frozen_at: datetime
    attachment_sha256: str | None = None
    attachment_name: str | None = None


@dataclass(frozen=True, slots=True)
class Attachment:
    """The signed pages (签字页扫描件或照片) of a claim."""

    file_name: str
    sha256: str
    content: bytes


def snapshot_document(claim: FrozenClaim) -> dict[str, Any]:
    """The whole snapshot as JSON-ready data (everything but the state)."""
    return {
        "format": SNAPSHOT_FORMAT,
        "number": claim.number,
        "item": claim.item,
        "organisation_id": claim.organisation_id,
        "organisation_name": claim.organisation_name,
        "organisation_county": claim.organisation_county,
        "contact": claim.contact,
        "year": claim.year,
        "batch": claim.batch,
        "as_of": claim.as_of.isoformat(),
        "frozen_at": claim.frozen_at.isoformat(),
        "clause": claim.clause,
        "clause_quote": claim.clause_quote,
        "policy_version": claim.policy_version,
        "lines": [
            {
                "subject": line.subject,
                "name": line.name,
                "amount": line.amount,
                "explanation": list(line.explanation),
                "worker": line.worker,
                "details": [list(pair) for pair in line.details],
            }
            for line in claim.lines
        ],
        "excluded": [
            {
                "subject": line.subject,
                "name": line.name,
                "amount": line.amount,
                "reason": line.reason,
            }
            for line in claim.excluded
        ],
    }


def claim_from_document(document: dict[str, Any], state: ClaimState) -> FrozenClaim:
    """A snapshot read back (the inverse of `snapshot_document`)."""
    return FrozenClaim(
        number=document["number"],
        item=document["item"],
        organisation_id=document["organisation_id"],
        organisation_name=document["organisation_name"],
        organisation_county=document["organisation_county"],
        contact=document["contact"],
        year=document["year"],
        batch=document["batch"],
        as_of=date.fromisoformat(document["as_of"]),
        frozen_at=datetime.fromisoformat(document["frozen_at"]),
        clause=document["clause"],
        clause_quote=document["clause_quote"],
        policy_version=document["policy_version"],
        lines=tuple(
            ClaimLine(
                subject=line["subject"],
                name=line["name"],
                amount=line["amount"],
                explanation=tuple(line["explanation"]),
                worker=line["worker"],
                details=tuple((label, value) for label, value in line["details"]),
            )
            for line in document["lines"]
        ),
        excluded=tuple(
            ExcludedLine(line["subject"], line["name"], line["amount"], line["reason"])
            for line in document["excluded"]
        ),
        state=state,
    )


def ledger_lines(claim: FrozenClaim) -> list[Claim]:
    """What a claim puts in the ledger: one line per claimed line, keyed as its item pays."""
    lines = []
    for line in claim.lines:
        worker = line.worker if claim.item in (2, 3) else None
        lines.append(
            Claim(
                item=claim.item,
                amount=line.amount,
                year=claim.year,
                worker=worker,
                organisation=claim.organisation_id,
                batch=claim.batch if claim.item == 5 else None,
                claim=claim.number,
            )
        )
    return lines


_LIST_COLUMNS = (
    "c.number, c.item, o.code, c.year, c.batch_code, c.state, c.reason, c.total_fen,"
    " json_array_length(c.snapshot, '$.lines'), json_array_length(c.snapshot, '$.excluded'),"
    " json_extract(c.snapshot, '$.frozen_at'),"
    " (SELECT a.sha256 FROM claim_attachments a WHERE a.claim_batch_id = c.id"
    "  AND a.deleted_at IS NULL ORDER BY a.id DESC LIMIT 1),"
    " (SELECT a.file_name FROM claim_attachments a WHERE a.claim_batch_id = c.id"
    "  AND a.deleted_at IS NULL ORDER BY a.id DESC LIMIT 1)"
)


def _record(row: tuple[Any, ...]) -> ClaimRecord:
    return ClaimRecord(
        number=row[0],
        item=row[1],
        organisation_id=row[2],
        year=row[3],
        batch=row[4],
        state=ClaimState(row[5]),
        reason=row[6],
        total=row[7],
        line_count=row[8],
        excluded_count=row[9],
        frozen_at=datetime.fromisoformat(row[10]),
        attachment_sha256=row[11],
        attachment_name=row[12],
    )


class ClaimBatchRepository:
    """Reads hide tombstones; writes must run inside `StationDatabase.transaction()`."""

    def __init__(self, database: StationDatabase) -> None:
        self._database = database

    # -- numbering ---------------------------------------------------------------------------
    def next_sequence(self, organisation_id: str, year: int, prefix: str) -> int:
        """The next sequence number for an organisation and year: one more than any frozen
        claim's, and than any ledger line already numbered `prefix` + NNN (claims imported
        with a scenario), so a new number never repeats an old one."""
        connection = self._database.connection
        row = connection.execute(
            "SELECT max(c.sequence) FROM claim_batches c JOIN organisations o"
            " ON o.id = c.organisation_id WHERE o.code = ? AND c.year = ?",
            (organisation_id, year),
        ).fetchone()
        highest = int(row[0] or 0)
        for (number,) in connection.execute(
            "SELECT DISTINCT claim_number FROM claims WHERE claim_number LIKE ? ESCAPE '\\'",
            (_like_prefix(prefix),),
        ):
            tail = str(number)[len(prefix) :]
            if tail.isdigit():
                highest = max(highest, int(tail))
        return highest + 1

    # -- writes ------------------------------------------------------------------------------
    def add(self, claim: FrozenClaim, numbering_year: int, sequence: int) -> str:
        """Store a frozen claim and put its lines in the ledger; return the record's UUID."""
        organisation_ids = OrganisationRepository(self._database).ids_by_code()
        if claim.organisation_id not in organisation_ids:
            raise RecordNotFoundError(f"组织{claim.organisation_id}不存在")
        snapshot = json.dumps(
            snapshot_document(claim), ensure_ascii=False, sort_keys=True, separators=(",", ":")
        )
        [record_uuid] = insert_records(
            self._database,
            "claim_batches",
            [
                {
                    "number": claim.number,
                    "item": claim.item,
                    "organisation_id": organisation_ids[claim.organisation_id],
                    "year": numbering_year,
                    "sequence": sequence,
                    "batch_code": claim.batch,
                    "state": claim.state.value,
                    "reason": None,
                    "total_fen": claim.total,
                    "snapshot": snapshot,
                    "digest": claim.digest,
                }
            ],
        )
        ClaimRepository(self._database).add(ledger_lines(claim))
        return record_uuid

    def set_state(self, number: str, state: ClaimState, reason: str | None = None) -> None:
        """Change a claim's state (and reason), audited; the caller checks the transition."""
        row = self._row(number)
        old = {"state": row[1], "reason": row[2]}
        new = {"state": state.value, "reason": reason if reason is not None else row[2]}
        update_records(self._database, "claim_batches", [RecordUpdate(row[0], row[3], old, new)])

    def release_ledger(self, number: str) -> int:
        """Take a claim's lines out of the ledger (tombstones, audited); return how many."""
        rows = self._database.connection.execute(
            "SELECT id, uuid, item, amount_fen, year, worker_id_number, organisation_id,"
            " batch_id FROM claims WHERE claim_number = ? AND deleted_at IS NULL",
            (number,),
        ).fetchall()
        for row in rows:
            old = {
                "item": row[2],
                "amount_fen": row[3],
                "year": row[4],
                "worker_id_number": row[5],
                "organisation_id": row[6],
                "batch_id": row[7],
                "claim_number": number,
            }
            tombstone_record(self._database, "claims", row[0], row[1], old)
        return len(rows)

    def attach(self, number: str, file_name: str, sha256: str, content: bytes) -> None:
        """Keep the signed pages with the claim. The audit entry names the file and its hash
        (not its bytes: the audit log stays small and readable)."""
        row = self._row(number)
        transaction = self._database.current_transaction()
        change = transaction.next_change()
        record_uuid = new_uuid()
        self._database.connection.execute(
            "INSERT INTO claim_attachments (claim_batch_id, file_name, sha256, size, content,"
            " uuid, change_number, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                row[0],
                file_name,
                sha256,
                len(content),
                content,
                record_uuid,
                change,
                transaction.now,
                transaction.now,
            ),
        )
        transaction.audit(
            "insert",
            "claim_attachments",
            record_uuid,
            None,
            {"claim": number, "file_name": file_name, "sha256": sha256, "size": len(content)},
            change,
        )

    # -- reads -------------------------------------------------------------------------------
    def _row(self, number: str) -> tuple[Any, ...]:
        row = self._database.connection.execute(
            "SELECT id, state, reason, uuid FROM claim_batches"
            " WHERE number = ? AND deleted_at IS NULL",
            (number,),
        ).fetchone()
        if row is None:
            raise RecordNotFoundError(f"申领单{number}不存在")
        return tuple(row)

    def get(self, number: str) -> FrozenClaim:
        """The frozen snapshot with its current state; a snapshot whose digest no longer
        matches is refused (the stored text was altered outside zwdesk)."""
        row = self._database.connection.execute(
            "SELECT snapshot, digest, state FROM claim_batches"
            " WHERE number = ? AND deleted_at IS NULL",
            (number,),
        ).fetchone()
        if row is None:
            raise RecordNotFoundError(f"申领单{number}不存在")
        claim = claim_from_document(json.loads(row[0]), ClaimState(row[2]))
        if claim.digest != row[1]:
            raise StorageError(f"申领单{number}的快照与其摘要不符（数据已被改动），请联系管理员")
        return claim

    def record(self, number: str) -> ClaimRecord:
        row = self._database.connection.execute(
            f"SELECT {_LIST_COLUMNS} FROM claim_batches c"
            " JOIN organisations o ON o.id = c.organisation_id"
            " WHERE c.number = ? AND c.deleted_at IS NULL",
            (number,),
        ).fetchone()
        if row is None:
            raise RecordNotFoundError(f"申领单{number}不存在")
        return _record(tuple(row))

    def find(
        self,
        *,
        item: int | None = None,
        organisation_id: str | None = None,
        year: int | None = None,
        states: Iterable[ClaimState] | None = None,
    ) -> list[ClaimRecord]:
        """Claims, oldest first, filtered by whatever is given."""
        conditions = ["c.deleted_at IS NULL"]
        parameters: list[Any] = []
        if item is not None:
            conditions.append("c.item = ?")
            parameters.append(item)
        if organisation_id is not None:
            conditions.append("o.code = ?")
            parameters.append(organisation_id)
        if year is not None:
            conditions.append("c.year = ?")
            parameters.append(year)
        if states is not None:
            wanted = [state.value for state in states]
            conditions.append(f"c.state IN ({', '.join('?' * len(wanted))})")
            parameters.extend(wanted)
        rows = self._database.connection.execute(
            f"SELECT {_LIST_COLUMNS} FROM claim_batches c"
            " JOIN organisations o ON o.id = c.organisation_id"
            f" WHERE {' AND '.join(conditions)} ORDER BY c.id",
            parameters,
        )
        return [_record(tuple(row)) for row in rows]

    def attachment(self, number: str) -> Attachment | None:
        """The latest signed pages of a claim, or None."""
        row = self._database.connection.execute(
            "SELECT a.file_name, a.sha256, a.content FROM claim_attachments a"
            " JOIN claim_batches c ON c.id = a.claim_batch_id"
            " WHERE c.number = ? AND a.deleted_at IS NULL ORDER BY a.id DESC LIMIT 1",
            (number,),
        ).fetchone()
        return Attachment(row[0], row[1], bytes(row[2])) if row else None

    def ledger_count(self, number: str) -> int:
        """How many live ledger lines carry this claim number."""
        row = self._database.connection.execute(
            "SELECT count(*) FROM claims WHERE claim_number = ? AND deleted_at IS NULL", (number,)
        ).fetchone()
        return int(row[0])


def _like_prefix(prefix: str) -> str:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"
