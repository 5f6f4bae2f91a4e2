"""The roster table (花名册 / 公示名单): one row per claim line, header repeated on every page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.platypus import Table, TableStyle

from zwdesk.domain.claims import ClaimLine, FrozenClaim
from zwdesk.domain.money import amount_in_words, format_yuan_grouped
from zwdesk.domain.privacy import mask_id_number, mask_name
from zwdesk.pdf.templates import Column, TableBlock

PADDING = 2.5  # points, each side of a cell
HEADER_FILL = colors.HexColor("#e8e8e8")


def wrap_text(text: str, width: float, font_name: str, font_size: float) -> list[str]:
    """Break text into lines no wider than `width`, anywhere between characters (CJK style)."""
    face = getFont(font_name)
    if face.stringWidth(text, font_size) <= width:
        return [text]
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for char in paragraph:
            advance = face.stringWidth(char, font_size)
            if line and used + advance > width:
                lines.append(line)
                line, used = "", 0.0
            line += char
            used += advance
        lines.append(line)
    return lines


def resolve_columns(table: TableBlock, lines: Sequence[ClaimLine]) -> list[Column]:
    """The template's columns with `details` expanded into one column per detail label
    found on the lines (in order of first appearance), minus labels given their own column."""
    named = {column.detail for column in table.columns if column.source == "detail"}
    labels: dict[str, None] = {}
    for line in lines:
        for label, _ in line.details:
            if label not in named:
                labels.setdefault(label, None)
    columns: list[Column] = []
    for column in table.columns:
        if column.source != "details":
            columns.append(column)
            continue
        columns.extend(
            Column(source="detail", detail=label, header=label, width=column.width, align="center")
            for label in labels
        )
    return columns


def _cell(column: Column, index: int, line: ClaimLine) -> str:
    source = column.source
    if source == "index":
        return str(index)
    if source == "name":
        return line.name
    if source == "name_masked":
        return mask_name(line.name)
    if source == "id_number":
        return line.worker or ""
    if source == "id_masked":
        return mask_id_number(line.worker) if line.worker else ""
    if source == "amount":
        return format_yuan_grouped(line.amount)
    if source == "subject":
        return line.subject
    if source == "detail":
        return next((value for label, value in line.details if label == column.detail), "")
    return ""  # signature: left blank for the worker's own hand


def roster_table(
    claim: FrozenClaim, table: TableBlock, width: float, font_name: str
) -> tuple[Table, Table]:
    """The roster as one platypus Table that splits across pages by rows, then its totals."""
    columns = resolve_columns(table, claim.lines)
    weight = sum(column.width for column in columns)
    widths = [width * column.width / weight for column in columns]
    size = table.font_size
    leading = size * 1.25
    minimum = table.row_height_mm * mm
    inner = [w - 2 * PADDING for w in widths]

    def row_of(texts: Sequence[str], least: float) -> tuple[list[str], float]:
        cells, tallest = [], 1
        for text, room in zip(texts, inner, strict=True):
            wrapped = wrap_text(text, room, font_name, size) if text else [text]
            tallest = max(tallest, len(wrapped))
            cells.append("\n".join(wrapped))
        return cells, max(least, tallest * leading + 2 * PADDING + 1)

    header, header_height = row_of([column.header for column in columns], leading * 2)
    data: list[list[str]] = [header]
    heights = [header_height]
    for index, line in enumerate(claim.lines, start=1):
        cells, height = row_of([_cell(column, index, line) for column in columns], minimum)
        data.append(cells)
        heights.append(height)

    amount_at = next(i for i, column in enumerate(columns) if column.source == "amount")
    cell_style = [
        ("FONT", (0, 0), (-1, -1), font_name, size, leading),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PADDING),
    ]
    # No SPAN in the long table: reportlab recomputes spans on every page split.
    style = [
        *cell_style,
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
    ]
    for position, column in enumerate(columns):
        style.append(("ALIGN", (position, 1), (position, -1), column.align.upper()))
    rows = Table(data, colWidths=widths, rowHeights=heights, repeatRows=1, style=TableStyle(style))
    return rows, _totals(claim, table, widths, amount_at, font_name, cell_style)


def _totals(
    claim: FrozenClaim,
    table: TableBlock,
    widths: list[float],
    amount_at: int,
    font_name: str,
    cell_style: list[Any],
) -> Table:
    """The 合计 row under the roster (count, total in figures) and the total in 大写."""
    size = table.font_size
    leading = size * 1.25
    last = len(widths) - 1
    total_row = [""] * len(widths)
    total_row[0] = f"{table.total_label}（{len(claim.lines)}）"
    total_row[amount_at] = format_yuan_grouped(claim.total)
    words = wrap_text(
        f"{table.total_words_label}：{amount_in_words(claim.total)}",
        sum(widths) - 2 * PADDING,
        font_name,
        size,
    )
    words_row = ["\n".join(words)] + [""] * last
    minimum = table.row_height_mm * mm
    heights = [minimum, max(minimum, len(words) * leading + 2 * PADDING + 1)]
    style = [
        *cell_style,
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("ALIGN", (amount_at, 0), (amount_at, 0), "RIGHT"),
        ("ALIGN", (0, 1), (-1, 1), "LEFT"),
        ("SPAN", (0, 1), (-1, 1)),
    ]
    if amount_at > 0:
        style.append(("SPAN", (0, 0), (amount_at - 1, 0)))
    if amount_at < last:
        style.append(("SPAN", (amount_at + 1, 0), (-1, 0)))
    totals = Table([total_row, words_row], colWidths=widths, rowHeights=heights)
    totals.setStyle(TableStyle(style))
    return totals
