"""`zwdesk city station add`, `zwdesk city import` (USB) and `zwdesk city serve`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import keyring
import keyring.backends.fail
import pytest

from tests.city.conftest import running_server
from tests.sync.conftest import fill_demo
from zwdesk.city.database import CityDatabase
from zwdesk.city.keys import load_city_keys
from zwdesk.cli import main
from zwdesk.services.sync_service import SyncService
from zwdesk.storage.database import open_station_database
from zwdesk.sync.enrolment import read_enrolment_file


def add_t1(tmp_path: Path, city_target: str) -> Path:
    enrolment = tmp_path / "T1.enrol.json"
    code = main(
        [
            "city",
            "station",
            "add",
            "T1",
            "--name",
            "沙坡头区劳务工作站",
            "--url",
            "https://sync.zhongwei.example/",
            "--out",
            str(enrolment),
            "--db",
            city_target,
        ]
    )
    assert code == 0
    return enrolment


def test_station_add_writes_an_enrolment_file_the_station_accepts(
    tmp_path: Path, city_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    enrolment = add_t1(tmp_path, city_target)
    assert "已登记站点 T1" in capsys.readouterr().out
    document = json.loads(enrolment.read_text(encoding="utf-8"))
    assert document["format"] == "zwdesk-enrolment/1" and document["station_id"] == "T1"
    assert enrolment.stat().st_mode & 0o077 == 0  # the token is for the station's eyes only
    parsed = read_enrolment_file(enrolment)
    database = CityDatabase(city_target)
    station = database.station("T1")
    assert station is not None and station.name == "沙坡头区劳务工作站"
    assert station.public_key is None  # registered later, with the token
    # The token itself is not in the city database, only its hash.
    if database.path is not None:
        assert parsed.token.encode() not in database.path.read_bytes()
    # The same id again is refused, and the first file is left alone.
    again = tmp_path / "again.json"
    arguments = ["city", "station", "add", "T1", "--name", "x", "--url", "https://c/"]
    assert main([*arguments, "--out", str(again), "--db", city_target]) == 2
    assert "已存在" in capsys.readouterr().err and not again.exists()


def test_a_usb_bundle_round_trip(
    tmp_path: Path, city_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    enrolment = add_t1(tmp_path, city_target)
    city_db = city_target
    with open_station_database(tmp_path / "station.db") as station:
        fill_demo(station)
        sync = SyncService(station)
        result = sync.enrol(enrolment)
        CityDatabase(city_db).register(
            "T1", read_enrolment_file(enrolment).token, result.station_public_key
        )
        stick = tmp_path / "T1.zwbundle"
        sealed = sync.export(stick)
        capsys.readouterr()
        assert main(["city", "import", str(stick), "--db", city_db]) == 0
        out = capsys.readouterr().out
        print(out)
        assert "已接收" in out
        receipt = stick.with_name("T1.zwbundle.receipt.json")
        first = receipt.read_bytes()
        # Again (the stick brought back twice): same receipt, nothing changes.
        counts = CityDatabase(city_db).counts()
        other = tmp_path / "again.json"
        assert main(["city", "import", str(stick), "--db", city_db, "--receipt", str(other)]) == 0
        assert "此前已接收" in capsys.readouterr().out
        assert other.read_bytes() == first and CityDatabase(city_db).counts() == counts
        entry = sync.mark_acknowledged(first)
        assert entry.state == "已确认" and sync.synced_through() == sealed.manifest.change_to
    # A tampered file is refused with its reason and stored nowhere.
    data = bytearray(stick.read_bytes())
    data[-50] ^= 0xFF
    bad = tmp_path / "bad.zwbundle"
    bad.write_bytes(bytes(data))
    assert main(["city", "import", str(bad), "--db", city_db]) == 2
    assert "无法解密" in capsys.readouterr().err
    assert CityDatabase(city_db).counts() == counts
    assert not bad.with_name("bad.zwbundle.receipt.json").exists()


def test_serve_runs_the_intake_with_the_keychains_keys(
    tmp_path: Path,
    city_target: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    add_t1(tmp_path, city_target)
    started: dict[str, Any] = {}

    def fake_run(app: Any, **options: Any) -> None:
        started.update(options, app=app)

    monkeypatch.setattr("uvicorn.run", fake_run)
    arguments = ["city", "serve", "--db", city_target, "--port", "18765"]
    assert main(arguments) == 0
    out = capsys.readouterr().out
    assert "http://127.0.0.1:18765/" in out
    password = urlsplit(city_target).password
    assert not password or f":{password}@" not in out  # a URL is shown without its password
    assert started["host"] == "127.0.0.1" and started["port"] == 18765
    with running_server(started["app"]) as url:
        response = httpx.post(f"{url}/v1/bundles", content=b"x", headers={"X-Zwdesk-Station": "T1"})
    assert response.status_code == 400 and response.json()["reason"] == "wrong-format"
    # The enrolment file carries the public halves of the keys the server works with.
    enrolment = read_enrolment_file(tmp_path / "T1.enrol.json")
    keys = load_city_keys()
    assert bytes(enrolment.city_public_key) == bytes(keys.private_key.public_key)
    assert bytes(enrolment.city_verify_key) == bytes(keys.signing_key.verify_key)


def test_without_city_keys_or_a_keychain_the_commands_say_so(
    tmp_path: Path, city_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    city_db = city_target
    bundle = tmp_path / "b.zwbundle"
    bundle.write_bytes(b"zwdesk-sealed/1\n")
    assert main(["city", "import", str(bundle), "--db", city_db]) == 2
    assert "钥匙串中没有市里的密钥" in capsys.readouterr().err
    assert main(["city", "serve", "--db", city_db]) == 2
    assert "钥匙串中没有市里的密钥" in capsys.readouterr().err
    keyring.set_keyring(keyring.backends.fail.Keyring())
    out = tmp_path / "T1.json"
    arguments = ["city", "station", "add", "T1", "--name", "n", "--url", "https://c/"]
    assert main([*arguments, "--out", str(out), "--db", city_db]) == 2
    assert "系统钥匙串不可用" in capsys.readouterr().err
    assert not out.exists() and CityDatabase(city_target).station("T1") is None
