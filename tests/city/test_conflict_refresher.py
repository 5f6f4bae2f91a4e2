"""The running service keeps the conflict list current: bundles in → the city re-analysed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.city.merged_city import YEAR_END, CityUnderTest, job, scenario, station_org, worker
from zwdesk.city.analysis import ITEM2_DOUBLE_CLAIM
from zwdesk.city.conflict_refresher import ConflictRefresher

W1 = worker(1, "马小兰")


def test_new_bundles_refresh_the_conflict_list_and_quiet_periods_do_nothing(
    tmp_path: Path, city_target: str
) -> None:
    city = CityUnderTest(tmp_path, city_target)
    try:
        for station in ("T1", "T2"):
            city.add_station(
                station,
                scenario(
                    [station_org(station)],
                    [W1],
                    [
                        job(
                            f"{station}P1",
                            W1,
                            station,
                            date(2025, 1, 10),
                            verified=date(2025, 8, 1),
                        )
                    ],
                ),
            )
        refresher = ConflictRefresher(city.database, interval=3600, today=lambda: YEAR_END)
        assert refresher.check() is not None  # the first round always analyses
        assert ITEM2_DOUBLE_CLAIM not in {row.conflict.kind for row in city.database.conflicts()}
        assert refresher.check() is None  # nothing arrived: no second analysis

        city.claim("T1", 2, "T1")
        city.claim("T2", 2, "T2")
        city.send()
        summary = refresher.check()
        assert summary is not None and summary.total >= 1
        kinds = {row.conflict.kind for row in city.database.conflicts("open")}
        assert ITEM2_DOUBLE_CLAIM in kinds
        notices = city.database.open_notices("T2")  # what T2's next receipt carries
        assert notices and all("马小兰" not in notice.message for notice in notices)
        assert refresher.check() is None
    finally:
        city.close()


def test_the_background_thread_stops_when_asked(tmp_path: Path, city_target: str) -> None:
    city = CityUnderTest(tmp_path, city_target)
    try:
        refresher = ConflictRefresher(city.database, interval=0.05, today=lambda: YEAR_END)
        refresher.start()
        refresher.stop(timeout=10)
        assert refresher._thread is not None and not refresher._thread.is_alive()
    finally:
        city.close()
