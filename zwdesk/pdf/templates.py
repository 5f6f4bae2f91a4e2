"""Form templates (forms/*.toml): a strict schema, so a misspelt key or placeholder is an error."""

from __future__ import annotations

import string
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from zwdesk.pdf.errors import TemplateError
from zwdesk.pdf.paths import forms_dir

FormKind = Literal["application", "roster", "notice"]
FORM_KINDS: tuple[FormKind, ...] = ("application", "roster", "notice")

# What a template may write in braces; filled from the frozen claim (see forms/README.md).
CLAIM_PLACEHOLDERS = frozenset(
    {
        "number",
        "item",
        "title",
        "organisation_name",
        "organisation_county",
        "contact",
        "year",
        "batch",
        "as_of",
        "frozen_at",
        "clause",
        "clause_quote",
        "policy_version",
        "total_figures",
        "total_words",
        "line_count",
        "digest",
    }
)
PAGE_PLACEHOLDERS = CLAIM_PLACEHOLDERS | {"page", "pages"}

ColumnSource = Literal[
    "index", "name", "name_masked", "id_number", "id_masked", "detail", "details", "amount",
    "signature", "subject",
]  # fmt: skip


def _check_placeholders(text: str, allowed: frozenset[str]) -> None:
    for _, field_name, spec, conversion in string.Formatter().parse(text):
        if field_name is None:
            continue
        if field_name not in allowed:
            raise ValueError(f"未知的占位符 {{{field_name}}}（可用：{'、'.join(sorted(allowed))}）")
        if spec or conversion:
            raise ValueError(f"占位符 {{{field_name}}} 不能带格式说明")


class _Strict(BaseModel):
    """Frozen; an unknown key is an error, never ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class _Text(_Strict):
    @model_validator(mode="after")
    def _placeholders(self) -> _Text:
        for name, value in self:
            texts = value if isinstance(value, tuple) else (value,)
            for text in texts:
                if isinstance(text, str):
                    page_text = name in {"header", "header_right", "footer"}
                    allowed = PAGE_PLACEHOLDERS if page_text else CLAIM_PLACEHOLDERS
                    _check_placeholders(text, allowed)
        return self


class PageSetup(_Text):
    """Paper, margins, type size, and the running header and footer of every page."""

    orientation: Literal["portrait", "landscape"] = "portrait"
    margin_mm: float = Field(default=15, ge=5, le=40)
    font_size: float = Field(default=10, ge=6, le=16)
    header: str
    header_right: str = "申领编号：{number}"
    footer: str = "第{page}页/共{pages}页"

    @model_validator(mode="after")
    def _numbered(self) -> PageSetup:
        running = self.header + self.header_right + self.footer
        if not all(f"{{{name}}}" in running for name in ("number", "page", "pages")):
            raise ValueError("页眉或页脚须含申领编号 {number} 和页码 {page}、{pages}")
        return self


class InfoField(_Text):
    """One label/value cell pair of the application's details grid."""

    label: str = Field(min_length=1)
    value: str


class ClauseBlock(_Text):
    """The clause the claim is made under."""

    label: str = Field(min_length=1)
    text: str = Field(min_length=1)


class LinesBlock(_Text):
    """What the application says about the claim's lines: each with its reason, or a summary."""

    mode: Literal["explain", "summary"]
    heading: str = Field(min_length=1)
    summary: str = ""
    headers: tuple[str, str, str, str] = ("序号", "对象", "金额（元）", "计算依据")


class AmountsBlock(_Text):
    """The claimed total in figures and in capitals (大写)."""

    figures_label: str = Field(min_length=1)
    figures: str = Field(min_length=1)
    words_label: str = Field(min_length=1)
    words: str = Field(min_length=1)


class Column(_Text):
    """A roster column: what it shows (source), its heading and its relative width."""

    source: ColumnSource
    header: str = ""
    detail: str | None = None
    width: float = Field(gt=0)
    align: Literal["left", "center", "right"] = "center"

    @model_validator(mode="after")
    def _detail_named(self) -> Column:
        if (self.source == "detail") != (self.detail is not None):
            raise ValueError('source = "detail" 必须且只有它可以写 detail = "标签"')
        if self.source != "details" and not self.header:
            raise ValueError(f"列 {self.source} 缺少 header")
        return self


class TableBlock(_Text):
    """The roster table: columns, row height (room to sign), and the total rows."""

    columns: tuple[Column, ...] = Field(min_length=2)
    row_height_mm: float = Field(default=8, ge=4, le=30)
    font_size: float = Field(default=9, ge=6, le=14)
    total_label: str = Field(min_length=1)
    total_words_label: str = Field(min_length=1)

    @model_validator(mode="after")
    def _one_amount(self) -> TableBlock:
        sources = [column.source for column in self.columns]
        if sources.count("amount") != 1:
            raise ValueError('表格须有且只有一列 source = "amount"（合计写在这一列）')
        if sources.count("details") > 1:
            raise ValueError('source = "details" 最多一列')
        return self


