"""POST /v1/bundles fuzzed against the real city server on 127.0.0.1 (hypothesis), and explicit
refusals: whatever arrives, the answer is 400/403/413 with {"error", "reason"} — never a 500,
never a hang — nothing is stored, and a good bundle afterwards is still taken."""

from __future__ import annotations

import hashlib
import json
import logging
import socket
import struct
import uuid
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nacl.public import PublicKey, SealedBox
from nacl.signing import SigningKey

from tests.city.conftest import SERVER_LIMITS, CityServer, Station, register
from tests.city.tcp_proxy import read_message
from zwdesk.city.commands import add_station, import_bundle
from zwdesk.city.database import CityDatabase
from zwdesk.services.station_service import StationService
from zwdesk.services.sync_service import SyncService
from zwdesk.storage.database import open_station_database
from zwdesk.storage.outbox_repository import OutboxEntry
from zwdesk.sync.bundle import INNER_MAGIC, SEALED_MAGIC
from zwdesk.sync.canonical import canonical_json, to_base64
from zwdesk.sync.enrolment import read_enrolment_file
from zwdesk.sync.keychain import Keychain
from zwdesk.sync.manifest import BUNDLE_FORMAT
from zwdesk.sync.receipt import verify_receipt

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
REFUSED = frozenset({400, 403, 413})
HEADER_BYTES = len(SEALED_MAGIC) + 8  # magic, then the sealed box's u64 length
ANSWER_TIMEOUT = 30.0  # a hang fails the test instead of stalling it (generous: CI is 2 busy cores)


@dataclass
class Target:
    """The real server; station T1 (a small station: one worker) registered, its first bundle
    taken and a second, one-change bundle (`good`) built but not yet sent; station T2
    registered with `t2_key`."""

    server: CityServer
    client: httpx.Client
    t1: Station
    t2_key: SigningKey
    good: bytes

    @property
    def city(self) -> CityDatabase:
        return self.server.database

    def upload(self, data: bytes, station_id: str | None = "T1") -> httpx.Response:
        headers = {"Content-Type": "application/octet-stream"}
        if station_id is not None:
            headers["X-Zwdesk-Station"] = station_id
        return self.client.post("/v1/bundles", content=data, headers=headers)

    def snapshot(self) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
        return self.city.counts(), self.city.record_versions()


WORKER_ID = "640502199001011239"  # 沙坡头区, valid check digit


@pytest.fixture
def target(tmp_path: Path, server: CityServer) -> Iterator[Target]:
    # T1 enrolled with its enrolment file, but small: a bundle of a few records is quick to
    # upload, so many examples fit in the test's time.
    enrolment = tmp_path / "T1.enrol.json"
    add_station(server.database, "T1", "T1 工作站", server.url, enrolment)
    with (
        open_station_database(tmp_path / "T1.db") as database,
        httpx.Client(base_url=server.url, timeout=ANSWER_TIMEOUT) as client,
    ):
        sync = SyncService(database)
        enrolled = sync.enrol(enrolment)
        t1 = Station(
            "T1", database, sync, read_enrolment_file(enrolment).token, enrolled.station_public_key
        )
        assert register(server, t1).status_code == 200
        service = StationService(database, actor="测试员")
        service.add_worker(WORKER_ID, "马一", "640502")
        first = client.post(
            "/v1/bundles", content=sync.build().data, headers={"X-Zwdesk-Station": "T1"}
        )
        assert first.status_code == 200, first.text
        sync.mark_acknowledged(first.content)
        service.edit_worker(WORKER_ID, name="马模糊")
        # T2: only its key matters here (a bundle signed by another registered station).
        t2_enrolment = tmp_path / "T2.enrol.json"
        add_station(server.database, "T2", "T2 工作站", server.url, t2_enrolment)
        t2_key = SigningKey.generate()
        registered = client.post(
            "/v1/stations/T2/register",
            json={
                "token": read_enrolment_file(t2_enrolment).token,
                "public_key": to_base64(bytes(t2_key.verify_key)),
            },
        )
        assert registered.status_code == 200
        yield Target(server, client, t1, t2_key, sync.build().data)


