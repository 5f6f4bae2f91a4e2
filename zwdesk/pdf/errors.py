"""Errors of the printed forms (打印表单): a bad template, a missing CJK font."""

from __future__ import annotations


class FormError(Exception):
    """A claim form cannot be printed; the message says why, in Chinese, for the clerk."""


class TemplateError(FormError):
    """A template in forms/ is missing, misspelt or inconsistent."""


class FontNotFoundError(FormError):
    """No CJK TrueType font that reportlab can embed was found."""
