"""Frozen claims in a real SQLite file: snapshot round trip, ledger in and out, numbering,
immutability, attachments and the audit log."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import UTC, date, datetime

import pytest

from tests.storage.conftest import BROKER, STATION, dump, worker
from zwdesk.domain.claims import ClaimLine, ClaimState, ExcludedLine, FrozenClaim
from zwdesk.domain.model import Claim, Scenario
from zwdesk.storage.claim_batch_repository import ClaimBatchRepository, ledger_lines
from zwdesk.storage.claim_repository import ClaimRepository
from zwdesk.storage.database import StationDatabase
from zwdesk.storage.errors import ConstraintViolationError, RecordNotFoundError, StorageError
from zwdesk.storage.scenario_repository import load_scenario, save_scenario

FIRST, SECOND = worker(1), worker(2)


def frozen(number: str = "2025-中宁-B1-002") -> FrozenClaim:
    return FrozenClaim(
        number=number,
        item=3,
        organisation_id="B1",
        organisation_name=BROKER.name,
        organisation_county=BROKER.county,
        contact="0955-1234567",
        year=2025,
        batch=None,
        as_of=date(2025, 12, 31),
        frozen_at=datetime(2026, 1, 5, 9, 30, tzinfo=UTC),
        clause="第三项",
        clause_quote="对劳务中介……给予奖补。",
        lines=(
            ClaimLine(
                FIRST.id_number,
                FIRST.name,
                30000,
                ("第三项：马1", "稳定6个月，300元"),
                FIRST.id_number,
                (("稳定月数", "6"),),
            ),
        ),
        excluded=(ExcludedLine(SECOND.id_number, SECOND.name, 20000, "已离职，本人不申领"),),
        policy_version="zwdesk-policy/1 2025-01-01",
    )


@pytest.fixture
def station(database: StationDatabase) -> StationDatabase:
    with database.transaction("测试"):
        save_scenario(
            database,
            Scenario(
                organisations=(STATION, BROKER),
                workers=(FIRST, SECOND),
                claims=(Claim(3, 20000, 2025, FIRST.id_number, "B1", None, "2025-中宁-B1-001"),),
            ),
        )
    return database


def test_snapshot_round_trips_and_its_lines_enter_the_ledger(station: StationDatabase) -> None:
    claims = ClaimBatchRepository(station)
    claim = frozen()
    with station.transaction("测试"):
        claims.add(claim, 2025, 2)

    stored = claims.get(claim.number)
    assert stored == claim
    assert stored.digest == claim.digest
    assert stored.excluded[0].reason == "已离职，本人不申领"
    assert stored.state is ClaimState.DRAFT
    ledger = [line for line in load_scenario(station).claims if line.claim == claim.number]
    assert ledger == ledger_lines(claim)
    assert [line.worker for line in ledger] == [FIRST.id_number]  # the excluded one is not
    record = claims.record(claim.number)
    assert (record.line_count, record.excluded_count, record.total) == (1, 1, 30000)


def test_next_sequence_counts_frozen_claims_and_numbered_ledger_lines(
    station: StationDatabase,
) -> None:
    claims = ClaimBatchRepository(station)
    prefix = "2025-中宁-B1-"
    assert claims.next_sequence("B1", 2025, prefix) == 2  # the imported ledger line is 001
    with station.transaction("测试"):
        claims.add(frozen(), 2025, 2)
    assert claims.next_sequence("B1", 2025, prefix) == 3
    assert claims.next_sequence("B1", 2026, "2026-中宁-B1-") == 1
    assert claims.next_sequence("T1", 2025, "2025-海原-T1-") == 1


def test_a_number_is_used_once(station: StationDatabase) -> None:
    claims = ClaimBatchRepository(station)
    with station.transaction("测试"):
        claims.add(frozen(), 2025, 2)
    before = dump(station)
    with pytest.raises(ConstraintViolationError), station.transaction("测试"):
        claims.add(frozen(), 2025, 3)
    assert dump(station) == before


def test_the_snapshot_cannot_be_updated(station: StationDatabase) -> None:
    claims = ClaimBatchRepository(station)
    with station.transaction("测试"):
        claims.add(frozen(), 2025, 2)
    before = dump(station)
    with pytest.raises(sqlite3.IntegrityError):
        station.connection.execute(
            "UPDATE claim_batches SET total_fen = 1 WHERE number = ?", (frozen().number,)
        )
    assert dump(station) == before


def test_an_altered_snapshot_is_refused(station: StationDatabase) -> None:
    claims = ClaimBatchRepository(station)
    with station.transaction("测试"):
        claims.add(frozen(), 2025, 2)
    # Someone edits the file outside zwdesk (dropping the guard first).
    connection = station.connection
    connection.execute("DROP TRIGGER claim_batches_snapshot_immutable")
    document = json.loads(connection.execute("SELECT snapshot FROM claim_batches").fetchone()[0])
    document["lines"][0]["amount"] = 99900
    connection.execute(
        "UPDATE claim_batches SET snapshot = ?", (json.dumps(document, ensure_ascii=False),)
    )
    with pytest.raises(StorageError, match="摘要不符"):
        claims.get(frozen().number)


def test_releasing_the_ledger_tombstones_its_lines_audited(station: StationDatabase) -> None:
    claims = ClaimBatchRepository(station)
    claim = frozen()
    with station.transaction("测试"):
        claims.add(claim, 2025, 2)
    with station.transaction("作废人"):
        claims.set_state(claim.number, ClaimState.CANCELLED, "填错")
        assert claims.release_ledger(claim.number) == 1

    assert claims.ledger_count(claim.number) == 0
    assert [line.claim for line in ClaimRepository(station).all()] == ["2025-中宁-B1-001"]
    assert claims.record(claim.number).state is ClaimState.CANCELLED
    assert claims.record(claim.number).reason == "填错"
    audit = station.connection.execute(
        "SELECT table_name, operation, new FROM audit_log WHERE actor = '作废人' ORDER BY id"
    ).fetchall()
    assert [(table, operation) for table, operation, _ in audit] == [
        ("claim_batches", "update"),
        ("claims", "delete"),
    ]
    assert json.loads(audit[0][2]) == {"state": "已作废", "reason": "填错"}


def test_attachment_keeps_the_bytes_and_audits_the_hash_only(station: StationDatabase) -> None:
    claims = ClaimBatchRepository(station)
    with station.transaction("测试"):
        claims.add(frozen(), 2025, 2)
    content = b"\x89PNG signed pages"
    digest = hashlib.sha256(content).hexdigest()
    with station.transaction("测试"):
        claims.attach(frozen().number, "签字页.png", digest, content)

    attachment = claims.attachment(frozen().number)
    assert attachment is not None
    assert (attachment.file_name, attachment.sha256, attachment.content) == (
        "签字页.png",
        digest,
        content,
    )
    assert claims.record(frozen().number).attachment_sha256 == digest
    new = station.connection.execute(
        "SELECT new FROM audit_log WHERE table_name = 'claim_attachments'"
    ).fetchone()[0]
    assert json.loads(new) == {
        "claim": frozen().number,
        "file_name": "签字页.png",
        "sha256": digest,
        "size": len(content),
    }


def test_find_filters_and_unknown_numbers_are_named(station: StationDatabase) -> None:
    claims = ClaimBatchRepository(station)
    with station.transaction("测试"):
        claims.add(frozen(), 2025, 2)
    assert [r.number for r in claims.find(organisation_id="B1")] == [frozen().number]
    assert claims.find(item=2) == []
    assert claims.find(states=[ClaimState.PAID]) == []
    assert claims.find(year=2025, states=[ClaimState.DRAFT])[0].number == frozen().number
    with pytest.raises(RecordNotFoundError, match="申领单2025-X不存在"):
        claims.get("2025-X")
