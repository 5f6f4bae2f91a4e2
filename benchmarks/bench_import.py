"""Benchmark: importing a 10,000-row .xlsx roster into a fresh station database, against a
baseline measured in the same run.

    .venv/bin/python benchmarks/bench_import.py [--rows N] [--runs R] [--profile] [--top K]

Lines printed (best of R runs, wall clock; CPU time in brackets):

- BASELINE read: openpyxl read_only → tuples (what any .xlsx import must do at least);
- BASELINE write: sqlite3 executemany of the same number of rows with the roster's column
  count into a fresh database (same pragmas as a station database), one transaction;
- BASELINE = read + write, best of each;
- read_roster: parse + validate every cell (zwdesk.services.roster);
- FULL IMPORT: RosterImportService.run into a fresh station database (read, validate, map
  组织者, upsert workers and placements with change numbers and an audit entry per record, one
  transaction) — the database is created and migrated before the clock starts.

The ratio FULL IMPORT / BASELINE is the figure to compare across commits (target ≤ 2×).
`--profile` runs the full import once more under cProfile and prints where the time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import itertools
import os
import pstats
import random
import sqlite3
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import openpyxl

from zwdesk.domain.model import Organisation, OrganisationKind
from zwdesk.domain.resident_id import make_resident_id
from zwdesk.services.roster import read_roster
from zwdesk.services.roster_import_service import ImportReport, RosterImportService
from zwdesk.storage.database import open_station_database
from zwdesk.storage.organisation_repository import OrganisationRepository

T = TypeVar("T")
TODAY = date(2025, 12, 31)
HEADER = [
    "序号",
    "姓名",
    "性别",
    "身份证号",
    "户籍地",
    "联系电话",
    "务工地点",
    "用工单位",
    "务工起始时间",
    "月工资",
    "是否签订劳动合同",
    "是否缴纳社保",
    "农村劳动力",
    "人员类别",
]
PLACES = [
    "江苏省苏州市吴中区",
    "江苏昆山",
    "新疆乌鲁木齐",
    "宁夏银川市兴庆区",
    "浙江义乌",
    "广东省深圳市南山区",
    "内蒙古鄂尔多斯",
    "上海浦东新区",
]
SURNAMES = "马李王张田杨刘海白丁"
GIVEN = "明兰强军花英福贵平安学文志红"
COUNTIES = [("640522", "海原县"), ("640521", "中宁县"), ("640502", "沙坡头区")]
STATION = Organisation("T1", OrganisationKind.STATION, "海原县驻苏州劳务工作站", "640522")


def generate(path: Path, rows: int, seed: int = 7) -> None:
    """A realistic roster: title row, header, `rows` people with varied cell spellings."""
    rng = random.Random(seed)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(["2025年海原县驻苏州工作站转移就业花名册"])
    sheet.append(HEADER)
    for number in range(1, rows + 1):
        code, county = rng.choice(COUNTIES)
        birth = date(1970, 1, 1) + timedelta(days=rng.randrange(12000))
        sequence = rng.randrange(1000)
        start = date(2025, 1, 1) + timedelta(days=rng.randrange(150))
        sheet.append(
            [
                number,
                rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2))),
                "男" if sequence % 2 else "女",
                make_resident_id(code, birth, sequence),
                county,
                f"13{rng.randrange(10**9):09d}",
                rng.choice(PLACES),
                f"用工单位{rng.randrange(300)}",
                start if number % 2 else f"{start.year}/{start.month}/{start.day}",
                rng.choice([4200, "4,500元", "3800", 5200.5]),
                rng.choice(["是", "否", "√"]),
                rng.choice(["是", "否"]),
                "是",
                rng.choice(["脱贫人口", "", "易地搬迁", "就业困难人员"]),
            ]
        )
    workbook.save(path)


# -- baseline -------------------------------------------------------------------------------------
def baseline_read(path: Path) -> list[tuple[Any, ...]]:
    """Read the file with openpyxl read_only into plain tuples."""
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = [tuple(row) for row in workbook.active.iter_rows(values_only=True)]
    workbook.close()
    return rows


def fresh_baseline_database(path: Path, columns: int) -> sqlite3.Connection:
    """A new file with one table of `columns` columns, the station database's pragmas."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL").fetchone()
    connection.execute("PRAGMA synchronous = NORMAL")
    column_list = ", ".join(f"c{index} TEXT" for index in range(columns))
    connection.execute(f"CREATE TABLE roster (id INTEGER PRIMARY KEY, {column_list})")
    return connection


def baseline_write(
    connection: sqlite3.Connection, rows: list[tuple[Any, ...]], columns: int
) -> int:
    """executemany of every row (padded to `columns`, dates as ISO text) in one transaction."""
    values = [
        tuple(
            value.isoformat() if isinstance(value, date | datetime) else value
            for value in (*row, *(None,) * (columns - len(row)))[:columns]
        )
        for row in rows
    ]
    connection.execute("BEGIN")
    connection.executemany(
        f"INSERT INTO roster ({', '.join(f'c{i}' for i in range(columns))})"
        f" VALUES ({', '.join('?' * columns)})",
        values,
    )
    connection.execute("COMMIT")
    return len(values)


