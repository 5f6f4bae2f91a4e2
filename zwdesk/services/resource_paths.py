"""Where shipped resources live: inside the installed package, or the source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    """`resources/` — in a wheel it is copied into the package, in a checkout it is top-level."""
    installed = _PACKAGE_DIR / "resources"
    return installed if installed.is_dir() else _PACKAGE_DIR.parent / "resources"


def policy_dir() -> Path:
    """The dated policy parameter files."""
    return resources_dir() / "policy"


def examples_dir() -> Path:
    """Shipped example scenarios."""
    return resources_dir() / "examples"
