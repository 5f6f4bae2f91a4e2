"""Properties of the engine over generated scenarios: no negative amount, claims never raise
what is due, and the order of the input lists changes nothing."""

from __future__ import annotations

import random
import tomllib
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from zwdesk.domain.model import (
    Batch,
    BatchMode,
    Claim,
    GigRecord,
    Organisation,
    OrganisationKind,
    Passenger,
    Placement,
    Scenario,
    TargetGroup,
    Worker,
)
from zwdesk.domain.policy.parameters import PolicySchedule, parse_parameter_set
from zwdesk.domain.resident_id import make_resident_id
from zwdesk.services.calc_service import calculate
from zwdesk.services.policy_files import default_schedule
from zwdesk.services.resource_paths import policy_dir
from zwdesk.services.results_format import results_document

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _small_threshold_schedule() -> PolicySchedule:
    """The shipped parameters with every threshold lowered, so that small generated scenarios
    reach the paying tiers (the shipped 200/20/35 thresholds are out of their reach)."""
    data: dict[str, Any] = tomllib.loads(
        (policy_dir() / "2025-01-01.toml").read_text(encoding="utf-8")
    )
    data["station_tier"]["tiers"] = [
        {"min_count": 4, "amount": 100000},
        {"min_count": 3, "amount": 80000},
        {"min_count": 2, "amount": 60000},
        {"min_count": 1, "amount": 40000},
    ]
    data["broker_reward"]["min_workers"] = 2
    data["broker_reward"]["stable_months"] = 1
    data["broker_reward"]["long_stable_months"] = 2
    data["workshop"]["tiers"] = [
        {"min_count": 4, "amount": 80000},
        {"min_count": 3, "amount": 60000},
        {"min_count": 2, "amount": 40000},
        {"min_count": 1, "amount": 20000},
    ]
    data["point_to_point"]["charter_min_passengers"] = 3
    data["point_to_point"]["fare_min_passengers"] = 2
    data["gig"]["market_min_people"] = 2
    data["gig"]["station_min_people"] = 1
    return PolicySchedule([parse_parameter_set(data, "small-thresholds.toml")])


SCHEDULES = {"shipped": default_schedule(), "small": _small_threshold_schedule()}

ORGANISATIONS = (
    Organisation("S1", OrganisationKind.STATION, "驻苏州站", "640522"),
    Organisation("S2", OrganisationKind.STATION, "驻乌鲁木齐站", "640521"),
    Organisation("B1", OrganisationKind.BROKER, "宏达劳务", "640521"),
    Organisation("B2", OrganisationKind.BROKER, "个人经纪人马某", "640522"),
    Organisation("K1", OrganisationKind.WORKSHOP, "关桥扶贫车间", "640522"),
    Organisation("K2", OrganisationKind.WORKSHOP, "新堡扶贫车间", "640521"),
    Organisation("G1", OrganisationKind.GIG_MARKET, "沙坡头零工市场", "640502"),
    Organisation("G2", OrganisationKind.GIG_STATION, "新堡零工驿站", "640521"),
)
HUKOU = ("640502", "640521", "640522", "640522", "640522", "622101", "640104")
WORK_COUNTIES = ("320506", "650102", "640104", "640502", "640521", "640522")
FIRST, LAST = date(2024, 1, 1), date(2028, 12, 31)
SPAN = (LAST - FIRST).days
REGIONS = ("640522", "642222", "640521", "622101")
RESIDENCES = (None, "640502", "640521", "640522")
ORGANISERS = (None, "S1", "S2", "B1", "B2", "K1", "K2", "S1", "B1", "K1")
WAGES = (None, 299900, 300000, 420000, 650050, 420000)
GROUPS = tuple(TargetGroup)

# Strategies are built once: building them inside the draws made generation ~10× slower.
# Biased towards what pays: most events in 2025–2026, most jobs followed up for months.
day_offsets = st.integers(0, SPAN) | st.integers(366, 366 + 2 * 365)
short_spans = st.integers(0, 400) | st.sampled_from((95, 185, 250, 400))
fen = st.integers(0, 800000)  # up to 8,000 元, fen allowed
index = st.integers(0, 1000)

