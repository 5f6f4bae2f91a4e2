"""The city-wide analysis over real stations: bundles built by the stations' sync service, taken
in by the city's intake, merged into one person per ID number, and the conflicts no single
station can see — with stable keys, masked messages and resolutions that survive a refresh."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.city.merged_city import (
    SHENZHEN,
    YEAR_END,
    CityUnderTest,
    broker,
    id_number,
    job,
    own_keyring,
    renamed,
    scenario,
    station_org,
    worker,
)
from zwdesk.city.analysis import (
    ITEM2_DOUBLE_CLAIM,
    ITEM2_OVERLAP,
    ITEMS_1_3,
    PLACEMENT_DOUBLE_CLAIM,
    PLACEMENT_OVERLAP,
    analyse,
    person_key,
    refresh_conflicts,
)
from zwdesk.city.city_view import build_city_view, view_from_records
from zwdesk.city.records import (
    CONFLICT_GONE,
    CONFLICT_OPEN,
    CONFLICT_RESOLVED,
    ConflictRow,
    MergedRecord,
    RecordRef,
)
from zwdesk.domain.privacy import mask_id_number
from zwdesk.services.policy_files import default_schedule
from zwdesk.storage.database import open_station_database

W1, W2 = worker(1, "张一花"), worker(2, "李二明")
FULL_ID = re.compile(r"\d{17}[\dX]")


def uuid_of(city: CityUnderTest, station: str, table: str, code: str) -> str:
    column = "number" if table == "claim_batches" else "code"
    with open_station_database(city.stations[station]) as database:
        row = database.connection.execute(
            f"SELECT uuid FROM {table} WHERE {column} = ?", (code,)
        ).fetchone()
    return str(row[0])


def of_kind(rows: list[ConflictRow], kind: str) -> list[ConflictRow]:
    return [row for row in rows if row.conflict.kind == kind]


def no_full_ids(rows: list[ConflictRow]) -> None:
    for row in rows:
        assert not FULL_ID.search(row.conflict.message), row.conflict.message
        assert not FULL_ID.search(row.conflict.key)


# -- two stations, two people, item 2 ----------------------------------------------------------
@pytest.fixture
def two_stations(tmp_path: Path, city_target: str) -> Iterator[CityUnderTest]:
    """W1 and W2 each have a qualifying 2025 job at T1 (Suzhou) and another at T2 (Shenzhen);
    the city database is SQLite or PostgreSQL (`city_target`)."""
    city = CityUnderTest(tmp_path, city_target)
    t1_jobs = [
        job("P1", W1, "T1", date(2025, 1, 10), verified=date(2025, 8, 1)),
        job("P2", W2, "T1", date(2025, 1, 10), verified=date(2025, 8, 1)),
    ]
    t2_jobs = [
        job(
            "Q1",
            W1,
            "T2",
            date(2025, 2, 1),
            county=SHENZHEN,
            employer="深圳某科技公司",
            verified=date(2025, 9, 1),
        ),
        job(
            "Q2",
            W2,
            "T2",
            date(2025, 2, 1),
            county=SHENZHEN,
            employer="深圳某科技公司",
            verified=date(2025, 9, 1),
        ),
    ]
    city.add_station("T1", scenario([station_org("T1")], [W1, W2], t1_jobs))
    city.add_station("T2", scenario([station_org("T2")], [renamed(W1, "张壹花"), W2], t2_jobs))
    yield city
    city.close()


def test_a_person_at_two_stations_is_one_person_whose_jobs_keep_their_station(
    two_stations: CityUnderTest,
) -> None:
    city = two_stations
    city.send()
    view = build_city_view(city.database.live_records)
    assert sorted(w.id_number for w in view.scenario.workers) == sorted(
        [W1.id_number, W2.id_number]
    )
    refs = view.person_records[W1.id_number]
    assert {ref.station_id for ref in refs} == {"T1", "T2"}
    assert view.shared_persons == 2
    # The newest worker record speaks for the person (T2 registered 张壹花 after T1).
    merged = next(w for w in view.scenario.workers if w.id_number == W1.id_number)
    assert merged.name == "张壹花"
    # Both jobs are the person's, each with the station and record it came from.
    jobs = sorted(p.id for p in view.scenario.placements if p.worker == W1.id_number)
    assert jobs == ["T1/P1", "T2/Q1"]
    assert view.placements["T2/Q1"].ref == RecordRef(
        "T2", "placements", uuid_of(city, "T2", "placements", "Q1")
    )
    # The station's own code 本站-style clashes cannot merge organisations across stations.
    assert {o.id for o in view.scenario.organisations} == {"T1/T1", "T2/T2"}


def test_item_2_claimed_by_two_stations_in_one_year_is_one_conflict_naming_both_claims(
    two_stations: CityUnderTest,
) -> None:
    city = two_stations
    t1_claim, t1_uuid = city.claim("T1", 2, "T1")
    t2_claim, t2_uuid = city.claim("T2", 2, "T2")
    city.send()
    summary = refresh_conflicts(city.database, as_of=YEAR_END)
    assert summary.found == {ITEM2_DOUBLE_CLAIM: 2}
    rows = city.database.conflicts(CONFLICT_OPEN)
    doubles = [
        row
        for row in of_kind(rows, ITEM2_DOUBLE_CLAIM)
        if person_key(W1.id_number) in row.conflict.key
    ]
    assert len(doubles) == 1
    conflict = doubles[0].conflict
    assert conflict.year == 2025
    assert set(conflict.refs) == {
        RecordRef("T1", "claim_batches", t1_uuid),
        RecordRef("T2", "claim_batches", t2_uuid),
    }
    message = conflict.message
    assert message.startswith("第二项：同一人（张*花，身份证号 ")
    assert mask_id_number(W1.id_number) in message
    assert "由 T1 和 T2 两个站点分别申领" in message
    assert t1_claim.number in message and t2_claim.number in message
    assert "800元" in message
    no_full_ids(rows)
    # Each station is told about its own claim (the notices travel with its next receipt).
    notices = city.database.open_notices("T1")
    assert {(n.table, n.uuid) for n in notices} == {("claim_batches", t1_uuid)}
    assert len(notices) == 2  # one per person the claim pays twice


def test_before_anyone_claims_two_stations_get_a_hint_which_a_claim_updates(
    two_stations: CityUnderTest,
) -> None:
    city = two_stations
    city.send()
    refresh_conflicts(city.database, as_of=YEAR_END)
    hints = of_kind(city.database.conflicts(CONFLICT_OPEN), ITEM2_OVERLAP)
    assert len(hints) == 2
    hint = next(row for row in hints if person_key(W1.id_number) in row.conflict.key)
    assert {ref.table for ref in hint.conflict.refs} == {"placements"}
    assert {ref.station_id for ref in hint.conflict.refs} == {"T1", "T2"}
    assert "第二项（提示）" in hint.conflict.message and "就业记录 P1" in hint.conflict.message

    frozen, uuid = city.claim("T1", 2, "T1")
    city.send("T1")
    refresh_conflicts(city.database, as_of=YEAR_END)
    again = city.database.conflict(hint.conflict.key)
    assert again is not None and again.state == CONFLICT_OPEN  # same key: one hint, updated
    assert f"已申领（T1 的 T1驻外劳务工作站：申领单 {frozen.number}" in again.conflict.message
    assert "其他站点请勿再申领" in again.conflict.message
    assert RecordRef("T1", "claim_batches", uuid) in again.conflict.refs


def test_item_2_in_different_years_is_no_conflict(tmp_path: Path) -> None:
    city = CityUnderTest(tmp_path)
    city.add_station(
        "T1",
        scenario(
            [station_org("T1")],
            [W1],
            [job("P1", W1, "T1", date(2025, 1, 10), verified=date(2025, 8, 1))],
        ),
    )
    # Starts in August: six months are reached on 2026-01-31, so it pays for 2026.
    city.add_station(
        "T2",
        scenario(
            [station_org("T2")],
            [W1],
            [job("Q1", W1, "T2", date(2025, 8, 1), county=SHENZHEN, verified=date(2026, 2, 15))],
        ),
    )
    city.claim("T1", 2, "T1", year=2025)
    city.claim("T2", 2, "T2", year=2026, as_of=date(2026, 3, 31))
    city.send()
    summary = refresh_conflicts(city.database, as_of=date(2026, 3, 31))
    assert summary.found == {}
    assert city.database.conflicts() == []


def test_a_resolution_survives_a_refresh_and_a_cancelled_claim_lets_its_conflict_go(
    two_stations: CityUnderTest,
) -> None:
    city = two_stations
    city.claim("T1", 2, "T1")
    t2_claim, _uuid = city.claim("T2", 2, "T2")
    city.send()
    refresh_conflicts(city.database, as_of=YEAR_END)
    rows = of_kind(city.database.conflicts(), ITEM2_DOUBLE_CLAIM)
    first = next(row for row in rows if person_key(W1.id_number) in row.conflict.key)
    second = next(row for row in rows if person_key(W2.id_number) in row.conflict.key)
    city.database.resolve_conflict(first.conflict.key, "由T1申领；T2的申领单退回", "市人社局王科长")

    keys = {row.conflict.key for row in city.database.conflicts()}
    refresh_conflicts(city.database, as_of=YEAR_END)
    assert {row.conflict.key for row in city.database.conflicts()} == keys  # stable keys
    kept = city.database.conflict(first.conflict.key)
    assert kept is not None and kept.state == CONFLICT_RESOLVED
    assert kept.resolution == "由T1申领；T2的申领单退回" and kept.resolved_by == "市人社局王科长"
    assert city.database.open_notices("T2") and all(
        n.message != first.conflict.message for n in city.database.open_notices("T2")
    )

    # T2 cancels its claim (both people): the open conflict is gone, the resolved one stays.
    city.cancel("T2", t2_claim.number)
    city.send("T2")
    summary = refresh_conflicts(city.database, as_of=YEAR_END)
    assert ITEM2_DOUBLE_CLAIM not in summary.found
    gone = city.database.conflict(second.conflict.key)
    assert gone is not None and gone.state == CONFLICT_GONE
    resolved = city.database.conflict(first.conflict.key)
    assert resolved is not None and resolved.state == CONFLICT_RESOLVED
    # What T2 is told now: T1 has claimed for both people, do not claim again.
    notices = city.database.open_notices("T2")
    assert {n.table for n in notices} == {"placements"} and len(notices) == 2
    assert all("其他站点请勿再申领" in n.message for n in notices)


# -- items 1 and 3, one job by two organisers (real thresholds: 200 and 20 people) ------------
STATION_WORKERS = [worker(1000 + n) for n in range(200)]
T1_BROKER_WORKERS = STATION_WORKERS[:20]  # also in T1's own station count: T1 sees that itself
SHARED = STATION_WORKERS[100]  # counted by T1 (station) and by T2's broker B2
T2_BROKER_WORKERS = [SHARED, *(worker(2000 + n) for n in range(19))]


@pytest.fixture(scope="module")
def big_city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CityUnderTest]:
    with own_keyring():
        city = CityUnderTest(tmp_path_factory.mktemp("big-city"))
        station_jobs = [
            job(f"P{n}", who, "T1", date(2025, 1, 6), verified=date(2025, 5, 1))
            for n, who in enumerate(STATION_WORKERS)
        ]
        # B1 (T1's partner): worker 0 in the very same factory as T1's job, the others elsewhere.
        b1_jobs = [
            job(
                f"B{n}",
                who,
                "B1",
                date(2025, 2, 1),
                employer="苏州某电子厂" if n == 0 else "苏州某服装厂",
                verified=date(2025, 6, 1),
            )
            for n, who in enumerate(T1_BROKER_WORKERS)
        ]
        city.add_station(
            "T1",
            scenario([station_org("T1"), broker("B1")], STATION_WORKERS, [*station_jobs, *b1_jobs]),
        )
        # T2's broker B2 placed the SHARED worker in the same factory two days later.
        b2_jobs = [
            job(f"Q{n}", who, "B2", date(2025, 1, 8), verified=date(2025, 5, 1))
            for n, who in enumerate(T2_BROKER_WORKERS)
        ]
        city.add_station("T2", scenario([broker("B2")], T2_BROKER_WORKERS, b2_jobs))
        city.claim("T1", 1, "T1")
        city.claim("T1", 3, "B1")
        city.claim("T2", 3, "B2")
        city.send()
        refresh_conflicts(city.database, as_of=YEAR_END)
        yield city


def test_items_1_and_3_across_stations_are_one_conflict_per_person_and_year(
    big_city: CityUnderTest,
) -> None:
    rows = of_kind(big_city.database.conflicts(), ITEMS_1_3)
    assert len(rows) == 1  # not the 20 B1 workers: T1 sees its own station and broker
    conflict = rows[0].conflict
    assert conflict.key.startswith(f"items13:{person_key(SHARED.id_number)}:2025:")
    assert conflict.year == 2025
    assert "T1 的 T1驻外劳务工作站 的第一项" in conflict.message
    assert "T2 的 B2劳务中介 第三项" in conflict.message
    assert mask_id_number(SHARED.id_number) in conflict.message
    assert "（就业记录：T1 P100、T2 Q0）" in conflict.message
    refs = set(conflict.refs)
    assert RecordRef("T1", "placements", uuid_of(big_city, "T1", "placements", "P100")) in refs
    assert RecordRef("T2", "placements", uuid_of(big_city, "T2", "placements", "Q0")) in refs
    assert {ref.table for ref in refs} == {"placements", "claim_batches"}  # and both claims
    assert "已申领" in conflict.message
    no_full_ids(big_city.database.conflicts())


def test_one_job_organised_and_claimed_by_two_organisers(big_city: CityUnderTest) -> None:
    rows = of_kind(big_city.database.conflicts(), PLACEMENT_DOUBLE_CLAIM)
    by_person = {
        person: [row for row in rows if person_key(person) in row.conflict.key]
        for person in (SHARED.id_number, STATION_WORKERS[0].id_number)
    }
    assert len(rows) == 2
    # Two stations: T1's station counted the job for item 1, T2's broker claimed item 3 on it.
    [across] = by_person[SHARED.id_number]
    placements = {ref for ref in across.conflict.refs if ref.table == "placements"}
    assert placements == {
        RecordRef("T1", "placements", uuid_of(big_city, "T1", "placements", "P100")),
        RecordRef("T2", "placements", uuid_of(big_city, "T2", "placements", "Q0")),
    }
    assert "苏州某电子厂" in across.conflict.message and "双方都已申领" in across.conflict.message
    # Two organisations of one station: T1's station and its partner B1, same factory.
    [within] = by_person[STATION_WORKERS[0].id_number]
    assert {ref.station_id for ref in within.conflict.refs} == {"T1"}
    assert "T1 的 B1劳务中介组织的就业记录 B0" in within.conflict.message
    # The same person's item 2 is one job's, so no separate item-2 hint repeats it.
    hints = of_kind(big_city.database.conflicts(), ITEM2_OVERLAP)
    assert not [row for row in hints if person_key(SHARED.id_number) in row.conflict.key]


def test_a_job_recorded_twice_but_not_claimed_twice_is_a_hint(tmp_path: Path) -> None:
    city = CityUnderTest(tmp_path)
    who = worker(7)
    city.add_station(
        "T1", scenario([station_org("T1")], [who], [job("P1", who, "T1", date(2025, 3, 1))])
    )
    city.add_station(
        "T2",
        scenario(
            [broker("B9")],
            [who],
            # Same factory (spelt with a space), overlapping; and an unrelated later job.
            [
                job(
                    "Q1",
                    who,
                    "B9",
                    date(2025, 3, 4),
                    employer="苏州某 电子厂",
                    end=date(2025, 4, 1),
                ),
                job("Q2", who, "B9", date(2025, 6, 1), employer="苏州某电子厂"),
            ],
        ),
    )
    city.send()
    refresh_conflicts(city.database, as_of=YEAR_END)
    rows = city.database.conflicts()
    hints = of_kind(rows, PLACEMENT_OVERLAP)
    assert len(hints) == 2  # P1 is still running when Q2 starts: both overlap it
    assert not of_kind(rows, PLACEMENT_DOUBLE_CLAIM)
    first = next(row for row in hints if "就业记录 Q1" in row.conflict.message)
    assert "请核实实际组织者" in first.conflict.message
    assert {ref.station_id for ref in first.conflict.refs} == {"T1", "T2"}


def test_conflict_keys_and_messages_carry_no_id_number(two_stations: CityUnderTest) -> None:
    city = two_stations
    city.claim("T1", 2, "T1")
    city.claim("T2", 2, "T2")
    city.send()
    refresh_conflicts(city.database, as_of=YEAR_END)
    rows = city.database.conflicts()
    assert rows
    no_full_ids(rows)
    for row in rows:
        assert W1.id_number not in row.conflict.key and id_number(1) not in row.conflict.message


def test_records_a_station_should_not_have_sent_are_left_out_and_counted() -> None:
    """A bundle is the station's word: a record whose parent is missing or whose field is
    malformed is left out of the city's view (and said so), never a crash of the analysis."""

    def record(table: str, uuid: str, **data: object) -> MergedRecord:
        return MergedRecord("T1", table, uuid, data)

    records = [
        record("organisations", "o1", code="T1", kind="station", name="T1站", county="640522"),
        record("organisations", "o2", code="X", kind="no-such-kind", name="?", county=None),
        record(
            "workers",
            "w1",
            id_number=W1.id_number,
            name="张一花",
            hukou_county="640522",
            rural=1,
            groups="[]",
            updated_at="2025-01-01",
        ),
        record("workers", "w2", id_number=12345, name="?", hukou_county="640522"),
        record(
            "placements",
            "p1",
            code="P1",
            worker_uuid="w1",
            organiser_uuid="o1",
            work_county="320506",
            start_date="2025-01-10",
        ),
        record(
            "placements",
            "p2",
            code="P2",
            worker_uuid="gone",
            organiser_uuid="o1",
            work_county="320506",
            start_date="2025-01-10",
        ),
        record("placements", "p3", code="P3", worker_uuid="w1", start_date="2025-02-30"),
        record(
            "batches",
            "b1",
            code="C1",
            organiser_uuid="deleted",
            departure="2025-02-01",
            destination_county="650102",
            mode="charter",
            charter_cost_fen=100,
        ),
        record(
            "gig_records",
            "g1",
            organisation_uuid="deleted",
            worker_id_number=W1.id_number,
            date="2025-03-01",
        ),
    ]
    view = view_from_records(records)
    assert [p.id for p in view.scenario.placements] == ["T1/P1"]
    assert view.scenario.batches == () and view.scenario.gig_records == ()
    assert view.skipped == {
        "组织：字段缺失或格式有误": 1,
        "人员：字段缺失或格式有误": 1,
        "就业记录：所属人员不在（已删除或未同步）": 1,
        "就业记录：字段缺失或格式有误": 1,
        "批次：组织者不在（已删除或未同步）": 1,
        "零工记录：所属组织不在（已删除或未同步）": 1,
    }
    analysis = analyse(view, default_schedule(), YEAR_END)  # the engine runs on what is left
    assert analysis.conflicts == ()
