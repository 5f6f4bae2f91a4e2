"""Zhongwei's own counties (本市各县区): from the policy parameters in force, named by the
region table — never a list typed into the code."""

from __future__ import annotations

from datetime import date
from functools import cache

from zwdesk.domain.regions import lookup_region
from zwdesk.services.policy_files import default_schedule

# A claim number names the county; an organisation outside the city's counties gets the city's.
CITY_SHORT_NAME = "中卫"


@cache
def local_counties(on: date | None = None) -> tuple[tuple[str, str], ...]:
    """(code, name) of the counties the parameters in force on `on` (default: today) call
    local — e.g. ("640502", "沙坡头区"); a code the region table does not know keeps its code."""
    parameters = default_schedule().at(on or date.today())
    return tuple(
        (code, region.name if (region := lookup_region(code)) else code)
        for code in parameters.jurisdiction.local_counties
    )


def local_county_codes(on: date | None = None) -> frozenset[str]:
    return frozenset(code for code, _name in local_counties(on))


def county_short_name(code: str | None) -> str:
    """沙坡头 / 中宁 / 海原 (the name without 区/县) for a local county; 中卫 for anything else."""
    for local_code, name in local_counties():
        if local_code == code:
            return name[:-1] if name.endswith(("区", "县")) and len(name) > 2 else name
    return CITY_SHORT_NAME
