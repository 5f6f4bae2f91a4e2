"""The enrolment file (登记文件) from the city: station id, city URL, city keys, one-time token."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nacl.public import PublicKey
from nacl.signing import VerifyKey

from zwdesk.sync.canonical import from_base64
from zwdesk.sync.errors import EnrolmentError

ENROLMENT_FORMAT = "zwdesk-enrolment/1"
MAX_ENROLMENT_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class Enrolment:
    """What the city tells a station about itself; only `token` is secret."""

    station_id: str
    city_url: str
    city_public_key: PublicKey  # Curve25519: bundles are sealed to it
    city_verify_key: VerifyKey  # Ed25519: receipts are signed with its private half
    token: str


def _text(document: dict[str, Any], key: str, path: Path) -> str:
    value = document.get(key)
    if not isinstance(value, str) or not value.strip():
        raise EnrolmentError(f"登记文件 {path} 缺少“{key}”或其值不是文本")
    return value.strip()


def parse_enrolment(data: bytes, path: Path) -> Enrolment:
    """Validate an enrolment document; EnrolmentError names the bad field in Chinese."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise EnrolmentError(f"登记文件 {path} 不是有效的 UTF-8 JSON（{error}）") from error
    if not isinstance(document, dict):
        raise EnrolmentError(f"登记文件 {path} 应为 JSON 对象")
    if document.get("format") != ENROLMENT_FORMAT:
        raise EnrolmentError(
            f"登记文件 {path} 的格式为“{document.get('format')}”，应为“{ENROLMENT_FORMAT}”"
        )
    station_id = _text(document, "station_id", path)
    city_url = _text(document, "city_url", path)
    if not city_url.startswith(("https://", "http://")):
        raise EnrolmentError(f"登记文件 {path} 的 city_url 应以 https:// 开头：{city_url}")
    keys: dict[str, bytes] = {}
    for key in ("city_public_key", "city_verify_key"):
        try:
            keys[key] = from_base64(_text(document, key, path), 32)
        except ValueError as error:
            raise EnrolmentError(f"登记文件 {path} 的 {key} 无效：{error}") from error
    return Enrolment(
        station_id=station_id,
        city_url=city_url,
        city_public_key=PublicKey(keys["city_public_key"]),
        city_verify_key=VerifyKey(keys["city_verify_key"]),
        token=_text(document, "token", path),
    )


def read_enrolment_file(path: Path) -> Enrolment:
    """Read and validate an enrolment file."""
    try:
        if path.stat().st_size > MAX_ENROLMENT_BYTES:
            raise EnrolmentError(f"登记文件 {path} 过大，不是 zwdesk 登记文件")
        data = path.read_bytes()
    except OSError as error:
        raise EnrolmentError(f"无法读取登记文件 {path}：{error.strerror or error}") from error
    return parse_enrolment(data, path)
