"""Results as the `zwdesk-results/1` JSON document of CALC.md, and as a table for people."""

from __future__ import annotations

from typing import Any

from zwdesk.domain.money import fen_to_number, format_yuan
from zwdesk.domain.policy.results import NextStep, PendingQualification, Results
from zwdesk.domain.privacy import mask_id_number

RESULTS_FORMAT = "zwdesk-results/1"


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


def results_document(results: Results) -> dict[str, Any]:
    """The CALC.md output document (fixed keys, plus entitlement/claimed and projections)."""
    money = fen_to_number
    return {
        "format": RESULTS_FORMAT,
        "as_of": results.as_of.isoformat(),
        "station_tiers": [
            {
                "organisation": row.organisation,
                "year": row.year,
                "count": row.count,
                "amount": money(row.amount),
                "entitlement": money(row.entitlement),
                "claimed": money(row.claimed),
                "next_tier": _next(row.next_tier),
                "pending": _pending(row.pending),
                "explanation": list(row.explanation),
            }
            for row in results.station_tiers
        ],
        "transport": [
            {
                "worker": row.worker,
                "year": row.year,
                "amount": money(row.amount),
                "kind": row.kind,
                "entitlement": money(row.entitlement),
                "claimed": money(row.claimed),
                "placement": row.placement,
                "claims": list(row.claims),
                "explanation": list(row.explanation),
            }
            for row in results.transport
        ],
        "broker_rewards": [
            {
                "organisation": row.organisation,
                "year": row.year,
                "count": row.count,
                "amount": money(row.amount),
                "entitlement": money(row.entitlement),
                "claimed": money(row.claimed),
                "workers": [
                    {
                        "worker": worker.worker,
                        "amount": money(worker.amount),
                        "qualifies": worker.qualifies,
                        "stable_months": worker.stable_months,
                        "entitlement": money(worker.entitlement),
                        "claimed": money(worker.claimed),
                        "placement": worker.placement,
                        "explanation": list(worker.explanation),
                    }
                    for worker in row.workers
                ],
                "next_tier": _next(row.next_tier),
                "pending": _pending(row.pending),
                "explanation": list(row.explanation),
            }
            for row in results.broker_rewards
        ],
        "workshops": [
            {
                "organisation": row.organisation,
                "count": row.count,
                "amount": money(row.amount),
                "entitlement": money(row.entitlement),
                "claimed": money(row.claimed),
                "next_tier": _next(row.next_tier),
                "explanation": list(row.explanation),
            }
            for row in results.workshops
        ],
        "batches": [
            {
                "batch": row.batch,
                "organisation": row.organisation,
                "eligible": row.eligible,
                "kind": row.kind,
                "amount": money(row.amount),
                "entitlement": money(row.entitlement),
                "claimed": money(row.claimed),
                "explanation": list(row.explanation),
            }
            for row in results.batches
        ],
        "gig": [
            {
                "organisation": row.organisation,
                "year": row.year,
                "count": row.count,
                "amount": money(row.amount),
                "entitlement": money(row.entitlement),
                "claimed": money(row.claimed),
                "explanation": list(row.explanation),
            }
            for row in results.gig
        ],
        "conflicts": [
            {
                "worker": row.worker,
                "year": row.year,
                "items": list(row.items),
                "stations": list(row.stations),
                "brokers": list(row.brokers),
                "explanation": list(row.explanation),
            }
            for row in results.conflicts
        ],
    }


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
