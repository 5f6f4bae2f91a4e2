"""Receipts (回执): the city's Ed25519-signed word that it took (or refused) one bundle."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from zwdesk.sync.canonical import canonical_json, from_base64, to_base64
from zwdesk.sync.errors import ReceiptError

RECEIPT_FORMAT = "zwdesk-receipt/1"
MAX_RECEIPT_BYTES = 64 * 1024
ACCEPTED = "accepted"
REJECTED = "rejected"


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

    def to_json(self) -> dict[str, Any]:
        return {
            "format": RECEIPT_FORMAT,
            "bundle_id": self.bundle_id,
            "station_id": self.station_id,
            "changes": {"from": self.change_from, "to": self.change_to},
            "status": self.status,
            "reason": self.reason,
            "issued_at": self.issued_at,
        }

    @property
    def accepted(self) -> bool:
        return self.status == ACCEPTED


def sign_receipt(receipt: Receipt, city_signing_key: SigningKey) -> bytes:
    """The receipt file the city hands back (used by the city service, and by tests)."""
    if not receipt.issued_at:
        receipt = replace(receipt, issued_at=datetime.now(UTC).isoformat(timespec="seconds"))
    body = canonical_json(receipt.to_json())
    signature = city_signing_key.sign(body).signature
    return canonical_json({"body": to_base64(body), "signature": to_base64(signature)}) + b"\n"


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
        )
        format_name = document["format"]
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        raise _bad(f"内容不完整（{error}）") from error
    if format_name != RECEIPT_FORMAT:
        raise _bad(f"格式“{format_name}”不受支持")
    if receipt.status not in (ACCEPTED, REJECTED):
        raise _bad(f"状态“{receipt.status}”未知")
    return receipt
