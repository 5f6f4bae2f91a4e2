"""A station database as the engine's Scenario, and a scenario into a station database."""

from __future__ import annotations

import logging
from pathlib import Path

from zwdesk.domain.model import Scenario
from zwdesk.storage.database import StationDatabase, open_station_database
from zwdesk.storage.errors import StorageError
from zwdesk.storage.scenario_repository import ScenarioSaveCounts, load_scenario, save_scenario

logger = logging.getLogger(__name__)

# What callers (CLI, window) catch: every storage failure, with a Chinese message.
StationDatabaseError = StorageError


def read_station_database(path: Path) -> Scenario:
    """Every live fact of an existing station database (its schema is brought up to date)."""
    with open_station_database(path, create=False) as database:
        return load_scenario(database)


def import_scenario(
    database: StationDatabase, scenario: Scenario, actor: str = ""
) -> ScenarioSaveCounts:
    """Store a scenario's facts in one transaction (all or nothing), audited under `actor`."""
    with database.transaction(actor):
        counts = save_scenario(database, scenario)
    logger.info(
        "scenario imported: %d workers created, %d placements created",
        counts.workers.created,
        counts.placements.created,
    )
    return counts
