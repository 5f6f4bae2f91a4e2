"""Table-driven boundary cases for the policy engine (tests/domain/cases/*.json).

Expected values were computed by hand from POLICY.md and CALC.md, not from the engine's code.
Format: tests/domain/cases/README.md. Run: `.venv/bin/pytest tests/domain/test_policy_cases.py`.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from tests.domain.case_builder import BuiltCase, load_cases
from zwdesk.domain.scenario_parser import parse_scenario
from zwdesk.services.calc_service import calculate
from zwdesk.services.results_format import results_document

CASES_DIR = Path(__file__).parent / "cases"

ROW_KEYS: dict[str, tuple[str, ...]] = {
    "station_tiers": ("organisation", "year"),
    "gig": ("organisation", "year"),
    "broker_rewards": ("organisation", "year"),
    "transport": ("worker", "year"),
    "workshops": ("organisation",),
    "batches": ("batch",),
    "conflicts": ("worker", "year"),
}
# Keys of an expected row that are instructions, not fields to compare.
_SPECIAL = frozenset({"explanation_contains", "optional", "workers", "absent_workers"})

_CASES = load_cases(CASES_DIR)


def _same(expected: Any, actual: Any) -> bool:
    numbers = (int, float)
    if (
        isinstance(expected, numbers)
        and isinstance(actual, numbers)
        and not isinstance(expected, bool)
        and not isinstance(actual, bool)
    ):
        return math.isclose(expected, actual, rel_tol=0, abs_tol=0.001)
    return bool(expected == actual)


def _show(row: Any, aliases: dict[str, str]) -> str:
    """Pretty JSON with alias names next to ID numbers, for readable failures."""
    names = {number: alias for alias, number in aliases.items()}
    text = json.dumps(row, ensure_ascii=False, indent=2)
    for number, alias in names.items():
        text = text.replace(f'"{number}"', f'"{number}" ({alias})')
    return text


def _focus(actual: Any, expected: Any) -> Any:
    """A broker row shows only the worker rows the case names (others are summarised)."""
    if not isinstance(actual, dict) or not isinstance(actual.get("workers"), list):
        return actual
    named = set(expected.get("absent_workers", [])) if isinstance(expected, dict) else set()
    if isinstance(expected, dict):
        named |= {row["worker"] for row in expected.get("workers", [])}
    kept = [row for row in actual["workers"] if row.get("worker") in named]
    omitted = len(actual["workers"]) - len(kept)
    workers: list[Any] = [*kept, f"... {omitted} other worker rows omitted"] if omitted else kept
    return {**actual, "workers": workers}


def _compare_row(
    expected: dict[str, Any], actual: dict[str, Any], where: str, problems: list[str]
) -> None:
    for key, value in expected.items():
        if key in _SPECIAL:
            continue
        if key not in actual:
            problems.append(f"{where}: field {key!r} missing (expected {value!r})")
        elif not _same(value, actual[key]):
            problems.append(f"{where}: {key} expected {value!r}, got {actual[key]!r}")
    explanation = "\n".join(actual.get("explanation", []))
    for fragment in expected.get("explanation_contains", []):
        if fragment not in explanation:
            problems.append(f"{where}: explanation does not contain {fragment!r}")


def _find(rows: list[dict[str, Any]], keys: tuple[str, ...], probe: dict[str, Any]) -> list[Any]:
    return [row for row in rows if all(row.get(key) == probe.get(key) for key in keys)]


def _check_case(case: BuiltCase, document: dict[str, Any]) -> list[str]:
    """Every mismatch as one readable block (expected row next to the actual one)."""
    failures: list[str] = []
    alias_of = {number: alias for alias, number in case.aliases.items()}

    def named(value: Any) -> str:
        return f"{value} ({alias_of[value]})" if value in alias_of else str(value)

    def report(problems: list[str], expected: Any, actual: Any) -> None:
        if problems:
            failures.append(
                "\n".join(problems)
                + f"\n  expected row: {_show(expected, case.aliases)}"
                + f"\n  actual row:   {_show(_focus(actual, expected), case.aliases)}"
            )

    for section, expected_rows in case.expect.items():
        keys = ROW_KEYS[section]
        for expected in expected_rows:
            label = f"{section}[{', '.join(named(expected.get(key)) for key in keys)}]"
            matches = _find(document[section], keys, expected)
            if not matches:
                if not expected.get("optional"):
                    report([f"{label}: no such row in the results"], expected, None)
                continue
            if len(matches) > 1:
                report([f"{label}: {len(matches)} rows share this key"], expected, matches)
                continue
            actual = matches[0]
            problems: list[str] = []
            _compare_row(expected, actual, label, problems)
            report(problems, expected, actual)
            for worker_expected in expected.get("workers", []):
                worker_label = f"{label}.workers[{named(worker_expected['worker'])}]"
                worker_rows = _find(actual.get("workers", []), ("worker",), worker_expected)
                if not worker_rows:
                    if not worker_expected.get("optional"):
                        report([f"{worker_label}: no such worker row"], worker_expected, actual)
                    continue
                problems = []
                _compare_row(worker_expected, worker_rows[0], worker_label, problems)
                report(problems, worker_expected, worker_rows[0])
            for worker in expected.get("absent_workers", []):
                found = _find(actual.get("workers", []), ("worker",), {"worker": worker})
                if found:
                    problem = f"{label}: worker {named(worker)} must not be listed"
                    report([problem], worker, found[0])
    for section, absent_rows in case.absent.items():
        keys = ROW_KEYS[section]
        for probe in absent_rows:
            found = _find(document[section], keys, probe)
            if found:
                label = f"{section}[{', '.join(named(probe.get(key)) for key in keys)}]"
                report([f"{label}: this row must not appear"], probe, found[0])
    for section, count in case.row_counts.items():
        if len(document[section]) != count:
            report(
                [f"{section}: expected {count} rows, got {len(document[section])}"],
                count,
                document[section],
            )
    return failures


@pytest.mark.parametrize("case", _CASES, ids=[case.test_id for case in _CASES])
def test_policy_case(case: BuiltCase) -> None:
    document = results_document(calculate(parse_scenario(case.scenario), case.as_of))
    failures = _check_case(case, document)
    if failures:
        header = f"case {case.test_id}\nrule: {case.rule}\nas_of: {case.as_of}\n"
        pytest.fail(header + "\n\n".join(failures), pytrace=False)


def test_case_ids_are_unique() -> None:
    ids = [case.test_id for case in _CASES]
    assert len(ids) == len(set(ids))
