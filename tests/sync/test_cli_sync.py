"""`zwdesk sync enrol` and `zwdesk sync export` (in-process: the keychain is the test's)."""

from __future__ import annotations

from pathlib import Path

import keyring
import keyring.backends.fail
import pytest

from tests.sync.conftest import City, fill_demo, write_enrolment
from zwdesk.cli import main
from zwdesk.storage.database import open_station_database
from zwdesk.sync.bundle import open_bundle
from zwdesk.sync.keychain import Keychain


def test_enrol_then_export_a_bundle_for_a_usb_stick(
    tmp_path: Path, city: City, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "station.db"
    with open_station_database(database) as opened:
        fill_demo(opened)
    enrolment = write_enrolment(tmp_path / "enrol.json", city)
    assert main(["sync", "enrol", str(enrolment), "--db", str(database)]) == 0
    assert "已登记为站点 T1" in capsys.readouterr().out
    stick = tmp_path / "usb" / "T1.zwbundle"
    stick.parent.mkdir()
    assert main(["sync", "export", str(stick), "--db", str(database)]) == 0
    out = capsys.readouterr().out
    print(out)
    assert "已导出数据包" in out and "待发送" in out
    key = Keychain().signing_key("T1")
    assert key is not None
    manifest, records = open_bundle(stick.read_bytes(), city.private_key, {"T1": key.verify_key})
    assert records and manifest.station_id == "T1"
    with open_station_database(database) as opened:
        state = opened.connection.execute("SELECT state, sent_at FROM sync_outbox").fetchall()
    assert len(state) == 1 and state[0][0] == "已发送" and state[0][1]


def test_export_without_a_keychain_fails_clearly(
    tmp_path: Path, city: City, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "station.db"
    with open_station_database(database) as opened:
        fill_demo(opened)
    keyring.set_keyring(keyring.backends.fail.Keyring())
    enrolment = write_enrolment(tmp_path / "enrol.json", city)
    assert main(["sync", "enrol", str(enrolment), "--db", str(database)]) == 2
    assert "系统钥匙串不可用" in capsys.readouterr().err
    assert main(["sync", "export", str(tmp_path / "b"), "--db", str(database)]) == 2
    assert "尚未登记" in capsys.readouterr().err
    assert not (tmp_path / "b").exists()
