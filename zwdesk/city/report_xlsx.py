"""A cadence report as an .xlsx workbook (openpyxl): 目标, 资金, 冲突 — one sheet each, a title
row with the period and when it was generated, Chinese headers, a frozen header row, money in
元 with fen, shares as percentages."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from zwdesk.city.analysis import KIND_LABELS
from zwdesk.city.city_view import ITEM_NAMES, ITEM_TITLES
from zwdesk.city.errors import CityError
from zwdesk.city.report_budget import BudgetLevel
from zwdesk.city.reports import CONFLICT_STATE_LABELS, TARGET_NOTES, CityReport, TargetLine
from zwdesk.domain.money import Fen

MONEY_FORMAT = "#,##0.00"
SHARE_FORMAT = "0.0%"
COUNT_FORMAT = "#,##0"
TARGET_SHEET, BUDGET_SHEET, CONFLICT_SHEET = "目标", "资金", "冲突"
TITLE_ROW, HEADER_ROW = 1, 2

TARGET_HEADERS = (
    ("县区", 10),
    ("指标", 32),
    ("目标", 12),
    ("本期人数", 10),
    ("本期基数", 10),
    ("本期占比", 10),
    ("年内累计人数", 13),
    ("年内累计基数", 13),
    ("年内占比或完成率", 17),
    ("情况", 10),
)
BUDGET_HEADERS = (
    ("项目", 8),
    ("项目名称", 30),
    ("预算单位", 10),
    ("测算（元）", 16),
    ("在办（元）", 16),
    ("已提交（元）", 16),
    ("已拨付（元）", 16),
    ("已提交和已拨付（元）", 20),
    ("占测算", 10),
    ("可申领（元）", 16),
    ("含在办及可申领占测算", 20),
    ("预警", 12),
    ("说明", 60),
)
CONFLICT_HEADERS = (
    ("编号", 46),
    ("类型", 24),
    ("年度", 8),
    ("状态", 10),
    ("说明", 100),
    ("涉及记录", 60),
    ("首次发现", 22),
    ("最近发现", 22),
    ("处理意见", 40),
    ("处理人", 12),
    ("处理时间", 22),
)
_WARNING_FILL = PatternFill("solid", fgColor="FFF2CC")
_OVER_FILL = PatternFill("solid", fgColor="F8CBAD")
_TABLE_LABELS = {
    "placements": "就业记录",
    "claim_batches": "申领单",
    "claims": "申领明细",
    "workers": "人员",
}


def yuan(fen: Fen) -> Decimal:
    """Fen as an exact 元 number for a cell (no binary rounding)."""
    return Decimal(fen).scaleb(-2)


def write_report_xlsx(report: CityReport, path: Path) -> Path:
    """Write the workbook to `path` (replaced whole, never half-written)."""
    workbook = Workbook()
    targets = workbook.active
    assert targets is not None
    targets.title = TARGET_SHEET
    _targets(targets, report)
    _budget(workbook.create_sheet(BUDGET_SHEET), report)
    _conflicts(workbook.create_sheet(CONFLICT_SHEET), report)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, partial = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        os.close(descriptor)
        try:
            workbook.save(partial)
            os.replace(partial, path)
        finally:
            Path(partial).unlink(missing_ok=True)
    except OSError as error:
        raise CityError(f"无法写入报告 {path}：{error.strerror or error}") from error
    return path


def _title(sheet: Worksheet, report: CityReport, what: str, columns: int) -> None:
    period = report.period
    generated = report.generated_at.astimezone().strftime("%Y-%m-%d %H:%M")
    sheet.cell(
        TITLE_ROW,
        1,
        f"中卫市就业优先政策 {period.title} · {what}（{period.start} 至 {period.end}，"
        f"统计至 {report.as_of}；生成于 {generated}）",
    ).font = Font(bold=True, size=13)
    sheet.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=columns)


def _headers(sheet: Worksheet, headers: Sequence[tuple[str, int]]) -> None:
    for column, (name, width) in enumerate(headers, start=1):
        cell = sheet.cell(HEADER_ROW, column, name)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"  # title and headers stay in view


def _filter(sheet: Worksheet, columns: int, last_row: int) -> None:
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(columns)}{last_row}"


def _targets(sheet: Worksheet, report: CityReport) -> None:
    _title(sheet, report, "工作目标", len(TARGET_HEADERS))
    _headers(sheet, TARGET_HEADERS)
    for line in report.targets:
        sheet.append(_target_row(line))
        row = sheet.max_row
        if line.is_share:
            for column in (3, 6, 9):
                sheet.cell(row, column).number_format = SHARE_FORMAT
        else:
            sheet.cell(row, 3).number_format = COUNT_FORMAT
            sheet.cell(row, 9).number_format = SHARE_FORMAT
    _filter(sheet, len(TARGET_HEADERS), sheet.max_row)
    sheet.append([])
    for note in TARGET_NOTES:
        sheet.append([f"注：{note}"])


def _target_row(line: TargetLine) -> list[object]:
    target = float(line.target) if line.target is not None else None
    period_share = line.period_ratio
    year_ratio = line.year_ratio
    return [
        line.scope_name,
        line.measure.label,
        target,
        line.period_count,
        line.period_base if line.is_share else None,
        float(period_share) if period_share is not None else None,
        line.year_count,
        line.year_base if line.is_share else None,
        float(year_ratio) if year_ratio is not None else None,
        line.status.value,
    ]


def _budget(sheet: Worksheet, report: CityReport) -> None:
    _title(sheet, report, f"{report.budget_year or report.period.year}年资金", len(BUDGET_HEADERS))
    _headers(sheet, BUDGET_HEADERS)
    if report.budget_year is None:
        sheet.append([f"政策参数中没有 {report.period.year} 年的资金测算，不作比较"])
    for budget in report.budget:
        used, projected = budget.used_share, budget.projected_share
        sheet.append(
            [
                ITEM_NAMES[budget.item],
                ITEM_TITLES[budget.item],
                budget.unit_name,
                yuan(budget.estimate),
                yuan(budget.in_process),
                yuan(budget.submitted),
                yuan(budget.paid),
                yuan(budget.used),
                float(used) if used is not None else None,
                yuan(budget.due),
                float(projected) if projected is not None else None,
                budget.level.value,
                budget.warning,
            ]
        )
        row = sheet.max_row
        for column in range(4, 9):
            sheet.cell(row, column).number_format = MONEY_FORMAT
        sheet.cell(row, 10).number_format = MONEY_FORMAT
        for column in (9, 11):
            sheet.cell(row, column).number_format = SHARE_FORMAT
        if budget.level is not BudgetLevel.FINE:
            fill = _WARNING_FILL if budget.level is BudgetLevel.NEAR else _OVER_FILL
            for column in range(1, len(BUDGET_HEADERS) + 1):
                sheet.cell(row, column).fill = fill
    _filter(sheet, len(BUDGET_HEADERS), sheet.max_row)
    sheet.append([])
    sheet.append(
        [
            f"预警：已提交和已拨付达测算的 {report.near_percent}% 为接近预算，超过 "
            f"{report.over_percent}% 为超出预算；在办 = 草稿、已打印、已签字；可申领 = "
            "按现有数据测算尚可申领的金额"
        ]
    )


def _conflicts(sheet: Worksheet, report: CityReport) -> None:
    _title(sheet, report, f"{report.period.year}年冲突清单", len(CONFLICT_HEADERS))
    _headers(sheet, CONFLICT_HEADERS)
    for stored in report.conflicts:
        conflict = stored.conflict
        refs = "；".join(
            f"{ref.station_id} {_TABLE_LABELS.get(ref.table, ref.table)} {ref.uuid}"
            for ref in conflict.refs
        )
        sheet.append(
            [
                conflict.key,
                KIND_LABELS.get(conflict.kind, conflict.kind),
                conflict.year,
                CONFLICT_STATE_LABELS.get(stored.state, stored.state),
                conflict.message,
                refs,
                stored.first_found_at,
                stored.last_found_at,
                stored.resolution,
                stored.resolved_by,
                stored.resolved_at,
            ]
        )
        sheet.cell(sheet.max_row, 5).alignment = Alignment(wrap_text=True, vertical="top")
    _filter(sheet, len(CONFLICT_HEADERS), sheet.max_row)
