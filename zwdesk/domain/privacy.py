"""Masking of personal data (ID numbers, phones, names) wherever it is shown outside forms."""

from __future__ import annotations


def mask_id_number(number: str) -> str:
    """`640522********1234`: region and last four only (公示 style); a mistyped short number
    keeps even less."""
    if len(number) <= 6:
        return "*" * len(number)
    if len(number) <= 10:
        return number[:3] + "*" * (len(number) - 3)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(phone: str) -> str:
    """`138****5678`; a short (mistyped) number keeps only its first two digits."""
    digits = phone.strip()
    if len(digits) <= 4:
        return "*" * len(digits)
    if len(digits) < 8:
        return digits[:2] + "*" * (len(digits) - 2)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_name(name: str) -> str:
    """`马*明` for three characters, `马*` for two: the public-notice form."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
