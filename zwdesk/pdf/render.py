"""Render a frozen claim through its form templates into one deterministic PDF."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from zwdesk.domain.claims import FrozenClaim
from zwdesk.domain.money import amount_in_words, format_yuan_grouped
from zwdesk.pdf.canvas import PAGE, PAGES, RunningText, SectionMark, numbered_canvas
from zwdesk.pdf.errors import FormError
from zwdesk.pdf.fonts import cjk_font
from zwdesk.pdf.qr import QrFlowable
from zwdesk.pdf.roster_table import HEADER_FILL, PADDING, roster_table
from zwdesk.pdf.templates import FormTemplate, available_forms, load_template

FormChoice = Literal["application", "roster", "notice", "all"]
QR_SIZE = 24 * mm
# Paragraph folds runs of whitespace (U+3000 included); the blanks in 年　　月　　日 are kept
# as non-breaking spaces as wide as one ideograph.
IDEOGRAPHIC_SPACE = "&nbsp;" * 3
LABEL_MIN = 22 * mm
LABEL_MAX = 45 * mm


def claim_values(claim: FrozenClaim, title: str) -> dict[str, str]:
    """What the templates' placeholders stand for (forms/README.md lists them)."""
    values = {
        "number": claim.number,
        "item": str(claim.item),
        "organisation_name": claim.organisation_name,
        "organisation_county": claim.organisation_county or "",
        "contact": claim.contact or "",
        "year": "" if claim.year is None else str(claim.year),
        "batch": claim.batch or "",
        "as_of": claim.as_of.isoformat(),
        "frozen_at": claim.frozen_at.strftime("%Y-%m-%d %H:%M"),
        "clause": claim.clause,
        "clause_quote": claim.clause_quote,
        "policy_version": claim.policy_version,
        "total_figures": format_yuan_grouped(claim.total),
        "total_words": amount_in_words(claim.total),
        "line_count": str(len(claim.lines)),
        "digest": claim.digest,
    }
    values["title"] = title.format_map(values)
    return values


