"""Three stations send over 500 bundles to the real city server through a proxy that drops,
resets, delays, truncates and duplicates connections: the city ends with every record exactly
once, every station with valid receipts for everything it built, and the server still serves."""

from __future__ import annotations

import hashlib
import logging
import random
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from nacl.signing import VerifyKey

from tests.city.conftest import CityServer, Station, enrolled_station, register
from tests.city.tcp_proxy import FAULTS, Exchange, Fault, FaultMix, FaultProxy
from tests.sync.conftest import fill_demo
from zwdesk.city.commands import add_station
from zwdesk.domain.resident_id import check_digit
from zwdesk.services.station_service import StationService
from zwdesk.services.sync_sender import SyncSender, SyncState
from zwdesk.services.sync_service import SyncService
from zwdesk.storage.database import StationDatabase, open_station_database
from zwdesk.storage.outbox_repository import CONFIRMED, SYNCED_TABLES
from zwdesk.sync.http_client import CityClient, CityOfflineError
from zwdesk.sync.receipt import verify_receipt

STATIONS = ("S1", "S2", "S3")
BUNDLES_PER_STATION = 170  # 510 in all
CLIENT_TIMEOUT = 5.0  # a delay fault stays well below it: no test waits for a timeout
SOAK_MIX = FaultMix(rate=0.3, delay_seconds=(0.002, 0.03), max_in_a_row=3)
MAX_ATTEMPTS_PER_BUNDLE = 60
BUNDLES_PATH = "/v1/bundles"

Record = tuple[str, str, int]  # (table, uuid, change number)


def _client(url: str) -> CityClient:
    return CityClient(url, timeout=CLIENT_TIMEOUT, use_system_proxy=False)


def _sender(database: StationDatabase, seed: int) -> SyncSender:
    # The station's own client, to the URL of its enrolment file (the proxy).
    return SyncSender(database, client_factory=_client, rng=random.Random(seed))


def checksum(records: Iterable[Record]) -> str:
    digest = hashlib.sha256()
    for table, uuid, change in sorted(records):
        digest.update(f"{table}|{uuid}|{change}\n".encode())
    return digest.hexdigest()


class StationEdits:
    """Small edits a station makes between sends, a few records each: renames, phone numbers,
    new workers, follow-ups, deleted placements (tombstones, with their follow-ups)."""

    def __init__(self, database: StationDatabase, rng: random.Random, station_id: str) -> None:
        self.database = database
        self.rng = rng
        self.station_id = station_id
        self.service = StationService(database, actor=f"{station_id}测试员")
        self.made: Counter[str] = Counter()
        self._serial = 0

    def _column(self, query: str) -> list[str]:
        return [str(row[0]) for row in self.database.connection.execute(query)]

    def make(self) -> None:
        kinds: dict[str, Callable[[], None]] = {
            "rename": self._rename,
            "phone": self._phone,
            "new-worker": self._new_worker,
            "follow-up": self._follow_up,
            "delete-placement": self._delete_placement,
        }
        kind = self.rng.choices(list(kinds), weights=[5, 2, 2, 2, 1])[0]
        kinds[kind]()
        self.made[kind] += 1

    def _live_worker(self) -> str:
        ids = self._column("SELECT id_number FROM workers WHERE deleted_at IS NULL ORDER BY id")
        return self.rng.choice(ids)

    def _rename(self) -> None:
        self._serial += 1
        self.service.edit_worker(self._live_worker(), name=f"马{self.station_id}{self._serial}")

    def _phone(self) -> None:
        self.service.edit_worker(self._live_worker(), phone=f"139{self.rng.randrange(10**8):08d}")

    def _new_worker(self) -> None:
        # A new ID number with an existing worker's birth-place code (the demo's people are at
        # all three stations already: the city must count each of them once).
        template = self._live_worker()
        known = set(self._column("SELECT id_number FROM workers"))
        while True:
            born = date(1970, 1, 1) + timedelta(days=self.rng.randrange(15000))
            stem = f"{template[:6]}{born:%Y%m%d}{self.rng.randrange(1000):03d}"
            number = stem + check_digit(stem)
            if number not in known:
                break
        county = self._column(f"SELECT hukou_county FROM workers WHERE id_number = '{template}'")
        self.service.add_worker(number, f"新{self.station_id}{len(known)}", county[0])

    def _live_placement(self) -> tuple[str, date] | None:
        rows = self.database.connection.execute(
            "SELECT code, start_date FROM placements WHERE deleted_at IS NULL"
            " AND start_date <= date('now') ORDER BY id"
        ).fetchall()
        if not rows:
            return None
        code, start = self.rng.choice(rows)
        return str(code), date.fromisoformat(start)

    def _follow_up(self) -> None:
        placement = self._live_placement()
        if placement is None:
            return self._rename()
        code, start = placement
        today = date.today()
        day = start + timedelta(days=self.rng.randrange(max((today - start).days, 0) + 1))
        self.service.record_follow_up(code, day, "电话", "在岗", today=today)

    def _delete_placement(self) -> None:
        placement = self._live_placement()
        if placement is None:
            return self._rename()
        self.service.delete_placement(placement[0])


