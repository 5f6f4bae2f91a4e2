"""Results as the `zwdesk-results/1` JSON document of CALC.md, and as a table for people."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TextIO

import orjson

from zwdesk.domain.money import fen_to_number, format_yuan
from zwdesk.domain.policy.results import (
    BatchResult,
    BrokerRewardResult,
    BrokerWorkerResult,
    ConflictResult,
    Explanation,
    GigResult,
    NextStep,
    PendingQualification,
    Results,
    StationTierResult,
    TransportResult,
    WorkshopResult,
)
from zwdesk.domain.privacy import mask_id_number

RESULTS_FORMAT = "zwdesk-results/1"


def _sentences(explanation: Explanation) -> list[str]:
    """The explanation rendered once (`list(explanation)` would render it twice: once to size
    the list, once to fill it)."""
    return list(explanation.sentences)


def _next(step: NextStep | None) -> dict[str, Any] | None:
    if step is None:
        return None
    return {
        "threshold": step.threshold,
        "amount": fen_to_number(step.amount),
        "missing": step.missing,
    }


def _pending(items: tuple[PendingQualification, ...]) -> list[dict[str, Any]]:
    return [
        {
            "placement": item.placement,
            "worker": item.worker,
            "qualifies_on": item.qualifies_on.isoformat(),
            "reason": item.reason,
        }
        for item in items
    ]


def _station_row(row: StationTierResult) -> dict[str, Any]:
    return {
        "organisation": row.organisation,
        "year": row.year,
        "count": row.count,
        "amount": fen_to_number(row.amount),
        "entitlement": fen_to_number(row.entitlement),
        "claimed": fen_to_number(row.claimed),
        "next_tier": _next(row.next_tier),
        "pending": _pending(row.pending),
        "explanation": _sentences(row.explanation),
    }


def _transport_row(row: TransportResult) -> dict[str, Any]:
    return {
        "worker": row.worker,
        "year": row.year,
        "amount": fen_to_number(row.amount),
        "kind": row.kind,
        "entitlement": fen_to_number(row.entitlement),
        "claimed": fen_to_number(row.claimed),
        "placement": row.placement,
        "claims": list(row.claims),
        "explanation": _sentences(row.explanation),
    }


def _broker_worker_row(worker: BrokerWorkerResult) -> dict[str, Any]:
    return {
        "worker": worker.worker,
        "amount": fen_to_number(worker.amount),
        "qualifies": worker.qualifies,
        "stable_months": worker.stable_months,
        "entitlement": fen_to_number(worker.entitlement),
        "claimed": fen_to_number(worker.claimed),
        "placement": worker.placement,
        "explanation": _sentences(worker.explanation),
    }


def _broker_row(row: BrokerRewardResult) -> dict[str, Any]:
    return {
        "organisation": row.organisation,
        "year": row.year,
        "count": row.count,
        "amount": fen_to_number(row.amount),
        "entitlement": fen_to_number(row.entitlement),
        "claimed": fen_to_number(row.claimed),
        "workers": [_broker_worker_row(worker) for worker in row.workers],
        "next_tier": _next(row.next_tier),
        "pending": _pending(row.pending),
        "explanation": _sentences(row.explanation),
    }


def _workshop_row(row: WorkshopResult) -> dict[str, Any]:
    return {
        "organisation": row.organisation,
        "count": row.count,
        "amount": fen_to_number(row.amount),
        "entitlement": fen_to_number(row.entitlement),
        "claimed": fen_to_number(row.claimed),
        "next_tier": _next(row.next_tier),
        "explanation": _sentences(row.explanation),
    }


def _batch_row(row: BatchResult) -> dict[str, Any]:
    return {
        "batch": row.batch,
        "organisation": row.organisation,
        "eligible": row.eligible,
        "kind": row.kind,
        "amount": fen_to_number(row.amount),
        "entitlement": fen_to_number(row.entitlement),
        "claimed": fen_to_number(row.claimed),
        "explanation": _sentences(row.explanation),
    }


def _gig_row(row: GigResult) -> dict[str, Any]:
    return {
        "organisation": row.organisation,
        "year": row.year,
        "count": row.count,
        "amount": fen_to_number(row.amount),
        "entitlement": fen_to_number(row.entitlement),
        "claimed": fen_to_number(row.claimed),
        "explanation": _sentences(row.explanation),
    }


def _conflict_row(row: ConflictResult) -> dict[str, Any]:
    return {
        "worker": row.worker,
        "year": row.year,
        "items": list(row.items),
        "stations": list(row.stations),
        "brokers": list(row.brokers),
        "explanation": _sentences(row.explanation),
    }


def _sections(results: Results) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
    """Each CALC.md section with its rows turned into JSON objects one at a time."""
    yield "station_tiers", map(_station_row, results.station_tiers)
    yield "transport", map(_transport_row, results.transport)
    yield "broker_rewards", map(_broker_row, results.broker_rewards)
    yield "workshops", map(_workshop_row, results.workshops)
    yield "batches", map(_batch_row, results.batches)
    yield "gig", map(_gig_row, results.gig)
    yield "conflicts", map(_conflict_row, results.conflicts)


def results_document(results: Results) -> dict[str, Any]:
    """The CALC.md output document (fixed keys, plus entitlement/claimed and projections)."""
    document: dict[str, Any] = {"format": RESULTS_FORMAT, "as_of": results.as_of.isoformat()}
    for name, rows in _sections(results):
        document[name] = list(rows)
    return document


def write_results_json(results: Results, stream: TextIO) -> None:
    """Write the same document as `results_document`, one row at a time: a city's results
    are 150 M characters, which need not sit in memory as one document. Each row is encoded
    by orjson (several times faster than json.dumps, which spent a quarter of a city's
    output time), compact: no blanks after commas and colons."""
    stream.write(f'{{"format":"{RESULTS_FORMAT}","as_of":"{results.as_of.isoformat()}"')
    for name, rows in _sections(results):
        stream.write(f',"{name}":[')
        for index, row in enumerate(rows):
            if index:
                stream.write(",")
            stream.write(orjson.dumps(row).decode())
        stream.write("]")
    stream.write("}\n")


def results_table(results: Results, names: dict[str, str]) -> str:
    """A plain-text summary for a terminal: one line per row, totals per item, masked IDs."""
    lines = [f"测算日期 {results.as_of}"]

    def section(title: str, rows: list[tuple[str, int]]) -> None:
        total = sum(amount for _, amount in rows)
        lines.append("")
        lines.append(f"【{title}】{len(rows)}条，应付合计 {format_yuan(total)} 元")
        for label, amount in rows:
            lines.append(f"  {label:<40} {format_yuan(amount):>12} 元")

    def org(identifier: str) -> str:
        return names.get(identifier, identifier)

    section(
        "第一项 驻外劳务工作站",
        [
            (f"{org(row.organisation)} {row.year}年 {row.count}人", row.amount)
            for row in results.station_tiers
        ],
    )
    section(
        "第二项 一次性交通补贴",
        [
            (f"{names.get(row.worker, '')} {mask_id_number(row.worker)} {row.year}年", row.amount)
            for row in results.transport
        ],
    )
    section(
        "第三项 劳务中介奖补",
        [
            (f"{org(row.organisation)} {row.year}年 {row.count}人", row.amount)
            for row in results.broker_rewards
        ],
    )
    section(
        "第四项 就业帮扶车间",
        [(f"{org(row.organisation)} {row.count}人", row.amount) for row in results.workshops],
    )
    section(
        "第五项 点对点输送",
        [
            (f"{row.batch} {org(row.organisation)} {row.eligible}人 {row.kind}", row.amount)
            for row in results.batches
        ],
    )
    section(
        "第六项 零工市场/驿站",
        [
            (f"{org(row.organisation)} {row.year}年 {row.count}人", row.amount)
            for row in results.gig
        ],
    )
    lines.append("")
    lines.append(f"【第一项与第三项重复】{len(results.conflicts)}人")
    for conflict in results.conflicts:
        stations = "、".join(map(org, conflict.stations))
        brokers = "、".join(map(org, conflict.brokers))
        person = f"{names.get(conflict.worker, '')} {mask_id_number(conflict.worker)}"
        lines.append(f"  {person} {conflict.year}年 工作站 {stations} / 中介 {brokers}")
    return "\n".join(lines) + "\n"
