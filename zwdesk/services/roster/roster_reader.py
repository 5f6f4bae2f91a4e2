"""`read_roster`: a 花名册 file → a RosterPlan of valid rows, rejected rows and warnings."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import chain, islice
from pathlib import Path

from zwdesk.domain.model import Worker
from zwdesk.services.jurisdiction import local_county_codes
from zwdesk.services.roster.cells import CellValue, clean_text, is_blank
from zwdesk.services.roster.fields import RosterField
from zwdesk.services.roster.headers import HEADER_SEARCH_ROWS, HeaderLayout, detect_header
from zwdesk.services.roster.plan import (
    RejectedCell,
    RejectedRow,
    RosterPlan,
    RosterRow,
    RosterWarning,
)
from zwdesk.services.roster.readers import (
    RosterFileError,
    SourceSheet,
    column_letter,
    open_source,
)
from zwdesk.services.roster.row_validation import RowMode, RowRules, validate_row

EXPORT_WORKER_SHEET = "人员"
EXPORT_PLACEMENT_SHEET = "就业"
_FOOTER = re.compile(r"^(合计|总计|小计|共计|填表|制表|审核|负责人|填报|单位负责人|说明|注[:：])")


@dataclass(slots=True)
class _FileState:
    """What rows of every sheet share: the plan, workers seen, duplicate keys."""

    plan: RosterPlan
    today: date
    organiser: str | None
    local_counties: frozenset[str]
    workers: dict[str, tuple[Worker, str, int]] = field(default_factory=dict)
    keys: dict[tuple[str, str, date], tuple[str, int]] = field(default_factory=dict)
    export_workers: dict[str, Worker] = field(default_factory=dict)


def read_roster(
    path: Path | str,
    *,
    today: date | None = None,
    organiser: str | None = None,
    local_counties: Collection[str] | None = None,
) -> RosterPlan:
    """Read a roster (.xlsx, .xls, .csv): every sheet whose header names 姓名 and 身份证号.

    `organiser` is the organisation id given to placements whose 组织者 cell is empty; `today`
    bounds dates (nothing may lie in the future). A file written by `write_export_xlsx` (sheets
    人员 and 就业) is read back as its workers (rows without placement) and placements.
    Raises RosterFileError when the file cannot be read or has no roster sheet at all.
    """
    day = today or date.today()
    locals_ = local_county_codes(day) if local_counties is None else frozenset(local_counties)
    state = _FileState(RosterPlan(), day, organiser, locals_)
    with open_source(Path(path)) as source:
        state.plan.stats.format = source.kind
        names = [sheet.name for sheet in source.sheets]
        export = EXPORT_WORKER_SHEET in names and EXPORT_PLACEMENT_SHEET in names
        found = False
        for sheet, mode in _sheets_in_order(source.sheets, export):
            found = _read_sheet(sheet, mode, state) or found
    if not found:
        raise RosterFileError("没有找到花名册表头：前10行中没有同时含“姓名”和“身份证号”列的行")
    return state.plan


def _sheets_in_order(
    sheets: list[SourceSheet], export: bool
) -> Iterable[tuple[SourceSheet, RowMode]]:
    if not export:
        return [(sheet, RowMode.ROSTER) for sheet in sheets]
    by_name = {sheet.name: sheet for sheet in sheets}
    return [
        (by_name[EXPORT_WORKER_SHEET], RowMode.WORKERS),
        (by_name[EXPORT_PLACEMENT_SHEET], RowMode.PLACEMENTS),
    ]


def _read_sheet(sheet: SourceSheet, mode: RowMode, state: _FileState) -> bool:
    plan = state.plan
    head = list(islice(sheet.rows, HEADER_SEARCH_ROWS + 1))
    layout = detect_header(head)
    if layout is None:
        if any(not all(is_blank(value) for value in values) for _, values in head):
            plan.warnings.append(
                RosterWarning(sheet.name, None, f"工作表“{sheet.name}”没有找到表头，已跳过")
            )
        return False
    plan.stats.sheets.append(sheet.name)
    plan.stats.header_rows[sheet.name] = layout.row_numbers
    plan.headers[sheet.name] = layout.labels
    for text in layout.unknown:
        plan.warnings.append(RosterWarning(sheet.name, None, f"未识别的列“{text}”，已忽略"))
    for text in layout.repeated:
        plan.warnings.append(RosterWarning(sheet.name, None, f"“{text}”有多列，只读取第一列"))
    rules = RowRules(
        columns=layout.columns,
        today=state.today,
        local_counties=state.local_counties,
        organiser=state.organiser,
        mode=mode,
        known_workers=state.export_workers,
    )
    body = chain((item for item in head if item[0] > layout.last_row), sheet.rows)
    for number, values in body:
        if _skipped(values, layout):
            plan.stats.skipped += 1
            continue
        plan.stats.data_rows += 1
        _take_row(sheet.name, number, values, rules, state)
    return True


def _skipped(values: tuple[CellValue, ...], layout: HeaderLayout) -> bool:
    """Blank rows (a pre-numbered 序号 alone counts as blank) and 合计/signature rows."""
    sequence = layout.columns.get(RosterField.SEQUENCE)
    written = [
        value for index, value in enumerate(values) if index != sequence and not is_blank(value)
    ]
    if not written:
        return True
    id_column = layout.columns[RosterField.ID_NUMBER]
    id_blank = id_column >= len(values) or is_blank(values[id_column])
    first = next(clean_text(value) for value in values if not is_blank(value))
    return id_blank and bool(_FOOTER.match(first))


def _take_row(
    sheet: str, number: int, values: tuple[CellValue, ...], rules: RowRules, state: _FileState
) -> None:
    plan = state.plan
    outcome = validate_row(number, values, rules)
    worker = outcome.worker
    if worker is not None:
        worker = _same_person(sheet, number, worker, rules, state, outcome.errors)
    if worker is None or outcome.errors:
        plan.rejects.append(RejectedRow(sheet, number, tuple(outcome.errors), values))
        plan.stats.rejected += 1
        return
    for message in outcome.warnings:
        plan.warnings.append(RosterWarning(sheet, number, message))
    placement = outcome.placement
    if rules.mode is RowMode.WORKERS:
        if worker.id_number in state.export_workers:
            plan.stats.duplicates += 1
            return
        state.export_workers[worker.id_number] = worker
    if placement is not None:
        key = (placement.worker, placement.employer, placement.start)
        earlier = state.keys.get(key)
        if earlier is not None:
            plan.stats.duplicates += 1
            where = earlier[1] if earlier[0] == sheet else f"{earlier[0]}表第{earlier[1]}"
            plan.warnings.append(
                RosterWarning(
                    sheet,
                    number,
                    f"与第{where}行重复（同一人、同一用工单位、同一开始日期），已合并",
                )
            )
            return
        state.keys[key] = (sheet, number)
    plan.rows.append(RosterRow(sheet, number, worker, placement, outcome.organiser_name))
    plan.stats.valid += 1


def _same_person(
    sheet: str,
    number: int,
    worker: Worker,
    rules: RowRules,
    state: _FileState,
    errors: list[RejectedCell],
) -> Worker | None:
    """One ID is one person: a different name is an error, other differences a warning."""
    earlier = state.workers.get(worker.id_number)
    if earlier is None:
        state.workers[worker.id_number] = (worker, sheet, number)
        return worker
    first, first_sheet, first_number = earlier
    if first == worker:
        return first
    where = f"第{first_number}行" if first_sheet == sheet else f"{first_sheet}表第{first_number}行"
    if first.name != worker.name:
        column = rules.columns.get(RosterField.NAME)
        errors.append(
            RejectedCell(
                number,
                column_letter(column) if column is not None else "",
                RosterField.NAME.value,
                worker.name,
                f"同一身份证号在{where}的姓名是“{first.name}”，请核对身份证号或姓名",
            )
        )
        return None
    state.plan.warnings.append(
        RosterWarning(sheet, number, f"此人的户籍、电话或类别与{where}不同，以{where}为准")
    )
    return first
