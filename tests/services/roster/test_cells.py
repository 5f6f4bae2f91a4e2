"""Cell normalisation: the ways offices type dates, yes/no, wages, phones and IDs."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from zwdesk.domain.model import TargetGroup
from zwdesk.domain.privacy import mask_id_number as mask_id
from zwdesk.domain.privacy import mask_phone
from zwdesk.services.roster.cells import (
    NUMERIC_ID_REASON,
    CellError,
    parse_bool_cell,
    parse_date_cell,
    parse_groups_cell,
    parse_id_cell,
    parse_phone_cell,
    parse_wage_cell,
)

MARCH_FIRST = date(2025, 3, 1)


@pytest.mark.parametrize(
    "value",
    [
        MARCH_FIRST,
        datetime(2025, 3, 1, 0, 0),
        45717,
        45717.0,
        "2025-03-01",
        "2025/3/1",
        "2025.3.1",
        "2025年3月1日",
        "2025年3月1号",
        "20250301",
        20250301,
        "２０２５－０３－０１",
        " 2025-03-01 ",
        "2025-03-01 00:00:00",
    ],
)
def test_dates(value: object) -> None:
    assert parse_date_cell(value) == MARCH_FIRST  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("是", True),
        ("√", True),
        ("有", True),
        ("已签", True),
        ("Y", True),
        (True, True),
        ("否", False),
        ("×", False),
        ("无", False),
        ("未签", False),
        (False, False),
        ("", None),
        (None, None),
    ],
)
def test_yes_no(value: object, expected: bool | None) -> None:
    assert parse_bool_cell(value) is expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "fen"),
    [
        (4200, 420000),
        ("4200元", 420000),
        ("4,200", 420000),
        ("４２００", 420000),
        ("4200.5", 420050),
        ("0.42万", 420000),
        ("4200元/月", 420000),
        (None, None),
        ("", None),
    ],
)
def test_wages(value: object, fen: int | None) -> None:
    assert parse_wage_cell(value) == fen  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "phone"),
    [
        ("13812345678", "13812345678"),
        (13812345678, "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("0955-7012345", "0955-7012345"),
        (None, None),
    ],
)
def test_phones(value: object, phone: str | None) -> None:
    assert parse_phone_cell(value) == phone  # type: ignore[arg-type]


def test_id_forms() -> None:
    number = "64052219900101101" + "5"
    assert parse_id_cell(number).number == number
    assert parse_id_cell(" ６４０５２２１９９００１０１１０１５ ").number == number
    assert parse_id_cell(int(number)).number == number  # an exact integer written by a program
    for damaged in (6.40522199001011e17, int(number[:17]), "6.40522E+17", "6.4052E17"):
        with pytest.raises(CellError, match=NUMERIC_ID_REASON):
            parse_id_cell(damaged)


def test_groups() -> None:
    assert parse_groups_cell("脱贫人口、就业困难人员") == {
        TargetGroup.POVERTY_RELIEVED,
        TargetGroup.HARD_TO_EMPLOY,
    }
    assert parse_groups_cell("无") == frozenset()
    assert parse_groups_cell(None) == frozenset()
    assert parse_groups_cell("搬迁群众") == {TargetGroup.RELOCATED}


def test_masks() -> None:
    assert mask_id("640522199001011234") == "640522********1234"
    assert mask_phone("13812345678") == "138****5678"
