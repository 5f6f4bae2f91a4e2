"""Organisations: the station's own profile (本站) and its partners (brokers, workshops …)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from zwdesk.domain.model import Organisation, OrganisationKind
from zwdesk.storage.database import StationDatabase
from zwdesk.storage.errors import RecordNotFoundError
from zwdesk.storage.records import (
    RecordUpdate,
    UpsertCounts,
    insert_records,
    tombstone_record,
    update_records,
)

_COLUMNS = "id, uuid, code, kind, name, county, contact, deleted_at"


def _values(organisation: Organisation, contact: str | None) -> dict[str, Any]:
    return {
        "code": organisation.id,
        "kind": organisation.kind.value,
        "name": organisation.name,
        "county": organisation.county,
        "contact": contact,
    }


def _organisation(row: tuple[Any, ...]) -> Organisation:
    return Organisation(id=row[2], kind=OrganisationKind(row[3]), name=row[4], county=row[5])


class OrganisationRepository:
    """Reads and audited writes of organisations; codes are the domain `Organisation.id`."""

    def __init__(self, database: StationDatabase) -> None:
        self._database = database

    def _row(self, code: str, *, with_deleted: bool = False) -> tuple[Any, ...] | None:
        row = self._database.connection.execute(
            f"SELECT {_COLUMNS} FROM organisations WHERE code = ?", (code,)
        ).fetchone()
        if row is None or (row[7] is not None and not with_deleted):
            return None
        return tuple(row)

    def get(self, code: str) -> Organisation | None:
        row = self._row(code)
        return _organisation(row) if row else None

    def contact(self, code: str) -> str | None:
        row = self._row(code)
        return row[6] if row else None

    def all(self) -> list[Organisation]:
        rows = self._database.connection.execute(
            f"SELECT {_COLUMNS} FROM organisations WHERE deleted_at IS NULL ORDER BY id"
        )
        return [_organisation(row) for row in rows]

    def ids_by_code(self) -> dict[str, int]:
        """Row ids of live organisations, for foreign keys."""
        rows = self._database.connection.execute(
            "SELECT code, id FROM organisations WHERE deleted_at IS NULL"
        )
        return {code: row_id for code, row_id in rows}

    def upsert(
        self, organisations: Iterable[Organisation], contact: str | None = None
    ) -> UpsertCounts:
        """Create or update by code (a tombstone is revived); idempotent."""
        created: list[dict[str, Any]] = []
        updates: list[RecordUpdate] = []
        unchanged = 0
        for organisation in organisations:
            values = _values(organisation, contact)
            row = self._row(organisation.id, with_deleted=True)
            if row is None:
                created.append(values)
                continue
            old = {
                "code": row[2],
                "kind": row[3],
                "name": row[4],
                "county": row[5],
                "contact": row[6],
            }
            if contact is None:
                values["contact"] = old["contact"]
            revive = row[7] is not None
            if old == values and not revive:
                unchanged += 1
            else:
                updates.append(RecordUpdate(row[0], row[1], old, values, revive=revive))
        insert_records(self._database, "organisations", created)
        updated = update_records(self._database, "organisations", updates)
        return UpsertCounts(len(created), updated, unchanged)

    def delete(self, code: str) -> None:
        row = self._row(code)
        if row is None:
            raise RecordNotFoundError(f"组织{code}不存在")
        old = {"code": row[2], "kind": row[3], "name": row[4], "county": row[5], "contact": row[6]}
        tombstone_record(self._database, "organisations", row[0], row[1], old)

    # -- 本站 ---------------------------------------------------------------------------------
    def set_station_profile(self, organisation: Organisation, contact: str | None = None) -> None:
        """Make this organisation our own (created or updated), replacing any earlier profile."""
        self.upsert([organisation], contact)
        row = self._row(organisation.id)
        assert row is not None
        existing = self._database.connection.execute(
            "SELECT id, uuid, organisation_id FROM station_profile WHERE id = 1"
        ).fetchone()
        if existing is None:
            insert_records(
                self._database, "station_profile", [{"id": 1, "organisation_id": row[0]}]
            )
        elif existing[2] != row[0]:
            update_records(
                self._database,
                "station_profile",
                [
                    RecordUpdate(
                        1,
                        existing[1],
                        {"organisation_id": existing[2]},
                        {"organisation_id": row[0]},
                    )
                ],
            )

    def station_profile(self) -> Organisation | None:
        """Our own organisation, or None before the station is set up."""
        row = self._database.connection.execute(
            f"SELECT {', '.join('o.' + c.strip() for c in _COLUMNS.split(','))}"
            " FROM station_profile p JOIN organisations o ON o.id = p.organisation_id"
            " WHERE p.id = 1 AND p.deleted_at IS NULL AND o.deleted_at IS NULL"
        ).fetchone()
        return _organisation(row) if row else None
