"""Policy updates: the city publishes a signed parameter file, the next receipt carries it, the
station checks the signature and applies it from its effective date — and nothing else."""

from __future__ import annotations

import base64
import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from nacl.signing import SigningKey

from tests.sync.city_link import Link, policy_text, write_policy
from tests.sync.city_link import any_link as any_link  # fixture: the city on SQLite, PostgreSQL
from tests.sync.city_link import link as link  # fixture: the city on SQLite
from zwdesk.city.database import CityDatabase
from zwdesk.city.errors import CityError
from zwdesk.city.intake import VIA_FILE
from zwdesk.city.keys import load_city_keys
from zwdesk.city.policy_publish import publish_policy_file
from zwdesk.cli import main
from zwdesk.domain.dates import qualifying_date
from zwdesk.domain.policy.parameters import PolicyParameterError
from zwdesk.services.policy_files import default_schedule, station_schedule
from zwdesk.services.results_format import results_document
from zwdesk.services.subsidy_service import SubsidyService
from zwdesk.services.sync_service import SyncService
from zwdesk.storage.scenario_repository import load_scenario
from zwdesk.sync.canonical import canonical_json, from_base64, to_base64
from zwdesk.sync.errors import ReceiptError
from zwdesk.sync.policy_update import MAX_POLICY_FILE_BYTES, MAX_POLICY_UPDATES, PolicyUpdate
from zwdesk.sync.receipt import (
    MAX_NOTICE_CHARS,
    MAX_NOTICES,
    MAX_RECEIPT_BYTES,
    Receipt,
    ReceiptNotice,
    sign_receipt,
    verify_receipt,
)

AS_OF = date(2025, 12, 31)
CHANGE = date(2025, 9, 1)  # within the demo station's year: events on both sides


RAISE_TRANSPORT = ("cross_province = 800", "cross_province = 1000")


@pytest.fixture
def city_db(tmp_path: Path) -> CityDatabase:
    """A city without stations (its keys made), for checks that need no station."""
    load_city_keys(create=True)
    return CityDatabase(tmp_path / "city.db")


def publish_command(target: str, path: Path) -> int:
    return main(["city", "policy", "publish", str(path), "--db", target])


