"""The bundle manifest (清单): what a bundle holds, signed by the station that built it."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

BUNDLE_FORMAT = "zwdesk-bundle/1"
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_MAX_INT = 2**63 - 1  # what a database integer column holds


@dataclass(frozen=True, slots=True)
class BundleManifest:
    """One bundle's description; `change_from`…`change_to` are inclusive change numbers."""

    bundle_id: str
    station_id: str
    change_from: int
    change_to: int
    counts: Mapping[str, int]
    payload_sha256: str  # SHA-256 of the compressed payload bytes, hex
    payload_bytes: int  # length of the compressed payload
    recipient: str  # base64 of the city public key the bundle is sealed to
    app_version: str
    policy_version: str
    created_at: str  # ISO 8601, UTC
    format: str = field(default=BUNDLE_FORMAT)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "bundle_id": self.bundle_id,
            "station_id": self.station_id,
            "changes": {"from": self.change_from, "to": self.change_to},
            "counts": dict(self.counts),
            "payload": {
                "sha256": self.payload_sha256,
                "bytes": self.payload_bytes,
                "encoding": "jsonl+zlib",
            },
            "recipient": self.recipient,
            "app_version": self.app_version,
            "policy_version": self.policy_version,
            "created_at": self.created_at,
        }

    @property
    def record_count(self) -> int:
        """Records and audit entries together."""
        return sum(self.counts.values())


def _int(value: object, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= _MAX_INT:
        raise ValueError(f"{name} 应为非负整数（不超过 {_MAX_INT}）")
    return value


def _str(value: object, name: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} 应为非空文本")
    return value


def manifest_station(data: bytes) -> tuple[str, str]:
    """(format, station id) read from unverified manifest bytes, to pick the key to verify with."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise ValueError(f"清单不是 JSON（{error}）") from error
    if not isinstance(document, dict):
        raise ValueError("清单应为 JSON 对象")
    return str(document.get("format")), str(document.get("station_id"))


def parse_manifest(data: bytes) -> BundleManifest:
    """A verified manifest's bytes as a BundleManifest; ValueError says which field is wrong."""
    document = json.loads(data.decode("utf-8"))
    if not isinstance(document, dict):
        raise ValueError("清单应为 JSON 对象")
    changes, payload, counts = (
        document.get("changes"),
        document.get("payload"),
        document.get("counts"),
    )
    if not isinstance(changes, dict) or not isinstance(payload, dict):
        raise ValueError("清单缺少 changes 或 payload")
    if not isinstance(counts, dict):
        raise ValueError("清单缺少 counts")
    bundle_id = _str(document.get("bundle_id"), "bundle_id")
    if not _UUID.match(bundle_id):
        raise ValueError("bundle_id 应为小写 UUID")
    payload_sha256 = _str(payload.get("sha256"), "payload.sha256")
    if not _SHA256.match(payload_sha256):
        raise ValueError("payload.sha256 应为 64 位十六进制")
    if payload.get("encoding") != "jsonl+zlib":
        raise ValueError("payload.encoding 应为 jsonl+zlib")
    manifest = BundleManifest(
        format=_str(document.get("format"), "format"),
        bundle_id=bundle_id,
        station_id=_str(document.get("station_id"), "station_id"),
        change_from=_int(changes.get("from"), "changes.from"),
        change_to=_int(changes.get("to"), "changes.to"),
        counts={_str(key, "counts"): _int(value, f"counts.{key}") for key, value in counts.items()},
        payload_sha256=payload_sha256,
        payload_bytes=_int(payload.get("bytes"), "payload.bytes"),
        recipient=_str(document.get("recipient"), "recipient"),
        app_version=_str(document.get("app_version"), "app_version"),
        policy_version=str(document.get("policy_version") or ""),
        created_at=_str(document.get("created_at"), "created_at"),
    )
    if manifest.change_from < 1 or manifest.change_to < manifest.change_from:
        raise ValueError("changes 范围无效")
    return manifest
