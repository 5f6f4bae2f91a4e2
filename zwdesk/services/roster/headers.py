"""Find the header row(s) of a roster sheet: below a title, possibly two levels deep."""

from __future__ import annotations

from dataclasses import dataclass

from zwdesk.services.roster.cells import CellValue, clean_text
from zwdesk.services.roster.fields import REQUIRED_COLUMNS, RosterField, field_for_header

HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True, slots=True)
class HeaderLayout:
    """Where the header is and which column holds which field."""

    row_numbers: tuple[int, ...]
    columns: dict[RosterField, int]  # field → 0-based column index
    labels: tuple[CellValue, ...]  # the header text of each column, sub-header winning
    unknown: tuple[str, ...]  # header texts that name no field (ignored columns)
    repeated: tuple[str, ...]  # a field named twice: the first column is used

    @property
    def last_row(self) -> int:
        """Data starts below this row."""
        return self.row_numbers[-1]


def _fields(values: tuple[CellValue, ...]) -> dict[int, RosterField]:
    found: dict[int, RosterField] = {}
    for index, value in enumerate(values):
        field = field_for_header(value)
        if field is not None:
            found[index] = field
    return found


def detect_header(rows: list[tuple[int, tuple[CellValue, ...]]]) -> HeaderLayout | None:
    """The best header among the first rows: one row, or a group row over a sub-header row
    (merged cells keep their text in the top-left cell, so the levels combine column by column).
    None when no candidate names both 姓名 and 身份证号."""
    best: tuple[int, int, bool] | None = None  # (score, position, two levels)
    for position in range(min(len(rows), HEADER_SEARCH_ROWS)):
        own = _fields(rows[position][1])
        below = _fields(rows[position + 1][1]) if position + 1 < len(rows) else {}
        two_levels = bool(below) and bool(own)
        combined = set(own.values()) | (set(below.values()) if two_levels else set())
        if not all(field in combined for field in REQUIRED_COLUMNS):
            continue
        score = len(combined)
        if best is None or score > best[0]:
            best = (score, position, two_levels)
    if best is None:
        return None
    _, position, two_levels = best
    header_rows = rows[position : position + (2 if two_levels else 1)]
    width = max(len(values) for _, values in header_rows)
    labels: list[CellValue] = [None] * width
    columns: dict[RosterField, int] = {}
    unknown: list[str] = []
    repeated: list[str] = []
    for index in range(width):
        texts = [values[index] for _, values in header_rows if index < len(values)]
        written = [value for value in texts if clean_text(value)]
        if not written:
            continue
        mapped = [field_for_header(value) for value in written]
        # the lowest level that names a field wins: 就业信息 / 用工单位 → 用工单位
        field = next((item for item in reversed(mapped) if item is not None), None)
        labels[index] = written[-1]
        if field is None:
            if len(written) == 1 or mapped[-1] is None:
                unknown.append(clean_text(written[-1]))
            continue
        labels[index] = written[mapped.index(field)]
        if field in columns:
            if field is not RosterField.REMARK:
                repeated.append(field.value)
            continue
        columns[field] = index
    return HeaderLayout(
        tuple(number for number, _ in header_rows),
        columns,
        tuple(labels),
        tuple(unknown),
        tuple(repeated),
    )