@dataclass
class StationOutcome:
    """What one station holds at the end, read from its own database."""

    station_id: str
    records: set[Record]
    table_counts: Counter[str]
    audit_entries: int
    id_numbers: set[str]
    outbox: list[tuple[str, str, int, int, bytes | None]]  # id, state, from, to, receipt
    pending: int
    attempts: int
    states: Counter[str]
    failures: Counter[str]  # why attempts failed, as the station showed it
    edits: Counter[str]


def station_records(database: StationDatabase) -> tuple[set[Record], Counter[str]]:
    records: set[Record] = set()
    counts: Counter[str] = Counter()
    for table in SYNCED_TABLES:
        for uuid, change in database.connection.execute(f"SELECT uuid, change_number FROM {table}"):
            records.add((table, str(uuid), int(change)))
            counts[table] += 1
    return records, counts


def send_until_synced(
    sender: SyncSender,
    edits: StationEdits,
    rng: random.Random,
    states: Counter[str],
    failures: Counter[str],
) -> tuple[int, int]:
    """Call `send_once` until nothing is left (no backoff waited: the next attempt is now).
    Between failed attempts the station sometimes goes on working, so new changes pile up
    behind a bundle still unacknowledged. Returns (attempts, bundles acknowledged)."""
    attempts = acknowledged = 0
    while True:
        attempts += 1
        assert attempts <= MAX_ATTEMPTS_PER_BUNDLE, f"still not synced: {states}"
        status = sender.send_once(datetime.now(UTC))
        states[status.state.name] += 1
        if status.failed:
            failures[f"{status.state.name}: {status.reason}"] += 1
        if status.state is SyncState.SYNCED:
            return attempts, acknowledged + 1
        if status.state is SyncState.PENDING:  # one bundle went through, more to send
            acknowledged += 1
        elif rng.random() < 0.15:
            edits.make()


def drive_station(
    station_id: str, path: Path, enrolment: Path, bundles: int, seed: int
) -> StationOutcome:
    """One station in its own thread (SQLite connections stay in the thread that opened them):
    fill it, enrol it, then edit and send until `bundles` bundles are acknowledged."""
    rng = random.Random(seed)
    with open_station_database(path) as database:
        fill_demo(database)
        SyncService(database).enrol(enrolment)
        sender = _sender(database, seed)
        edits = StationEdits(database, rng, station_id)
        states: Counter[str] = Counter()
        failures: Counter[str] = Counter()
        attempts, acknowledged = send_until_synced(sender, edits, rng, states, failures)
        while acknowledged < bundles:
            for _ in range(rng.choice((1, 1, 1, 2, 3))):
                edits.make()
            more_attempts, more = send_until_synced(sender, edits, rng, states, failures)
            attempts += more_attempts
            acknowledged += more
        records, counts = station_records(database)
        connection = database.connection
        return StationOutcome(
            station_id=station_id,
            records=records,
            table_counts=counts,
            audit_entries=int(connection.execute("SELECT count(*) FROM audit_log").fetchone()[0]),
            id_numbers={str(row[0]) for row in connection.execute("SELECT id_number FROM workers")},
            outbox=[
                (str(row[0]), str(row[1]), int(row[2]), int(row[3]), row[4])
                for row in connection.execute(
                    "SELECT bundle_id, state, change_from, change_to, receipt FROM sync_outbox"
                    " ORDER BY change_from, id"
                )
            ],
            pending=SyncService(database).pending_count(),
            attempts=attempts,
            states=states,
            failures=failures,
            edits=edits.made,
        )


