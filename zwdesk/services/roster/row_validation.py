"""One roster row → Worker and Placement, or every reason it cannot be imported."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import TypeVar

from zwdesk.domain.address import (
    AddressLevel,
    ResolvedAddress,
    covers,
    is_current_code,
    place_name,
    resolve_address,
)
from zwdesk.domain.model import Placement, TargetGroup, Worker
from zwdesk.domain.money import Fen
from zwdesk.domain.privacy import mask_id_number as mask_id
from zwdesk.domain.privacy import mask_phone
from zwdesk.domain.resident_id import ResidentId
from zwdesk.services.roster.cells import (
    CellError,
    CellValue,
    clean_text,
    compact,
    is_blank,
    parse_bool_cell,
    parse_date_cell,
    parse_groups_cell,
    parse_id_cell,
    parse_phone_cell,
    parse_wage_cell,
)
from zwdesk.services.roster.fields import RosterField
from zwdesk.services.roster.plan import RejectedCell
from zwdesk.services.roster.readers import column_letter

T = TypeVar("T")
_EARLIEST_START = date(2000, 1, 1)
_DIGITS = re.compile(r"\d")
_GENDERS = {"男": True, "男性": True, "女": False, "女性": False}


class RowMode(Enum):
    """What a sheet's rows describe."""

    ROSTER = "roster"  # 花名册: a worker and a placement per row
    WORKERS = "workers"  # an export's 人员 sheet: workers only
    PLACEMENTS = "placements"  # an export's 就业 sheet: placements of workers listed in 人员


@dataclass(frozen=True, slots=True)
class RowRules:
    """What every row of one sheet is checked against."""

    columns: Mapping[RosterField, int]
    today: date
    local_counties: frozenset[str]
    organiser: str | None = None
    mode: RowMode = RowMode.ROSTER
    known_workers: Mapping[str, Worker] = field(default_factory=dict)


@dataclass(slots=True)
class RowOutcome:
    """What one row became: domain objects, or errors; warnings either way."""

    worker: Worker | None = None
    placement: Placement | None = None
    organiser_name: str | None = None
    errors: list[RejectedCell] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def placement_id(worker: str, employer: str, start: date) -> str:
    """Deterministic id of a placement from who, where and from when (same row → same id)."""
    digest = hashlib.sha1(f"{worker}|{employer}|{start.isoformat()}".encode()).hexdigest()
    return f"p-{digest[:16]}"


class _Row:
    """Cell access and error collection for one row."""

    def __init__(self, number: int, values: tuple[CellValue, ...], rules: RowRules) -> None:
        self.number = number
        self.values = values
        self.rules = rules
        self.outcome = RowOutcome()

    def has_column(self, which: RosterField) -> bool:
        return which in self.rules.columns

    def raw(self, which: RosterField) -> CellValue:
        index = self.rules.columns.get(which)
        if index is None or index >= len(self.values):
            return None
        return self.values[index]

    def letter(self, which: RosterField) -> str:
        index = self.rules.columns.get(which)
        return "" if index is None else column_letter(index)

    def reject(self, which: RosterField, reason: str, shown: str | None = None) -> None:
        if shown is None:
            shown = clean_text(self.raw(which))
            if which is RosterField.PHONE:
                shown = mask_phone(compact(shown))
            elif which is RosterField.ID_NUMBER:
                shown = mask_id(compact(shown))
        value = shown
        self.outcome.errors.append(
            RejectedCell(self.number, self.letter(which), which.value, value, reason)
        )

    def parse(self, which: RosterField, parser: Callable[[CellValue], T]) -> T | None:
        try:
            return parser(self.raw(which))
        except CellError as error:
            self.reject(which, str(error))
            return None


def validate_row(number: int, values: tuple[CellValue, ...], rules: RowRules) -> RowOutcome:
    """Check every field of the row; all problems are collected, not just the first."""
    row = _Row(number, values, rules)
    resident_id = _resident_id(row)
    if rules.mode is RowMode.PLACEMENTS:
        worker = _known_worker(row, resident_id)
    else:
        worker = _worker(row, resident_id)
    if rules.mode is not RowMode.WORKERS:
        _placement(row, resident_id, worker)
    if row.outcome.errors:
        row.outcome.worker = row.outcome.placement = None
    else:
        row.outcome.worker = worker
    return row.outcome


