"""County-level region codes (GB/T 2260), current and historical, from python-stdnum's table."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from stdnum import numdb

_YEARS = re.compile(r"^\[(\d{4})?-(\d{4})?\]")


@dataclass(frozen=True, slots=True)
class Region:
    """One region code with its name and the years it was valid (None = open)."""

    code: str
    province: str
    name: str
    valid_from: int | None
    valid_until: int | None

    @property
    def full_name(self) -> str:
        """Province and county together, e.g. 江苏省吴中区 (a province-level code: its name)."""
        if self.name == self.province:
            return self.name
        return f"{self.province}{self.name}"

    @property
    def historical(self) -> bool:
        """True for a code no longer in use (e.g. 642222, 海原县 until 2001)."""
        return self.valid_until is not None


@cache
def _database() -> numdb.NumDB:
    return numdb.get("cn/loc")


@cache
def lookup_region(code: str) -> Region | None:
    """The region with this six-digit code, or None when the table does not know it."""
    if len(code) != 6 or not code.isdigit():
        return None
    info = _database().info(code)
    if len(info) < 2:
        return None
    (_, province_props), (_, county_props) = info[0], info[1]
    province = province_props.get("province")
    county = county_props.get("county")
    if not province or not county:
        return None
    valid_from = valid_until = None
    match = _YEARS.match(county)
    if match:
        valid_from = int(match.group(1)) if match.group(1) else None
        valid_until = int(match.group(2)) if match.group(2) else None
        county = county[match.end() :]
    return Region(code, province, county, valid_from, valid_until)


@cache  # a city's explanations name a few hundred counties some 400,000 times
def region_label(code: str) -> str:
    """`320506（江苏省吴中区）` for explanations; the bare code when the table has no name."""
    region = lookup_region(code)
    return f"{code}（{region.full_name}）" if region else code
