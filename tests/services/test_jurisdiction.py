"""The city's own counties come from the policy parameters and the region table."""

from __future__ import annotations

from datetime import date

from zwdesk.services.jurisdiction import county_short_name, local_counties, local_county_codes
from zwdesk.services.policy_files import default_schedule


def test_local_counties_are_the_jurisdiction_of_the_parameters_in_force() -> None:
    day = date(2025, 6, 1)
    expected = default_schedule().at(day).jurisdiction.local_counties
    assert [code for code, _name in local_counties(day)] == list(expected)
    assert dict(local_counties(day)) == {
        "640502": "沙坡头区",
        "640521": "中宁县",
        "640522": "海原县",
    }
    assert local_county_codes(day) == frozenset(expected)


def test_claim_numbers_use_the_short_county_name_and_the_city_for_others() -> None:
    assert county_short_name("640522") == "海原"
    assert county_short_name("640502") == "沙坡头"
    assert county_short_name("320506") == "中卫"
    assert county_short_name(None) == "中卫"
