"""Window benchmarks on a city-scale database (issue #4): start-up beside a bare QMainWindow,
search keystroke latency, paged fetching when scrolling to the end, peak RSS.

    .venv/bin/python benchmarks/bench_ui.py            # builds benchmarks/out/city.db if missing

The dashboard's subsidy computation runs on a worker thread (TaskRunner); it is not waited for.
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication, QMainWindow

from benchmarks.generate_city import generate_city
from zwdesk.app import build_main_window, make_application
from zwdesk.domain.scenario_parser import parse_scenario
from zwdesk.services.station_scenario_service import import_scenario
from zwdesk.storage.database import open_station_database
from zwdesk.ui.settings import open_settings

CITY_DB = Path(__file__).resolve().parent / "out" / "city.db"
KEYSTROKES = ["马", "马华", "马华涛", "王", "李", "6", "64", "6405", "640522", "6405221975"]
KEYSTROKES += ["13", "139"]


def ensure_city_database(path: Path) -> None:
    if path.exists():
        return
    print(f"building {path} (generate + import, about a minute)…", flush=True)
    partial = path.with_suffix(".part")
    partial.unlink(missing_ok=True)
    scenario = parse_scenario(generate_city(seed=1, scale=1.0))
    with open_station_database(partial) as database:
        import_scenario(database, scenario, "benchmark")
        profile = scenario.organisations[0]
        from zwdesk.services.station_profile_service import StationProfileService

        StationProfileService(database, "benchmark").use_existing(profile.id)
        database.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    partial.rename(path)


def settle(application: QApplication) -> None:
    for _ in range(3):
        application.processEvents()


def main() -> int:
    ensure_city_database(CITY_DB)
    application = make_application()
    settings_file = Path(__file__).resolve().parent / "out" / "bench_ui_settings.ini"
    settings_file.unlink(missing_ok=True)

    start = time.perf_counter()
    bare = QMainWindow()
    bare.resize(1200, 760)
    bare.show()
    settle(application)
    bare_seconds = time.perf_counter() - start
    bare.close()

    start = time.perf_counter()
    database = open_station_database(CITY_DB)
    window = build_main_window(database, open_settings(settings_file))
    window.resize(1200, 760)
    window.show()
    window.show_page(1)
    settle(application)
    window_seconds = time.perf_counter() - start
    view = window.workers_view  # type: ignore[attr-defined]
    total_workers = view.model.total()

    latencies = []
    for text in KEYSTROKES * 3:
        begin = time.perf_counter()
        view.search_box.setText(text)
        settle(application)
        latencies.append(time.perf_counter() - begin)
    view.search_box.setText("")
    settle(application)

    for _ in range(20):  # End key / dragging the scrollbar to the bottom, twenty times
        view.table.scrollToBottom()
        settle(application)
    fetched = view.model.fetched
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"database: {CITY_DB} ({CITY_DB.stat().st_size / 1e6:.0f} MB, {total_workers:,} workers)")
    print(
        f"window start: {window_seconds * 1000:.0f} ms (open database + build + show);"
        f" bare QMainWindow: {bare_seconds * 1000:.0f} ms;"
        f" ratio {window_seconds / bare_seconds:.1f}×"
    )
    print(
        f"search keystroke → table updated: median {statistics.median(latencies) * 1000:.1f} ms,"
        f" max {max(latencies) * 1000:.1f} ms over {len(latencies)} keystrokes (target ≤ 100 ms)"
    )
    print(
        f"scrolled to the end 20×: {fetched:,} rows fetched of {total_workers:,}"
        f" ({fetched / total_workers:.1%}) — pages read on demand, not the whole table"
    )
    print(f"peak RSS: {peak_rss_mb:.0f} MB (target ≤ 400 MB)")
    sys.stdout.flush()
    # The dashboard may still be computing on its worker thread: do not wait for it.
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main())
