"""County-level region codes, current and historical, and their labels in explanations."""

from __future__ import annotations

import pytest

from zwdesk.domain.regions import lookup_region, region_label


@pytest.mark.parametrize(
    ("code", "province", "name", "historical"),
    [
        # today's Zhongwei counties
        ("640502", "宁夏回族自治区", "沙坡头区", False),
        ("640521", "宁夏回族自治区", "中宁县", False),
        ("640522", "宁夏回族自治区", "海原县", False),
        # 海原县 before 2001 and 2001–2003
        ("642222", "宁夏回族自治区", "海原县", True),
        ("640421", "宁夏回族自治区", "海原县", True),
        # 中宁县 before 1998 and 1998–2003
        ("642124", "宁夏回族自治区", "中宁县", True),
        ("640322", "宁夏回族自治区", "中宁县", True),
        # 中卫县 (today 沙坡头区) before 1998 and 1998–2003
        ("642123", "宁夏回族自治区", "中卫县", True),
        ("640321", "宁夏回族自治区", "中卫县", True),
        # a common destination
        ("320506", "江苏省", "吴中区", False),
    ],
)
def test_current_and_historical_county_codes_are_found(
    code: str, province: str, name: str, historical: bool
) -> None:
    region = lookup_region(code)
    assert region is not None
    assert region.code == code
    assert region.province == province
    assert region.name == name
    assert region.historical is historical


@pytest.mark.parametrize(
    ("code", "valid_until"),
    [("642222", 2001), ("640421", 2003), ("642124", 1998), ("642123", 1998), ("640322", 2003)],
)
def test_historical_codes_know_when_they_ended(code: str, valid_until: int) -> None:
    region = lookup_region(code)
    assert region is not None
    assert region.valid_until == valid_until


def test_the_name_has_no_year_annotation_left_in_it() -> None:
    for code in ("642222", "640421", "640522", "642123"):
        region = lookup_region(code)
        assert region is not None
        assert "[" not in region.name
        assert not any(character.isdigit() for character in region.name)


@pytest.mark.parametrize("code", ["999999", "640599", "649999", "000000"])
def test_unknown_code_is_none(code: str) -> None:
    assert lookup_region(code) is None


@pytest.mark.parametrize("code", ["64052", "6405222", "", "abcdef", "64052X", " 640522"])
def test_malformed_code_is_none(code: str) -> None:
    assert lookup_region(code) is None


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("320506", "320506（江苏省吴中区）"),
        ("640522", "640522（宁夏回族自治区海原县）"),
        ("642222", "642222（宁夏回族自治区海原县）"),
        ("642123", "642123（宁夏回族自治区中卫县）"),
        ("999999", "999999"),
    ],
)
def test_region_label(code: str, label: str) -> None:
    assert region_label(code) == label


def test_full_name_joins_province_and_county() -> None:
    region = lookup_region("640502")
    assert region is not None
    assert region.full_name == "宁夏回族自治区沙坡头区"
