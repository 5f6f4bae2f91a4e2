"""Claims (申领): draft from the engine, freeze into a numbered snapshot whose lines enter the
ledger, print, and move through 草稿 → 已打印 → 已签字 → 已提交 → 已拨付/已退回 (or 已作废).

Which organisation a row belongs to:
- items 1, 4, 6: the organisation's own row (station, workshop, gig market/station);
- item 2: the worker rows whose *qualifying placement* (the one the engine pays on) that
  organisation organised — the subsidy is the worker's, the organiser files it;
- item 3: the broker's qualifying workers; item 5: one batch the broker organised.

Numbering: `{year}-{county}-{organisation}-{NNN}` — year of the claim (item 4: of the as-of
date; item 5: of the departure), the organisation's county short name (沙坡头/中宁/海原; 中卫
for any other), its code, and a sequence per organisation and year, one more than any number
used before (frozen claims and numbered ledger lines alike).
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Protocol

from zwdesk.domain.claims import (
    CLAIM_TRANSITIONS,
    LEDGER_STATES,
    ClaimLine,
    ClaimState,
    ExcludedLine,
    FrozenClaim,
)
from zwdesk.domain.model import Organisation, OrganisationKind, Scenario
from zwdesk.domain.money import Fen, format_yuan
from zwdesk.domain.policy.parameters import PolicySchedule
from zwdesk.domain.policy.results import GigResult, Results, StationTierResult, WorkshopResult
from zwdesk.domain.privacy import mask_id_number
from zwdesk.domain.regions import region_label
from zwdesk.services.calc_service import calculate
from zwdesk.services.jurisdiction import county_short_name
from zwdesk.services.policy_files import station_schedule
from zwdesk.storage.change_counter import current_change_number
from zwdesk.storage.claim_batch_repository import ClaimBatchRepository, ClaimRecord
from zwdesk.storage.database import StationDatabase
from zwdesk.storage.organisation_repository import OrganisationRepository
from zwdesk.storage.scenario_repository import load_scenario

ITEM_RULES = {
    1: "station_tier",
    2: "transport",
    3: "broker_reward",
    4: "workshop",
    5: "point_to_point",
    6: "gig",
}
# Who may file each item (None: any organiser — item 2 is filed by the placement's organiser).
ITEM_KINDS: dict[int, frozenset[OrganisationKind] | None] = {
    1: frozenset({OrganisationKind.STATION}),
    2: None,
    3: frozenset({OrganisationKind.BROKER}),
    4: frozenset({OrganisationKind.WORKSHOP}),
    5: frozenset({OrganisationKind.BROKER}),
    6: frozenset({OrganisationKind.GIG_MARKET, OrganisationKind.GIG_STATION}),
}
TRANSFER_LABELS = {"cross_province": "跨省（区）", "intra_region": "区内跨县"}
BATCH_KIND_LABELS = {"charter": "包车/包机", "fare": "据实报销车票", "none": "不予补贴"}
# The PDFs `print` asks the renderer for when it does not say which forms an item has.
DEFAULT_PRINT_KINDS: tuple[str, ...] = ("all",)
FORM_LABELS = {"application": "申请表", "roster": "花名册", "notice": "公示名单"}


class ClaimError(Exception):
    """A claim operation refused; `str(error)` is one Chinese sentence. Nothing was written."""


class ClaimRenderer(Protocol):
    """`zwdesk.pdf.render_claim_pdf`: one PDF of a frozen claim."""

    def __call__(
        self, claim: FrozenClaim, path: Path, *, kind: str = ..., font_path: Path | None = ...
    ) -> object: ...


@dataclass(frozen=True, slots=True)
class ClaimDraft:
    """What one organisation could claim under one item now: the rows due (> 0), for review."""

    item: int
    organisation: Organisation
    contact: str | None
    year: int | None
    batch: str | None
    as_of: date
    numbering_year: int
    clause: str
    clause_quote: str
    policy_version: str
    lines: tuple[ClaimLine, ...]
    change_number: int  # the database change the draft was computed at

    @property
    def total(self) -> Fen:
        """Sum of the rows."""
        return sum(line.amount for line in self.lines)


def subject_label(subject: str) -> str:
    """A row's subject as shown outside the form: ID numbers masked."""
    return mask_id_number(subject) if len(subject) == 18 and subject[:17].isdigit() else subject


