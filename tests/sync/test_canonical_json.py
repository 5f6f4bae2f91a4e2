"""Canonical bytes (hashed and signed) stay exactly `json`'s; bundles keep every value exact."""

from __future__ import annotations

import json
import zlib
from enum import IntEnum, StrEnum
from typing import Any

import pytest
from nacl.public import PrivateKey, SealedBox
from nacl.signing import SigningKey

from zwdesk.sync.bundle import SEALED_MAGIC, open_bundle, seal_bundle
from zwdesk.sync.canonical import canonical_json


class Level(IntEnum):
    HIGH = 3


class Method(StrEnum):
    PHONE = "电话"


def reference(value: Any) -> bytes:
    """docs/sync-format.md: sorted keys, no whitespace, UTF-8 (what the format was built on)."""
    text = json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return text.encode("utf-8")


TRICKY = [
    {"姓名": "马一", "name": "é\u2028\U0001f600\x7f\x1f", "Ω": None, "a": True, "b": False},
    {"small": 1e-05, "tiny": -3.5e-09, "edge": 0.0001, "zero": -0.0, "big": 1e16, "f": 0.1},
    {"max": 1.7976931348623157e308, "min": 5e-324, "wage": 1234.5},
    {"u64": 2**64 - 1, "i64": -(2**63), "beyond": 2**70, "below": -(2**64)},
    {"nested": [{"z": [1, 2.5e-7, (3, "四")]}, []], "empty": {}},
    {"enum": Level.HIGH, "text": Method.PHONE, Method.PHONE: [Level.HIGH, 1e-06]},
]


@pytest.mark.parametrize("value", TRICKY)
def test_canonical_bytes_equal_the_reference_encoding(value: dict[str, Any]) -> None:
    assert canonical_json(value) == reference(value)


@pytest.mark.parametrize(
    "value", [{"x": float("nan")}, {"x": float("inf")}, {"x": [float("-inf")]}, {"x": "\ud800"}]
)
def test_values_json_cannot_carry_are_refused_not_written(value: dict[str, Any]) -> None:
    """NaN would otherwise become null: a different value under a valid signature."""
    with pytest.raises((ValueError, UnicodeEncodeError)):
        canonical_json(value)


def test_a_bundle_carries_every_value_exactly() -> None:
    """Integers past 64 bits and small floats arrive as they left; the payload lines are the
    reference bytes, one per record."""
    city = PrivateKey.generate()
    station = SigningKey.generate()
    record = {"uuid": "u1", "change_number": 1, "count": 2**70, "neg": -(2**63) - 1}
    record |= {"rate": 1e-05, "name": "马一"}
    audit = {"id": 1, "change_number": 1, "new": {"wage": 12345678901234567890, "r": 2.5e-7}}
    sealed = seal_bundle(
        [("workers", record), ("audit_log", audit)],
        station_id="T1",
        change_from=1,
        change_to=1,
        signing_key=station,
        city_public_key=city.public_key,
        app_version="test",
        policy_version="test",
    )
    _, records = open_bundle(sealed.data, city, {"T1": station.verify_key})
    assert [(entry.table, dict(entry.record)) for entry in records] == [
        ("workers", record),
        ("audit_log", audit),
    ]
    assert type(records[0].record["count"]) is int
    # The wire layout of docs/sync-format.md: magic, u64 length, sealed box; inside it magic,
    # u32 manifest length, manifest, 64-byte signature, zlib payload.
    inner = SealedBox(city).decrypt(sealed.data[len(SEALED_MAGIC) + 8 :])
    manifest_length = int.from_bytes(inner[4:8], "big")
    payload = zlib.decompress(inner[8 + manifest_length + 64 :])
    assert payload == b"".join(
        reference({"table": table, "record": value}) + b"\n"
        for table, value in (("workers", record), ("audit_log", audit))
    )