worker_rows = st.lists(
    st.tuples(
        st.integers(0, (date(2006, 12, 31) - date(1955, 1, 1)).days),  # birth
        index,  # birth region
        index,  # hukou county
        index,  # residence county (only for non-local hukou)
        st.sampled_from((True, True, False)),  # rural
        st.integers(0, 2 ** len(GROUPS) - 1),  # target groups as a bit set
    ),
    min_size=1,
    max_size=30,
)
placement_rows = st.lists(
    st.tuples(
        index,  # worker
        index,  # organiser
        index,  # work county
        day_offsets,  # start
        st.sampled_from((0, 1, 1, 2)),  # 0 = ongoing, no follow-up; 1 = verified; 2 = ended
        short_spans,  # end or verified, days after start
        st.sampled_from((0, 1, 1, 2)),  # 0 = no contract; 1 = open-ended; 2 = fixed end
        st.booleans(),  # contract start given
        short_spans,  # contract length in days
        st.sampled_from((True, True, False)),  # social insurance
        index,  # wage
    ),
    max_size=40,
)
# A crew: several workers placed by one organiser at once, in jobs that meet every condition
# but time — so that stations, brokers and workshops reach their thresholds (and conflict).
crew_rows = st.lists(
    st.tuples(
        st.sampled_from(("S1", "B1", "S1", "B1", "B2", "K1", "S2")),
        st.sampled_from((430, 431, 800)) | day_offsets,  # start: often the same days of 2025/26
        short_spans,  # followed up for
        index,  # first member of the crew pool
        st.integers(1, 6),  # size
    ),
    max_size=4,
)
passenger_rows = st.lists(
    st.tuples(
        index, st.sampled_from((0, 35050, 42000, 120099)), st.sampled_from((None, "R1", "R2"))
    ),
    max_size=12,
)
batch_rows = st.lists(
    st.tuples(
        st.sampled_from(("B1", "B2", "B1", "S1")),
        day_offsets,
        index,
        st.sampled_from(tuple(BatchMode)),
        fen,
        passenger_rows,
    ),
    max_size=4,
)
gig_rows = st.lists(
    st.tuples(st.sampled_from(("G1", "G2", "G1", "G2", "B1")), index, day_offsets),
    max_size=25,
)
claim_row = st.tuples(
    st.sampled_from((1, 2, 3, 4, 5, 6)),
    st.integers(0, 150000) | st.sampled_from((0, 20000, 30000, 80000)),
    index,  # worker
    index,  # organisation of the item's kind
    index,  # batch
    st.integers(2024, 2028),
)
claim_rows = st.lists(claim_row, max_size=10)


def pick(options: tuple[Any, ...] | list[Any], number: int) -> Any:
    return options[number % len(options)]


def make_workers(rows: list[tuple[Any, ...]]) -> tuple[Worker, ...]:
    result = []
    for number, (birth, region, hukou, residence, rural, groups) in enumerate(rows):
        hukou_county = pick(HUKOU, hukou)
        result.append(
            Worker(
                # the sequence number keeps the IDs distinct
                id_number=make_resident_id(
                    pick(REGIONS, region), date(1955, 1, 1) + timedelta(days=birth), number
                ),
                name=f"工人{number}",
                hukou_county=hukou_county,
                resident_county=(
                    pick(RESIDENCES, residence) if hukou_county in ("622101", "640104") else None
                ),
                rural=rural,
                groups=frozenset(g for bit, g in enumerate(GROUPS) if groups >> bit & 1),
            )
        )
    return tuple(result)


def _after(start: date, days: int) -> date:
    return min(start + timedelta(days=days), LAST)


def make_placements(
    rows: list[tuple[Any, ...]], people: tuple[Worker, ...]
) -> tuple[Placement, ...]:
    result = []
    for number, row in enumerate(rows):
        worker, organiser, county, start_day, proof, span, contract, given_start, length = row[:9]
        social, wage = row[9:]
        start = FIRST + timedelta(days=start_day)
        contract_start = start if contract and given_start else None
        result.append(
            Placement(
                id=f"P{number}",
                worker=pick(people, worker).id_number,
                organiser=pick(ORGANISERS, organiser),
                work_county=pick(WORK_COUNTIES, county),
                start=start,
                end=_after(start, span) if proof == 2 else None,
                verified_through=_after(start, span) if proof == 1 else None,
                contract=contract > 0,
                contract_start=contract_start,
                contract_end=_after(contract_start or start, length) if contract == 2 else None,
                social_insurance=social,
                monthly_wage=pick(WAGES, wage),
            )
        )
    return tuple(result)


