"""Sync failures as exceptions whose message a station worker can read (Chinese)."""

from __future__ import annotations

from enum import Enum


class SyncError(Exception):
    """Base of every sync failure; `str(error)` is one Chinese sentence."""


class KeychainUnavailableError(SyncError):
    """No usable OS keychain: secrets are refused rather than stored in plain text."""


class EnrolmentError(SyncError):
    """The enrolment file (登记文件) is missing, malformed, or the station is not enrolled."""


class RefusalReason(Enum):
    """Why a bundle was refused (machine-readable; the message says it in Chinese)."""

    WRONG_FORMAT = "wrong-format"
    OVERSIZED = "oversized"
    TRUNCATED = "truncated"
    UNDECRYPTABLE = "undecryptable"  # tampered ciphertext, or sealed to another key
    UNKNOWN_STATION = "unknown-station"
    BAD_SIGNATURE = "bad-signature"  # signed by another station's key, or manifest altered
    HASH_MISMATCH = "hash-mismatch"  # payload altered after signing
    MALFORMED = "malformed"  # signed but inconsistent (counts, change range)
    ALREADY_SEEN = "already-seen"  # a replay of a bundle id the caller has processed


class BundleRefusedError(SyncError):
    """A bundle that must not be used; `reason` says why, the message explains in Chinese."""

    def __init__(self, reason: RefusalReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason

    def __reduce__(self) -> tuple[type[BundleRefusedError], tuple[RefusalReason, str]]:
        # Pickled whole: a refusal found in a worker process is raised in the server's.
        return type(self), (self.reason, str(self))


class ReceiptError(SyncError):
    """A receipt (回执) that is forged, malformed, or does not match a bundle we built."""
