"""Claims over a real station database: draft, freeze, ledger, numbering, states, printing."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.services.station_builders import station_database
from zwdesk.domain.claims import ClaimState, FrozenClaim
from zwdesk.domain.model import Worker
from zwdesk.services import claim_service
from zwdesk.services.calc_service import calculate, read_scenario_file
from zwdesk.services.claim_service import ClaimError, ClaimService, resolve_subject
from zwdesk.services.station_scenario_service import import_scenario
from zwdesk.storage.claim_batch_repository import ClaimBatchRepository
from zwdesk.storage.database import StationDatabase, open_station_database
from zwdesk.storage.scenario_repository import load_scenario
from zwdesk.storage.worker_repository import WorkerRepository

DEMO = Path(__file__).resolve().parents[2] / "resources" / "examples" / "demo-station.json"
YEAR_END = date(2025, 12, 31)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[StationDatabase]:
    with open_station_database(tmp_path / "station.db") as database:
        import_scenario(database, read_scenario_file(DEMO), actor="测试")
        yield database


@pytest.fixture
def service(demo: StationDatabase) -> ClaimService:
    return ClaimService(demo, actor="测试员")


def dump(database: StationDatabase) -> list[str]:
    return list(database.connection.iterdump())


def due_transport(database: StationDatabase, as_of: date = YEAR_END) -> dict[str, int]:
    results = calculate(load_scenario(database), as_of)
    return {row.worker: row.amount for row in results.transport if row.year == 2025}


class FakeRenderer:
    """Writes the snapshot's digest and kind: same claim, same bytes."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def __call__(
        self, claim: FrozenClaim, path: Path, *, kind: str = "form", font_path: Path | None = None
    ) -> object:
        self.calls.append((claim.number, kind))
        path.write_text(f"{kind} {claim.number} {claim.digest}", encoding="utf-8")
        return path


# -- draft and freeze ------------------------------------------------------------------------
def test_item_2_rows_are_the_organisers_qualifying_placements(service: ClaimService) -> None:
    draft = service.draft(2, "T1", year=2025, as_of=YEAR_END)
    scenario = load_scenario(service._database)
    organisers = {placement.id: placement.organiser for placement in scenario.placements}
    results = calculate(scenario, YEAR_END)
    expected = [
        row.worker
        for row in results.transport
        if row.year == 2025 and row.amount > 0 and organisers.get(row.placement or "") == "T1"
    ]
    assert [line.subject for line in draft.lines] == expected
    assert all(line.amount > 0 and line.explanation for line in draft.lines)
    assert draft.clause == "第二项" and draft.policy_version.endswith("2025-01-01")


def test_freezing_item_2_pays_nothing_twice(service: ClaimService) -> None:
    draft = service.draft(2, "T1", year=2025, as_of=YEAR_END)
    claim = service.freeze(draft)

    due = due_transport(service._database)
    assert all(due[line.subject] == 0 for line in claim.lines)
    assert service.draft(2, "T1", year=2025, as_of=YEAR_END).lines == ()
    with pytest.raises(ClaimError, match="没有可申领的金额"):
        service.freeze(service.draft(2, "T1", year=2025, as_of=YEAR_END))


def test_item_3_top_up_is_all_that_is_due_after_a_claim(service: ClaimService) -> None:
    early = service.draft(3, "B1", year=2025, as_of=date(2025, 9, 30))
    claim = service.freeze(early)
    assert {line.amount for line in claim.lines} == {20000}

    later = service.draft(3, "B1", year=2025, as_of=YEAR_END)
    claimed = {line.subject for line in claim.lines}
    top_ups = [line for line in later.lines if line.subject in claimed]
    assert top_ups and {line.amount for line in top_ups} == {10000}  # 300 − 200
    assert any("已申领" in sentence for sentence in top_ups[0].explanation)


def test_item_1_station_tier_is_numbered_and_then_due_0(tmp_path: Path) -> None:
    with station_database(tmp_path / "s.db", stable=200, awaiting=0) as database:
        service = ClaimService(database, actor="测试")
        draft = service.draft(1, "T1", year=2025, as_of=date(2025, 7, 1))
        assert [(line.subject, line.amount) for line in draft.lines] == [("T1", 4_000_000)]
        claim = service.freeze(draft)
        assert claim.number == "2025-海原-T1-001"
        assert service.draft(1, "T1", year=2025, as_of=date(2025, 7, 1)).lines == ()


