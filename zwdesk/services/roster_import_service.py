"""Import a 花名册 (roster): preview what it would change, then write it all in one transaction.

`RosterImportService(database, actor).preview(path)` is a dry run that only reads the database;
`run(path)` writes every valid row through the repositories' idempotent upserts (importing the
same file twice creates nothing new) and writes rejected rows to `<name>.错误.xlsx`.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from zwdesk.domain.model import Organisation, Placement, Worker
from zwdesk.domain.policy.parameters import PolicySchedule
from zwdesk.services.policy_files import station_schedule
from zwdesk.services.roster import (
    RejectedCell,
    RejectedRow,
    RosterFileError,
    RosterPlan,
    RosterRow,
    RosterStats,
    RosterWarning,
    read_roster,
    write_rejects_xlsx,
)
from zwdesk.services.roster.cells import CellValue
from zwdesk.services.roster.fields import RosterField, field_for_header
from zwdesk.services.roster.readers import column_letter, open_source
from zwdesk.services.roster_export_service import ORGANISATION_SHEET, read_organisation_sheet
from zwdesk.storage.database import StationDatabase
from zwdesk.storage.organisation_repository import OrganisationRepository
from zwdesk.storage.placement_repository import PlacementRepository
from zwdesk.storage.records import UpsertCounts
from zwdesk.storage.worker_repository import WorkerRepository

__all__ = [
    "ImportPreview",
    "ImportReport",
    "ProgressCallback",
    "RecordCounts",
    "RosterFileError",
    "RosterImportService",
    "default_rejects_path",
]

# Only counts go to logging: never ID numbers, names or phones.
logger = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int, str], None]
"""progress(done, total, text); the window's may raise to cancel (the import then rolls back)."""

OWN_STATION_WORDS = frozenset({"本站", "本工作站", "本单位"})
_STEPS = 4


def _no_progress(done: int, total: int, text: str) -> None:
    """The default progress callback: report nothing."""


