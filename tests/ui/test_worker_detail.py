"""The detail pane's change history reads as the forms do: Chinese labels, 元, county names."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from zwdesk.domain.resident_id import make_resident_id
from zwdesk.services.demo_service import create_demo_database
from zwdesk.services.station_service import StationService
from zwdesk.services.worker_browser_service import AuditEntry, WorkerBrowserService
from zwdesk.storage.database import StationDatabase, open_station_database
from zwdesk.ui.worker_detail import _change, dossier_html


@pytest.fixture
def database(tmp_path: Path) -> Iterator[StationDatabase]:
    path = tmp_path / "station.db"
    create_demo_database(path, today=date(2025, 12, 31))
    with open_station_database(path) as opened:
        yield opened


def test_a_real_edit_shows_labels_and_county_names(database: StationDatabase) -> None:
    station = StationService(database, "李经办")
    number = make_resident_id("640502", date(1990, 5, 5), 17)
    station.add_worker(number, "历史测试", "640502", phone="13800000000")
    station.edit_worker(number, hukou_county="640522", rural=True, groups=["graduate"])
    dossier = WorkerBrowserService(database).dossier(number)
    assert dossier is not None
    html = dossier_html(dossier)
    assert "户籍所在县：宁夏回族自治区沙坡头区 → 宁夏回族自治区海原县" in html
    assert "农村户籍：否 → 是" in html
    assert "重点群体：无 → 毕业年度及离校2年内未就业高校毕业生" in html
    assert "hukou_county" not in html and "change_number" not in html


def test_money_in_yuan_and_no_foreign_key_ids() -> None:
    entry = AuditEntry(
        at="2025-12-31T02:00:00+00:00",
        actor="窗口:li",
        operation="update",
        table="placements",
        record_uuid="x" * 36,
        old={"monthly_wage_fen": 420000, "worker_id": 3, "organiser_id": 1, "end_date": None},
        new={"monthly_wage_fen": 450050, "worker_id": 5, "organiser_id": 2, "end_date": "2025-12"},
    )
    assert _change(entry) == ("月工资：4,200.00 元 → 4,500.50 元；结束日期：（空） → 2025-12")


def test_claims_name_the_item_as_everywhere_else(database: StationDatabase) -> None:
    browser = WorkerBrowserService(database)
    with_claims = next(
        dossier
        for row in browser.search("").next_page(300)
        if (dossier := browser.dossier(row.id_number)) is not None and dossier.claims
    )
    html = dossier_html(with_claims)
    assert "第一项" in html or "第二项" in html
    assert "第1项" not in html and "第2项" not in html
