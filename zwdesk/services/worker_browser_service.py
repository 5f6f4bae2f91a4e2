"""What the workers page (人员) reads: paged searches, one worker's dossier, inline checks."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import date

from zwdesk.domain.model import FollowUp, Organisation, Placement, Worker
from zwdesk.domain.resident_id import normalise_resident_id
from zwdesk.services.station_service import (
    StationInputError,
    check_county,
    check_id_number,
    check_phone,
)
from zwdesk.storage.audit_repository import AuditEntry, AuditRepository
from zwdesk.storage.database import StationDatabase
from zwdesk.storage.organisation_repository import OrganisationRepository
from zwdesk.storage.placement_repository import PlacementRepository
from zwdesk.storage.worker_repository import WorkerRepository
from zwdesk.storage.worker_search_repository import (
    Cursor,
    SearchSegment,
    WorkerListRow,
    WorkerSearchRepository,
)

__all__ = [
    "COUNT_CAP",
    "AuditEntry",
    "PlacementDossier",
    "WorkerBrowserService",
    "WorkerDossier",
    "WorkerListRow",
    "WorkerPager",
    "search_segments",
]

# A search counts its matches up to this many; beyond it the window says "more than".
COUNT_CAP = 1000


def search_segments(text: str) -> tuple[SearchSegment, ...]:
    """How a search-box text is looked up: empty → everyone; digits → ID-number prefix, then
    phone prefix; anything else → name prefix. Each is one range scan on an index."""
    query = text.strip()
    if not query:
        return (SearchSegment("all"),)
    number = normalise_resident_id(query)
    if number[0].isdigit():
        segments = [SearchSegment("id_number", number)]
        if number.isdigit() and len(number) <= 20:
            segments.append(SearchSegment("phone", number, exclude_id_prefix=number))
        return tuple(segments)
    return (SearchSegment("name", query),)


class WorkerPager:
    """One search, read page by page: only the pages asked for are ever read."""

    def __init__(self, repository: WorkerSearchRepository, text: str) -> None:
        self.text = text
        self._repository = repository
        self._segments = list(search_segments(text))
        self._cursor: Cursor = None
        self._total: int | None = None

    @property
    def exhausted(self) -> bool:
        return not self._segments

    def total(self) -> int:
        """How many workers match (counted on the indexes, once); a search (not the full
        list) counts at most COUNT_CAP + 1, so `total() > COUNT_CAP` means "more than"."""
        if self._total is None:
            segments = search_segments(self.text)
            cap = None if segments[0].kind == "all" else COUNT_CAP + 1
            self._total = min(
                sum(self._repository.count(segment, cap) for segment in segments),
                COUNT_CAP + 1 if cap else sys.maxsize,
            )
        return self._total

    @property
    def total_is_exact(self) -> bool:
        return self.total() <= COUNT_CAP or search_segments(self.text)[0].kind == "all"

    def next_page(self, limit: int = 200) -> list[WorkerListRow]:
        """The next `limit` matches (fewer at the end)."""
        rows: list[WorkerListRow] = []
        while self._segments and len(rows) < limit:
            wanted = limit - len(rows)
            page, self._cursor = self._repository.page(self._segments[0], self._cursor, wanted)
            rows.extend(page)
            if len(page) < wanted:  # this segment is done: go on with the next one
                self._segments.pop(0)
                self._cursor = None
        return rows


@dataclass(frozen=True, slots=True)
class PlacementDossier:
    placement: Placement
    organiser_name: str
    follow_ups: tuple[FollowUp, ...]


@dataclass(frozen=True, slots=True)
class WorkerDossier:
    """Everything about one worker for the detail pane (the clerk's own data, unmasked)."""

    worker: Worker
    placements: tuple[PlacementDossier, ...]
    batches: tuple[tuple[str, str, str, str, int], ...]
    claims: tuple[tuple[int, int, int | None, str | None], ...]
    history: tuple[AuditEntry, ...] = field(default=())


class WorkerBrowserService:
    """Read side of the workers page over one open database (writes: StationService)."""

    def __init__(self, database: StationDatabase) -> None:
        self._search = WorkerSearchRepository(database)
        self._workers = WorkerRepository(database)
        self._placements = PlacementRepository(database)
        self._organisations = OrganisationRepository(database)
        self._audit = AuditRepository(database)

    def search(self, text: str) -> WorkerPager:
        return WorkerPager(self._search, text)

    def worker(self, id_number: str) -> Worker | None:
        return self._workers.get(id_number)

    def organisations(self) -> list[Organisation]:
        return self._organisations.all()

    def placements(self, id_number: str) -> list[Placement]:
        return self._placements.for_worker(id_number)

    def dossier(self, id_number: str) -> WorkerDossier | None:
        worker = self._workers.get(id_number)
        if worker is None:
            return None
        names = self._search.organisation_names()
        placements = tuple(
            PlacementDossier(
                placement,
                names.get(placement.organiser or "", "自行就业"),
                tuple(self._placements.follow_ups(placement.id)),
            )
            for placement in self._placements.for_worker(id_number)
        )
        return WorkerDossier(
            worker=worker,
            placements=placements,
            batches=tuple(self._search.batches_of_worker(id_number)),
            claims=tuple(self._search.claims_of_worker(id_number)),
            history=tuple(self._audit.for_records(self._search.record_uuids_of_worker(id_number))),
        )

    # -- inline checks for the dialogs: a Chinese reason, or None when the value is fine ----
    def id_number_problem(self, text: str, *, new_worker: bool) -> str | None:
        try:
            number = check_id_number(text)
        except StationInputError as error:
            return error.reason
        if new_worker and self._workers.get(number) is not None:
            return "该身份证号已登记（同号即同一人），请在列表中查找后编辑"
        return None

    @staticmethod
    def county_problem(code: str, *, required: bool = True) -> str | None:
        try:
            check_county(code, "县", required=required)
        except StationInputError as error:
            return error.reason
        return None

    @staticmethod
    def phone_problem(text: str) -> str | None:
        try:
            check_phone(text)
        except StationInputError as error:
            return error.reason
        return None

    @staticmethod
    def date_order_problem(start: date, end: date | None, what: str = "开始日期") -> str | None:
        if end is not None and end < start:
            return f"不能早于{what}{start.isoformat()}"
        return None
