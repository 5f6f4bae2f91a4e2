"""A large bundle's lines are checked and made into rows by a second process while the city
inserts: the same result, the same refusals, nothing stored when it fails."""

from __future__ import annotations

import json
import multiprocessing
from typing import NoReturn

import pytest

from tests.city.conftest import (
    CityServer,
    Station,
    assert_city_holds_station,
    register,
    upload,
)
from tests.city.test_fuzz_upload import forge, signing_key
from zwdesk.city import merge_rows


@pytest.fixture
def every_bundle_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every bundle goes to the worker process; rows made in this one would fail the test."""

    def not_here(*_: object) -> NoReturn:  # the worker process imports its own, unpatched
        raise AssertionError("the rows were made in the server's process")

    monkeypatch.setattr(merge_rows, "LINES_IN_WORKER", 1)
    monkeypatch.setattr(merge_rows, "row_batches", not_here)


@pytest.mark.usefixtures("every_bundle_elsewhere")
def test_the_worker_process_merges_every_record_once(server: CityServer, station: Station) -> None:
    register(server, station)
    sealed = station.sync.build()
    response = upload(server, sealed.data)
    assert response.status_code == 200, response.text
    assert_city_holds_station(server, station)
    worker = station.database.connection.execute(
        "SELECT uuid, name FROM workers LIMIT 1"
    ).fetchone()
    merged = {record.uuid: record for record in server.database.live_records(["workers"])}
    assert merged[worker[0]].data["name"] == worker[1]
    assert station.sync.mark_acknowledged(response.content).state == "已确认"


@pytest.mark.usefixtures("every_bundle_elsewhere")
def test_a_bad_line_found_by_the_worker_is_refused_and_nothing_is_stored(
    server: CityServer, station: Station
) -> None:
    register(server, station)
    before = server.database.counts(), server.database.record_versions()
    record = {"uuid": "u-1", "change_number": 1, "name": "马一"}
    line = json.dumps({"table": "workers", "record": record}, ensure_ascii=False).encode()
    data = forge(
        [line, line],  # the same record twice
        signing_key=signing_key("T1"),
        city_public_key=server.keys.private_key.public_key,
    )
    response = upload(server, data)
    assert response.status_code == 400, response.text
    assert response.json()["reason"] == "malformed"
    assert "第2行重复" in response.json()["error"]
    assert (server.database.counts(), server.database.record_versions()) == before
    assert multiprocessing.active_children() == []  # the worker is gone


def test_a_worker_that_dies_leaves_nothing_behind(
    server: CityServer, station: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker killed mid-way (out of memory, say): the merge is rolled back, the station is
    told to try again later, and the next upload goes through."""
    register(server, station)
    before = server.database.counts()
    monkeypatch.setattr(merge_rows, "LINES_IN_WORKER", 1)
    monkeypatch.setattr(merge_rows, "make_rows", _die)
    sealed = station.sync.build()
    response = upload(server, sealed.data)
    assert response.status_code == 503
    assert "请稍后重试" in response.json()["error"]
    assert server.database.counts() == before
    monkeypatch.undo()
    assert upload(server, sealed.data).status_code == 200


def _die(*_: object) -> None:
    raise SystemExit(3)