def test_over_500_bundles_from_three_stations_arrive_exactly_once_through_a_faulty_network(
    server: CityServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    city = server.database
    with FaultProxy(server.url, SOAK_MIX, seed=20250601) as proxy:
        enrolments = {}
        for station_id in STATIONS:
            enrolments[station_id] = tmp_path / f"{station_id}.enrol.json"
            add_station(city, station_id, f"{station_id} 工作站", proxy.url, enrolments[station_id])
        with ThreadPoolExecutor(len(STATIONS)) as pool:
            futures = [
                pool.submit(
                    drive_station,
                    station_id,
                    tmp_path / f"{station_id}.db",
                    enrolments[station_id],
                    BUNDLES_PER_STATION,
                    seed,
                )
                for seed, station_id in enumerate(STATIONS, start=1)
            ]
            outcomes = [future.result() for future in futures]

        # Every kind of fault happened, and on uploads the ones that matter most.
        print(f"faults: {dict(proxy.counts)}")
        for outcome in outcomes:
            print(
                f"{outcome.station_id}: {len(outcome.outbox)} bundles, {outcome.attempts}"
                f" attempts, {dict(outcome.states)}, edits {dict(outcome.edits)}"
            )
        assert all(proxy.counts[fault] > 0 for fault in FAULTS), proxy.counts
        on_uploads = proxy.faults_on(BUNDLES_PATH)
        for fault in (Fault.DUPLICATE, Fault.RESET, Fault.TRUNCATE_RESPONSE):
            assert on_uploads[fault] > 0, on_uploads
        lost_answers = [
            exchange
            for exchange in proxy.exchanges
            if exchange.path == BUNDLES_PATH
            and exchange.status == 200
            and exchange.fault in (Fault.RESET, Fault.TRUNCATE_RESPONSE)
        ]
        assert lost_answers, "no upload was stored by the city with its answer lost"
        # The server never failed: every answer it gave was 200 (or an honest refusal of the
        # used-up token after a lost registration answer), never a 5xx.
        statuses = Counter(exchange.status for exchange in proxy.exchanges if exchange.status)
        assert set(statuses) <= {200, 403}, statuses
        # A bundle arriving twice at the same moment got the same receipt both times.
        duplicated_uploads = [d for d in proxy.duplicates if d.path == BUNDLES_PATH]
        assert duplicated_uploads
        for answers in duplicated_uploads:
            assert answers.first[0] == answers.second[0] == 200
            assert answers.first[1] == answers.second[1]

        # Each station: every bundle it built acknowledged, with a receipt that verifies and is
        # the one the city keeps; the ranges chain from 1 without gap or overlap.
        city_key = VerifyKey(bytes(server.keys.signing_key.verify_key))
        built: list[str] = []
        for outcome in outcomes:
            assert outcome.pending == 0
            # Every fault read as 离线 at the station: none as 出错 (a bad receipt, bad JSON).
            assert set(outcome.states) <= {"OFFLINE", "PENDING", "SYNCED"}, outcome.failures
            assert {entry[1] for entry in outcome.outbox} == {CONFIRMED}
            expected_from = 1
            for bundle_id, _, change_from, change_to, receipt_bytes in outcome.outbox:
                assert change_from == expected_from
                expected_from = change_to + 1
                assert receipt_bytes is not None
                receipt = verify_receipt(bytes(receipt_bytes), city_key)
                assert receipt.accepted and receipt.bundle_id == bundle_id
                assert receipt.station_id == outcome.station_id
                assert (receipt.change_from, receipt.change_to) == (change_from, change_to)
                stored = city.bundle(bundle_id)
                assert stored is not None and stored.receipt == bytes(receipt_bytes)
                built.append(bundle_id)
        assert len(built) >= 500 and len(set(built)) == len(built)

        # The city: exactly the bundles built (none twice, none extra) and every record once,
        # in the version the station holds now — counts and checksums agree at both ends.
        counts = city.counts()
        assert counts["bundles"] == len(built)
        station_side = set().union(*(outcome.records for outcome in outcomes))
        assert len(station_side) == sum(len(outcome.records) for outcome in outcomes)
        city_side = {
            (table, uuid, change) for (table, uuid), change in city.record_versions().items()
        }
        assert checksum(city_side) == checksum(station_side)
        assert city_side == station_side
        for table in SYNCED_TABLES:
            expected = sum(outcome.table_counts[table] for outcome in outcomes)
            assert counts.get(f"records.{table}", 0) == expected, table
        assert counts["audit_entries"] == sum(outcome.audit_entries for outcome in outcomes)
        people = set().union(*(outcome.id_numbers for outcome in outcomes))
        assert counts["persons"] == len(people)  # the demo's people are at all three stations
        assert counts["person_records"] == sum(len(outcome.id_numbers) for outcome in outcomes)

        # The server keeps serving — no internal error logged (every unexpected exception is
        # logged at ERROR by zwdesk.city.server) — the clock, and one more bundle.
        assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
        assert server.client.get("/v1/time").status_code == 200
        proxy.set_script([Fault.PASS] * 4)
        with open_station_database(tmp_path / "S1.db") as database:
            _rename_a_worker(database, "马最后")
            assert _sender(database, 99).send_once(datetime.now(UTC)).state is SyncState.SYNCED
        assert city.counts()["bundles"] == len(built) + 1


# -- the proxy itself: each fault does what it says, against the real server ---------------
@pytest.fixture
def t1(tmp_path: Path, server: CityServer) -> Iterable[Station]:
    yield from enrolled_station(tmp_path, server.database, "T1", server.url)


def _upload(proxy: FaultProxy, data: bytes) -> bytes:
    return _client(proxy.url).upload_bundle("T1", data)


def test_each_fault_reaches_the_server_as_intended(server: CityServer, t1: Station) -> None:
    register(server, t1)
    cases = [(fault, 0.0) for fault in Fault] + [(Fault.RESET, 1.0)]  # 1.0: RST before sending
    for number, (fault, reset_before_server) in enumerate(cases):
        if number:
            _rename_a_worker(t1.database, f"马{number}")
        data = t1.sync.build().data
        stored_before = server.database.counts()["bundles"]
        mix = FaultMix(rate=0.0, reset_before_server=reset_before_server)
        with FaultProxy(server.url, mix, script=[fault], seed=3) as proxy:
            try:
                answer: bytes | None = _upload(proxy, data)
            except CityOfflineError:
                answer = None
        [exchange] = proxy.exchanges
        assert exchange.fault is fault and proxy.counts == Counter({fault: 1})
        # Only a clean pass, a delay or a duplicate brings an answer back.
        assert (answer is not None) == (fault in (Fault.PASS, Fault.DELAY, Fault.DUPLICATE))
        stored = server.database.counts()["bundles"] - stored_before
        if fault in (Fault.DROP, Fault.TRUNCATE_REQUEST) or reset_before_server:
            assert exchange.server_got == 0 and stored == 0, fault
        else:
            assert exchange.server_got == (2 if fault is Fault.DUPLICATE else 1), fault
            assert exchange.status == 200 and stored == 1, fault  # received twice, stored once
        if fault is Fault.DUPLICATE:
            [answers] = proxy.duplicates
            assert answers.first == answers.second
        # Whatever happened, the same bytes again get through: stored once, the same receipt.
        with FaultProxy(server.url) as calm:
            receipt = _upload(calm, data)
        assert answer is None or receipt == answer
        t1.sync.mark_acknowledged(receipt)
        assert server.database.counts()["bundles"] == stored_before + 1
        assert t1.sync.status_text() == "已同步"


def test_an_answer_cut_off_anywhere_reads_as_offline_not_as_a_city_error(
    server: CityServer, t1: Station
) -> None:
    """Wherever the connection breaks in the city's answer — status line, headers, body — the
    station shows 离线 and sends the same bytes again later; never 出错 with a reason about
    a bad receipt or bad JSON, which the city never sent."""
    register(server, t1)
    with FaultProxy(server.url) as calm:
        t1.sync.mark_acknowledged(_upload(calm, t1.sync.build().data))
        _rename_a_worker(t1.database)
        data = t1.sync.build().data  # a small bundle: one change
        _upload(calm, data)
        assert _client(calm.url).server_time().tzinfo is not None
    upload_answer, time_answer = calm.exchanges[-2:]
    calls: list[tuple[Callable[[str], object], Exchange]] = [
        (lambda url: _client(url).upload_bundle("T1", data), upload_answer),
        (lambda url: _client(url).server_time(), time_answer),
    ]
    with FaultProxy(server.url) as proxy:
        for call, answer in calls:
            # Every byte of the head (status line, each header), the body's middle and end.
            cuts = [*range(1, answer.answer_head_bytes + 1)]
            cuts += [(answer.answer_head_bytes + answer.answer_bytes) // 2, answer.answer_bytes - 1]
            for cut in cuts:
                proxy.mix = FaultMix(rate=0.0, cut_at=cut)
                proxy.set_script([Fault.TRUNCATE_RESPONSE])
                with pytest.raises(CityOfflineError):
                    call(proxy.url)
    assert all(exchange.fault is Fault.TRUNCATE_RESPONSE for exchange in proxy.exchanges)
    assert all(exchange.status == 200 for exchange in proxy.exchanges)
    assert server.database.counts()["bundles"] == 2


def _rename_a_worker(database: StationDatabase, name: str = "马改名") -> None:
    id_number = database.connection.execute("SELECT id_number FROM workers").fetchone()[0]
    StationService(database, actor="测试员").edit_worker(str(id_number), name=name)
