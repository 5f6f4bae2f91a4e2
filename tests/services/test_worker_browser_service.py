"""The workers page's reads: index-backed paged searches and one worker's dossier."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from zwdesk.domain.resident_id import make_resident_id
from zwdesk.services.demo_service import create_demo_database
from zwdesk.services.station_service import StationService
from zwdesk.services.worker_browser_service import WorkerBrowserService, search_segments
from zwdesk.storage.database import StationDatabase, open_station_database


@pytest.fixture
def database(tmp_path: Path) -> Iterator[StationDatabase]:
    path = tmp_path / "station.db"
    create_demo_database(path, today=date(2025, 12, 31))
    with open_station_database(path) as opened:
        yield opened


def test_search_text_chooses_the_index() -> None:
    assert [s.kind for s in search_segments("")] == ["all"]
    assert [s.kind for s in search_segments("马")] == ["name"]
    assert [s.kind for s in search_segments("640522")] == ["id_number", "phone"]
    assert [s.kind for s in search_segments("６４０５２２１９７５０１０１０００ｘ")] == [
        "id_number"
    ]


def test_pages_cover_every_worker_once_in_order(database: StationDatabase) -> None:
    browser = WorkerBrowserService(database)
    pager = browser.search("")
    seen: list[str] = []
    while not pager.exhausted:
        seen += [row.id_number for row in pager.next_page(40)]
    assert len(seen) == len(set(seen)) == pager.total() == 271


def test_name_prefix_and_id_prefix(database: StationDatabase) -> None:
    browser = WorkerBrowserService(database)
    names = [row.name for row in browser.search("马").next_page(500)]
    assert names and all(name.startswith("马") for name in names)
    ids = [row.id_number for row in browser.search("640521").next_page(500)]
    assert ids and all(number.startswith("640521") for number in ids)
    assert [r.name for r in browser.search("640522197501010001").next_page(5)] == ["刘军兰"]


def test_phone_search_finds_the_worker(database: StationDatabase) -> None:
    number = make_resident_id("640522", date(1990, 5, 6), 17)
    StationService(database).add_worker(number, "测试人", "640522", phone="13912345678")
    browser = WorkerBrowserService(database)
    pager = browser.search("139123")
    assert [row.id_number for row in pager.next_page(10)] == [number]
    assert pager.total() == 1


def test_dossier_has_placements_follow_ups_and_history(database: StationDatabase) -> None:
    browser = WorkerBrowserService(database)
    dossier = browser.dossier("640522197602020014")
    assert dossier is not None
    assert dossier.placements and dossier.placements[0].follow_ups
    assert {entry.table for entry in dossier.history} >= {"workers", "placements"}


def test_inline_checks_say_why_in_chinese(database: StationDatabase) -> None:
    browser = WorkerBrowserService(database)
    problem = browser.id_number_problem("640522197501010002", new_worker=True)
    assert problem is not None and "校验位错误：末位应为" in problem
    registered = browser.id_number_problem("640522197501010001", new_worker=True)
    assert registered is not None and "已登记" in registered
    assert browser.county_problem("999999") == "行政区划代码999999不存在"
    assert browser.date_order_problem(date(2025, 3, 1), date(2025, 2, 1)) is not None
