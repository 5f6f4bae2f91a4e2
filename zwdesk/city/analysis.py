"""City-wide conflicts (全市比对): what no single station can see — item 2 twice in a year,
items 1 and 3 across stations, one job organised and claimed by two organisers — found over the
city's view (zwdesk.city.city_view) with the policy engine, for the city's staff to resolve.

Conflict keys are stable: the same finding gets the same key in every analysis, so a
resolution survives a refresh. A key holds the rule, a digest of the person, the year and a
digest of what is involved (the claims for item 2, the organisations for items 1 and 3, the two
placements for one job): a new claim or party makes a new key, to be looked at again. A key
names a person only by a salted digest; a message shows names and ID numbers masked.

Kinds: hard ones — item 2 claimed twice for a person and year; items 1 and 3 across stations
(POLICY.md's exclusivity as zwdesk.domain.policy.conflicts finds it, kept when the station and
the broker are at different stations); one job claimed by two organisers — and two hints
before anything is claimed twice: jobs at two stations that can both earn a person's item 2 in
one year, and one job recorded by two organisers.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from zwdesk.city.city_view import (
    CityClaimLine,
    CityView,
    PolicySource,
    build_city_view,
    city_schedule,
    local_code,
)
from zwdesk.city.records import CityConflict, ConflictRow, MergedRecord, RecordRef
from zwdesk.domain.collector import collector_paused
from zwdesk.domain.dates import qualifying_date
from zwdesk.domain.model import Placement, Worker
from zwdesk.domain.money import format_yuan
from zwdesk.domain.policy.engine import compute
from zwdesk.domain.policy.facts import LOCAL, belonging, last_proven_day, transfer_of
from zwdesk.domain.policy.parameters import PolicySchedule
from zwdesk.domain.policy.results import Results
from zwdesk.domain.privacy import mask_id_number, mask_name
from zwdesk.domain.regions import lookup_region

# Conflict kinds (CityConflict.kind) and how the city's staff read them.
ITEM2_DOUBLE_CLAIM = "item2_double_claim"
ITEM2_OVERLAP = "item2_overlap"
ITEMS_1_3 = "items_1_3"
PLACEMENT_DOUBLE_CLAIM = "placement_double_claim"
PLACEMENT_OVERLAP = "placement_overlap"
KIND_LABELS = {
    ITEM2_DOUBLE_CLAIM: "第二项重复申领",
    ITEM2_OVERLAP: "第二项多站可申领（提示）",
    ITEMS_1_3: "第一项与第三项重复",
    PLACEMENT_DOUBLE_CLAIM: "同一就业两方申领",
    PLACEMENT_OVERLAP: "同一就业两方登记（提示）",
}
# Salt of the person digest in conflict keys: the key names a person without their number.
_PERSON_SALT = b"zwdesk-city-person/1:"


class ConflictStore(PolicySource, Protocol):
    """The part of the city database the analysis reads and writes (SQLite or PostgreSQL)."""

    def live_records(self, tables: Iterable[str] | None = None) -> Iterator[MergedRecord]: ...

    def replace_conflicts(self, found: Iterable[CityConflict]) -> None: ...

    def conflicts(self, state: str | None = None) -> list[ConflictRow]: ...


# -- conflicts -------------------------------------------------------------------------------
def person_key(id_number: str) -> str:
    """A stable digest standing for a person in conflict keys (never the number itself)."""
    return hashlib.sha256(_PERSON_SALT + id_number.encode("utf-8")).hexdigest()[:16]


def _digest(parts: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(sorted(set(parts))).encode("utf-8")).hexdigest()[:8]


def _unique(refs: Iterable[RecordRef]) -> tuple[RecordRef, ...]:
    return tuple(dict.fromkeys(refs))


class _Wording:
    """Chinese phrases over the view: persons masked, organisations with their station."""

    def __init__(self, view: CityView) -> None:
        self.view = view
        self.workers = {worker.id_number: worker for worker in view.scenario.workers}
        self.organisations = {item.id: item for item in view.scenario.organisations}

    def person(self, id_number: str) -> str:
        worker = self.workers.get(id_number)
        name = mask_name(worker.name) if worker and worker.name else "（无姓名）"
        return f"同一人（{name}，身份证号 {mask_id_number(id_number)}）"

    def organisation(self, identifier: str | None) -> str:
        """`T1 的 海原县驻苏州劳务工作站`."""
        if identifier is None:
            return "（无组织者）"
        station = self.view.station_of(identifier)
        found = self.organisations.get(identifier)
        name = found.name if found else f"已删除的组织（{local_code(identifier)}）"
        return f"{station} 的 {name}"

    def placement(self, placement: Placement) -> str:
        """`T1 的 X 组织的就业记录 P7（某电子厂，2025-03-01起）`."""
        source = self.view.placements.get(placement.id)
        code = source.code if source else local_code(placement.id)
        employer = f"{placement.employer}，" if placement.employer else ""
        ended = f"至{placement.end}" if placement.end else ""
        return (
            f"{self.organisation(placement.organiser)}组织的就业记录 {code}"
            f"（{employer}{placement.start}起{ended}）"
        )

    def record(self, placement: Placement) -> str:
        """`T1 P7`: a placement by its station and code."""
        source = self.view.placements.get(placement.id)
        if source is None:
            return placement.id
        return f"{source.station_id} {source.code}"

    def claim(self, lines: Sequence[CityClaimLine]) -> str:
        """`申领单 2025-海原-T1-002（800元，已提交）`."""
        first = lines[0]
        amount = format_yuan(sum(line.amount for line in lines))
        number = f"申领单 {first.number}" if first.number else "申领记录（无编号）"
        return f"{number}（{amount}元，{first.state_label}）"

    def claimed_by(self, organisations: Iterable[str | None]) -> str:
        """`由 T1 和 T2 两个站点分别申领`, `由 T1 的 A 和 T1 的 B 两个组织分别申领`, or
        `由 T1 的 A 重复申领`."""
        ordered = sorted(set(organisations), key=lambda item: item or "")
        stations = sorted({self.view.station_of(item) for item in ordered if item})
        if len(stations) > 1:
            return f"由 {' 和 '.join(stations)} {_count(len(stations))}个站点分别申领"
        names = " 和 ".join(self.organisation(item) for item in ordered)
        if len(ordered) > 1:
            return f"由 {names} {_count(len(ordered))}个组织分别申领"
        return f"由 {names} 重复申领"


def _count(number: int) -> str:
    return "两" if number == 2 else str(number)


def _claims_by_key(lines: Iterable[CityClaimLine]) -> dict[tuple[str, str], list[CityClaimLine]]:
    grouped: dict[tuple[str, str], list[CityClaimLine]] = defaultdict(list)
    for line in lines:
        grouped[line.claim_key].append(line)
    return grouped


def find_conflicts(
    view: CityView, results: Results, schedule: PolicySchedule
) -> list[CityConflict]:
    """Every city-wide conflict in the view, ordered by key."""
    wording = _Wording(view)
    found = [
        *_item2_conflicts(view, schedule, results.as_of, wording),
        *_items_1_3_conflicts(view, results, wording),
        *_placement_conflicts(view, results, wording),
    ]
    return sorted(found, key=lambda conflict: conflict.key)


def _item2_conflicts(
    view: CityView, schedule: PolicySchedule, as_of: date, wording: _Wording
) -> Iterator[CityConflict]:
    """Item 2 at most once per person and year across the city: claimed twice (hard), or —
    before anyone claimed twice — placements at two stations that can qualify (a hint)."""
    claimed: dict[tuple[str, int], list[CityClaimLine]] = defaultdict(list)
    for line in view.claim_lines:
        if line.item == 2 and line.worker and line.year is not None:
            claimed[(line.worker, line.year)].append(line)
    doubles: set[tuple[str, int]] = set()
    for (person, year), lines in sorted(claimed.items()):
        claims = _claims_by_key(lines)
        if len(claims) < 2:
            continue
        doubles.add((person, year))
        listed = "；".join(
            f"{wording.organisation(group[0].organisation)}：{wording.claim(group)}"
            for _key, group in sorted(claims.items())
        )
        yield CityConflict(
            key=f"item2:{person_key(person)}:{year}:{_digest(f'{s}/{n}' for s, n in claims)}",
            kind=ITEM2_DOUBLE_CLAIM,
            year=year,
            message=(
                f"第二项：{wording.person(person)}{year}年的一次性交通补贴"
                f"{wording.claimed_by(line.organisation for line in lines)}（{listed}）；"
                "每人每年只能享受一次，请确认由哪一方申领，其余申领单作废或退回"
            ),
            refs=_unique(line.ref for line in lines),
        )
    yield from _item2_overlaps(view, schedule, as_of, wording, claimed, doubles)


def _item2_overlaps(
    view: CityView,
    schedule: PolicySchedule,
    as_of: date,
    wording: _Wording,
    claimed: Mapping[tuple[str, int], list[CityClaimLine]],
    doubles: set[tuple[str, int]],
) -> Iterator[CityConflict]:
    # Only people with organised jobs at two or more stations can be told apart here.
    stations_of: dict[str, set[str]] = defaultdict(set)
    for placement in view.scenario.placements:
        if placement.organiser is not None:
            stations_of[placement.worker].add(view.station_of(placement.organiser))
    candidates: dict[tuple[str, int], list[Placement]] = defaultdict(list)
    for placement in view.scenario.placements:
        if placement.organiser is None or len(stations_of[placement.worker]) < 2:
            continue
        year = _item2_year(placement, wording.workers.get(placement.worker), schedule, as_of)
        if year is not None:
            candidates[(placement.worker, year)].append(placement)
    for (person, year), placements in sorted(candidates.items()):
        stations = sorted({view.station_of(p.organiser or "") for p in placements})
        if len(stations) < 2 or (person, year) in doubles or _one_job(view, placements):
            continue
        listed = "、".join(wording.placement(p) for p in placements)
        message = (
            f"第二项（提示）：{wording.person(person)}在 {' 和 '.join(stations)} "
            f"{_count(len(stations))}个站点都有可在{year}年享受一次性交通补贴的就业（{listed}）；"
            "每人每年只能享受一次，申领前请协调由哪一方申领"
        )
        lines = claimed.get((person, year), [])
        if lines:
            listed = "；".join(
                f"{wording.organisation(group[0].organisation)}：{wording.claim(group)}"
                for _key, group in sorted(_claims_by_key(lines).items())
            )
            message += f"；已申领（{listed}），其他站点请勿再申领"
        yield CityConflict(
            key=f"item2-overlap:{person_key(person)}:{year}:{_digest(stations)}",
            kind=ITEM2_OVERLAP,
            year=year,
            message=message,
            refs=_unique(
                [*(view.placements[p.id].ref for p in placements), *(line.ref for line in lines)]
            ),
        )


def _one_job(view: CityView, placements: Sequence[Placement]) -> bool:
    """All these placements at different stations are one job: the placement rule says so."""
    return all(
        _same_job(first, second)
        for index, first in enumerate(placements)
        for second in placements[index + 1 :]
        if view.station_of(first.organiser or "") != view.station_of(second.organiser or "")
    )


def _item2_year(
    placement: Placement, worker: Worker | None, schedule: PolicySchedule, as_of: date
) -> int | None:
    """The year a placement can still earn item 2 in (a follow-up may yet prove it), if any:
    local hukou, transfer employment, contract and social insurance, qualifying inside the
    policy period, and stable or not yet ended too early."""
    if worker is None or placement.start > as_of:
        return None
    if not (placement.contract and placement.social_insurance):
        return None
    params = schedule.at(placement.start)
    residence, home = belonging(worker, params.jurisdiction)
    if residence is not LOCAL:
        return None
    if not transfer_of(placement.work_county, home, params.jurisdiction).is_transfer:
        return None
    months = params.transport.stable_months
    qualifying = qualifying_date(placement.start, months)
    if not schedule.at(qualifying).period.contains(qualifying):
        return None
    stable = last_proven_day(placement, as_of) >= qualifying
    still_possible = placement.end is None or placement.end >= qualifying
    return qualifying.year if stable or still_possible else None


def _items_1_3_conflicts(
    view: CityView, results: Results, wording: _Wording
) -> Iterator[CityConflict]:
    """Items 1 and 3 are exclusive: the engine's conflicts whose station and broker are at
    different stations (a station sees its own)."""
    across = []
    for found in results.conflicts:
        pairs = [
            (station, broker)
            for station in found.stations
            for broker in found.brokers
            if view.station_of(station) != view.station_of(broker)
        ]
        if pairs:
            across.append((found, pairs))
    if not across:
        return
    workers = {found.worker for found, _pairs in across}
    by_worker: dict[str, list[Placement]] = defaultdict(list)
    for placement in view.scenario.placements:
        if placement.worker in workers:
            by_worker[placement.worker].append(placement)
    claims = [line for line in view.claim_lines if line.item in (1, 3)]
    for found, pairs in across:
        stations = sorted({station for station, _broker in pairs})
        brokers = sorted({broker for _station, broker in pairs})
        placements = [
            placement
            for placement in by_worker.get(found.worker, ())
            if placement.organiser in {*stations, *brokers} and placement.start.year == found.year
        ]
        made = [
            line
            for line in claims
            if line.year == found.year
            and (
                (line.item == 1 and line.organisation in stations)
                or (line.item == 3 and line.organisation in brokers and line.worker == found.worker)
            )
        ]
        message = (
            f"第一项与第三项：{wording.person(found.worker)}{found.year}年既计入 "
            f"{'、'.join(wording.organisation(item) for item in stations)} 的第一项（驻外劳务"
            f"工作站补贴）人数，又是 {'、'.join(wording.organisation(item) for item in brokers)} "
            "第三项（劳务中介奖补）的奖补对象；两项不能重复享受，请确认只按其中一项申领"
        )
        if placements:
            message += f"（就业记录：{'、'.join(wording.record(p) for p in placements)}）"
        if made:
            listed = "；".join(
                f"{wording.organisation(group[0].organisation)}：{wording.claim(group)}"
                for _key, group in sorted(_claims_by_key(made).items())
            )
            message += f"（已申领：{listed}）"
        yield CityConflict(
            key=(
                f"items13:{person_key(found.worker)}:{found.year}:"
                f"{_digest([*stations, *(f'broker:{item}' for item in brokers)])}"
            ),
            kind=ITEMS_1_3,
            year=found.year,
            message=message,
            refs=_unique(
                [
                    *(view.placements[p.id].ref for p in placements if p.id in view.placements),
                    *(line.ref for line in made),
                ]
            ),
        )


def _placement_conflicts(
    view: CityView, results: Results, wording: _Wording
) -> Iterator[CityConflict]:
    """One job (same person, same work county and employer, overlapping dates) recorded by
    two organisers: claimed by both (hard), or only recorded twice so far (a hint)."""
    counted = {(row.organisation, row.year): row.counted_workers for row in results.station_tiers}
    claims_of: dict[str, list[CityClaimLine]] = defaultdict(list)
    for line in view.claim_lines:
        if line.organisation is not None:
            claims_of[line.organisation].append(line)
    groups: dict[tuple[str, str], list[Placement]] = defaultdict(list)
    for placement in view.scenario.placements:
        if placement.organiser is not None and placement.start <= results.as_of:
            groups[(placement.worker, placement.work_county)].append(placement)
    shared = sorted(item for item in groups.items() if len(item[1]) > 1)
    for (person, county), placements in shared:
        ordered = sorted(placements, key=lambda p: (p.start, p.id))
        for index, first in enumerate(ordered):
            for second in ordered[index + 1 :]:
                if first.organiser == second.organiser or not _same_job(first, second):
                    continue
                yield _placement_conflict(
                    view, wording, person, county, (first, second), claims_of, counted
                )


def _same_job(first: Placement, second: Placement) -> bool:
    if second.start > (first.end or date.max) or first.start > (second.end or date.max):
        return False
    one, other = _employer(first.employer), _employer(second.employer)
    return not one or not other or one == other  # an unnamed employer may be the same one


def _employer(name: str) -> str:
    return "".join(name.split()).casefold()


def _placement_claims(
    placement: Placement,
    claims_of: Mapping[str, list[CityClaimLine]],
    counted: Mapping[tuple[str, int], frozenset[str]],
) -> list[CityClaimLine]:
    """The organiser's live claims that pay on this placement: item 2 or 3 for its worker,
    item 1 counting the worker in its year, item 4 for a workshop's hire."""
    start_year = placement.start.year

    def pays_on(line: CityClaimLine) -> bool:
        own_worker = line.worker == placement.worker
        if line.item == 2:  # qualifying six months on can fall in the next year
            return own_worker and line.year in (start_year, start_year + 1)
        if line.item == 3:
            return own_worker and line.year == start_year
        if line.item == 1:
            workers = counted.get((line.organisation or "", start_year), frozenset())
            return line.year == start_year and placement.worker in workers
        return line.item == 4

    return [line for line in claims_of.get(placement.organiser or "", ()) if pays_on(line)]


