"""Money in fen: parsing 元, display, and 大写 on claim forms."""

from __future__ import annotations

import pytest

from zwdesk.domain.money import (
    amount_in_words,
    fen_to_number,
    format_yuan,
    format_yuan_grouped,
    yuan_to_fen,
)


@pytest.mark.parametrize(
    ("yuan", "words"),
    [
        ("0", "零元整"),
        ("0.01", "壹分"),
        ("0.5", "伍角整"),
        ("0.56", "伍角陆分"),
        ("1", "壹元整"),
        ("10", "壹拾元整"),
        ("15", "壹拾伍元整"),
        ("100.05", "壹佰元零伍分"),
        ("101", "壹佰零壹元整"),
        ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
        ("12300", "壹万贰仟叁佰元整"),
        ("10050", "壹万零伍拾元整"),
        ("100000", "壹拾万元整"),
        ("107000.53", "壹拾万柒仟元零伍角叁分"),
        ("1234567.89", "壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"),
        ("10000100", "壹仟万零壹佰元整"),
        ("100000001", "壹亿零壹元整"),
        ("5000000", "伍佰万元整"),
    ],
)
def test_capital_amount_reads_as_on_a_form(yuan: str, words: str) -> None:
    assert amount_in_words(yuan_to_fen(yuan)) == words


def test_negative_amount_has_no_capital_form() -> None:
    with pytest.raises(ValueError, match="负"):
        amount_in_words(-1)


@pytest.mark.parametrize(
    ("value", "fen"), [(4200, 420000), (486.5, 48650), ("123.45", 12345), (0, 0)]
)
def test_yuan_to_fen_keeps_fen(value: object, fen: int) -> None:
    assert yuan_to_fen(value) == fen  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [12.345, "abc", True, float("nan")])
def test_yuan_to_fen_rejects_what_is_not_money(value: object) -> None:
    with pytest.raises(ValueError):
        yuan_to_fen(value)  # type: ignore[arg-type]


def test_json_number_is_whole_yuan_or_yuan_with_fen() -> None:
    assert fen_to_number(4_000_000) == 40000
    assert isinstance(fen_to_number(4_000_000), int)
    assert fen_to_number(48650) == 486.5
    assert format_yuan(48650) == "486.50"
    assert format_yuan(-5) == "-0.05"


def test_grouped_amounts_always_show_fen_and_group_thousands() -> None:
    assert format_yuan_grouped(0) == "0.00"
    assert format_yuan_grouped(1) == "0.01"
    assert format_yuan_grouped(420000) == "4,200.00"
    assert format_yuan_grouped(123456789) == "1,234,567.89"
    assert format_yuan_grouped(-150) == "-1.50"
