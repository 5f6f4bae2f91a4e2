"""Benchmark of the printed forms (GitHub issue #5): a 1,000-row roster claim as PDF.

    .venv/bin/python benchmarks/bench_forms.py [--rows 1000] [--runs 5] [--font PATH]

Times `render_claim_pdf_bytes(claim, kind="roster")` — title, QR code of the digest, the
roster with its header on every page, totals in figures and 大写, signature blocks, running
header and 第x页/共y页 — and, in the same process, a BASELINE: a bare reportlab platypus
SimpleDocTemplate holding one Table (header row repeated) of the same cell strings in the same
font. The font is registered before either is timed (registration is printed on its own line).
Targets: best run ≤ 1.5 s and ≤ 1.5× the baseline's best run.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Callable
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.pdf.claim_builders import make_claim
from zwdesk.domain.claims import FrozenClaim
from zwdesk.pdf import render_claim_pdf_bytes
from zwdesk.pdf.fonts import cjk_font
from zwdesk.pdf.roster_table import format_figures

TARGET_SECONDS = 1.5
TARGET_RATIO = 1.5


def baseline_pdf(claim: FrozenClaim, font: str) -> bytes:
    """The same rows as a bare platypus table: no wrapping, totals, QR or page numbers."""
    rows = [["序号", "姓名", "身份证号", "务工地", "类别", "就业起始日", "金额（元）", "本人签字"]]
    for index, line in enumerate(claim.lines, start=1):
        details = [value for _, value in line.details]
        rows.append(
            [str(index), line.name, line.worker or "", *details, format_figures(line.amount), ""]
        )
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=landscape(A4), leftMargin=14 * mm, rightMargin=14 * mm, invariant=1
    )
    # Fixed column widths in the roster template's proportions, so neither side measures columns.
    weights = [3, 5, 11, 7, 7, 7, 6, 9]
    width = landscape(A4)[0] - 28 * mm
    widths = [width * weight / sum(weights) for weight in weights]
    table = Table(rows, colWidths=widths, repeatRows=1, rowHeights=9 * mm)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 9),
                ("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    document.build([table])
    return buffer.getvalue()


def timed(work: Callable[[], bytes]) -> tuple[float, bytes]:
    start = time.perf_counter()
    data = work()
    return time.perf_counter() - start, data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--font", default=None, help="CJK TrueType font (default: as zwdesk)")
    options = parser.parse_args(argv)

    start = time.perf_counter()
    font = cjk_font(options.font)
    print(f"font registration (once per process): {time.perf_counter() - start:.3f} s")
    claim = make_claim(2, options.rows)

    # Alternate so both see the same machine state; the best run of each is judged.
    roster_time = baseline_time = float("inf")
    roster = baseline = b""
    for _ in range(options.runs):
        seconds, roster = timed(
            lambda: render_claim_pdf_bytes(claim, kind="roster", font_path=options.font)
        )
        roster_time = min(roster_time, seconds)
        seconds, baseline = timed(lambda: baseline_pdf(claim, font))
        baseline_time = min(baseline_time, seconds)
    ratio = roster_time / baseline_time
    pages = roster.count(b"/Type /Page\n")
    print(f"rows: {options.rows}, runs: {options.runs} (best of each)")
    print(f"zwdesk roster PDF:     {roster_time:.3f} s  {len(roster):,} bytes  {pages} pages")
    print(f"bare platypus table:   {baseline_time:.3f} s  {len(baseline):,} bytes")
    print(f"ratio roster/baseline: {ratio:.2f}×")
    ok = roster_time <= TARGET_SECONDS and ratio <= TARGET_RATIO
    verdict = "OK" if ok else "MISSED"
    print(f"targets ≤ {TARGET_SECONDS} s and ≤ {TARGET_RATIO}×: {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
