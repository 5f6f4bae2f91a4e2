"""The `zwdesk calc` use case: read a scenario file, compute as of a date, render."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from zwdesk.domain.collector import collector_paused
from zwdesk.domain.model import Scenario
from zwdesk.domain.policy.engine import compute
from zwdesk.domain.policy.parameters import PolicySchedule
from zwdesk.domain.policy.results import Results
from zwdesk.domain.scenario_parser import ScenarioError, parse_scenario
from zwdesk.services.policy_files import default_schedule


def read_scenario_file(path: Path) -> Scenario:
    """Decode and check a `zwdesk-scenario/1` file; ScenarioError names what is wrong."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ScenarioError(str(path), "文件不存在") from None
    except UnicodeDecodeError:
        raise ScenarioError(str(path), "不是 UTF-8 编码的文本") from None
    except OSError as error:
        raise ScenarioError(str(path), f"无法读取：{error.strerror}") from None
    try:
        with collector_paused():
            document: Any = json.loads(text)
    except json.JSONDecodeError as error:
        raise ScenarioError(
            f"{path.name} 第{error.lineno}行第{error.colno}列", f"JSON 格式错误（{error.msg}）"
        ) from None
    del text  # the decoded document is enough; don't hold both at the peak
    with collector_paused():
        return parse_scenario(document)


def calculate(scenario: Scenario, as_of: date, schedule: PolicySchedule | None = None) -> Results:
    """Compute with the shipped parameters unless a schedule is given."""
    with collector_paused():
        return compute(scenario, as_of, schedule or default_schedule())


def display_names(scenario: Scenario) -> dict[str, str]:
    """Organisation and worker names by id, for the table view."""
    names = {organisation.id: organisation.name for organisation in scenario.organisations}
    names.update({worker.id_number: worker.name for worker in scenario.workers})
    return names
