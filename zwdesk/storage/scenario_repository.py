"""The whole station as a domain Scenario (for the policy engine), and a Scenario into it."""

from __future__ import annotations

import gc
from dataclasses import dataclass

from zwdesk.domain.model import FollowUp, FollowUpMethod, Scenario
from zwdesk.storage.batch_repository import BatchRepository
from zwdesk.storage.claim_repository import ClaimRepository
from zwdesk.storage.database import StationDatabase
from zwdesk.storage.gig_repository import GigRepository
from zwdesk.storage.organisation_repository import OrganisationRepository
from zwdesk.storage.placement_repository import PlacementRepository
from zwdesk.storage.records import UpsertCounts
from zwdesk.storage.worker_repository import WorkerRepository


@dataclass(frozen=True, slots=True)
class ScenarioSaveCounts:
    """What saving a scenario did, per aggregate."""

    organisations: UpsertCounts
    workers: UpsertCounts
    placements: UpsertCounts
    batches: int
    gig_records: int
    claims: int


def load_scenario(database: StationDatabase) -> Scenario:
    """Every live fact, one query per aggregate; placements carry verified_through derived from
    their 在岗 follow-ups (the SQL mirror of domain.model.verified_through)."""
    # One read transaction: a consistent snapshot even while another process writes (WAL).
    connection = database.connection
    own_transaction = not connection.in_transaction
    # Half a million new objects and no garbage among them: the cyclic collector would only
    # rescan them again and again (about a fifth of the load time at city scale, measured).
    collecting = gc.isenabled()
    gc.disable()
    if own_transaction:
        connection.execute("BEGIN")
    try:
        return Scenario(
            organisations=tuple(OrganisationRepository(database).all()),
            workers=tuple(WorkerRepository(database).all()),
            placements=tuple(PlacementRepository(database).all()),
            batches=tuple(BatchRepository(database).all()),
            gig_records=tuple(GigRepository(database).all()),
            claims=tuple(ClaimRepository(database).all()),
        )
    finally:
        if own_transaction:
            connection.execute("COMMIT")
        if collecting:
            gc.enable()


def save_scenario(
    database: StationDatabase,
    scenario: Scenario,
    method: FollowUpMethod = FollowUpMethod.EMPLOYER,
) -> ScenarioSaveCounts:
    """Store a scenario's facts (inside the caller's transaction). Organisations, workers and
    placements are upserted (idempotent); batches, gig records and claims are appended."""
    organisations = OrganisationRepository(database).upsert(scenario.organisations)
    workers = WorkerRepository(database).upsert(scenario.workers)
    placements = PlacementRepository(database).upsert(scenario.placements, method)
    BatchRepository(database).add_many(scenario.batches)
    return ScenarioSaveCounts(
        organisations=organisations,
        workers=workers,
        placements=placements,
        batches=len(scenario.batches),
        gig_records=len(GigRepository(database).add(scenario.gig_records)),
        claims=len(ClaimRepository(database).add(scenario.claims)),
    )


def load_station_export(database: StationDatabase) -> tuple[Scenario, list[FollowUp]]:
    """Every live fact and every live follow-up (回访), read in one consistent snapshot."""
    connection = database.connection
    own_transaction = not connection.in_transaction
    if own_transaction:
        connection.execute("BEGIN")
    try:
        return load_scenario(database), PlacementRepository(database).all_follow_ups()
    finally:
        if own_transaction:
            connection.execute("COMMIT")
