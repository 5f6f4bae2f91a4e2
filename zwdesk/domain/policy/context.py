"""Indexes over one scenario that every item reads: by id, by organiser, by worker."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from zwdesk.domain.model import Organisation, OrganisationKind, Placement, Scenario, Worker
from zwdesk.domain.policy.ledger import ClaimsLedger
from zwdesk.domain.policy.parameters import ParameterSet, PolicySchedule


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
