"""Seeded generator of a city-scale `zwdesk-scenario/1` document (benchmarks, stress tests).

At scale 1.0: 220,000 workers, 300,000 placements, 2,000 point-to-point batches, 50,000 gig
records, ~210 organisations and a few thousand claims, with distributions that look like
Zhongwei's (海原县 the biggest sender, ~85% rural, most jobs in 2025–2026, follow-ups that stop,
fares with fen, receipts that are missing). The same seed and scale give the same document.

As a module::

    from benchmarks.generate_city import generate_city
    scenario = generate_city(seed=1, scale=0.001)   # 220 workers, 300 placements …

As a script::

    python benchmarks/generate_city.py --out benchmarks/out/city.json --seed 1
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import math
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `zwdesk` importable from the checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from zwdesk.domain.dates import add_months
from zwdesk.domain.regions import lookup_region
from zwdesk.domain.resident_id import make_resident_id

SCENARIO_FORMAT = "zwdesk-scenario/1"

# --- places ---------------------------------------------------------------------------------

# Local counties (hukou) and their share of local workers: 海原县 sends the most.
LOCAL_COUNTIES = (("640522", 0.47), ("640521", 0.31), ("640502", 0.22))
# Birth-registration codes used before today's code (POLICY.md §1): (code, born before year).
HISTORICAL_BIRTH_CODES = {
    "640522": (("642222", 2001), ("640421", 2003)),
    "640521": (("642124", 1998), ("640322", 2003)),
    "640502": (("642123", 1998), ("640321", 2003)),
}
# Hukou elsewhere, living in Zhongwei (permanent residents) or only passing through.
OTHER_HUKOU_COUNTIES = (
    "640422",  # 西吉县
    "640424",  # 泾源县
    "640423",  # 隆德县
    "640402",  # 原州区
    "640303",  # 红寺堡区
    "620422",  # 甘肃会宁县
    "620421",  # 甘肃靖远县
    "622921",  # 甘肃临夏县
)
# Where stations sit (驻外) — one destination county each; then the wider job market.
STATION_DESTINATIONS = (
    ("320506", "苏州"),
    ("320583", "昆山"),
    ("320582", "张家港"),
    ("330106", "杭州"),
    ("330110", "余杭"),
    ("330782", "义乌"),
    ("440305", "深圳南山"),
    ("440306", "深圳宝安"),
    ("440307", "深圳龙岗"),
    ("441900", "东莞"),
    ("310115", "上海浦东"),
    ("650102", "乌鲁木齐"),
    ("650104", "乌鲁木齐新市"),
    ("652801", "库尔勒"),
    ("652302", "阜康"),
    ("620102", "兰州"),
    ("610113", "西安"),
    ("150602", "鄂尔多斯"),
    ("640104", "银川兴庆"),
    ("640106", "银川金凤"),
    ("640181", "灵武"),
    ("640205", "石嘴山惠农"),
    ("640302", "吴忠利通"),
    ("370211", "青岛黄岛"),
    ("350206", "厦门湖里"),
)
# Work counties with weights for jobs not tied to a station: Ningxia first, then the east/west.
WORK_COUNTIES = (
    ("640104", 9),
    ("640106", 7),
    ("640105", 4),
    ("640181", 6),
    ("640205", 4),
    ("640202", 3),
    ("640302", 5),
    ("640381", 3),
    ("640122", 2),
    ("320506", 6),
    ("320583", 5),
    ("320582", 2),
    ("330106", 4),
    ("330110", 3),
    ("330782", 3),
    ("440305", 3),
    ("440306", 4),
    ("440307", 3),
    ("441900", 5),
    ("310115", 3),
    ("650102", 6),
    ("650104", 3),
    ("652801", 3),
    ("652302", 2),
    ("652901", 2),
    ("620102", 4),
    ("620105", 2),
    ("610113", 4),
    ("610116", 2),
    ("150602", 4),
    ("150302", 2),
    ("370211", 2),
    ("350206", 2),
    ("420111", 1),
    ("510107", 1),
)

# --- people ---------------------------------------------------------------------------------

SURNAMES = (
    ("马", 22),
    ("杨", 8),
    ("李", 8),
    ("王", 8),
    ("田", 5),
    ("张", 5),
    ("刘", 4),
    ("海", 3),
    ("穆", 3),
    ("冯", 2),
    ("苏", 2),
    ("何", 2),
    ("丁", 2),
    ("拓", 2),
    ("白", 2),
    ("金", 1),
    ("周", 1),
    ("黑", 1),
    ("虎", 1),
    ("陈", 1),
)
GIVEN = "文学明国建军春花秀兰英玉梅志强海龙富贵成小平红霞燕娟伟东生福宝珍萍勇刚军华忠义德才"
EMPLOYER_PLACES = "苏州昆山杭州义乌深圳东莞上海乌鲁木齐兰州西安银川吴忠石嘴山灵武鄂尔多斯青岛厦门"
EMPLOYER_TRADES = (
    "电子",
    "精密机械",
    "纺织",
    "物流",
    "建筑工程",
    "食品",
    "光伏科技",
    "汽车零部件",
    "家政服务",
    "餐饮管理",
    "棉业",
    "煤化工",
    "物业管理",
    "服装",
    "农业开发",
)

# --- calendar -------------------------------------------------------------------------------

FIRST_START = date(2024, 7, 1)  # some placements start before the policy period
LAST_RECORDED = date(2026, 6, 28)  # follow-ups recorded up to here
# Month weights for placement starts: the peak is the weeks after the Spring Festival.
START_MONTHS = (
    ((2024, 7), 1.0),
    ((2024, 8), 1.0),
    ((2024, 9), 1.0),
    ((2024, 10), 0.8),
    ((2024, 11), 0.6),
    ((2024, 12), 0.6),
    ((2025, 1), 1.5),
    ((2025, 2), 6.0),
    ((2025, 3), 8.0),
    ((2025, 4), 5.0),
    ((2025, 5), 3.5),
    ((2025, 6), 3.0),
    ((2025, 7), 3.0),
    ((2025, 8), 2.5),
    ((2025, 9), 3.0),
    ((2025, 10), 2.5),
    ((2025, 11), 2.0),
    ((2025, 12), 1.5),
    ((2026, 1), 1.5),
    ((2026, 2), 5.5),
    ((2026, 3), 7.0),
    ((2026, 4), 4.0),
    ((2026, 5), 3.0),
    ((2026, 6), 2.5),
    ((2026, 7), 1.0),  # after the default --as-of: the engine must ignore these
    ((2026, 8), 0.5),
)

GROUPS = (
    ("poverty_relieved", 0.17),
    ("low_income_rural", 0.06),
    ("relocated", 0.08),
    ("hard_to_employ", 0.03),
)


@dataclass(frozen=True)
class CitySize:
    """How many of each record to generate."""

    workers: int = 220_000
    placements: int = 300_000
    batches: int = 2_000
    gig_records: int = 50_000
    stations: int = 25
    brokers: int = 80
    workshops: int = 60
    gig_markets: int = 15
    gig_stations: int = 30
    transport_claims: int = 3_000  # item 2
    broker_claims: int = 600  # item 3 (worker lines)
    batch_claims: int = 150  # item 5
    station_claims: int = 6  # item 1
    workshop_claims: int = 4  # item 4
    gig_claims: int = 3  # item 6

    @classmethod
    def scaled(cls, scale: float) -> CitySize:
        """Records scale linearly; organisations with the square root (a tiny city still has
        at least one organisation of each kind)."""
        if scale <= 0:
            raise ValueError("scale must be positive")
        full = cls()

        def records(count: int) -> int:
            return max(1, round(count * scale))

        def organisations(count: int) -> int:
            return max(1, round(count * math.sqrt(scale)))

        return cls(
            workers=records(full.workers),
            placements=records(full.placements),
            batches=records(full.batches),
            gig_records=records(full.gig_records),
            stations=min(organisations(full.stations), len(STATION_DESTINATIONS)),
            brokers=organisations(full.brokers),
            workshops=organisations(full.workshops),
            gig_markets=organisations(full.gig_markets),
            gig_stations=organisations(full.gig_stations),
            transport_claims=records(full.transport_claims),
            broker_claims=records(full.broker_claims),
            batch_claims=records(full.batch_claims),
            station_claims=min(organisations(full.station_claims), 6),
            workshop_claims=organisations(full.workshop_claims),
            gig_claims=organisations(full.gig_claims),
        )


def check_region_codes() -> None:
    """Every code this generator writes must be in zwdesk's region table."""
    codes = {code for code, _ in LOCAL_COUNTIES} | set(OTHER_HUKOU_COUNTIES)
    codes |= {code for code, _ in STATION_DESTINATIONS} | {code for code, _ in WORK_COUNTIES}
    codes |= {code for pairs in HISTORICAL_BIRTH_CODES.values() for code, _ in pairs}
    unknown = sorted(code for code in codes if lookup_region(code) is None)
    if unknown:
        raise ValueError(f"region codes unknown to zwdesk.domain.regions: {unknown}")