def assert_refused(response: httpx.Response, *, statuses: frozenset[int] = REFUSED) -> str:
    """A refusal the station can read: status, JSON {"error": Chinese, "reason": code}."""
    assert response.status_code in statuses, (response.status_code, response.text)
    document = response.json()
    assert isinstance(document, dict) and set(document) == {"error", "reason"}, document
    assert isinstance(document["error"], str) and document["error"].strip()
    assert isinstance(document["reason"], str) and document["reason"].strip()
    return str(document["reason"])


def assert_good_bundle_taken(target: Target) -> None:
    response = target.upload(target.good)
    assert response.status_code == 200, response.text
    entry = target.t1.sync.mark_acknowledged(response.content)
    assert entry.state == "已确认" and target.t1.sync.status_text() == "已同步"


# -- building bundles by hand (what anyone holding the city's public key can send) ----------
def seal(inner: bytes, city_public_key: PublicKey) -> bytes:
    box = SealedBox(city_public_key).encrypt(inner)
    return SEALED_MAGIC + struct.pack(">Q", len(box)) + box


def inner_bytes(manifest: bytes, signature: bytes, payload: bytes) -> bytes:
    return INNER_MAGIC + struct.pack(">I", len(manifest)) + manifest + signature + payload


def forge(
    lines: list[bytes],
    *,
    signing_key: SigningKey,
    city_public_key: PublicKey,
    station_id: str = "T1",
    change_from: int = 1,
    change_to: int = 1,
    counts: dict[str, int] | None = None,
    bundle_id: str | None = None,
) -> bytes:
    """A bundle signed with `signing_key` whose payload is `lines` exactly as given (JSON or
    not), its manifest consistent with them unless `counts` says otherwise."""
    payload = zlib.compress(b"".join(line + b"\n" for line in lines))
    if counts is None:
        counts = {}
        for line in lines:
            table = json.loads(line)["table"]
            counts[table] = counts.get(table, 0) + 1
    manifest = canonical_json(
        {
            "format": BUNDLE_FORMAT,
            "bundle_id": bundle_id or str(uuid.uuid4()),
            "station_id": station_id,
            "changes": {"from": change_from, "to": change_to},
            "counts": counts,
            "payload": {
                "sha256": hashlib.sha256(payload).hexdigest(),
                "bytes": len(payload),
                "encoding": "jsonl+zlib",
            },
            "recipient": to_base64(bytes(city_public_key)),
            "app_version": "zwdesk test",
            "policy_version": "",
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
    )
    signature = signing_key.sign(manifest).signature
    return seal(inner_bytes(manifest, signature, payload), city_public_key)


def signing_key(station_id: str) -> SigningKey:
    key = Keychain().signing_key(station_id)
    assert key is not None
    return key


# -- mutations of the good bundle -----------------------------------------------------------
Mutation = tuple[str, bytes, str | None, frozenset[str]]  # kind, body, header, allowed reasons


def mutations(
    good: bytes, limit: int, reseal: Callable[[bytes], bytes], inner: bytes
) -> st.SearchStrategy[Mutation]:
    size = len(good)
    box = size - HEADER_BYTES

    def flip(data: bytes, position: int, bit: int) -> bytes:
        return data[:position] + bytes([data[position] ^ (1 << bit)]) + data[position + 1 :]

    def length(declared: int) -> bytes:
        return good[: len(SEALED_MAGIC)] + struct.pack(">Q", declared) + good[HEADER_BYTES:]

    def length_reasons(declared: int) -> frozenset[str]:
        if declared > limit:
            return frozenset({"oversized"})
        return frozenset({"truncated" if declared > box else "wrong-format"})

    outer_layer = frozenset({"wrong-format", "truncated", "oversized", "undecryptable"})
    inner_layer = frozenset(
        {"wrong-format", "truncated", "oversized", "malformed", "bad-signature", "hash-mismatch"}
        | {"unknown-station"}
    )
    station = st.from_regex(r"[A-Za-z0-9_-]{1,32}", fullmatch=True).filter(lambda s: s != "T1")
    anything = frozenset({"wrong-format", "truncated", "oversized", "undecryptable"})
    return st.one_of(
        st.binary(max_size=4096).map(lambda data: ("random bytes", data, "T1", anything)),
        st.binary(max_size=4096).map(
            lambda data: ("magic + random bytes", SEALED_MAGIC + data, "T1", anything)
        ),
        st.tuples(st.integers(0, size - 1), st.integers(0, 7)).map(
            lambda spot: ("bit flip", flip(good, *spot), "T1", outer_layer)
        ),
        st.integers(0, size - 1).map(
            lambda cut: (
                "truncated",
                good[:cut],
                "T1",
                frozenset({"truncated", "wrong-format"}),
            )
        ),
        st.binary(min_size=1, max_size=2048).map(
            lambda junk: ("appended garbage", good + junk, "T1", frozenset({"wrong-format"}))
        ),
        station.map(
            lambda header: ("swapped station header", good, header, frozenset({"unknown-station"}))
        ),
        st.integers(0, 2**64 - 1)
        .filter(lambda declared: declared != box)
        .map(lambda declared: ("length field", length(declared), "T1", length_reasons(declared))),
        # Inside the sealed box: anyone with the city's public key can seal what they like.
        st.tuples(st.integers(0, len(inner) - 1), st.integers(0, 7)).map(
            lambda spot: ("inner bit flip", reseal(flip(inner, *spot)), "T1", inner_layer)
        ),
        st.integers(0, len(inner) - 1).map(
            lambda cut: ("inner truncated", reseal(inner[:cut]), "T1", inner_layer)
        ),
        st.binary(max_size=1024).map(
            lambda junk: ("inner random", reseal(INNER_MAGIC + junk), "T1", inner_layer)
        ),
    )


def test_fuzzed_uploads_are_refused_and_store_nothing(target: Target) -> None:
    keys = target.server.keys
    inner = SealedBox(keys.private_key).decrypt(target.good[HEADER_BYTES:])

    def reseal(data: bytes) -> bytes:
        return seal(data, keys.private_key.public_key)

    before = target.snapshot()
    seen: dict[str, set[str]] = {}

    @FUZZ
    @given(
        mutations(target.good, SERVER_LIMITS.max_bundle_bytes, reseal, inner),
    )
    def refused(case: Mutation) -> None:
        kind, body, header, reasons = case
        reason = assert_refused(target.upload(body, header))
        assert reason in reasons, (kind, reason)
        seen.setdefault(kind, set()).add(reason)
        assert target.snapshot() == before

    refused()
    print(seen)
    assert_good_bundle_taken(target)


def raw_post(target: Target, head: bytes, body: bytes) -> bytes:
    """Send bytes as they are (a lying Content-Length included); the answer as it came."""
    host, port = target.server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=ANSWER_TIMEOUT) as connection:
        connection.sendall(head + body)
        return read_message(connection, is_response=True)


