"""The city's two key pairs, kept in the OS keychain (keyring service "zwdesk-city").

- encryption key (Curve25519): stations seal bundles to its public half;
- receipt key (Ed25519): the city signs receipts with it.

Both are stored as base64 32-byte seeds; without a keychain `zwdesk.sync.keychain` refuses
(KeychainUnavailableError) — there is no plaintext fallback.
"""

from __future__ import annotations

from dataclasses import dataclass

from nacl.public import PrivateKey
from nacl.signing import SigningKey

from zwdesk.city.errors import CityKeysMissingError
from zwdesk.sync.canonical import from_base64, to_base64
from zwdesk.sync.keychain import Keychain

CITY_KEYCHAIN_SERVICE = "zwdesk-city"
ENCRYPTION_KEY_NAME = "city-encryption-key"
RECEIPT_KEY_NAME = "city-receipt-key"


@dataclass(frozen=True, slots=True)
class CityKeys:
    """The private halves; the public halves go into every enrolment file."""

    private_key: PrivateKey
    signing_key: SigningKey

    @property
    def public_key_text(self) -> str:
        return to_base64(bytes(self.private_key.public_key))

    @property
    def verify_key_text(self) -> str:
        return to_base64(bytes(self.signing_key.verify_key))


def city_keychain() -> Keychain:
    return Keychain(CITY_KEYCHAIN_SERVICE)


def _decode(stored: str, name: str) -> bytes:
    try:
        return from_base64(stored, 32)
    except ValueError as error:
        raise CityKeysMissingError(f"钥匙串中的市里密钥 {name} 已损坏（{error}）") from error


def load_city_keys(keychain: Keychain | None = None, *, create: bool = False) -> CityKeys:
    """The city's keys from the keychain; with `create`, generated on first use.

    Without `create` a missing key is CityKeysMissingError: a server that silently made new
    keys would refuse every bundle sealed to the old ones.
    """
    keychain = keychain or city_keychain()
    encryption = keychain.get(ENCRYPTION_KEY_NAME)
    receipt = keychain.get(RECEIPT_KEY_NAME)
    if encryption is None or receipt is None:
        if not create:
            raise CityKeysMissingError(
                "钥匙串中没有市里的密钥：请先在本机用 zwdesk city station add 登记第一个站点"
                "（会生成市里的密钥）"
            )
        if encryption is None:
            encryption = to_base64(bytes(PrivateKey.generate()))
            keychain.set(ENCRYPTION_KEY_NAME, encryption)
        if receipt is None:
            receipt = to_base64(bytes(SigningKey.generate()))
            keychain.set(RECEIPT_KEY_NAME, receipt)
    return CityKeys(
        PrivateKey(_decode(encryption, ENCRYPTION_KEY_NAME)),
        SigningKey(_decode(receipt, RECEIPT_KEY_NAME)),
    )
