"""Subsidies as a station sees them (no Qt): results as of a date, and every result row with
its explanation; the dashboard summary and the worklist are built beside them."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from zwdesk.domain.model import Organisation, Scenario
from zwdesk.domain.money import Fen
from zwdesk.domain.policy.parameters import PolicySchedule
from zwdesk.domain.policy.results import Results
from zwdesk.domain.privacy import mask_id_number
from zwdesk.services.calc_service import calculate, display_names
from zwdesk.services.dashboard_summary import DashboardSummary, dashboard_summary
from zwdesk.services.follow_up_worklist import WorklistEntry, follow_up_worklist
from zwdesk.services.policy_files import station_schedule
from zwdesk.services.subsidy_labels import ITEM_NAMES
from zwdesk.storage.change_counter import current_change_number
from zwdesk.storage.database import StationDatabase, open_station_database
from zwdesk.storage.organisation_repository import OrganisationRepository
from zwdesk.storage.scenario_repository import load_scenario

# A progress callback: (done, total, what is happening).
Report = Callable[[int, int, str], None]


@dataclass(frozen=True, slots=True)
class SubsidyRow:
    """One computed result, flattened: item, year, who, amounts and the explaining sentences."""

    item: int
    year: int | None  # None: item 4 is one-time over the policy period
    who: str
    amount: Fen  # due now
    entitlement: Fen
    claimed: Fen
    explanation: Sequence[str]
    detail: str = ""  # e.g. 批次号 or a masked ID number

    @property
    def item_name(self) -> str:
        """第一项 … 第六项."""
        return ITEM_NAMES[self.item]


@dataclass(frozen=True, slots=True)
class SubsidyOverview:
    """Everything the views show, computed once per (date, database change)."""

    as_of: date
    change_number: int
    results: Results
    summary: DashboardSummary
    worklist: tuple[WorklistEntry, ...]
    rows: tuple[SubsidyRow, ...]

    @property
    def years(self) -> tuple[int, ...]:
        """The years that have rows, ascending."""
        return tuple(sorted({row.year for row in self.rows if row.year is not None}))


def filter_rows(
    rows: Iterable[SubsidyRow], item: int | None = None, year: int | None = None
) -> list[SubsidyRow]:
    """Rows of one item and/or one year (None = all). One-time rows (item 4) show in every year."""
    return [
        row
        for row in rows
        if (item is None or row.item == item)
        and (year is None or row.year is None or row.year == year)
    ]


class SubsidyService:
    """Computes over a station database. Safe to call from a worker thread: every call opens its
    own connection, and a result is reused while the database has not changed."""

    def __init__(self, database: StationDatabase, schedule: PolicySchedule | None = None) -> None:
        self._path = database.path
        self._schedule = schedule
        self._lock = threading.Lock()
        self._cached: SubsidyOverview | None = None
        self._cached_schedule: PolicySchedule | None = None

    @property
    def schedule(self) -> PolicySchedule:
        """The policy parameters computed with: shipped files + the city's updates."""
        if self._schedule is not None:
            return self._schedule
        with open_station_database(self._path, create=False) as database:
            return station_schedule(database)

    def compute(self, as_of: date) -> Results:
        """Engine results as of a date (slow at city scale: call it off the GUI thread)."""
        return self.overview(as_of).results

    def overview(self, as_of: date, report: Report | None = None) -> SubsidyOverview:
        """Results, dashboard summary, worklist and rows (slow at city scale: off the GUI
        thread). `report(done, total, text)` is told how far it is."""

        def step(done: int, text: str) -> None:
            if report is not None:
                report(done, 4, text)

        with self._lock:  # two views asking at once: the second gets the first one's result
            step(0, "读取数据…")
            with open_station_database(self._path, create=False) as database:
                number = current_change_number(database)
                # Looked up each time: a policy update the city sends applies from then on.
                schedule = self._schedule or station_schedule(database)
                cached = self._cached
                if (
                    cached is not None
                    and (cached.as_of, cached.change_number) == (as_of, number)
                    and schedule is self._cached_schedule
                ):
                    return cached
                scenario = load_scenario(database)
                ours = OrganisationRepository(database).station_profile()
            step(1, "计算补贴…")
            results = calculate(scenario, as_of, schedule)
            step(2, "整理结果…")
            overview = build_overview(scenario, results, ours, schedule, number)
            step(4, "完成")
            self._cached, self._cached_schedule = overview, schedule
            return overview


# -- building the overview (pure functions over one scenario and its results) ----------------
def build_overview(
    scenario: Scenario,
    results: Results,
    ours: Organisation | None,
    schedule: PolicySchedule,
    change_number: int = 0,
) -> SubsidyOverview:
    """Summary, worklist and rows for our organisation in the year of `results.as_of`."""
    worklist = follow_up_worklist(scenario, results, ours, schedule)
    return SubsidyOverview(
        as_of=results.as_of,
        change_number=change_number,
        results=results,
        summary=dashboard_summary(scenario, results, ours, schedule),
        worklist=worklist,
        rows=subsidy_rows(scenario, results),
    )


def subsidy_rows(scenario: Scenario, results: Results) -> tuple[SubsidyRow, ...]:
    """Every result row of every item, with who it is for and its explanation."""
    names = display_names(scenario)
    departures = {batch.id: batch.departure.year for batch in scenario.batches}
    rows: list[SubsidyRow] = []
    add = rows.append
    for station in results.station_tiers:
        add(
            SubsidyRow(
                1,
                station.year,
                names.get(station.organisation, station.organisation),
                station.amount,
                station.entitlement,
                station.claimed,
                station.explanation,
            )
        )
    for transport in results.transport:
        add(
            SubsidyRow(
                2,
                transport.year,
                names.get(transport.worker, "（无姓名）"),
                transport.amount,
                transport.entitlement,
                transport.claimed,
                transport.explanation,
                mask_id_number(transport.worker),
            )
        )
    for broker in results.broker_rewards:
        add(
            SubsidyRow(
                3,
                broker.year,
                names.get(broker.organisation, broker.organisation),
                broker.amount,
                broker.entitlement,
                broker.claimed,
                broker.explanation,
            )
        )
    for workshop in results.workshops:
        add(
            SubsidyRow(
                4,
                None,
                names.get(workshop.organisation, workshop.organisation),
                workshop.amount,
                workshop.entitlement,
                workshop.claimed,
                workshop.explanation,
            )
        )
    for batch in results.batches:
        add(
            SubsidyRow(
                5,
                departures.get(batch.batch),
                names.get(batch.organisation, batch.organisation),
                batch.amount,
                batch.entitlement,
                batch.claimed,
                batch.explanation,
                f"批次{batch.batch}",
            )
        )
    for gig in results.gig:
        add(
            SubsidyRow(
                6,
                gig.year,
                names.get(gig.organisation, gig.organisation),
                gig.amount,
                gig.entitlement,
                gig.claimed,
                gig.explanation,
            )
        )
    return tuple(rows)
