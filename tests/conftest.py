"""Shared test setup: headless Qt, and helpers to build scenarios."""

from __future__ import annotations

import os

# Qt must never try to open a real display in tests (it aborts without one).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
