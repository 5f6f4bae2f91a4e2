"""Receipts: a record counts as synced only when a valid city receipt covers its change."""

from __future__ import annotations

import base64
import json

import pytest
from nacl.signing import SigningKey

from tests.sync.conftest import City
from zwdesk.services.station_service import StationService
from zwdesk.services.sync_service import SyncService
from zwdesk.storage.database import StationDatabase
from zwdesk.sync.canonical import from_base64
from zwdesk.sync.errors import ReceiptError
from zwdesk.sync.receipt import Receipt, sign_receipt


def receipt_for(sync: SyncService, status: str = "accepted", **changes: object) -> Receipt:
    entry = sync.outbox()[-1]
    values: dict[str, object] = {
        "bundle_id": entry.bundle_id,
        "station_id": "T1",
        "change_from": entry.change_from,
        "change_to": entry.change_to,
        "status": status,
    }
    values.update(changes)
    return Receipt(**values)  # type: ignore[arg-type]


def test_a_valid_receipt_marks_the_range_synced(
    station: StationDatabase, sync: SyncService, city: City
) -> None:
    sealed = sync.build()
    pending = sync.pending_count()
    assert pending > 0 and sync.status_text() == f"待发送 {pending} 条"
    assert sync.outbox()[0].state == "待发送"
    entry = sync.mark_acknowledged(sign_receipt(receipt_for(sync), city.signing_key))
    assert entry.state == "已确认" and entry.acknowledged_at
    assert sync.synced_through() == sealed.manifest.change_to
    assert sync.pending_count() == 0 and sync.status_text() == "已同步"
    # The same receipt again changes nothing.
    again = sync.mark_acknowledged(sign_receipt(receipt_for(sync), city.signing_key))
    assert again.state == "已确认" and sync.synced_through() == sealed.manifest.change_to


def test_a_change_made_after_the_bundle_stays_pending(
    station: StationDatabase, sync: SyncService, city: City
) -> None:
    sync.build()
    worker = station.connection.execute("SELECT id_number FROM workers LIMIT 1").fetchone()[0]
    StationService(station, actor="测试员").edit_worker(worker, name="马改")
    sync.mark_acknowledged(sign_receipt(receipt_for(sync), city.signing_key))
    assert sync.status_text() == "待发送 1 条"


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("forged", "签名不是市里的"),
        ("other-station", "不是本站的"),
        ("unknown-bundle", "没有生成过"),
        ("other-range", "变更范围"),
        ("altered", "签名不是市里的"),
        ("garbage", "不是 zwdesk-receipt/1"),
    ],
)
def test_invalid_receipts_change_nothing(
    sync: SyncService, city: City, kind: str, message: str
) -> None:
    sync.build()
    key = city.signing_key
    receipt = receipt_for(sync)
    if kind == "forged":
        key = SigningKey.generate()
    elif kind == "other-station":
        receipt = receipt_for(sync, station_id="T2")
    elif kind == "unknown-bundle":
        receipt = receipt_for(sync, bundle_id="00000000-0000-4000-8000-000000000000")
    elif kind == "other-range":
        receipt = receipt_for(sync, change_to=receipt.change_to + 5)
    data = sign_receipt(receipt, key)
    if kind == "altered":
        envelope = json.loads(data)
        body = from_base64(envelope["body"]).replace(b'"to":', b'"to":1')
        envelope["body"] = base64.b64encode(body).decode()
        data = json.dumps(envelope).encode()
    elif kind == "garbage":
        data = b"not a receipt"
    with pytest.raises(ReceiptError, match=message) as caught:
        sync.mark_acknowledged(data)
    print(caught.value)
    assert sync.outbox()[-1].state == "待发送"
    assert sync.synced_through() == 0


def test_a_rejection_keeps_the_records_pending_with_the_reason(
    sync: SyncService, city: City
) -> None:
    sync.build()
    pending = sync.pending_count()
    receipt = receipt_for(sync, "rejected", reason="签名所用公钥未登记")
    entry = sync.mark_acknowledged(sign_receipt(receipt, city.signing_key))
    assert entry.state == "被拒" and entry.reason == "签名所用公钥未登记"
    assert sync.pending_count() == pending and sync.synced_through() == 0


def test_receipts_chain_ranges_and_a_gap_stops_the_count(
    station: StationDatabase, sync: SyncService, city: City
) -> None:
    first = sync.build()
    worker = station.connection.execute("SELECT id_number FROM workers LIMIT 1").fetchone()[0]
    StationService(station, actor="测试员").edit_worker(worker, name="马改")
    # Built before the first was acknowledged: it starts at 1 again and covers everything.
    second = sync.build()
    assert second.manifest.change_from == 1
    sync.mark_acknowledged(sign_receipt(receipt_for(sync), city.signing_key))
    assert sync.synced_through() == second.manifest.change_to
    older = Receipt(first.manifest.bundle_id, "T1", 1, first.manifest.change_to, "accepted")
    sync.mark_acknowledged(sign_receipt(older, city.signing_key))
    assert sync.synced_through() == second.manifest.change_to
