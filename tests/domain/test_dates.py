"""Calendar rules of POLICY.md §2: add_months clamping, qualifying dates, strict ISO dates."""

from __future__ import annotations

from datetime import date

import pytest

from zwdesk.domain.dates import add_months, parse_iso_date, qualifying_date


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        # month-end clamping, the two examples of POLICY.md §2
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        # other clamps
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        # no clamping needed
        (date(2025, 3, 1), 3, date(2025, 6, 1)),
        (date(2025, 1, 15), 0, date(2025, 1, 15)),
        (date(2025, 2, 28), 1, date(2025, 3, 28)),
        # across the year end
        (date(2025, 11, 30), 1, date(2025, 12, 30)),
        (date(2025, 12, 31), 1, date(2026, 1, 31)),
        (date(2025, 10, 31), 4, date(2026, 2, 28)),
        (date(2025, 9, 1), 6, date(2026, 3, 1)),
        # whole years
        (date(2025, 5, 17), 12, date(2026, 5, 17)),
        (date(2025, 5, 17), 24, date(2027, 5, 17)),
        (date(2025, 12, 31), 12, date(2026, 12, 31)),
        (date(2025, 12, 31), 24, date(2027, 12, 31)),
        (date(2025, 1, 1), 36, date(2028, 1, 1)),
        # backwards
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2025, 1, 15), -1, date(2024, 12, 15)),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        # POLICY.md §2: S = 2025-03-01 → 3 months needs L ≥ 2025-05-31; 6 months ≥ 2025-08-31
        (date(2025, 3, 1), 3, date(2025, 5, 31)),
        (date(2025, 3, 1), 6, date(2025, 8, 31)),
        # CALC.md: "proven to 2025-05-30, needs 2025-05-31"
        (date(2025, 3, 1), 3, date(2025, 5, 31)),
        # month-end starts
        (date(2025, 1, 31), 1, date(2025, 2, 27)),
        (date(2025, 8, 31), 6, date(2026, 2, 27)),
        (date(2024, 8, 31), 6, date(2025, 2, 27)),
        (date(2023, 8, 31), 6, date(2024, 2, 28)),
        (date(2025, 11, 30), 3, date(2026, 2, 27)),
        # mid-month, across the year end (item 2's year is the qualifying date's year)
        (date(2025, 7, 15), 6, date(2026, 1, 14)),
        (date(2025, 7, 1), 6, date(2025, 12, 31)),
        (date(2025, 7, 2), 6, date(2026, 1, 1)),
        (date(2025, 10, 1), 3, date(2025, 12, 31)),
    ],
)
def test_qualifying_date(start: date, months: int, expected: date) -> None:
    assert qualifying_date(start, months) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-02-03", date(2025, 2, 3)),
        ("2024-02-29", date(2024, 2, 29)),
        ("2027-12-31", date(2027, 12, 31)),
    ],
)
def test_parse_iso_date_accepts_strict_iso(text: str, expected: date) -> None:
    assert parse_iso_date(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2025-02-30", "不存在"),
        ("2025-02-29", "不存在"),
        ("2025-13-01", "不存在"),
        ("2025-00-10", "不存在"),
        ("2025-2-3", "格式"),
        ("20250203", "格式"),
        ("2025/02/03", "格式"),
        ("2025-02-03T00:00:00", "格式"),
        (" 2025-02-03", "格式"),
        ("2025-02-03 ", "格式"),
        ("25-02-03", "格式"),
        ("", "格式"),
        ("2025-W06-1", "格式"),
    ],
)
def test_parse_iso_date_refuses_with_a_chinese_reason(text: str, reason: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_iso_date(text)
    assert reason in str(caught.value)
    assert text in str(caught.value)


@pytest.mark.parametrize(
    "text", ["２０２５-０２-０３", "\u0662\u0660\u0662\u0665-\u0660\u0662-\u0660\u0663"]
)
def test_parse_iso_date_refuses_non_ascii_digits(text: str) -> None:
    with pytest.raises(ValueError):
        parse_iso_date(text)