def test_cancelling_restores_what_is_due(service: ClaimService) -> None:
    before = service.draft(5, "B1", batch="C1", as_of=YEAR_END)
    claim = service.freeze(before)
    assert service.draft(5, "B1", batch="C1", as_of=YEAR_END).lines == ()

    record = service.cancel(claim.number, "金额有误，重新申报")

    assert record.state is ClaimState.CANCELLED
    again = service.draft(5, "B1", batch="C1", as_of=YEAR_END)
    assert [(line.subject, line.amount) for line in again.lines] == [
        (line.subject, line.amount) for line in before.lines
    ]
    assert service.get(claim.number).lines == claim.lines  # the snapshot stays for the record


def test_numbering_continues_per_organisation_and_year(service: ClaimService) -> None:
    # The demo ledger already holds 2025-海原-T1-001 and 2025-中宁-B1-001.
    draft = service.draft(2, "T1", year=2025, as_of=YEAR_END)
    first = service.freeze(draft, {draft.lines[0].subject: "材料不全"})
    second = service.freeze(service.draft(2, "T1", year=2025, as_of=YEAR_END))
    broker = service.freeze(service.draft(5, "B1", batch="C2", as_of=YEAR_END))
    gig = service.freeze(service.draft(6, "G2", year=2025, as_of=YEAR_END))

    assert [first.number, second.number] == ["2025-海原-T1-002", "2025-海原-T1-003"]
    assert second.lines == draft.lines[:1]  # the row left out first is claimed later
    assert broker.number == "2025-中宁-B1-002"
    assert gig.number == "2025-中宁-G2-001"
    assert [record.number for record in service.list_claims(organisation_id="T1")] == [
        first.number,
        second.number,
    ]


def test_excluded_rows_stay_out_of_the_ledger_and_keep_their_reason(
    service: ClaimService,
) -> None:
    draft = service.draft(3, "B1", year=2025, as_of=YEAR_END)
    left_out = draft.lines[1].subject
    claim = service.freeze(draft, {left_out: "本人已离职，暂不申领"})

    assert left_out not in {line.subject for line in claim.lines}
    stored = service.get(claim.number)
    assert [(line.subject, line.reason) for line in stored.excluded] == [
        (left_out, "本人已离职，暂不申领")
    ]
    ledger = [c for c in load_scenario(service._database).claims if c.claim == claim.number]
    assert len(ledger) == len(draft.lines) - 1
    assert left_out not in {c.worker for c in ledger}
    assert left_out in {
        line.subject for line in service.draft(3, "B1", year=2025, as_of=YEAR_END).lines
    }


def test_snapshot_does_not_change_when_the_facts_do(service: ClaimService) -> None:
    claim = service.freeze(service.draft(2, "T1", year=2025, as_of=YEAR_END))
    subject = claim.lines[0].subject
    database = service._database
    person = next(w for w in load_scenario(database).workers if w.id_number == subject)
    with database.transaction("测试"):
        WorkerRepository(database).upsert(
            [Worker(person.id_number, "改过的名字", person.hukou_county, rural=person.rural)]
        )

    stored = service.get(claim.number)
    assert stored == claim
    assert stored.digest == claim.digest
    assert stored.lines[0].name == claim.lines[0].name != "改过的名字"


def test_a_stale_draft_is_refused_when_its_amounts_changed(service: ClaimService) -> None:
    draft = service.draft(2, "T1", year=2025, as_of=YEAR_END)
    service.freeze(service.draft(2, "T1", year=2025, as_of=YEAR_END))  # someone else froze it
    before = dump(service._database)
    with pytest.raises(ClaimError, match="请重新生成草稿"):
        service.freeze(draft)
    assert dump(service._database) == before


def test_a_draft_still_right_after_an_unrelated_change_can_be_frozen(
    service: ClaimService,
) -> None:
    draft = service.draft(6, "G2", year=2025, as_of=YEAR_END)
    service.freeze(service.draft(5, "B1", batch="C1", as_of=YEAR_END))
    assert service.freeze(draft).total == draft.total


@pytest.mark.parametrize(
    ("item", "organisation", "scope", "message"),
    [
        (1, "B1", {"year": 2025}, "第1项只能由驻外劳务工作站申领"),
        (3, "B1", {}, "须指定年度"),
        (4, "K1", {"year": 2025}, "不按年度申领"),
        (5, "B1", {}, "第五项须指定批次"),
        (5, "B1", {"batch": "C9"}, "批次C9不存在"),
        (6, "X9", {"year": 2025}, "组织X9不存在"),
        (7, "T1", {"year": 2025}, "没有第7项补贴"),
    ],
)
def test_draft_refuses_what_cannot_be_claimed(
    service: ClaimService, item: int, organisation: str, scope: dict[str, object], message: str
) -> None:
    with pytest.raises(ClaimError, match=message):
        service.draft(item, organisation, as_of=YEAR_END, **scope)  # type: ignore[arg-type]


