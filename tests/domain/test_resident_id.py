"""Resident ID numbers (GB 11643): what the station clerk types is accepted or refused, and why."""

from __future__ import annotations

from datetime import date

import pytest
from stdnum.cn import ric

from zwdesk.domain.resident_id import (
    ResidentIdError,
    checked_resident_id,
    make_resident_id,
    normalise_resident_id,
    parse_resident_id,
)

# The weight table printed in GB 11643-1999 (written out, not derived like the code does).
_GB_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_GB_CHECK = "10X98765432"


def gb_check(first_seventeen: str) -> str:
    """Independent reference implementation of the GB 11643 check character."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first_seventeen, _GB_WEIGHTS, strict=True)
    )
    return _GB_CHECK[total % 11]


def build_id(region: str, birth: str, sequence: str) -> str:
    body = f"{region}{birth}{sequence}"
    assert len(body) == 17
    return body + gb_check(body)


def wrong_check(number: str) -> str:
    """The same 17 digits with a check character that is certainly wrong."""
    right = number[17]
    wrong = "0" if right != "0" else "1"
    return number[:17] + wrong


# --- accepted ---------------------------------------------------------------------------------

VALID_IDS = [
    # The worked example of the standard itself (check character X).
    ("11010519491231002X", date(1949, 12, 31)),
    (build_id("640522", "19900307", "001"), date(1990, 3, 7)),
    (build_id("640521", "20000229", "123"), date(2000, 2, 29)),  # leap day
    (build_id("640502", "19851231", "998"), date(1985, 12, 31)),
    (build_id("320506", "20010101", "457"), date(2001, 1, 1)),
    (build_id("622101", "19700615", "032"), date(1970, 6, 15)),
]


@pytest.mark.parametrize(("number", "birth"), VALID_IDS)
def test_valid_ids_are_accepted_with_their_birth_date(number: str, birth: date) -> None:
    parsed = parse_resident_id(number)
    assert parsed.number == number
    assert parsed.birth_date == birth


def test_reference_ids_really_are_valid() -> None:
    """Guards the table above: the reference implementation agrees on the standard's example."""
    assert gb_check("11010519491231002") == "X"


@pytest.mark.parametrize("index", range(40))
def test_make_resident_id_agrees_with_the_standard(index: int) -> None:
    number = make_resident_id("640522", date(1960 + index, 1 + index % 12, 1 + index % 28), index)
    assert len(number) == 18
    assert number[17] == gb_check(number[:17])
    assert parse_resident_id(number).number == number


def _an_id_ending_in_x() -> str:
    for sequence in range(1000):
        number = build_id("640522", "19780404", f"{sequence:03d}")
        if number.endswith("X"):
            return number
    raise AssertionError("no X check digit found")


def test_check_character_x_is_accepted() -> None:
    number = _an_id_ending_in_x()
    assert parse_resident_id(number).number == number


def test_lowercase_x_is_normalised_to_uppercase() -> None:
    number = _an_id_ending_in_x()
    assert parse_resident_id(number.lower()).number == number
    assert normalise_resident_id(number[:17] + "x") == number


def test_full_width_digits_and_x_are_normalised() -> None:
    number = _an_id_ending_in_x()
    full_width = number[:17].translate(str.maketrans("0123456789", "０１２３４５６７８９")) + "ｘ"
    assert parse_resident_id(full_width).number == number


def test_blanks_inside_and_around_are_ignored() -> None:
    number = build_id("640522", "19900307", "001")
    spaced = f"  {number[:6]} {number[6:14]} {number[14:]}\t"
    assert parse_resident_id(spaced).number == number


@pytest.mark.parametrize(
    ("number", "is_male"),
    [
        (build_id("640522", "19900307", "001"), True),
        (build_id("640522", "19900307", "002"), False),
    ],
)
def test_sex_is_read_from_the_17th_digit(number: str, is_male: bool) -> None:
    assert parse_resident_id(number).is_male is is_male


# --- refused ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("64052219900307001", 17),
        ("6405221990030700199", 19),
        ("640522900307001", 15),  # first-generation 15-digit card
        ("", 0),
    ],
)
def test_wrong_length_is_refused_and_says_how_long(text: str, length: int) -> None:
    with pytest.raises(ResidentIdError) as caught:
        parse_resident_id(text)
    assert "18位" in str(caught.value)
    assert f"实际{length}位" in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        "64052219900307A019",  # a letter in the sequence number
        "6405221990030700X9",  # X only allowed as the check character
        "64O522199003070019",  # letter O for zero
        "640522-1990030-7001",  # punctuation (right length after nothing is stripped)
        "6405221990030700\u00b99",  # superscript one: str.isdigit() says True, int() fails
    ],
)
def test_non_digits_are_refused_with_a_resident_id_error(text: str) -> None:
    with pytest.raises(ResidentIdError):
        parse_resident_id(text)


def test_non_ascii_decimal_digits_are_not_accepted_as_a_different_number() -> None:
    """Arabic-Indic digit one (U+0661) in place of '1' with a matching check digit: either
    refused, or normalised to the ASCII number — never kept as a second key for the same person."""
    ascii_number = build_id("640522", "19900307", "001")
    exotic = ascii_number[:16] + "\u0661" + ascii_number[17]
    try:
        parsed = parse_resident_id(exotic)
    except ResidentIdError:
        return
    assert parsed.number == ascii_number


