"""Resident ID numbers (居民身份证号码, GB 11643): normalise, check, and hint the birth place."""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from datetime import date

from zwdesk.domain.regions import Region, lookup_region

_ID_PATTERN = re.compile(r"[0-9]{17}[0-9X]")  # ASCII only: str.isdigit() admits ¹ and ١
_WEIGHTS = tuple(pow(2, 17 - position, 11) for position in range(17))
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
    """The GB 11643 check character (ISO 7064 MOD 11-2) for the first 17 digits."""
    total = sum(map(operator.mul, map(int, first_seventeen), _WEIGHTS))
    return _CHECK_CHARACTERS[total % 11]


def parse_resident_id(text: str) -> ResidentId:
    """Check length, characters, birth date and checksum; region codes are not enforced
    (python-stdnum's `cn.ric.validate` wrongly rejects older people's real IDs)."""
    number = normalise_resident_id(text)
    if len(number) != 18:
        raise ResidentIdError(f"身份证号应为18位，实际{len(number)}位")
    if not _ID_PATTERN.fullmatch(number):
        raise ResidentIdError("身份证号前17位应为数字，末位为数字或X")
    try:
        birth_date = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as error:
        raise ResidentIdError(f"身份证号中的出生日期{number[6:14]}不存在") from error
    if birth_date.year < 1900:
        raise ResidentIdError(f"身份证号中的出生日期{number[6:14]}不合理")
    expected = check_digit(number[:17])
    if number[17] != expected:
        raise ResidentIdError(f"身份证号校验位错误：末位应为{expected}，实际为{number[17]}")
    return ResidentId(number, birth_date)


def make_resident_id(region: str, birth: date, sequence: int) -> str:
    """Build a valid ID (for demo data, tests and benchmarks)."""
    body = f"{region}{birth:%Y%m%d}{sequence % 1000:03d}"
    return body + check_digit(body)
