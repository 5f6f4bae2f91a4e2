"""The claims ledger: what was already claimed, looked up by the key each item pays on."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable

from zwdesk.domain.model import Claim
from zwdesk.domain.money import Fen, format_yuan


class ClaimsLedger:
    """Claims grouped per item by the key that item pays on."""

    def __init__(self, claims: Iterable[Claim]) -> None:
        self._by_key: dict[tuple[int, Hashable], list[Claim]] = defaultdict(list)
        for claim in claims:
            self._by_key[(claim.item, self._key(claim))].append(claim)
        for bucket in self._by_key.values():  # input order must not change any sentence
            bucket.sort(key=lambda claim: (claim.claim or "", claim.amount, claim.year or 0))
        # Items 1 and 3 ask for an item's keys once per organisation-year: listed once here.
        keys: dict[int, list[Hashable]] = defaultdict(list)
        for claim_item, key in self._by_key:
            keys[claim_item].append(key)
        self._keys = {claim_item: tuple(listed) for claim_item, listed in keys.items()}

    @staticmethod
    def _key(claim: Claim) -> Hashable:
        if claim.item == 2:
            return (claim.worker, claim.year)
        if claim.item == 3:
            return (claim.organisation, claim.worker, claim.year)
        if claim.item == 4:
            return claim.organisation
        if claim.item == 5:
            return claim.batch
        return (claim.organisation, claim.year)  # items 1 and 6

    def claims_for(self, item: int, key: Hashable) -> tuple[Claim, ...]:
        """Every claim of `item` on `key` (see `_key` for each item's key)."""
        return tuple(self._by_key.get((item, key), ()))

    def index_for(self, item: int) -> dict[Hashable, tuple[Claim, ...]]:
        """All claims of one item by key, for loops that look up hundreds of thousands of keys."""
        return {
            key: tuple(claims)
            for (claim_item, key), claims in self._by_key.items()
            if claim_item == item
        }

    def keys_for(self, item: int) -> tuple[Hashable, ...]:
        """Every key that has a claim of `item`."""
        return self._keys.get(item, ())


def claimed_total(claims: Iterable[Claim]) -> Fen:
    """Sum of the claimed amounts."""
    return sum(claim.amount for claim in claims)


def claim_names(claims: Iterable[Claim]) -> str:
    """`申领单2025-T1-001（200元）、…` for an explanation."""
    return "、".join(
        f"申领单{claim.claim or '（无编号）'}（{format_yuan(claim.amount)}元）" for claim in claims
    )


def due_sentence(entitlement: Fen, claims: tuple[Claim, ...]) -> tuple[Fen, Fen, str | None]:
    """Amount due now = entitlement − claimed (never negative), with the sentence saying so."""
    claimed = claimed_total(claims)
    due = max(entitlement - claimed, 0)
    if not claims:
        return claimed, due, None
    return (
        claimed,
        due,
        (
            f"已申领{format_yuan(claimed)}元（{claim_names(claims)}），"
            f"应享{format_yuan(entitlement)}元，本次应付{format_yuan(due)}元"
        ),
    )
