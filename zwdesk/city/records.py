"""Rows the city database hands out and takes in: merged records, conflicts, policy updates.

Plain frozen dataclasses shared by the database (SQLite or PostgreSQL), the city-wide analysis,
the reports and the intake; no SQL and no I/O here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Conflict states: open (待处理) until the city's staff resolve it; a conflict no longer found
# by the latest analysis becomes `gone` (已消失) but keeps its history.
CONFLICT_OPEN = "open"
CONFLICT_RESOLVED = "resolved"
CONFLICT_GONE = "gone"
CONFLICT_STATES = (CONFLICT_OPEN, CONFLICT_RESOLVED, CONFLICT_GONE)


@dataclass(frozen=True, slots=True)
class MergedRecord:
    """One live (not deleted) record as the city keeps it: the newest version its station sent.

    `data` is the record exactly as in the bundle (foreign keys as `x_uuid`)."""

    station_id: str
    table: str
    uuid: str
    data: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class RecordRef:
    """Points at one station record a conflict is about."""

    station_id: str
    table: str
    uuid: str


@dataclass(frozen=True, slots=True)
class CityConflict:
    """One thing claimed twice, as the city-wide analysis finds it.

    `key` is stable across analyses (e.g. "item2:<person hash>:2025"), so a resolution
    survives re-running the analysis. `message` is Chinese, for the city's staff and — through
    the next receipt — for the stations whose records it names; it never contains a full ID
    number or phone.
    """

    key: str
    kind: str
    year: int | None
    message: str
    refs: tuple[RecordRef, ...]


@dataclass(frozen=True, slots=True)
class ConflictRow:
    """A stored conflict with its state and resolution."""

    conflict: CityConflict
    state: str
    first_found_at: str
    last_found_at: str
    resolution: str = ""
    resolved_by: str = ""
    resolved_at: str = ""


@dataclass(frozen=True, slots=True)
class StationNotice:
    """What the city tells one station about one of its records (carried by receipts)."""

    table: str
    uuid: str
    message: str


@dataclass(frozen=True, slots=True)
class PolicyUpdateRow:
    """A parameter file the city published, signed with the city's receipt key."""

    name: str  # file name, e.g. "2026-01-01.toml"
    effective_from: str  # YYYY-MM-DD
    content: bytes  # the TOML file's exact bytes
    signature: bytes  # Ed25519 detached signature over `content`
    published_at: str
