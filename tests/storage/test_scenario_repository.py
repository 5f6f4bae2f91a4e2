"""load_scenario round-trip and `zwdesk calc --db` against `zwdesk calc` on the same facts."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from zwdesk import cli
from zwdesk.domain.model import Scenario
from zwdesk.services.calc_service import read_scenario_file
from zwdesk.services.resource_paths import examples_dir
from zwdesk.services.station_scenario_service import import_scenario, read_station_database
from zwdesk.storage.database import open_station_database
from zwdesk.storage.scenario_repository import load_scenario

DEMO = examples_dir() / "demo-station.json"


@pytest.fixture(scope="module")
def demo() -> Scenario:
    return read_scenario_file(DEMO)


@pytest.fixture
def demo_db(tmp_path: Path, demo: Scenario) -> Path:
    path = tmp_path / "demo.db"
    with open_station_database(path) as database:
        import_scenario(database, demo, actor="测试")
    return path


def test_load_scenario_equals_the_scenario_written(demo_db: Path, demo: Scenario) -> None:
    assert read_station_database(demo_db) == demo


def test_import_is_all_or_nothing(tmp_path: Path, demo: Scenario) -> None:
    path = tmp_path / "half.db"
    with open_station_database(path) as database:
        before = list(database.connection.iterdump())
        broken = Scenario(
            organisations=demo.organisations,
            workers=demo.workers,
            placements=demo.placements,
            batches=demo.batches + demo.batches,  # the second copy's codes clash
        )
        with pytest.raises(Exception, match="已存在"):
            import_scenario(database, broken)
        assert list(database.connection.iterdump()) == before
        assert load_scenario(database) == Scenario()


def calc(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    code = cli.main(["calc", *arguments])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("as_of", ["2025-06-30", "2025-12-31", "2026-12-31"])
def test_calc_db_gives_the_same_results_as_calc_on_the_file(
    demo_db: Path, capsys: pytest.CaptureFixture[str], as_of: str
) -> None:
    from_file = calc(capsys, str(DEMO), "--as-of", as_of)
    from_db = calc(capsys, "--db", str(demo_db), "--as-of", as_of)
    assert from_file[0] == from_db[0] == 0
    assert json.loads(from_db[1]) == json.loads(from_file[1])
    assert json.loads(from_db[1])["transport"]  # the demo really computes something


def test_calc_db_table_format(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from_file = calc(capsys, str(DEMO), "--as-of", "2025-12-31", "--format", "table")
    from_db = calc(capsys, "--db", str(demo_db), "--as-of", "2025-12-31", "--format", "table")
    assert from_db == from_file


def one_line_error(result: tuple[int, str, str]) -> str:
    code, out, err = result
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    return err


def test_calc_needs_exactly_one_source(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "二者之一" in one_line_error(calc(capsys, "--as-of", "2025-12-31"))
    both = calc(capsys, str(DEMO), "--db", str(demo_db), "--as-of", "2025-12-31")
    assert "二者之一" in one_line_error(both)


def test_calc_db_bad_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.db"
    assert "不存在" in one_line_error(calc(capsys, "--db", str(missing), "--as-of", "2025-12-31"))
    assert not missing.exists()  # nothing is written anywhere
    text = tmp_path / "notes.db"
    text.write_text("这不是数据库" * 200, encoding="utf-8")
    error = one_line_error(calc(capsys, "--db", str(text), "--as-of", "2025-12-31"))
    assert "不是 zwdesk 站点数据库" in error


def test_calc_db_on_a_newer_schema(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    connection = sqlite3.connect(demo_db)
    connection.execute("PRAGMA user_version = 999")
    connection.close()
    error = one_line_error(calc(capsys, "--db", str(demo_db), "--as-of", "2025-12-31"))
    assert "较新版本" in error


def test_personal_data_never_reaches_logging(
    tmp_path: Path, demo: Scenario, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    with open_station_database(tmp_path / "log.db") as database:
        import_scenario(database, demo)
        load_scenario(database)
    logged = caplog.text
    assert logged  # something was logged …
    for worker in demo.workers:  # … but no ID number and no name
        assert worker.id_number not in logged
        assert worker.name not in logged
