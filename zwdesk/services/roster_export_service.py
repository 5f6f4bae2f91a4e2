"""Export the station (导出): 人员, 就业, 回访, 申领 and 组织 sheets that import back losslessly."""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zwdesk.domain.model import Organisation, OrganisationKind
from zwdesk.services.roster import RejectedCell, RejectedRow, write_export_xlsx
from zwdesk.services.roster.cells import CellValue, clean_text
from zwdesk.services.roster.readers import column_letter
from zwdesk.storage.database import StationDatabase
from zwdesk.storage.scenario_repository import load_station_export

logger = logging.getLogger(__name__)

# The organisations placements name in 组织者, so an export imports into an empty database.
ORGANISATION_SHEET = "组织"
ORGANISATION_HEADERS = ("编号", "类别", "名称", "所在县区代码")
_KINDS = {kind.label: kind for kind in OrganisationKind} | {
    kind.value: kind for kind in OrganisationKind
}


@dataclass(frozen=True, slots=True)
class ExportReport:
    """What an export wrote, and where."""

    path: Path
    organisations: int
    workers: int
    placements: int
    follow_ups: int
    claims: int


class RosterExportService:
    """Writes the whole station to one .xlsx file (read-only on the database)."""

    def __init__(self, database: StationDatabase) -> None:
        self._database = database

    def export(self, path: Path | str) -> ExportReport:
        """Write 人员/就业/回访/申领/组织 to `path` (.xlsx). The file appears complete or not
        at all: it is written beside the target and renamed over it at the end."""
        target = Path(path)
        if target.suffix.lower() != ".xlsx":
            raise ValueError(f"导出文件须为 .xlsx：{target.name}")
        scenario, follow_ups = load_station_export(self._database)
        handle, temporary_name = tempfile.mkstemp(
            prefix=f".{target.stem}.", suffix=".xlsx", dir=target.parent
        )
        os.close(handle)
        temporary = Path(temporary_name)
        try:
            write_export_xlsx(
                temporary, scenario.workers, scenario.placements, follow_ups, scenario.claims
            )
            append_organisation_sheet(temporary, scenario.organisations)
            os.replace(temporary, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
        logger.info(
            "station exported: %d workers, %d placements",
            len(scenario.workers),
            len(scenario.placements),
        )
        return ExportReport(
            path=target,
            organisations=len(scenario.organisations),
            workers=len(scenario.workers),
            placements=len(scenario.placements),
            follow_ups=len(follow_ups),
            claims=len(scenario.claims),
        )


def append_organisation_sheet(path: Path, organisations: tuple[Organisation, ...]) -> None:
    """Add the 组织 sheet (编号, 类别, 名称, 所在县区代码) to a saved workbook."""
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    sheet = workbook.create_sheet(ORGANISATION_SHEET)
    sheet.append(list(ORGANISATION_HEADERS))
    for organisation in organisations:
        sheet.append(
            [organisation.id, organisation.kind.label, organisation.name, organisation.county]
        )
        for column in (1, 4):
            sheet.cell(sheet.max_row, column).number_format = "@"
    for letter, width in zip("ABCD", (16, 16, 30, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    workbook.save(path)


@dataclass(frozen=True, slots=True)
class OrganisationSheet:
    """The 组织 sheet of an export: valid organisations and rejected rows."""

    organisations: tuple[Organisation, ...]
    rejects: tuple[RejectedRow, ...]
    header: tuple[CellValue, ...]


def read_organisation_sheet(path: Path) -> OrganisationSheet | None:
    """The 组织 sheet of an .xlsx export, or None when the file has none."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return None
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if ORGANISATION_SHEET not in workbook.sheetnames:
            return None
        rows = enumerate(workbook[ORGANISATION_SHEET].iter_rows(values_only=True), start=1)
        header = next(rows, (0, ()))[1]
        if tuple(clean_text(value) for value in header[:4]) != ORGANISATION_HEADERS:
            return None
        organisations: list[Organisation] = []
        rejects: list[RejectedRow] = []
        for number, values in rows:
            if all(clean_text(value) == "" for value in values):
                continue
            organisation, cells = _organisation(number, values)
            if organisation is None:
                rejects.append(RejectedRow(ORGANISATION_SHEET, number, cells, tuple(values)))
            else:
                organisations.append(organisation)
        return OrganisationSheet(tuple(organisations), tuple(rejects), tuple(header))
    finally:
        workbook.close()


def _organisation(
    number: int, values: tuple[Any, ...]
) -> tuple[Organisation | None, tuple[RejectedCell, ...]]:
    code, kind_text, name, county = (
        clean_text(values[index]) if index < len(values) else "" for index in range(4)
    )
    errors: list[RejectedCell] = []

    def reject(index: int, value: str, reason: str) -> None:
        errors.append(
            RejectedCell(number, column_letter(index), ORGANISATION_HEADERS[index], value, reason)
        )

    if not code:
        reject(0, code, "组织编号未填")
    kind = _KINDS.get(kind_text)
    if kind is None:
        known = "、".join(item.label for item in OrganisationKind)
        reject(1, kind_text, f"类别应为{known}之一")
    if not name:
        reject(2, name, "组织名称未填")
    if county and not (len(county) == 6 and county.isdigit()):
        reject(3, county, "所在县区代码应为6位数字")
    if errors or kind is None:
        return None, tuple(errors)
    return Organisation(code, kind, name, county or None), ()
