"""City fixtures: the in-memory keychain, a city database and keys, a REAL uvicorn server on
127.0.0.1 (a free port, in a thread), and a demo station enrolled with the city's own file."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
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


@pytest.fixture
def city_db(tmp_path: Path) -> CityDatabase:
    return CityDatabase(tmp_path / "city.db")


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
