"""Printed claim forms (申请表、花名册、公示名单): templates in forms/, rendered with reportlab."""

from zwdesk.pdf.errors import FontNotFoundError, FormError, TemplateError
from zwdesk.pdf.render import FormChoice, render_claim_pdf, render_claim_pdf_bytes
from zwdesk.pdf.templates import FORM_KINDS, available_forms, load_template

__all__ = [
    "FORM_KINDS",
    "FontNotFoundError",
    "FormChoice",
    "FormError",
    "TemplateError",
    "available_forms",
    "load_template",
    "render_claim_pdf",
    "render_claim_pdf_bytes",
]
