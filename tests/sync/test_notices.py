"""The city's notices on a station's records: carried by receipts, stored by the station,
readable per record — replaced by each newer receipt, never by an older one."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

from tests.city.conftest import running_server
from tests.sync.city_link import Link, connect, policy_text, write_policy
from tests.sync.city_link import any_link as any_link  # fixture: the city on SQLite, PostgreSQL
from tests.sync.city_link import link as link  # fixture: the city on SQLite
from zwdesk.city.policy_publish import publish_policy_file
from zwdesk.city.records import CityConflict, RecordRef
from zwdesk.city.server import create_app
from zwdesk.services.sync_sender import SyncSender, SyncState
from zwdesk.storage.database import StationDatabase
from zwdesk.storage.sync_notice_repository import SyncNotice
from zwdesk.sync.http_client import CityClient
from zwdesk.sync.receipt import MAX_NOTICE_CHARS, MAX_NOTICES, Receipt, sign_receipt

TWICE = "第二项：此人2025年的一次性交通补贴已由另一站点申领（站点 T2），每人每年只享受一次"
SAME_PLACEMENT = "同一就业记录由两个组织者申报：请核实组织者"


def uuids(station: StationDatabase, table: str, count: int) -> list[str]:
    rows = station.connection.execute(f"SELECT uuid FROM {table} ORDER BY id LIMIT ?", (count,))
    return [str(row[0]) for row in rows]


def find_conflicts(link: Link) -> tuple[str, str, str]:
    """Two open findings of the city: one about a T1 worker (and a T2 record), one about a
    T1 placement. Returns (worker uuid, placement uuid, an unconcerned worker's uuid)."""
    worker, untouched = uuids(link.station, "workers", 2)
    [placement] = uuids(link.station, "placements", 1)
    link.city_db.replace_conflicts(
        [
            CityConflict(
                "item2:p1:2025",
                "item2-twice",
                2025,
                TWICE,
                (RecordRef("T1", "workers", worker), RecordRef("T2", "workers", "t2-worker")),
            ),
            CityConflict(
                "placement:x",
                "placement-twice",
                2025,
                SAME_PLACEMENT,
                (RecordRef("T1", "placements", placement),),
            ),
        ]
    )
    return worker, placement, untouched


def test_notices_travel_with_the_receipt_and_are_read_per_record(any_link: Link) -> None:
    link = any_link
    worker, placement, untouched = find_conflicts(link)
    outcome = link.round_trip()
    assert outcome.entry.state == "已确认"
    assert outcome.notices_replaced and outcome.notice_count == 2
    assert link.sync.notices() == [
        SyncNotice("workers", worker, TWICE),
        SyncNotice("placements", placement, SAME_PLACEMENT),
    ]  # another station's record is not ours to show
    assert link.sync.notices_for("workers", worker) == [SyncNotice("workers", worker, TWICE)]
    assert link.sync.notices_for("placements", placement)[0].message == SAME_PLACEMENT
    assert link.sync.notices_for("workers", untouched) == []
    assert link.sync.notices_for("placements", worker) == []  # the table matters too
    assert link.sync.notices_omitted() == 0


def test_a_resolved_finding_goes_with_the_next_receipt_and_an_older_one_does_not_return_it(
    any_link: Link,
) -> None:
    link = any_link
    worker, _, _ = find_conflicts(link)
    link.round_trip()
    assert len(link.sync.notices()) == 2
    link.city_db.resolve_conflict("item2:p1:2025", "T2 的申领已退回", "市就业局 王")
    link.round_trip()
    assert link.sync.notices_for("workers", worker) == []
    assert [notice.message for notice in link.sync.notices()] == [SAME_PLACEMENT]
    # A receipt the city issued earlier (say, a USB stick brought back late) is older news.
    link.change_something()
    entry = link.sync.build().manifest
    stale = Receipt(
        entry.bundle_id,
        "T1",
        entry.change_from,
        entry.change_to,
        "accepted",
        issued_at="2025-01-02T08:00:00+00:00",
        notices=(),
    )
    outcome = link.sync.accept_receipt(sign_receipt(stale, link.keys.signing_key))
    assert outcome.entry.state == "已确认" and not outcome.notices_replaced
    assert [notice.message for notice in link.sync.notices()] == [SAME_PLACEMENT]


def test_a_receipt_without_notices_leaves_them_alone(link: Link) -> None:
    """An older city's receipt says nothing about notices — which is not "none"."""
    find_conflicts(link)
    link.round_trip()
    link.change_something()
    entry = link.sync.build().manifest
    old_format = Receipt(entry.bundle_id, "T1", entry.change_from, entry.change_to, "accepted")
    outcome = link.sync.accept_receipt(sign_receipt(old_format, link.keys.signing_key))
    assert outcome.entry.state == "已确认" and not outcome.notices_replaced
    assert len(link.sync.notices()) == 2


def test_more_notices_than_a_receipt_carries_are_capped_and_counted(link: Link) -> None:
    long_message = "核实" * MAX_NOTICE_CHARS  # twice the longest message a receipt carries
    extra = 50
    link.city_db.replace_conflicts(
        CityConflict(
            f"k{n:05d}",
            "test",
            2025,
            long_message if n == 0 else f"意见{n}",
            (RecordRef("T1", "follow_ups", f"{n:036d}"),),
        )
        for n in range(MAX_NOTICES + extra)
    )
    outcome = link.round_trip()
    assert outcome.notice_count == MAX_NOTICES
    assert link.sync.notices_omitted() == extra
    first = link.sync.notices()[0]
    assert len(first.message) == MAX_NOTICE_CHARS and first.message.endswith("…")


def test_notices_and_policy_updates_arrive_through_the_http_sender(
    station: StationDatabase, tmp_path: Path
) -> None:
    """The background sender takes the receipt through the same path as a USB receipt."""
    link = connect(station, tmp_path, register=False)
    worker, _, _ = find_conflicts(link)
    publish_policy_file(
        link.city_db, write_policy(tmp_path, "2026-01-01.toml", policy_text("2026-01-01"))
    )
    with link.city_db, running_server(create_app(link.intake)) as url:
        sender = SyncSender(
            station,
            client_factory=lambda _url: CityClient(url, timeout=30, use_system_proxy=False),
            rng=random.Random(1),
        )
        assert sender.send_once(datetime.now(UTC)).state is SyncState.SYNCED
    assert link.sync.notices_for("workers", worker)[0].message == TWICE
    assert [held.name for held in link.sync.policy_updates()] == ["2026-01-01.toml"]
