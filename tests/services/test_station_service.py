"""Station operations: checked input, one transaction each, an audit entry, nothing on failure."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from zwdesk.domain.model import FollowUpResult, Organisation, OrganisationKind, TargetGroup
from zwdesk.domain.resident_id import make_resident_id
from zwdesk.services.station_service import StationInputError, StationService
from zwdesk.storage.database import StationDatabase, open_station_database
from zwdesk.storage.organisation_repository import OrganisationRepository
from zwdesk.storage.placement_repository import PlacementRepository

ID1 = make_resident_id("640522", date(1985, 5, 5), 11)
ID2 = make_resident_id("640521", date(1990, 1, 2), 22)
TODAY = date(2025, 12, 31)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[StationDatabase]:
    with open_station_database(tmp_path / "station.db") as opened:
        with opened.transaction("建站"):
            OrganisationRepository(opened).set_station_profile(
                Organisation("T1", OrganisationKind.STATION, "驻苏州站", "640522")
            )
        yield opened


@pytest.fixture
def service(database: StationDatabase) -> StationService:
    return StationService(database, actor="李经办")


def dump(database: StationDatabase) -> list[str]:
    return list(database.connection.iterdump())


def audit_rows(database: StationDatabase) -> list[tuple[str, str, str]]:
    return database.connection.execute(
        "SELECT actor, operation, table_name FROM audit_log WHERE actor <> '建站' ORDER BY id"
    ).fetchall()


def test_add_edit_find_delete_worker(service: StationService, database: StationDatabase) -> None:
    added = service.add_worker(
        f" {ID1.lower()} ", "马小花", "640522", rural=True, groups=["poverty_relieved"]
    )
    assert added.id_number == ID1 and added.groups == {TargetGroup.POVERTY_RELIEVED}
    edited = service.edit_worker(ID1, phone="139 0000 0000", resident_county="640502")
    assert edited.phone == "139 0000 0000" and edited.name == "马小花"
    assert service.find_workers(ID1[:10]) == [edited]
    assert service.find_workers("马小") == [edited]
    service.delete_worker(ID1)
    assert service.find_workers("马") == []
    assert audit_rows(database) == [
        ("李经办", "insert", "workers"),
        ("李经办", "update", "workers"),
        ("李经办", "delete", "workers"),
    ]


BAD_WORKERS = [
    ({"id_number": "64052219850505001"}, "身份证号", "18位"),
    ({"id_number": ID1[:17] + ("0" if ID1[17] != "0" else "1")}, "身份证号", "校验位"),
    ({"name": " "}, "姓名", "不能为空"),
    ({"hukou_county": "999999"}, "户籍所在县", "不存在"),
    ({"hukou_county": "6405"}, "户籍所在县", "6位"),
    ({"resident_county": "12"}, "常住县", "6位"),
    ({"groups": ["rich"]}, "重点群体", "rich"),
    ({"phone": "call me"}, "联系电话", "数字"),
]


@pytest.mark.parametrize(("changes", "field", "reason"), BAD_WORKERS)
def test_bad_worker_names_the_field_and_writes_nothing(
    service: StationService,
    database: StationDatabase,
    changes: dict[str, object],
    field: str,
    reason: str,
) -> None:
    before = dump(database)
    values: dict[str, object] = {"id_number": ID1, "name": "马小花", "hukou_county": "640522"}
    values.update(changes)
    with pytest.raises(StationInputError, match=reason) as caught:
        service.add_worker(**values)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert dump(database) == before


def test_duplicate_and_unknown_workers(service: StationService, database: StationDatabase) -> None:
    service.add_worker(ID1, "马小花", "640522")
    before = dump(database)
    with pytest.raises(StationInputError, match="已登记") as caught:
        service.add_worker(ID1, "别人", "640521")
    assert ID1 not in str(caught.value)  # never the whole number in a message
    with pytest.raises(StationInputError, match="未登记"):
        service.edit_worker(ID2, name="无此人")
    with pytest.raises(StationInputError, match="未登记"):
        service.delete_worker(ID2)
    assert dump(database) == before


def test_placement_and_follow_ups(service: StationService, database: StationDatabase) -> None:
    service.add_worker(ID1, "马小花", "640522", rural=True)
    placement = service.add_placement(
        ID1, "320506", date(2025, 3, 1), organiser="T1", employer="某电子厂", monthly_wage=420000
    )
    assert placement.id  # a generated code when none is given
    service.record_follow_up(placement.id, date(2025, 6, 30), "电话", "在岗", today=TODAY)
    service.record_follow_up(placement.id, date(2025, 9, 30), "社保记录", "在岗", today=TODAY)
    left = service.record_follow_up(
        placement.id, date(2025, 10, 15), "用工单位确认", FollowUpResult.LEFT, today=TODAY
    )
    assert left.who == "李经办"
    stored = service.find_workers(ID1)[0]
    assert stored.name == "马小花"
    reloaded = PlacementRepository(database).get(placement.id)
    assert reloaded is not None and reloaded.verified_through == date(2025, 9, 30)
    with pytest.raises(StationInputError, match="就业记录"):
        service.delete_worker(ID1)  # still has a placement
    service.delete_placement(placement.id)
    service.delete_worker(ID1)


BAD_PLACEMENTS = [
    ({"worker": ID2}, "人员身份证号", "未登记"),
    ({"work_county": "000000"}, "务工地", "不存在"),
    ({"organiser": "X1"}, "组织者", "X1"),
    ({"end": date(2025, 2, 1)}, "结束日期", "早于开始日期"),
    (
        {"contract_start": date(2025, 3, 1), "contract_end": date(2025, 1, 1)},
        "合同结束日期",
        "早于",
    ),
    ({"monthly_wage": -1}, "月工资", "负"),
]


@pytest.mark.parametrize(("changes", "field", "reason"), BAD_PLACEMENTS)
def test_bad_placement_names_the_field_and_writes_nothing(
    service: StationService,
    database: StationDatabase,
    changes: dict[str, object],
    field: str,
    reason: str,
) -> None:
    service.add_worker(ID1, "马小花", "640522")
    before = dump(database)
    values: dict[str, object] = {
        "worker": ID1,
        "work_county": "320506",
        "start": date(2025, 3, 1),
        "organiser": "T1",
    }
    values.update(changes)
    with pytest.raises(StationInputError, match=reason) as caught:
        service.add_placement(**values)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert dump(database) == before


def test_duplicate_placement_and_bad_follow_ups(
    service: StationService, database: StationDatabase
) -> None:
    service.add_worker(ID1, "马小花", "640522")
    placement = service.add_placement(ID1, "320506", date(2025, 3, 1), employer="厂", code="P1")
    before = dump(database)
    with pytest.raises(StationInputError, match="已存在"):
        service.add_placement(ID1, "320506", date(2025, 3, 1), employer="厂")
    with pytest.raises(StationInputError, match="已被使用"):
        service.add_placement(ID1, "320506", date(2025, 4, 1), code="P1")
    cases = [
        ((placement.id, date(2025, 2, 1), "电话", "在岗"), "回访日期"),
        ((placement.id, date(2026, 2, 1), "电话", "在岗"), "回访日期"),
        ((placement.id, date(2025, 5, 1), "微信", "在岗"), "回访方式"),
        ((placement.id, date(2025, 5, 1), "电话", "还行"), "回访结果"),
        (("P404", date(2025, 5, 1), "电话", "在岗"), "就业记录"),
    ]
    for arguments, field in cases:
        with pytest.raises(StationInputError) as caught:
            service.record_follow_up(*arguments, today=TODAY)
        assert caught.value.field == field
    assert dump(database) == before
