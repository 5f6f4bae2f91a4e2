"""Secrets in the OS keychain (系统钥匙串) through keyring — never anywhere else.

No usable keychain (keyring's `fail` backend, a plaintext backend, or a backend error) raises
KeychainUnavailableError with a Chinese message; there is deliberately no fallback.
"""

from __future__ import annotations

import keyring
import keyring.backend
import keyring.errors
from nacl.signing import SigningKey, VerifyKey

from zwdesk.sync.canonical import from_base64, to_base64
from zwdesk.sync.errors import KeychainUnavailableError

SERVICE_NAME = "zwdesk"

NO_KEYCHAIN_MESSAGE = (
    "系统钥匙串不可用，无法安全保存同步密钥和登记令牌。"
    "请在有钥匙串的环境中使用同步功能（Windows 凭据管理器、macOS 钥匙串、"
    "Linux 的 GNOME 密钥环或 KWallet）；zwdesk 不会把密钥以明文保存到文件或数据库"
)


def _signing_key_name(station_id: str) -> str:
    return f"station-signing-key:{station_id}"


def _token_name(station_id: str) -> str:
    return f"enrolment-token:{station_id}"


class Keychain:
    """The station's secrets under one keyring service name (default "zwdesk")."""

    def __init__(self, service_name: str = SERVICE_NAME) -> None:
        self._service_name = service_name

    def _backend(self) -> keyring.backend.KeyringBackend:
        backend = keyring.get_keyring()
        kind = type(backend)
        # `fail` raises on use anyway; plaintext backends (keyrings.alt) would leak the keys.
        if kind.__module__ == "keyring.backends.fail" or "plaintext" in kind.__name__.lower():
            raise KeychainUnavailableError(f"{NO_KEYCHAIN_MESSAGE}（当前后端：{kind.__name__}）")
        return backend

    def get(self, name: str) -> str | None:
        """The secret stored under `name`, or None."""
        backend = self._backend()
        try:
            value = backend.get_password(self._service_name, name)
        except keyring.errors.KeyringError as error:
            raise KeychainUnavailableError(f"{NO_KEYCHAIN_MESSAGE}（{error}）") from error
        return None if value is None else str(value)

    def set(self, name: str, secret: str) -> None:
        """Store a secret (replacing any earlier one under the same name)."""
        backend = self._backend()
        try:
            backend.set_password(self._service_name, name, secret)
        except keyring.errors.KeyringError as error:
            raise KeychainUnavailableError(f"{NO_KEYCHAIN_MESSAGE}（{error}）") from error

    # -- the station's own secrets ----------------------------------------------------------
    def store_enrolment_token(self, station_id: str, token: str) -> None:
        self.set(_token_name(station_id), token)

    def enrolment_token(self, station_id: str) -> str | None:
        return self.get(_token_name(station_id))

    def create_signing_key(self, station_id: str) -> VerifyKey:
        """A new Ed25519 key pair: the private half stays here, the public half is returned."""
        signing_key = SigningKey.generate()
        self.set(_signing_key_name(station_id), to_base64(bytes(signing_key)))
        return signing_key.verify_key

    def signing_key(self, station_id: str) -> SigningKey | None:
        """The station's Ed25519 signing key, or None when it was never generated here."""
        stored = self.get(_signing_key_name(station_id))
        if stored is None:
            return None
        try:
            return SigningKey(from_base64(stored, 32))
        except ValueError as error:
            raise KeychainUnavailableError(
                f"钥匙串中站点 {station_id} 的签名密钥已损坏（{error}），请重新登记"
            ) from error
