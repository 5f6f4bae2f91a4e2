"""Sync with the city (同步): keychain secrets, enrolment, signed and sealed bundles, receipts.

Pure format and crypto: this package never touches the station database (storage keeps the
outbox, services join the two).
"""
