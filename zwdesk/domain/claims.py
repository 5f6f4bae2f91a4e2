"""Claims (申领): a frozen snapshot of what one organisation claims under one item; its states."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from zwdesk.domain.money import Fen


class ClaimState(StrEnum):
    """Where a claim is on its way to payment (草稿 → 已打印 → 已签字 → 已提交 → 已拨付/已退回)."""

    DRAFT = "草稿"
    PRINTED = "已打印"
    SIGNED = "已签字"
    SUBMITTED = "已提交"
    PAID = "已拨付"
    RETURNED = "已退回"
    CANCELLED = "已作废"


# Which states may follow which; cancelling is possible until 已提交 (and restores the ledger).
CLAIM_TRANSITIONS: dict[ClaimState, frozenset[ClaimState]] = {
    ClaimState.DRAFT: frozenset({ClaimState.PRINTED, ClaimState.CANCELLED}),
    ClaimState.PRINTED: frozenset({ClaimState.SIGNED, ClaimState.CANCELLED}),
    ClaimState.SIGNED: frozenset({ClaimState.SUBMITTED, ClaimState.CANCELLED}),
    ClaimState.SUBMITTED: frozenset({ClaimState.PAID, ClaimState.RETURNED}),
    ClaimState.PAID: frozenset(),
    ClaimState.RETURNED: frozenset(),
    ClaimState.CANCELLED: frozenset(),
}

# States in which a claim's amounts count as claimed in the ledger.
LEDGER_STATES = frozenset(
    {ClaimState.DRAFT, ClaimState.PRINTED, ClaimState.SIGNED, ClaimState.SUBMITTED, ClaimState.PAID}
)


@dataclass(frozen=True, slots=True)
class ClaimLine:
    """One paid line: a worker (items 2, 3), a batch (5) or the organisation (1, 4, 6)."""

    subject: str  # worker ID number, batch id or organisation id
    name: str  # worker name, batch description or organisation name
    amount: Fen
    explanation: tuple[str, ...]
    worker: str | None = None  # ID number for per-person lines (printed masked on notices)
    details: tuple[tuple[str, str], ...] = ()  # (label, value) columns for the roster


@dataclass(frozen=True, slots=True)
class ExcludedLine:
    """A line the clerk left out of the claim, with the reason."""

    subject: str
    name: str
    amount: Fen
    reason: str


@dataclass(frozen=True, slots=True)
class FrozenClaim:
    """An immutable snapshot: the facts and amounts one claim was computed from."""

    number: str  # e.g. 2025-海原-T1-002
    item: int
    organisation_id: str
    organisation_name: str
    organisation_county: str | None
    contact: str | None
    year: int | None
    batch: str | None
    as_of: date
    frozen_at: datetime
    clause: str  # 第一项 …
    clause_quote: str
    lines: tuple[ClaimLine, ...]
    excluded: tuple[ExcludedLine, ...] = ()
    policy_version: str = ""
    state: ClaimState = field(default=ClaimState.DRAFT, compare=False)

    @property
    def total(self) -> Fen:
        """Sum of the claimed lines."""
        return sum(line.amount for line in self.lines)

    def canonical_json(self) -> str:
        """The snapshot as canonical JSON (sorted keys, no state): what the digest covers."""
        document = {
            "number": self.number,
            "item": self.item,
            "organisation": [
                self.organisation_id,
                self.organisation_name,
                self.organisation_county,
            ],
            "contact": self.contact,
            "year": self.year,
            "batch": self.batch,
            "as_of": self.as_of.isoformat(),
            "frozen_at": self.frozen_at.isoformat(),
            "clause": self.clause,
            "policy_version": self.policy_version,
            "lines": [
                [
                    line.subject,
                    line.name,
                    line.amount,
                    list(line.explanation),
                    line.worker,
                    [list(pair) for pair in line.details],
                ]
                for line in self.lines
            ],
            "excluded": [
                [line.subject, line.name, line.amount, line.reason] for line in self.excluded
            ],
            "total": self.total,
        }
        return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @property
    def digest(self) -> str:
        """SHA-256 of the canonical snapshot: the QR code on the printed form carries it, so the
        city can check that paper and synced data are the same claim."""
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()
