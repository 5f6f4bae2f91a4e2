"""Indexes over one scenario that every item reads: by id, by organiser, by worker."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from zwdesk.domain.model import Organisation, OrganisationKind, Placement, Scenario, Worker
from zwdesk.domain.policy.facts import (
    PlacementFacts,
    Residence,
    belonging,
    last_proven_day,
    transfer_of,
)
from zwdesk.domain.policy.ledger import ClaimsLedger
from zwdesk.domain.policy.parameters import Jurisdiction, ParameterSet, PolicySchedule


@dataclass(frozen=True)
class CalcContext:
    """The facts as of D, indexed once. Events after D are already left out."""

    as_of: date
    schedule: PolicySchedule
    organisations: dict[str, Organisation]
    workers: dict[str, Worker]
    # Each placement with its facts (items 1, 2 and 3 read these), worked out once and kept
    # beside it, so that no item looks a placement's facts up by id.
    facts_by_organiser: dict[str, list[PlacementFacts]]
    facts_by_worker: dict[str, list[PlacementFacts]]
    ledger: ClaimsLedger

    @classmethod
    def build(cls, scenario: Scenario, as_of: date, schedule: PolicySchedule) -> CalcContext:
        """Index the scenario; placements starting after `as_of` are ignored (POLICY.md §2)."""
        workers = {worker.id_number: worker for worker in scenario.workers}
        by_organiser: dict[str, list[PlacementFacts]] = defaultdict(list)
        by_worker: dict[str, list[PlacementFacts]] = defaultdict(list)
        at = schedule.at
        # One pass in the records' own order: on a city-sized heap, visiting the placements
        # in any other order (by worker, by organiser) costs several times more.
        for placement in scenario.placements:
            start = placement.start
            if start > as_of:
                continue
            params = at(start)
            jurisdiction = params.jurisdiction
            residence, home = belonging(workers[placement.worker], jurisdiction)
            facts = PlacementFacts(
                placement,
                params,
                residence,
                transfer_of(placement.work_county, home, jurisdiction),
                last_proven_day(placement, as_of),
            )
            by_worker[placement.worker].append(facts)
            if placement.organiser is not None:
                by_organiser[placement.organiser].append(facts)
        return cls(
            as_of=as_of,
            schedule=schedule,
            organisations={item.id: item for item in scenario.organisations},
            workers=workers,
            facts_by_organiser=dict(by_organiser),
            facts_by_worker=dict(by_worker),
            ledger=ClaimsLedger(scenario.claims),
        )

    def placements_by_organiser(self, organisation_id: str) -> list[Placement]:
        """The organisation's placements starting on or before D, in input order."""
        return [facts.placement for facts in self.facts_by_organiser.get(organisation_id, ())]

    def belonging(self, worker: Worker, jurisdiction: Jurisdiction) -> tuple[Residence, str]:
        """The worker's residence class and home county under a jurisdiction."""
        return belonging(worker, jurisdiction)

    def organisations_of(self, kind: OrganisationKind) -> list[Organisation]:
        """Organisations of one kind, in id order."""
        return sorted(
            (item for item in self.organisations.values() if item.kind is kind),
            key=lambda item: item.id,
        )

    def params_at(self, day: date) -> ParameterSet:
        """Parameters in force on `day`."""
        return self.schedule.at(day)

    def worker_name(self, id_number: str) -> str:
        """The worker's name for sentences (never the ID number)."""
        worker = self.workers.get(id_number)
        return worker.name if worker and worker.name else "（无姓名）"
