"""Build and open bundles (数据包): JSON-lines payload, Ed25519-signed manifest, sealed box.

Wire layout (docs/sync-format.md):

    sealed   = b"zwdesk-sealed/1\\n" · u64 BE length of box · SealedBox(city key).encrypt(inner)
    inner    = b"ZWB1" · u32 BE manifest length · manifest · Ed25519 signature(manifest) · payload
    payload  = zlib(canonical JSON lines {"table": …, "record": {…}})

The manifest carries the payload's SHA-256, so the one detached signature covers both.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import struct
import uuid
import zlib
from collections import deque
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain, islice
from typing import Any, NamedTuple

import orjson
from nacl.exceptions import BadSignatureError, CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.signing import SigningKey, VerifyKey

from zwdesk.domain.collector import collector_paused
from zwdesk.sync.canonical import canonical_json, canonical_line, to_base64
from zwdesk.sync.errors import BundleRefusedError, RefusalReason
from zwdesk.sync.manifest import BUNDLE_FORMAT, BundleManifest, manifest_station, parse_manifest

SEALED_MAGIC = b"zwdesk-sealed/1\n"
INNER_MAGIC = b"ZWB1"
_BOX_LENGTH = struct.Struct(">Q")
_MANIFEST_LENGTH = struct.Struct(">I")
_SIGNATURE_BYTES = 64
_HEADER_BYTES = len(SEALED_MAGIC) + _BOX_LENGTH.size
AUDIT_TABLE = "audit_log"
_MAX_INT = 2**63 - 1  # what a database integer column holds
# Level 6 (zlib's default) compresses these lines 1.8× faster than 9 for an 8 % larger payload
# (level 1: 5× faster, 35 % larger, more to upload on a slow line); any level inflates the same
# way, so the format does not care.
_COMPRESSION_LEVEL = 6
_COMPRESS_CHUNK_BYTES = 1 << 20  # lines handed to zlib together: one call per line is slow
_ROWS_PER_PART = 2_500  # rows written into lines at a time: about _COMPRESS_CHUNK_BYTES
# orjson reads an integer beyond 64 bits as a float; `json` keeps it exact (_group_parser):
# every digit becomes "0" and everything else " ", so a run of 19 digits is one bytes search.
_DIGITS_ONLY = bytes(0x30 if 0x30 <= byte <= 0x39 else 0x20 for byte in range(256))
_LONG_DIGITS = b"0" * 19


@dataclass(frozen=True, slots=True)
class BundleLimits:
    """What an opener accepts; anything larger is refused before it is decrypted or inflated."""

    max_bundle_bytes: int = 512 * 1024 * 1024
    max_manifest_bytes: int = 64 * 1024
    max_payload_bytes: int = 2 * 1024 * 1024 * 1024  # after decompression


class BundleRecord(NamedTuple):
    """One record (or, for table "audit_log", one audit entry) as the station stored it, and
    its JSON text (None when not read from a payload: `record_json_text` writes it)."""

    table: str
    record: Mapping[str, Any]
    text: str | None = None


class OpenedBundle(NamedTuple):
    """A verified bundle: unpack as `manifest, records = open_bundle(...)`."""

    manifest: BundleManifest
    records: list[BundleRecord]


class SealedBundle(NamedTuple):
    """A built bundle: its manifest and the bytes that travel."""

    manifest: BundleManifest
    data: bytes


class _Deflater:
    """Compresses the payload in a worker thread, chunk after chunk in order, while the caller
    writes the next lines (zlib lets go of the GIL: a second core does it)."""

    _AHEAD = 4  # chunks handed over and not yet compressed, at most

    def __init__(self) -> None:
        self._compressor = zlib.compressobj(level=_COMPRESSION_LEVEL)
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zwdesk-deflate")
        self._pending: deque[Future[bytes]] = deque()
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> None:
        self._pending.append(self._worker.submit(self._compressor.compress, data))
        while len(self._pending) > self._AHEAD:
            self._parts.append(self._pending.popleft().result())

    def finish(self) -> bytes:
        self._pending.append(self._worker.submit(self._compressor.flush))
        try:
            self._parts.extend(future.result() for future in self._pending)
        finally:
            self._worker.shutdown(cancel_futures=True)
        return b"".join(self._parts)

    def abandon(self) -> None:
        self._worker.shutdown(cancel_futures=True)


class EncodedLines(NamedTuple):
    """Payload lines written apart from `seal_bundle` (in another process) by `encode_lines`:
    how many of each table, and the lines, each ending with a newline."""

    counts: dict[str, int]
    data: bytes


def _check_change(table: str, record: Mapping[str, Any], change_from: int, change_to: int) -> None:
    change = record.get("change_number")
    if not isinstance(change, int) or not change_from <= change <= change_to:
        raise ValueError(f"{table} 记录的变更号 {change} 不在 {change_from}–{change_to} 内")


def encode_lines(
    rows: Iterable[tuple[str, Mapping[str, Any]]], change_from: int, change_to: int
) -> EncodedLines:
    """`(table, record)` rows as payload lines, checked as `seal_bundle` checks its rows."""
    counts: dict[str, int] = {}
    lines: list[bytes] = []
    for table, record in rows:
        _check_change(table, record, change_from, change_to)
        counts[table] = counts.get(table, 0) + 1
        lines.append(canonical_line(table, record))
    lines.append(b"")
    return EncodedLines(counts, b"\n".join(lines))


def _row_parts(
    rows: Iterable[tuple[str, Mapping[str, Any]]], change_from: int, change_to: int
) -> Iterator[EncodedLines]:
    """`rows` as payload lines, _ROWS_PER_PART rows at a time."""
    rows = iter(rows)
    while (part := encode_lines(islice(rows, _ROWS_PER_PART), change_from, change_to)).data:
        yield part


def _compressed_lines(
    rows: Iterable[tuple[str, Mapping[str, Any]]],
    encoded: Iterable[EncodedLines],
    change_from: int,
    change_to: int,
) -> tuple[bytes, dict[str, int]]:
    """The zlib payload of `rows` as canonical JSON lines followed by the `encoded` lines, and
    how many rows each table has."""
    deflater = _Deflater()
    counts: dict[str, int] = {}
    try:
        for part in chain(_row_parts(rows, change_from, change_to), encoded):
            for table, count in part.counts.items():
                counts[table] = counts.get(table, 0) + count
            data = part.data
            for start in range(0, len(data), _COMPRESS_CHUNK_BYTES):
                deflater.write(data[start : start + _COMPRESS_CHUNK_BYTES])
    except BaseException:
        deflater.abandon()
        raise
    return deflater.finish(), counts


def seal_bundle(
    rows: Iterable[tuple[str, Mapping[str, Any]]],
    *,
    station_id: str,
    change_from: int,
    change_to: int,
    signing_key: SigningKey,
    city_public_key: PublicKey,
    app_version: str,
    policy_version: str,
    encoded: Iterable[EncodedLines] = (),
) -> SealedBundle:
    """Compress, sign and seal `(table, record)` rows, then the `encoded` lines (read only
    once the rows are written: another process may still be writing them); each record has
    its change number."""
    payload, counts = _compressed_lines(rows, encoded, change_from, change_to)
    manifest = BundleManifest(
        bundle_id=str(uuid.uuid4()),
        station_id=station_id,
        change_from=change_from,
        change_to=change_to,
        counts=counts,
        payload_sha256=hashlib.sha256(payload).hexdigest(),
        payload_bytes=len(payload),
        recipient=to_base64(bytes(city_public_key)),
        app_version=app_version,
        policy_version=policy_version,
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    manifest_bytes = canonical_json(manifest.to_json())
    signature = signing_key.sign(manifest_bytes).signature
    inner = b"".join(
        (
            INNER_MAGIC,
            _MANIFEST_LENGTH.pack(len(manifest_bytes)),
            manifest_bytes,
            signature,
            payload,
        )
    )
    box = SealedBox(city_public_key).encrypt(inner)
    return SealedBundle(manifest, SEALED_MAGIC + _BOX_LENGTH.pack(len(box)) + box)


def _refuse(reason: RefusalReason, message: str) -> BundleRefusedError:
    return BundleRefusedError(reason, f"数据包被拒收：{message}")


def _unseal(data: bytes, city_private_key: PrivateKey, limits: BundleLimits) -> bytes:
    if len(data) > limits.max_bundle_bytes:
        raise _refuse(
            RefusalReason.OVERSIZED, f"大小 {len(data)} 字节，超过上限 {limits.max_bundle_bytes}"
        )
    if len(data) < _HEADER_BYTES:
        if SEALED_MAGIC.startswith(data[: len(SEALED_MAGIC)]) and data:
            raise _refuse(RefusalReason.TRUNCATED, "文件不完整（在文件头处截断）")
        raise _refuse(RefusalReason.WRONG_FORMAT, "不是 zwdesk 数据包")
    if not data.startswith(SEALED_MAGIC):
        raise _refuse(RefusalReason.WRONG_FORMAT, "不是 zwdesk 数据包（文件头不符）")
    (declared,) = _BOX_LENGTH.unpack_from(data, len(SEALED_MAGIC))
    box = data[_HEADER_BYTES:]
    if declared > limits.max_bundle_bytes:
        raise _refuse(RefusalReason.OVERSIZED, f"声明大小 {declared} 字节，超过上限")
    if len(box) < declared:
        raise _refuse(RefusalReason.TRUNCATED, f"文件不完整：应有 {declared} 字节，只有 {len(box)}")
    if len(box) > declared:
        raise _refuse(RefusalReason.WRONG_FORMAT, "文件末尾有多余的字节")
    try:
        return SealedBox(city_private_key).decrypt(box)
    except CryptoError as error:
        raise _refuse(
            RefusalReason.UNDECRYPTABLE, "无法解密：数据包在途中被改动，或不是发给本市的"
        ) from error


def _split_inner(inner: bytes, limits: BundleLimits) -> tuple[bytes, bytes, bytes]:
    head = len(INNER_MAGIC) + _MANIFEST_LENGTH.size
    if len(inner) < head or not inner.startswith(INNER_MAGIC):
        raise _refuse(RefusalReason.WRONG_FORMAT, "解密后的内容不是 zwdesk 数据包")
    (manifest_length,) = _MANIFEST_LENGTH.unpack_from(inner, len(INNER_MAGIC))
    if manifest_length > limits.max_manifest_bytes:
        raise _refuse(RefusalReason.OVERSIZED, f"清单 {manifest_length} 字节，超过上限")
    signature_at = head + manifest_length
    if len(inner) < signature_at + _SIGNATURE_BYTES:
        raise _refuse(RefusalReason.TRUNCATED, "清单或签名不完整")
    manifest_bytes = inner[head:signature_at]
    signature = inner[signature_at : signature_at + _SIGNATURE_BYTES]
    return manifest_bytes, signature, inner[signature_at + _SIGNATURE_BYTES :]


def _verified_manifest(
    manifest_bytes: bytes,
    signature: bytes,
    station_public_keys: Mapping[str, VerifyKey],
    city_private_key: PrivateKey,
) -> BundleManifest:
    try:
        format_name, station_id = manifest_station(manifest_bytes)
    except ValueError as error:
        raise _refuse(RefusalReason.MALFORMED, str(error)) from error
    if format_name != BUNDLE_FORMAT:
        raise _refuse(
            RefusalReason.WRONG_FORMAT, f"格式“{format_name}”不受支持（应为 {BUNDLE_FORMAT}）"
        )
    verify_key = station_public_keys.get(station_id)
    if verify_key is None:
        raise _refuse(RefusalReason.UNKNOWN_STATION, f"站点“{station_id}”未登记")
    try:
        verify_key.verify(manifest_bytes, signature)
    except BadSignatureError as error:
        raise _refuse(
            RefusalReason.BAD_SIGNATURE,
            f"签名与站点“{station_id}”的公钥不符（由其他密钥签名，或清单被改动）",
        ) from error
    try:
        manifest = parse_manifest(manifest_bytes)
    except (ValueError, UnicodeDecodeError) as error:
        raise _refuse(RefusalReason.MALFORMED, f"清单无效：{error}") from error
    if manifest.recipient != to_base64(bytes(city_private_key.public_key)):
        raise _refuse(RefusalReason.MALFORMED, "清单中的收件公钥不是本市的")
    return manifest


def _check_payload(payload: bytes, manifest: BundleManifest) -> None:
    if len(payload) != manifest.payload_bytes:
        raise _refuse(
            RefusalReason.HASH_MISMATCH,
            f"数据部分应有 {manifest.payload_bytes} 字节，实为 {len(payload)} 字节",
        )
    if hashlib.sha256(payload).hexdigest() != manifest.payload_sha256:
        raise _refuse(RefusalReason.HASH_MISMATCH, "数据部分的 SHA-256 与清单不符（签名后被改动）")


def _inflate(payload: bytes, limits: BundleLimits) -> bytes:
    inflater = zlib.decompressobj()
    try:
        text = inflater.decompress(payload, limits.max_payload_bytes + 1)
    except zlib.error as error:
        raise _refuse(RefusalReason.MALFORMED, f"数据部分无法解压（{error}）") from error
    if len(text) > limits.max_payload_bytes or inflater.unconsumed_tail:
        raise _refuse(RefusalReason.OVERSIZED, f"解压后超过上限 {limits.max_payload_bytes} 字节")
    if not inflater.eof or inflater.unused_data:
        raise _refuse(RefusalReason.MALFORMED, "数据部分的压缩流不完整")
    return text


def _not_json(constant: str) -> None:
    raise ValueError(f"{constant} 不是 JSON 数值")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999: JSON allows it, no database or JSON writer does
        raise ValueError(f"{text} 超出数值范围")
    return value


def _holds_nul(value: object) -> bool:
    """Any text (key or value) with a NUL character in it, however deep (no recursion)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