class Signature(_Text):
    """One sign-off box: who signs or stamps, and what is pre-printed in it."""

    label: str = Field(min_length=1)
    text: str = ""


class SignatureBlock(_Text):
    """Sign-off boxes (经办人 / 负责人 / 单位盖章 / 日期), laid out in a grid."""

    heading: str = ""
    per_row: int = Field(default=2, ge=1, le=4)
    height_mm: float = Field(default=22, ge=8, le=80)
    boxes: tuple[Signature, ...] = Field(min_length=1)


class FormTemplate(_Text):
    """One printed form of one item: an application (申请表), roster (花名册) or notice (公示)."""

    form: FormKind
    item: int = Field(ge=1, le=6)
    title: str = Field(min_length=1)
    subtitle: str = ""
    qr: bool
    qr_caption: str = ""
    page: PageSetup
    intro: tuple[str, ...] = ()
    fields: tuple[tuple[InfoField, ...], ...] = ()
    clause: ClauseBlock | None = None
    lines: LinesBlock | None = None
    amounts: AmountsBlock | None = None
    table: TableBlock | None = None
    declaration: tuple[str, ...] = ()
    signatures: SignatureBlock | None = None
    closing: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> FormTemplate:
        if "{title}" in self.title:
            raise ValueError("title 不能引用 {title} 自己")
        if any(not 1 <= len(row) <= 2 for row in self.fields):
            raise ValueError("fields 的每一行写 1 或 2 个字段")
        if self.form == "application":
            if self.amounts is None or self.lines is None:
                raise ValueError("申请表须有 [amounts] 和 [lines]")
            if self.table is not None:
                raise ValueError("申请表不带花名册表格（[table] 属于 roster/notice）")
        else:
            if self.table is None:
                raise ValueError(f"{self.form} 须有 [table]")
            sources = {column.source for column in self.table.columns}
            if self.form == "roster" and "signature" not in sources:
                raise ValueError('花名册须有本人签字列（source = "signature"）')
            if self.form == "notice":
                leaking = sources & {"name", "id_number", "subject", "signature"}
                if leaking:
                    raise ValueError(
                        f"公示名单只能用脱敏列（name_masked、id_masked），不能用：{'、'.join(sorted(leaking))}"
                    )
        return self


def template_path(item: int, kind: str, directory: Path | None = None) -> Path:
    """`forms/item{n}-{kind}.toml`."""
    return (directory or forms_dir()) / f"item{item}-{kind}.toml"


def _arrays_as_tuples(value: object) -> object:
    # TOML arrays arrive as lists; strict validation wants the tuples the schema declares.
    if isinstance(value, list):
        return tuple(_arrays_as_tuples(element) for element in value)
    if isinstance(value, dict):
        return {key: _arrays_as_tuples(element) for key, element in value.items()}
    return value


@lru_cache(maxsize=64)
def _load(path: Path) -> FormTemplate:
    try:
        with path.open("rb") as stream:
            document = tomllib.load(stream)
    except FileNotFoundError as error:
        raise TemplateError(f"找不到表单模板：{path}") from error
    except tomllib.TOMLDecodeError as error:
        raise TemplateError(f"表单模板 {path.name} 不是有效的 TOML：{error}") from error
    try:
        template = FormTemplate.model_validate(_arrays_as_tuples(document))
    except ValidationError as error:
        problems = "；".join(
            f"{'.'.join(str(part) for part in problem['loc']) or '（顶层）'}：{problem['msg']}"
            for problem in error.errors()
        )
        raise TemplateError(f"表单模板 {path.name} 有误：{problems}") from error
    if path.name != f"item{template.item}-{template.form}.toml":
        raise TemplateError(
            f'表单模板 {path.name} 写的是 item = {template.item}、form = "{template.form}"，'
            f"文件名应为 item{template.item}-{template.form}.toml"
        )
    return template


def load_template(item: int, kind: str, directory: Path | None = None) -> FormTemplate:
    """The validated template of one form; TemplateError if it is missing or wrong."""
    return _load(template_path(item, kind, directory).resolve())


def available_forms(item: int, directory: Path | None = None) -> list[str]:
    """The forms that can be printed for an item, in print order (application, roster, notice)."""
    return [kind for kind in FORM_KINDS if template_path(item, kind, directory).is_file()]
