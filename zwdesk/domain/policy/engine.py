"""The policy engine: every item of the notice over one scenario as of one date."""

from __future__ import annotations

from datetime import date

from zwdesk.domain.model import Scenario
from zwdesk.domain.policy.broker_reward import compute_broker_rewards
from zwdesk.domain.policy.conflicts import find_conflicts
from zwdesk.domain.policy.context import CalcContext
from zwdesk.domain.policy.gig import compute_gig
from zwdesk.domain.policy.parameters import PolicySchedule
from zwdesk.domain.policy.point_to_point import compute_batches
from zwdesk.domain.policy.results import Results
from zwdesk.domain.policy.station_tier import compute_station_tiers
from zwdesk.domain.policy.transport import compute_transport
from zwdesk.domain.policy.workshop import compute_workshops


def compute(scenario: Scenario, as_of: date, schedule: PolicySchedule) -> Results:
    """Compute what is due now, as of `as_of` (D), with every amount explained."""
    context = CalcContext.build(scenario, as_of, schedule)
    stations = compute_station_tiers(context)
    brokers = compute_broker_rewards(context)
    return Results(
        as_of=as_of,
        station_tiers=tuple(stations),
        transport=tuple(compute_transport(context)),
        broker_rewards=tuple(brokers),
        workshops=tuple(compute_workshops(context)),
        batches=tuple(compute_batches(context, scenario.batches)),
        gig=tuple(compute_gig(context, scenario.gig_records)),
        conflicts=tuple(find_conflicts(context, stations, brokers)),
    )
