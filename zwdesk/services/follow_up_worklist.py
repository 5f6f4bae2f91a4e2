"""The follow-up worklist (回访清单): placements whose 3- or 6-month date is near or past and
that no follow-up proved yet, the money at stake first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from zwdesk.domain.model import Organisation, Scenario
from zwdesk.domain.money import Fen, yuan_to_fen
from zwdesk.domain.policy.parameters import PolicySchedule
from zwdesk.domain.policy.results import PendingQualification, Results
from zwdesk.domain.regions import region_label
from zwdesk.services.dashboard_summary import tier_values

WORKLIST_HORIZON = timedelta(days=31)


@dataclass(frozen=True, slots=True)
class WorklistEntry:
    """A placement whose 3- or 6-month date is near or past and that no follow-up proved yet."""

    placement: str
    worker: str
    worker_name: str
    phone: str | None
    employer: str
    work_place: str
    start: date
    qualifies_on: date
    months: int
    item: int
    year: int
    reason: str
    value: Fen  # the money that depends on confirming this placement

    def days_left(self, as_of: date) -> int:
        """Days until the stable date (0 or less: a follow-up now proves it)."""
        return (self.qualifies_on - as_of).days

    def status(self, as_of: date) -> str:
        """`已满期，待回访` or `12天后满期`."""
        days = self.days_left(as_of)
        return "已满期，待回访" if days <= 0 else f"{days}天后满期"


def follow_up_worklist(
    scenario: Scenario,
    results: Results,
    ours: Organisation | None,
    schedule: PolicySchedule,
    horizon: timedelta = WORKLIST_HORIZON,
) -> tuple[WorklistEntry, ...]:
    """Our placements whose stable date is past or within `horizon` and not yet proven, the
    ones with the most money depending on them first."""
    if ours is None:
        return ()
    as_of = results.as_of
    placements = {placement.id: placement for placement in scenario.placements}
    workers = {worker.id_number: worker for worker in scenario.workers}
    entries: list[WorklistEntry] = []

    def add(
        item: PendingQualification, number: int, year: int, months: int, reason: str, value: Fen
    ) -> None:
        if item.qualifies_on > as_of + horizon:
            return
        placement = placements.get(item.placement)
        worker = workers.get(item.worker)
        if placement is None or worker is None:
            return
        entries.append(
            WorklistEntry(
                placement=placement.id,
                worker=worker.id_number,
                worker_name=worker.name,
                phone=worker.phone,
                employer=placement.employer,
                work_place=region_label(placement.work_county),
                start=placement.start,
                qualifies_on=item.qualifies_on,
                months=months,
                item=number,
                year=year,
                reason=reason,
                value=value,
            )
        )

    for station in results.station_tiers:
        if station.organisation != ours.id:
            continue
        rule = schedule.for_year(station.year).station_tier
        values = tier_values(station.pending, station.count, rule.tiers)
        for item in station.pending:
            add(
                item,
                1,
                station.year,
                rule.stable_months,
                f"满{rule.stable_months}个月计入第一项{station.year}年人数",
                values[item.placement],
            )
    for broker in results.broker_rewards:
        if broker.organisation != ours.id:
            continue
        broker_rule = schedule.for_year(broker.year).broker_reward
        for item in broker.pending:
            if item.reason == "upgrade":
                months = broker_rule.long_stable_months
                value = yuan_to_fen(broker_rule.long_amount - broker_rule.amount)
                reason = (
                    f"满{months}个月，第三项奖补由{broker_rule.amount}元"
                    f"增至{broker_rule.long_amount}元"
                )
            else:
                months = broker_rule.stable_months
                value = yuan_to_fen(broker_rule.amount)
                reason = f"满{months}个月计入第三项{broker.year}年人数"
            add(item, 3, broker.year, months, reason, value)
    entries.sort(key=lambda entry: (-entry.value, entry.qualifies_on, entry.placement))
    return tuple(entries)