def json_answer(answer: bytes) -> tuple[int, dict[str, object]]:
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), json.loads(body)


def test_a_declared_length_over_the_limit_is_refused_whatever_follows(target: Target) -> None:
    before = target.snapshot()

    @FUZZ
    @given(
        # h11 (uvicorn's parser) reads at most 20 digits; longer is its own plain-text 400.
        declared=st.integers(SERVER_LIMITS.max_bundle_bytes + 1, 10**20 - 1),
        sent=st.binary(max_size=512),
        station=st.sampled_from(["T1", "T2", "T9"]),
    )
    def oversized(declared: int, sent: bytes, station: str) -> None:
        head = (
            f"POST /v1/bundles HTTP/1.1\r\nHost: city\r\nX-Zwdesk-Station: {station}\r\n"
            f"Content-Type: application/octet-stream\r\nContent-Length: {declared}\r\n\r\n"
        ).encode()
        status, document = json_answer(raw_post(target, head, sent))
        assert status == 413 and document["reason"] == "oversized"
        assert isinstance(document["error"], str) and "超过上限" in document["error"]
        assert target.snapshot() == before

    oversized()
    assert_good_bundle_taken(target)


# -- explicit refusals -----------------------------------------------------------------------
def test_a_bundle_signed_with_another_stations_key_is_refused(target: Target) -> None:
    before = target.snapshot()
    city_key = target.server.keys.private_key.public_key
    record = canonical_json(
        {"table": "workers", "record": {"uuid": str(uuid.uuid4()), "change_number": 1}}
    )
    # T2's own key, claiming to be T1: the signature is not T1's.
    claims_t1 = forge([record], signing_key=target.t2_key, city_public_key=city_key)
    response = target.upload(claims_t1, "T1")
    assert assert_refused(response, statuses=frozenset({403})) == "bad-signature"
    assert "签名" in response.json()["error"]
    # T2's bundle, honestly T2's, handed in under T1's name: T1's keys do not know it.
    as_t2 = forge([record], signing_key=target.t2_key, city_public_key=city_key, station_id="T2")
    assert assert_refused(target.upload(as_t2, "T1"), statuses=frozenset({403})) == (
        "unknown-station"
    )
    assert target.snapshot() == before
    assert_good_bundle_taken(target)


