"""A demo station (演示数据) for newcomers: the shipped example with a profile and follow-ups."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from zwdesk.domain.dates import add_months
from zwdesk.domain.model import FollowUpMethod, FollowUpResult, Scenario
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
        scenario = _brought_to_year(read_scenario_file(examples_dir() / "demo-station.json"), day)
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


def _brought_to_year(scenario: Scenario, today: date) -> Scenario:
    """The example's year moved to this year (and its dates with it), so that the dashboard,
    which shows the current year, opens on a working station whatever the date. Dates past
    `today` are pulled back to it: the demo records only what has happened."""
    latest = max((placement.start.year for placement in scenario.placements), default=today.year)
    months = 12 * (today.year - latest)
    if months == 0:
        return scenario

    def moved(day: date) -> date:
        return min(add_months(day, months), today)

    def maybe(day: date | None) -> date | None:
        return moved(day) if day is not None else None

    return replace(
        scenario,
        placements=tuple(
            replace(
                placement,
                start=moved(placement.start),
                end=maybe(placement.end),
                verified_through=maybe(placement.verified_through),
                contract_start=maybe(placement.contract_start),
                contract_end=(
                    add_months(placement.contract_end, months) if placement.contract_end else None
                ),
            )
            for placement in scenario.placements
        ),
        batches=tuple(
            replace(batch, departure=moved(batch.departure)) for batch in scenario.batches
        ),
        gig_records=tuple(
            replace(record, date=moved(record.date)) for record in scenario.gig_records
        ),
        claims=tuple(
            replace(claim, year=claim.year + months // 12 if claim.year else None)
            for claim in scenario.claims
        ),
    )
