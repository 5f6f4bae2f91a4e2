"""The city-scale station's initial bundle: build, upload to a real city server, ingest (#6 Speed).

    .venv/bin/python -m benchmarks.bench_ingest                       # SQLite city database
    .venv/bin/python -m benchmarks.bench_ingest --db postgresql://zwdesk:zwdesk@127.0.0.1/zwdesk_test
    .venv/bin/python -m benchmarks.bench_ingest --city benchmarks/out/city.json --station PATH

The station (220,000 workers, 300,000 placements: benchmarks/generate_city.py at scale 1.0) is
imported once into a template database (`--station`, default benchmarks/out/ingest-station.db,
reused by later runs). Each run then happens in a fresh Python process, so its peak memory is
the run's own: copy the template, enrol it with a new city, build the initial bundle
(`SyncService.build`), upload it over HTTP to uvicorn on 127.0.0.1 (in a thread, bundle limit
raised to 2 GiB) where the intake opens and merges it, and accept the receipt. Target: build +
upload + ingest + receipt ≤ 60 s. Baseline, measured in the same run: a raw `executemany` of the
same rows (records and audit entries, as the intake would write them) into a fresh city
database of the same schema, one transaction, no upsert. With `--db postgresql://…` the city
database is a fresh schema on that server (dropped afterwards).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

if __package__ in (None, ""):  # run as a script: make `zwdesk` importable from the checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

OUT = Path(__file__).resolve().parent / "out"
TARGET_S = 60.0
STATION_ID = "T1"
MAX_BUNDLE_BYTES = 2 * 1024 * 1024 * 1024


# -- the station template (once) -------------------------------------------------------------
def make_station(path: Path, city: Path | None, seed: int, scale: float) -> None:
    """Import the city scenario into a new station database at `path`."""
    from zwdesk.domain.scenario_parser import parse_scenario
    from zwdesk.services.calc_service import read_scenario_file
    from zwdesk.services.station_scenario_service import import_scenario
    from zwdesk.storage.database import open_station_database

    began = time.perf_counter()
    if city is not None:
        scenario = read_scenario_file(city)
        source = str(city)
    else:
        from benchmarks.generate_city import generate_city

        scenario = parse_scenario(generate_city(seed=seed, scale=scale))
        source = f"generate_city seed {seed}, scale {scale}"
    partial = path.with_name(path.name + ".part")
    partial.unlink(missing_ok=True)
    with open_station_database(partial) as database:
        import_scenario(database, scenario, actor="bench")
        database.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    partial.replace(path)
    print(
        f"station template {path}: {len(scenario.workers):,} workers, "
        f"{len(scenario.placements):,} placements from {source} "
        f"({time.perf_counter() - began:.0f} s, once; not part of the figures)"
    )


# -- the measured run (a child process) ------------------------------------------------------
def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _memory_keyring() -> None:
    """Keys in a dict: the benchmark must not touch the machine's keychain."""
    import keyring
    import keyring.backend

    class MemoryKeyring(keyring.backend.KeyringBackend):
        priority = 1

        def __init__(self) -> None:
            super().__init__()
            self.secrets: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.secrets.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.secrets[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.secrets.pop((service, username), None)

    keyring.set_keyring(MemoryKeyring())


@contextmanager
def city_target(db: str | None, directory: Path, name: str) -> Iterator[str]:
    """A new, empty city database: a file in `directory`, or a fresh schema on the server."""
    if not db:
        yield str(directory / f"{name}.db")
        return
    import psycopg

    schema = f"zwdesk_bench_{name}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(db, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    parts = urlsplit(db)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "options"]
    query.append(("options", f"-csearch_path={schema}"))
    try:
        yield urlunsplit(parts._replace(query=urlencode(query)))
    finally:
        with psycopg.connect(db, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


class Stopwatch:
    """Times calls of a wrapped function (the server's stages run in its worker threads)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.cpu = 0.0  # of the thread that ran it
        self.result: Any = None

    def wrap(self, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            began, cpu = time.perf_counter(), time.thread_time()
            try:
                self.result = function(*args, **kwargs)
                return self.result
            finally:
                self.seconds += time.perf_counter() - began
                self.cpu += time.thread_time() - cpu

        return timed


@dataclass(frozen=True)
class Stage:
    name: str
    wall: float
    cpu: float  # the process's (client stages) or the server thread's (parts of the ingest)
    peak_mb: float
    part: bool = False  # a part of the stage below it, not added to the total


def timed(name: str, action: Callable[[], Any]) -> tuple[Stage, Any]:
    began, cpu = time.perf_counter(), time.process_time()
    result = action()
    wall, cpu = time.perf_counter() - began, time.process_time() - cpu
    return Stage(name, wall, cpu, _peak_mb()), result


def raw_baseline(
    target: str, bundle_rows: tuple[Any, list[tuple[Any, ...]], list[Any]]
) -> tuple[float, float]:
    """(wall, CPU) seconds of a bare executemany of the same rows into a fresh city database
    (CPU: this process's; on PostgreSQL most of the work is the server's)."""
    from zwdesk.city.database import CityDatabase, is_postgres_url

    bundle, records, audits = bundle_rows
    CityDatabase(target).close()  # the same schema, created the same way
    insert_bundle = (
        "INSERT INTO bundles (id, station_id, change_from, change_to, payload_sha256,"
        " sealed_sha256, record_count, size, receipt, received_at, via)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )
    insert_station = (
        "INSERT INTO stations (id, name, city_url, token_sha256, created_at)"
        " VALUES (?, 'bench', 'http://127.0.0.1/', ?, '2025-01-01')"
    )
    insert_record = (
        "INSERT INTO records (table_name, uuid, station_id, change_number, deleted, data,"
        " bundle_id) VALUES (?, ?, ?, ?, ?, ?, ?)"
    )
    insert_audit = (
        "INSERT INTO audit_entries (station_id, id, change_number, data, bundle_id)"
        " VALUES (?, ?, ?, ?, ?)"
    )
    if is_postgres_url(target):
        import psycopg

        def pg(sql: str) -> str:
            return sql.replace("?", "%s")

        with psycopg.connect(target) as connection, connection.cursor() as cursor:
            cursor.execute(pg(insert_station), (STATION_ID, "0" * 64))
            cursor.execute(pg(insert_bundle), bundle)
            connection.commit()
            began, cpu = time.perf_counter(), time.process_time()
            cursor.executemany(pg(insert_record), records)
            cursor.executemany(pg(insert_audit), audits)
            connection.commit()
            return time.perf_counter() - began, time.process_time() - cpu
    import sqlite3

    connection = sqlite3.connect(target, isolation_level=None)
    try:
        connection.execute(insert_station, (STATION_ID, "0" * 64))
        connection.execute(insert_bundle, bundle)
        began, cpu = time.perf_counter(), time.process_time()
        connection.execute("BEGIN")
        connection.executemany(insert_record, records)
        connection.executemany(insert_audit, audits)
        connection.execute("COMMIT")
        return time.perf_counter() - began, time.process_time() - cpu
    finally:
        connection.close()


def bundle_rows(manifest: Any, records: Iterable[Any]) -> tuple[Any, list[Any], list[Any]]:
    """The rows the intake writes for this bundle (as zwdesk.city.database._merge makes them),
    in the bundle's order."""
    from zwdesk.sync.bundle import AUDIT_TABLE, record_json_text

    station, bundle_id = manifest.station_id, manifest.bundle_id
    rows: list[Any] = []
    audits: list[Any] = []
    for entry in records:
        record = entry.record
        data = record_json_text(record) if entry.text is None else entry.text
        if entry.table == AUDIT_TABLE:
            audits.append((station, record["id"], record["change_number"], data, bundle_id))
        else:
            deleted = 1 if record.get("deleted_at") else 0
            rows.append(
                (
                    entry.table,
                    record["uuid"],
                    station,
                    record["change_number"],
                    deleted,
                    data,
                    bundle_id,
                )
            )
    bundle = (
        bundle_id,
        station,
        manifest.change_from,
        manifest.change_to,
        manifest.payload_sha256,
        "0" * 64,
        manifest.record_count,
        0,
        b"receipt",
        "2025-01-01",
        "http",
    )
    return bundle, rows, audits


@contextmanager
def running_server(app: Any) -> Iterator[str]:
    """uvicorn on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    import socket
    import threading

    import uvicorn

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise SystemExit("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)
        listener.close()


def run(station_template: Path, db: str | None) -> int:
    """The measured run; prints the table."""
    import httpx

    import zwdesk.city.intake as intake_module
    from zwdesk.city.commands import add_station
    from zwdesk.city.database import CityDatabase
    from zwdesk.city.intake import CityIntake
    from zwdesk.city.keys import load_city_keys
    from zwdesk.city.server import create_app
    from zwdesk.services.sync_service import SyncService
    from zwdesk.storage.database import open_station_database
    from zwdesk.sync.bundle import BundleLimits, verify_bundle
    from zwdesk.sync.enrolment import read_enrolment_file

    _memory_keyring()
    stages: list[Stage] = []
    with tempfile.TemporaryDirectory(prefix="bench_ingest_") as temporary:
        directory = Path(temporary)
        station_path = directory / "station.db"
        shutil.copyfile(station_template, station_path)
        with (
            city_target(db, directory, "city") as target,
            CityDatabase(target) as city_db,
            open_station_database(station_path) as station,
        ):
            keys = load_city_keys(create=True)
            enrolment = directory / "T1.enrol.json"
            add_station(city_db, STATION_ID, "基准工作站", "http://127.0.0.1/", enrolment)
            sync = SyncService(station)
            enrolled = sync.enrol(enrolment)
            token = read_enrolment_file(enrolment).token
            opening, merging = Stopwatch(), Stopwatch()
            intake_module.verify_bundle = opening.wrap(intake_module.verify_bundle)  # type: ignore[assignment]
            city_db.store_bundle = merging.wrap(city_db.store_bundle)  # type: ignore[method-assign]
            limits = BundleLimits(max_bundle_bytes=MAX_BUNDLE_BYTES, max_payload_bytes=8 << 30)
            app = create_app(CityIntake(city_db, keys, limits))
            print(f"city database: {city_db.description} ({city_db.dialect})")
            with running_server(app) as url, httpx.Client(base_url=url, timeout=900) as client:
                registered = client.post(
                    f"/v1/stations/{STATION_ID}/register",
                    json={"token": token, "public_key": enrolled.station_public_key},
                )
                registered.raise_for_status()

                stage, sealed = timed("build (SyncService.build)", sync.build)
                stages.append(stage)
                stage, response = timed(
                    "upload + ingest (one HTTP request)",
                    lambda: client.post(
                        "/v1/bundles",
                        content=sealed.data,
                        headers={"X-Zwdesk-Station": STATION_ID},
                    ),
                )
                if response.status_code != 200:
                    raise SystemExit(f"upload refused: {response.status_code} {response.text}")
                rest = stage.wall - opening.seconds - merging.seconds
                rest_cpu = stage.cpu - opening.cpu - merging.cpu
                peak = stage.peak_mb
                stages += [
                    Stage(
                        "  open: decrypt, verify signature+hash",
                        opening.seconds,
                        opening.cpu,
                        peak,
                        True,
                    ),
                    Stage(
                        "  merge: check lines, store_bundle",
                        merging.seconds,
                        merging.cpu,
                        peak,
                        True,
                    ),
                    Stage("  HTTP transfer and the rest", rest, rest_cpu, peak, True),
                    stage,
                ]
                stage, entry = timed(
                    "receipt (mark_acknowledged)", lambda: sync.mark_acknowledged(response.content)
                )
                stages.append(stage)
            if entry.state != "已确认":
                raise SystemExit(f"receipt not accepted: {entry.state} {entry.reason}")
            manifest = opening.result.manifest
            counts = city_db.counts()
            # The rows the merge wrote, for the baseline (read again, not timed).
            verified = verify_bundle(
                sealed.data, keys.private_key, city_db.station_keys(), limits=limits
            )
            rows = bundle_rows(manifest, verified.records())
            del verified
        merged = sum(value for name, value in counts.items() if name.startswith("records."))
        total = sum(stage.wall for stage in stages if not stage.part)
        total_cpu = sum(stage.cpu for stage in stages if not stage.part)
        with city_target(db, directory, "raw") as raw:
            baseline, baseline_cpu = raw_baseline(raw, rows)

    print(
        f"initial bundle: {len(sealed.data) / 1e6:.1f} MB sealed, {manifest.record_count:,} lines"
        f" ({len(rows[1]):,} records, {len(rows[2]):,} audit entries); city now holds"
        f" {merged:,} records, {counts['audit_entries']:,} audit entries,"
        f" {counts['persons']:,} persons"
    )
    print(f"\n  {'stage':<38} {'wall s':>8} {'CPU s':>8} {'peak RSS':>10}")
    for stage in stages:
        print(f"  {stage.name:<38} {stage.wall:>8.2f} {stage.cpu:>8.2f} {stage.peak_mb:>7.0f} MB")
    verdict = "within" if total <= TARGET_S else "OVER"
    print(
        f"  {'total (build + upload/ingest + receipt)':<38} {total:>8.2f} {total_cpu:>8.2f}"
        f"   target ≤ {TARGET_S:.0f} s: {verdict}"
    )
    print(
        "  (CPU s: what a stage costs with the cores to itself — wall time grows when other"
        " processes share them)"
    )
    print(
        f"\n  peak memory of the run (station, server and client in one process):"
        f" {_peak_mb():.0f} MB"
    )
    print(
        f"  baseline: raw executemany of the same {len(rows[1]) + len(rows[2]):,} rows into the"
        f" same schema, one transaction: {baseline:.2f} s wall, {baseline_cpu:.2f} s CPU"
    )
    print(
        f"  merge (store_bundle) / baseline: ×{merging.seconds / baseline:.2f} wall,"
        f" ×{merging.cpu / baseline_cpu:.2f} CPU"
    )
    ingest, ingest_cpu = opening.seconds + merging.seconds, opening.cpu + merging.cpu
    print(
        f"  ingest (open + merge) / baseline: ×{ingest / baseline:.2f} wall,"
        f" ×{ingest_cpu / baseline_cpu:.2f} CPU"
    )
    return 0 if total <= TARGET_S else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", metavar="postgresql://…", help="city database on PostgreSQL")
    parser.add_argument(
        "--station",
        type=Path,
        default=OUT / "ingest-station.db",
        help="station template (made from the city scenario when missing)",
    )
    parser.add_argument("--city", type=Path, help="scenario JSON (default: generate it)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        return run(arguments.station, arguments.db)
    if not arguments.station.exists():
        arguments.station.parent.mkdir(parents=True, exist_ok=True)
        make_station(arguments.station, arguments.city, arguments.seed, arguments.scale)
    # A fresh process for the measured run: its peak memory is the run's own.
    command = [sys.executable, "-m", "benchmarks.bench_ingest", "--child"]
    command += ["--station", str(arguments.station)]
    if arguments.db:
        command += ["--db", arguments.db]
    root = Path(__file__).resolve().parent.parent
    return subprocess.run(command, cwd=root, check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main())
