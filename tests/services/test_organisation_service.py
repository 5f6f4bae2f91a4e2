"""Partner organisations: checked input, one audited transaction, duplicates refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from zwdesk.domain.model import Organisation, OrganisationKind
from zwdesk.services.organisation_service import OrganisationService
from zwdesk.services.station_service import StationInputError
from zwdesk.storage.database import StationDatabase, open_station_database
from zwdesk.storage.organisation_repository import OrganisationRepository


@pytest.fixture
def database(tmp_path: Path) -> Iterator[StationDatabase]:
    with open_station_database(tmp_path / "station.db") as opened:
        with opened.transaction("建站"):
            OrganisationRepository(opened).set_station_profile(
                Organisation("T1", OrganisationKind.STATION, "驻苏州站", "640522")
            )
        yield opened


@pytest.fixture
def service(database: StationDatabase) -> OrganisationService:
    return OrganisationService(database, actor="李经办")


def test_add_a_broker_lists_it_and_audits_once(
    service: OrganisationService, database: StationDatabase
) -> None:
    added = service.add(" Z01 ", "broker", " 中卫某劳务公司 ", "640502", " 王经理 139 ")
    assert added == Organisation("Z01", OrganisationKind.BROKER, "中卫某劳务公司", "640502")
    entries = {entry.organisation.id: entry for entry in service.list()}
    assert set(entries) == {"T1", "Z01"}
    assert entries["T1"].own and not entries["Z01"].own
    assert entries["Z01"].contact == "王经理 139"
    audits = database.connection.execute(
        "SELECT actor, table_name FROM audit_log WHERE actor = '李经办'"
    ).fetchall()
    assert audits == [("李经办", "organisations")]


def test_county_and_contact_may_be_left_empty(service: OrganisationService) -> None:
    added = service.add("W1", OrganisationKind.WORKSHOP, "帮扶车间", "", "")
    assert added.county is None
    entry = next(entry for entry in service.list() if entry.organisation.id == "W1")
    assert entry.contact is None


@pytest.mark.parametrize(
    ("code", "kind", "name", "county", "field"),
    [
        ("", "broker", "甲", "640502", "编号"),
        ("Z 1", "broker", "甲", "640502", "编号"),
        ("Z1", "nonsense", "甲", "640502", "类型"),
        ("Z1", "broker", "  ", "640502", "名称"),
        ("Z1", "broker", "甲", "12345", "所在县"),
        ("Z1", "broker", "甲", "999999", "所在县"),
        ("T1", "broker", "甲", "640502", "编号"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(
    service: OrganisationService,
    database: StationDatabase,
    code: str,
    kind: str,
    name: str,
    county: str,
    field: str,
) -> None:
    before = list(database.connection.iterdump())
    with pytest.raises(StationInputError) as raised:
        service.add(code, kind, name, county)
    assert raised.value.field == field
    assert list(database.connection.iterdump()) == before


def test_a_duplicate_code_is_refused(service: OrganisationService) -> None:
    service.add("Z01", "broker", "甲公司")
    with pytest.raises(StationInputError, match="已被其他组织使用"):
        service.add("Z01", "workshop", "乙车间")
    assert [e.organisation.name for e in service.list() if e.organisation.id == "Z01"] == ["甲公司"]
