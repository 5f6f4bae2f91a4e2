"""Shared by the window's sync tests: a real city on 127.0.0.1 (uvicorn, the city's own intake),
a demo station database, and a city that holds a request until the test lets it go."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from tests.city.conftest import SERVER_LIMITS, running_server
from zwdesk.app import build_main_window, make_application
from zwdesk.city.commands import add_station
from zwdesk.city.database import CityDatabase
from zwdesk.city.intake import CityIntake
from zwdesk.city.keys import CityKeys, load_city_keys
from zwdesk.city.server import create_app
from zwdesk.services.demo_service import create_demo_database
from zwdesk.services.sync_service import SyncService
from zwdesk.storage.database import StationDatabase, open_station_database
from zwdesk.sync.bundle import BundleLimits
from zwdesk.ui.main_window import MainWindow
from zwdesk.ui.settings import open_settings

NEVER_MS = 600_000  # the automatic first attempt stays out of the way: the test clicks
TODAY = date(2025, 12, 31)
STATION_ID = "T1"


def demo_station(path: Path) -> Path:
    create_demo_database(path, today=TODAY)
    return path


def enrolment_file(city_db: CityDatabase, folder: Path, url: str) -> Path:
    """What `zwdesk city station add T1 …` writes for the station."""
    path = folder / f"{STATION_ID}.enrol.json"
    add_station(city_db, STATION_ID, "海原县驻苏州劳务工作站", url, path)
    return path


def enrol(database: StationDatabase, city_db: CityDatabase, folder: Path, url: str) -> None:
    SyncService(database).enrol(enrolment_file(city_db, folder, url))


def unused_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (the city is down)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


class Gate:
    """Holds every request for `path` until `release()`; `arrived` is set when one waits."""

    def __init__(self, path: str = "/v1/time") -> None:
        self.path = path
        self.arrived = threading.Event()
        self._open = threading.Event()

    def release(self) -> None:
        self._open.set()

    def wrap(self, app: ASGIApp) -> ASGIApp:
        async def held(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http" and scope["path"] == self.path and not self._open.is_set():
                self.arrived.set()
                await run_in_threadpool(self._open.wait, 30)
            await app(scope, receive, send)

        return held


@contextmanager
def city_server(
    city_db: CityDatabase,
    city_keys: CityKeys,
    *,
    limits: BundleLimits = SERVER_LIMITS,
    gate: Gate | None = None,
) -> Iterator[str]:
    """The city's real intake on uvicorn; yields its URL."""
    app = create_app(CityIntake(city_db, city_keys, limits))
    if gate is not None:
        app = gate.wrap(app)
    with running_server(app) as url:
        try:
            yield url
        finally:
            if gate is not None:
                gate.release()  # a held request must not keep uvicorn from stopping


# -- fixtures of the window's sync tests (import them into the test module) -----------------
@pytest.fixture
def city_db(tmp_path: Path) -> CityDatabase:
    return CityDatabase(tmp_path / "city.db")


@pytest.fixture
def city_keys() -> CityKeys:
    return load_city_keys(create=True)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[StationDatabase]:
    with open_station_database(demo_station(tmp_path / "station.db")) as opened:
        yield opened


def sync_window(qtbot: QtBot, database: StationDatabase, tmp_path: Path) -> MainWindow:
    make_application()
    window = build_main_window(
        database, open_settings(tmp_path / "settings.ini"), sync_start_delay_ms=NEVER_MS
    )
    qtbot.addWidget(window)
    return window