# -- zwdesk ---------------------------------------------------------------------------------------
STAGES = (
    "read + validate + map 组织者",
    "upsert workers",
    "upsert placements",
    "audit flush + COMMIT + rejects file",
)


def full_import(path: Path, database_path: Path, stages: list[float] | None = None) -> ImportReport:
    """RosterImportService.run into the (already created) station database; `stages` gets
    the wall-clock time of each progress report (the service reports between stages)."""
    marks = stages if stages is not None else []

    def progress(done: int, total: int, text: str) -> None:
        marks.append(time.perf_counter())

    with open_station_database(database_path) as database:
        return RosterImportService(database, "benchmark", today=TODAY).run(
            path, rejects_path=database_path.with_suffix(".rejects.xlsx"), progress=progress
        )


def fresh_station_database(path: Path) -> Path:
    """Created, migrated and with its station profile set, before any clock starts."""
    with open_station_database(path) as database, database.transaction("benchmark"):
        OrganisationRepository(database).set_station_profile(STATION)
    return path


# -- timing ---------------------------------------------------------------------------------------
def timed(function: Callable[[], T]) -> tuple[float, float, T]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def best(times: list[tuple[float, float]]) -> tuple[float, float]:
    return min(wall for wall, _ in times), min(cpu for _, cpu in times)


def line(label: str, wall_cpu: tuple[float, float], note: str = "") -> str:
    wall, cpu = wall_cpu
    return f"{label:<34} {wall:7.3f} s  (CPU {cpu:6.3f} s)  {note}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile one full import")
    parser.add_argument("--top", type=int, default=25)
    options = parser.parse_args()
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    print(f"rows {options.rows}, best of {options.runs} runs, load average {load[0]:.2f}")

    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        path = folder / "roster.xlsx"
        seconds, _, _ = timed(lambda: generate(path, options.rows))
        print(f"generated in {seconds:.2f} s ({path.stat().st_size / 1e6:.1f} MB)")
        columns = len(HEADER)

        reads: list[tuple[float, float]] = []
        writes: list[tuple[float, float]] = []
        parses: list[tuple[float, float]] = []
        imports: list[tuple[float, float]] = []
        report: ImportReport | None = None
        written = 0
        plan_note = ""
        stage_seconds: list[float] = []
        for run in range(options.runs):
            wall, cpu, rows = timed(lambda: baseline_read(path))
            reads.append((wall, cpu))
            connection = fresh_baseline_database(folder / f"baseline{run}.db", columns)
            wall, cpu, written = timed(lambda: baseline_write(connection, rows, columns))  # noqa: B023
            connection.close()
            writes.append((wall, cpu))

            wall, cpu, plan = timed(lambda: read_roster(path, today=TODAY))
            parses.append((wall, cpu))
            plan_note = f"{plan.stats.valid} valid, {plan.stats.rejected} rejected"

            database_path = fresh_station_database(folder / f"station{run}.db")
            marks: list[float] = []
            wall, cpu, report = timed(lambda: full_import(path, database_path, marks))  # noqa: B023
            if not imports or wall < min(imports)[0]:
                stage_seconds = [later - earlier for earlier, later in itertools.pairwise(marks)]
            imports.append((wall, cpu))

        read_best, write_best = best(reads), best(writes)
        baseline = (read_best[0] + write_best[0], read_best[1] + write_best[1])
        full = best(imports)
        assert report is not None
        print(line("BASELINE read (openpyxl→tuples)", read_best))
        print(line("BASELINE write (executemany)", write_best, f"{written} rows × {columns} cols"))
        print(line("BASELINE (read + write)", baseline))
        print(line("read_roster (parse + validate)", best(parses), plan_note))
        print(
            line(
                "FULL IMPORT (RosterImportService)",
                full,
                f"workers +{report.workers.created}, placements +{report.placements.created}, "
                f"{report.rejected_rows} rejected",
            )
        )
        for label, seconds in zip(STAGES, stage_seconds, strict=True):
            print(f"  {label:<36} {seconds:7.3f} s  ({seconds / full[0]:4.0%})")
        ratio = full[0] / baseline[0]
        print(f"ratio FULL IMPORT / BASELINE: {ratio:.2f}× (CPU {full[1] / baseline[1]:.2f}×)")
        print(f"read_roster / BASELINE read: {best(parses)[0] / read_best[0]:.2f}×")
        print("target ≤ 2×:", "PASS" if ratio <= 2 else "MISS")

        if options.profile:
            database_path = fresh_station_database(folder / "profiled.db")
            profiler = cProfile.Profile()
            profiler.runcall(full_import, path, database_path)
            for order in ("cumulative", "tottime"):
                stream = io.StringIO()
                pstats.Stats(profiler, stream=stream).sort_stats(order).print_stats(options.top)
                print(f"\n-- cProfile of one full import, by {order} --")
                print(stream.getvalue().split("\n\n", 1)[-1].strip())


if __name__ == "__main__":
    main()