# Local rural people in a target group, whom crews place (often the same ones twice).
CREW_POOL = tuple(
    Worker(
        make_resident_id("640522", date(1980 + n, 1 + n, 1 + n), 700 + n),
        f"队员{n}",
        ("640522", "640521", "640502")[n % 3],
        rural=True,
        groups=frozenset({TargetGroup.POVERTY_RELIEVED}),
    )
    for n in range(6)
)


def make_crews(rows: list[tuple[Any, ...]], first_number: int) -> tuple[Placement, ...]:
    result = []
    for organiser, start_day, span, first_worker, size in rows:
        start = FIRST + timedelta(days=start_day)
        for member in range(size):
            result.append(
                Placement(
                    id=f"P{first_number + len(result)}",
                    worker=pick(CREW_POOL, first_worker + member).id_number,
                    organiser=organiser,
                    work_county="320506",
                    start=start,
                    verified_through=_after(start, span),
                    contract=True,
                    social_insurance=True,
                    monthly_wage=420000,
                )
            )
    return tuple(result)


def make_batches(rows: list[tuple[Any, ...]], people: tuple[Worker, ...]) -> tuple[Batch, ...]:
    return tuple(
        Batch(
            id=f"C{number}",
            organiser=organiser,
            departure=FIRST + timedelta(days=departure),
            destination_county=pick(WORK_COUNTIES, county),
            mode=mode,
            charter_cost=cost if mode is BatchMode.CHARTER else None,
            passengers=tuple(
                Passenger(pick(people, worker).id_number, fare, receipt)
                for worker, fare, receipt in riders
            ),
        )
        for number, (organiser, departure, county, mode, cost, riders) in enumerate(rows)
    )


def make_gig_records(
    rows: list[tuple[Any, ...]], people: tuple[Worker, ...]
) -> tuple[GigRecord, ...]:
    # Gig workers need not be on the workers list: add a few outsiders.
    numbers = [person.id_number for person in people] + [
        make_resident_id("640502", date(1990, 1, 1), 900 + n) for n in range(3)
    ]
    return tuple(
        GigRecord(organisation, pick(numbers, worker), FIRST + timedelta(days=day))
        for organisation, worker, day in rows
    )


def make_claim(
    row: tuple[Any, ...], people: tuple[Worker, ...], batch_ids: tuple[str, ...], number: int
) -> Claim:
    item, amount, worker_index, organisation_index, batch_index, year = row
    if item == 5 and not batch_ids:
        item = 4
    claim_id = f"K-{number}"
    worker = pick(people, worker_index).id_number
    if item == 1:
        return Claim(
            1, amount, year, organisation=pick(("S1", "S2"), organisation_index), claim=claim_id
        )
    if item == 2:
        return Claim(2, amount, year, worker=worker, claim=claim_id)
    if item == 3:
        broker = pick(("B1", "B2"), organisation_index)
        return Claim(3, amount, year, worker=worker, organisation=broker, claim=claim_id)
    if item == 4:
        return Claim(4, amount, organisation=pick(("K1", "K2"), organisation_index), claim=claim_id)
    if item == 5:
        return Claim(5, amount, batch=pick(batch_ids, batch_index), claim=claim_id)
    organisation = pick(("G1", "G2"), organisation_index)
    return Claim(6, amount, year, organisation=organisation, claim=claim_id)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    people = make_workers(draw(worker_rows)) + CREW_POOL
    made_batches = make_batches(draw(batch_rows), people)
    batch_ids = tuple(batch.id for batch in made_batches)
    placements = make_placements(draw(placement_rows), people)
    return Scenario(
        organisations=ORGANISATIONS,
        workers=people,
        placements=placements + make_crews(draw(crew_rows), len(placements)),
        batches=made_batches,
        gig_records=make_gig_records(draw(gig_rows), people),
        claims=tuple(
            make_claim(row, people, batch_ids, number)
            for number, row in enumerate(draw(claim_rows))
        ),
    )


as_of_days = st.dates(min_value=date(2024, 6, 1), max_value=date(2029, 6, 30))
schedule_names = st.sampled_from(sorted(SCHEDULES))


def document(scenario: Scenario, as_of: date, schedule: str) -> dict[str, Any]:
    return results_document(calculate(scenario, as_of, SCHEDULES[schedule]))


MONEY_KEYS = ("amount", "entitlement", "claimed")
SECTION_KEYS = {
    "station_tiers": ("organisation", "year"),
    "transport": ("worker", "year"),
    "broker_rewards": ("organisation", "year"),
    "workshops": ("organisation",),
    "batches": ("batch",),
    "gig": ("organisation", "year"),
}