@dataclass(frozen=True, slots=True)
class RecordCounts:
    """新增/更新/未变: what an import did (a preview: would do) to one kind of record."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @classmethod
    def of(cls, counts: UpsertCounts) -> RecordCounts:
        return cls(counts.created, counts.updated, counts.unchanged)


@dataclass(frozen=True, slots=True)
class ImportPreview:
    """What importing `source` does to the database: counts, rejected rows, warnings."""

    source: Path
    workers: RecordCounts
    placements: RecordCounts
    organisations: RecordCounts  # from the 组织 sheet of an export file; zero for a roster
    rejects: tuple[RejectedRow, ...]  # nothing of these rows is imported
    warnings: tuple[RosterWarning, ...]
    stats: RosterStats  # rows read; `valid`/`rejected` as read, before organisers are mapped
    headers: Mapping[str, tuple[CellValue, ...]] = field(default_factory=dict)

    @property
    def valid_rows(self) -> int:
        """Rows that are (or would be) imported."""
        return self.stats.data_rows - self.stats.duplicates - len(self._row_rejects)

    @property
    def rejected_rows(self) -> int:
        """Rows not imported, each with at least one reason."""
        return len(self.rejects)

    @property
    def rejected_cells(self) -> list[tuple[str, RejectedCell]]:
        """(sheet, cell) of every reason, in file order; values are masked."""
        return [(reject.sheet, cell) for reject in self.rejects for cell in reject.cells]

    @property
    def _row_rejects(self) -> list[RejectedRow]:
        return [reject for reject in self.rejects if reject.sheet != ORGANISATION_SHEET]

    def write_rejects(self, path: Path | str) -> None:
        """The rejected rows, original columns plus 原行号 and 错误原因, as an .xlsx."""
        write_rejects_xlsx(RosterPlan(rejects=list(self.rejects), headers=dict(self.headers)), path)


@dataclass(frozen=True, slots=True)
class ImportReport(ImportPreview):
    """What `run` wrote; `rejects_path` is where the rejected rows went (None: nowhere)."""

    rejects_path: Path | None = None


def default_rejects_path(source: Path) -> Path:
    """`花名册.xlsx` → `花名册.错误.xlsx`, next to the source."""
    return source.with_name(f"{source.stem}.错误.xlsx")


@dataclass(slots=True)
class _Prepared:
    """A read and checked file, ready to compare with or write to the database."""

    source: Path
    plan: RosterPlan
    workers: list[Worker]
    placements: list[Placement]
    new_organisations: list[Organisation]
    rejects: list[RejectedRow]
    warnings: list[RosterWarning]

    def preview(
        self, workers: RecordCounts, placements: RecordCounts, organisations: RecordCounts
    ) -> ImportPreview:
        return ImportPreview(
            self.source,
            workers,
            placements,
            organisations,
            tuple(self.rejects),
            tuple(self.warnings),
            self.plan.stats,
            dict(self.plan.headers),
        )


class RosterImportService:
    """Roster files into one station database; `actor` (经办人) is recorded in the audit log."""

    def __init__(
        self,
        database: StationDatabase,
        actor: str = "",
        *,
        today: date | None = None,
        schedule: PolicySchedule | None = None,
    ) -> None:
        self._database = database
        self.actor = actor
        self._today = today  # None: the real date at each import
        self._schedule = schedule
        self._workers = WorkerRepository(database)
        self._placements = PlacementRepository(database)
        self._organisations = OrganisationRepository(database)

    def preview(self, path: Path | str) -> ImportPreview:
        """Dry run: what `run` would create, update, leave unchanged and reject. Only reads.

        Raises RosterFileError (Chinese message) when the file cannot be read as a roster.
        """
        prepared = self._prepare(Path(path))
        new_codes = [organisation.id for organisation in prepared.new_organisations]
        return prepared.preview(
            RecordCounts.of(self._workers.preview_upsert(prepared.workers)),
            RecordCounts.of(self._placements.preview_upsert(prepared.placements, new_codes)),
            RecordCounts(created=len(new_codes)),
        )

    def run(
        self,
        path: Path | str,
        *,
        rejects_path: Path | str | None = None,
        progress: ProgressCallback | None = None,
    ) -> ImportReport:
        """Import every valid row in one transaction: any exception (including one raised by
        `progress` to cancel) leaves the database as it was. Rejected rows are written to
        `rejects_path`, or to `<name>.错误.xlsx` beside the source when there are any."""
        report = progress or _no_progress
        source = Path(path)
        report(0, _STEPS, "正在读取和检查花名册…")
        prepared = self._prepare(source)
        report(1, _STEPS, "正在写入组织和人员…")
        with self._database.transaction(self.actor):
            organisations = self._organisations.upsert(prepared.new_organisations)
            workers = self._workers.upsert(prepared.workers)
            report(2, _STEPS, "正在写入就业记录…")
            placements = self._placements.upsert(prepared.placements)
            report(3, _STEPS, "正在保存…")
        logger.info(
            "roster imported: workers %d/%d/%d, placements %d/%d/%d, %d rows rejected",
            workers.created,
            workers.updated,
            workers.unchanged,
            placements.created,
            placements.updated,
            placements.unchanged,
            len(prepared.rejects),
        )
        preview = prepared.preview(
            RecordCounts.of(workers), RecordCounts.of(placements), RecordCounts.of(organisations)
        )
        written: Path | None = None
        if rejects_path is not None or preview.rejects:
            target = (
                Path(rejects_path) if rejects_path is not None else default_rejects_path(source)
            )
            try:
                preview.write_rejects(target)
                written = target
            except OSError as error:
                prepared.warnings.append(
                    RosterWarning(
                        "", None, f"错误行文件{target.name}无法保存（{error.strerror or error}）"
                    )
                )
        report(_STEPS, _STEPS, "导入完成")
        return ImportReport(
            preview.source,
            preview.workers,
            preview.placements,
            preview.organisations,
            preview.rejects,
            tuple(prepared.warnings),
            preview.stats,
            preview.headers,
            rejects_path=written,
        )

    # -- reading and checking -----------------------------------------------------------------
    def _prepare(self, source: Path) -> _Prepared:
        today = self._today or date.today()
        schedule = self._schedule or station_schedule(self._database)
        local_counties = schedule.at(today).jurisdiction.local_counties
        station = self._organisations.station_profile()
        # The station's code goes to every placement with no 组织者 written; a sheet that has
        # the column but left a cell empty means nobody, and is set back in _map_organisers.
        plan = read_roster(
            source,
            today=today,
            organiser=station.id if station is not None else None,
            local_counties=local_counties,
        )
        sheet = read_organisation_sheet(source) if _is_export(plan) else None
        stored = self._organisations.all()
        stored_codes = {organisation.id for organisation in stored}
        new_organisations: list[Organisation] = []
        rejects = list(plan.rejects)
        if sheet is not None:
            plan.headers[ORGANISATION_SHEET] = sheet.header
            new_organisations = [
                item for item in sheet.organisations if item.id not in stored_codes
            ]
            rejects.extend(sheet.rejects)
        resolver = _OrganiserResolver([*stored, *new_organisations], station)
        warnings = list(plan.warnings)
        rows, organiser_rejects = _map_organisers(plan, resolver, warnings)
        if organiser_rejects:
            rejects.extend(_with_values(source, organiser_rejects))
        order = {name: index for index, name in enumerate(plan.stats.sheets)}
        rejects.sort(key=lambda reject: (order.get(reject.sheet, len(order)), reject.row_number))
        workers: dict[str, Worker] = {}
        for row in rows:
            workers.setdefault(row.worker.id_number, row.worker)
        placements = [row.placement for row in rows if row.placement is not None]
        return _Prepared(
            source, plan, list(workers.values()), placements, new_organisations, rejects, warnings
        )


def _is_export(plan: RosterPlan) -> bool:
    return "人员" in plan.stats.sheets and "就业" in plan.stats.sheets


def _normal_name(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


class _OrganiserResolver:
    """组织者 as written (a code or a name) → the code of a registered organisation."""

    def __init__(self, organisations: Iterable[Organisation], station: Organisation | None):
        self.station = station
        self._codes = {organisation.id for organisation in organisations}
        self._names: dict[str, list[str]] = {}
        for organisation in organisations:
            self._names.setdefault(_normal_name(organisation.name), []).append(organisation.id)

    def resolve(self, written: str) -> tuple[str | None, str]:
        """(code, "") or (None, reason in Chinese)."""
        if written in self._codes:
            return written, ""
        name = _normal_name(written)
        if name in OWN_STATION_WORDS:
            if self.station is None:
                return None, f"填写了“{written}”，但尚未设置本站信息，请先在“本站设置”中登记"
            return self.station.id, ""
        codes = self._names.get(name, [])
        if len(codes) == 1:
            return codes[0], ""
        if codes:
            listed = "、".join(codes)
            return None, f"有{len(codes)}个组织都叫“{written}”，请改填组织编号（{listed}）"
        return None, (
            f"组织者“{written}”未登记：请先在“组织”中登记该劳务工作站或中介，"
            "或改填已登记组织的名称或编号；自行就业的请留空"
        )


def _organiser_columns(plan: RosterPlan) -> dict[str, int | None]:
    """Per sheet: the index of its 组织者 column, or None when it has none."""
    columns: dict[str, int | None] = {}
    for sheet, labels in plan.headers.items():
        columns[sheet] = next(
            (
                index
                for index, label in enumerate(labels)
                if field_for_header(label) is RosterField.ORGANISER
            ),
            None,
        )
    return columns


def _map_organisers(
    plan: RosterPlan, resolver: _OrganiserResolver, warnings: list[RosterWarning]
) -> tuple[list[RosterRow], list[tuple[RosterRow, RejectedCell]]]:
    """Turn each placement's 组织者 text into an organisation code, or reject its row.

    A sheet without a 组织者 column is the station's own roster: its placements are organised
    by 本站 (read_roster already gave them its code). An empty 组织者 cell in a sheet that has
    the column means nobody (自行就业). Rows are copied only when their organiser changes.
    """
    columns = _organiser_columns(plan)
    accepted: list[RosterRow] = []
    rejected: list[tuple[RosterRow, RejectedCell]] = []
    warned: set[str] = set()
    for row in plan.rows:
        placement = row.placement
        if placement is None:
            accepted.append(row)
            continue
        column = columns.get(row.sheet)
        if column is None:
            if resolver.station is None and row.sheet not in warned:
                warned.add(row.sheet)
                warnings.append(
                    RosterWarning(
                        row.sheet,
                        None,
                        f"工作表“{row.sheet}”没有“组织者”列，且尚未设置本站信息："
                        "就业记录按无组织者导入",
                    )
                )
            accepted.append(row)
            continue
        if row.organiser_name is None:
            code: str | None = None
        else:
            code, reason = resolver.resolve(row.organiser_name)
            if code is None:
                cell = RejectedCell(
                    row.row_number,
                    column_letter(column),
                    RosterField.ORGANISER.value,
                    row.organiser_name,
                    reason,
                )
                rejected.append((row, cell))
                continue
        if code != placement.organiser:
            row = replace(row, placement=replace(placement, organiser=code))
        accepted.append(row)
    return accepted, rejected


def _with_values(source: Path, rejected: list[tuple[RosterRow, RejectedCell]]) -> list[RejectedRow]:
    """Rejected rows with their original cells (read again: valid rows do not keep them)."""
    wanted = {(row.sheet, row.row_number): cell for row, cell in rejected}
    values: dict[tuple[str, int], tuple[CellValue, ...]] = {}
    sheets = {sheet for sheet, _ in wanted}
    with open_source(source) as opened:
        for sheet in opened.sheets:
            if sheet.name not in sheets:
                continue
            for number, cells in sheet.rows:
                if (sheet.name, number) in wanted:
                    values[(sheet.name, number)] = cells
    return [
        RejectedRow(sheet, number, (cell,), values.get((sheet, number), ()))
        for (sheet, number), cell in wanted.items()
    ]
