"""Point-to-point batches (“点对点”输送): create a departure, scan passengers in, and see what
the batch earns under 第五项 — computed by the policy engine on a scenario of this batch alone."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from zwdesk.domain.model import (
    Batch,
    BatchMode,
    Organisation,
    OrganisationKind,
    Passenger,
    Scenario,
)
from zwdesk.domain.money import Fen
from zwdesk.domain.policy.engine import compute
from zwdesk.domain.policy.parameters import PolicySchedule
from zwdesk.domain.privacy import mask_id_number
from zwdesk.services.policy_files import station_schedule
from zwdesk.services.station_service import StationInputError, check_county, check_id_number
from zwdesk.storage.batch_repository import BatchRepository
from zwdesk.storage.database import StationDatabase
from zwdesk.storage.organisation_repository import OrganisationRepository
from zwdesk.storage.worker_repository import WorkerRepository

# Record codes and counts only: never ID numbers or names.
logger = logging.getLogger(__name__)

KIND_LABELS = {"charter": "包车（包机）", "fare": "车费据实报销", "none": "不予补贴"}


@dataclass(frozen=True, slots=True)
class BatchEvaluation:
    """What a batch earns under 第五项 as of its departure, and the thresholds it is judged by."""

    eligible: int
    kind: str  # charter | fare | none
    amount: Fen
    explanation: tuple[str, ...]
    fare_min_passengers: int
    charter_min_passengers: int

    @property
    def kind_label(self) -> str:
        """包车（包机） / 车费据实报销 / 不予补贴."""
        return KIND_LABELS[self.kind]


class BatchService:
    """Batch use cases over one open database; every write is one audited transaction."""

    def __init__(
        self, database: StationDatabase, actor: str = "", schedule: PolicySchedule | None = None
    ) -> None:
        self._database = database
        self.actor = actor
        self._schedule = schedule
        self._batches = BatchRepository(database)
        self._organisations = OrganisationRepository(database)
        self._workers = WorkerRepository(database)

    @property
    def schedule(self) -> PolicySchedule:
        """The policy parameters batches are judged by."""
        # Looked up each time: a policy update the city sends applies from then on.
        if self._schedule is not None:
            return self._schedule
        return station_schedule(self._database)

    # -- reads ----------------------------------------------------------------------------
    def organisers(self) -> list[Organisation]:
        """Who can organise a batch: brokers (本站 first when it is one)."""
        ours = self._organisations.station_profile()
        brokers = [org for org in self._organisations.all() if org.kind is OrganisationKind.BROKER]
        brokers.sort(key=lambda org: (ours is None or org.id != ours.id, org.id))
        return brokers

    def codes(self) -> list[str]:
        """Every batch code, newest departure first."""
        return self._batches.codes()

    def get(self, code: str) -> Batch:
        """One batch with its manifest."""
        batch = self._batches.get(code)
        if batch is None:
            raise StationInputError("批次", f"{code}不存在")
        return batch

    def passenger_names(self, batch: Batch) -> dict[str, str]:
        """Names of the passengers by ID number (for the manifest table)."""
        names = {}
        for passenger in batch.passengers:
            worker = self._workers.get(passenger.worker)
            names[passenger.worker] = worker.name if worker else ""
        return names

    def evaluate(self, batch: Batch) -> BatchEvaluation:
        """第五项 for this batch alone, as of its departure (the engine's rule, not a copy)."""
        organiser = self._organisations.get(batch.organiser)
        if organiser is None:
            raise StationInputError("组织者", f"组织{batch.organiser}不存在")
        workers = []
        for passenger in batch.passengers:
            worker = self._workers.get(passenger.worker)
            if worker is not None:
                workers.append(worker)
        scenario = Scenario(organisations=(organiser,), workers=tuple(workers), batches=(batch,))
        results = compute(scenario, batch.departure, self.schedule)
        (result,) = results.batches
        rule = self.schedule.at(batch.departure).point_to_point
        return BatchEvaluation(
            eligible=result.eligible,
            kind=result.kind,
            amount=result.entitlement,
            explanation=result.explanation.sentences,
            fare_min_passengers=rule.fare_min_passengers,
            charter_min_passengers=rule.charter_min_passengers,
        )

    # -- writes ---------------------------------------------------------------------------
    def create_batch(
        self,
        departure: date,
        destination_county: str,
        mode: str | BatchMode,
        *,
        organiser: str,
        origin: str | None = None,
        charter_cost: Fen | None = None,
        code: str = "",
    ) -> Batch:
        """Record a departure with an empty manifest; a charter needs its invoiced cost."""
        destination = check_county(destination_county, "目的地") or ""
        start = check_county(origin, "出发地", required=False)
        try:
            checked_mode = BatchMode(mode)
        except ValueError:
            raise StationInputError("输送方式", f"应为包车或购票，实际为“{mode}”") from None
        if checked_mode is BatchMode.CHARTER and charter_cost is None:
            raise StationInputError("包车费用", "包车（包机）须填写发票金额")
        if charter_cost is not None and charter_cost < 0:
            raise StationInputError("包车费用", "不能为负")
        with self._database.transaction(self.actor):
            found = self._organisations.get(organiser)
            if found is None or found.kind is not OrganisationKind.BROKER:
                raise StationInputError("组织者", "应为已登记的劳务中介（经纪人）")
            chosen = code.strip() or self._new_code(departure)
            if self._batches.get(chosen) is not None:
                raise StationInputError("批次编号", f"{chosen}已被使用")
            batch = Batch(
                id=chosen,
                organiser=organiser,
                departure=departure,
                destination_county=destination,
                mode=checked_mode,
                charter_cost=charter_cost if checked_mode is BatchMode.CHARTER else None,
                origin=start,
            )
            self._batches.add(batch)
        logger.info("batch created: %s", chosen)
        return batch

    def _new_code(self, departure: date) -> str:
        stem = f"PD{departure:%Y%m%d}"
        number = 1
        while self._batches.get(f"{stem}-{number}") is not None:
            number += 1
        return f"{stem}-{number}"

    def add_passenger(
        self, code: str, id_text: str, fare: Fen = 0, receipt: str | None = None
    ) -> Batch:
        """Add a registered worker (typed or scanned ID number) to the manifest."""
        number = check_id_number(id_text)
        if fare < 0:
            raise StationInputError("车费", "不能为负")
        with self._database.transaction(self.actor):
            batch = self.get(code)
            if self._workers.get(number) is None:
                raise StationInputError(
                    "身份证号", f"{mask_id_number(number)}未登记，请先在人员名单中登记"
                )
            if any(passenger.worker == number for passenger in batch.passengers):
                raise StationInputError("身份证号", f"{mask_id_number(number)}已在本批次名单中")
            self._batches.add_passenger(code, Passenger(number, fare, _receipt(receipt)))
        return self.get(code)

    def update_passenger(self, code: str, id_number: str, fare: Fen, receipt: str | None) -> Batch:
        """Change a passenger's fare (fen) and receipt number."""
        if fare < 0:
            raise StationInputError("车费", "不能为负")
        with self._database.transaction(self.actor):
            self._batches.update_passenger(code, Passenger(id_number, fare, _receipt(receipt)))
        return self.get(code)

    def remove_passenger(self, code: str, id_number: str) -> Batch:
        """Take a passenger off the manifest."""
        with self._database.transaction(self.actor):
            self._batches.remove_passenger(code, id_number)
        return self.get(code)


def _receipt(text: str | None) -> str | None:
    return text.strip() if text and text.strip() else None