# A record's JSON text for the city's `data` column: orjson writes what the standard encoder
# would (sorted keys, no spaces) ten times faster; the encoder takes what orjson refuses
# (integers past 64 bits, lone surrogates).
_ENCODE_TEXT = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(",", ":")
).encode


def record_json_text(record: Mapping[str, Any]) -> str:
    """A record as JSON text (keys sorted, no spaces), for a database's JSON column."""
    try:
        return orjson.dumps(record, option=orjson.OPT_SORT_KEYS).decode("utf-8")
    except (orjson.JSONEncodeError, UnicodeDecodeError):
        return _ENCODE_TEXT(record)


def _strict_json(line: bytes) -> Any:
    return json.loads(line, parse_constant=_not_json, parse_float=_finite)


_TABLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")  # a name the city may use in SQL and reports
_LINES_PER_GROUP_BYTES = 4 << 20  # lines split from the payload a few MB at a time


def _line_groups(text: bytes) -> Iterator[bytes]:
    """The payload a few MB at a time, each piece cut just after a newline (so a \\r\\n never
    straddles two): its lines are those of `text.splitlines()`, without one list of them all."""
    start, end = 0, len(text)
    while start < end:
        cut = text.find(b"\n", min(start + _LINES_PER_GROUP_BYTES, end) - 1)
        stop = end if cut < 0 else cut + 1
        yield text[start:stop]
        start = stop


