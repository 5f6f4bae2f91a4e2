"""The real `zwdesk calc` console command, run in a subprocess as a user would."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from zwdesk.domain.resident_id import make_resident_id, parse_resident_id
from zwdesk.services.resource_paths import examples_dir, policy_dir

DEMO = examples_dir() / "demo-station.json"
SECTIONS = (
    "station_tiers",
    "transport",
    "broker_rewards",
    "workshops",
    "batches",
    "gig",
    "conflicts",
)
FULL_ID = re.compile(r"(?<![0-9])\d{17}[\dX](?![0-9X])")
W1 = make_resident_id("640522", date(1990, 3, 7), 1)


def run(cwd: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(
        [sys.executable, "-m", "zwdesk", "calc", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        timeout=120,
        check=False,
    )


def listing(directory: Path) -> list[str]:
    return sorted(str(path.relative_to(directory)) for path in directory.rglob("*"))


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """An empty working directory; inputs live elsewhere so it must stay empty."""
    directory = tmp_path / "work"
    directory.mkdir()
    return directory


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    directory = tmp_path / "inputs"
    directory.mkdir()
    return directory


def scenario(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "format": "zwdesk-scenario/1",
        "organisations": [{"id": "T1", "kind": "station", "name": "驻苏州站", "county": "640522"}],
        "workers": [{"id_number": W1, "name": "马某", "hukou_county": "640522", "rural": True}],
        "placements": [
            {
                "id": "P1",
                "worker": W1,
                "organiser": "T1",
                "work_county": "320506",
                "start": "2025-03-01",
                "verified_through": "2025-12-31",
                "contract": True,
                "social_insurance": True,
                "monthly_wage": 4200,
            }
        ],
    }
    document.update(changes)
    return document


# --- the shipped example ----------------------------------------------------------------------


def test_demo_json_exits_0_with_all_seven_sections(workdir: Path) -> None:
    result = run(workdir, str(DEMO), "--as-of", "2025-12-31")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert document["format"] == "zwdesk-results/1"
    assert document["as_of"] == "2025-12-31"
    for section in SECTIONS:
        assert isinstance(document[section], list), section
    for section in SECTIONS[:-1]:
        assert document[section], f"the demo should exercise {section}"
        for row in document[section]:
            assert row["amount"] >= 0
            assert row["explanation"], (section, row)
            assert all(re.search(r"[\u4e00-\u9fff]", s) for s in row["explanation"])
    assert listing(workdir) == []


def test_demo_json_is_the_same_every_run(workdir: Path) -> None:
    first = run(workdir, str(DEMO), "--as-of", "2025-12-31")
    second = run(workdir, str(DEMO), "--as-of", "2025-12-31")
    assert first.returncode == second.returncode == 0
    assert first.stdout == second.stdout


def test_demo_json_amounts_depend_on_the_as_of_date(workdir: Path) -> None:
    early = json.loads(run(workdir, str(DEMO), "--as-of", "2025-01-31").stdout)
    late = json.loads(run(workdir, str(DEMO), "--as-of", "2025-12-31").stdout)
    total = {
        name: sum(row["amount"] for row in document["transport"])
        for name, document in (("early", early), ("late", late))
    }
    assert total["early"] < total["late"]


def test_demo_table_has_chinese_headings_and_masks_id_numbers(workdir: Path) -> None:
    result = run(workdir, str(DEMO), "--as-of", "2025-12-31", "--format", "table")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    table = result.stdout
    for heading in (
        "第一项",
        "第二项",
        "第三项",
        "第四项",
        "第五项",
        "第六项",
        "驻外劳务工作站",
        "一次性交通补贴",
        "劳务中介",
        "就业帮扶车间",
        "点对点",
        "零工",
    ):
        assert heading in table, heading
    assert "测算日期 2025-12-31" in table
    assert not FULL_ID.search(table), FULL_ID.search(table)
    demo = json.loads(DEMO.read_text(encoding="utf-8"))
    for worker in demo["workers"]:
        assert worker["id_number"] not in table
    assert re.search(r"\d{6}\*{8}[\dX]{4}", table), "masked IDs should still be shown"
    assert listing(workdir) == []


def test_table_and_json_agree_on_totals(workdir: Path) -> None:
    document = json.loads(run(workdir, str(DEMO), "--as-of", "2025-12-31").stdout)
    table = run(workdir, str(DEMO), "--as-of", "2025-12-31", "--format", "table").stdout
    transport_total = sum(row["amount"] for row in document["transport"])
    match = re.search(r"【第二项[^】]*】(\d+)条，应付合计 ([\d.]+) 元", table)
    assert match, table[:500]
    assert int(match.group(1)) == len(document["transport"])
    assert float(match.group(2)) == pytest.approx(transport_total)


def test_policy_directory_option_uses_a_later_file(workdir: Path, inputs: Path) -> None:
    policy = inputs / "policy"
    policy.mkdir()
    shipped = (policy_dir() / "2025-01-01.toml").read_text(encoding="utf-8")
    (policy / "2025-01-01.toml").write_text(shipped, encoding="utf-8")
    later = shipped.replace("effective_from = 2025-01-01", "effective_from = 2025-06-01")
    later = later.replace("cross_province = 800", "cross_province = 1000")
    (policy / "2025-06-01.toml").write_text(later, encoding="utf-8")
    path = inputs / "scenario.json"
    path.write_text(json.dumps(scenario(), ensure_ascii=False), encoding="utf-8")
    default = json.loads(run(workdir, str(path), "--as-of", "2025-12-31").stdout)
    changed = run(workdir, str(path), "--as-of", "2025-12-31", "--policy", str(policy))
    assert changed.returncode == 0, changed.stderr
    assert default["transport"][0]["amount"] == 800
    assert json.loads(changed.stdout)["transport"][0]["amount"] == 1000


# --- bad input: exit 2, one line on stderr, nothing on stdout, nothing written -----------------


def _write_json(inputs: Path, document: object) -> Path:
    path = inputs / "scenario.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def _bad_checksum(inputs: Path) -> tuple[list[str], list[str]]:
    bad = W1[:17] + ("0" if W1[17] != "0" else "1")
    document = scenario()
    document["workers"][0]["id_number"] = bad
    path = _write_json(inputs, document)
    return [str(path), "--as-of", "2025-12-31"], ["workers[0].id_number", f"末位应为{W1[17]}"]


def _unknown_kind(inputs: Path) -> tuple[list[str], list[str]]:
    document = scenario()
    document["organisations"][0]["kind"] = "agency"
    path = _write_json(inputs, document)
    return [str(path), "--as-of", "2025-12-31"], ["organisations[0]（T1）.kind", "agency"]


def _malformed_json(inputs: Path) -> tuple[list[str], list[str]]:
    path = inputs / "broken.json"
    path.write_text('{"format": "zwdesk-scenario/1",\n "workers": [,]}', encoding="utf-8")
    return [str(path), "--as-of", "2025-12-31"], ["broken.json", "第2行", "JSON"]


def _truncated_json(inputs: Path) -> tuple[list[str], list[str]]:
    path = inputs / "cut.json"
    path.write_text(json.dumps(scenario(), ensure_ascii=False)[:-40], encoding="utf-8")
    return [str(path), "--as-of", "2025-12-31"], ["cut.json", "JSON"]


def _impossible_as_of(inputs: Path) -> tuple[list[str], list[str]]:
    path = _write_json(inputs, scenario())
    return [str(path), "--as-of", "2025-02-30"], ["--as-of", "2025-02-30"]


def _as_of_not_iso(inputs: Path) -> tuple[list[str], list[str]]:
    path = _write_json(inputs, scenario())
    return [str(path), "--as-of", "20251231"], ["--as-of", "20251231"]


def _missing_file(inputs: Path) -> tuple[list[str], list[str]]:
    return [str(inputs / "nowhere.json"), "--as-of", "2025-12-31"], ["nowhere.json", "不存在"]


def _not_utf8(inputs: Path) -> tuple[list[str], list[str]]:
    path = inputs / "gbk.json"
    path.write_bytes(json.dumps(scenario(), ensure_ascii=False).encode("gbk"))
    return [str(path), "--as-of", "2025-12-31"], ["gbk.json", "UTF-8"]


def _unknown_worker(inputs: Path) -> tuple[list[str], list[str]]:
    document = scenario()
    document["placements"][0]["worker"] = make_resident_id("640522", date(1991, 1, 1), 9)
    path = _write_json(inputs, document)
    return [str(path), "--as-of", "2025-12-31"], ["placements[0]（P1）.worker"]


def _superscript_digit_id(inputs: Path) -> tuple[list[str], list[str]]:
    """str.isdigit() is True for '¹' but int('¹') fails: must still be a clean input error."""
    document = scenario()
    document["workers"][0]["id_number"] = W1[:16] + "\u00b9" + W1[17]
    path = _write_json(inputs, document)
    return [str(path), "--as-of", "2025-12-31"], ["workers[0].id_number"]


def _bad_policy_directory(inputs: Path) -> tuple[list[str], list[str]]:
    policy = inputs / "policy"
    policy.mkdir()
    shipped = (policy_dir() / "2025-01-01.toml").read_text(encoding="utf-8")
    (policy / "2025-01-01.toml").write_text(
        shipped.replace("cross_province = 800", "cross_provnce = 800"), encoding="utf-8"
    )
    path = _write_json(inputs, scenario())
    return (
        [str(path), "--as-of", "2025-12-31", "--policy", str(policy)],
        ["2025-01-01.toml", "transport.cross_provnce"],
    )


@pytest.mark.parametrize(
    "make_case",
    [
        _malformed_json,
        _truncated_json,
        _bad_checksum,
        _unknown_kind,
        _impossible_as_of,
        _as_of_not_iso,
        _missing_file,
        _not_utf8,
        _unknown_worker,
        _superscript_digit_id,
        _bad_policy_directory,
    ],
)
def test_bad_input_exits_2_with_one_line_naming_the_field(
    make_case: Any, workdir: Path, inputs: Path
) -> None:
    arguments, named = make_case(inputs)
    before_inputs = listing(inputs)
    result = run(workdir, *arguments)
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    for text in named:
        assert text in lines[0], (text, lines[0])
    assert re.search(r"[\u4e00-\u9fff]", lines[0])
    assert not FULL_ID.search(lines[0]), lines[0]
    assert listing(workdir) == []
    assert listing(inputs) == before_inputs


def test_every_demo_worker_id_is_valid_so_the_demo_is_a_fair_example() -> None:
    demo = json.loads(DEMO.read_text(encoding="utf-8"))
    for worker in demo["workers"]:
        parse_resident_id(worker["id_number"])