def test_a_replayed_bundle_gets_its_first_receipt_back_and_changes_nothing(
    target: Target, tmp_path: Path
) -> None:
    first = target.upload(target.good)
    assert first.status_code == 200
    target.t1.sync.mark_acknowledged(first.content)
    StationService(target.t1.database, actor="测试员").edit_worker(WORKER_ID, name="马更新")
    newer = target.upload(target.t1.sync.build().data)
    assert newer.status_code == 200
    target.t1.sync.mark_acknowledged(newer.content)
    before = target.snapshot()
    synced = target.t1.sync.synced_through()
    outbox = target.t1.sync.outbox()
    # The older bundle again, by network and by USB stick: its first receipt, nothing moves.
    again = target.upload(target.good)
    assert again.status_code == 200 and again.content == first.content
    usb = tmp_path / "replay.zwbundle"
    usb.write_bytes(target.good)
    assert import_bundle(target.city, usb).receipt == first.content
    assert target.snapshot() == before
    receipt = verify_receipt(again.content, target.server.keys.signing_key.verify_key)
    assert receipt.accepted
    target.t1.sync.mark_acknowledged(again.content)  # the station takes it again: no change
    assert target.t1.sync.synced_through() == synced
    assert [_progress(entry) for entry in target.t1.sync.outbox()] == [
        _progress(entry) for entry in outbox
    ]


def _progress(entry: OutboxEntry) -> tuple[str, str, int, int, str | None]:
    return entry.bundle_id, entry.state, entry.change_from, entry.change_to, entry.reason


def test_a_bundle_id_used_again_for_other_content_is_refused(target: Target) -> None:
    first = target.upload(target.good)
    assert first.status_code == 200
    before = target.snapshot()
    bundle_id = verify_receipt(first.content, target.server.keys.signing_key.verify_key).bundle_id
    record = canonical_json(
        {"table": "workers", "record": {"uuid": str(uuid.uuid4()), "change_number": 1}}
    )
    same_id = forge(
        [record],
        signing_key=signing_key("T1"),
        city_public_key=target.server.keys.private_key.public_key,
        bundle_id=bundle_id,
    )
    response = target.upload(same_id)
    assert assert_refused(response, statuses=frozenset({400})) == "already-seen"
    assert bundle_id in response.json()["error"]
    assert target.snapshot() == before


