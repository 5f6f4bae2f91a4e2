"""Sync fixtures: an in-memory keychain, the city's keys, an enrolled demo station on disk."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import keyring
import keyring.backend
import pytest
from nacl.public import PrivateKey
from nacl.signing import SigningKey, VerifyKey

from zwdesk.services.calc_service import read_scenario_file
from zwdesk.services.claim_service import ClaimService
from zwdesk.services.station_scenario_service import import_scenario
from zwdesk.services.station_service import StationService
from zwdesk.services.sync_service import SyncService
from zwdesk.storage.database import StationDatabase, open_station_database
from zwdesk.sync.canonical import to_base64
from zwdesk.sync.keychain import Keychain

DEMO = Path(__file__).resolve().parents[2] / "resources" / "examples" / "demo-station.json"
YEAR_END = date(2025, 12, 31)


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keychain that lives in a dict (tests only)."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@dataclass(frozen=True)
class City:
    """The city's two key pairs: Curve25519 to open bundles, Ed25519 to sign receipts."""

    private_key: PrivateKey
    signing_key: SigningKey


@pytest.fixture
def city() -> City:
    return City(PrivateKey.generate(), SigningKey.generate())


def write_enrolment(path: Path, city: City, station_id: str = "T1", **changes: object) -> Path:
    document: dict[str, object] = {
        "format": "zwdesk-enrolment/1",
        "station_id": station_id,
        "city_url": "https://sync.zhongwei.example/",
        "city_public_key": to_base64(bytes(city.private_key.public_key)),
        "city_verify_key": to_base64(bytes(city.signing_key.verify_key)),
        "token": "one-time-token-8f3a",
    }
    document.update(changes)
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def fill_demo(database: StationDatabase) -> None:
    """The demo station, a frozen claim (claim batch + ledger lines) and tombstones."""
    import_scenario(database, read_scenario_file(DEMO), actor="测试")
    claims = ClaimService(database, actor="测试员")
    claims.freeze(claims.draft(2, "T1", year=2025, as_of=YEAR_END))
    code = database.connection.execute(
        "SELECT code FROM placements p WHERE EXISTS"
        " (SELECT 1 FROM follow_ups f WHERE f.placement_id = p.id) ORDER BY id DESC LIMIT 1"
    ).fetchone()[0]
    StationService(database, actor="测试员").delete_placement(code)


@pytest.fixture
def station_path(tmp_path: Path) -> Path:
    return tmp_path / "station.db"


@pytest.fixture
def station(station_path: Path) -> Iterator[StationDatabase]:
    with open_station_database(station_path) as database:
        fill_demo(database)
        yield database


@pytest.fixture
def sync(station: StationDatabase, city: City, tmp_path: Path) -> SyncService:
    service = SyncService(station)
    service.enrol(write_enrolment(tmp_path / "enrol.json", city))
    return service


def station_keys(service: SyncService, station_id: str = "T1") -> dict[str, VerifyKey]:
    """What the city registered: the public half the station reported at enrolment."""
    key = Keychain().signing_key(station_id)
    assert key is not None
    return {station_id: key.verify_key}
