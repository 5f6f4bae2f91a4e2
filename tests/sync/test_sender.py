"""The sync sender against a small fake city on 127.0.0.1 that speaks the protocol — and one
that drops, resets, delays, truncates and duplicates (bounded in count and time)."""

from __future__ import annotations

import itertools
import json
import random
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from nacl.signing import VerifyKey

from tests.sync.conftest import City, write_enrolment
from zwdesk.cli import main
from zwdesk.services.station_service import StationService
from zwdesk.services.sync_sender import (
    BACKOFF_FIRST,
    BACKOFF_MAX,
    SyncSender,
    SyncState,
    backoff_bounds,
    backoff_delay,
)
from zwdesk.services.sync_service import SyncService
from zwdesk.storage.database import StationDatabase, open_station_database
from zwdesk.sync.bundle import open_bundle
from zwdesk.sync.canonical import from_base64
from zwdesk.sync.errors import BundleRefusedError, RefusalReason
from zwdesk.sync.http_client import (
    CityClient,
    CityOfflineError,
    CityRefusedError,
    CityServerError,
    CityTimeoutError,
)
from zwdesk.sync.receipt import Receipt, sign_receipt

TOKEN = "one-time-token-8f3a"  # what conftest.write_enrolment puts in the file
CLIENT_TIMEOUT = 1.0
FAULT_DELAY = 1.5  # > CLIENT_TIMEOUT: the client gives up, the city still takes the bundle

# -- the fake city ---------------------------------------------------------------------------
FAULTS = ("drop-before", "drop-after", "reset", "delay", "truncate", "short-body", "duplicate")


@dataclass
class FaultPlan:
    """Which fault the next request meets. `script` first (in order), then at random with
    `rate`, never more than `max_in_a_row` faults in a row and at most `max_delays` delays."""

    script: list[str | None] = field(default_factory=list)
    rate: float = 0.0
    seed: int = 0
    max_in_a_row: int = 3
    max_delays: int = 3
    seen: Counter[str] = field(default_factory=Counter)
    _in_a_row: int = 0
    _rng: random.Random = field(default_factory=random.Random)

    def __post_init__(self) -> None:
        self._rng.seed(self.seed)

    def next(self) -> str | None:
        if self.script:
            fault = self.script.pop(0)
        elif self._in_a_row >= self.max_in_a_row or self._rng.random() >= self.rate:
            fault = None
        else:
            fault = self._rng.choice(FAULTS)
            if fault == "delay" and self.seen["delay"] >= self.max_delays:
                fault = "drop-after"
        self._in_a_row = self._in_a_row + 1 if fault else 0
        if fault:
            self.seen[fault] += 1
        return fault


