"""A demo station (演示数据) for newcomers: the shipped example with a profile and follow-ups."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from pathlib import Path

from zwdesk.domain.model import FollowUpMethod, FollowUpResult
from zwdesk.services.calc_service import read_scenario_file
from zwdesk.services.resource_paths import examples_dir
from zwdesk.services.station_profile_service import StationProfileService
from zwdesk.services.station_scenario_service import import_scenario
from zwdesk.services.station_service import StationService
from zwdesk.storage.database import open_station_database
from zwdesk.storage.placement_repository import PlacementRepository

logger = logging.getLogger(__name__)

DEMO_ACTOR = "演示数据"
DEMO_STATION = "T1"


def create_demo_database(path: Path, *, today: date | None = None) -> None:
    """Fill a new database at `path` with the demo station (T1 as 本站) unless it has one."""
    day = today or date.today()
    with open_station_database(path) as database:
        profiles = StationProfileService(database, DEMO_ACTOR)
        if profiles.profile() is not None:
            return
        scenario = read_scenario_file(examples_dir() / "demo-station.json")
        import_scenario(database, scenario, DEMO_ACTOR)
        profiles.use_existing(DEMO_STATION)
        service = StationService(database, DEMO_ACTOR)
        placements = PlacementRepository(database)
        added = 0
        for placement in scenario.placements:
            if placement.organiser != DEMO_STATION or placement.end is not None:
                continue
            follow_up_day = min(day, placement.start + timedelta(days=95))
            if follow_up_day <= placement.start or placements.follow_ups(placement.id):
                continue
            service.record_follow_up(
                placement.id,
                follow_up_day,
                FollowUpMethod.PHONE if added % 2 else FollowUpMethod.EMPLOYER,
                FollowUpResult.EMPLOYED,
                who="演示经办人",
                note="演示回访",
                today=day,
            )
            added += 1
            if added >= 12:
                break
    logger.info("demo database ready: %d follow-ups", added)