def test_freeze_refuses_unknown_exclusions_and_missing_reasons(service: ClaimService) -> None:
    draft = service.draft(3, "B1", year=2025, as_of=YEAR_END)
    before = dump(service._database)
    with pytest.raises(ClaimError, match="不在本次草稿"):
        service.freeze(draft, {"640522199001011234": "无"})
    with pytest.raises(ClaimError, match="须写明原因"):
        service.freeze(draft, {draft.lines[0].subject: " "})
    with pytest.raises(ClaimError, match="全部被排除"):
        service.freeze(draft, {line.subject: "不申领" for line in draft.lines})
    assert dump(service._database) == before


def test_rows_are_named_by_number_subject_or_masked_id(service: ClaimService) -> None:
    draft = service.draft(3, "B1", year=2025, as_of=YEAR_END)
    subject = draft.lines[2].subject
    assert resolve_subject(draft, "3") == subject
    assert resolve_subject(draft, subject) == subject
    assert resolve_subject(draft, subject[:6] + "********" + subject[-4:]) == subject
    with pytest.raises(ClaimError, match="没有第99行"):
        resolve_subject(draft, "99")


# -- states ----------------------------------------------------------------------------------
def test_the_whole_way_to_payment_is_audited(service: ClaimService, tmp_path: Path) -> None:
    claim = service.freeze(service.draft(6, "G2", year=2025, as_of=YEAR_END))
    scan = tmp_path / "签字页.jpg"
    scan.write_bytes(b"\xff\xd8 signed")
    service.set_state(claim.number, ClaimState.PRINTED)
    signed = service.set_state(claim.number, "已签字", attachment=scan)
    service.set_state(claim.number, ClaimState.SUBMITTED)
    paid = service.set_state(claim.number, ClaimState.PAID)

    assert paid.state is ClaimState.PAID
    assert signed.attachment_name == "签字页.jpg"
    stored = ClaimBatchRepository(service._database).attachment(claim.number)
    assert stored is not None and stored.content == b"\xff\xd8 signed"
    assert service.draft(6, "G2", year=2025, as_of=YEAR_END).lines == ()  # still claimed
    rows = service._database.connection.execute(
        "SELECT a.actor, json_extract(a.new, '$.state') FROM audit_log a"
        " JOIN claim_batches c ON c.uuid = a.record_uuid ORDER BY a.id"
    ).fetchall()
    assert rows == [
        ("测试员", "草稿"),
        ("测试员", "已打印"),
        ("测试员", "已签字"),
        ("测试员", "已提交"),
        ("测试员", "已拨付"),
    ]


def test_returned_claims_release_the_ledger(service: ClaimService, tmp_path: Path) -> None:
    claim = service.freeze(service.draft(6, "G2", year=2025, as_of=YEAR_END))
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF signed")
    for state in (ClaimState.PRINTED, ClaimState.SIGNED, ClaimState.SUBMITTED):
        service.set_state(
            claim.number, state, attachment=scan if state is ClaimState.SIGNED else None
        )
    with pytest.raises(ClaimError, match="不能再作废"):
        service.cancel(claim.number, "晚了")

    returned = service.set_state(claim.number, ClaimState.RETURNED, reason="人数核减")

    assert (returned.state, returned.reason) == (ClaimState.RETURNED, "人数核减")
    assert [line.amount for line in service.draft(6, "G2", year=2025, as_of=YEAR_END).lines] == [
        claim.total
    ]


@pytest.mark.parametrize(
    ("steps", "target", "options", "message"),
    [
        ((), ClaimState.SUBMITTED, {}, "当前为“草稿”，不能改为“已提交”"),
        ((), ClaimState.PAID, {}, "不能改为“已拨付”"),
        ((), ClaimState.DRAFT, {}, "不能改为“草稿”"),
        ((ClaimState.PRINTED,), ClaimState.SIGNED, {}, "须附上签字页"),
        ((ClaimState.PRINTED,), ClaimState.SUBMITTED, {}, "只能改为：已签字、已作废"),
        ((ClaimState.PRINTED,), ClaimState.CANCELLED, {}, "须写明原因"),
        ((), ClaimState.PRINTED, {"attachment": Path("x.jpg")}, "只能在改为“已签字”时附上"),
        ((), "已完成", {}, "没有“已完成”这个状态"),
    ],
)
def test_invalid_transitions_are_refused_and_change_nothing(
    service: ClaimService,
    steps: tuple[ClaimState, ...],
    target: ClaimState | str,
    options: dict[str, object],
    message: str,
) -> None:
    claim = service.freeze(service.draft(6, "G2", year=2025, as_of=YEAR_END))
    for step in steps:
        service.set_state(claim.number, step)
    before = dump(service._database)
    with pytest.raises(ClaimError, match=message):
        service.set_state(claim.number, target, **options)  # type: ignore[arg-type]
    assert dump(service._database) == before