class _Form:
    """Builds the flowables of one form; text sizes come from its template."""

    def __init__(self, claim: FrozenClaim, template: FormTemplate, font: str, width: float) -> None:
        self.claim = claim
        self.template = template
        self.font = font
        self.width = width
        self.values = claim_values(claim, template.title)
        size = template.page.font_size
        self.body = ParagraphStyle(
            "body", fontName=font, fontSize=size, leading=size * 1.5, wordWrap="CJK"
        )
        self.small = ParagraphStyle(
            "small", parent=self.body, fontSize=size * 0.75, leading=size * 0.95
        )
        self.title = ParagraphStyle(
            "title", parent=self.body, fontSize=size * 1.8, leading=size * 2.4, alignment=TA_CENTER
        )
        self.centred = ParagraphStyle("centred", parent=self.body, alignment=TA_CENTER)
        self.right = ParagraphStyle("right", parent=self.body, alignment=TA_RIGHT)

    def fill(self, text: str) -> str:
        return text.format_map(self.values)

    def para(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        """A paragraph of filled-in template text (escaped: names may contain & or <)."""
        markup = escape(self.fill(text)).replace("\n", "<br/>").replace("\u3000", IDEOGRAPHIC_SPACE)
        return Paragraph(markup, style or self.body)

    def grid_style(self, label_columns: tuple[int, ...]) -> list[Any]:
        style: list[Any] = [
            ("FONT", (0, 0), (-1, -1), self.font, self.body.fontSize),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), PADDING + 1),
            ("RIGHTPADDING", (0, 0), (-1, -1), PADDING + 1),
            ("TOPPADDING", (0, 0), (-1, -1), PADDING + 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), PADDING + 1),
        ]
        for column in label_columns:
            style.append(("BACKGROUND", (column, 0), (column, -1), HEADER_FILL))
        return style

    def flowables(self, section: int) -> list[Flowable]:
        template = self.template
        story: list[Flowable] = [SectionMark(section), self.heading()]
        story += [self.para(text) for text in template.intro]
        if template.intro:
            story.append(Spacer(0, 2 * mm))
        story += self.details()
        tail: list[Flowable] = []
        if template.table is not None:
            rows, totals = roster_table(self.claim, template.table, self.width, self.font)
            story.append(rows)
            tail.append(totals)
        tail += self.declaration()
        tail += self.signatures()
        if template.closing:
            tail.append(Spacer(0, 3 * mm))
            tail += [self.para(text) for text in template.closing]
        # Totals, declaration and sign-off boxes are never split from each other.
        story.append(KeepTogether(tail))
        return story

    def heading(self) -> Flowable:
        """Title and subtitle, with the digest's QR code at the right when the form has one."""
        template = self.template
        side = QR_SIZE + 3 * mm if template.qr else 0.0
        room = self.width - 2 * side
        title = self.fill(template.title)
        # One line when it fits at ≥ 1.3× body size; a long title wraps rather than shrinks more.
        size = self.title.fontSize
        natural = stringWidth(title, self.font, size)
        if natural > room:
            size = max(self.body.fontSize * 1.3, size * room / natural * 0.98)
        style = ParagraphStyle("fitted", parent=self.title, fontSize=size, leading=size * 1.35)
        titles: list[Flowable] = [Paragraph(escape(title), style)]
        if template.subtitle:
            titles.append(self.para(template.subtitle, self.centred))
        qr: list[Flowable] | str = ""
        if template.qr:
            qr = [QrFlowable(self.claim.digest, QR_SIZE)]
            if template.qr_caption:
                qr.append(self.para(template.qr_caption, self.small))
        block = Table(
            [["", titles, qr]],
            colWidths=[side, room, side],
            style=TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), self.font, self.body.fontSize),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
                ]
            ),
        )
        return block

    def label_width(self) -> float:
        """Wide enough for the longest label on one line, within [LABEL_MIN, LABEL_MAX]."""
        template = self.template
        labels = [field.label for row in template.fields for field in row]
        if template.clause is not None:
            labels.append(template.clause.label)
        if template.lines is not None:
            labels.append(template.lines.heading)
        if template.amounts is not None:
            labels += [template.amounts.figures_label, template.amounts.words_label]
        size = float(self.body.fontSize)
        widest = max((stringWidth(label, self.font, size) for label in labels), default=0.0)
        return float(min(max(widest + 2 * PADDING + 4, LABEL_MIN), LABEL_MAX))

    def details(self) -> list[Flowable]:
        """The bordered grid of an application: details, clause, lines, amounts."""
        template = self.template
        label_width = self.label_width()
        value_width = (self.width - 2 * label_width) / 2
        four = [label_width, value_width, label_width, value_width]
        story: list[Flowable] = []
        if template.fields:
            rows, style = [], self.grid_style((0, 2))
            for number, fields in enumerate(template.fields):
                row: list[Any] = []
                for field in fields:
                    row += [self.para(field.label), self.para(field.value)]
                if len(fields) == 1:
                    row += ["", ""]
                    style.append(("SPAN", (1, number), (3, number)))
                rows.append(row)
            story.append(Table(rows, colWidths=four, style=TableStyle(style)))
        two = [label_width, self.width - label_width]
        pairs: list[list[Any]] = []
        if template.clause is not None:
            pairs.append([self.para(template.clause.label), self.para(template.clause.text)])
        lines = template.lines
        if lines is not None and lines.mode == "summary":
            pairs.append([self.para(lines.heading), self.para(lines.summary)])
        if pairs:
            story.append(Table(pairs, colWidths=two, style=TableStyle(self.grid_style((0,)))))
        if lines is not None and lines.mode == "explain":
            story.append(self.explained_lines())
        if template.amounts is not None:
            amounts = template.amounts
            rows = [
                [self.para(amounts.figures_label), self.para(amounts.figures)],
                [self.para(amounts.words_label), self.para(amounts.words)],
            ]
            story.append(Table(rows, colWidths=two, style=TableStyle(self.grid_style((0,)))))
        return story

    def explained_lines(self) -> Table:
        """Each claim line with its amount and the reasons (计算依据) it is due."""
        lines = self.template.lines
        assert lines is not None
        widths = [self.label_width(), 12 * mm, 0.0, 30 * mm]
        widths[2] = self.width - sum(widths)
        number, subject, amount, reasons_header = lines.headers
        header = [
            self.para(lines.heading),
            self.para(number, self.centred),
            self.para(f"{subject}／{reasons_header}", self.centred),
            self.para(amount, self.centred),
        ]
        rows: list[list[Any]] = []
        for index, line in enumerate(self.claim.lines, start=1):
            reasons = "<br/>".join(escape(reason) for reason in line.explanation)
            name = escape(line.name)
            rows.append(
                [
                    "",
                    Paragraph(str(index), self.centred),
                    Paragraph(f"{name}<br/>{reasons}" if reasons else name, self.body),
                    Paragraph(format_yuan_grouped(line.amount), self.right),
                ]
            )
        style = self.grid_style(())
        style += [
            ("BACKGROUND", (0, 0), (0, -1), HEADER_FILL),
            ("BACKGROUND", (1, 0), (-1, 0), HEADER_FILL),
            ("SPAN", (0, 0), (0, -1)),
        ]
        return Table([header, *rows], colWidths=widths, repeatRows=1, style=TableStyle(style))

    def declaration(self) -> list[Flowable]:
        if not self.template.declaration:
            return []
        texts = [self.para(text) for text in self.template.declaration]
        box = Table([[texts]], colWidths=[self.width], style=TableStyle(self.grid_style(())))
        return [box]

    def signatures(self) -> list[Flowable]:
        """Sign-off boxes: label at the top, pre-printed text (年 月 日) at the bottom right."""
        block = self.template.signatures
        if block is None:
            return []
        story: list[Flowable] = [Spacer(0, 3 * mm)]
        if block.heading:
            story.append(self.para(block.heading))
        per_row = block.per_row
        width = self.width / per_row
        height = block.height_mm * mm
        rows: list[list[Any]] = []
        for start in range(0, len(block.boxes), per_row):
            row: list[Any] = []
            for box in block.boxes[start : start + per_row]:
                label = self.para(box.label)
                gap = height - 2 * self.body.leading - 4 * PADDING
                text = self.para(box.text, self.right) if box.text else Spacer(0, 0)
                row.append([label, Spacer(0, max(gap, 0)), text])
            row += [""] * (per_row - len(row))
            rows.append(row)
        style = [*self.grid_style(()), ("VALIGN", (0, 0), (-1, -1), "TOP")]
        table = Table(rows, colWidths=[width] * per_row, rowHeights=[height] * len(rows))
        table.setStyle(TableStyle(style))
        story.append(table)
        return story


