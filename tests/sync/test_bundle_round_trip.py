"""Build → open over a real station database: every changed record exactly once, small deltas."""

from __future__ import annotations

from collections import Counter
from typing import NoReturn

import pytest

from tests.sync.conftest import City, station_keys
from zwdesk.services import bundle_parts
from zwdesk.services.station_service import StationService
from zwdesk.services.sync_service import NothingToSendError, SyncService, build_bundle
from zwdesk.storage.database import StationDatabase
from zwdesk.storage.outbox_repository import SYNCED_TABLES
from zwdesk.sync.bundle import open_bundle
from zwdesk.sync.receipt import Receipt, sign_receipt


def stored_uuids(database: StationDatabase) -> dict[str, set[str]]:
    return {
        table: {row[0] for row in database.connection.execute(f"SELECT uuid FROM {table}")}
        for table in SYNCED_TABLES
    }


def acknowledge(service: SyncService, city: City, bundle_id: str) -> None:
    entry = next(entry for entry in service.outbox() if entry.bundle_id == bundle_id)
    receipt = Receipt(entry.bundle_id, "T1", entry.change_from, entry.change_to, "accepted")
    service.mark_acknowledged(sign_receipt(receipt, city.signing_key))


def test_every_changed_record_arrives_exactly_once(
    station: StationDatabase, sync: SyncService, city: City
) -> None:
    sealed = sync.build()
    manifest, records = open_bundle(sealed.data, city.private_key, station_keys(sync))
    print(f"initial bundle of the demo station: {len(sealed.data)} bytes, {len(records)} rows")

    received: dict[str, list[str]] = {}
    for record in records:
        if record.table != "audit_log":
            received.setdefault(record.table, []).append(record.record["uuid"])
    expected = stored_uuids(station)
    for table in SYNCED_TABLES:
        assert sorted(received.get(table, [])) == sorted(expected[table]), table
    # Tables the issue names are all there, with tombstones.
    for table in ("workers", "placements", "follow_ups", "claims", "claim_batches", "batches"):
        assert received.get(table), table
    tombstones = [r for r in records if r.table != "audit_log" and r.record["deleted_at"]]
    assert "placements" in {r.table for r in tombstones}
    audit_count = station.connection.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    assert manifest.counts["audit_log"] == audit_count
    assert Counter(r.table for r in records) == manifest.counts
    # References travel as UUIDs, never as local row ids.
    placement = next(r.record for r in records if r.table == "placements")
    assert "id" not in placement and "worker_id" not in placement
    assert placement["worker_uuid"] in expected["workers"]
    assert manifest.station_id == "T1"
    assert (manifest.change_from, manifest.change_to) == (1, station_change(station))
    assert manifest.format == "zwdesk-bundle/1"
    assert manifest.policy_version.startswith("zwdesk-policy")


def station_change(database: StationDatabase) -> int:
    return int(database.connection.execute("SELECT value FROM change_counter").fetchone()[0])


def test_a_one_record_change_makes_a_bundle_under_4_kb(
    station: StationDatabase, sync: SyncService, city: City
) -> None:
    first = sync.build()
    acknowledge(sync, city, first.manifest.bundle_id)
    assert sync.status_text() == "已同步"
    worker = station.connection.execute("SELECT id_number FROM workers LIMIT 1").fetchone()[0]
    StationService(station, actor="测试员").edit_worker(worker, phone="13900000000")
    assert sync.status_text() == "待发送 1 条"

    data = build_bundle(station)
    print(f"one-record bundle: {len(data)} bytes (initial: {len(first.data)} bytes)")
    assert len(data) <= 4096
    manifest, records = open_bundle(data, city.private_key, station_keys(sync))
    assert dict(manifest.counts) == {"workers": 1, "audit_log": 1}
    assert manifest.change_from == first.manifest.change_to + 1
    assert records[0].record["phone"] == "13900000000"


def test_nothing_to_send_builds_no_bundle(sync: SyncService, city: City) -> None:
    acknowledge(sync, city, sync.build().manifest.bundle_id)
    with pytest.raises(NothingToSendError, match="已同步"):
        sync.build()
    assert len(sync.outbox()) == 1


def test_a_tombstone_after_acknowledgement_travels_alone(
    station: StationDatabase, sync: SyncService, city: City
) -> None:
    acknowledge(sync, city, sync.build().manifest.bundle_id)
    code = station.connection.execute(
        "SELECT code FROM placements WHERE deleted_at IS NULL LIMIT 1"
    ).fetchone()[0]
    StationService(station, actor="测试员").delete_placement(code)
    _, records = open_bundle(sync.build().data, city.private_key, station_keys(sync))
    placements = [r.record for r in records if r.table == "placements"]
    assert len(placements) == 1 and placements[0]["deleted_at"] and placements[0]["code"] == code


def test_a_large_bundle_has_its_audit_lines_written_by_a_second_process(
    sync: SyncService, city: City, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From AUDIT_ENTRIES_IN_WORKER audit entries on, another process writes their lines; the
    payload is the same, line for line, as one written here."""
    here = sync.build()
    monkeypatch.setattr(bundle_parts, "AUDIT_ENTRIES_IN_WORKER", 1)

    def not_here(*_: object) -> NoReturn:  # the worker process imports its own, unpatched
        raise AssertionError("the audit lines were written in this process")

    monkeypatch.setattr(bundle_parts, "encode_lines", not_here)
    elsewhere = sync.build(since_change=0)

    keys = station_keys(sync)
    _, records_here = open_bundle(here.data, city.private_key, keys)
    _, records_elsewhere = open_bundle(elsewhere.data, city.private_key, keys)
    assert [(entry.table, entry.text) for entry in records_elsewhere] == [
        (entry.table, entry.text) for entry in records_here
    ]
    assert elsewhere.manifest.counts == here.manifest.counts
    assert here.manifest.counts["audit_log"] > 100


def test_without_a_second_process_the_audit_lines_are_written_here(
    sync: SyncService, city: City, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = sync.build()
    monkeypatch.setattr(bundle_parts, "AUDIT_ENTRIES_IN_WORKER", 1)

    def broken(*_: object, **__: object) -> NoReturn:
        raise OSError("no process may be started here")

    monkeypatch.setattr(bundle_parts.ProcessPoolExecutor, "submit", broken)
    fallback = sync.build(since_change=0)
    keys = station_keys(sync)
    assert [entry.text for entry in open_bundle(fallback.data, city.private_key, keys)[1]] == [
        entry.text for entry in open_bundle(here.data, city.private_key, keys)[1]
    ]
