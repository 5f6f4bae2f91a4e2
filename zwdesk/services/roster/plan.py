"""What reading a roster yields: valid rows as domain objects, rejected rows with reasons."""

from __future__ import annotations

from dataclasses import dataclass, field

from zwdesk.domain.model import Placement, Worker
from zwdesk.services.roster.cells import CellValue


@dataclass(frozen=True, slots=True)
class RosterRow:
    """A valid row: the worker and (except on an export's 人员 sheet) the placement."""

    sheet: str
    row_number: int
    worker: Worker
    placement: Placement | None
    organiser_name: str | None = None  # the 组织者 cell as written, for the service to map


@dataclass(frozen=True, slots=True)
class RejectedCell:
    """One reason a row was rejected: where, which field, the (masked) value, why."""

    row: int
    column: str  # letter as Excel shows it, "" when the column is missing altogether
    field: str  # Chinese field name, e.g. 身份证号
    value: str  # masked: never a whole ID number or phone
    reason: str

    def describe(self) -> str:
        """第5行C列【身份证号】640522********1234：身份证号校验位错误…"""
        where = f"第{self.row}行{self.column}列" if self.column else f"第{self.row}行"
        shown = f"“{self.value}”" if self.value else ""
        return f"{where}【{self.field}】{shown}：{self.reason}"


@dataclass(frozen=True, slots=True)
class RejectedRow:
    """A row with at least one error; nothing of it is imported."""

    sheet: str
    row_number: int
    cells: tuple[RejectedCell, ...]
    values: tuple[CellValue, ...]  # the original cells, for the 错误行 file

    @property
    def reasons(self) -> str:
        """All reasons in one line (the 错误原因 column)."""
        return "；".join(
            f"{cell.column}列{cell.field}：{cell.reason}" if cell.column else cell.reason
            for cell in self.cells
        )


@dataclass(frozen=True, slots=True)
class RosterWarning:
    """Something imported with an assumption or a note the user should see."""

    sheet: str
    row_number: int | None
    message: str


@dataclass(slots=True)
class RosterStats:
    """Counts of what happened to the file's rows."""

    format: str = ""
    sheets: list[str] = field(default_factory=list)
    header_rows: dict[str, tuple[int, ...]] = field(default_factory=dict)
    data_rows: int = 0  # non-blank rows below the header
    valid: int = 0
    rejected: int = 0
    duplicates: int = 0
    skipped: int = 0  # blank, 合计 and signature rows


@dataclass(slots=True)
class RosterPlan:
    """The result of `read_roster`: import `rows`, show `rejects` and `warnings`."""

    rows: list[RosterRow] = field(default_factory=list)
    rejects: list[RejectedRow] = field(default_factory=list)
    warnings: list[RosterWarning] = field(default_factory=list)
    stats: RosterStats = field(default_factory=RosterStats)
    headers: dict[str, tuple[CellValue, ...]] = field(default_factory=dict)  # by sheet

    @property
    def workers(self) -> list[Worker]:
        """Distinct workers of the valid rows, first occurrence wins."""
        seen: dict[str, Worker] = {}
        for row in self.rows:
            seen.setdefault(row.worker.id_number, row.worker)
        return list(seen.values())

    @property
    def placements(self) -> list[Placement]:
        """Placements of the valid rows."""
        return [row.placement for row in self.rows if row.placement is not None]
