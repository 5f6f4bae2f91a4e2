"""Spreadsheet files (.xlsx, legacy .xls, .csv in UTF-8 or GB18030) → rows of cell values."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from zwdesk.services.roster.cells import CellValue


class RosterFileError(Exception):
    """A file that cannot be read as a roster at all; the message says why, in Chinese."""


@dataclass(frozen=True, slots=True)
class SourceSheet:
    """One sheet: its name and its rows as (row number as Excel shows it, cell values)."""

    name: str
    rows: Iterator[tuple[int, tuple[CellValue, ...]]]


@dataclass(slots=True)
class SourceFile:
    """An opened roster file: its sheets, a short format description, and how to close it."""

    kind: str
    sheets: list[SourceSheet]
    close: Callable[[], None] = field(default=lambda: None)

    def __enter__(self) -> SourceFile:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def open_source(path: Path) -> SourceFile:
    """Every sheet of the file, read lazily; use it as a context manager."""
    if not path.is_file():
        raise RosterFileError(f"文件不存在：{path.name}")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_file(path)
    if suffix == ".xls":
        return _xls_file(path)
    if suffix in (".csv", ".txt"):
        rows, encoding = _csv_rows(path)
        return SourceFile(f"csv/{encoding}", [SourceSheet(path.stem, rows)])
    raise RosterFileError(f"不支持的文件类型“{path.suffix}”，请另存为 .xlsx、.xls 或 .csv")


def _xlsx_file(path: Path) -> SourceFile:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or mislabelled file
        raise RosterFileError(f"无法打开Excel文件“{path.name}”（{type(error).__name__}）") from None

    def rows(name: str) -> Iterator[tuple[int, tuple[CellValue, ...]]]:
        sheet = workbook[name]
        sheet.reset_dimensions()  # some tools write a wrong <dimension>; read every row
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)

    sheets = [SourceSheet(name, rows(name)) for name in workbook.sheetnames]
    return SourceFile("xlsx", sheets, workbook.close)


def _xls_file(path: Path) -> SourceFile:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except Exception as error:  # xlrd raises XLRDError and struct errors alike
        raise RosterFileError(f"无法打开Excel文件“{path.name}”（{type(error).__name__}）") from None

    def rows(index: int) -> Iterator[tuple[int, tuple[CellValue, ...]]]:
        sheet = book.sheet_by_index(index)
        for row_index in range(sheet.nrows):
            values: list[CellValue] = []
            for cell in sheet.row(row_index):
                if cell.ctype == xlrd.XL_CELL_DATE:
                    moment = xlrd.xldate_as_datetime(cell.value, book.datemode)
                    values.append(moment.date() if moment.time() == moment.min.time() else moment)
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    values.append(bool(cell.value))
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    values.append(None)
                else:
                    values.append(cell.value)
            yield row_index + 1, tuple(values)

    sheets = [SourceSheet(name, rows(index)) for index, name in enumerate(book.sheet_names())]
    return SourceFile("xls", sheets, book.release_resources)


def _csv_rows(path: Path) -> tuple[Iterator[tuple[int, tuple[CellValue, ...]]], str]:
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        text, encoding = data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            try:
                text, encoding = data.decode("gb18030"), "gb18030"
            except UnicodeDecodeError:
                raise RosterFileError(
                    f"“{path.name}”既不是UTF-8也不是GB18030编码，请用Excel另存为CSV"
                ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def rows() -> Iterator[tuple[int, tuple[CellValue, ...]]]:
        for number, values in enumerate(reader, start=1):
            yield number, tuple(values)

    return rows(), encoding