def _group_parser(group: bytes) -> Callable[[bytes], Any]:
    """What reads a group's lines as JSON; each raises ValueError or RecursionError for a line
    that is not JSON or holds NaN, Infinity or a number beyond any float.

    orjson refuses all of those itself and is several times faster than `json`; but it reads
    an integer of 19+ digits beyond 64 bits as a float. So a group with such a digit run
    anywhere (rare: it may also sit in a text) is read with `json`, which keeps integers exact
    as it always did. (A whole group is cut at a newline: no run straddles two.)"""
    if _LONG_DIGITS in group.translate(_DIGITS_ONLY):
        return _strict_json
    return orjson.loads  # orjson.JSONDecodeError is a ValueError


def _checked_records(text: bytes, manifest: BundleManifest) -> Iterator[BundleRecord]:
    """Each line of the payload as a BundleRecord, checked as it is read; BundleRefusedError
    names the first bad line (and, after the last one, counts that differ from the manifest).

    A million lines pass through here: the checks are written out in one loop, without a
    function call per line beyond the parser's."""
    change_from, change_to = manifest.change_from, manifest.change_to
    seen: dict[str, set[object]] = {}  # per table: the uuids (audit entries: ids) so far
    number = 0
    for group in _line_groups(text):
        parse = _group_parser(group)
        for line in group.splitlines():
            number += 1
            try:
                entry = parse(line)
            except (ValueError, RecursionError) as error:  # decoding, NaN, Infinity, depth
                raise _refuse(RefusalReason.MALFORMED, f"第{number}行不是 JSON") from error
            if b"\\u0000" in line and _holds_nul(entry):  # PostgreSQL text cannot hold NUL
                raise _refuse(RefusalReason.MALFORMED, f"第{number}行含有 NUL 字符（\\u0000）")
            table = entry.get("table") if type(entry) is dict else None
            record = entry.get("record") if type(entry) is dict else None
            if type(table) is not str or type(record) is not dict:
                raise _refuse(RefusalReason.MALFORMED, f"第{number}行缺少 table 或 record")
            keys = seen.get(table)
            if keys is None:
                if _TABLE_NAME.fullmatch(table) is None:
                    raise _refuse(RefusalReason.MALFORMED, f"第{number}行的表名无效")
                keys = seen[table] = set()
            change = record.get("change_number")
            if type(change) is not int or not change_from <= change <= change_to:
                raise _refuse(RefusalReason.MALFORMED, f"第{number}行的变更号不在清单范围内")
            if table == AUDIT_TABLE:
                identity = record.get("id")
                valid = type(identity) is int and -_MAX_INT <= identity <= _MAX_INT
            else:
                identity = record.get("uuid")
                valid = type(identity) is str
            if not valid:
                raise _refuse(RefusalReason.MALFORMED, f"第{number}行（{table}）的 uuid 或 id 无效")
            if identity in keys:
                raise _refuse(RefusalReason.MALFORMED, f"第{number}行重复（{table}）")
            keys.add(identity)
            yield BundleRecord(table, record, record_json_text(record))
    if {table: len(keys) for table, keys in seen.items()} != dict(manifest.counts):
        raise _refuse(RefusalReason.MALFORMED, "各表记录数与清单不符")