def _deep(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def test_forged_manifests_are_refused_not_a_server_error(target: Target) -> None:
    """Anyone holding an enrolment file has the city's public key and can seal anything."""
    before = target.snapshot()
    signature = bytes(64)
    cases = [
        # Nested deeper than any JSON parser goes, within the 64 KiB a manifest may have.
        ("deep", inner_bytes(_deep(30_000), signature, b""), 400, "malformed"),
        (
            "length field beyond the limit",
            INNER_MAGIC + struct.pack(">I", 2**32 - 1) + b"{}" + signature,
            413,
            "oversized",
        ),
        (
            "another format",
            inner_bytes(
                canonical_json({"format": "zwdesk-bundle/9", "station_id": "T1"}), signature, b""
            ),
            400,
            "wrong-format",
        ),
    ]
    for kind, inner, status, reason in cases:
        response = target.upload(seal(inner, target.server.keys.private_key.public_key))
        assert assert_refused(response, statuses=frozenset({status})) == reason, kind
        assert target.snapshot() == before, kind
    assert_good_bundle_taken(target)


def _record(**fields: object) -> dict[str, object]:
    return {"uuid": str(uuid.uuid4()), "change_number": 1, **fields}


# Signed records no station should send: (what, the lines — or how to write them raw).
MALFORMED_RECORDS: list[tuple[str, object]] = [
    ("uuid that is a list", [{"table": "workers", "record": _record(uuid=["a"])}]),
    ("uuid that is an object", [{"table": "workers", "record": _record(uuid={"a": 1})}]),
    ("no uuid", [{"table": "workers", "record": {"change_number": 1}}]),
    ("table that is no name", [{"table": "workers; --", "record": _record()}]),
    (
        "audit id that is text",
        [{"table": "audit_log", "record": {"id": "1", "change_number": 1}}],
    ),
    (
        "audit id beyond 64 bits",
        [{"table": "audit_log", "record": {"id": 2**70, "change_number": 1}}],
    ),
    (
        "change number that is true",
        [{"table": "workers", "record": _record(change_number=True)}],
    ),
    ("record nested deeper than any parser goes", "deep"),
    ("a value that is NaN", "nan"),
    ("a number beyond any float", "1e999"),
    ("a line that is no JSON", "not-json"),
    ("change numbers beyond 64 bits", "huge-change"),
    ("uuid with a NUL", [{"table": "workers", "record": _record(uuid="a\u0000b")}]),
    ("value with a NUL", [{"table": "workers", "record": _record(name="马\u0000一")}]),
]


def test_signed_bundles_with_malformed_records_are_refused_not_a_server_error(
    target: Target,
) -> None:
    """A station's own key, a well-formed manifest, records no station should send (a bug at
    the station, or a stolen key): refused with a reason the station can show, never a 500
    that would make it send the same bytes again forever."""
    before = target.snapshot()
    for kind, lines in MALFORMED_RECORDS:
        response = target.upload(_signed_bundle_of(lines, target))
        assert assert_refused(response, statuses=frozenset({400})) == "malformed", kind
        assert target.snapshot() == before, kind
    assert_good_bundle_taken(target)


def _signed_bundle_of(lines: object, target: Target) -> bytes:
    counts: dict[str, int] | None = None
    if lines == "deep":
        payload = [b'{"table":"workers","record":' + _deep(30_000) + b"}"]
        counts = {"workers": 1}
    elif lines in ("nan", "1e999"):
        value = b"NaN" if lines == "nan" else b"1e999"
        payload = [b'{"table":"workers","record":{"uuid":"u","change_number":1,"x":%s}}' % value]
        counts = {"workers": 1}
    elif lines == "not-json":
        payload = [b"not json"]
        counts = {"workers": 1}
    elif lines == "huge-change":  # the manifest's range and the record agree: 2**70
        record = {"table": "workers", "record": _record(change_number=2**70)}
        return forge(
            [json.dumps(record).encode()],
            signing_key=signing_key("T1"),
            city_public_key=target.server.keys.private_key.public_key,
            change_from=2**70,
            change_to=2**70,
        )
    else:
        assert isinstance(lines, list)
        payload = [json.dumps(line).encode() for line in lines]
    return forge(
        payload,
        signing_key=signing_key("T1"),
        city_public_key=target.server.keys.private_key.public_key,
        counts=counts,
    )


def test_an_upload_cut_off_midway_is_stored_nowhere_and_logged_as_no_server_error(
    target: Target, caplog: pytest.LogCaptureFixture
) -> None:
    """A station's connection that breaks during the upload is the everyday case out there:
    nothing stored, and no 'internal error' with a traceback in the city's log."""
    before = target.snapshot()
    for cut in (1, len(target.good) // 2, len(target.good) - 1):
        head = (
            "POST /v1/bundles HTTP/1.1\r\nHost: city\r\nX-Zwdesk-Station: T1\r\n"
            "Content-Type: application/octet-stream\r\n"
            f"Content-Length: {len(target.good)}\r\n\r\n"
        ).encode()
        host, port = target.server.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=ANSWER_TIMEOUT) as connection:
            connection.sendall(head + target.good[:cut])
            connection.shutdown(socket.SHUT_WR)  # the line goes dead: no more bytes come
            assert connection.recv(65536) == b""  # and no answer: nobody is left to read it
    assert target.server.client.get("/v1/time").status_code == 200
    # The app logs every unexpected exception (a 500) at ERROR through zwdesk.city.server.
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert not errors, [record.getMessage() for record in errors]
    assert target.snapshot() == before
    assert_good_bundle_taken(target)


def test_registration_under_an_impossible_station_id_is_refused_not_a_server_error(
    target: Target,
) -> None:
    before = target.snapshot()
    key = to_base64(bytes(SigningKey.generate().verify_key))
    for encoded in ("T1%00", "T%0A1", "%FF%FE", "T1%09"):
        response = target.client.post(
            f"/v1/stations/{encoded}/register", json={"token": "guess", "public_key": key}
        )
        assert response.status_code == 403, (encoded, response.text)
        assert response.json()["error"]
    assert target.snapshot() == before
    assert_good_bundle_taken(target)
