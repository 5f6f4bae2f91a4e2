"""Enrolment and keys: secrets only in the keychain, a clear refusal when there is none."""

from __future__ import annotations

from pathlib import Path

import keyring
import keyring.backend
import keyring.backends.fail
import pytest

from tests.sync.conftest import City, MemoryKeyring, write_enrolment
from zwdesk.services.sync_service import SyncService
from zwdesk.storage.database import StationDatabase
from zwdesk.storage.outbox_repository import OutboxRepository
from zwdesk.sync.canonical import to_base64
from zwdesk.sync.errors import EnrolmentError, KeychainUnavailableError


def test_enrolment_keeps_secrets_in_the_keychain_only(
    station: StationDatabase,
    station_path: Path,
    city: City,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
) -> None:
    result = SyncService(station).enrol(write_enrolment(tmp_path / "enrol.json", city))
    assert result.station_id == "T1"
    secrets = memory_keyring.secrets
    assert secrets[("zwdesk", "enrolment-token:T1")] == "one-time-token-8f3a"
    private = secrets[("zwdesk", "station-signing-key:T1")]
    stored = OutboxRepository(station).enrolment()
    assert stored is not None and stored.station_verify_key == result.station_public_key
    assert stored.city_verify_key == to_base64(bytes(city.signing_key.verify_key))
    station.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    on_disk = station_path.read_bytes()
    assert private.encode() not in on_disk
    assert b"one-time-token-8f3a" not in on_disk


class PlaintextKeyring(MemoryKeyring):
    """Stands in for keyrings.alt's PlaintextKeyring, which writes secrets to a file."""


@pytest.mark.parametrize("backend", [keyring.backends.fail.Keyring(), PlaintextKeyring()])
def test_no_keychain_is_a_clear_refusal_and_writes_nothing(
    station: StationDatabase, city: City, tmp_path: Path, backend: keyring.backend.KeyringBackend
) -> None:
    keyring.set_keyring(backend)
    with pytest.raises(KeychainUnavailableError, match="系统钥匙串不可用") as caught:
        SyncService(station).enrol(write_enrolment(tmp_path / "enrol.json", city))
    print(caught.value)
    assert "明文" in str(caught.value)
    assert OutboxRepository(station).enrolment() is None


def test_building_without_the_key_in_the_keychain_says_so(
    sync: SyncService, memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.secrets.clear()
    with pytest.raises(EnrolmentError, match="签名密钥"):
        sync.build()


def test_building_before_enrolment_says_so(station: StationDatabase) -> None:
    with pytest.raises(EnrolmentError, match="尚未登记"):
        SyncService(station).build()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"format": "zwdesk-enrolment/9"}, "格式"),
        ({"station_id": ""}, "station_id"),
        ({"city_url": "ftp://x"}, "https://"),
        ({"city_public_key": "not base64!"}, "city_public_key"),
        ({"city_verify_key": to_base64(b"short")}, "city_verify_key"),
        ({"token": None}, "token"),
    ],
)
def test_bad_enrolment_files_are_refused_by_field(
    station: StationDatabase, city: City, tmp_path: Path, changes: dict[str, object], message: str
) -> None:
    path = write_enrolment(tmp_path / "enrol.json", city, **changes)
    with pytest.raises(EnrolmentError, match=message):
        SyncService(station).enrol(path)
    assert OutboxRepository(station).enrolment() is None


def test_a_missing_enrolment_file_is_named(station: StationDatabase, tmp_path: Path) -> None:
    with pytest.raises(EnrolmentError, match="无法读取登记文件"):
        SyncService(station).enrol(tmp_path / "missing.json")
