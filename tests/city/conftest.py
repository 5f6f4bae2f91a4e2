"""City fixtures: the in-memory keychain, a city database and keys, a REAL uvicorn server on
127.0.0.1 (a free port, in a thread), and a demo station enrolled with the city's own file.

Every test that uses `city_target` / `city_db` runs twice: on an SQLite file and on PostgreSQL
(a fresh schema per test in the database ZWDESK_TEST_POSTGRES_URL names; `.ci/run` sets it up).
Without that variable the PostgreSQL runs are skipped — or fail, with ZWDESK_REQUIRE_POSTGRES=1.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
import psycopg
import pytest
import uvicorn
from starlette.types import ASGIApp

from tests.sync.conftest import fill_demo
from tests.sync.conftest import memory_keyring as memory_keyring  # autouse: no real keychain
from zwdesk.city.commands import add_station
from zwdesk.city.database import CityDatabase
from zwdesk.city.intake import CityIntake
from zwdesk.city.keys import CityKeys, load_city_keys
from zwdesk.city.server import create_app
from zwdesk.services.sync_service import SyncService
from zwdesk.storage.database import StationDatabase, open_station_database
from zwdesk.storage.outbox_repository import SYNCED_TABLES
from zwdesk.sync.bundle import BundleLimits
from zwdesk.sync.enrolment import read_enrolment_file

# Big enough for the demo station's initial bundle (≈ 75 KB), small enough to test 413.
SERVER_LIMITS = BundleLimits(max_bundle_bytes=512 * 1024)


@contextmanager
def running_server(app: ASGIApp) -> Iterator[str]:
    """Serve `app` with uvicorn on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        listener.close()


POSTGRES_URL_VARIABLE = "ZWDESK_TEST_POSTGRES_URL"
REQUIRE_POSTGRES_VARIABLE = "ZWDESK_REQUIRE_POSTGRES"


def with_search_path(url: str, schema: str) -> str:
    """`url` whose connections use `schema` (libpq's `options` parameter)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "options"]
    query.append(("options", f"-csearch_path={schema}"))
    return urlunsplit(parts._replace(query=urlencode(query)))


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A fresh, empty schema on the test server; yields a URL that works in it."""
    url = os.environ.get(POSTGRES_URL_VARIABLE, "")
    if not url:
        reason = f"PostgreSQL: set {POSTGRES_URL_VARIABLE}=postgresql://… to run (.ci/run does)"
        if os.environ.get(REQUIRE_POSTGRES_VARIABLE) == "1":
            pytest.fail(f"{REQUIRE_POSTGRES_VARIABLE}=1 but {POSTGRES_URL_VARIABLE} is unset")
        pytest.skip(reason)
    schema = f"zwdesk_test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    try:
        yield with_search_path(url, schema)
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def city_target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where the city database of one test is: an SQLite file, or a postgresql:// URL."""
    if request.param == "sqlite":
        yield str(tmp_path / "city.db")
        return
    with postgres_schema() as url:
        yield url


@pytest.fixture
def city_db(city_target: str) -> Iterator[CityDatabase]:
    with CityDatabase(city_target) as database:
        yield database


@pytest.fixture
def city_keys() -> CityKeys:
    return load_city_keys(create=True)


@dataclass
class CityServer:
    url: str
    client: httpx.Client
    database: CityDatabase
    keys: CityKeys


@pytest.fixture
def server(city_db: CityDatabase, city_keys: CityKeys) -> Iterator[CityServer]:
    app = create_app(CityIntake(city_db, city_keys, SERVER_LIMITS))
    with running_server(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        yield CityServer(url, client, city_db, city_keys)


@dataclass
class Station:
    """A demo station enrolled with the enrolment file `zwdesk city station add` writes."""

    station_id: str
    database: StationDatabase
    sync: SyncService
    token: str
    public_key: str  # base64, what the station registers


def enrolled_station(
    tmp_path: Path, city_db: CityDatabase, station_id: str, url: str
) -> Iterator[Station]:
    enrolment = tmp_path / f"{station_id}.enrol.json"
    add_station(city_db, station_id, f"{station_id} 工作站", url, enrolment)
    with open_station_database(tmp_path / f"{station_id}.db") as database:
        fill_demo(database)
        sync = SyncService(database)
        result = sync.enrol(enrolment)
        token = read_enrolment_file(enrolment).token
        yield Station(station_id, database, sync, token, result.station_public_key)


@pytest.fixture
def station(tmp_path: Path, city_db: CityDatabase) -> Iterator[Station]:
    yield from enrolled_station(tmp_path, city_db, "T1", "http://127.0.0.1/")


def register(server: CityServer, station: Station) -> httpx.Response:
    return server.client.post(
        f"/v1/stations/{station.station_id}/register",
        json={"token": station.token, "public_key": station.public_key},
    )


def upload(server: CityServer, data: bytes, station_id: str = "T1") -> httpx.Response:
    return server.client.post(
        "/v1/bundles",
        content=data,
        headers={"X-Zwdesk-Station": station_id, "Content-Type": "application/octet-stream"},
    )


def assert_city_holds_station(server: CityServer, station: Station) -> None:
    """Every record of the station once, every audit entry, every worker as a person keyed by
    ID number."""
    counts = server.database.counts()
    connection = station.database.connection
    for table in SYNCED_TABLES:
        expected = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        assert counts.get(f"records.{table}", 0) == expected, table
    audit = connection.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    assert counts["audit_entries"] == audit
    people = connection.execute("SELECT count(DISTINCT id_number) FROM workers").fetchone()[0]
    assert counts["persons"] == people == counts["person_records"]