def _load_pdf_package() -> tuple[object | None, str]:
    """zwdesk.pdf, or None and why it cannot be loaded (the failed import, for the clerk and
    whoever supports the station). Looked up when printing: the window and the CLI work (and
    say so) without the renderer."""
    try:
        return importlib.import_module("zwdesk.pdf"), ""
    except ImportError as error:
        return None, f"{type(error).__name__}: {error}"


def _pdf_package() -> object | None:
    return _load_pdf_package()[0]


def pdf_import_problem() -> str:
    """Why zwdesk.pdf cannot be loaded (a missing module of an installation); empty when it
    loads."""
    return _load_pdf_package()[1]


def find_renderer() -> ClaimRenderer | None:
    """`zwdesk.pdf.render_claim_pdf` when the PDF package is installed, else None."""
    renderer = getattr(_pdf_package(), "render_claim_pdf", None)
    return renderer if callable(renderer) else None


def print_kinds(item: int) -> tuple[str, ...]:
    """The forms printed for an item, one PDF each: the renderer's `available_forms(item)`
    (申请表, 花名册, 公示名单 as far as templates exist); else one PDF of every form."""
    available = getattr(_pdf_package(), "available_forms", None)
    if callable(available):
        kinds = tuple(str(kind) for kind in available(item))
        if kinds:
            return kinds
    return DEFAULT_PRINT_KINDS


def _renderer_errors() -> tuple[type[BaseException], ...]:
    error = getattr(_pdf_package(), "FormError", None)
    pdf_errors = (error,) if isinstance(error, type) and issubclass(error, Exception) else ()
    return (OSError, *pdf_errors)


def print_file_name(number: str, kind: str) -> str:
    """`2025-海原-T1-002-申请表.pdf`."""
    label = FORM_LABELS.get(kind)
    return f"{number}-{label}.pdf" if label else f"{number}.pdf"


def resolve_subject(draft: ClaimDraft, text: str) -> str:
    """The row a clerk names: its 序号 in the draft (1, 2 …), its subject (ID number, batch or
    organisation code), or its masked ID number when that names one row only."""
    text = text.strip()
    if text.isdigit() and len(text) < 6:
        index = int(text)
        if not 1 <= index <= len(draft.lines):
            raise ClaimError(f"草稿只有{len(draft.lines)}行，没有第{index}行")
        return draft.lines[index - 1].subject
    if any(line.subject == text for line in draft.lines):
        return text
    masked = [line.subject for line in draft.lines if subject_label(line.subject) == text]
    if len(masked) == 1:
        return masked[0]
    if masked:
        raise ClaimError(f"{text}对应多行，请用序号指明")
    raise ClaimError(f"{subject_label(text)}不在本次草稿的应付行中")