class VerifiedBundle(NamedTuple):
    """A bundle whose seal, signature and payload hash are verified; `records()` inflates the
    payload and checks each line as it is read (a bad one raises BundleRefusedError), so the
    lines need not all be held in memory at once — and the whole can be handed to another
    process (it pickles as the compressed payload)."""

    manifest: BundleManifest
    payload: bytes  # compressed, as signed
    limits: BundleLimits

    def records(self) -> Iterator[BundleRecord]:
        text = _inflate(self.payload, self.limits)
        with collector_paused():  # the caller may keep what it reads: nothing to collect
            yield from _checked_records(text, self.manifest)


def verify_bundle(
    data: bytes,
    city_private_key: PrivateKey,
    station_public_keys: Mapping[str, VerifyKey],
    *,
    limits: BundleLimits | None = None,
) -> VerifiedBundle:
    """Decrypt a bundle and verify all but its lines: size, framing, decryption (tampering),
    station, signature, manifest, payload length and hash. (Decompression — its size and
    integrity — is checked when the records are read.)"""
    limits = limits or BundleLimits()
    inner = _unseal(data, city_private_key, limits)
    manifest_bytes, signature, payload = _split_inner(inner, limits)
    manifest = _verified_manifest(manifest_bytes, signature, station_public_keys, city_private_key)
    _check_payload(payload, manifest)
    return VerifiedBundle(manifest, payload, limits)


def open_bundle(
    data: bytes,
    city_private_key: PrivateKey,
    station_public_keys: Mapping[str, VerifyKey],
    *,
    seen_bundle_ids: Container[str] = frozenset(),
    limits: BundleLimits | None = None,
) -> OpenedBundle:
    """Decrypt and verify a bundle, all its lines included; BundleRefusedError (with
    `.reason`) if anything is off.

    Checks, in order: those of `verify_bundle`, decompression, then each line (JSON, change
    number, identity, uniqueness) and the counts — and only then whether the bundle id is in
    `seen_bundle_ids` (ALREADY_SEEN), so a forged bundle that reuses an id is reported as forged.
    """
    verified = verify_bundle(data, city_private_key, station_public_keys, limits=limits)
    records = list(verified.records())
    if verified.manifest.bundle_id in seen_bundle_ids:
        raise _refuse(
            RefusalReason.ALREADY_SEEN, f"数据包 {verified.manifest.bundle_id} 已经收到过"
        )
    return OpenedBundle(verified.manifest, records)