def _kinds(claim: FrozenClaim, kind: str, forms_dir: Path | None) -> list[str]:
    available = available_forms(claim.item, forms_dir)
    if kind == "all":
        kinds = available
    elif kind in available:
        kinds = [kind]
    else:
        names = {"application": "申请表", "roster": "花名册", "notice": "公示名单"}
        offered = "、".join(names.get(k, k) for k in available) or "无"
        raise FormError(f"第{claim.item}项没有“{names.get(kind, kind)}”表单（可打印：{offered}）")
    if not kinds:
        raise FormError(f"第{claim.item}项没有任何表单模板")
    return kinds


def render_claim_pdf_bytes(
    claim: FrozenClaim,
    *,
    kind: FormChoice = "all",
    font_path: str | os.PathLike[str] | None = None,
    forms_dir: Path | None = None,
) -> bytes:
    """The PDF of a claim's forms: same claim, same templates, same font → same bytes."""
    font = cjk_font(font_path)
    templates = [
        load_template(claim.item, name, forms_dir) for name in _kinds(claim, kind, forms_dir)
    ]
    page_templates, running, story = [], [], []
    for section, template in enumerate(templates):
        page = template.page
        size = landscape(A4) if page.orientation == "landscape" else A4
        margin = page.margin_mm * mm
        width = size[0] - 2 * margin
        frame = Frame(margin, margin, width, size[1] - 2 * margin, 0, 0, 0, 0, id=f"f{section}")
        page_templates.append(PageTemplate(id=f"s{section}", frames=[frame], pagesize=size))
        values: Mapping[str, str] = {
            **claim_values(claim, template.title),
            "page": PAGE,
            "pages": PAGES,
        }
        running.append(
            RunningText(
                header_left=page.header.format_map(values),
                header_right=page.header_right.format_map(values),
                footer=page.footer.format_map(values),
                font_name=font,
                font_size=page.font_size * 0.85,
                margin=margin,
            )
        )
        if section:
            story += [NextPageTemplate(f"s{section}"), PageBreak()]
        story += _Form(claim, template, font, width).flowables(section)
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pageTemplates=page_templates,
        pagesize=page_templates[0].pagesize,
        invariant=1,  # fixed creation date and document id: same claim, same bytes
        initialFontName=font,  # no unembedded Helvetica in the page resources
        title=f"{claim_values(claim, templates[0].title)['title']} {claim.number}",
        author=claim.organisation_name,
        subject=claim.digest,
        creator="zwdesk",
        producer="zwdesk",
    )
    document.build(story, canvasmaker=numbered_canvas(running))
    return buffer.getvalue()


def render_claim_pdf(
    claim: FrozenClaim,
    path: str | os.PathLike[str],
    *,
    kind: FormChoice = "all",
    font_path: str | os.PathLike[str] | None = None,
    forms_dir: Path | None = None,
) -> Path:
    """Write the claim's forms to `path` (atomically: a failed print leaves no half file)."""
    data = render_claim_pdf_bytes(claim, kind=kind, font_path=font_path, forms_dir=forms_dir)
    target = Path(path)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".pdf.part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