class ClaimService:
    """Claim use cases over one open station database (no Qt; the CLI and the window)."""

    def __init__(
        self,
        database: StationDatabase,
        actor: str = "",
        schedule: PolicySchedule | None = None,
        renderer: ClaimRenderer | None = None,
    ) -> None:
        self._database = database
        self._actor = actor
        self._schedule = schedule
        self._renderer = renderer
        self._claims = ClaimBatchRepository(database)

    @property
    def schedule(self) -> PolicySchedule:
        """The policy parameters computed with."""
        # Looked up each time: a policy update the city sends applies from then on.
        if self._schedule is not None:
            return self._schedule
        return station_schedule(self._database)

    # -- draft and freeze --------------------------------------------------------------------
    def draft(
        self,
        item: int,
        organisation_id: str,
        *,
        year: int | None = None,
        batch: str | None = None,
        as_of: date,
    ) -> ClaimDraft:
        """The rows due now (> 0) for one organisation, item and year (item 5: one batch)."""
        return self._draft(item, organisation_id, year, batch, as_of)

    def _draft(
        self, item: int, organisation_id: str, year: int | None, batch: str | None, as_of: date
    ) -> ClaimDraft:
        if item not in ITEM_RULES:
            raise ClaimError(f"没有第{item}项补贴（应为 1–6）")
        if item in (1, 2, 3, 6) and year is None:
            raise ClaimError(f"第{item}项按年度申领，须指定年度")
        if item in (4, 5) and year is not None:
            what = "实施期内一次性补贴" if item == 4 else "按批次申领"
            raise ClaimError(f"第{item}项为{what}，不按年度申领（不要指定年度）")
        if (item == 5) != (batch is not None):
            raise ClaimError("第五项须指定批次" if item == 5 else f"第{item}项不按批次申领")
        change_number = current_change_number(self._database)
        scenario = load_scenario(self._database)
        organisation = next((o for o in scenario.organisations if o.id == organisation_id), None)
        if organisation is None:
            raise ClaimError(f"组织{organisation_id}不存在")
        kinds = ITEM_KINDS[item]
        if kinds is not None and organisation.kind not in kinds:
            allowed = "、".join(sorted(kind.label for kind in kinds))
            raise ClaimError(
                f"{organisation.name}是{organisation.kind.label}，第{item}项只能由{allowed}申领"
            )
        numbering_year = year if year is not None else as_of.year
        if batch is not None:
            found = next((b for b in scenario.batches if b.id == batch), None)
            if found is None:
                raise ClaimError(f"批次{batch}不存在")
            if found.organiser != organisation_id:
                raise ClaimError(f"批次{batch}不是{organisation.name}组织的")
            numbering_year = found.departure.year
        results = calculate(scenario, as_of, self.schedule)
        lines = _lines(item, organisation, year, batch, scenario, results)
        params = self.schedule.at(as_of)
        rule = getattr(params, ITEM_RULES[item])
        return ClaimDraft(
            item=item,
            organisation=organisation,
            contact=OrganisationRepository(self._database).contact(organisation_id),
            year=year,
            batch=batch,
            as_of=as_of,
            numbering_year=numbering_year,
            clause=str(rule.clause),
            clause_quote=str(rule.quote),
            policy_version=f"{params.format} {params.effective_from.isoformat()}",
            lines=lines,
            change_number=change_number,
        )

    def freeze(
        self,
        draft: ClaimDraft,
        excluded: Mapping[str, str] | None = None,
        actor: str | None = None,
    ) -> FrozenClaim:
        """Number the draft, store its snapshot and put its lines (all but the excluded ones)
        in the ledger — one transaction. Refused when the facts changed since the draft."""
        excluded = dict(excluded or {})
        subjects = {line.subject for line in draft.lines}
        unknown = [subject for subject in excluded if subject not in subjects]
        if unknown:
            shown = "、".join(subject_label(subject) for subject in unknown)
            raise ClaimError(f"要排除的{shown}不在本次草稿的应付行中")
        for subject, reason in excluded.items():
            if not reason.strip():
                raise ClaimError(f"排除{subject_label(subject)}须写明原因")
        kept = tuple(line for line in draft.lines if line.subject not in excluded)
        left_out = tuple(
            ExcludedLine(line.subject, line.name, line.amount, excluded[line.subject].strip())
            for line in draft.lines
            if line.subject in excluded
        )
        if not kept:
            raise ClaimError("没有可申领的金额（草稿无应付行，或全部被排除），未生成申领单")
        frozen_at = datetime.now(UTC).replace(microsecond=0)
        organisation = draft.organisation
        with self._database.transaction(actor if actor is not None else self._actor):
            if current_change_number(self._database) != draft.change_number:
                fresh = self._draft(
                    draft.item, organisation.id, draft.year, draft.batch, draft.as_of
                )
                if fresh.lines != draft.lines or fresh.organisation != organisation:
                    raise ClaimError("草稿生成后数据已有变化，应付金额不同，请重新生成草稿后再冻结")
            prefix = (
                f"{draft.numbering_year}-{county_short_name(organisation.county)}"
                f"-{organisation.id}-"
            )
            sequence = self._claims.next_sequence(organisation.id, draft.numbering_year, prefix)
            claim = FrozenClaim(
                number=f"{prefix}{sequence:03d}",
                item=draft.item,
                organisation_id=organisation.id,
                organisation_name=organisation.name,
                organisation_county=organisation.county,
                contact=draft.contact,
                year=draft.year,
                batch=draft.batch,
                as_of=draft.as_of,
                frozen_at=frozen_at,
                clause=draft.clause,
                clause_quote=draft.clause_quote,
                lines=kept,
                excluded=left_out,
                policy_version=draft.policy_version,
                state=ClaimState.DRAFT,
            )
            self._claims.add(claim, draft.numbering_year, sequence)
        return claim

    # -- reads -------------------------------------------------------------------------------
    def list_claims(
        self,
        *,
        item: int | None = None,
        organisation_id: str | None = None,
        year: int | None = None,
        states: Sequence[ClaimState] | None = None,
    ) -> list[ClaimRecord]:
        """Stored claims, oldest first."""
        return self._claims.find(
            item=item, organisation_id=organisation_id, year=year, states=states
        )

    def get(self, number: str) -> FrozenClaim:
        """The frozen snapshot, with its current state."""
        return self._claims.get(number)

    def record(self, number: str) -> ClaimRecord:
        """State, totals and attachment of one claim."""
        return self._claims.record(number)

    # -- states ------------------------------------------------------------------------------
    def set_state(
        self,
        number: str,
        state: ClaimState | str,
        *,
        reason: str | None = None,
        attachment: Path | None = None,
    ) -> ClaimRecord:
        """Move a claim to `state` (one audited transaction). 已签字 needs the signed pages;
        已退回 and 已作废 need a reason; leaving the ledger states releases the ledger."""
        try:
            target = ClaimState(state)
        except ValueError:
            names = "、".join(item.value for item in ClaimState)
            raise ClaimError(f"没有“{state}”这个状态（可选：{names}）") from None
        reason = reason.strip() if reason is not None else None
        if target in (ClaimState.RETURNED, ClaimState.CANCELLED) and not reason:
            raise ClaimError(f"改为“{target.value}”须写明原因")
        if attachment is not None and target is not ClaimState.SIGNED:
            raise ClaimError("签字页扫描件只能在改为“已签字”时附上")
        content: bytes | None = None
        if target is ClaimState.SIGNED:
            if attachment is None:
                raise ClaimError("改为“已签字”须附上签字页的扫描件或照片")
            try:
                content = attachment.read_bytes()
            except OSError as error:
                raise ClaimError(f"无法读取签字页文件 {attachment}：{error.strerror}") from None
            if not content:
                raise ClaimError(f"签字页文件 {attachment} 是空的")
        with self._database.transaction(self._actor):
            current = self._claims.record(number).state
            self._check_transition(number, current, target)
            self._claims.set_state(number, target, reason)
            if content is not None and attachment is not None:
                digest = hashlib.sha256(content).hexdigest()
                self._claims.attach(number, attachment.name, digest, content)
            if current in LEDGER_STATES and target not in LEDGER_STATES:
                self._claims.release_ledger(number)
        return self._claims.record(number)

    def cancel(self, number: str, reason: str) -> ClaimRecord:
        """作废 (until 已提交): its lines stop counting as claimed."""
        return self.set_state(number, ClaimState.CANCELLED, reason=reason)

    @staticmethod
    def _check_transition(number: str, current: ClaimState, target: ClaimState) -> None:
        allowed = CLAIM_TRANSITIONS[current]
        if target in allowed:
            return
        if target is ClaimState.CANCELLED:
            raise ClaimError(f"申领单{number}已{current.value.removeprefix('已')}，不能再作废")
        options = "、".join(state.value for state in ClaimState if state in allowed)
        hint = f"（只能改为：{options}）" if options else "（已办结，不能再改）"
        raise ClaimError(f"申领单{number}当前为“{current.value}”，不能改为“{target.value}”{hint}")

    # -- printing ----------------------------------------------------------------------------
    def print(self, number: str, directory: Path) -> list[Path]:
        """Render the claim's PDFs into `directory`; 草稿 becomes 已打印. Printing again renders
        the same snapshot and leaves the state as it is."""
        claim = self._claims.get(number)
        if claim.state in (ClaimState.CANCELLED, ClaimState.RETURNED):
            raise ClaimError(f"申领单{number}已{claim.state.value.removeprefix('已')}，不能打印")
        renderer = self._renderer or find_renderer()
        if renderer is None:
            raise ClaimError(
                "PDF 申领表生成模块（zwdesk.pdf）无法加载，无法打印；申领单状态未改变"
                + (f"（{problem}）" if (problem := pdf_import_problem()) else "")
            )
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ClaimError(f"无法创建目录 {directory}：{error.strerror}") from None
        paths: list[Path] = []
        try:
            for kind in print_kinds(claim.item):
                path = directory / print_file_name(number, kind)
                renderer(claim, path, kind=kind)
                paths.append(path)
        except Exception as error:  # the renderer's boundary: any failure is a failed print
            for path in paths:  # no half-printed set is left behind
                path.unlink(missing_ok=True)
            reason = str(error) if isinstance(error, _renderer_errors()) else repr(error)
            raise ClaimError(f"打印申领单{number}失败：{reason}；申领单状态未改变") from error
        if claim.state is ClaimState.DRAFT:
            with self._database.transaction(self._actor):
                if self._claims.record(number).state is ClaimState.DRAFT:
                    self._claims.set_state(number, ClaimState.PRINTED)
        return paths


