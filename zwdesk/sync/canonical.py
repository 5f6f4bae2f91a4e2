"""Canonical JSON (sorted keys, no spaces, UTF-8) and base64 helpers shared by the formats."""

from __future__ import annotations

import base64
import binascii
import json
import math
from typing import Any

import orjson

_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)
_PLAIN = frozenset((str, int, bool, type(None)))
_JSON_TYPES = _PLAIN | {float, dict, list, tuple}
# Python writes 1e-05 where orjson writes 0.00001; at and above 1e-4 the two agree.
_SMALLEST_PLAIN_FLOAT = 1e-4


def _orjson_agrees(value: Any) -> bool:
    """True when orjson writes exactly the bytes `json` would: only plain types (no subclasses,
    which json may write differently or refuse), and only finite floats that Python does not
    write with an exponent below 1e-4 (orjson writes NaN as null where json refuses it).

    The types of a container's items are gathered in C (set(map(type, …))): a record of text
    and integers is cleared without a Python step per value."""
    kind = type(value)
    if kind in _PLAIN:
        return True
    if kind is float:
        return math.isfinite(value) and not (value and abs(value) < _SMALLEST_PLAIN_FLOAT)
    if kind is dict:
        items = value.values()  # keys: orjson refuses any but str (→ json below)
    elif kind is list or kind is tuple:
        items = value
    else:
        return False
    kinds = set(map(type, items))
    if kinds <= _PLAIN:
        return True
    if not kinds <= _JSON_TYPES:
        return False
    return all(_orjson_agrees(item) for item in items if type(item) not in _PLAIN)


def canonical_json(value: Any) -> bytes:
    """The one byte form of a JSON value that is signed and hashed.

    orjson is several times faster than `json`; it is used only where its bytes are known to
    equal `json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)`. Anything
    else (odd floats, subclasses, non-text keys, integers beyond 64 bits, unpaired
    surrogates) goes through `json`, which gives the reference bytes or the reference error.
    """
    if type(value) is dict and set(map(type, value.values())) <= _PLAIN:
        agrees = True  # a record's row: the common case, decided without a Python step per value
    else:
        try:
            agrees = _orjson_agrees(value)
        except RecursionError:  # deeper than orjson goes anyway
            agrees = False
    if agrees:
        try:
            return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
        except orjson.JSONEncodeError:
            pass
    return _ENCODER.encode(value).encode("utf-8")


_LINE_TAILS: dict[str, bytes] = {}  # per table name: b',"table":"name"}'


def canonical_line(table: str, record: Any) -> bytes:
    """`canonical_json({"table": table, "record": record})`, the bytes of one payload line,
    written without building the wrapper ("record" sorts before "table")."""
    tail = _LINE_TAILS.get(table)
    if tail is None:
        tail = b',"table":' + canonical_json(table) + b"}"
        if len(_LINE_TAILS) < 64:  # the synced tables; never grows with what passes through
            _LINE_TAILS[table] = tail
    return b"".join((b'{"record":', canonical_json(record), tail))


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
