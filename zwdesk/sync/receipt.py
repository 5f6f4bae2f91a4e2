"""Receipts (回执): the city's Ed25519-signed word that it took (or refused) one bundle.

A receipt may also carry what the city has for the station: every published policy update and
the city's open notices on the station's records. Both fields are optional — a receipt without
them (older zwdesk) verifies as before and changes nothing but the bundle's state.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from zwdesk.sync.canonical import canonical_json, from_base64, to_base64
from zwdesk.sync.errors import ReceiptError
from zwdesk.sync.policy_update import MAX_POLICY_UPDATES, PolicyUpdate

RECEIPT_FORMAT = "zwdesk-receipt/1"
ACCEPTED = "accepted"
REJECTED = "rejected"
# At most this many notices per receipt (the city sends the first ones and says how many it
# has open in `notices_total`), each message cut to MAX_NOTICE_CHARS characters.
MAX_NOTICES = 1000
MAX_NOTICE_CHARS = 300
# Worst case: 16 policy files of 32 KiB (base64 inside the body, the body base64 again:
# × 16/9 ≈ 0.93 MB) + 1,000 notices of 300 characters (≈ 1.3 MB). A receipt with one policy
# update and a few notices is ≈ 11 KB (docs/sync-format.md).
MAX_RECEIPT_BYTES = 4 * 1024 * 1024
_Item = TypeVar("_Item")


@dataclass(frozen=True, slots=True)
class ReceiptNotice:
    """The city's word on one record of the station (e.g. a worker claimed twice)."""

    table: str
    uuid: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"table": self.table, "uuid": self.uuid, "message": self.message}

    @classmethod
    def from_json(cls, document: Any) -> ReceiptNotice:
        if not isinstance(document, dict):
            raise TypeError("意见应为 JSON 对象")
        return cls(str(document["table"]), str(document["uuid"]), str(document["message"]))


def cap_notices(notices: Sequence[ReceiptNotice]) -> tuple[ReceiptNotice, ...]:
    """The notices a receipt can carry: the first MAX_NOTICES, messages cut to length."""
    return tuple(
        notice
        if len(notice.message) <= MAX_NOTICE_CHARS
        else replace(notice, message=notice.message[: MAX_NOTICE_CHARS - 1] + "…")
        for notice in notices[:MAX_NOTICES]
    )


@dataclass(frozen=True, slots=True)
class Receipt:
    """What the city says about one bundle: accepted (all of change_from…change_to) or not."""

    bundle_id: str
    station_id: str
    change_from: int
    change_to: int
    status: str  # "accepted" or "rejected"
    reason: str = ""
    issued_at: str = ""
    # None: the receipt does not say (older format); () : the city has none.
    policy_updates: tuple[PolicyUpdate, ...] | None = None
    notices: tuple[ReceiptNotice, ...] | None = None
    notices_total: int = 0  # the city's open notices for the station (≥ len(notices))

    def to_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "format": RECEIPT_FORMAT,
            "bundle_id": self.bundle_id,
            "station_id": self.station_id,
            "changes": {"from": self.change_from, "to": self.change_to},
            "status": self.status,
            "reason": self.reason,
            "issued_at": self.issued_at,
        }
        if self.policy_updates is not None:
            document["policy_updates"] = [update.to_json() for update in self.policy_updates]
        if self.notices is not None:
            document["notices"] = [notice.to_json() for notice in self.notices]
            document["notices_total"] = max(self.notices_total, len(self.notices))
        return document

    @property
    def accepted(self) -> bool:
        return self.status == ACCEPTED


def sign_receipt(receipt: Receipt, city_signing_key: SigningKey) -> bytes:
    """The receipt file the city hands back (used by the city service, and by tests)."""
    if not receipt.issued_at:
        receipt = replace(receipt, issued_at=datetime.now(UTC).isoformat(timespec="seconds"))
    if receipt.policy_updates is not None and len(receipt.policy_updates) > MAX_POLICY_UPDATES:
        raise ReceiptError(f"回执最多携带 {MAX_POLICY_UPDATES} 个政策参数更新")
    if receipt.notices is not None and len(receipt.notices) > MAX_NOTICES:
        raise ReceiptError(f"回执最多携带 {MAX_NOTICES} 条意见（先用 cap_notices）")
    body = canonical_json(receipt.to_json())
    signature = city_signing_key.sign(body).signature
    data = canonical_json({"body": to_base64(body), "signature": to_base64(signature)}) + b"\n"
    if len(data) > MAX_RECEIPT_BYTES:  # cannot happen within the caps above
        raise ReceiptError(f"回执过大（{len(data)} 字节，上限 {MAX_RECEIPT_BYTES}）")
    return data


def _optional_list(
    document: dict[str, Any], key: str, read: Callable[[Any], _Item]
) -> tuple[_Item, ...] | None:
    """An optional list field: None when absent (an older receipt), else every item read."""
    if key not in document:
        return None
    items = document[key]
    if not isinstance(items, list):
        raise TypeError(f"{key} 应为列表")
    return tuple(read(item) for item in items)


def _bad(message: str) -> ReceiptError:
    return ReceiptError(f"回执无效：{message}")


def verify_receipt(data: bytes, city_verify_key: VerifyKey) -> Receipt:
    """Check the city's signature and the receipt's shape; ReceiptError says what is wrong."""
    if len(data) > MAX_RECEIPT_BYTES:
        raise _bad("文件过大")
    try:
        envelope = json.loads(data.decode("utf-8"))
        body = from_base64(str(envelope["body"]))
        signature = from_base64(str(envelope["signature"]), 64)
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        raise _bad(f"不是 {RECEIPT_FORMAT} 回执文件（{error}）") from error
    try:
        city_verify_key.verify(body, signature)
    except BadSignatureError as error:
        raise _bad("签名不是市里的（伪造或被改动）") from error
    try:
        document = json.loads(body.decode("utf-8"))
        changes = document["changes"]
        receipt = Receipt(
            bundle_id=str(document["bundle_id"]),
            station_id=str(document["station_id"]),
            change_from=int(changes["from"]),
            change_to=int(changes["to"]),
            status=str(document["status"]),
            reason=str(document.get("reason") or ""),
            issued_at=str(document.get("issued_at") or ""),
            policy_updates=_optional_list(document, "policy_updates", PolicyUpdate.from_json),
            notices=_optional_list(document, "notices", ReceiptNotice.from_json),
            notices_total=int(document.get("notices_total") or 0),
        )
        format_name = document["format"]
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        raise _bad(f"内容不完整（{error}）") from error
    if format_name != RECEIPT_FORMAT:
        raise _bad(f"格式“{format_name}”不受支持")
    if receipt.status not in (ACCEPTED, REJECTED):
        raise _bad(f"状态“{receipt.status}”未知")
    return receipt
