"""Resident ID numbers (居民身份证号码, GB 11643): normalise, check, and hint the birth place."""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from zwdesk.domain.regions import Region, lookup_region

_ID_PATTERN = re.compile(r"[0-9]{17}[0-9X]")  # ASCII only: str.isdigit() admits ¹ and ١
_WEIGHTS = tuple(pow(2, 17 - position, 11) for position in range(17))
_ZERO_TIMES_WEIGHTS = ord("0") * sum(_WEIGHTS)  # the character codes' excess over the digits
_CHECK_CHARACTERS = "10X98765432"
_FULL_WIDTH = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789XX")


class ResidentIdError(ValueError):
    """A resident ID number that cannot be right; the message says why, in Chinese."""


@dataclass(frozen=True, slots=True)
class ResidentId:
    """A checked 18-digit resident ID with what it tells."""

    number: str
    birth_date: date

    @property
    def region_code(self) -> str:
        """The six-digit birth-registration place code (not today's hukou)."""
        return self.number[:6]

    @property
    def birth_place(self) -> Region | None:
        """Birth-registration place from the region table — a hint only, never the hukou."""
        return lookup_region(self.region_code)

    @property
    def is_male(self) -> bool:
        """Odd 17th digit = male (GB 11643)."""
        return int(self.number[16]) % 2 == 1


def normalise_resident_id(text: str) -> str:
    """Strip blanks, turn full-width digits and lowercase x into the canonical form."""
    return "".join(text.split()).translate(_FULL_WIDTH).upper()


def check_digit(first_seventeen: str) -> str:
    """The GB 11643 check character (ISO 7064 MOD 11-2) for the first 17 digits (ASCII)."""
    # Weighted sum of the character codes, less what the code of "0" adds to each: the digits'
    # weighted sum, without turning 17 characters into ints one by one.
    total = sum(map(operator.mul, first_seventeen.encode("ascii"), _WEIGHTS)) - _ZERO_TIMES_WEIGHTS
    return _CHECK_CHARACTERS[total % 11]


def parse_resident_id(text: str) -> ResidentId:
    """Check length, characters, birth date and checksum; region codes are not enforced
    (python-stdnum's `cn.ric.validate` wrongly rejects older people's real IDs)."""
    number = checked_resident_id(text)
    return ResidentId(number, _birth_date(number[6:14]))


def checked_resident_id(text: str) -> str:
    """`parse_resident_id(text).number`: the canonical number, checked the same way, raising
    the same errors (without the object: a city's file has 220,000 of these)."""
    if _ID_PATTERN.fullmatch(text):  # already canonical: the common case
        number = text
    else:
        number = normalise_resident_id(text)
        if len(number) != 18:
            raise ResidentIdError(f"身份证号应为18位，实际{len(number)}位")
        if not _ID_PATTERN.fullmatch(number):
            raise ResidentIdError("身份证号前17位应为数字，末位为数字或X")
    _birth_date(number[6:14])
    expected = check_digit(number[:17])
    if number[17] != expected:
        raise ResidentIdError(f"身份证号校验位错误：末位应为{expected}，实际为{number[17]}")
    return number


@lru_cache(maxsize=1 << 16)  # people share birthdays: a city's 220,000 have some 20,000
def _birth_date(digits: str) -> date:
    """The birth date written as YYYYMMDD in an ID number, or ResidentIdError."""
    try:
        birth_date = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError as error:
        raise ResidentIdError(f"身份证号中的出生日期{digits}不存在") from error
    if birth_date.year < 1900:
        raise ResidentIdError(f"身份证号中的出生日期{digits}不合理")
    return birth_date


def make_resident_id(region: str, birth: date, sequence: int) -> str:
    """Build a valid ID (for demo data, tests and benchmarks)."""
    body = f"{region}{birth:%Y%m%d}{sequence % 1000:03d}"
    return body + check_digit(body)