class FakeCity:
    """The city's side of the protocol, idempotent like the real one: a bundle seen before gets
    the receipt it got the first time and is stored once."""

    def __init__(self, city: City) -> None:
        self.city = city
        self.clock_offset = timedelta(0)
        self.refusal: tuple[int, str, str] | None = None  # status, reason, Chinese error
        self.reject_in_receipt: str | None = None  # a signed "rejected" receipt's reason
        self.faults = FaultPlan()
        self.one_time_tokens = False
        self.station_keys: dict[str, VerifyKey] = {}
        self.registrations: list[str] = []
        self.receipts: dict[str, bytes] = {}  # bundle id → receipt (the bundles stored)
        self.records: dict[str, list[tuple[str, str, int]]] = {}  # bundle id → records
        self.deliveries: Counter[str] = Counter()  # bundle id → times it arrived
        self.requests: Counter[str] = Counter()  # path → requests
        self.lock = threading.Lock()

    # -- the three endpoints, each returning (status, body) --------------------------------
    def time(self) -> tuple[int, bytes]:
        now = datetime.now(UTC) + self.clock_offset
        return 200, json.dumps({"now": now.isoformat()}).encode()

    def register(self, station_id: str, body: bytes) -> tuple[int, bytes]:
        document = json.loads(body)
        key = VerifyKey(from_base64(document["public_key"], 32))
        known = self.station_keys.get(station_id)
        if self.one_time_tokens and known is not None:  # like zwdesk.city: a token works once
            return _error(403, "登记令牌无效或已经用过", "bad-token")
        if document["token"] != TOKEN or (known is not None and known != key):
            return _error(403, "登记令牌无效或已使用", "bad-token")
        self.station_keys[station_id] = key  # the same token and key again: still fine
        self.registrations.append(station_id)
        return 200, b'{"registered": true}'

    def bundle(self, station_id: str, data: bytes) -> tuple[int, bytes]:
        if self.refusal is not None:
            status, reason, message = self.refusal
            return _error(status, message, reason)
        try:
            manifest, records = open_bundle(data, self.city.private_key, self.station_keys)
        except BundleRefusedError as error:
            status = 403 if error.reason is RefusalReason.UNKNOWN_STATION else 400
            return _error(status, str(error), error.reason.value)
        if manifest.station_id != station_id:
            return _error(403, "数据包不是这个站点的", "bad-signature")
        self.deliveries[manifest.bundle_id] += 1
        if manifest.bundle_id not in self.receipts:
            self.records[manifest.bundle_id] = [
                (
                    record.table,
                    str(record.record.get("uuid") or record.record.get("id")),
                    int(record.record["change_number"]),
                )
                for record in records
            ]
            receipt = Receipt(
                manifest.bundle_id,
                manifest.station_id,
                manifest.change_from,
                manifest.change_to,
                "rejected" if self.reject_in_receipt else "accepted",
                self.reject_in_receipt or "",
            )
            self.receipts[manifest.bundle_id] = sign_receipt(receipt, self.city.signing_key)
        return 200, self.receipts[manifest.bundle_id]

    def answer(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, bytes]:
        with self.lock:
            self.requests[path] += 1
            if method == "GET" and path == "/v1/time":
                return self.time()
            if method == "POST" and path.startswith("/v1/stations/") and path.endswith("/register"):
                return self.register(path.split("/")[3], body)
            if method == "POST" and path == "/v1/bundles":
                return self.bundle(headers.get("X-Zwdesk-Station", ""), body)
            return _error(404, "没有这个接口", "not-found")