def _resident_id(row: _Row) -> ResidentId | None:
    value = row.raw(RosterField.ID_NUMBER)
    try:
        return parse_id_cell(value)
    except CellError as error:
        row.reject(RosterField.ID_NUMBER, str(error), mask_id(compact(value)))
        return None


def _name(row: _Row) -> str | None:
    name = "".join(clean_text(row.raw(RosterField.NAME)).split())
    if not name:
        row.reject(RosterField.NAME, "姓名未填")
        return None
    if _DIGITS.search(name):
        row.reject(RosterField.NAME, "姓名中有数字，可能填错了列", mask_id(name))
        return None
    if len(name) > 20:
        row.reject(RosterField.NAME, "姓名超过20个字，请核对")
        return None
    return name


def _known_worker(row: _Row, resident_id: ResidentId | None) -> Worker | None:
    name = _name(row)
    if resident_id is None:
        return None
    worker = row.rules.known_workers.get(resident_id.number)
    if worker is None:
        row.reject(
            RosterField.ID_NUMBER,
            "人员表中没有这个身份证号",
            mask_id(resident_id.number),
        )
    elif name is not None and name != worker.name:
        row.reject(RosterField.NAME, f"姓名与人员表中的“{worker.name}”不一致")
    return worker


def _worker(row: _Row, resident_id: ResidentId | None) -> Worker | None:
    name = _name(row)
    _check_gender(row, resident_id)
    hukou = _hukou(row, resident_id)
    residence = _place(
        row,
        RosterField.RESIDENCE,
        RosterField.RESIDENCE_CODE,
        row.rules.local_counties,
        "常住地",
    )
    phone = row.parse(RosterField.PHONE, parse_phone_cell)
    rural = row.parse(RosterField.RURAL, parse_bool_cell)
    groups = row.parse(RosterField.GROUPS, parse_groups_cell)
    if name is None or resident_id is None or hukou is None:
        return None
    return Worker(
        id_number=resident_id.number,
        name=name,
        hukou_county=hukou,
        resident_county=residence,
        rural=bool(rural),
        groups=groups or frozenset[TargetGroup](),
        phone=phone,
    )


def _check_gender(row: _Row, resident_id: ResidentId | None) -> None:
    text = compact(row.raw(RosterField.GENDER))
    if not text:
        return
    if text not in _GENDERS:
        row.reject(RosterField.GENDER, "性别应填“男”或“女”")
    elif resident_id is not None and _GENDERS[text] != resident_id.is_male:
        expected = "男" if resident_id.is_male else "女"
        row.reject(RosterField.GENDER, f"性别与身份证号不符（身份证号第17位表示{expected}）")


def _code_cell(row: _Row, which: RosterField) -> str | None:
    text = compact(row.raw(which))
    if not text:
        return None
    if not is_current_code(text):
        row.reject(which, f"“{text}”不是现行的行政区划代码")
        return ""
    return text


def _place(
    row: _Row,
    text_field: RosterField,
    code_field: RosterField,
    must_not_cover: Collection[str],
    label: str,
) -> str | None:
    """A region code from a code column or a place text; a code coarser than a county is
    accepted only when it cannot contain any of `must_not_cover` (e.g. the home county)."""
    code = _code_cell(row, code_field)
    if code is not None:
        return code or None
    raw = row.raw(text_field)
    if is_blank(raw):
        return None
    result = resolve_address(clean_text(raw))
    if not isinstance(result, ResolvedAddress):
        row.reject(text_field, result.reason)
        return None
    if result.level is not AddressLevel.COUNTY:
        inside = [county for county in must_not_cover if covers(result.code, county)]
        if inside:
            row.reject(
                text_field,
                f"{label}只写到“{result.name}”，其中包含{place_name(inside[0])}，"
                "无法判断是否跨县，请写到县区",
            )
            return None
    return result.code