def test_finished_claims_cannot_move_or_be_cancelled(service: ClaimService) -> None:
    claim = service.freeze(service.draft(6, "G2", year=2025, as_of=YEAR_END))
    service.cancel(claim.number, "重复")
    before = dump(service._database)
    with pytest.raises(ClaimError, match="已办结"):
        service.set_state(claim.number, ClaimState.PRINTED)
    with pytest.raises(ClaimError, match="不能再作废"):
        service.cancel(claim.number, "再次")
    assert dump(service._database) == before


# -- printing --------------------------------------------------------------------------------
def test_printing_twice_gives_the_same_files_and_one_state_change(
    demo: StationDatabase, tmp_path: Path
) -> None:
    renderer = FakeRenderer()
    service = ClaimService(demo, actor="测试", renderer=renderer)
    claim = service.freeze(service.draft(5, "B1", batch="C2", as_of=YEAR_END))

    first = service.print(claim.number, tmp_path / "out")
    contents = [path.read_bytes() for path in first]
    assert service.record(claim.number).state is ClaimState.PRINTED
    changes = demo.connection.execute("SELECT count(*) FROM audit_log").fetchone()[0]

    second = service.print(claim.number, tmp_path / "out")
    assert second == first
    assert [path.read_bytes() for path in second] == contents
    assert service.record(claim.number).state is ClaimState.PRINTED
    assert demo.connection.execute("SELECT count(*) FROM audit_log").fetchone()[0] == changes
    assert {number for number, _ in renderer.calls} == {claim.number}


def test_printing_without_the_renderer_says_so_and_changes_nothing(
    service: ClaimService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As in an installation that lacks the package (a frozen build that left it out): the
    # import fails, and the message says which import, for whoever supports the station.
    monkeypatch.setitem(sys.modules, "zwdesk.pdf", None)
    claim = service.freeze(service.draft(6, "G2", year=2025, as_of=YEAR_END))
    before = dump(service._database)
    with pytest.raises(
        ClaimError, match=r"zwdesk\.pdf）无法加载.*状态未改变（ModuleNotFoundError: .*zwdesk\.pdf"
    ):
        service.print(claim.number, tmp_path / "out")
    assert dump(service._database) == before
    assert service.record(claim.number).state is ClaimState.DRAFT


def test_a_failing_renderer_leaves_no_files_and_no_state_change(
    demo: StationDatabase, tmp_path: Path
) -> None:
    def broken(
        claim: FrozenClaim, path: Path, *, kind: str = "all", font_path: object = None
    ) -> object:
        if path.exists() or "花名册" in path.name or kind == "all":
            raise RuntimeError("渲染出错")
        path.write_bytes(b"%PDF")
        return path

    service = ClaimService(demo, actor="测试", renderer=broken)
    claim = service.freeze(service.draft(5, "B1", batch="C2", as_of=YEAR_END))
    before = dump(demo)
    with pytest.raises(ClaimError, match=r"打印申领单.*失败.*状态未改变"):
        service.print(claim.number, tmp_path / "out")
    assert dump(demo) == before
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.skipif(claim_service.find_renderer() is None, reason="zwdesk.pdf not installed")
def test_the_pdf_renderer_prints_the_same_bytes_twice(
    demo: StationDatabase, tmp_path: Path
) -> None:
    service = ClaimService(demo, actor="测试")
    claim = service.freeze(service.draft(3, "B1", year=2025, as_of=YEAR_END))
    try:
        first = service.print(claim.number, tmp_path / "a")
    except ClaimError as error:  # e.g. no CJK font on this machine
        pytest.skip(str(error))
    second = service.print(claim.number, tmp_path / "b")
    assert [path.name for path in first] == [path.name for path in second]
    assert [path.read_bytes() for path in first] == [path.read_bytes() for path in second]
    assert all(path.read_bytes().startswith(b"%PDF") for path in first)
    assert service.record(claim.number).state is ClaimState.PRINTED
