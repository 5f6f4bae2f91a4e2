"""SubsidyService over a real station database: summary, worklist, rows and filters (no Qt)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.services.station_builders import AS_OF, station_database
from zwdesk.services.station_service import StationService
from zwdesk.services.subsidy_labels import format_money
from zwdesk.services.subsidy_service import SubsidyService, filter_rows
from zwdesk.storage.database import StationDatabase


@pytest.fixture
def database(tmp_path: Path) -> Iterator[StationDatabase]:
    database = station_database(tmp_path / "station.db", stable=199, awaiting=3)
    yield database
    database.close()


def test_money_is_shown_in_yuan_with_fen() -> None:
    assert format_money(4_000_000) == "40,000.00 元"
    assert format_money(12_345) == "123.45 元"


def test_summary_counts_the_station_and_names_the_next_tier(database: StationDatabase) -> None:
    overview = SubsidyService(database).overview(AS_OF)
    summary = overview.summary
    assert summary.organisation is not None and summary.organisation.id == "T1"
    (item,) = summary.items
    assert (item.item, item.count, item.amount) == (1, 199, 0)
    assert (item.next_threshold, item.missing, item.status) == (200, 1, "未达200人档")
    assert item.thresholds == (200, 300, 400, 500)
    assert summary.headline == "确认这1人在岗（5月31日前满期）即可达到200人档"


def test_targets_are_shares_of_our_workers_this_year(database: StationDatabase) -> None:
    targets = {t.label: t for t in SubsidyService(database).overview(AS_OF).summary.targets}
    organised = targets["有组织输出"]
    assert (organised.numerator, organised.denominator, organised.met) == (202, 202, True)
    assert targets["外出就业（区内县外＋区外）"].actual == 1.0
    stable = targets["稳定就业3个月以上"]
    assert (stable.numerator, stable.denominator, stable.target) == (199, 202, 0.8)
    assert targets["稳定就业6个月以上"].denominator == 0  # 2025-08-31 has not come yet
    assert targets["稳定就业6个月以上"].actual is None


def test_worklist_puts_the_placement_that_unlocks_the_tier_first(
    database: StationDatabase,
) -> None:
    worklist = SubsidyService(database).overview(AS_OF).worklist
    assert [entry.placement for entry in worklist] == ["P200", "P201", "P202"]
    first = worklist[0]
    assert (first.value, first.item, first.months) == (4_000_000, 1, 3)
    assert first.qualifies_on == date(2025, 5, 31)
    assert first.status(AS_OF) == "已满期，待回访"
    assert worklist[1].value == 2_000_000  # … towards 300 (60,000 − 40,000)
    far = SubsidyService(database).overview(date(2025, 4, 1)).worklist
    assert far == ()  # 2025-05-31 is more than a month away


def test_a_follow_up_moves_the_count_and_the_cache_notices(database: StationDatabase) -> None:
    service = SubsidyService(database)
    before = service.overview(AS_OF)
    assert service.overview(AS_OF) is before  # nothing changed: computed once
    StationService(database, actor="李经办").record_follow_up(
        "P200", AS_OF, "电话", "在岗", today=AS_OF
    )
    after = service.overview(AS_OF)
    (item,) = after.summary.items
    assert (item.count, item.amount, item.status) == (200, 4_000_000, "已达200人档")
    assert [entry.placement for entry in after.worklist] == ["P201", "P202"]
    assert service.overview(AS_OF + timedelta(days=1)).as_of == AS_OF + timedelta(days=1)


def test_rows_flatten_every_item_and_filter_by_item_and_year(
    database: StationDatabase,
) -> None:
    rows = SubsidyService(database).overview(AS_OF).rows
    station_rows = filter_rows(rows, item=1)
    assert [(r.item_name, r.year, r.who) for r in station_rows] == [
        ("第一项", 2025, "海原县驻苏州劳务工作站")
    ]
    assert station_rows[0].explanation[0].startswith("第一项")
    assert filter_rows(rows, item=1, year=2026) == []
    assert {row.item for row in filter_rows(rows)} <= {1, 2, 3, 4, 5, 6}


def test_no_station_profile_says_so(tmp_path: Path) -> None:
    from zwdesk.storage.database import open_station_database

    with open_station_database(tmp_path / "empty.db") as empty:
        summary = SubsidyService(empty).overview(AS_OF).summary
    assert summary.items == () and "尚未设置本站信息" in summary.headline
