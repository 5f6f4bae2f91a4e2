"""The database's change counter: one number bumped by every write (for caching reads)."""

from __future__ import annotations

from zwdesk.storage.database import StationDatabase


def current_change_number(database: StationDatabase) -> int:
    """The number of the latest committed change; equal numbers mean equal contents."""
    row = database.connection.execute("SELECT value FROM change_counter WHERE id = 1").fetchone()
    return int(row[0])