def _placement_conflict(
    view: CityView,
    wording: _Wording,
    person: str,
    county: str,
    pair: tuple[Placement, Placement],
    claims_of: Mapping[str, list[CityClaimLine]],
    counted: Mapping[tuple[str, int], frozenset[str]],
) -> CityConflict:
    first, second = pair
    claimed = [_placement_claims(placement, claims_of, counted) for placement in pair]
    # Item 2 claimed on both sides is the item-2 rule's finding (per person and year).
    both = all(claimed) and any(line.item != 2 for lines in claimed for line in lines)
    region = lookup_region(county)
    where = region.full_name if region else county
    employer = first.employer or second.employer
    message = (
        f"同一就业：{wording.person(person)}在{where}{employer}的就业由 "
        f"{wording.placement(first)} 和 {wording.placement(second)} 分别登记，时间重叠"
    )
    if both:
        listed = "；".join(
            f"{wording.organisation(group[0].organisation)}：{wording.claim(group)}"
            for lines in claimed
            for _key, group in sorted(_claims_by_key(lines).items())
        )
        message += f"，且双方都已申领（{listed}）；同一就业只能由一个组织者申领，请核实实际组织者"
    else:
        message += "；请核实实际组织者，避免重复申领"
    uuids = sorted(view.placements[placement.id].uuid for placement in pair)
    prefix = "placement-claimed" if both else "placement"
    return CityConflict(
        key=f"{prefix}:{person_key(person)}:{_digest(uuids)}",
        kind=PLACEMENT_DOUBLE_CLAIM if both else PLACEMENT_OVERLAP,
        year=first.start.year,
        message=message,
        refs=_unique(
            [
                *(view.placements[placement.id].ref for placement in pair),
                *(line.ref for lines in claimed for line in lines),
            ]
        ),
    )