def due_by_row(results: dict[str, Any]) -> dict[tuple[Any, ...], float]:
    """What is due now for every row, keyed by section and the row's identity (broker rewards
    also per worker)."""
    due: dict[tuple[Any, ...], float] = {}
    for section, key_names in SECTION_KEYS.items():
        for row in results[section]:
            key = (section, *(row[name] for name in key_names))
            assert key not in due, f"two rows for {key}"
            due[key] = row["amount"]
            for worker in row.get("workers", ()):
                due[(*key, worker["worker"])] = worker["amount"]
    return due


def money_values(results: dict[str, Any]) -> Iterator[tuple[str, float]]:
    for section in SECTION_KEYS:
        for row in results[section]:
            for key in MONEY_KEYS:
                yield f"{section}.{key}", row[key]
            for worker in row.get("workers", ()):
                for key in MONEY_KEYS:
                    yield f"{section}.workers.{key}", worker[key]
            if row.get("next_tier"):
                yield f"{section}.next_tier.amount", row["next_tier"]["amount"]


# --- (1) never negative -----------------------------------------------------------------------


@SETTINGS
@given(scenario=scenarios(), as_of=as_of_days, schedule=schedule_names)
def test_no_amount_is_ever_negative(scenario: Scenario, as_of: date, schedule: str) -> None:
    results = document(scenario, as_of, schedule)
    for name, value in money_values(results):
        assert value >= 0, (name, value)
    for section in SECTION_KEYS:
        for row in results[section]:
            assert row["amount"] <= row["entitlement"], (section, row)
            if "count" in row:
                assert row["count"] >= 0


# --- (2) a claim never raises what is due -------------------------------------------------------


@st.composite
def scenario_and_extra_claim(draw: st.DrawFn) -> tuple[Scenario, Claim]:
    scenario = draw(scenarios())
    batch_ids = tuple(batch.id for batch in scenario.batches)
    row = draw(claim_row)
    return scenario, make_claim(row, scenario.workers, batch_ids, 999)


@SETTINGS
@given(case=scenario_and_extra_claim(), as_of=as_of_days, schedule=schedule_names)
def test_adding_a_claim_never_raises_what_is_due(
    case: tuple[Scenario, Claim], as_of: date, schedule: str
) -> None:
    scenario, extra = case
    before = due_by_row(document(scenario, as_of, schedule))
    after = due_by_row(
        document(replace(scenario, claims=(*scenario.claims, extra)), as_of, schedule)
    )
    for key, amount in after.items():
        assert amount <= before.get(key, 0), (key, before.get(key), amount, extra)
    # and every row due before is still listed (a claim does not make a row vanish)
    assert before.keys() <= after.keys()


# --- (3) order of the input lists changes nothing ----------------------------------------------


def shuffled(scenario: Scenario, rng: random.Random) -> Scenario:
    def mix(items: tuple[Any, ...]) -> tuple[Any, ...]:
        items = list(items)
        rng.shuffle(items)
        return tuple(items)

    return Scenario(
        organisations=mix(scenario.organisations),
        workers=mix(scenario.workers),
        placements=mix(scenario.placements),
        batches=mix(
            tuple(replace(batch, passengers=mix(batch.passengers)) for batch in scenario.batches)
        ),
        gig_records=mix(scenario.gig_records),
        claims=mix(scenario.claims),
    )


# No shrink phase here: shrinking a shuffle failure took ~100 s, far over this file's budget.
# The minimal cases it finds are pinned as plain examples below.
@settings(SETTINGS, phases=(Phase.explicit, Phase.reuse, Phase.generate))
@given(scenario=scenarios(), as_of=as_of_days, schedule=schedule_names, seed=st.integers(0, 2**32))
def test_order_of_the_input_lists_changes_nothing(
    scenario: Scenario, as_of: date, schedule: str, seed: int
) -> None:
    mixed = shuffled(scenario, random.Random(seed))
    assert document(mixed, as_of, schedule) == document(scenario, as_of, schedule)


# --- the order dependences the property can hit, pinned as examples ----------------------------

_PEOPLE = tuple(
    Worker(make_resident_id("640522", date(1980, 1, 1 + n), n), f"乘客{n}", "640522")
    for n in range(4)
)
_BROKER = (Organisation("B1", OrganisationKind.BROKER, "宏达劳务", "640521"),)


