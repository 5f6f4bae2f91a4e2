"""Load the dated policy parameter files (resources/policy/*.toml) into a schedule."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from zwdesk.domain.policy.parameters import (
    ParameterSet,
    PolicyParameterError,
    PolicySchedule,
    parse_parameter_set,
)
from zwdesk.services.resource_paths import policy_dir


def load_parameter_file(path: Path) -> ParameterSet:
    """Read and validate one parameter file; errors name the file and the key."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise PolicyParameterError(f"政策参数文件 {path.name} 不是有效的 TOML：{error}") from None
    return parse_parameter_set(data, path.name)


def load_schedule(paths: Iterable[Path]) -> PolicySchedule:
    """A schedule from explicit files (tests use this to add a later-dated file)."""
    return PolicySchedule(load_parameter_file(path) for path in paths)


def load_schedule_from(directory: Path) -> PolicySchedule:
    """Every `*.toml` in a directory."""
    return load_schedule(sorted(directory.glob("*.toml")))


@cache
def default_schedule() -> PolicySchedule:
    """The parameters shipped with zwdesk."""
    return load_schedule_from(policy_dir())
