"""Bundles that must not be used are refused with a reason, before anything is trusted."""

from __future__ import annotations

import struct
import zlib

import pytest
from nacl.public import PrivateKey, SealedBox
from nacl.signing import SigningKey

from tests.sync.conftest import City, station_keys
from zwdesk.services.sync_service import SyncService
from zwdesk.sync.bundle import SEALED_MAGIC, BundleLimits, open_bundle, seal_bundle
from zwdesk.sync.errors import BundleRefusedError, RefusalReason


def refusal(data: bytes, city: City, sync: SyncService, **options: object) -> BundleRefusedError:
    with pytest.raises(BundleRefusedError) as caught:
        open_bundle(data, city.private_key, station_keys(sync), **options)  # type: ignore[arg-type]
    print(f"{caught.value.reason.value}: {caught.value}")
    assert str(caught.value).startswith("数据包被拒收：")
    return caught.value


def reseal(data: bytes, city: City, change: object) -> bytes:
    """What anyone holding the city's *public* key can do: open nothing, but seal anew."""
    inner = bytearray(SealedBox(city.private_key).decrypt(data[len(SEALED_MAGIC) + 8 :]))
    change(inner)  # type: ignore[operator]
    box = SealedBox(city.private_key.public_key).encrypt(bytes(inner))
    return SEALED_MAGIC + struct.pack(">Q", len(box)) + box


def small_bundle(
    city: City, station_id: str = "T1", key: SigningKey | None = None, rows: int = 1
) -> bytes:
    return seal_bundle(
        [("workers", {"uuid": f"u{n}", "change_number": n + 1}) for n in range(rows)],
        station_id=station_id,
        change_from=1,
        change_to=rows,
        signing_key=key or SigningKey.generate(),
        city_public_key=city.private_key.public_key,
        app_version="zwdesk test",
        policy_version="",
    ).data


def test_a_tampered_byte_is_refused(sync: SyncService, city: City) -> None:
    data = bytearray(sync.build().data)
    data[len(data) // 2] ^= 0x01
    assert refusal(bytes(data), city, sync).reason is RefusalReason.UNDECRYPTABLE


def test_a_truncated_bundle_is_refused(sync: SyncService, city: City) -> None:
    data = sync.build().data
    assert refusal(data[:-100], city, sync).reason is RefusalReason.TRUNCATED
    assert refusal(data[:10], city, sync).reason is RefusalReason.TRUNCATED


def test_a_bundle_signed_by_another_station_is_refused(sync: SyncService, city: City) -> None:
    forged = small_bundle(city, "T1", SigningKey.generate())  # claims to be T1, another key
    assert refusal(forged, city, sync).reason is RefusalReason.BAD_SIGNATURE
    stranger = small_bundle(city, "X9")
    assert refusal(stranger, city, sync).reason is RefusalReason.UNKNOWN_STATION


def test_a_bundle_for_another_city_key_is_refused(sync: SyncService, city: City) -> None:
    other = City(PrivateKey.generate(), city.signing_key)
    data = sync.build().data
    with pytest.raises(BundleRefusedError) as caught:
        open_bundle(data, other.private_key, station_keys(sync))
    assert caught.value.reason is RefusalReason.UNDECRYPTABLE


def test_a_resealed_payload_or_manifest_change_is_refused(sync: SyncService, city: City) -> None:
    data = sync.build().data

    def flip_last(inner: bytearray) -> None:
        inner[-1] ^= 0x01

    assert refusal(reseal(data, city, flip_last), city, sync).reason is RefusalReason.HASH_MISMATCH

    def change_manifest(inner: bytearray) -> None:
        at = inner.index(b'"to":')
        inner[at + 5] = ord("9") if inner[at + 5] != ord("9") else ord("8")

    assert refusal(reseal(data, city, change_manifest), city, sync).reason is (
        RefusalReason.BAD_SIGNATURE
    )


def test_a_replayed_bundle_id_is_reported_as_already_seen(sync: SyncService, city: City) -> None:
    sealed = sync.build()
    seen = {sealed.manifest.bundle_id}
    reason = refusal(sealed.data, city, sync, seen_bundle_ids=seen).reason
    assert reason is RefusalReason.ALREADY_SEEN


def test_oversized_bundles_are_refused(sync: SyncService, city: City) -> None:
    data = sync.build().data
    limits = BundleLimits(max_bundle_bytes=len(data) - 1)
    assert refusal(data, city, sync, limits=limits).reason is RefusalReason.OVERSIZED
    # Small on the wire, big when inflated (a zip bomb): refused while inflating.
    inflated = BundleLimits(max_payload_bytes=1000)
    assert refusal(data, city, sync, limits=inflated).reason is RefusalReason.OVERSIZED


def test_other_files_are_refused_as_wrong_format(sync: SyncService, city: City) -> None:
    for data in (b"PK\x03\x04" + bytes(100), zlib.compress(b"{}" * 50), b""):
        assert refusal(data, city, sync).reason in {
            RefusalReason.WRONG_FORMAT,
            RefusalReason.TRUNCATED,
        }
    assert refusal(b"PK\x03\x04" + bytes(100), city, sync).reason is RefusalReason.WRONG_FORMAT
    extra = sync.build().data + b"\x00"
    assert refusal(extra, city, sync).reason is RefusalReason.WRONG_FORMAT
