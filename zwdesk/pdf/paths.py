"""Where the form templates and shipped fonts live: inside the package, or the source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _shipped(name: str) -> Path:
    # A wheel copies forms/ and resources/ into the package (pyproject force-include);
    # a source checkout has them at the top level.
    installed = _PACKAGE_DIR / name
    return installed if installed.is_dir() else _PACKAGE_DIR.parent / name


def forms_dir() -> Path:
    """`forms/`: one template file per printed form."""
    return _shipped("forms")


def shipped_fonts_dir() -> Path:
    """`resources/fonts/`: a CJK font the installer may ship (none in the checkout)."""
    return _shipped("resources") / "fonts"
