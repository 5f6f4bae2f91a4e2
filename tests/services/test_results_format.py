"""The results document and its streamed form are the same JSON."""

from __future__ import annotations

import io
import json
from datetime import date

from zwdesk.services.calc_service import calculate, read_scenario_file
from zwdesk.services.resource_paths import examples_dir
from zwdesk.services.results_format import results_document, write_results_json


def test_streamed_json_equals_the_document() -> None:
    scenario = read_scenario_file(examples_dir() / "demo-station.json")
    results = calculate(scenario, date(2025, 12, 31))
    stream = io.StringIO()
    write_results_json(results, stream)
    streamed = json.loads(stream.getvalue())
    assert streamed == results_document(results)
    assert streamed["format"] == "zwdesk-results/1"
    assert len(streamed["transport"]) > 200
    assert all(row["explanation"] for row in streamed["transport"])


def test_an_explanation_reads_the_same_twice() -> None:
    scenario = read_scenario_file(examples_dir() / "demo-station.json")
    results = calculate(scenario, date(2025, 12, 31))
    row = results.transport[0]
    assert list(row.explanation) == list(row.explanation)
    assert row.explanation[0].startswith("第二项")