def publish(link: Link, path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code = publish_command(link.city_target, path)
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def transport_amounts(service: SubsidyService) -> dict[str, int]:
    """Item 2 amount per placement, as the window computes it."""
    document = results_document(service.compute(AS_OF))
    return {row["placement"]: row["amount"] for row in document["transport"] if row["placement"]}


def test_published_update_reaches_the_station_and_changes_only_later_events(
    any_link: Link, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = any_link
    window = SubsidyService(link.station)  # one long-lived service, as the window keeps it
    before = results_document(window.compute(AS_OF))
    path = write_policy(tmp_path, "2025-09-01.toml", policy_text("2025-09-01", RAISE_TRANSPORT))
    out = publish(link, path, capsys)
    assert "已发布政策参数文件 2025-09-01.toml" in out and "自 2025-09-01 起生效" in out

    outcome = link.round_trip()
    assert outcome.entry.state == "已确认"
    assert outcome.policy_applied == ("2025-09-01.toml",) and outcome.policy_refused == ()
    [held] = link.sync.policy_updates()
    assert held.content == path.read_bytes() and held.effective_from == "2025-09-01"
    schedule = link.sync.policy_schedule()
    assert [item.effective_from for item in schedule.parameter_sets] == [
        date(2025, 1, 1),
        CHANGE,
    ]

    after = results_document(window.compute(AS_OF))
    starts = {p.id: p.start for p in load_scenario(link.station).placements}
    old = {row["placement"]: row for row in before["transport"] if row["placement"]}
    new = {row["placement"]: row for row in after["transport"] if row["placement"]}
    assert old.keys() == new.keys()
    earlier = later = 0
    for placement, row in old.items():
        qualified = qualifying_date(starts[placement], 6)
        if row["kind"] != "cross_province" or row["entitlement"] == 0 or qualified < CHANGE:
            assert new[placement] == row  # an event before the change computes the same
            earlier += row["entitlement"] == 800
        else:
            assert row["entitlement"] == 800 and new[placement]["entitlement"] == 1000
            assert "可享受1000元" in "".join(new[placement]["explanation"])
            # Item 2 is paid once a year: what a frozen claim already paid is not topped up.
            assert new[placement]["amount"] in (row["amount"], 1000)
            later += 1
    assert earlier > 0 and later > 0  # the demo station has events on both sides
    # Nothing but item 2 moved: the yearly items use the file in force on 1 January.
    for section in ("station_tiers", "broker_rewards", "workshops", "batches", "gig"):
        assert after[section] == before[section], section


def test_a_received_file_replaces_the_shipped_one_of_the_same_date(
    link: Link, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_policy(tmp_path, "2025-01-01.toml", policy_text("2025-01-01", RAISE_TRANSPORT))
    publish(link, path, capsys)
    assert link.round_trip().policy_applied == ("2025-01-01.toml",)
    schedule = station_schedule(link.station)
    assert len(schedule.parameter_sets) == 1
    assert schedule.at(date(2025, 6, 1)).transport.cross_province == 1000
    assert default_schedule().at(date(2025, 6, 1)).transport.cross_province == 800


def test_the_usb_receipt_command_reports_the_update(
    link: Link, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    publish(link, write_policy(tmp_path, "2026-01-01.toml", policy_text("2026-01-01")), capsys)
    receipt = tmp_path / "receipt.json"
    receipt.write_bytes(link.receipt())
    assert main(["sync", "receipt", str(receipt), "--db", str(link.station.path)]) == 0
    out = capsys.readouterr().out
    assert "已确认" in out and "已采用市里发布的政策参数文件 2026-01-01.toml" in out
    assert [held.name for held in SyncService(link.station).policy_updates()] == ["2026-01-01.toml"]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "2026-01-01.toml",
            policy_text("2026-01-01", ("cross_province = 800", "cross_provinse = 800")),
            ["2026-01-01.toml", "transport.cross_provinse", "未知参数"],
        ),
        (
            "2026-01-01.toml",
            policy_text("2026-01-01", ("cross_province = 800", 'cross_province = "800"')),
            ["2026-01-01.toml", "transport.cross_province"],
        ),
        ("2026-01-01.toml", "format = [", ["2026-01-01.toml", "不是有效的 TOML"]),
        ("新参数.toml", policy_text("2026-01-01"), ["新参数.toml", "应为生效日期"]),
        (
            "2026-07-01.toml",
            policy_text("2026-01-01"),
            ["2026-07-01.toml", "effective_from", "2026-01-01", "不一致"],
        ),
    ],
    ids=["misspelt key", "amount as text", "not TOML", "name not a date", "date mismatch"],
)
def test_a_bad_file_is_refused_at_publishing(
    city_db: CityDatabase,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    text: str,
    message: list[str],
) -> None:
    path = write_policy(tmp_path, name, text)
    code = publish_command(str(city_db.path), path)
    err = capsys.readouterr().err
    assert code == 2
    for part in message:
        assert part in err
    assert city_db.policy_updates() == []


def test_a_published_file_cannot_be_changed_and_publishing_again_is_harmless(
    link: Link, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_policy(tmp_path, "2026-01-01.toml", policy_text("2026-01-01"))
    publish(link, path, capsys)
    assert "此前已发布" in publish(link, path, capsys)
    path.write_text(policy_text("2026-01-01", RAISE_TRANSPORT), encoding="utf-8")
    code = publish_command(link.city_target, path)
    assert code == 2 and "已发给站点的文件不能更改" in capsys.readouterr().err
    [row] = link.city_db.policy_updates()
    assert b"cross_province = 800" in row.content


def test_the_city_may_publish_at_most_the_cap(link: Link, tmp_path: Path) -> None:
    for month in range(1, MAX_POLICY_UPDATES + 1):
        day = f"{2026 + (month - 1) // 12}-{(month - 1) % 12 + 1:02d}-01"
        publish_policy_file(link.city_db, write_policy(tmp_path, f"{day}.toml", policy_text(day)))
    one_more = write_policy(tmp_path, "2030-01-01.toml", policy_text("2030-01-01"))
    with pytest.raises(CityError, match="达到上限"):
        publish_policy_file(link.city_db, one_more)
    outcome = link.round_trip()  # every one of them travels, and is applied
    assert len(outcome.policy_applied) == MAX_POLICY_UPDATES


def _tamper_body(receipt: bytes, change: Any) -> bytes:
    """The receipt with its body altered and the city's signature left as it was."""
    envelope = json.loads(receipt)
    body = json.loads(from_base64(envelope["body"]))
    change(body)
    envelope["body"] = to_base64(canonical_json(body))
    return canonical_json(envelope)


def test_a_receipt_altered_on_the_way_is_refused_and_changes_nothing(
    link: Link, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    publish(link, write_policy(tmp_path, "2025-09-01.toml", policy_text("2025-09-01")), capsys)
    receipt = link.receipt()
    raised = policy_text("2025-09-01", RAISE_TRANSPORT).encode()

    def swap_content(body: dict[str, Any]) -> None:
        body["policy_updates"][0]["content"] = to_base64(raised)

    with pytest.raises(ReceiptError, match="签名不是市里的"):
        link.sync.accept_receipt(_tamper_body(receipt, swap_content))
    assert link.sync.outbox()[-1].state == "待发送"  # the acknowledgement did not count either
    assert link.sync.policy_updates() == [] and link.sync.policy_refusals() == []
    assert station_schedule(link.station) is default_schedule()


@pytest.mark.parametrize("column", ["content", "signature"])
def test_an_update_whose_own_signature_fails_is_refused_but_the_receipt_counts(
    link: Link, tmp_path: Path, capsys: pytest.CaptureFixture[str], column: str
) -> None:
    """The city's stored file was altered after signing (or signed by another key): the
    receipt is genuine, so its acknowledgement counts; the update is refused and recorded."""
    window = SubsidyService(link.station)
    before = transport_amounts(window)
    publish(link, write_policy(tmp_path, "2025-09-01.toml", policy_text("2025-09-01")), capsys)
    if column == "content":
        value = policy_text("2025-09-01", RAISE_TRANSPORT).encode()
    else:
        value = SigningKey.generate().sign(b"anything").signature
    with sqlite3.connect(tmp_path / "city.db") as connection:
        connection.execute(f"UPDATE policy_updates SET {column} = ?", (value,))
    connection.close()

    outcome = link.round_trip()
    assert outcome.entry.state == "已确认" and link.sync.pending_count() == 0
    assert outcome.policy_applied == ()
    [refusal] = outcome.policy_refused
    assert refusal.name == "2025-09-01.toml" and "签名无效" in refusal.reason
    assert link.sync.policy_refusals() == [refusal]
    assert link.sync.policy_updates() == []
    assert transport_amounts(window) == before  # nothing applied
    # The same bad file in the next receipt is the same refusal, recorded once.
    assert link.round_trip().policy_refused[0].reason == refusal.reason
    assert len(link.sync.policy_refusals()) == 1


def test_a_receipt_replayed_gives_the_same(
    any_link: Link, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = any_link
    bundle = link.sync.build()
    first = link.intake.receive(bundle.data, via=VIA_FILE).receipt
    publish(link, write_policy(tmp_path, "2025-09-01.toml", policy_text("2025-09-01")), capsys)
    # The city answers a bundle it already has with the receipt it gave the first time …
    assert link.intake.receive(bundle.data, via=VIA_FILE).receipt == first
    assert link.sync.accept_receipt(first).policy_applied == ()
    # … the next bundle's receipt brings the update; taking it twice changes nothing more.
    second = link.receipt()
    applied = link.sync.accept_receipt(second)
    again = link.sync.accept_receipt(second)
    assert applied.policy_applied == ("2025-09-01.toml",) and again.policy_applied == ()
    assert (again.entry.state, again.entry.change_to) == ("已确认", applied.entry.change_to)
    # An older receipt taken late does not take the update away.
    link.sync.accept_receipt(first)
    assert [held.name for held in link.sync.policy_updates()] == ["2025-09-01.toml"]


def test_a_received_file_altered_in_the_station_database_is_an_error(
    link: Link, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    publish(link, write_policy(tmp_path, "2025-09-01.toml", policy_text("2025-09-01")), capsys)
    link.round_trip()
    assert len(station_schedule(link.station).parameter_sets) == 2
    altered = policy_text("2025-09-01", RAISE_TRANSPORT).encode()
    link.station.connection.execute("UPDATE policy_updates SET content = ?", (altered,))
    with pytest.raises(PolicyParameterError, match=r"2025-09-01\.toml 无法核对.*签名无效"):
        station_schedule(link.station)
    with pytest.raises(PolicyParameterError):
        SubsidyService(link.station).compute(AS_OF)


def test_an_old_format_receipt_still_verifies(link: Link) -> None:
    """A receipt without the new fields (an older city) is the bytes it always was."""
    entry = link.sync.build().manifest
    receipt = Receipt(entry.bundle_id, "T1", entry.change_from, entry.change_to, "accepted")
    data = sign_receipt(receipt, link.keys.signing_key)
    body = json.loads(base64.b64decode(json.loads(data)["body"]))
    assert "policy_updates" not in body and "notices" not in body
    parsed = verify_receipt(data, link.keys.signing_key.verify_key)
    assert parsed.policy_updates is None and parsed.notices is None
    outcome = link.sync.accept_receipt(data)
    assert outcome.entry.state == "已确认" and outcome.policy_applied == ()


def test_a_receipt_at_every_cap_stays_within_the_size_limit() -> None:
    """16 files of the largest size and 1,000 notices of the longest message still fit."""
    key = SigningKey.generate()
    filler = bytes(range(256)) * (MAX_POLICY_FILE_BYTES // 256)
    updates = tuple(
        PolicyUpdate(f"2026-01-{n + 1:02d}.toml", f"2026-01-{n + 1:02d}", filler, bytes(64))
        for n in range(MAX_POLICY_UPDATES)
    )
    notices = tuple(
        ReceiptNotice("placements", f"{n:036d}", "重" * MAX_NOTICE_CHARS)
        for n in range(MAX_NOTICES)
    )
    receipt = Receipt("b" * 36, "T1", 1, 2, "accepted", policy_updates=updates, notices=notices)
    data = sign_receipt(receipt, key)
    assert len(data) <= MAX_RECEIPT_BYTES
    parsed = verify_receipt(data, key.verify_key)
    assert parsed.policy_updates == updates and parsed.notices == notices
    with pytest.raises(ReceiptError, match="最多"):
        sign_receipt(Receipt("b" * 36, "T1", 1, 2, "accepted", notices=notices + notices[:1]), key)