# -- rows of a draft (pure functions over one scenario and its results) ----------------------
def _money(fen: Fen) -> str:
    return f"{format_yuan(fen)}元"


def _lines(
    item: int,
    organisation: Organisation,
    year: int | None,
    batch: str | None,
    scenario: Scenario,
    results: Results,
) -> tuple[ClaimLine, ...]:
    org = organisation.id

    def own(count: int, entitlement: Fen, claimed: Fen) -> tuple[tuple[str, str], ...]:
        return (("人数", str(count)), ("应享", _money(entitlement)), ("已申领", _money(claimed)))

    # Items 1, 4 and 6 pay the organisation itself: one line from its own row (a workshop's
    # row has no year; its claims carry none either).
    own_rows: dict[int, Sequence[StationTierResult | WorkshopResult | GigResult]] = {
        1: results.station_tiers,
        4: results.workshops,
        6: results.gig,
    }
    if item in own_rows:
        return tuple(
            ClaimLine(
                org,
                organisation.name,
                r.amount,
                r.explanation.sentences,
                None,
                own(r.count, r.entitlement, r.claimed),
            )
            for r in own_rows[item]
            if r.organisation == org and getattr(r, "year", None) == year and r.amount > 0
        )
    names = {worker.id_number: worker.name for worker in scenario.workers}
    if item == 2:
        placements = {placement.id: placement for placement in scenario.placements}
        lines = []
        for transport in results.transport:
            if transport.year != year or transport.amount <= 0 or transport.placement is None:
                continue
            placement = placements.get(transport.placement)
            if placement is None or placement.organiser != org:
                continue
            details: tuple[tuple[str, str], ...] = (
                ("类别", TRANSFER_LABELS.get(transport.kind or "", transport.kind or "")),
                ("用工单位", placement.employer),
                ("就业地", region_label(placement.work_county)),
                ("就业开始", placement.start.isoformat()),
            )
            lines.append(
                ClaimLine(
                    transport.worker,
                    names.get(transport.worker, ""),
                    transport.amount,
                    transport.explanation.sentences,
                    transport.worker,
                    details,
                )
            )
        return tuple(lines)
    if item == 3:
        return tuple(
            ClaimLine(
                w.worker,
                names.get(w.worker, ""),
                w.amount,
                w.explanation.sentences,
                w.worker,
                (
                    ("稳定月数", str(w.stable_months)),
                    ("应享", _money(w.entitlement)),
                    ("已申领", _money(w.claimed)),
                ),
            )
            for r in results.broker_rewards
            if r.organisation == org and r.year == year
            for w in r.workers
            if w.amount > 0
        )
    # item 5: one batch
    departures = {b.id: b for b in scenario.batches}
    lines = []
    for r in results.batches:
        if r.batch != batch or r.organisation != org or r.amount <= 0:
            continue
        found = departures[r.batch]
        name = f"{found.departure.isoformat()} 至{region_label(found.destination_county)}"
        batch_details: tuple[tuple[str, str], ...] = (
            ("出发日期", found.departure.isoformat()),
            ("方式", BATCH_KIND_LABELS.get(r.kind, r.kind)),
            ("合格人数", str(r.eligible)),
            ("应享", _money(r.entitlement)),
            ("已申领", _money(r.claimed)),
        )
        lines.append(
            ClaimLine(r.batch, name, r.amount, r.explanation.sentences, None, batch_details)
        )
    return tuple(lines)
