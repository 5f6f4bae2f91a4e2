"""Station database at city scale: lookups, bulk import and load_scenario + engine, with baselines.

    .venv/bin/python -m benchmarks.bench_storage [--scale 1.0] [--seed 1] [--city JSON] [--db PATH]

Builds a database of 220,000 workers and 300,000 placements (benchmarks/generate_city.py at
scale 1.0), then prints each measurement next to a baseline measured in the same run.
Targets: a worker lookup (full ID, ID prefix, name prefix) ≤ 20 ms; load_scenario + engine ≤ 5 s.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from zwdesk.domain.model import Scenario
from zwdesk.domain.scenario_parser import parse_scenario
from zwdesk.services.calc_service import calculate, read_scenario_file
from zwdesk.services.station_scenario_service import import_scenario
from zwdesk.storage.database import open_station_database
from zwdesk.storage.scenario_repository import load_scenario
from zwdesk.storage.worker_repository import WorkerRepository, worker_values

LOOKUPS = 300
LOOKUP_TARGET_MS = 20.0
LOAD_TARGET_S = 5.0


def _city(seed: int, scale: float, city: Path | None) -> Scenario:
    if city is not None:  # a scenario already written by generate_city.py --out
        return read_scenario_file(city)
    from benchmarks.generate_city import generate_city

    return parse_scenario(generate_city(seed=seed, scale=scale))


def _timed(action: Callable[[], Any]) -> tuple[float, Any]:
    began = time.perf_counter()
    result = action()
    return time.perf_counter() - began, result


def _median_ms(action: Callable[[str], Any], keys: Sequence[str]) -> float:
    times = []
    for key in keys:
        began = time.perf_counter()
        action(key)
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def _raw_insert_baseline(scenario: Scenario, directory: Path) -> float:
    """The same worker rows by bare executemany into an unconstrained table (no audit)."""
    connection = sqlite3.connect(directory / "raw.db", isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute(
        "CREATE TABLE workers (id INTEGER PRIMARY KEY, id_number, name, gender, phone,"
        " hukou_county, resident_county, rural, groups)"
    )
    rows = [tuple(worker_values(worker).values()) for worker in scenario.workers]
    began = time.perf_counter()
    connection.execute("BEGIN")
    connection.executemany("INSERT INTO workers VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    connection.execute("COMMIT")
    elapsed = time.perf_counter() - began
    connection.close()
    return elapsed


def _line(label: str, value: str, baseline_label: str, baseline: str, ratio: float) -> None:
    print(f"  {label:<38} {value:>12}   baseline {baseline_label}: {baseline:>10}   ×{ratio:.3g}")


def run(scale: float, seed: int, path: Path | None, city: Path | None) -> int:
    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(temporary)
        db_path = path or directory / "station.db"
        if db_path.exists():
            raise SystemExit(f"{db_path} exists; give a new path")
        generate_s, scenario = _timed(lambda: _city(seed, scale, city))
        source = str(city) if city else f"generate_city seed {seed}, scale {scale}"
        print(
            f"city ({source}): {len(scenario.workers):,} workers, "
            f"{len(scenario.placements):,} placements, {len(scenario.batches):,} batches, "
            f"{len(scenario.gig_records):,} gig records, {len(scenario.claims):,} claims "
            f"(generated and parsed in {generate_s:.1f} s)"
        )
        database = open_station_database(db_path)
        import_s, counts = _timed(lambda: import_scenario(database, scenario, actor="bench"))
        raw_s = _raw_insert_baseline(scenario, directory)
        print("\nbulk import (one transaction; checks, UUIDs, change numbers, audit log):")
        _line(
            "import_scenario, all records",
            f"{import_s:.2f} s",
            "raw executemany of workers only",
            f"{raw_s:.2f} s",
            import_s / raw_s,
        )
        reimport_s, again = _timed(lambda: import_scenario_again(database, scenario))
        print(
            f"  re-import of the same workers + placements: {reimport_s:.2f} s, "
            f"created {again[0]}, unchanged {again[1]}"
        )
        database.close()
        print(
            f"  (first import created {counts.workers.created:,} workers, "
            f"{counts.placements.created:,} placements)"
        )

        database = open_station_database(db_path)  # a cold-ish reopen, as the app would
        workers = WorkerRepository(database)
        rng = random.Random(seed)
        sample = rng.sample([worker.id_number for worker in scenario.workers], LOOKUPS)
        names = [worker.name[:2] for worker in rng.sample(list(scenario.workers), LOOKUPS)]
        scan_s, _ = _timed(
            lambda: database.connection.execute(
                "SELECT count(*) FROM workers WHERE phone IS NULL OR phone IS NOT NULL"
            ).fetchone()
        )
        scan_ms = scan_s * 1000
        full = _median_ms(workers.get, sample)
        prefix = _median_ms(lambda key: workers.find_by_id_prefix(key[:12]), sample)
        by_name = _median_ms(workers.find_by_name_prefix, names)
        print(f"\nworker lookups (median of {LOOKUPS}, target ≤ {LOOKUP_TARGET_MS:.0f} ms):")
        for label, value in (
            ("by full ID number", full),
            ("by ID prefix (12 digits, ≤50 rows)", prefix),
            ("by name prefix (2 characters, ≤50 rows)", by_name),
        ):
            flag = "OK" if value <= LOOKUP_TARGET_MS else "SLOW"
            _line(
                f"{label} {flag}",
                f"{value:.3f} ms",
                "full table scan",
                f"{scan_ms:.1f} ms",
                value / scan_ms,
            )

        raw_load_s, _ = _timed(
            lambda: (
                database.connection.execute("SELECT * FROM workers").fetchall(),
                database.connection.execute("SELECT * FROM placements").fetchall(),
            )
        )
        load_s, loaded = _timed(lambda: load_scenario(database))
        as_of = date(2026, 6, 30)
        engine_s, _ = _timed(lambda: calculate(loaded, as_of))
        database.close()
        total = load_s + engine_s
        flag = "OK" if total <= LOAD_TARGET_S else "SLOW"
        print(f"\ncalc --db (target load + engine ≤ {LOAD_TARGET_S:.0f} s):")
        _line(
            "load_scenario",
            f"{load_s:.2f} s",
            "raw fetchall workers+placements",
            f"{raw_load_s:.2f} s",
            load_s / raw_load_s,
        )
        _line(
            "policy engine",
            f"{engine_s:.2f} s",
            "load_scenario",
            f"{load_s:.2f} s",
            engine_s / load_s,
        )
        print(f"  load + engine {flag}: {total:.2f} s")
        print(f"  loaded scenario equals the one imported: {loaded == scenario}")
        size_mb = db_path.stat().st_size / 1e6
        print(f"\ndatabase file: {size_mb:.0f} MB")
    return 0


def import_scenario_again(database: Any, scenario: Scenario) -> tuple[int, int]:
    """Importing the same roster again must create nothing."""
    from zwdesk.storage.placement_repository import PlacementRepository

    with database.transaction("bench"):
        workers = WorkerRepository(database).upsert(scenario.workers)
        placements = PlacementRepository(database).upsert(scenario.placements)
    return workers.created + placements.created, workers.unchanged + placements.unchanged


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 220k workers (default)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", type=Path, help="keep the database here (a new file)")
    parser.add_argument("--city", type=Path, help="use this scenario JSON instead of generating")
    arguments = parser.parse_args(argv)
    return run(arguments.scale, arguments.seed, arguments.db, arguments.city)


if __name__ == "__main__":
    raise SystemExit(main())
