"""The city's intake over a real HTTP server on 127.0.0.1: register, upload, receipts, refusals."""

from __future__ import annotations

import base64
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from nacl.public import PrivateKey
from nacl.signing import SigningKey

from tests.city.conftest import (
    SERVER_LIMITS,
    CityServer,
    Station,
    assert_city_holds_station,
    enrolled_station,
    register,
    upload,
)
from zwdesk.city.database import CityDatabase
from zwdesk.services.station_service import StationService
from zwdesk.sync.bundle import seal_bundle
from zwdesk.sync.receipt import verify_receipt


def stored_nothing(database: CityDatabase) -> bool:
    counts = database.counts()
    return (
        counts["bundles"] == 0
        and counts["audit_entries"] == 0
        and counts["persons"] == 0
        and (not any(name.startswith("records.") for name in counts))
    )


def still_serving(server: CityServer) -> None:
    response = server.client.get("/v1/time")
    assert response.status_code == 200


def test_the_clock(server: CityServer) -> None:
    response = server.client.get("/v1/time")
    assert response.status_code == 200
    now = datetime.fromisoformat(response.json()["now"])
    assert now.tzinfo is not None and now.utcoffset() is not None
    assert abs((now - datetime.now(UTC)).total_seconds()) < 5


def test_register_upload_and_the_station_accepts_the_receipt(
    server: CityServer, station: Station
) -> None:
    assert register(server, station).json() == {"registered": True}
    sealed = station.sync.build()
    response = upload(server, sealed.data)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    receipt = verify_receipt(response.content, server.keys.signing_key.verify_key)
    assert receipt.accepted and receipt.bundle_id == sealed.manifest.bundle_id
    entry = station.sync.mark_acknowledged(response.content)
    assert entry.state == "已确认"
    assert station.sync.synced_through() == sealed.manifest.change_to
    assert station.sync.status_text() == "已同步"
    assert_city_holds_station(server, station)
    bundle = server.database.bundle(sealed.manifest.bundle_id)
    assert bundle is not None and bundle.via == "http" and bundle.receipt == response.content


def test_the_same_bundle_twice_gives_the_same_receipt_and_changes_nothing(
    server: CityServer, station: Station
) -> None:
    register(server, station)
    data = station.sync.build().data
    first = upload(server, data)
    counts = server.database.counts()
    versions = server.database.record_versions()
    second = upload(server, data)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert server.database.counts() == counts
    assert server.database.record_versions() == versions


def test_the_newest_change_wins_whatever_order_bundles_arrive_in(
    server: CityServer, station: Station
) -> None:
    register(server, station)
    older = station.sync.build()
    worker = station.database.connection.execute(
        "SELECT id_number, uuid FROM workers LIMIT 1"
    ).fetchone()
    StationService(station.database, actor="测试员").edit_worker(worker[0], name="马改")
    newer = station.sync.build()  # the first is unacknowledged: starts at 1 again
    assert upload(server, newer.data).status_code == 200
    assert upload(server, older.data).status_code == 200
    change = station.database.connection.execute(
        "SELECT change_number FROM workers WHERE uuid = ?", (worker[1],)
    ).fetchone()[0]
    assert server.database.record_versions()[("workers", worker[1])] == change
    assert server.database.counts()["bundles"] == 2
    for response_bundle in (older, newer):
        receipt = server.database.bundle(response_bundle.manifest.bundle_id)
        assert receipt is not None
        station.sync.mark_acknowledged(receipt.receipt)
    assert station.sync.synced_through() == newer.manifest.change_to


def test_a_token_registers_one_key_and_asking_again_with_it_is_harmless(
    server: CityServer, station: Station
) -> None:
    assert register(server, station).status_code == 200
    # The same key again (the first answer was lost on the way): success, nothing changes.
    registered_at = server.database.station("T1")
    again = register(server, station)
    assert again.status_code == 200 and again.json() == {"registered": True}
    assert server.database.station("T1") == registered_at
    # Another key with the used token: refused, and the first key stays.
    other = base64.b64encode(bytes(SigningKey.generate().verify_key)).decode()
    taken = server.client.post(
        "/v1/stations/T1/register", json={"token": station.token, "public_key": other}
    )
    assert taken.status_code == 403 and "令牌" in taken.json()["error"]
    station_row = server.database.station("T1")
    assert station_row is not None and station_row.public_key == station.public_key
    # A wrong token is refused even with the registered key.
    guess = server.client.post(
        "/v1/stations/T1/register", json={"token": "guess", "public_key": station.public_key}
    )
    assert guess.status_code == 403


