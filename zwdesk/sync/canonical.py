"""Canonical JSON (sorted keys, no spaces, UTF-8) and base64 helpers shared by the formats."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)


def canonical_json(value: Any) -> bytes:
    """The one byte form of a JSON value that is signed and hashed."""
    return _ENCODER.encode(value).encode("utf-8")


def to_base64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def from_base64(text: str, expected_length: int | None = None) -> bytes:
    """Decode strict base64; ValueError if it is not, or not `expected_length` bytes long."""
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as error:
        raise ValueError("不是有效的 base64 文本") from error
    if expected_length is not None and len(data) != expected_length:
        raise ValueError(f"长度应为 {expected_length} 字节，实为 {len(data)} 字节")
    return data
