"""Reads of the audit log (变更记录): who changed which record, when, from what to what."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from zwdesk.storage.database import StationDatabase
from zwdesk.storage.records import chunks, placeholders


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One audited write; `old`/`new` are the stored columns (None for insert/delete)."""

    at: str
    actor: str
    operation: str
    table: str
    record_uuid: str
    old: dict[str, Any] | None
    new: dict[str, Any] | None


def _json(text: str | None) -> dict[str, Any] | None:
    return None if text is None else dict(json.loads(text))


class AuditRepository:
    """The history of records, newest first (indexed by record UUID)."""

    def __init__(self, database: StationDatabase) -> None:
        self._database = database

    def for_records(self, record_uuids: Sequence[str], limit: int = 200) -> list[AuditEntry]:
        entries: list[AuditEntry] = []
        for part in chunks(list(record_uuids)):
            rows = self._database.connection.execute(
                "SELECT at, actor, operation, table_name, record_uuid, old, new, id"
                f" FROM audit_log WHERE record_uuid IN ({placeholders(len(part))})",
                part,
            )
            entries.extend(
                AuditEntry(row[0], row[1], row[2], row[3], row[4], _json(row[5]), _json(row[6]))
                for row in rows
            )
        entries.sort(key=lambda entry: entry.at, reverse=True)
        return entries[:limit]