@pytest.mark.parametrize("birth", ["19900230", "19901301", "19900000", "19900431", "20230229"])
def test_impossible_birth_date_is_refused(birth: str) -> None:
    number = build_id("640522", birth, "001")
    with pytest.raises(ResidentIdError) as caught:
        parse_resident_id(number)
    assert "出生日期" in str(caught.value)
    assert birth in str(caught.value)


@pytest.mark.parametrize(
    "number",
    [
        build_id("640522", "19900307", "001"),
        "11010519491231002X",
        build_id("642222", "19620517", "123"),
    ],
)
def test_bad_checksum_message_names_the_expected_digit(number: str) -> None:
    bad = wrong_check(number)
    with pytest.raises(ResidentIdError) as caught:
        parse_resident_id(bad)
    message = str(caught.value)
    assert "校验" in message
    assert f"末位应为{number[17]}" in message
    assert f"实际为{bad[17]}" in message


def test_swapped_digits_are_caught_by_the_checksum() -> None:
    number = build_id("640522", "19900307", "017")
    swapped = number[:14] + number[15] + number[14] + number[16:]
    assert swapped != number
    with pytest.raises(ResidentIdError):
        parse_resident_id(swapped)


# --- older people's IDs with historical or later region codes ---------------------------------

OLDER_PEOPLE = [
    # (region, birth): codes of 海原县, 中宁县 and 中卫县 across the 1998/2001/2003 renumberings,
    # and today's codes carried by people born long before the code existed.
    ("642222", "19620517"),  # 海原县 until 2001
    ("640421", "19900307"),  # 海原县 2001–2003; python-stdnum refuses (born before 2001)
    ("642124", "19580228"),  # 中宁县 until 1998
    ("640322", "19650101"),  # 中宁县 1998–2003; python-stdnum refuses
    ("642123", "19551001"),  # 中卫县 until 1998
    ("640321", "19480808"),  # 中卫县 1998–2003; python-stdnum refuses
    ("640522", "19750101"),  # today's 海原县 code (2003–) on a 1975 birth; python-stdnum refuses
    ("640502", "19600101"),  # today's 沙坡头区 code on a 1960 birth
    ("640521", "19531111"),  # today's 中宁县 code on a 1953 birth
]


@pytest.mark.parametrize(("region", "birth"), OLDER_PEOPLE)
def test_older_peoples_ids_are_accepted_whatever_the_region_code_era(
    region: str, birth: str
) -> None:
    number = build_id(region, birth, "035")
    parsed = parse_resident_id(number)
    assert parsed.number == number
    assert parsed.region_code == region


def test_python_stdnum_would_have_refused_some_of_them() -> None:
    """Why we check the ID ourselves: at least these real-format IDs are refused by stdnum."""
    refused = []
    for region, birth in OLDER_PEOPLE:
        number = build_id(region, birth, "035")
        try:
            ric.validate(number)
        except Exception:
            refused.append(region)
    assert {"640421", "640522"} <= set(refused)


@pytest.mark.parametrize(
    ("region", "birth", "place", "historical"),
    [
        ("642222", "19620517", "海原县", True),
        ("640421", "19900307", "海原县", True),
        ("640522", "19900307", "海原县", False),
        ("642124", "19580228", "中宁县", True),
        ("640322", "19650101", "中宁县", True),
        ("640521", "19900307", "中宁县", False),
        ("642123", "19551001", "中卫县", True),
        ("640321", "19480808", "中卫县", True),
        ("640502", "19900307", "沙坡头区", False),
        ("320506", "19900307", "吴中区", False),
    ],
)
def test_birth_place_hint_names_the_county(
    region: str, birth: str, place: str, historical: bool
) -> None:
    parsed = parse_resident_id(build_id(region, birth, "035"))
    assert parsed.birth_place is not None
    assert parsed.birth_place.name == place
    assert parsed.birth_place.historical is historical


def test_birth_place_of_an_unknown_region_code_is_none_but_the_id_is_still_valid() -> None:
    parsed = parse_resident_id(build_id("999999", "19900307", "001"))
    assert parsed.birth_place is None


@pytest.mark.parametrize(
    "text",
    [
        *(number for number, _ in VALID_IDS),
        "11010519491231002x",  # lowercase x
        "１１０１０５１９４９１２３１００２Ｘ",  # full width
        " 110105 19491231 002X ",  # blanks
        "64052219900307001",  # too short
        "64052219900307A019",  # a letter
        build_id("640522", "19900230", "001"),  # no such day
        build_id("640522", "18991231", "001"),  # before 1900
        wrong_check(build_id("640522", "19900307", "001")),
    ],
)
def test_the_scenario_parsers_check_is_parse_resident_id_without_the_object(text: str) -> None:
    # checked_resident_id is what a scenario file's 220,000 IDs go through: the same number,
    # or the same refusal, as the clerk's dialog gets from parse_resident_id.
    try:
        expected = parse_resident_id(text).number
    except ResidentIdError as error:
        with pytest.raises(ResidentIdError) as caught:
            checked_resident_id(text)
        assert str(caught.value) == str(error)
    else:
        assert checked_resident_id(text) == expected
