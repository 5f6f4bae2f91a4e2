"""`zwdesk-scenario/1` input: every bad record is refused naming record and field, in Chinese."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from zwdesk.domain.model import BatchMode, OrganisationKind, TargetGroup
from zwdesk.domain.resident_id import make_resident_id
from zwdesk.domain.scenario_parser import ScenarioError, parse_scenario

W1 = make_resident_id("640522", date(1990, 3, 7), 1)
W2 = make_resident_id("642222", date(1965, 8, 9), 2)  # older person, historical code
W3 = next(
    number
    for number in (make_resident_id("640521", date(1978, 4, 4), n) for n in range(1000))
    if number.endswith("X")
)
CJK = re.compile(r"[\u4e00-\u9fff]")
FULL_ID = re.compile(r"\d{17}[\dX]")


def base() -> dict[str, Any]:
    """A small valid scenario touching every section."""
    return {
        "format": "zwdesk-scenario/1",
        "organisations": [
            {"id": "T1", "kind": "station", "name": "驻苏州劳务工作站", "county": "640522"},
            {"id": "B1", "kind": "broker", "name": "宏达劳务", "county": "640521"},
            {"id": "K1", "kind": "workshop", "name": "关桥扶贫车间", "county": "640522"},
            {"id": "G1", "kind": "gig_market", "name": "沙坡头零工市场", "county": "640502"},
            {"id": "G2", "kind": "gig_station", "name": "新堡零工驿站", "county": "640521"},
        ],
        "workers": [
            {
                "id_number": W1,
                "name": "马某",
                "hukou_county": "640522",
                "resident_county": None,
                "rural": True,
                "groups": ["poverty_relieved"],
            },
            {"id_number": W2, "name": "田某", "hukou_county": "640522", "rural": True},
            {
                "id_number": W3,
                "name": "李某",
                "hukou_county": "622101",
                "resident_county": "640521",
                "groups": [],
            },
        ],
        "placements": [
            {
                "id": "P1",
                "worker": W1,
                "organiser": "T1",
                "employer": "某电子厂",
                "work_county": "320506",
                "start": "2025-03-01",
                "end": None,
                "verified_through": "2025-09-10",
                "contract": True,
                "contract_start": "2025-03-01",
                "contract_end": None,
                "social_insurance": True,
                "monthly_wage": 4200,
            },
            {
                "id": "P2",
                "worker": W2,
                "organiser": None,
                "work_county": "640104",
                "start": "2025-04-01",
                "end": "2025-12-31",
                "monthly_wage": 3000.5,
            },
        ],
        "batches": [
            {
                "id": "C1",
                "organiser": "B1",
                "departure": "2025-02-20",
                "destination_county": "650102",
                "mode": "charter",
                "charter_cost": 42000,
                "passengers": [{"worker": W1, "fare": 0, "receipt": None}],
            },
            {
                "id": "C2",
                "organiser": "B1",
                "departure": "2025-03-20",
                "destination_county": "320506",
                "mode": "tickets",
                "passengers": [{"worker": W2, "fare": 350.5, "receipt": "R-001"}],
            },
        ],
        "gig_records": [{"organisation": "G1", "worker": W1, "date": "2025-05-02"}],
        "claims": [
            {"item": 2, "worker": W1, "year": 2025, "amount": 200, "claim": "2025-T1-001"},
            {"item": 5, "batch": "C1", "amount": 42000, "claim": "2025-B1-005"},
        ],
    }


# --- the good path ----------------------------------------------------------------------------


def test_base_scenario_parses_into_domain_facts() -> None:
    scenario = parse_scenario(base())
    assert [o.kind for o in scenario.organisations] == [
        OrganisationKind.STATION,
        OrganisationKind.BROKER,
        OrganisationKind.WORKSHOP,
        OrganisationKind.GIG_MARKET,
        OrganisationKind.GIG_STATION,
    ]
    assert [w.id_number for w in scenario.workers] == [W1, W2, W3]
    assert scenario.workers[0].groups == frozenset({TargetGroup.POVERTY_RELIEVED})
    assert scenario.workers[2].resident_county == "640521"
    first, second = scenario.placements
    assert first.start == date(2025, 3, 1)
    assert first.verified_through == date(2025, 9, 10)
    assert first.monthly_wage == 420000  # fen
    assert second.organiser is None
    assert second.monthly_wage == 300050
    charter, tickets = scenario.batches
    assert charter.mode is BatchMode.CHARTER
    assert charter.charter_cost == 4200000
    assert tickets.passengers[0].fare == 35050
    assert tickets.passengers[0].receipt == "R-001"
    assert scenario.gig_records[0].date == date(2025, 5, 2)
    assert [c.amount for c in scenario.claims] == [20000, 4200000]


def test_same_person_twice_with_identical_records_is_one_worker() -> None:
    document = base()
    document["workers"].append(copy.deepcopy(document["workers"][0]))
    assert [w.id_number for w in parse_scenario(document).workers] == [W1, W2, W3]


def test_lowercase_x_in_a_reference_finds_the_worker() -> None:
    document = base()
    document["placements"][0]["worker"] = W3.lower()
    assert parse_scenario(document).placements[0].worker == W3


def test_records_share_one_object_per_worker_organisation_county_and_wage() -> None:
    # A city's 300,000 placements would otherwise each keep their own copy of these values,
    # scattered over the memory the engine reads (issue #2's speed and memory figures).
    document = base()
    second = document["placements"][1]
    second["worker"] = W3.lower()  # written differently, the same person
    second["organiser"] = "T1"
    second["work_county"] = "320506"
    second["monthly_wage"] = 4200
    document["placements"].append({**document["placements"][0], "id": "P3", "worker": W1})
    scenario = parse_scenario(json.loads(json.dumps(document)))  # each value its own object
    first, second_placement, third = scenario.placements
    workers = {worker.id_number: worker for worker in scenario.workers}
    assert first.worker is workers[W1].id_number and third.worker is first.worker
    assert second_placement.worker is workers[W3].id_number
    assert first.organiser is second_placement.organiser is scenario.organisations[0].id
    assert first.work_county is second_placement.work_county is third.work_county
    assert first.monthly_wage is second_placement.monthly_wage == 420000
    assert first.employer is third.employer == "某电子厂"
    assert workers[W1].hukou_county is workers[W2].hukou_county == "640522"


def test_note_keys_and_underscore_keys_are_allowed() -> None:
    document = base()
    document["_generated_by"] = "test"
    document["note"] = "一个备注"
    document["placements"][0]["remark"] = "回访电话"
    document["workers"][0]["_source"] = "roster.xlsx"
    parse_scenario(document)


# --- bad input --------------------------------------------------------------------------------

Mutation = Callable[[dict[str, Any]], None]


def set_(path: str, value: Any) -> Mutation:
    """Set document[section][index][key] (or a passenger key, or a top-level key)."""

    def mutate(document: dict[str, Any]) -> None:
        parts = path.split(".")
        target: Any = document
        for part in parts[:-1]:
            target = target[int(part)] if part.isdigit() else target[part]
        target[parts[-1]] = value

    return mutate


def drop(path: str) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        parts = path.split(".")
        target: Any = document
        for part in parts[:-1]:
            target = target[int(part)] if part.isdigit() else target[part]
        del target[parts[-1]]

    return mutate


def append(section: str, record: dict[str, Any]) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        document[section].append(record)

    return mutate


def rename(path: str, new_key: str) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        parts = path.split(".")
        target: Any = document
        for part in parts[:-1]:
            target = target[int(part)] if part.isdigit() else target[part]
        target[new_key] = target.pop(parts[-1])

    return mutate


def bad_check(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


BAD = [
    # organisations
    pytest.param(
        set_("organisations.0.kind", "labour_station"),
        "organisations[0]（T1）.kind",
        "未知的组织类型",
        id="unknown organisation kind",
    ),
    pytest.param(
        append("organisations", {"id": "T1", "kind": "broker"}),
        "organisations[5]（T1）.id",
        "重复",
        id="duplicate organisation id",
    ),
    pytest.param(
        set_("organisations.1.county", "640599"),
        "organisations[1]（B1）.county",
        "不存在",
        id="bad organisation county",
    ),
    # workers
    pytest.param(
        set_("workers.0.id_number", bad_check(W1)),
        "workers[0].id_number",
        f"末位应为{W1[17]}",
        id="ID with bad checksum",
    ),
    pytest.param(
        set_("workers.1.id_number", W1[:6] + "19900230" + W1[14:]),
        "workers[1].id_number",
        "出生日期",
        id="ID with impossible birth date",
    ),
    pytest.param(
        set_("workers.0.id_number", W1[:17]),
        "workers[0].id_number",
        "18位",
        id="ID too short",
    ),
    pytest.param(
        append("workers", {"id_number": W1, "name": "马某某", "hukou_county": "640522"}),
        "workers[3].id_number",
        "同一身份证号",
        id="two different worker records with the same ID",
    ),
    pytest.param(
        append("workers", {"id_number": W3.lower(), "name": "李某", "hukou_county": "640521"}),
        "workers[3].id_number",
        "同一身份证号",
        id="same ID (lowercase x) with different content",
    ),
    pytest.param(
        set_("workers.0.groups", ["poverty_relieved", "veteran"]),
        "workers[0].groups",
        "未知的人群类别",
        id="unknown target group",
    ),
    pytest.param(
        set_("workers.0.groups", "poverty_relieved"),
        "workers[0].groups",
        "数组",
        id="groups not a list",
    ),
    pytest.param(
        set_("workers.0.hukou_county", "640599"),
        "workers[0].hukou_county",
        "不存在",
        id="bad county code (unknown)",
    ),
    pytest.param(
        set_("workers.0.hukou_county", "64052"),
        "workers[0].hukou_county",
        "6位",
        id="bad county code (5 digits)",
    ),
    pytest.param(
        drop("workers.1.hukou_county"),
        "workers[1].hukou_county",
        "缺少",
        id="worker without hukou county",
    ),
    pytest.param(
        set_("workers.2.resident_county", "999999"),
        "workers[2].resident_county",
        "不存在",
        id="bad resident county",
    ),
    pytest.param(
        set_("workers.0.rural", "yes"),
        "workers[0].rural",
        "true",
        id="flag not a boolean",
    ),
    pytest.param(
        rename("workers.0.hukou_county", "hukou"),
        "workers[0].hukou",
        "未知字段",
        id="unknown worker key (misspelling)",
    ),
    # placements
    pytest.param(
        set_("placements.0.start", "2025-02-30"),
        "placements[0]（P1）.start",
        "不存在",
        id="impossible placement start",
    ),
    pytest.param(
        set_("placements.0.start", "2025-3-1"),
        "placements[0]（P1）.start",
        "格式",
        id="placement start not ISO",
    ),
    pytest.param(
        set_("placements.0.verified_through", "20250910"),
        "placements[0]（P1）.verified_through",
        "格式",
        id="verified_through not ISO",
    ),
    pytest.param(
        set_("placements.0.worker", make_resident_id("640522", date(1991, 1, 1), 9)),
        "placements[0]（P1）.worker",
        "不在 workers 中",
        id="placement naming an unknown worker",
    ),
    pytest.param(
        set_("placements.0.organiser", "T9"),
        "placements[0]（P1）.organiser",
        "T9",
        id="placement naming an unknown organiser",
    ),
    pytest.param(
        set_("placements.1.end", "2025-03-31"),
        "placements[1]（P2）.end",
        "早于",
        id="end before start",
    ),
    pytest.param(
        set_("placements.0.verified_through", "2025-02-28"),
        "placements[0]（P1）.verified_through",
        "早于",
        id="verified before start",
    ),
    pytest.param(
        set_("placements.0.contract_end", "2025-02-01"),
        "placements[0]（P1）.contract_end",
        "早于",
        id="contract end before contract start",
    ),
    pytest.param(
        set_("placements.0.monthly_wage", -4200),
        "placements[0]（P1）.monthly_wage",
        "负",
        id="negative wage",
    ),
    pytest.param(
        set_("placements.0.monthly_wage", 4200.125),
        "placements[0]（P1）.monthly_wage",
        "两位小数",
        id="wage with 3 decimals",
    ),
    pytest.param(
        set_("placements.0.monthly_wage", "4200"),
        "placements[0]（P1）.monthly_wage",
        "金额",
        id="wage as text",
    ),
    pytest.param(
        set_("placements.0.work_county", "12345"),
        "placements[0]（P1）.work_county",
        "6位",
        id="bad work county",
    ),
    pytest.param(
        rename("placements.0.verified_through", "verified_thru"),
        "placements[0]（P1）.verified_thru",
        "未知字段",
        id="unknown placement key (misspelling)",
    ),
    pytest.param(
        set_("placements.1.id", "P1"),
        "placements[1]（P1）.id",
        "重复",
        id="duplicate placement id",
    ),
    pytest.param(
        drop("placements.1.start"),
        "placements[1]（P2）.start",
        "缺少",
        id="placement without start",
    ),
    # batches and passengers
    pytest.param(
        drop("batches.0.charter_cost"),
        "batches[0]（C1）.charter_cost",
        "缺少",
        id="charter batch without charter_cost",
    ),
    pytest.param(
        set_("batches.0.charter_cost", 42000.001),
        "batches[0]（C1）.charter_cost",
        "两位小数",
        id="charter cost with 3 decimals",
    ),
    pytest.param(
        set_("batches.1.departure", "2025-04-31"),
        "batches[1]（C2）.departure",
        "不存在",
        id="impossible departure",
    ),
    pytest.param(
        set_("batches.1.mode", "bus"),
        "batches[1]（C2）.mode",
        "未知的输送方式",
        id="unknown batch mode",
    ),
    pytest.param(
        set_("batches.1.organiser", "B9"),
        "batches[1]（C2）.organiser",
        "B9",
        id="batch naming an unknown organiser",
    ),
    pytest.param(
        set_("batches.1.id", "C1"),
        "batches[1]（C1）.id",
        "重复",
        id="duplicate batch id",
    ),
    pytest.param(
        set_("batches.1.passengers.0.fare", -350.5),
        "batches[1]（C2）.passengers[0].fare",
        "负",
        id="negative fare",
    ),
    pytest.param(
        set_("batches.1.passengers.0.fare", 350.555),
        "batches[1]（C2）.passengers[0].fare",
        "两位小数",
        id="fare with 3 decimals",
    ),
    pytest.param(
        set_("batches.1.passengers.0.worker", make_resident_id("640522", date(1991, 1, 1), 9)),
        "batches[1]（C2）.passengers[0].worker",
        "不在 workers 中",
        id="passenger naming an unknown worker",
    ),
    pytest.param(
        rename("batches.1.passengers.0.receipt", "reciept"),
        "batches[1]（C2）.passengers[0].reciept",
        "未知字段",
        id="unknown passenger key (misspelling)",
    ),
    pytest.param(
        set_("batches.1.destination_county", "999999"),
        "batches[1]（C2）.destination_county",
        "不存在",
        id="bad destination county",
    ),
    # gig records
    pytest.param(
        set_("gig_records.0.date", "2025-02-29"),
        "gig_records[0].date",
        "不存在",
        id="impossible gig date",
    ),
    pytest.param(
        set_("gig_records.0.worker", bad_check(W1)),
        "gig_records[0].worker",
        f"末位应为{W1[17]}",
        id="gig worker ID with bad checksum",
    ),
    pytest.param(
        set_("gig_records.0.organisation", "G9"),
        "gig_records[0].organisation",
        "G9",
        id="gig record naming an unknown organisation",
    ),
    # claims
    pytest.param(
        drop("claims.0.worker"),
        "claims[0]（2025-T1-001）.worker",
        "第2项",
        id="item-2 claim without worker",
    ),
    pytest.param(
        drop("claims.0.year"),
        "claims[0]（2025-T1-001）.year",
        "第2项",
        id="item-2 claim without year",
    ),
    pytest.param(
        drop("claims.1.batch"),
        "claims[1]（2025-B1-005）.batch",
        "第5项",
        id="item-5 claim without batch",
    ),
    pytest.param(
        append("claims", {"item": 3, "worker": W1, "year": 2025, "amount": 200, "claim": "c3"}),
        "claims[2]（c3）.organisation",
        "第3项",
        id="item-3 claim without organisation",
    ),
    pytest.param(
        append("claims", {"item": 1, "organisation": "T1", "amount": 40000, "claim": "c1"}),
        "claims[2]（c1）.year",
        "第1项",
        id="item-1 claim without year",
    ),
    pytest.param(
        append("claims", {"item": 4, "amount": 20000, "claim": "c4"}),
        "claims[2]（c4）.organisation",
        "第4项",
        id="item-4 claim without organisation",
    ),
    pytest.param(
        append("claims", {"item": 6, "organisation": "G1", "year": 2025, "claim": "c6"}),
        "claims[2]（c6）.amount",
        "缺少",
        id="claim without amount",
    ),
    pytest.param(
        set_("claims.0.item", 7),
        "claims[0]（2025-T1-001）.item",
        "1至6",
        id="claim item out of range",
    ),
    pytest.param(
        set_("claims.0.amount", -200),
        "claims[0]（2025-T1-001）.amount",
        "负",
        id="negative claim amount",
    ),
    pytest.param(
        set_("claims.0.amount", 200.001),
        "claims[0]（2025-T1-001）.amount",
        "两位小数",
        id="claim amount with 3 decimals",
    ),
    pytest.param(
        set_("claims.0.worker", bad_check(W1)),
        "claims[0]（2025-T1-001）.worker",
        f"末位应为{W1[17]}",
        id="claim worker with bad checksum",
    ),
    pytest.param(
        set_("claims.1.batch", "C9"),
        "claims[1]（2025-B1-005）.batch",
        "C9",
        id="claim naming an unknown batch",
    ),
    pytest.param(
        set_("claims.0.year", "2025"),
        "claims[0]（2025-T1-001）.year",
        "整数",
        id="claim year as text",
    ),
    pytest.param(
        set_("claims.0.date", "2025-02-30"),
        "claims[0]（2025-T1-001）.date",
        "不存在",
        id="impossible claim date",
    ),
    pytest.param(
        rename("claims.0.amount", "amout"),
        "claims[0]（2025-T1-001）.amout",
        "未知字段",
        id="unknown claim key (misspelling)",
    ),
    # the document itself
    pytest.param(
        set_("format", "zwdesk-scenario/2"),
        "format",
        "zwdesk-scenario/1",
        id="wrong format string",
    ),
    pytest.param(drop("format"), "format", "zwdesk-scenario/1", id="missing format"),
    pytest.param(
        rename("placements", "placement"),
        "placement",
        "未知字段",
        id="unknown top-level key",
    ),
    pytest.param(
        set_("workers", {"id_number": W1}),
        "workers",
        "数组",
        id="section not a list",
    ),
    pytest.param(
        set_("organisations", ["T1"]),
        "organisations[0]",
        "对象",
        id="record not an object",
    ),
]


@pytest.mark.parametrize(("mutate", "where", "reason_part"), BAD)
def test_bad_input_names_record_and_field_in_chinese(
    mutate: Mutation, where: str, reason_part: str
) -> None:
    document = base()
    mutate(document)
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(document)
    error = caught.value
    assert error.where == where
    assert reason_part in error.reason
    assert CJK.search(error.reason), error.reason
    assert str(error) == f"{error.where}：{error.reason}"
    assert "\n" not in str(error)
    assert not FULL_ID.search(str(error)), f"a whole ID number is printed: {error}"


@pytest.mark.parametrize("document", [[], "text", None, 42])
def test_a_document_that_is_not_an_object_is_refused(document: object) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(document)
    assert CJK.search(caught.value.reason)


def test_an_id_number_written_as_a_number_is_not_echoed() -> None:
    """Errors go to a terminal: a resident ID must never appear in one, whole or not."""
    from zwdesk.domain.scenario_parser import ScenarioError, parse_scenario

    document = {
        "format": "zwdesk-scenario/1",
        "workers": [{"id_number": 64052219900101123, "name": "马某", "hukou_county": "640522"}],
    }
    try:
        parse_scenario(document)
    except ScenarioError as error:
        assert "64052219900101123" not in str(error)
        assert error.where == "workers[0].id_number"
        assert "带引号的文本" in error.reason
    else:  # pragma: no cover - the document is invalid
        raise AssertionError("a numeric ID number must be refused")
