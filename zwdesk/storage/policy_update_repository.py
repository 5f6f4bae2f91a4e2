"""Policy parameter files the city sent with its receipts (政策参数更新), and the ones refused."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from zwdesk.storage.database import StationDatabase


@dataclass(frozen=True, slots=True)
class StoredPolicyUpdate:
    """One received parameter file: its exact bytes and the city's signature over them."""

    name: str  # "2026-01-01.toml"
    effective_from: str  # YYYY-MM-DD, the same date as the name
    content: bytes
    signature: bytes
    published_at: str  # when the city published it (from the receipt)
    received_at: str
    bundle_id: str  # the bundle whose receipt brought it

    @property
    def content_sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True, slots=True)
class PolicyUpdateRefusal:
    """An update this station would not apply (bad signature, bad file), and why."""

    name: str
    content_sha256: str
    reason: str
    bundle_id: str
    refused_at: str


_COLUMNS = "name, effective_from, content, signature, published_at, received_at, bundle_id"


def _stored(row: tuple[Any, ...]) -> StoredPolicyUpdate:
    name, effective_from, content, signature, published_at, received_at, bundle_id = row
    return StoredPolicyUpdate(
        str(name),
        str(effective_from),
        bytes(content),
        bytes(signature),
        str(published_at),
        str(received_at),
        str(bundle_id),
    )


class PolicyUpdateRepository:
    """Reads and keeps received parameter files. Writes need `database.transaction()`."""

    def __init__(self, database: StationDatabase) -> None:
        self._database = database

    def all(self) -> list[StoredPolicyUpdate]:
        """Every received file, by effective date."""
        rows = self._database.connection.execute(
            f"SELECT {_COLUMNS} FROM policy_updates ORDER BY effective_from"
        )
        return [_stored(tuple(row)) for row in rows]

    def get(self, name: str) -> StoredPolicyUpdate | None:
        row = self._database.connection.execute(
            f"SELECT {_COLUMNS} FROM policy_updates WHERE name = ?", (name,)
        ).fetchone()
        return None if row is None else _stored(tuple(row))

    def save(self, update: StoredPolicyUpdate) -> None:
        """Keep `update`, replacing a stored file of the same name."""
        self._database.current_transaction()
        self._database.connection.execute(
            f"INSERT INTO policy_updates ({_COLUMNS}, content_sha256)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET effective_from = excluded.effective_from,"
            " content = excluded.content, signature = excluded.signature,"
            " published_at = excluded.published_at, received_at = excluded.received_at,"
            " bundle_id = excluded.bundle_id, content_sha256 = excluded.content_sha256",
            (
                update.name,
                update.effective_from,
                update.content,
                update.signature,
                update.published_at,
                update.received_at,
                update.bundle_id,
                update.content_sha256,
            ),
        )

    def refusals(self) -> list[PolicyUpdateRefusal]:
        rows = self._database.connection.execute(
            "SELECT name, content_sha256, reason, bundle_id, refused_at"
            " FROM policy_update_refusals ORDER BY id"
        )
        return [PolicyUpdateRefusal(*(str(value) for value in row)) for row in rows]

    def refuse(self, refusal: PolicyUpdateRefusal) -> None:
        """Record a refusal once per (name, content): the same bad file in every later receipt
        is the same refusal."""
        self._database.current_transaction()
        self._database.connection.execute(
            "INSERT INTO policy_update_refusals (name, content_sha256, reason, bundle_id,"
            " refused_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name, content_sha256) DO NOTHING",
            (
                refusal.name,
                refusal.content_sha256,
                refusal.reason,
                refusal.bundle_id,
                refusal.refused_at,
            ),
        )