def _hukou(row: _Row, resident_id: ResidentId | None) -> str | None:
    code = _code_cell(row, RosterField.HUKOU_CODE)
    if code is not None:
        return code or None
    raw = row.raw(RosterField.HUKOU)
    birth = resident_id.region_code if resident_id else None
    birth_is_current = birth is not None and is_current_code(birth)
    if is_blank(raw):
        if resident_id is None:
            return None
        if birth in row.rules.local_counties and birth_is_current:
            row.outcome.warnings.append(
                f"户籍地未填，按身份证号前6位默认为{place_name(birth) if birth else ''}"
            )
            return birth
        row.reject(
            RosterField.HUKOU,
            f"户籍地未填，身份证号前6位（{birth}）不是本市现行县区代码，无法默认，请填写户籍地",
        )
        return None
    result = resolve_address(clean_text(raw))
    if not isinstance(result, ResolvedAddress):
        row.reject(RosterField.HUKOU, result.reason)
        return None
    if result.level is AddressLevel.COUNTY:
        return result.code
    if birth is not None and birth_is_current and _is_county(birth) and covers(result.code, birth):
        row.outcome.warnings.append(
            f"户籍地只写到“{result.name}”，按身份证号前6位取{place_name(birth)}"
        )
        return birth
    row.reject(RosterField.HUKOU, f"户籍地只写到“{result.name}”，请写到县区")
    return None


def _is_county(code: str) -> bool:
    return not code.endswith("00")


def _placement(row: _Row, resident_id: ResidentId | None, worker: Worker | None) -> None:
    start = _date(row, RosterField.START, "开始日期", required=True)
    end = _date(row, RosterField.END, "结束日期")
    if start is not None and end is not None and end < start:
        row.reject(RosterField.END, f"结束日期{end.isoformat()}早于开始日期{start.isoformat()}")
    verified = _date(row, RosterField.VERIFIED_THROUGH, "核实在岗日期")
    if start is not None and verified is not None and verified < start:
        row.reject(RosterField.VERIFIED_THROUGH, "核实在岗日期早于开始日期")
    contract_start = _date(row, RosterField.CONTRACT_START, "合同开始日期", future_ok=True)
    contract_end = _date(row, RosterField.CONTRACT_END, "合同结束日期", future_ok=True)
    if contract_start and contract_end and contract_end < contract_start:
        row.reject(RosterField.CONTRACT_END, "合同结束日期早于合同开始日期")
    # Unknown home (the row has other errors): still refuse a place that could be local.
    homes = [worker.hukou_county] if worker else list(row.rules.local_counties)
    if worker and worker.resident_county:
        homes.append(worker.resident_county)
    work_county = _place(row, RosterField.WORK_PLACE, RosterField.WORK_CODE, homes, "务工地点")
    if work_county is None and not any(
        error.field in (RosterField.WORK_PLACE.value, RosterField.WORK_CODE.value)
        for error in row.outcome.errors
    ):
        row.reject(RosterField.WORK_PLACE, "务工地点未填")
    wage: Fen | None = row.parse(RosterField.WAGE, parse_wage_cell)
    contract = row.parse(RosterField.CONTRACT, parse_bool_cell)
    insurance = row.parse(RosterField.SOCIAL_INSURANCE, parse_bool_cell)
    employer = " ".join(clean_text(row.raw(RosterField.EMPLOYER)).split())
    organiser_name = " ".join(clean_text(row.raw(RosterField.ORGANISER)).split()) or None
    row.outcome.organiser_name = organiser_name
    given_id = clean_text(row.raw(RosterField.PLACEMENT_ID))
    if resident_id is None or start is None or work_county is None or row.outcome.errors:
        return
    row.outcome.placement = Placement(
        id=given_id or placement_id(resident_id.number, employer, start),
        worker=resident_id.number,
        organiser=organiser_name or row.rules.organiser,
        work_county=work_county,
        start=start,
        end=end,
        verified_through=verified,
        employer=employer,
        contract=bool(contract),
        contract_start=contract_start,
        contract_end=contract_end,
        social_insurance=bool(insurance),
        monthly_wage=wage,
    )


def _date(
    row: _Row, which: RosterField, label: str, *, required: bool = False, future_ok: bool = False
) -> date | None:
    if is_blank(row.raw(which)):
        if required:
            row.reject(which, f"{label}未填")
        return None
    day = row.parse(which, parse_date_cell)
    if day is None:
        return None
    if not future_ok and day > row.rules.today:
        row.reject(which, f"{label}{day.isoformat()}晚于今天（{row.rules.today.isoformat()}）")
        return None
    if day < _EARLIEST_START:
        row.reject(which, f"{label}{day.isoformat()}早于2000年，请核对")
        return None
    return day