@pytest.mark.parametrize("kind", ["wrong-token", "unknown-station", "bad-key", "not-json"])
def test_bad_registrations_are_refused(server: CityServer, station: Station, kind: str) -> None:
    path, body = (
        f"/v1/stations/{station.station_id}/register",
        {
            "token": station.token,
            "public_key": station.public_key,
        },
    )
    if kind == "wrong-token":
        body["token"] = "guess"
    elif kind == "unknown-station":
        path = "/v1/stations/T9/register"
    elif kind == "bad-key":
        body["public_key"] = "bm90IGEga2V5"
    if kind == "not-json":
        response = server.client.post(path, content=b"{not json")
    else:
        response = server.client.post(path, json=body)
    print(kind, response.status_code, response.text)
    assert response.status_code == (403 if kind in ("wrong-token", "unknown-station") else 400)
    assert response.json()["error"]
    # A refused attempt does not use up the token.
    assert register(server, station).status_code == 200


@pytest.fixture
def second_station(tmp_path: Path, city_db: CityDatabase) -> Iterator[Station]:
    yield from enrolled_station(tmp_path, city_db, "T2", "http://127.0.0.1/")


@pytest.mark.parametrize(
    ("kind", "status", "reason"),
    [
        ("tampered", 400, "undecryptable"),
        ("truncated", 400, "truncated"),
        ("garbage", 400, "wrong-format"),
        ("sealed-to-another-city", 400, "undecryptable"),
        ("foreign-signed", 403, "bad-signature"),
        ("unknown-station", 403, "unknown-station"),
        ("not-registered", 403, "unknown-station"),
        ("other-station-header", 403, "unknown-station"),
        ("no-station-header", 403, "unknown-station"),
        ("oversized", 413, "oversized"),
        ("oversized-chunked", 413, "oversized"),
    ],
)
def test_refused_bundles_are_stored_nowhere_and_the_server_keeps_serving(
    server: CityServer,
    station: Station,
    second_station: Station,
    kind: str,
    status: int,
    reason: str,
) -> None:
    if kind != "not-registered":
        register(server, station)
    register(server, second_station)
    data = station.sync.build().data
    header = "T1"
    if kind == "tampered":
        data = data[:-100] + bytes([data[-100] ^ 1]) + data[-99:]
    elif kind == "truncated":
        data = data[: len(data) // 2]
    elif kind == "garbage":
        data = b"GET / HTTP/1.1\r\n\r\n" * 10
    elif kind in ("sealed-to-another-city", "foreign-signed"):
        signing_key = SigningKey.generate()
        city_key = server.keys.private_key.public_key
        if kind == "sealed-to-another-city":
            city_key = PrivateKey.generate().public_key
            signing_key = SigningKey.generate()
        data = seal_bundle(
            [("workers", {"uuid": "0" * 36, "change_number": 1})],
            station_id="T1",
            change_from=1,
            change_to=1,
            signing_key=signing_key,
            city_public_key=city_key,
            app_version="zwdesk 0.1.0",
            policy_version="",
        ).data
    elif kind == "unknown-station":
        header = "T9"
    elif kind == "other-station-header":
        header = "T2"
    elif kind == "oversized":
        data = data + b"\0" * SERVER_LIMITS.max_bundle_bytes
    if kind == "no-station-header":
        response = server.client.post("/v1/bundles", content=data)
    elif kind == "oversized-chunked":  # no Content-Length: refused as it streams past the limit
        chunk = b"\0" * 65536
        response = server.client.post(
            "/v1/bundles",
            content=iter([chunk] * (SERVER_LIMITS.max_bundle_bytes // len(chunk) + 2)),
            headers={"X-Zwdesk-Station": header},
        )
    else:
        response = upload(server, data, header)
    print(kind, response.status_code, response.text)
    assert response.status_code == status
    document = response.json()
    assert document["reason"] == reason
    assert ("缺少" if kind == "no-station-header" else "被拒收") in document["error"]
    assert stored_nothing(server.database)
    still_serving(server)
    # …and still takes a good bundle afterwards.
    if kind == "not-registered":
        register(server, station)
    good = upload(server, station.sync.build().data)
    assert good.status_code == 200
    station.sync.mark_acknowledged(good.content)


def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_read(
    server: CityServer, station: Station
) -> None:
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(
            b"POST /v1/bundles HTTP/1.1\r\nHost: city\r\nX-Zwdesk-Station: T1\r\n"
            b"Content-Type: application/octet-stream\r\nContent-Length: 1000000000\r\n\r\n"
            b"zwdesk-sealed/1\n"
        )
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            chunk = connection.recv(65536)
            if not chunk:
                break
            answer += chunk
    print(answer.decode("utf-8", "replace"))
    assert answer.startswith(b"HTTP/1.1 413")
    assert b'"reason":"oversized"' in answer
    still_serving(server)
    assert stored_nothing(server.database)
