"""What the engine returns: one row per organisation-year, worker-year and batch, explained."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from operator import itemgetter
from typing import NamedTuple, overload

from zwdesk.domain.money import Fen, yuan_to_fen
from zwdesk.domain.policy.parameters import Tier


class Explanation(partial[Iterable[str]], Sequence[str]):
    """The sentences that explain one result, rendered when read.

    A city-scale run has some 400,000 result rows and a person reads a handful of them, so a
    row keeps its renderer and the facts it reads instead of the text, and does not keep the
    text afterwards either (written out once, it would double the memory of a city run).
    `Explanation(render, *facts)` is a `functools.partial` of the renderer over those facts:
    made in C, not by a Python `__init__`, which counts when 400,000 are made.
    Rendering is deterministic: reading twice, or printing a claim twice, gives the same text.
    """

    @classmethod
    def of(cls, sentences: Iterable[str]) -> Explanation:
        """An explanation whose sentences are already written."""
        return cls(tuple, tuple(sentences))  # tuple() of a tuple is that same tuple

    @property
    def sentences(self) -> tuple[str, ...]:
        """All sentences (rendered anew from the facts)."""
        return tuple(self())

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        return self.sentences[index]

    def __len__(self) -> int:
        return len(self.sentences)

    def __iter__(self) -> Iterator[str]:
        return iter(self.sentences)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Explanation):
            return self.sentences == other.sentences
        if isinstance(other, tuple | list):
            return list(self.sentences) == list(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.sentences)

    def __repr__(self) -> str:
        return f"Explanation({self.sentences!r})"


class PendingQualification(NamedTuple):
    """A placement that will count on `qualifies_on` if a follow-up confirms it (a tuple: a
    city has some 60,000 of these)."""

    placement: str
    worker: str
    qualifies_on: date
    reason: str = "stable"  # "stable": first counts; "upgrade": moves to the higher amount


# How pending lists are sorted: by qualifies_on, then placement (fields 2 and 0, read by
# index: an attribute of a tuple class is a descriptor call, for 60,000 pending of a city).
PENDING_ORDER = itemgetter(2, 0)


@dataclass(frozen=True, slots=True)
class NextStep:
    """How many more qualifying people reach the next threshold or tier, and what it pays."""

    threshold: int
    amount: Fen
    missing: int

    @classmethod
    def toward(cls, tier: Tier, count: int) -> NextStep:
        """The step from `count` people to `tier`."""
        return cls(tier.min_count, yuan_to_fen(tier.amount), tier.min_count - count)


@dataclass(frozen=True, slots=True)
class StationTierResult:
    """第一项 for one station and year."""

    organisation: str
    year: int
    count: int
    entitlement: Fen
    claimed: Fen
    amount: Fen
    explanation: Explanation
    next_tier: NextStep | None = None
    pending: tuple[PendingQualification, ...] = ()
    counted_workers: frozenset[str] = field(default=frozenset(), repr=False)


class TransportResult(NamedTuple):
    """第二项 for one worker and year (a tuple: a city run makes 300,000 of these)."""

    worker: str
    year: int
    kind: str | None
    entitlement: Fen
    claimed: Fen
    amount: Fen
    explanation: Explanation
    placement: str | None = None
    claims: tuple[str, ...] = ()


class BrokerWorkerResult(NamedTuple):
    """第三项 for one worker of a broker in a year (a tuple, like TransportResult)."""

    worker: str
    qualifies: bool
    entitlement: Fen
    claimed: Fen
    amount: Fen
    explanation: Explanation
    placement: str | None = None
    stable_months: int = 0


@dataclass(frozen=True, slots=True)
class BrokerRewardResult:
    """第三项 for one broker and year."""

    organisation: str
    year: int
    count: int
    entitlement: Fen
    claimed: Fen
    amount: Fen
    workers: tuple[BrokerWorkerResult, ...]
    explanation: Explanation
    next_tier: NextStep | None = None
    pending: tuple[PendingQualification, ...] = ()


@dataclass(frozen=True, slots=True)
class WorkshopResult:
    """第四项 for one workshop (one-time over the policy period)."""

    organisation: str
    count: int
    entitlement: Fen
    claimed: Fen
    amount: Fen
    explanation: Explanation
    next_tier: NextStep | None = None


@dataclass(frozen=True, slots=True)
class BatchResult:
    """第五项 for one point-to-point batch."""

    batch: str
    organisation: str
    eligible: int
    kind: str  # charter | fare | none
    entitlement: Fen
    claimed: Fen
    amount: Fen
    explanation: Explanation


@dataclass(frozen=True, slots=True)
class GigResult:
    """第六项 for one gig market or gig station and year."""

    organisation: str
    year: int
    count: int
    entitlement: Fen
    claimed: Fen
    amount: Fen
    explanation: Explanation


@dataclass(frozen=True, slots=True)
class ConflictResult:
    """A worker counted by a paying station and a paying broker in the same year."""

    worker: str
    year: int
    items: tuple[int, ...]
    stations: tuple[str, ...]
    brokers: tuple[str, ...]
    explanation: Explanation


@dataclass(frozen=True, slots=True)
class Results:
    """Everything due as of one evaluation date."""

    as_of: date
    station_tiers: tuple[StationTierResult, ...]
    transport: tuple[TransportResult, ...]
    broker_rewards: tuple[BrokerRewardResult, ...]
    workshops: tuple[WorkshopResult, ...]
    batches: tuple[BatchResult, ...]
    gig: tuple[GigResult, ...]
    conflicts: tuple[ConflictResult, ...]
