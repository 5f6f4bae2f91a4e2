"""A demo station enrolled with a REAL city: city database, keys (in the test keychain) and
intake — for tests of what receipts carry back (policy updates, notices) — and parameter
files derived from the shipped one."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.city.conftest import postgres_schema
from zwdesk.city.commands import add_station
from zwdesk.city.database import CityDatabase
from zwdesk.city.intake import VIA_FILE, CityIntake
from zwdesk.city.keys import CityKeys, load_city_keys
from zwdesk.services.resource_paths import policy_dir
from zwdesk.services.station_service import StationService
from zwdesk.services.sync_service import ReceiptOutcome, SyncService
from zwdesk.storage.database import StationDatabase
from zwdesk.sync.enrolment import read_enrolment_file

SHIPPED_TEXT = (policy_dir() / "2025-01-01.toml").read_text(encoding="utf-8")


def policy_text(effective: str, *replacements: tuple[str, str]) -> str:
    """The shipped file, dated `effective`, with exact, checked replacements."""
    text = SHIPPED_TEXT
    for old, new in (
        ("effective_from = 2025-01-01", f"effective_from = {effective}"),
        *replacements,
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def write_policy(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


@dataclass
class Link:
    """A station enrolled with a real city (database, keys, intake)."""

    station: StationDatabase
    sync: SyncService
    city_db: CityDatabase
    city_target: str  # what `zwdesk city … --db` takes: a file path or a postgresql:// URL
    keys: CityKeys
    intake: CityIntake
    edits: int = 0

    def change_something(self) -> None:
        self.edits += 1
        worker = self.station.connection.execute(
            "SELECT id_number FROM workers ORDER BY id LIMIT 1"
        ).fetchone()[0]
        StationService(self.station, actor="测试员").edit_worker(worker, name=f"马改{self.edits}")

    def receipt(self) -> bytes:
        """Build a bundle (after a small change, if everything is synced) and have the city
        take it; the receipt bytes the city hands back."""
        if self.sync.pending_count() == 0:
            self.change_something()
        sealed = self.sync.build()
        return self.intake.receive(sealed.data, via=VIA_FILE).receipt

    def round_trip(self) -> ReceiptOutcome:
        return self.sync.accept_receipt(self.receipt())


def connect(
    station: StationDatabase,
    directory: Path,
    *,
    register: bool = True,
    city_target: str | None = None,
) -> Link:
    """Enrol `station` as T1 with a new city (an SQLite file in `directory` unless
    `city_target` names another); `register` its key directly (otherwise the sender
    registers it over HTTP with the token). Close `link.city_db` when done."""
    target = city_target or str(directory / "city.db")
    city_db = CityDatabase(target)
    enrolment = directory / "T1.enrol.json"
    add_station(city_db, "T1", "沙坡头区劳务工作站", "https://sync.zhongwei.example/", enrolment)
    sync = SyncService(station)
    registered = sync.enrol(enrolment)
    if register:
        token = read_enrolment_file(enrolment).token
        city_db.register("T1", token, registered.station_public_key)
    keys = load_city_keys()
    return Link(station, sync, city_db, target, keys, CityIntake(city_db, keys))


def _linked(station: StationDatabase, directory: Path, city_target: str | None) -> Iterator[Link]:
    connected = connect(station, directory, city_target=city_target)
    with connected.city_db:
        yield connected


@pytest.fixture
def link(station: StationDatabase, tmp_path: Path) -> Iterator[Link]:
    """The demo station enrolled with a city on an SQLite file."""
    yield from _linked(station, tmp_path, None)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_link(
    request: pytest.FixtureRequest, station: StationDatabase, tmp_path: Path
) -> Iterator[Link]:
    """`link`, once with the city on SQLite and once on PostgreSQL (a fresh schema; skipped
    unless ZWDESK_TEST_POSTGRES_URL is set, as .ci/run does)."""
    if request.param == "sqlite":
        yield from _linked(station, tmp_path, None)
        return
    with postgres_schema() as url:
        yield from _linked(station, tmp_path, url)
