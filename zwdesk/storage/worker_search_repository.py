"""Worker browsing for the window: keyset-paged, index-backed searches and one worker's dossier."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from zwdesk.storage.database import StationDatabase
from zwdesk.storage.worker_repository import prefix_upper_bound

# What a search runs over; each kind is a range scan on one index, ordered by (key, id).
SearchKind = Literal["all", "name", "id_number", "phone"]
_KEY_COLUMN = {"all": "id", "name": "name", "id_number": "id_number", "phone": "phone"}


@dataclass(frozen=True, slots=True)
class WorkerListRow:
    """One line of the workers table (unmasked: the view decides what to show)."""

    row_id: int
    id_number: str
    name: str
    gender: str | None
    phone: str | None
    hukou_county: str
    rural: bool


@dataclass(frozen=True, slots=True)
class SearchSegment:
    """A prefix search on one indexed column; `exclude_id_prefix` skips rows already listed
    by an ID-number segment of the same search (a digit query searches IDs, then phones)."""

    kind: SearchKind
    prefix: str = ""
    exclude_id_prefix: str = ""


# Where a page ended: (key, row id) of its last row; None = from the start.
Cursor = tuple[Any, int] | None

_COLUMNS = "id, id_number, name, gender, phone, hukou_county, rural"


def _where(segment: SearchSegment, cursor: Cursor) -> tuple[str, list[Any]]:
    column = _KEY_COLUMN[segment.kind]
    clauses = ["deleted_at IS NULL"]
    parameters: list[Any] = []
    if segment.kind != "all":
        clauses.append(f"{column} >= ? AND {column} < ?")
        parameters += [segment.prefix, prefix_upper_bound(segment.prefix)]
    if segment.exclude_id_prefix:
        clauses.append("NOT (id_number >= ? AND id_number < ?)")
        parameters += [segment.exclude_id_prefix, prefix_upper_bound(segment.exclude_id_prefix)]
    if cursor is not None:
        if segment.kind == "all":
            clauses.append("id > ?")
            parameters.append(cursor[1])
        else:
            clauses.append(f"({column}, id) > (?, ?)")
            parameters += [cursor[0], cursor[1]]
    return " AND ".join(clauses), parameters


class WorkerSearchRepository:
    """Read-only queries behind the workers page; never more than one page in memory."""

    def __init__(self, database: StationDatabase) -> None:
        self._database = database

    def page(
        self, segment: SearchSegment, cursor: Cursor, limit: int
    ) -> tuple[list[WorkerListRow], Cursor]:
        """Up to `limit` rows after `cursor`, and the cursor after the last of them."""
        where, parameters = _where(segment, cursor)
        column = _KEY_COLUMN[segment.kind]
        order = "id" if segment.kind == "all" else f"{column}, id"
        rows = self._database.connection.execute(
            f"SELECT {_COLUMNS} FROM workers WHERE {where} ORDER BY {order} LIMIT ?",
            (*parameters, limit),
        ).fetchall()
        result = [
            WorkerListRow(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]))
            for row in rows
        ]
        if not result:
            return result, cursor
        last = result[-1]
        key = {"all": last.row_id, "name": last.name, "id_number": last.id_number}.get(
            segment.kind, last.phone
        )
        return result, (key, last.row_id)

    def count(self, segment: SearchSegment, cap: int | None = None) -> int:
        """How many live workers the segment matches, counting no further than `cap`
        (a one-letter search matches tens of thousands: counting them all costs 0.3 s)."""
        where, parameters = _where(segment, None)
        if cap is None:
            sql, arguments = f"SELECT count(*) FROM workers WHERE {where}", parameters
        else:
            sql = f"SELECT count(*) FROM (SELECT 1 FROM workers WHERE {where} LIMIT ?)"
            arguments = [*parameters, cap]
        return int(self._database.connection.execute(sql, arguments).fetchone()[0])

    # -- one worker's dossier ------------------------------------------------------------------
    def worker_uuid(self, id_number: str) -> str | None:
        row = self._database.connection.execute(
            "SELECT uuid FROM workers WHERE id_number = ? AND deleted_at IS NULL", (id_number,)
        ).fetchone()
        return None if row is None else str(row[0])

    def record_uuids_of_worker(self, id_number: str) -> list[str]:
        """UUIDs of the worker, their placements and those placements' follow-ups (history)."""
        return [
            row[0]
            for row in self._database.connection.execute(
                "SELECT w.uuid FROM workers w WHERE w.id_number = ?1"
                " UNION ALL SELECT p.uuid FROM placements p JOIN workers w ON w.id = p.worker_id"
                " WHERE w.id_number = ?1"
                " UNION ALL SELECT f.uuid FROM follow_ups f"
                " JOIN placements p ON p.id = f.placement_id"
                " JOIN workers w ON w.id = p.worker_id WHERE w.id_number = ?1",
                (id_number,),
            )
        ]

    def batches_of_worker(self, id_number: str) -> list[tuple[str, str, str, str, int]]:
        """(batch code, organiser name, departure, destination county, fare fen) per trip."""
        return [
            tuple(row)
            for row in self._database.connection.execute(
                "SELECT b.code, o.name, b.departure, b.destination_county, p.fare_fen"
                " FROM passengers p JOIN workers w ON w.id = p.worker_id"
                " JOIN batches b ON b.id = p.batch_id"
                " JOIN organisations o ON o.id = b.organiser_id"
                " WHERE w.id_number = ? AND p.deleted_at IS NULL AND b.deleted_at IS NULL"
                " ORDER BY b.departure",
                (id_number,),
            )
        ]

    def claims_of_worker(self, id_number: str) -> list[tuple[int, int, int | None, str | None]]:
        """(item, amount fen, year, claim number) already paid for this person."""
        return [
            tuple(row)
            for row in self._database.connection.execute(
                "SELECT item, amount_fen, year, claim_number FROM claims"
                " WHERE worker_id_number = ? AND deleted_at IS NULL ORDER BY id",
                (id_number,),
            )
        ]

    def organisation_names(self) -> dict[str, str]:
        """Organisation code → name, for showing who organised a placement."""
        return dict(
            self._database.connection.execute(
                "SELECT code, name FROM organisations WHERE deleted_at IS NULL ORDER BY id"
            )
        )
