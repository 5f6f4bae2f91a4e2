"""Placements (就业记录) and follow-ups (回访); verified_through is derived from follow-ups."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from zwdesk.domain.model import (
    FollowUp,
    FollowUpMethod,
    FollowUpResult,
    Placement,
    verified_through,
)
from zwdesk.domain.privacy import mask_id_number
from zwdesk.storage.database import StationDatabase, new_uuid
from zwdesk.storage.errors import ConstraintViolationError, RecordNotFoundError
from zwdesk.storage.organisation_repository import OrganisationRepository
from zwdesk.storage.records import (
    DayCache,
    RecordUpdate,
    UpsertCounts,
    chunks,
    day_text,
    insert_records,
    placeholders,
    text_day,
    tombstone_record,
    update_records,
)
from zwdesk.storage.worker_repository import WorkerRepository

DATA_COLUMNS = (
    "code",
    "worker_id",
    "organiser_id",
    "employer",
    "work_county",
    "start_date",
    "end_date",
    "contract",
    "contract_start",
    "contract_end",
    "social_insurance",
    "monthly_wage_fen",
)
# Row layout: 0 id, 1 uuid, 2-13 DATA_COLUMNS, 14 deleted_at, 15 worker ID number,
# 16 organiser code, 17 verified_through (SQL mirror of domain.model.verified_through).
_SELECT = (
    "SELECT p.id, p.uuid, "
    + ", ".join(f"p.{column}" for column in DATA_COLUMNS)
    + ", p.deleted_at, w.id_number, o.code,"
    # Correlated on the (placement_id, result, date) index: cheap for one row or for all.
    " (SELECT max(f.date) FROM follow_ups f WHERE f.placement_id = p.id"
    "   AND f.result = '在岗' AND f.deleted_at IS NULL)"
    " FROM placements p JOIN workers w ON w.id = p.worker_id"
    " LEFT JOIN organisations o ON o.id = p.organiser_id"
)
_FOLLOW_UP_SELECT = (
    "SELECT f.id, f.uuid, p.code, f.date, f.method, f.result, f.who, f.note"
    " FROM follow_ups f JOIN placements p ON p.id = f.placement_id"
)
IMPORT_NOTE = "导入：核实在岗至该日"


def _placement(row: tuple[Any, ...], days: DayCache | None = None) -> Placement:
    day = days if days is not None else DayCache()
    return Placement(
        id=row[2],
        worker=row[15],
        organiser=row[16],
        employer=row[5],
        work_county=row[6],
        start=day[row[7]],  # type: ignore[arg-type]  # NOT NULL column
        end=day[row[8]],
        verified_through=day[row[17]],
        contract=bool(row[9]),
        contract_start=day[row[10]],
        contract_end=day[row[11]],
        social_insurance=bool(row[12]),
        monthly_wage=row[13],
    )


def _data(row: tuple[Any, ...]) -> dict[str, Any]:
    return dict(zip(DATA_COLUMNS, row[2:14], strict=True))


def _follow_up(row: tuple[Any, ...]) -> FollowUp:
    return FollowUp(
        id=row[1],
        placement=row[2],
        date=date.fromisoformat(row[3]),
        method=FollowUpMethod(row[4]),
        result=FollowUpResult(row[5]),
        who=row[6],
        note=row[7],
    )


@dataclass(slots=True)
class _UpsertPlan:
    """What an upsert writes: new rows, updates, 在岗 proofs (of stored and of new rows)."""

    created: list[dict[str, Any]] = field(default_factory=list)
    created_proof: list[tuple[str, date]] = field(default_factory=list)  # (code, day)
    updates: list[RecordUpdate] = field(default_factory=list)
    proofs: list[tuple[int, date]] = field(default_factory=list)  # (placement row id, day)
    counts: UpsertCounts = field(default_factory=UpsertCounts)


class PlacementRepository:
    """Reads hide tombstones; writes must run inside `StationDatabase.transaction()`."""

    def __init__(self, database: StationDatabase) -> None:
        self._database = database
        self._workers = WorkerRepository(database)
        self._organisations = OrganisationRepository(database)

    # -- reads -------------------------------------------------------------------------------
    def _row(self, code: str) -> tuple[Any, ...] | None:
        row = self._database.connection.execute(
            f"{_SELECT} WHERE p.code = ? AND p.deleted_at IS NULL", (code,)
        ).fetchone()
        return tuple(row) if row else None

    def get(self, code: str) -> Placement | None:
        """The placement, its verified_through taken from its follow-ups by the domain rule."""
        row = self._row(code)
        if row is None:
            return None
        return replace(_placement(row), verified_through=verified_through(self.follow_ups(code)))

    def for_worker(self, id_number: str) -> list[Placement]:
        rows = self._database.connection.execute(
            f"{_SELECT} WHERE w.id_number = ? AND p.deleted_at IS NULL ORDER BY p.start_date, p.id",
            (id_number,),
        )
        return [_placement(row) for row in rows]

    def count_for_worker(self, id_number: str) -> int:
        return int(
            self._database.connection.execute(
                "SELECT count(*) FROM placements p JOIN workers w ON w.id = p.worker_id"
                " WHERE w.id_number = ? AND p.deleted_at IS NULL",
                (id_number,),
            ).fetchone()[0]
        )

    def all(self) -> list[Placement]:
        """Every live placement in storage order, verified_through derived in the same read.

        Built for 300,000 rows: worker, organiser and verified_through come from three
        dictionaries (one pass each, the last over a covering partial index) instead of
        joins, and each distinct day is parsed once.
        """
        connection = self._database.connection
        numbers = dict(connection.execute("SELECT id, id_number FROM workers"))
        codes: dict[int | None, str | None] = {None: None}
        codes.update(connection.execute("SELECT id, code FROM organisations"))
        proven = dict(
            connection.execute(
                "SELECT placement_id, max(date) FROM follow_ups"
                " WHERE result = '在岗' AND deleted_at IS NULL GROUP BY placement_id"
            )
        )
        day = DayCache()
        rows = connection.execute(
            "SELECT id, code, worker_id, organiser_id, employer, work_county, start_date,"
            " end_date, contract, contract_start, contract_end, social_insurance,"
            " monthly_wage_fen FROM placements WHERE deleted_at IS NULL ORDER BY id"
        )
        return [
            Placement(
                code,
                numbers[worker_id],
                codes[organiser_id],
                county,
                day[start],  # type: ignore[arg-type]  # NOT NULL column
                day[end],
                day[proven.get(row_id)],
                employer,
                bool(contract),
                day[contract_start],
                day[contract_end],
                bool(insured),
                wage,
            )
            for (
                row_id,
                code,
                worker_id,
                organiser_id,
                employer,
                county,
                start,
                end,
                contract,
                contract_start,
                contract_end,
                insured,
                wage,
            ) in rows
        ]

    def follow_ups(self, code: str) -> list[FollowUp]:
        rows = self._database.connection.execute(
            f"{_FOLLOW_UP_SELECT} WHERE p.code = ? AND f.deleted_at IS NULL ORDER BY f.date, f.id",
            (code,),
        )
        return [_follow_up(tuple(row)) for row in rows]

    def all_follow_ups(self) -> list[FollowUp]:
        """Every live follow-up of a live placement, by placement then date (for the export)."""
        rows = self._database.connection.execute(
            f"{_FOLLOW_UP_SELECT} WHERE f.deleted_at IS NULL AND p.deleted_at IS NULL"
            " ORDER BY f.placement_id, f.date, f.id"
        )
        return [_follow_up(tuple(row)) for row in rows]

    # -- writes ------------------------------------------------------------------------------
    def _foreign_keys(self, placements: list[Placement]) -> tuple[dict[str, int], dict[str, int]]:
        worker_ids = self._workers.ids_by_number(placement.worker for placement in placements)
        organisation_ids = self._organisations.ids_by_code()
        for placement in placements:
            if placement.worker not in worker_ids:
                raise RecordNotFoundError(
                    f"就业记录{placement.id}：人员{mask_id_number(placement.worker)}不存在"
                )
            if placement.organiser is not None and placement.organiser not in organisation_ids:
                raise RecordNotFoundError(
                    f"就业记录{placement.id}：组织{placement.organiser}不存在"
                )
        return worker_ids, organisation_ids

    @staticmethod
    def _values(
        placement: Placement,
        code: str,
        worker_ids: dict[str, int],
        organisation_ids: dict[str, int],
    ) -> dict[str, Any]:
        return {
            "code": code,
            "worker_id": worker_ids[placement.worker],
            "organiser_id": organisation_ids[placement.organiser]
            if placement.organiser is not None
            else None,
            "employer": placement.employer,
            "work_county": placement.work_county,
            "start_date": placement.start.isoformat(),
            "end_date": day_text(placement.end),
            "contract": int(placement.contract),
            "contract_start": day_text(placement.contract_start),
            "contract_end": day_text(placement.contract_end),
            "social_insurance": int(placement.social_insurance),
            "monthly_wage_fen": placement.monthly_wage,
        }

    def add(self, placement: Placement, method: FollowUpMethod = FollowUpMethod.EMPLOYER) -> str:
        """Store a new placement; return its code. A verified_through becomes a follow-up."""
        self._foreign_keys([placement])
        natural_key = (placement.worker, placement.employer, placement.start.isoformat())
        if self._code_by_natural_key(*natural_key) is not None:
            raise ConstraintViolationError("该人员在该用工单位、同一开始日期的就业记录已存在")
        self.upsert([placement], method)
        code = self._code_by_natural_key(*natural_key)
        assert code is not None
        return code

    def _code_by_natural_key(self, id_number: str, employer: str, start: str) -> str | None:
        row = self._database.connection.execute(
            "SELECT p.code FROM placements p JOIN workers w ON w.id = p.worker_id"
            " WHERE w.id_number = ? AND p.employer = ? AND p.start_date = ?"
            " AND p.deleted_at IS NULL",
            (id_number, employer, start),
        ).fetchone()
        return str(row[0]) if row else None

    def update(self, placement: Placement) -> bool:
        """Replace the stored fields of the placement with this code (not its follow-ups)."""
        row = self._row(placement.id)
        if row is None:
            raise RecordNotFoundError(f"就业记录{placement.id}不存在")
        worker_ids, organisation_ids = self._foreign_keys([placement])
        values = self._values(placement, placement.id, worker_ids, organisation_ids)
        update = RecordUpdate(row[0], row[1], _data(row), values)
        return update_records(self._database, "placements", [update]) == 1

    def delete(self, code: str) -> None:
        """Tombstone the placement (its follow-ups go with it: they are only reached through it)."""
        row = self._row(code)
        if row is None:
            raise RecordNotFoundError(f"就业记录{code}不存在")
        tombstone_record(self._database, "placements", row[0], row[1], _data(row))

    def upsert(
        self,
        placements: Iterable[Placement],
        method: FollowUpMethod = FollowUpMethod.EMPLOYER,
    ) -> UpsertCounts:
        """Create or update placements keyed by (worker, employer, start), idempotently.

        An existing placement keeps its code. A `verified_through` later than what the stored
        follow-ups prove is recorded as a new 在岗 follow-up (by `method`), never lowered.
        """
        incoming = list(placements)
        worker_ids, organisation_ids = self._foreign_keys(incoming)
        plan = self._classify(incoming, worker_ids, organisation_ids)
        insert_records(self._database, "placements", plan.created)
        update_records(self._database, "placements", plan.updates)
        proofs = plan.proofs
        if plan.created_proof:
            new_ids = self._ids_by_code([code for code, _ in plan.created_proof])
            proofs.extend((new_ids[code], day) for code, day in plan.created_proof)
        self._add_proofs(proofs, method)
        return plan.counts

    def preview_upsert(
        self, placements: Iterable[Placement], new_organisations: Iterable[str] = ()
    ) -> UpsertCounts:
        """What `upsert` would count, without writing (dry run). Placements of workers not
        stored yet are new; `new_organisations` are codes about to be created with them."""
        incoming = list(placements)
        worker_ids = self._workers.ids_by_number(placement.worker for placement in incoming)
        organisation_ids = self._organisations.ids_by_code()
        for fake_id, code in enumerate(new_organisations, start=1):
            organisation_ids.setdefault(code, -fake_id)  # never equal to a stored row id
        stored = [placement for placement in incoming if placement.worker in worker_ids]
        new_keys = {
            (placement.worker, placement.employer, placement.start)
            for placement in incoming
            if placement.worker not in worker_ids
        }
        counts = self._classify(stored, worker_ids, organisation_ids).counts
        return counts + UpsertCounts(created=len(new_keys))

    def _classify(
        self,
        incoming: list[Placement],
        worker_ids: dict[str, int],
        organisation_ids: dict[str, int],
    ) -> _UpsertPlan:
        """What an upsert writes (shared with its preview): new rows, updates, proofs."""
        connection = self._database.connection
        existing: dict[tuple[int, str, str], tuple[Any, ...]] = {}
        for part in chunks(sorted(set(worker_ids.values()))):
            rows = connection.execute(
                f"{_SELECT} WHERE p.deleted_at IS NULL"
                f" AND p.worker_id IN ({placeholders(len(part))})",
                part,
            )
            existing.update(((row[3], row[5], row[7]), tuple(row)) for row in rows)
        taken: set[str] = set()
        for codes in chunks([placement.id for placement in incoming if placement.id]):
            rows = connection.execute(
                f"SELECT code FROM placements WHERE code IN ({placeholders(len(codes))})", codes
            )
            taken.update(row[0] for row in rows)

        plan = _UpsertPlan()
        changed_ids: set[int] = set()
        unchanged_keys: set[tuple[int, str, str]] = set()
        seen: dict[tuple[int, str, str], dict[str, Any]] = {}
        for placement in incoming:
            worker_id = worker_ids[placement.worker]
            key = (worker_id, placement.employer, placement.start.isoformat())
            row = existing.get(key)
            if row is None:
                if key in seen:  # the same placement twice in one call: the first one stands
                    continue
                code = placement.id if placement.id and placement.id not in taken else new_uuid()
                taken.add(code)
                values = self._values(placement, code, worker_ids, organisation_ids)
                seen[key] = values
                plan.created.append(values)
                if placement.verified_through is not None:
                    plan.created_proof.append((code, placement.verified_through))
                continue
            values = self._values(placement, row[2], worker_ids, organisation_ids)
            old = _data(row)
            if values != old:
                plan.updates.append(RecordUpdate(row[0], row[1], old, values))
                changed_ids.add(row[0])
            proven = text_day(row[17])
            if placement.verified_through is not None and (
                proven is None or placement.verified_through > proven
            ):
                plan.proofs.append((row[0], placement.verified_through))
                changed_ids.add(row[0])
            if row[0] not in changed_ids:
                unchanged_keys.add(key)
        plan.counts = UpsertCounts(len(plan.created), len(changed_ids), len(unchanged_keys))
        return plan

    def _ids_by_code(self, codes: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for part in chunks(codes):
            rows = self._database.connection.execute(
                f"SELECT code, id FROM placements WHERE code IN ({placeholders(len(part))})", part
            )
            found.update(rows)
        return found

    def _add_proofs(self, proofs: list[tuple[int, date]], method: FollowUpMethod) -> None:
        actor = self._database.current_transaction().actor
        insert_records(
            self._database,
            "follow_ups",
            [
                {
                    "placement_id": placement_id,
                    "date": day.isoformat(),
                    "method": method.value,
                    "result": FollowUpResult.EMPLOYED.value,
                    "who": actor,
                    "note": IMPORT_NOTE,
                }
                for placement_id, day in proofs
            ],
        )

    # -- follow-ups (回访) --------------------------------------------------------------------
    def add_follow_up(self, follow_up: FollowUp) -> FollowUp:
        """Record a follow-up of the placement `follow_up.placement`; return it with its UUID."""
        row = self._row(follow_up.placement)
        if row is None:
            raise RecordNotFoundError(f"就业记录{follow_up.placement}不存在")
        values: dict[str, Any] = {
            "placement_id": row[0],
            "date": follow_up.date.isoformat(),
            "method": follow_up.method.value,
            "result": follow_up.result.value,
            "who": follow_up.who,
            "note": follow_up.note,
        }
        if len(follow_up.id) == 36:
            values["uuid"] = follow_up.id
        record_uuid = insert_records(self._database, "follow_ups", [values])[0]
        return FollowUp(
            id=record_uuid,
            placement=follow_up.placement,
            date=follow_up.date,
            method=follow_up.method,
            result=follow_up.result,
            who=follow_up.who,
            note=follow_up.note,
        )

    def delete_follow_up(self, follow_up_uuid: str) -> None:
        row = self._database.connection.execute(
            f"{_FOLLOW_UP_SELECT} WHERE f.uuid = ? AND f.deleted_at IS NULL", (follow_up_uuid,)
        ).fetchone()
        if row is None:
            raise RecordNotFoundError("该回访记录不存在")
        old = dict(
            zip(("placement", "date", "method", "result", "who", "note"), row[2:], strict=True)
        )
        tombstone_record(self._database, "follow_ups", row[0], row[1], old)
