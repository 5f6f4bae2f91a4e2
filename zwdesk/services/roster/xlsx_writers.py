"""Excel files for people: rejected rows with 错误原因, and the 人员/就业/回访/申领 export."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from zwdesk.domain.address import place_name
from zwdesk.domain.model import Claim, FollowUp, Placement, Worker
from zwdesk.domain.money import fen_to_number
from zwdesk.domain.resident_id import parse_resident_id
from zwdesk.services.roster.cells import CellValue, format_groups
from zwdesk.services.roster.fields import RosterField
from zwdesk.services.roster.plan import RosterPlan
from zwdesk.services.roster.roster_reader import EXPORT_PLACEMENT_SHEET, EXPORT_WORKER_SHEET

_DATE_FORMAT = "yyyy-mm-dd"
_TEXT_FORMAT = "@"
F = RosterField
WORKER_COLUMNS = (
    F.NAME,
    F.GENDER,
    F.ID_NUMBER,
    F.HUKOU,
    F.HUKOU_CODE,
    F.RESIDENCE,
    F.RESIDENCE_CODE,
    F.PHONE,
    F.RURAL,
    F.GROUPS,
)
PLACEMENT_COLUMNS = (
    F.PLACEMENT_ID,
    F.NAME,
    F.ID_NUMBER,
    F.EMPLOYER,
    F.WORK_PLACE,
    F.WORK_CODE,
    F.START,
    F.END,
    F.VERIFIED_THROUGH,
    F.CONTRACT,
    F.CONTRACT_START,
    F.CONTRACT_END,
    F.SOCIAL_INSURANCE,
    F.WAGE,
    F.ORGANISER,
)
FOLLOW_UP_HEADERS = ("编号", "就业记录编号", "回访日期", "回访方式", "回访结果", "回访人", "备注")
CLAIM_HEADERS = ("项目", "金额（元）", "年度", "身份证号", "组织", "批次", "申领单号")
_TEXT_COLUMNS = {F.ID_NUMBER, F.PHONE, F.HUKOU_CODE, F.RESIDENCE_CODE, F.WORK_CODE}


def write_rejects_xlsx(plan: RosterPlan, path: Path | str) -> None:
    """The rejected rows with their original columns, 原行号 and 错误原因 — one sheet per source
    sheet — so the office can correct them and import the file again."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    sheets = list(dict.fromkeys(reject.sheet for reject in plan.rejects)) or ["错误行"]
    for name in sheets:
        sheet = workbook.create_sheet(_sheet_title(name))
        labels = list(plan.headers.get(name, ()))
        rejects = [reject for reject in plan.rejects if reject.sheet == name]
        width = max([len(labels), *(len(reject.values) for reject in rejects)])
        labels += [None] * (width - len(labels))
        sheet.append([*labels, "原行号", "错误原因"])
        for reject in rejects:
            values = list(reject.values) + [None] * (width - len(reject.values))
            sheet.append([*values, reject.row_number, reject.reasons])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, date):
                    cell.number_format = _DATE_FORMAT
        sheet.column_dimensions[_letter(width + 1)].width = 80
    workbook.save(path)


def write_export_xlsx(
    path: Path | str,
    workers: Iterable[Worker],
    placements: Iterable[Placement],
    follow_ups: Iterable[FollowUp],
    claims: Iterable[Claim],
) -> None:
    """Sheets 人员, 就业, 回访, 申领 with Chinese headers; `read_roster` reads 人员 and 就业
    back into the same Worker and Placement objects."""
    from openpyxl import Workbook

    worker_list = list(workers)
    names = {worker.id_number: worker.name for worker in worker_list}
    workbook = Workbook()
    workbook.remove(workbook.active)
    _table(workbook, EXPORT_WORKER_SHEET, WORKER_COLUMNS, (_worker_row(w) for w in worker_list))
    _table(
        workbook,
        EXPORT_PLACEMENT_SHEET,
        PLACEMENT_COLUMNS,
        (_placement_row(p, names.get(p.worker, "")) for p in placements),
    )
    follow_sheet = workbook.create_sheet("回访")
    follow_sheet.append(FOLLOW_UP_HEADERS)
    for item in follow_ups:
        follow_sheet.append(
            [
                item.id,
                item.placement,
                item.date,
                item.method.value,
                item.result.value,
                item.who,
                item.note,
            ]
        )
        follow_sheet.cell(follow_sheet.max_row, 3).number_format = _DATE_FORMAT
    claim_sheet = workbook.create_sheet("申领")
    claim_sheet.append(CLAIM_HEADERS)
    for claim in claims:
        claim_sheet.append(
            [
                f"第{claim.item}项",
                fen_to_number(claim.amount),
                claim.year,
                claim.worker,
                claim.organisation,
                claim.batch,
                claim.claim,
            ]
        )
        claim_sheet.cell(claim_sheet.max_row, 4).number_format = _TEXT_FORMAT
    workbook.save(path)


def _table(
    workbook: Any,
    title: str,
    columns: Sequence[RosterField],
    rows: Iterable[dict[RosterField, CellValue]],
) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append([column.value for column in columns])
    for values in rows:
        sheet.append([values.get(column) for column in columns])
        for index, column in enumerate(columns, start=1):
            cell = sheet.cell(sheet.max_row, index)
            if column in _TEXT_COLUMNS:
                cell.number_format = _TEXT_FORMAT
            elif isinstance(cell.value, date):
                cell.number_format = _DATE_FORMAT
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[_letter(index)].width = 22 if column in _TEXT_COLUMNS else 14


def _worker_row(worker: Worker) -> dict[RosterField, CellValue]:
    try:
        gender: str | None = "男" if parse_resident_id(worker.id_number).is_male else "女"
    except ValueError:
        gender = None
    return {
        F.NAME: worker.name,
        F.GENDER: gender,
        F.ID_NUMBER: worker.id_number,
        F.HUKOU: place_name(worker.hukou_county),
        F.HUKOU_CODE: worker.hukou_county,
        F.RESIDENCE: place_name(worker.resident_county) if worker.resident_county else None,
        F.RESIDENCE_CODE: worker.resident_county,
        F.PHONE: worker.phone,
        F.RURAL: _yes_no(worker.rural),
        F.GROUPS: format_groups(worker.groups) or None,
    }


def _placement_row(placement: Placement, name: str) -> dict[RosterField, CellValue]:
    wage = placement.monthly_wage
    return {
        F.PLACEMENT_ID: placement.id,
        F.NAME: name,
        F.ID_NUMBER: placement.worker,
        F.EMPLOYER: placement.employer or None,
        F.WORK_PLACE: place_name(placement.work_county),
        F.WORK_CODE: placement.work_county,
        F.START: placement.start,
        F.END: placement.end,
        F.VERIFIED_THROUGH: placement.verified_through,
        F.CONTRACT: _yes_no(placement.contract),
        F.CONTRACT_START: placement.contract_start,
        F.CONTRACT_END: placement.contract_end,
        F.SOCIAL_INSURANCE: _yes_no(placement.social_insurance),
        F.WAGE: fen_to_number(wage) if wage is not None else None,
        F.ORGANISER: placement.organiser,
    }


def _yes_no(flag: bool) -> str:
    return "是" if flag else "否"


def _sheet_title(name: str) -> str:
    cleaned = "".join("_" if char in "[]:*?/\\" else char for char in name)
    return cleaned[:31] or "错误行"


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))