class _Weighted:
    """Fast repeated weighted choice (cumulative weights + bisect)."""

    def __init__(self, items: Sequence[Any], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


def _zipf_weights(count: int, exponent: float, rng: random.Random) -> list[float]:
    """Organisation sizes: a few big ones, a long tail of small ones (shuffled)."""
    weights = [1.0 / (rank + 1) ** exponent for rank in range(count)]
    rng.shuffle(weights)
    return weights


def _day_in_month(rng: random.Random, year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=rng.randrange((add_months(first, 1) - first).days))


def _yuan(value: float) -> int | float:
    """A JSON money value: an int when whole yuan, else yuan with fen."""
    fen = round(value * 100)
    return fen // 100 if fen % 100 == 0 else fen / 100


class _CityGenerator:
    def __init__(self, seed: int, size: CitySize) -> None:
        self.rng = random.Random(seed)
        self.size = size
        self.ids: set[str] = set()
        self.surnames = _Weighted([s for s, _ in SURNAMES], [w for _, w in SURNAMES])
        self.work_counties = _Weighted([c for c, _ in WORK_COUNTIES], [w for _, w in WORK_COUNTIES])
        self.start_months = _Weighted([m for m, _ in START_MONTHS], [w for _, w in START_MONTHS])

    # -- organisations -------------------------------------------------------------------

    def organisations(self) -> list[dict[str, Any]]:
        rng, size = self.rng, self.size
        local = _Weighted([c for c, _ in LOCAL_COUNTIES], [w for _, w in LOCAL_COUNTIES])
        county_names = {"640502": "沙坡头区", "640521": "中宁县", "640522": "海原县"}
        result: list[dict[str, Any]] = []
        self.station_destination: dict[str, str] = {}
        for index in range(size.stations):
            code, place = STATION_DESTINATIONS[index]
            county = local.pick(rng)
            identifier = f"T{index + 1:02d}"
            self.station_destination[identifier] = code
            name = f"{county_names[county]}驻{place}劳务工作站"
            result.append({"id": identifier, "kind": "station", "name": name, "county": county})
        for index in range(size.brokers):
            county = local.pick(rng)
            if rng.random() < 0.3:
                name = f"劳务经纪人{self.person_name()}"
            else:
                name = (
                    f"{county_names[county]}{rng.choice(GIVEN)}{rng.choice(GIVEN)}劳务服务有限公司"
                )
            result.append(
                {"id": f"B{index + 1:03d}", "kind": "broker", "name": name, "county": county}
            )
        self.workshop_county: dict[str, str] = {}
        for index in range(size.workshops):
            county = local.pick(rng)
            identifier = f"K{index + 1:02d}"
            self.workshop_county[identifier] = county
            trade = rng.choice(EMPLOYER_TRADES)
            name = f"{county_names[county]}{rng.choice(GIVEN)}{trade}就业帮扶车间"
            result.append({"id": identifier, "kind": "workshop", "name": name, "county": county})
        for index in range(size.gig_markets):
            county = local.pick(rng)
            result.append(
                {
                    "id": f"G{index + 1:02d}",
                    "kind": "gig_market",
                    "name": f"{county_names[county]}零工市场{index + 1}号",
                    "county": county,
                }
            )
        for index in range(size.gig_stations):
            county = local.pick(rng)
            result.append(
                {
                    "id": f"S{index + 1:02d}",
                    "kind": "gig_station",
                    "name": f"{county_names[county]}{rng.choice(GIVEN)}{rng.choice(GIVEN)}零工驿站",
                    "county": county,
                }
            )
        by_kind: dict[str, list[str]] = {}
        for organisation in result:
            by_kind.setdefault(organisation["kind"], []).append(organisation["id"])
        self.by_kind = by_kind
        return result

    # -- people --------------------------------------------------------------------------

    def person_name(self) -> str:
        rng = self.rng
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.8 else "")
        return self.surnames.pick(rng) + given

    def new_id(self, hukou: str, birth: date) -> str:
        """A valid, unused resident ID; older people often carry a historical birth code."""
        rng = self.rng
        region = hukou
        for code, before in HISTORICAL_BIRTH_CODES.get(hukou, ()):
            if birth.year < before and rng.random() < 0.75:
                region = code
                break
        male = rng.random() < 0.68
        while True:
            sequence = rng.randrange(500) * 2 + (1 if male else 0)  # odd 17th digit = male
            number = make_resident_id(region, birth, sequence)
            if number not in self.ids:
                self.ids.add(number)
                return number
            birth += timedelta(days=1)  # crowded day: move on

    def birth_date(self) -> date:
        # Ages 18–60 in 2025, most between 25 and 45.
        age_days = int(self.rng.triangular(18 * 365.25, 60 * 365.25, 33 * 365.25))
        return date(2025, 6, 30) - timedelta(days=age_days)

    def workers(self) -> list[dict[str, Any]]:
        rng = self.rng
        local = _Weighted([c for c, _ in LOCAL_COUNTIES], [w for _, w in LOCAL_COUNTIES])
        result = []
        for _ in range(self.size.workers):
            birth = self.birth_date()
            roll = rng.random()
            resident = None
            if roll < 0.93:
                hukou = local.pick(rng)
            else:
                hukou = rng.choice(OTHER_HUKOU_COUNTIES)
                if roll < 0.985:  # permanent resident (常住人口); the rest only pass through
                    resident = local.pick(rng)
            rural = rng.random() < 0.85
            groups = [group for group, share in GROUPS if rural and rng.random() < share]
            age = 2025 - birth.year
            if 21 <= age <= 26 and rng.random() < (0.08 if rural else 0.3):
                groups.append("graduate")
            record: dict[str, Any] = {
                "id_number": self.new_id(hukou, birth),
                "name": self.person_name(),
                "hukou_county": hukou,
                "resident_county": resident,
                "rural": rural,
                "groups": groups,
            }
            if rng.random() < 0.6:
                record["phone"] = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
            result.append(record)
        return result

    # -- placements ----------------------------------------------------------------------

    def placements(self, workers: list[dict[str, Any]]) -> list[dict[str, Any]]:
        rng, size = self.rng, self.size
        kinds = _Weighted(["station", "broker", "workshop", None], [0.30, 0.35, 0.007, 0.343])
        stations = self.by_kind.get("station", [])
        brokers = self.by_kind.get("broker", [])
        workshops = self.by_kind.get("workshop", [])
        station_pick = _Weighted(stations, _zipf_weights(len(stations), 0.8, rng))
        broker_pick = _Weighted(brokers, _zipf_weights(len(brokers), 1.1, rng))
        workshop_pick = _Weighted(workshops, _zipf_weights(len(workshops), 0.6, rng))
        target_workers = [worker for worker in workers if worker["groups"]] or workers
        employers = [
            f"{place}{trade}有限公司"
            for place in (EMPLOYER_PLACES[i : i + 2] for i in range(0, len(EMPLOYER_PLACES), 2))
            for trade in EMPLOYER_TRADES
        ]

        # Most workers have one job; some have two or three (one after the other).
        order = list(range(len(workers)))
        rng.shuffle(order)
        first = min(size.placements, int(len(workers) * 0.93))
        owners = order[:first] + [
            rng.randrange(len(workers)) for _ in range(size.placements - first)
        ]
        result = []
        for owner in owners:
            kind = kinds.pick(rng)
            worker = workers[owner]
            organiser = None
            if kind == "station" and stations:
                organiser = station_pick.pick(rng)
                work_county = (
                    self.station_destination[organiser]
                    if rng.random() < 0.88
                    else self.work_counties.pick(rng)
                )
            elif kind == "workshop" and workshops:
                organiser = workshop_pick.pick(rng)
                worker = rng.choice(target_workers) if rng.random() < 0.75 else worker
                work_county = self.workshop_county[organiser]  # a workshop hires at home
            else:
                if kind == "broker" and brokers:
                    organiser = broker_pick.pick(rng)
                home = worker["resident_county"] or worker["hukou_county"]
                work_county = home if rng.random() < 0.07 else self.work_counties.pick(rng)
            result.append(self.placement(worker, organiser, work_county, rng.choice(employers)))
        rng.shuffle(result)
        for number, placement in enumerate(result, start=1):
            placement["id"] = f"P{number:07d}"
        return result

    def placement(
        self, worker: dict[str, Any], organiser: str | None, work_county: str, employer: str
    ) -> dict[str, Any]:
        rng = self.rng
        year, month = self.start_months.pick(rng)
        start = _day_in_month(rng, year, month)
        end = verified = None
        if rng.random() < 0.22:  # ended (some before 3 months, some after 6)
            ending = start + timedelta(days=rng.randrange(7, 420))
            if ending <= LAST_RECORDED:
                end = ending
                if rng.random() < 0.5:
                    verified = start + timedelta(days=rng.randrange((end - start).days + 1))
        if end is None and rng.random() < 0.84:  # ongoing with a follow-up; the rest: none
            latest = start + timedelta(days=int(rng.triangular(10, 560, 200)))
            if start <= LAST_RECORDED:
                verified = min(latest, LAST_RECORDED)
        contract = rng.random() < 0.87
        contract_start = contract_end = None
        if contract:
            contract_start = (
                start if rng.random() < 0.9 else start + timedelta(rng.randrange(1, 15))
            )
            if rng.random() < 0.55:
                months = rng.choice((3, 5, 6, 6, 12, 12, 12, 24, 36))
                contract_end = add_months(contract_start, months) - timedelta(days=1)
        insured = rng.random() < (0.9 if contract else 0.25)
        wage: int | float | None = None
        if rng.random() > 0.03:
            raw = min(max(rng.gauss(4300, 950), 2300), 9500)
            roll = rng.random()
            if roll < 0.75:
                wage = int(round(raw, -2))
            elif roll < 0.97:
                wage = int(round(raw, -1))
            else:
                wage = _yuan(raw)
        return {
            "id": "",
            "worker": worker["id_number"],
            "organiser": organiser,
            "employer": employer,
            "work_county": work_county,
            "start": start.isoformat(),
            "end": end.isoformat() if end else None,
            "verified_through": verified.isoformat() if verified else None,
            "contract": contract,
            "contract_start": contract_start.isoformat() if contract_start else None,
            "contract_end": contract_end.isoformat() if contract_end else None,
            "social_insurance": insured,
            "monthly_wage": wage,
        }

    # -- batches -------------------------------------------------------------------------

    def batches(self, workers: list[dict[str, Any]]) -> list[dict[str, Any]]:
        rng = self.rng
        brokers = self.by_kind.get("broker", [])
        stations = self.by_kind.get("station", [])
        broker_pick = _Weighted(brokers, _zipf_weights(len(brokers), 1.0, rng))
        origins = [county for county, _ in LOCAL_COUNTIES]
        result = []
        for number in range(1, self.size.batches + 1):
            organiser = broker_pick.pick(rng)
            if stations and rng.random() < 0.03:  # a station's batch: not item 5 (says why)
                organiser = rng.choice(stations)
            year, month = self.start_months.pick(rng)
            departure = _day_in_month(rng, year, month)
            destination = self.work_counties.pick(rng)
            charter = rng.random() < 0.4
            count = rng.randint(25, 60) if charter else rng.randint(5, 40)
            count = min(count, len(workers))
            people = rng.sample(workers, count)
            if count > 1 and rng.random() < 0.01:  # a name entered twice
                people.append(people[0])
            passengers = []
            for person in people:
                if charter:
                    passengers.append({"worker": person["id_number"], "fare": 0, "receipt": None})
                    continue
                fare = _yuan(rng.uniform(90, 980)) if rng.random() < 0.7 else rng.randrange(90, 980)
                receipt = None
                if rng.random() < 0.92:
                    receipt = f"{departure.year}{rng.randrange(10**10):010d}"
                passengers.append({"worker": person["id_number"], "fare": fare, "receipt": receipt})
            batch: dict[str, Any] = {
                "id": f"C{number:05d}",
                "organiser": organiser,
                "departure": departure.isoformat(),
                "origin": rng.choice(origins),
                "destination_county": destination,
                "mode": "charter" if charter else "tickets",
                "charter_cost": _yuan(count * rng.uniform(180, 1150)) if charter else None,
                "passengers": passengers,
            }
            result.append(batch)
        return result

    # -- gig records ---------------------------------------------------------------------

    def gig_records(self, workers: list[dict[str, Any]]) -> list[dict[str, Any]]:
        rng, size = self.rng, self.size
        markets = self.by_kind.get("gig_market", [])
        gig_stations = self.by_kind.get("gig_station", [])
        organisations = markets + gig_stations
        weights = [w * 1.6 for w in _zipf_weights(len(markets), 0.7, rng)]
        weights += _zipf_weights(len(gig_stations), 0.7, rng)
        organisation_pick = _Weighted(organisations, weights)
        # A pool of day labourers: mostly registered workers, some only known to the market.
        pool_size = max(1, int(size.gig_records * 0.6))
        pool = [rng.choice(workers)["id_number"] for _ in range(int(pool_size * 0.85))]
        while len(pool) < pool_size:
            hukou = rng.choice([county for county, _ in LOCAL_COUNTIES])
            pool.append(self.new_id(hukou, self.birth_date()))
        result = []
        for _ in range(size.gig_records):
            year, month = self.start_months.pick(rng)
            result.append(
                {
                    "organisation": organisation_pick.pick(rng),
                    "worker": rng.choice(pool),
                    "date": _day_in_month(rng, year, month).isoformat(),
                }
            )
        return result

    # -- claims (the ledger) ---------------------------------------------------------------

    def claims(
        self,
        placements: list[dict[str, Any]],
        workers: list[dict[str, Any]],
        batches: list[dict[str, Any]],
    ) -> list[dict[str, Any]]:
        rng, size = self.rng, self.size
        by_id = {worker["id_number"]: worker for worker in workers}
        local = {county for county, _ in LOCAL_COUNTIES}
        result: list[dict[str, Any]] = []

        # Item 2: transport subsidies already paid for 2025 (qualifying date in 2025).
        candidates = [
            placement
            for placement in placements
            if "2024-07-01" <= placement["start"] <= "2025-06-30"
            and by_id[placement["worker"]]["hukou_county"] in local
            and placement["work_county"] != by_id[placement["worker"]]["hukou_county"]
            and placement["contract"]
            and placement["social_insurance"]
        ]
        paid = rng.sample(candidates, min(size.transport_claims, len(candidates)))
        for number, placement in enumerate(paid, start=1):
            payer = placement["organiser"] or "RSJ"
            cross = not placement["work_county"].startswith("64")
            result.append(
                {
                    "item": 2,
                    "worker": placement["worker"],
                    "organisation": placement["organiser"],
                    "year": 2025,
                    "amount": 800 if cross else 200,
                    "claim": f"2025-{payer}-{number:05d}",
                    "date": "2026-01-15",
                }
            )
        for number, claim in enumerate(result[: max(1, len(result) // 150)], start=1):
            # Paid twice by mistake (another station): the engine must not pay a third time.
            result.append({**claim, "organisation": None, "claim": f"2025-DUP-{number:04d}"})

        # Item 3: broker reward lines already paid for 2025 (200 each; top-ups due later).
        broker_placements = [
            placement
            for placement in placements
            if placement["organiser"] in self.by_kind.get("broker", ())
            and placement["start"].startswith("2025")
        ]
        for number, placement in enumerate(
            rng.sample(broker_placements, min(size.broker_claims, len(broker_placements))),
            start=1,
        ):
            result.append(
                {
                    "item": 3,
                    "worker": placement["worker"],
                    "organisation": placement["organiser"],
                    "year": 2025,
                    "amount": 200,
                    "claim": f"2025-{placement['organiser']}-J{number:04d}",
                }
            )

        # Item 1: some stations already paid for 2025.
        stations = self.by_kind.get("station", [])
        for station in rng.sample(stations, min(size.station_claims, len(stations))):
            result.append(
                {
                    "item": 1,
                    "organisation": station,
                    "year": 2025,
                    "amount": rng.choice((40000, 60000)),
                    "claim": f"2025-{station}-Z01",
                }
            )

        # Item 5: batches of 2025 already reimbursed (some only in part).
        departed = [batch for batch in batches if batch["departure"].startswith("2025")]
        for batch in rng.sample(departed, min(size.batch_claims, len(departed))):
            if batch["mode"] == "charter":
                amount = batch["charter_cost"]
            else:
                amount = _yuan(sum(p["fare"] for p in batch["passengers"] if p["receipt"]) * 0.8)
            result.append(
                {
                    "item": 5,
                    "batch": batch["id"],
                    "organisation": batch["organiser"],
                    "amount": amount,
                    "claim": f"2025-{batch['id']}",
                }
            )

        # Items 4 and 6: a few one-off organisation claims.
        workshops = self.by_kind.get("workshop", [])
        for workshop in rng.sample(workshops, min(size.workshop_claims, len(workshops))):
            result.append(
                {"item": 4, "organisation": workshop, "amount": 20000, "claim": f"{workshop}-01"}
            )
        markets = self.by_kind.get("gig_market", [])
        for market in rng.sample(markets, min(size.gig_claims, len(markets))):
            result.append(
                {
                    "item": 6,
                    "organisation": market,
                    "year": 2025,
                    "amount": 100000,
                    "claim": f"2025-{market}-01",
                }
            )
        return result


def generate_city(
    seed: int = 1, scale: float = 1.0, size: CitySize | None = None
) -> dict[str, Any]:
    """The `zwdesk-scenario/1` document (plain dicts and lists, ready for json.dump)."""
    check_region_codes()
    generator = _CityGenerator(seed, size or CitySize.scaled(scale))
    organisations = generator.organisations()
    workers = generator.workers()
    placements = generator.placements(workers)
    batches = generator.batches(workers)
    gig_records = generator.gig_records(workers)
    claims = generator.claims(placements, workers, batches)
    return {
        "format": SCENARIO_FORMAT,
        "_generator": {
            "tool": "benchmarks/generate_city.py",
            "seed": seed,
            "scale": scale if size is None else None,
        },
        "organisations": organisations,
        "workers": workers,
        "placements": placements,
        "batches": batches,
        "gig_records": gig_records,
        "claims": claims,
    }


def write_city(path: Path, seed: int = 1, scale: float = 1.0) -> dict[str, int]:
    """Generate and write the scenario as UTF-8 JSON; returns the record counts."""
    document = generate_city(seed=seed, scale=scale)
    path.parent.mkdir(parents=True, exist_ok=True)
    # json.dumps, not json.dump: only the one-shot encoder is the fast C one (~15× faster).
    path.write_text(
        json.dumps(document, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    return {key: len(value) for key, value in document.items() if isinstance(value, list)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="where to write the JSON")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="record counts × this (default 1.0 = city)"
    )
    arguments = parser.parse_args(argv)
    began = time.perf_counter()
    counts = write_city(arguments.out, arguments.seed, arguments.scale)
    elapsed = time.perf_counter() - began
    size_mb = arguments.out.stat().st_size / 1e6
    summary = ", ".join(f"{count:,} {key}" for key, count in counts.items())
    print(f"wrote {arguments.out} ({size_mb:.1f} MB) in {elapsed:.1f} s: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
