"""Indexes over one scenario that every item reads: by id, by organiser, by worker."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import Any, cast

from zwdesk.domain.model import Organisation, OrganisationKind, Placement, Scenario, Worker
from zwdesk.domain.policy.facts import (
    CROSS_PROVINCE,
    INTRA_REGION,
    LOCAL,
    OTHER,
    RESIDENT,
    SAME_COUNTY,
    PlacementFacts,
    Residence,
    belonging,
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
    # beside it. Both indexes hold the facts in one order: by worker id, and a worker's
    # placements by (start, id). The items rely on it: item 2's rows come out in worker
    # order, and item 3 finds each worker's placements with an organiser side by side, so
    # neither sorts or regroups hundreds of thousands of records again.
    facts_by_organiser: dict[str, list[PlacementFacts]]
    facts_by_worker: dict[str, list[PlacementFacts]]  # every worker, in id order
    ledger: ClaimsLedger

    @classmethod
    def build(cls, scenario: Scenario, as_of: date, schedule: PolicySchedule) -> CalcContext:
        """Index the scenario; placements starting after `as_of` are ignored (POLICY.md §2)."""
        workers = {worker.id_number: worker for worker in scenario.workers}
        ordered = sorted(workers.values(), key=_ID_NUMBER)
        # A list per worker, in id order, and the placements dropped into them in one pass in
        # the records' own order: on a city-sized heap, visiting 300,000 records in any other
        # order, or looking each worker up by id once more, costs several times more. Each
        # list's placements are then replaced, in place, by their facts.
        by_worker: dict[str, list[Any]] = {worker.id_number: [] for worker in ordered}
        for placement in scenario.placements:
            if placement.start <= as_of:
                by_worker[placement.worker].append(placement)
        facts = _FactsMaker(schedule, as_of)
        facts.replace_all(ordered, by_worker.values())
        return cls(
            as_of=as_of,
            schedule=schedule,
            organisations={item.id: item for item in scenario.organisations},
            workers=workers,
            facts_by_organiser=dict(facts.by_organiser),
            facts_by_worker=cast(dict[str, list[PlacementFacts]], by_worker),
            ledger=ClaimsLedger(scenario.claims),
        )

    def placements_by_organiser(self, organisation_id: str) -> list[Placement]:
        """The organisation's placements starting on or before D, by worker, then start."""
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


_ID_NUMBER = attrgetter("id_number")
_START_ORDER = attrgetter("start", "id")  # a worker's placements: by start, then id


class _ParamsByDay(dict[date, ParameterSet]):
    """The parameters in force on each start day, looked up once per day (a city's 300,000
    placements start on a few hundred days; then `params[day]` is a plain dict lookup)."""

    def __init__(self, schedule: PolicySchedule) -> None:
        super().__init__()
        self._at = schedule.at

    def __missing__(self, day: date) -> ParameterSet:
        self[day] = params = self._at(day)
        return params


class _FactsMaker:
    """Works out the facts of each worker's placements and files them by organiser. The rules
    of `belonging`, `transfer_of` and `last_proven_day` are applied inline, in one loop over
    the workers: a city has 300,000 placements, and a Python call per placement (or worker)
    for each rule costs more than the rest of the work."""

    def __init__(self, schedule: PolicySchedule, as_of: date) -> None:
        self._as_of = as_of
        self._params = _ParamsByDay(schedule)
        self.by_organiser: defaultdict[str, list[PlacementFacts]] = defaultdict(list)

    def replace_all(self, workers: list[Worker], by_worker: Iterable[list[Any]]) -> None:
        """Put each worker's placements in (start, id) order and replace each by its facts."""
        as_of, params_on, by_organiser = self._as_of, self._params, self.by_organiser
        new = PlacementFacts
        jurisdiction: Jurisdiction | None = None
        last_params: ParameterSet | None = None
        local_counties: tuple[str, ...] = ()
        prefix = ""
        for worker, placements in zip(workers, by_worker, strict=True):
            if not placements:
                continue
            if len(placements) == 2:  # the most common order to fix: no sort needed for two
                first, second = placements
                if second.start < first.start or (
                    second.start == first.start and second.id < first.id
                ):
                    placements.reverse()
            elif len(placements) > 2:
                placements.sort(key=_START_ORDER)
            home: str | None = None  # not yet worked out for this worker (belonging)
            residence = OTHER
            rural = worker.rural
            for index, placement in enumerate(placements):
                start = placement.start
                params = params_on[start]
                if params is not last_params:  # a few times per run, in practice
                    last_params = params
                    if params.jurisdiction is not jurisdiction:
                        jurisdiction = params.jurisdiction
                        local_counties = jurisdiction.local_counties
                        prefix = jurisdiction.home_region_prefix
                        home = None
                if home is None:  # belonging(worker, jurisdiction), inline
                    home = worker.hukou_county
                    if home in local_counties:
                        residence = LOCAL
                    else:
                        resident_county = worker.resident_county
                        if resident_county in local_counties:
                            residence, home = RESIDENT, resident_county or home
                        else:
                            residence = OTHER
                work_county = placement.work_county  # transfer_of
                if not work_county.startswith(prefix):
                    transfer = CROSS_PROVINCE
                elif work_county != home:
                    transfer = INTRA_REGION
                else:
                    transfer = SAME_COUNTY
                # last_proven_day: the end, else the latest follow-up, else the start day
                end = placement.end
                proven = end or placement.verified_through or start
                if proven > as_of:
                    proven = as_of
                placements[index] = facts = new(
                    placement,
                    params,
                    residence,
                    transfer,
                    proven,
                    worker,
                    placement.id,
                    placement.worker,
                    start,
                    end,
                    placement.contract,
                    placement.social_insurance,
                    placement.monthly_wage,
                    rural,
                )
                organiser = placement.organiser
                if organiser is not None:
                    by_organiser[organiser].append(facts)
