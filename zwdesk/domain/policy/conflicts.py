"""Items 1 and 3 are exclusive: workers counted by a paying station and a paying broker."""

from __future__ import annotations

from collections import defaultdict

from zwdesk.domain.policy.context import CalcContext
from zwdesk.domain.policy.results import (
    BrokerRewardResult,
    ConflictResult,
    Explanation,
    StationTierResult,
)


def find_conflicts(
    context: CalcContext,
    stations: list[StationTierResult],
    brokers: list[BrokerRewardResult],
) -> list[ConflictResult]:
    """Workers in a year's count of a station at a paying tier and among the qualifying
    workers of a broker that reached its threshold (amounts are not changed: a person decides)."""
    # year → worker → the paying stations that counted them
    station_side: dict[int, dict[str, list[str]]] = {}
    for station in stations:
        tiers = context.schedule.for_year(station.year).station_tier
        if tiers.tier_for(station.count) is None:
            continue
        counted_that_year = station_side.setdefault(station.year, {})
        organisation = station.organisation
        for counted in station.counted_workers:
            # (get, not setdefault: setdefault would make a list for each of 100,000 workers)
            listed = counted_that_year.get(counted)
            if listed is None:
                counted_that_year[counted] = [organisation]
            else:
                listed.append(organisation)
    # (worker, year) → the brokers paying for a worker also counted by a paying station
    broker_side: dict[tuple[str, int], list[str]] = defaultdict(list)
    for broker in brokers:
        counted_that_year = station_side.get(broker.year, {})
        if not counted_that_year:
            continue
        threshold = context.schedule.for_year(broker.year).broker_reward.min_workers
        if broker.count < threshold:
            continue
        for row in broker.workers:
            if row.qualifies and row.worker in counted_that_year:
                broker_side[(row.worker, broker.year)].append(broker.organisation)
    conflicts = []
    for key in sorted(broker_side):
        worker, year = key
        station_ids, broker_ids = sorted(station_side[year][worker]), sorted(broker_side[key])
        station_names = "、".join(context.organisations[item].name for item in station_ids)
        broker_names = "、".join(context.organisations[item].name for item in broker_ids)
        conflicts.append(
            ConflictResult(
                worker=worker,
                year=year,
                items=(1, 3),
                stations=tuple(station_ids),
                brokers=tuple(broker_ids),
                explanation=Explanation.of(
                    (
                        f"{context.worker_name(worker)}{year}年既计入{station_names}的第一项"
                        f"（驻外劳务工作站补贴）人数，又是{broker_names}第三项（劳务中介奖补）的"
                        "奖补对象",
                        "第一项与第三项不能重复享受，须由经办人员确认只按其中一项申领",
                    )
                ),
            )
        )
    return conflicts
