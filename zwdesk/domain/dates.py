"""Calendar rules of POLICY.md §2: add_months with month-end clamping, qualifying dates."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import cache

ONE_DAY = timedelta(days=1)
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def add_months(day: date, months: int) -> date:
    """Same day-of-month `months` later, clamped to that month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if day.day <= 28:  # every month has these days: no clamping to compute
        return date(year, month, day.day)
    last_day = 29 if month == 2 and calendar.isleap(year) else _MONTH_DAYS[month - 1]
    return date(year, month, min(day.day, last_day))


@cache
def qualifying_date(start: date, months: int) -> date:
    """The day on which a placement starting on `start` becomes stable for `months` months.
    Cached: a city's 300,000 placements start on a few hundred distinct days."""
    return add_months(start, months) - ONE_DAY


@cache  # a city's records share a few thousand distinct dates (and then share the objects)
def parse_iso_date(text: str) -> date:
    """Parse strictly `YYYY-MM-DD`; raise ValueError with a Chinese reason otherwise."""
    if not _ISO_DATE.fullmatch(text):
        raise ValueError(f"日期“{text}”不是YYYY-MM-DD格式")
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"日期“{text}”不存在") from error
