"""Indexes over one scenario that every item reads: by id, by organiser, by worker."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from zwdesk.domain.model import Organisation, OrganisationKind, Placement, Scenario, Worker
from zwdesk.domain.policy.facts import (
    PlacementFacts,
    Residence,
    home_county_of,
    last_proven_day,
    residence_of,
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
    placements_by_organiser: dict[str, list[Placement]]
    placements_by_worker: dict[str, list[Placement]]
    ledger: ClaimsLedger
    _facts: dict[str, PlacementFacts] = field(default_factory=dict)
    _belonging: dict[tuple[int, str], tuple[Residence, str]] = field(default_factory=dict)

    @classmethod
    def build(cls, scenario: Scenario, as_of: date, schedule: PolicySchedule) -> CalcContext:
        """Index the scenario; placements starting after `as_of` are ignored (POLICY.md §2)."""
        by_organiser: dict[str, list[Placement]] = defaultdict(list)
        by_worker: dict[str, list[Placement]] = defaultdict(list)
        for placement in scenario.placements:
            if placement.start > as_of:
                continue
            by_worker[placement.worker].append(placement)
            if placement.organiser is not None:
                by_organiser[placement.organiser].append(placement)
        return cls(
            as_of=as_of,
            schedule=schedule,
            organisations={item.id: item for item in scenario.organisations},
            workers={worker.id_number: worker for worker in scenario.workers},
            placements_by_organiser=dict(by_organiser),
            placements_by_worker=dict(by_worker),
            ledger=ClaimsLedger(scenario.claims),
        )

    def facts(self, placement: Placement) -> PlacementFacts:
        """Parameters, residence, transfer and last proven day of a placement (memoised:
        items 1, 2 and 3 all ask about the same placements)."""
        found = self._facts.get(placement.id)
        if found is None:
            params = self.schedule.at(placement.start)
            jurisdiction = params.jurisdiction
            residence, home = self.belonging(self.workers[placement.worker], jurisdiction)
            found = self._facts[placement.id] = PlacementFacts(
                params,
                residence,
                transfer_of(placement.work_county, home, jurisdiction),
                last_proven_day(placement, self.as_of),
            )
        return found

    def belonging(self, worker: Worker, jurisdiction: Jurisdiction) -> tuple[Residence, str]:
        """The worker's residence class and home county under a jurisdiction (memoised)."""
        key = (id(jurisdiction), worker.id_number)
        found = self._belonging.get(key)
        if found is None:
            found = self._belonging[key] = (
                residence_of(worker, jurisdiction),
                home_county_of(worker, jurisdiction),
            )
        return found

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