def _error(status: int, message: str, reason: str) -> tuple[int, bytes]:
    return status, json.dumps({"error": message, "reason": reason}, ensure_ascii=False).encode()


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        try:
            self._answer()
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a delay)
            self.close_connection = True

    def _answer(self) -> None:
        city = self.server.city
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {key: value for key, value in self.headers.items()}
        with city.lock:
            fault = city.faults.next()
        if fault in ("drop-before", "reset"):
            if fault == "reset":  # RST instead of FIN
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
            self.close_connection = True
            return
        if fault == "delay":
            time.sleep(FAULT_DELAY)
        status, answer = city.answer(self.command, self.path, headers, body)
        if fault == "duplicate":  # the same request delivered twice; the client sees the 2nd
            status, answer = city.answer(self.command, self.path, headers, body)
        if fault == "drop-after":  # processed, but the answer never leaves
            self.close_connection = True
            return
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        if fault == "truncate":  # the connection breaks halfway through the answer
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer[: len(answer) // 2])
            self.close_connection = True
            return
        if fault == "short-body":  # a complete-looking answer with half the bytes
            answer = answer[: len(answer) // 2]
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, city: FakeCity) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.city = city


@pytest.fixture
def fake_city(city: City) -> Iterator[tuple[FakeCity, str]]:
    state = FakeCity(city)
    server = _Server(state)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _client_to(url: str) -> Callable[[str], CityClient]:
    return lambda _enrolled_url: CityClient(url, timeout=CLIENT_TIMEOUT, use_system_proxy=False)


def _sender(database: StationDatabase, url: str, seed: int = 1) -> SyncSender:
    return SyncSender(database, client_factory=_client_to(url), rng=random.Random(seed))


def _closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def _edit_a_worker(station: StationDatabase, name: str, index: int = 0) -> None:
    id_number = station.connection.execute(
        "SELECT id_number FROM workers ORDER BY id LIMIT 1 OFFSET ?", (index,)
    ).fetchone()[0]
    StationService(station, actor="测试员").edit_worker(id_number, name=name)


def _now() -> datetime:
    return datetime.now(UTC)


# -- the protocol ----------------------------------------------------------------------------
def test_a_bundle_is_sent_and_acknowledged(
    station: StationDatabase, sync: SyncService, fake_city: tuple[FakeCity, str]
) -> None:
    city, url = fake_city
    sender = _sender(station, url)
    assert sender.status().text == f"待发送 {sync.pending_count()} 条"
    assert sender.next_attempt(_now()) is not None
    status = sender.send_once(_now())
    assert status.state is SyncState.SYNCED and status.text == "已同步"
    assert sync.pending_count() == 0
    [entry] = sync.outbox()
    assert entry.state == "已确认"
    assert city.registrations == ["T1"] and list(city.receipts) == [entry.bundle_id]
    assert sender.next_attempt(_now()) is None  # nothing left: idle until the next change
    # A new change: one more small bundle, from where the first ended.
    _edit_a_worker(station, "马新")
    assert sender.status().text == "待发送 1 条"
    assert sender.send_once(_now()).state is SyncState.SYNCED
    second = sync.outbox()[-1]
    assert second.change_from == entry.change_to + 1 and second.state == "已确认"
    assert city.registrations == ["T1"]  # registered once
    assert city.records[second.bundle_id][0][0] == "workers"


def test_a_dropped_answer_is_resent_with_the_same_bytes_and_the_same_receipt(
    station: StationDatabase, sync: SyncService, fake_city: tuple[FakeCity, str]
) -> None:
    city, url = fake_city
    sender = _sender(station, url)
    city.faults.script = [None, None, "drop-after"]  # time, register, then the bundle
    status = sender.send_once(_now())
    assert status.state is SyncState.OFFLINE and status.text == "离线"
    [entry] = sync.outbox()
    assert entry.state == "待发送" and status.pending == sync.pending_count() > 0
    assert city.deliveries[entry.bundle_id] == 1  # the city has it; we do not know
    assert sender.send_once(_now()).state is SyncState.SYNCED
    [entry] = sync.outbox()  # nothing rebuilt
    assert entry.state == "已确认" and sync.pending_count() == 0
    assert city.deliveries[entry.bundle_id] == 2 and list(city.receipts) == [entry.bundle_id]
    stored = station.connection.execute("SELECT receipt, attempts FROM sync_outbox").fetchone()
    assert bytes(stored[0]) == city.receipts[entry.bundle_id] and stored[1] == 2


def test_a_lost_answer_to_the_registration_does_not_lock_the_station_out(
    station: StationDatabase, sync: SyncService, fake_city: tuple[FakeCity, str]
) -> None:
    city, url = fake_city
    city.one_time_tokens = True
    city.faults.script = [None, "drop-after"]  # time, then register: done, answer lost
    sender = _sender(station, url)
    assert sender.send_once(_now()).state is SyncState.OFFLINE and not sender.registered()
    assert city.registrations == ["T1"]
    assert sender.send_once(_now()).state is SyncState.SYNCED  # the token is spent, the key in
    assert sender.registered() and sync.outbox()[0].state == "已确认"


def test_a_refused_registration_is_reported(
    station: StationDatabase, sync: SyncService, fake_city: tuple[FakeCity, str]
) -> None:
    city, url = fake_city
    city.one_time_tokens = True
    city.station_keys["T1"] = VerifyKey(bytes(32))  # someone else used the token
    status = _sender(station, url).send_once(_now())
    assert status.state is SyncState.ERROR
    assert status.text == "出错（登记令牌无效或已经用过（bad-token））"
    assert not city.receipts


@pytest.mark.parametrize("how", ["http-refusal", "rejected-receipt"])
def test_a_refusal_is_recorded_with_the_citys_reason(
    station: StationDatabase, sync: SyncService, fake_city: tuple[FakeCity, str], how: str
) -> None:
    city, url = fake_city
    sender = _sender(station, url)
    if how == "http-refusal":
        city.refusal = (400, "hash-mismatch", "数据包内容与清单不符")
    else:
        city.reject_in_receipt = "本站不得申报该项目"
    status = sender.send_once(_now())
    assert status.state is SyncState.ERROR and status.failed
    [entry] = sync.outbox()
    assert entry.state == "被拒"
    if how == "http-refusal":
        assert entry.reason == "数据包内容与清单不符（hash-mismatch）"
        assert status.text == "出错（数据包内容与清单不符（hash-mismatch））"
        assert not city.receipts
    else:
        assert entry.reason == "本站不得申报该项目"
        assert status.text == "出错（本站不得申报该项目）"
    assert sync.pending_count() == status.pending > 0  # nothing counts as synced
    # Once the city takes bundles again, a new bundle (not the refused bytes) goes out.
    city.refusal = city.reject_in_receipt = None
    assert sender.send_once(_now()).state is SyncState.SYNCED
    refused, accepted = sync.outbox()
    assert refused.state == "被拒" and accepted.state == "已确认"
    assert accepted.change_from == 1 and sync.pending_count() == 0


def test_a_clock_off_by_more_than_five_minutes_blocks_sending(
    station: StationDatabase, sync: SyncService, fake_city: tuple[FakeCity, str]
) -> None:
    city, url = fake_city
    sender = _sender(station, url)
    city.clock_offset = timedelta(minutes=6)
    status = sender.send_once(_now())
    assert status.state is SyncState.CLOCK_SKEW
    print(status.text)
    assert status.text.startswith("时钟偏差（本机时间比市里慢 6 分钟")
    assert not sync.outbox() and not city.registrations and not city.deliveries
    assert city.requests == Counter({"/v1/time": 1})
    city.clock_offset = timedelta(minutes=-4)  # within the tolerance
    assert sender.send_once(_now()).state is SyncState.SYNCED


def test_an_unreachable_city_is_reported_offline_and_nothing_is_built(
    station: StationDatabase, sync: SyncService
) -> None:
    sender = _sender(station, _closed_port_url())
    status = sender.send_once(_now())
    assert status.state is SyncState.OFFLINE and "无法连接市里服务器" in status.detail
    assert not sync.outbox() and status.pending == sync.pending_count()


# -- the schedule ----------------------------------------------------------------------------
def test_backoff_delays_grow_from_a_minute_to_an_hour_with_jitter() -> None:
    expected_nominal = [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]
    for failures, nominal in enumerate(expected_nominal, start=1):
        low, high = backoff_bounds(failures)
        assert BACKOFF_FIRST <= low <= timedelta(seconds=nominal) <= high <= BACKOFF_MAX
        delays = {backoff_delay(failures, random.Random(seed)) for seed in range(50)}
        assert all(low <= delay <= high for delay in delays)
        assert len(delays) > 40  # jittered, not one fixed delay
    assert backoff_bounds(1) == (timedelta(minutes=1), timedelta(minutes=1, seconds=12))
    assert backoff_bounds(20)[1] == timedelta(hours=1)


def test_failures_back_off_and_a_success_resets_the_schedule(
    station: StationDatabase, sync: SyncService, city: City, fake_city: tuple[FakeCity, str]
) -> None:
    fake, url = fake_city
    offline = _sender(station, _closed_port_url(), seed=7)
    now = _now()
    delays = []
    for failures in range(1, 10):
        status = offline.send_once(now)
        assert status.state is SyncState.OFFLINE and status.next_attempt is not None
        delay = status.next_attempt - now
        low, high = backoff_bounds(failures)
        assert low <= delay <= high, (failures, delay)
        assert offline.next_attempt(now) == status.next_attempt and not offline.due(now)
        delays.append(delay)
        now = status.next_attempt  # the window waits until then
        assert offline.due(now)
    assert delays[0] < timedelta(minutes=2) and delays[-1] > timedelta(minutes=45)
    assert all(later > earlier for earlier, later in itertools.pairwise(delays[:7]))
    # The network comes back (the fake city's clock must agree with the test's `now`).
    fake.clock_offset = now - _now()
    online = _sender(station, url)
    assert online.send_once(now).state is SyncState.SYNCED
    assert online.next_attempt(now) is None
    _edit_a_worker(station, "马再改")
    assert online.next_attempt(now) == now and online.due(now)  # no backoff left
    failed = _sender(station, _closed_port_url(), seed=7).send_once(now)
    assert failed.next_attempt is not None
    assert failed.next_attempt - now <= backoff_bounds(1)[1]  # back to a minute


def test_the_schedule_survives_reopening_the_database(
    station_path: Path, station: StationDatabase, sync: SyncService, fake_city: tuple[FakeCity, str]
) -> None:
    fake, url = fake_city
    assert _sender(station, url).send_once(_now()).state is SyncState.SYNCED  # registered
    _edit_a_worker(station, "马重启")
    now = _now()
    first = _sender(station, _closed_port_url()).send_once(now)
    second = _sender(station, _closed_port_url()).send_once(now)
    assert second.next_attempt is not None and first.next_attempt is not None
    station.close()
    with open_station_database(station_path) as reopened:
        sender = _sender(reopened, _closed_port_url())
        status = sender.status()
        assert status.state is SyncState.OFFLINE and status.pending == 1
        assert status.next_attempt == second.next_attempt
        assert sender.next_attempt(now) == second.next_attempt
        third = sender.send_once(second.next_attempt)
        low, high = backoff_bounds(3)
        assert third.next_attempt is not None
        assert low <= third.next_attempt - second.next_attempt <= high
        assert sender.registered()
        fake.clock_offset = third.next_attempt - _now()
        assert _sender(reopened, url).send_once(third.next_attempt).state is SyncState.SYNCED
    assert fake.registrations == ["T1"]  # not registered again after the restart


# -- faults ----------------------------------------------------------------------------------
def test_every_change_arrives_exactly_once_through_drops_resets_delays_truncation_and_duplicates(
    station: StationDatabase, sync: SyncService, fake_city: tuple[FakeCity, str]
) -> None:
    city, url = fake_city
    city.faults = FaultPlan(rate=0.45, seed=2025, max_in_a_row=3, max_delays=3)
    sender = _sender(station, url)
    started = time.monotonic()
    bundles = 30
    attempts = 0
    for number in range(bundles):
        if number:
            _edit_a_worker(station, f"马{number}", index=number % 5)
        for _ in range(40):
            attempts += 1
            if sender.send_once(_now()).state is SyncState.SYNCED:
                break
        else:
            pytest.fail(f"bundle {number} never got through")
    elapsed = time.monotonic() - started
    print(f"{attempts} attempts, faults {dict(city.faults.seen)}, {elapsed:.1f} s")
    assert set(city.faults.seen) == set(FAULTS)  # every kind of fault was met
    assert elapsed < 60
    # Every bundle built is acknowledged, and the city stored exactly those.
    outbox = sync.outbox()
    assert len(outbox) == bundles and {entry.state for entry in outbox} == {"已确认"}
    assert {entry.bundle_id for entry in outbox} == set(city.receipts)
    assert sum(city.deliveries.values()) > bundles  # some arrived twice…
    # …but every change number once: the ranges are contiguous and do not overlap.
    ranges = sorted((entry.change_from, entry.change_to) for entry in outbox)
    assert ranges[0][0] == 1 and ranges[-1][1] == sync.synced_through()
    assert all(b[0] == a[1] + 1 for a, b in itertools.pairwise(ranges))
    received = [item for records in city.records.values() for item in records]
    assert len(received) == len(set(received))
    # The city's merged picture equals the station's: each worker in its latest state.
    latest: dict[str, int] = {}
    for table, uuid, change in received:
        if table == "workers":
            latest[uuid] = max(change, latest.get(uuid, 0))
    ours = dict(station.connection.execute("SELECT uuid, change_number FROM workers").fetchall())
    assert latest == ours
    stored = [
        bytes(row[0]) for row in station.connection.execute("SELECT receipt FROM sync_outbox")
    ]
    assert sorted(stored) == sorted(city.receipts.values())


# -- the HTTP client -------------------------------------------------------------------------
def test_the_client_types_its_failures(fake_city: tuple[FakeCity, str]) -> None:
    city, url = fake_city
    client = CityClient(url, timeout=CLIENT_TIMEOUT, use_system_proxy=False)
    assert abs(client.server_time() - _now()) < timedelta(seconds=5)
    with pytest.raises(CityRefusedError) as refused:
        client.upload_bundle("T1", b"zwdesk-sealed/1\n garbage")
    assert refused.value.status == 400 and refused.value.reason == "oversized"
    assert str(refused.value).startswith("数据包被拒收")
    with pytest.raises(CityRefusedError) as token:
        client.register("T1", "wrong", "A" * 43 + "=")
    assert token.value.reason == "bad-token" and str(token.value) == "登记令牌无效或已使用"
    city.faults.script = ["delay"]
    with pytest.raises(CityTimeoutError):
        client.server_time()
    for fault in ("drop-before", "reset", "truncate"):
        city.faults.script = [fault]
        with pytest.raises(CityOfflineError):
            client.server_time()
    city.faults.script = ["short-body"]
    with pytest.raises(CityServerError):
        client.server_time()
    with pytest.raises(CityServerError, match="HTTP 404"):
        CityClient(url + "nothing/", timeout=CLIENT_TIMEOUT, use_system_proxy=False).server_time()
    with pytest.raises(CityOfflineError, match="无法连接"):
        CityClient(_closed_port_url(), timeout=CLIENT_TIMEOUT).server_time()


# -- the command line ------------------------------------------------------------------------
def test_cli_send_and_receipt(
    tmp_path: Path,
    station_path: Path,
    station: StationDatabase,
    city: City,
    fake_city: tuple[FakeCity, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    _, url = fake_city
    station.close()
    database = str(station_path)
    assert main(["sync", "send", "--db", database]) == 2
    assert "尚未登记" in capsys.readouterr().err
    enrolment = write_enrolment(tmp_path / "enrol.json", city, city_url=url)
    assert main(["sync", "enrol", str(enrolment), "--db", database]) == 0
    capsys.readouterr()
    assert main(["sync", "send", "--db", database]) == 0
    assert capsys.readouterr().out.strip() == "同步状态：已同步"
    # Offline: a USB stick carries the bundle out and the receipt back.
    with open_station_database(station_path) as opened:
        _edit_a_worker(opened, "马优盘")
        sealed = SyncService(opened).export(tmp_path / "T1.zwbundle")
    receipt = Receipt(
        sealed.manifest.bundle_id,
        "T1",
        sealed.manifest.change_from,
        sealed.manifest.change_to,
        "accepted",
    )
    (tmp_path / "T1.receipt").write_bytes(sign_receipt(receipt, city.signing_key))
    assert main(["sync", "receipt", str(tmp_path / "T1.receipt"), "--db", database]) == 0
    out = capsys.readouterr().out
    print(out)
    assert "已确认" in out and "同步状态：已同步" in out
    (tmp_path / "bad.receipt").write_bytes(b"{}")
    assert main(["sync", "receipt", str(tmp_path / "bad.receipt"), "--db", database]) == 2
    assert "回执无效" in capsys.readouterr().err
