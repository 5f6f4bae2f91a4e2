"""Receiving a bundle (接收数据包) — the one path for HTTP uploads and USB files.

Verify (zwdesk.sync.bundle.verify_bundle: size, framing, decryption, station, signature,
hashes), then merge — each line checked as the merge reads it; a bad one rolls it back — and
sign the receipt, in one transaction. A bundle id already received answers with the receipt
given the first time and changes nothing; a refused bundle raises BundleRefusedError and is
stored nowhere.

Every new receipt also carries every published policy update and the station's open notices
(the city's findings on its records, at most MAX_NOTICES of them).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from zwdesk.city.database import BundleRow, CityDatabase
from zwdesk.city.keys import CityKeys
from zwdesk.sync.bundle import BundleLimits, verify_bundle
from zwdesk.sync.errors import BundleRefusedError, RefusalReason
from zwdesk.sync.manifest import BundleManifest
from zwdesk.sync.policy_update import PolicyUpdate
from zwdesk.sync.receipt import ACCEPTED, Receipt, ReceiptNotice, cap_notices, sign_receipt

VIA_HTTP = "http"
VIA_FILE = "file"


@dataclass(frozen=True, slots=True)
class IntakeResult:
    """The receipt bytes to hand back, and whether this call stored the bundle."""

    receipt: bytes
    manifest: BundleManifest
    stored: bool


@dataclass(frozen=True, slots=True)
class _ReceiptExtras:
    policy_updates: tuple[PolicyUpdate, ...]
    notices: tuple[ReceiptNotice, ...]
    notices_total: int


def _refuse(reason: RefusalReason, message: str) -> BundleRefusedError:
    return BundleRefusedError(reason, f"数据包被拒收：{message}")


class CityIntake:
    """Takes bundles into the city database with the city's keys."""

    def __init__(
        self, database: CityDatabase, keys: CityKeys, limits: BundleLimits | None = None
    ) -> None:
        self.database = database
        self.keys = keys
        self.limits = limits or BundleLimits()

    def receive(self, data: bytes, *, station_id: str | None = None, via: str) -> IntakeResult:
        """Verify, merge and acknowledge one bundle.

        `station_id` (the uploader's X-Zwdesk-Station) restricts the keys tried to that
        station's: a bundle signed by another station is then refused as unknown-station.
        """
        keys = self.database.station_keys(station_id)
        verified = verify_bundle(data, self.keys.private_key, keys, limits=self.limits)
        manifest = verified.manifest
        existing = self.database.bundle(manifest.bundle_id)
        if existing is not None:
            return self._replay(manifest, existing)
        # Read before the write transaction (a second connection inside it would wait on it
        # under PostgreSQL); something published meanwhile rides on the next receipt.
        extras = self._receipt_extras(manifest.station_id)
        row, stored = self.database.store_bundle(
            manifest,
            verified,  # each line checked as the merge reads it
            sealed_sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            via=via,
            receipt_for=lambda signed: self._sign(signed, extras),
        )
        if not stored:  # another upload of the same bundle won the race
            return self._replay(manifest, row)
        return IntakeResult(row.receipt, manifest, stored=True)

    def _receipt_extras(self, station_id: str) -> _ReceiptExtras:
        """What the city has for the station: every published policy update, its notices."""
        updates = tuple(
            PolicyUpdate(row.name, row.effective_from, row.content, row.signature, row.published_at)
            for row in self.database.policy_updates()
        )
        notices = [
            ReceiptNotice(notice.table, notice.uuid, notice.message)
            for notice in self.database.open_notices(station_id)
        ]
        return _ReceiptExtras(updates, cap_notices(notices), len(notices))

    def _sign(self, manifest: BundleManifest, extras: _ReceiptExtras) -> bytes:
        receipt = Receipt(
            bundle_id=manifest.bundle_id,
            station_id=manifest.station_id,
            change_from=manifest.change_from,
            change_to=manifest.change_to,
            status=ACCEPTED,
            policy_updates=extras.policy_updates,
            notices=extras.notices,
            notices_total=extras.notices_total,
        )
        return sign_receipt(receipt, self.keys.signing_key)

    @staticmethod
    def _replay(manifest: BundleManifest, row: BundleRow) -> IntakeResult:
        """The same bundle again: the first receipt. The same id on other content: refused."""
        first = (row.station_id, row.change_from, row.change_to, row.payload_sha256)
        again = (
            manifest.station_id,
            manifest.change_from,
            manifest.change_to,
            manifest.payload_sha256,
        )
        if first != again:
            raise _refuse(
                RefusalReason.ALREADY_SEEN,
                f"数据包编号 {manifest.bundle_id} 已用于另一个内容不同的数据包",
            )
        return IntakeResult(row.receipt, manifest, stored=False)