def _batch(passengers: tuple[Passenger, ...]) -> Scenario:
    return Scenario(
        organisations=_BROKER,
        workers=_PEOPLE,
        batches=(
            Batch(
                "C1",
                "B1",
                date(2025, 3, 1),
                "320506",
                BatchMode.TICKETS,
                passengers=passengers,
            ),
        ),
    )


def _both_orders(scenario: Scenario, attribute: str) -> tuple[dict[str, Any], dict[str, Any]]:
    if attribute == "passengers":
        batch = scenario.batches[0]
        reverse = replace(
            scenario, batches=(replace(batch, passengers=tuple(reversed(batch.passengers))),)
        )
    else:
        reverse = replace(scenario, **{attribute: tuple(reversed(getattr(scenario, attribute)))})
    as_of = date(2025, 12, 31)
    return document(scenario, as_of, "small"), document(reverse, as_of, "small")


def test_same_person_twice_on_a_manifest_is_paid_the_same_whatever_the_order() -> None:
    """One person listed twice on a ticket manifest, once with a receipt and once without:
    the fare reimbursed must not depend on which line comes first."""
    people = [person.id_number for person in _PEOPLE]
    scenario = _batch(
        (
            Passenger(people[0], 35050, "R-1"),
            Passenger(people[1], 35050, "R-2"),
            Passenger(people[2], 35050, "R-3"),
            Passenger(people[0], 0, None),
        )
    )
    forward, backward = _both_orders(scenario, "passengers")
    assert forward["batches"][0]["amount"] == backward["batches"][0]["amount"]


def test_passengers_without_receipt_are_named_the_same_whatever_the_order() -> None:
    people = [person.id_number for person in _PEOPLE]
    scenario = _batch(
        (
            Passenger(people[0], 35050, None),
            Passenger(people[1], 35050, "R-2"),
            Passenger(people[2], 35050, None),
            Passenger(people[3], 35050, "R-4"),
        )
    )
    forward, backward = _both_orders(scenario, "passengers")
    assert forward["batches"] == backward["batches"]


def test_two_claims_on_the_same_row_read_the_same_whatever_the_order() -> None:
    people = [person.id_number for person in _PEOPLE]
    scenario = replace(
        _batch(tuple(Passenger(number, 35050, f"R-{n}") for n, number in enumerate(people))),
        claims=(
            Claim(5, 30000, batch="C1", claim="2025-B1-001"),
            Claim(5, 20000, batch="C1", claim="2025-B1-002"),
            Claim(2, 20000, 2025, worker=people[0], claim="2025-T1-001"),
            Claim(2, 0, 2025, worker=people[0], claim="2025-T2-001"),
        ),
    )
    forward, backward = _both_orders(scenario, "claims")
    assert forward == backward


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        ("shipped", {"transport"}),  # the shipped thresholds are beyond small scenarios
        ("small", {*SECTION_KEYS, "conflicts"}),
    ],
)
def test_the_generators_reach_paying_rows(schedule: str, expected: set[str]) -> None:
    """Guards the properties against vacuity: generated scenarios do produce money (and
    conflicts) in every section the schedule makes reachable."""
    seen: set[str] = set()

    @settings(max_examples=150, deadline=None, database=None, derandomize=True)
    @given(scenario=scenarios(), as_of=as_of_days)
    def collect(scenario: Scenario, as_of: date) -> None:
        results = document(scenario, as_of, schedule)
        for section in SECTION_KEYS:
            if any(row["amount"] > 0 for row in results[section]):
                seen.add(section)
        if results["conflicts"]:
            seen.add("conflicts")

    collect()
    assert expected <= seen, expected - seen


def test_placements_mentioned_in_their_start_year_read_the_same_whatever_the_order() -> None:
    """Two jobs starting in 2025 that reach 6 months in 2026 are mentioned in the 2025 row:
    the order of those sentences must not follow the order of the input list."""
    person = _PEOPLE[0]

    def job(identifier: str, start: date) -> Placement:
        return Placement(
            identifier,
            person.id_number,
            None,
            "320506",
            start,
            verified_through=date(2026, 12, 31),
            contract=True,
            social_insurance=True,
        )

    scenario = Scenario(
        workers=(person,),
        placements=(job("P1", date(2025, 10, 10)), job("P2", date(2025, 9, 10))),
    )
    forward, backward = _both_orders(scenario, "placements")
    assert forward["transport"] == backward["transport"]