# -- running it ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CityAnalysis:
    """The city's view, the engine's results over it, and the conflicts found."""

    view: CityView
    results: Results
    conflicts: tuple[CityConflict, ...]


def analyse(view: CityView, schedule: PolicySchedule, as_of: date) -> CityAnalysis:
    """Run the policy engine over the whole city and look for conflicts."""
    results = compute(view.scenario, as_of, schedule)
    return CityAnalysis(view, results, tuple(find_conflicts(view, results, schedule)))


@dataclass(frozen=True, slots=True)
class RefreshSummary:
    """What one refresh of the conflict list read and found."""

    as_of: date
    records: int
    persons: int
    shared_persons: int  # registered at two or more stations
    found: Mapping[str, int]  # conflict kind → how many
    skipped: Mapping[str, int]  # why → how many records left out

    @property
    def total(self) -> int:
        return sum(self.found.values())

    def lines(self) -> list[str]:
        """Chinese, for a terminal or a log (no personal data)."""
        lines = [
            f"全市比对（截至 {self.as_of}）：读取记录 {self.records} 条，人员 {self.persons} 人"
            f"（其中 {self.shared_persons} 人在两个及以上站点登记），发现冲突 {self.total} 项"
        ]
        lines += [
            f"  {KIND_LABELS.get(kind, kind)}：{count} 项"
            for kind, count in sorted(self.found.items())
        ]
        lines += [f"  未纳入比对：{why} {count} 条" for why, count in sorted(self.skipped.items())]
        return lines


def refresh_conflicts(
    database: ConflictStore, schedule: PolicySchedule | None = None, *, as_of: date | None = None
) -> RefreshSummary:
    """Stream the live records, analyse the whole city as of `as_of` (default today) and store
    the conflicts found (`replace_conflicts`: resolutions are kept, vanished ones go `gone`)."""
    day = as_of or date.today()
    schedule = schedule or city_schedule(database)
    with collector_paused():
        view = build_city_view(database.live_records)
        analysis = analyse(view, schedule, day)
    database.replace_conflicts(analysis.conflicts)
    return RefreshSummary(
        as_of=day,
        records=view.records_read,
        persons=len(view.scenario.workers),
        shared_persons=view.shared_persons,
        found=dict(Counter(conflict.kind for conflict in analysis.conflicts)),
        skipped=view.skipped,
    )
