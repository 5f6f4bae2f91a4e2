"""Dated policy parameter files: strict loading, and a later file changing only later events."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from zwdesk.domain.dates import qualifying_date
from zwdesk.domain.model import (
    Batch,
    BatchMode,
    Organisation,
    OrganisationKind,
    Passenger,
    Placement,
    Scenario,
    Worker,
)
from zwdesk.domain.policy.parameters import (
    PolicyParameterError,
    PolicySchedule,
    parse_parameter_set,
)
from zwdesk.domain.resident_id import make_resident_id
from zwdesk.services.calc_service import calculate
from zwdesk.services.policy_files import (
    default_schedule,
    load_parameter_file,
    load_schedule,
    load_schedule_from,
)
from zwdesk.services.resource_paths import policy_dir
from zwdesk.services.results_format import results_document

SHIPPED = policy_dir() / "2025-01-01.toml"
SHIPPED_TEXT = SHIPPED.read_text(encoding="utf-8")


def variant(text: str, *replacements: tuple[str, str]) -> str:
    """The shipped file with exact, checked text replacements (each must occur exactly once)."""
    for old, new in replacements:
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
        text = text.replace(old, new)
    return text


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def later_file(directory: Path, effective: str, *replacements: tuple[str, str]) -> Path:
    text = variant(
        SHIPPED_TEXT,
        ("effective_from = 2025-01-01", f"effective_from = {effective}"),
        *replacements,
    )
    return write(directory, f"{effective}.toml", text)


# --- the shipped file -------------------------------------------------------------------------


def test_shipped_file_loads_with_the_notice_numbers() -> None:
    parameters = load_parameter_file(SHIPPED)
    assert parameters.effective_from == date(2025, 1, 1)
    assert (parameters.period.start, parameters.period.end) == (
        date(2025, 1, 1),
        date(2027, 12, 31),
    )
    assert set(parameters.jurisdiction.local_counties) == {"640502", "640521", "640522"}
    assert [(t.min_count, t.amount) for t in parameters.station_tier.tiers] == [
        (500, 100000),
        (400, 80000),
        (300, 60000),
        (200, 40000),
    ]
    assert (parameters.transport.cross_province, parameters.transport.intra_region) == (800, 200)
    assert parameters.transport.stable_months == 6
    assert parameters.broker_reward.min_workers == 20
    assert parameters.broker_reward.min_monthly_wage == 3000
    assert (parameters.broker_reward.amount, parameters.broker_reward.long_amount) == (200, 300)
    assert [(t.min_count, t.amount) for t in parameters.workshop.tiers] == [
        (31, 80000),
        (21, 60000),
        (11, 40000),
        (5, 20000),
    ]
    assert parameters.point_to_point.charter_min_passengers == 35
    assert parameters.point_to_point.fare_min_passengers == 10
    assert (parameters.gig.market_min_people, parameters.gig.market_amount) == (500, 100000)
    assert (parameters.gig.station_min_people, parameters.gig.station_amount) == (200, 80000)


def test_default_schedule_is_the_shipped_directory() -> None:
    schedule = default_schedule()
    assert [p.effective_from for p in schedule.parameter_sets] == [date(2025, 1, 1)]
    assert schedule.at(date(2026, 6, 1)) == load_parameter_file(SHIPPED)


@pytest.mark.parametrize(
    ("count", "amount"),
    [(0, None), (199, None), (200, 40000), (299, 40000), (300, 60000), (499, 80000), (500, 100000)],
)
def test_station_tier_lookup(count: int, amount: int | None) -> None:
    tier = load_parameter_file(SHIPPED).station_tier.tier_for(count)
    assert (tier.amount if tier else None) == amount


@pytest.mark.parametrize(
    ("count", "amount"), [(4, None), (5, 20000), (10, 20000), (11, 40000), (30, 60000), (31, 80000)]
)
def test_workshop_tier_lookup(count: int, amount: int | None) -> None:
    tier = load_parameter_file(SHIPPED).workshop.tier_for(count)
    assert (tier.amount if tier else None) == amount


# --- broken copies ----------------------------------------------------------------------------

BROKEN = [
    pytest.param(
        [("cross_province = 800", "cross_provence = 800")],
        ["transport.cross_provence", "transport.cross_province"],
        id="misspelt key (unknown + missing)",
    ),
    pytest.param(
        [("min_workers = 20\n", "min_worker = 20\n")],
        ["broker_reward.min_worker"],
        id="misspelt key in broker_reward",
    ),
    pytest.param(
        [("intra_region = 200\n", "")],
        ["transport.intra_region"],
        id="missing key",
    ),
    pytest.param(
        [("[gig]\n", "[gigs]\n")],
        ["gigs", "gig"],
        id="misspelt section",
    ),
    pytest.param(
        [("fare_min_passengers = 10", "fare_min_passengers = ten")],
        ["政策参数文件 broken.toml 不是有效的 TOML"],
        id="not TOML",
    ),
    pytest.param(
        [("cross_province = 800", 'cross_province = "eight hundred"')],
        ["transport.cross_province"],
        id="wrong type: text for an amount",
    ),
    pytest.param(
        [("cross_province = 800", "cross_province = 800.5")],
        ["transport.cross_province"],
        id="wrong type: fraction for a yuan amount",
    ),
    pytest.param(
        [("cross_province = 800", 'cross_province = "800"')],
        ["transport.cross_province"],
        id="wrong type: quoted number for an amount",
    ),
    pytest.param(
        [("cross_province = 800", "cross_province = true")],
        ["transport.cross_province"],
        id="wrong type: boolean for an amount",
    ),
    pytest.param(
        [('local_counties = ["640502", "640521", "640522"]', "local_counties = 640502")],
        ["jurisdiction.local_counties"],
        id="wrong type: number for a list",
    ),
    pytest.param(
        [('local_counties = ["640502", "640521", "640522"]', "local_counties = [640502]")],
        ["jurisdiction.local_counties"],
        id="wrong type: numbers for county codes",
    ),
    pytest.param(
        [("effective_from = 2025-01-01", 'effective_from = "from January"')],
        ["effective_from"],
        id="wrong type: effective_from",
    ),
    pytest.param(
        [('format = "zwdesk-policy/1"', 'format = "zwdesk-policy/2"')],
        ["format"],
        id="wrong format",
    ),
    pytest.param(
        [("market_min_people = 500", "market_min_people = -500")],
        ["gig.market_min_people"],
        id="negative threshold",
    ),
    pytest.param(
        [
            ("{ min_count = 500, amount = 100000 },\n", ""),
            (
                "{ min_count = 200, amount = 40000 },\n",
                "{ min_count = 200, amount = 40000 },\n    { min_count = 500, amount = 100000 },\n",
            ),
        ],
        ["station_tier", "从高到低"],
        id="station tiers out of order",
    ),
    pytest.param(
        [("{ min_count = 11, amount = 40000 },", "{ min_count = 21, amount = 40000 },")],
        ["workshop", "不重复"],
        id="workshop tiers duplicated",
    ),
    pytest.param(
        [('"low_income_rural", "relocated"]', '"low_income_rural", "relocatd"]')],
        ["workshop.target_groups"],
        id="unknown target group",
    ),
    pytest.param(
        [("{ min_count = 31, amount = 80000 }", "{ min_cout = 31, amount = 80000 }")],
        ["workshop.tiers.0.min_cout"],
        id="misspelt key inside a tier",
    ),
]


@pytest.mark.parametrize(("replacements", "named"), BROKEN)
def test_broken_copy_is_refused_naming_file_and_key(
    tmp_path: Path, replacements: list[tuple[str, str]], named: list[str]
) -> None:
    path = write(tmp_path, "broken.toml", variant(SHIPPED_TEXT, *replacements))
    with pytest.raises(PolicyParameterError) as caught:
        load_parameter_file(path)
    message = str(caught.value)
    assert "broken.toml" in message
    for text in named:
        assert text in message


def test_a_broken_file_in_the_schedule_refuses_the_whole_schedule(tmp_path: Path) -> None:
    good = write(tmp_path, "2025-01-01.toml", SHIPPED_TEXT)
    bad = later_file(tmp_path, "2026-01-01", ("intra_region = 200\n", ""))
    with pytest.raises(PolicyParameterError) as caught:
        load_schedule([good, bad])
    assert "2026-01-01.toml" in str(caught.value)
    assert "transport.intra_region" in str(caught.value)


def test_two_files_with_the_same_effective_date_are_refused(tmp_path: Path) -> None:
    first = write(tmp_path, "a.toml", SHIPPED_TEXT)
    second = write(tmp_path, "b.toml", SHIPPED_TEXT)
    with pytest.raises(PolicyParameterError):
        load_schedule([first, second])


def test_an_empty_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PolicyParameterError):
        load_schedule_from(tmp_path)


# --- the schedule picks the file in force ------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "effective"),
    [
        (date(2024, 6, 1), date(2025, 1, 1)),  # before the first file: the first
        (date(2025, 1, 1), date(2025, 1, 1)),
        (date(2025, 12, 31), date(2025, 1, 1)),
        (date(2026, 1, 1), date(2026, 1, 1)),
        (date(2026, 6, 30), date(2026, 1, 1)),
        (date(2026, 7, 1), date(2026, 7, 1)),
        (date(2030, 1, 1), date(2026, 7, 1)),
    ],
)
def test_schedule_at_picks_the_file_in_force(tmp_path: Path, day: date, effective: date) -> None:
    paths = [
        later_file(tmp_path, "2026-07-01", ("cross_province = 800", "cross_province = 1200")),
        write(tmp_path, "2025-01-01.toml", SHIPPED_TEXT),  # order of the paths must not matter
        later_file(tmp_path, "2026-01-01", ("cross_province = 800", "cross_province = 1000")),
    ]
    schedule = load_schedule(paths)
    assert schedule.at(day).effective_from == effective
    amount = {date(2025, 1, 1): 800, date(2026, 1, 1): 1000, date(2026, 7, 1): 1200}[effective]
    assert schedule.at(day).transport.cross_province == amount


@pytest.mark.parametrize(
    ("year", "effective"),
    [
        (2024, date(2025, 1, 1)),
        (2025, date(2025, 1, 1)),
        (2026, date(2026, 1, 1)),
        (2027, date(2026, 7, 1)),
    ],
)
def test_schedule_for_year_is_the_file_in_force_on_1_january(
    tmp_path: Path, year: int, effective: date
) -> None:
    schedule = load_schedule(
        [
            write(tmp_path, "2025-01-01.toml", SHIPPED_TEXT),
            later_file(tmp_path, "2026-01-01", ("min_workers = 20", "min_workers = 15")),
            later_file(tmp_path, "2026-07-01", ("min_workers = 20", "min_workers = 10")),
        ]
    )
    assert schedule.for_year(year).effective_from == effective


def test_schedule_rejects_nothing_at_all() -> None:
    with pytest.raises(PolicyParameterError):
        PolicySchedule([])


# --- THE KEY TEST: a later file changes only later events --------------------------------------

STATION_COUNTY = "640522"
BEFORE_WORKER = make_resident_id("640522", date(1980, 5, 1), 11)
AFTER_WORKER = make_resident_id("640522", date(1981, 6, 2), 22)
SAME_DAY_WORKER = make_resident_id("640521", date(1982, 7, 3), 33)
PASSENGERS = [make_resident_id("640522", date(1985, 1, 1 + n), 100 + n) for n in range(6)]


def _scenario() -> Scenario:
    workers = [
        Worker(BEFORE_WORKER, "马前", "640522", rural=True),
        Worker(AFTER_WORKER, "马后", "640522", rural=True),
        Worker(SAME_DAY_WORKER, "马当", "640521", rural=True),
        *(Worker(number, f"乘客{n}", "640522", rural=True) for n, number in enumerate(PASSENGERS)),
    ]

    def job(identifier: str, worker: str, start: date, verified: date) -> Placement:
        return Placement(
            id=identifier,
            worker=worker,
            organiser="B1",
            work_county="320506",
            start=start,
            verified_through=verified,
            contract=True,
            contract_start=start,
            social_insurance=True,
            monthly_wage=420000,
        )

    placements = [
        # 6 months reached 2025-08-31: before the change
        job("P-before", BEFORE_WORKER, date(2025, 3, 1), date(2026, 6, 30)),
        # 6 months reached 2026-02-28: after the change (though it started before it)
        job("P-after", AFTER_WORKER, date(2025, 9, 1), date(2026, 6, 30)),
        # 6 months reached 2025-12-31: the last day before the change
        job("P-edge", SAME_DAY_WORKER, date(2025, 7, 1), date(2026, 6, 30)),
    ]

    def batch(identifier: str, departure: date) -> Batch:
        return Batch(
            id=identifier,
            organiser="B1",
            departure=departure,
            destination_county="650102",
            mode=BatchMode.TICKETS,
            passengers=tuple(
                Passenger(number, 35050, f"R-{identifier}-{n}")
                for n, number in enumerate(PASSENGERS)
            ),
        )

    return Scenario(
        organisations=(
            Organisation("B1", OrganisationKind.BROKER, "宏达劳务", "640521"),
            Organisation("T1", OrganisationKind.STATION, "驻苏州站", STATION_COUNTY),
        ),
        workers=tuple(workers),
        placements=tuple(placements),
        batches=(batch("C-before", date(2025, 12, 31)), batch("C-after", date(2026, 1, 1))),
    )


def _documents(tmp_path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    shipped = write(tmp_path, "2025-01-01.toml", SHIPPED_TEXT)
    later = later_file(
        tmp_path,
        "2026-01-01",
        ("cross_province = 800", "cross_province = 1000"),
        ("fare_min_passengers = 10", "fare_min_passengers = 5"),
    )
    scenario, as_of = _scenario(), date(2026, 6, 30)
    only_first = results_document(calculate(scenario, as_of, load_schedule([shipped])))
    both = results_document(calculate(scenario, as_of, load_schedule([shipped, later])))
    return only_first, both


def _by(rows: list[dict[str, Any]], *keys: str) -> dict[tuple[Any, ...], dict[str, Any]]:
    return {tuple(row[key] for key in keys): row for row in rows}


def test_the_scenario_events_straddle_the_change() -> None:
    assert qualifying_date(date(2025, 3, 1), 6) < date(2026, 1, 1)
    assert qualifying_date(date(2025, 7, 1), 6) == date(2025, 12, 31)
    assert qualifying_date(date(2025, 9, 1), 6) >= date(2026, 1, 1)


def test_later_file_raises_item_2_only_for_qualifying_dates_after_it(tmp_path: Path) -> None:
    only_first, both = _documents(tmp_path)
    first_rows = _by(only_first["transport"], "worker", "year")
    both_rows = _by(both["transport"], "worker", "year")
    # Without the later file everybody gets the 2025 amount.
    assert first_rows[(BEFORE_WORKER, 2025)]["amount"] == 800
    assert first_rows[(SAME_DAY_WORKER, 2025)]["amount"] == 800
    assert first_rows[(AFTER_WORKER, 2026)]["amount"] == 800
    # With it, only the worker whose 6 months were reached after 2026-01-01 gets 1000 …
    assert both_rows[(AFTER_WORKER, 2026)]["amount"] == 1000
    assert any("1000" in sentence for sentence in both_rows[(AFTER_WORKER, 2026)]["explanation"])
    # … and the rows of earlier events are identical, explanation included.
    assert both_rows[(BEFORE_WORKER, 2025)] == first_rows[(BEFORE_WORKER, 2025)]
    assert both_rows[(SAME_DAY_WORKER, 2025)] == first_rows[(SAME_DAY_WORKER, 2025)]


def test_later_file_lowers_item_5_fare_threshold_only_for_later_departures(
    tmp_path: Path,
) -> None:
    only_first, both = _documents(tmp_path)
    first_rows = _by(only_first["batches"], "batch")
    both_rows = _by(both["batches"], "batch")
    # 6 eligible passengers: below 10 under the shipped file, at least 5 under the later one.
    assert first_rows[("C-before",)]["eligible"] == 6
    assert first_rows[("C-before",)]["amount"] == 0
    assert first_rows[("C-after",)]["amount"] == 0
    assert both_rows[("C-after",)]["kind"] == "fare"
    assert both_rows[("C-after",)]["amount"] == pytest.approx(6 * 350.50)
    assert both_rows[("C-before",)] == first_rows[("C-before",)]


def test_later_file_changes_nothing_else(tmp_path: Path) -> None:
    only_first, both = _documents(tmp_path)
    keys = {
        "station_tiers": ("organisation", "year"),
        "transport": ("worker", "year"),
        "broker_rewards": ("organisation", "year"),
        "workshops": ("organisation",),
        "batches": ("batch",),
        "gig": ("organisation", "year"),
    }
    changed = {("transport", (AFTER_WORKER, 2026)), ("batches", ("C-after",))}
    seen_changed = set()
    for section, key_names in keys.items():
        first_rows = _by(only_first[section], *key_names)
        both_rows = _by(both[section], *key_names)
        assert first_rows.keys() == both_rows.keys(), section
        for key, first_row in first_rows.items():
            if (section, key) in changed:
                assert first_row != both_rows[key]
                seen_changed.add((section, key))
            else:
                assert first_row == both_rows[key], (section, key)
    assert seen_changed == changed
    assert only_first["conflicts"] == both["conflicts"]


def test_later_file_through_the_shipped_numbers_is_a_no_op(tmp_path: Path) -> None:
    """A later file with the same numbers changes no amount at all (only the effective date)."""
    shipped = write(tmp_path, "2025-01-01.toml", SHIPPED_TEXT)
    later = later_file(tmp_path, "2026-01-01")
    scenario, as_of = _scenario(), date(2026, 6, 30)
    only_first = results_document(calculate(scenario, as_of, load_schedule([shipped])))
    both = results_document(calculate(scenario, as_of, load_schedule([shipped, later])))
    assert only_first == both


def test_message_key_paths_are_dotted() -> None:
    """The path format the other tests rely on: section.key, list indexes as numbers."""
    with pytest.raises(PolicyParameterError) as caught:
        parse_parameter_set({"format": "zwdesk-policy/1"}, "x.toml")
    assert re.search(r"\bperiod：缺少此参数", str(caught.value))
