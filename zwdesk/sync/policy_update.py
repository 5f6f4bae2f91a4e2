"""Policy updates (政策参数更新): parameter files the city signs and its receipts carry.

A file is named after the day it takes effect (`2026-01-01.toml`, as in resources/policy) and
says the same date in `effective_from`. The city signs the file's exact bytes with its receipt
key (Ed25519); a station applies a file only if that signature verifies with the key from its
enrolment and the file passes the same strict loader as the shipped ones.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from typing import Any

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from zwdesk.domain.policy.parameters import (
    ParameterSet,
    PolicyParameterError,
    parse_parameter_set,
)
from zwdesk.sync.canonical import from_base64, to_base64
from zwdesk.sync.errors import SyncError

# A shipped file is ≈ 5 KB; the cap keeps a receipt carrying every update small (receipt.py).
MAX_POLICY_FILE_BYTES = 32 * 1024
# How many files the city may publish: every receipt carries all of them (receipt.py).
MAX_POLICY_UPDATES = 16
SIGNATURE_BYTES = 64
_FILE_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})\.toml$")


class PolicyUpdateError(SyncError):
    """A policy update that must not be applied (bad signature, name or date); Chinese."""


@dataclass(frozen=True, slots=True)
class PolicyUpdate:
    """One signed parameter file as a receipt carries it."""

    name: str
    effective_from: str  # YYYY-MM-DD
    content: bytes
    signature: bytes
    published_at: str = ""

    @property
    def content_sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "effective_from": self.effective_from,
            "content": to_base64(self.content),
            "signature": to_base64(self.signature),
            "published_at": self.published_at,
        }

    @classmethod
    def from_json(cls, document: Any) -> PolicyUpdate:
        """The shape only (KeyError/TypeError/ValueError); the signature is checked apart."""
        if not isinstance(document, dict):
            raise TypeError("政策参数更新应为 JSON 对象")
        return cls(
            name=str(document["name"]),
            effective_from=str(document["effective_from"]),
            content=from_base64(str(document["content"])),
            signature=from_base64(str(document["signature"]), SIGNATURE_BYTES),
            published_at=str(document.get("published_at") or ""),
        )


def parse_policy_content(name: str, content: bytes) -> ParameterSet:
    """The real parameter loader on a file's bytes: UTF-8, TOML, then the strict schema.

    PolicyParameterError names the file and the key, as for the shipped files."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise PolicyParameterError(f"政策参数文件 {name} 不是 UTF-8 文本") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PolicyParameterError(f"政策参数文件 {name} 不是有效的 TOML：{error}") from None
    return parse_parameter_set(data, name)


def file_date(name: str) -> date:
    """The effective date a file name states; PolicyParameterError if it states none."""
    match = _FILE_NAME.match(name)
    try:
        if match is None:
            raise ValueError(name)
        return date.fromisoformat(match.group(1))
    except ValueError:
        raise PolicyParameterError(
            f"政策参数文件名 {name} 无效：应为生效日期加 .toml，如 2026-01-01.toml"
        ) from None


def check_policy_file(name: str, content: bytes) -> ParameterSet:
    """A publishable file: size, name = effective date, the loader, and the date inside the
    file = the date in its name. PolicyParameterError says which and why."""
    if len(content) > MAX_POLICY_FILE_BYTES:
        raise PolicyParameterError(
            f"政策参数文件 {name} 过大：{len(content)} 字节，上限 {MAX_POLICY_FILE_BYTES} 字节"
        )
    named = file_date(name)
    parameters = parse_policy_content(name, content)
    if parameters.effective_from != named:
        raise PolicyParameterError(
            f"政策参数文件 {name} 有误：effective_from：文件内为"
            f" {parameters.effective_from.isoformat()}，与文件名的日期 {named.isoformat()} 不一致"
        )
    return parameters


def sign_policy_file(
    name: str, content: bytes, signing_key: SigningKey, published_at: str
) -> PolicyUpdate:
    """Check a file and sign its bytes with the city's receipt key."""
    parameters = check_policy_file(name, content)
    return PolicyUpdate(
        name=name,
        effective_from=parameters.effective_from.isoformat(),
        content=content,
        signature=signing_key.sign(content).signature,
        published_at=published_at,
    )


def verify_policy_update(update: PolicyUpdate, city_verify_key: VerifyKey) -> ParameterSet:
    """The parameters of a received update, if the city signed exactly these bytes and the
    file is valid; otherwise PolicyUpdateError / PolicyParameterError, to be refused."""
    try:
        city_verify_key.verify(update.content, update.signature)
    except BadSignatureError:
        raise PolicyUpdateError(
            f"政策参数更新 {update.name} 的签名无效（不是市里签发的，或内容被改动），未采用"
        ) from None
    parameters = check_policy_file(update.name, update.content)
    if parameters.effective_from.isoformat() != update.effective_from:
        raise PolicyUpdateError(
            f"政策参数更新 {update.name} 的生效日期 {update.effective_from} 与文件内容"
            f" {parameters.effective_from.isoformat()} 不一致，未采用"
        )
    return parameters
