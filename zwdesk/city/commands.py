"""What `zwdesk city …` does: add a station (enrolment file), import a USB bundle, serve."""

from __future__ import annotations

import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from zwdesk.city.conflict_refresher import DEFAULT_INTERVAL_SECONDS, ConflictRefresher
from zwdesk.city.database import CityDatabase, StationRow, is_postgres_url
from zwdesk.city.errors import CityError, StationExistsError
from zwdesk.city.intake import VIA_FILE, CityIntake, IntakeResult
from zwdesk.city.keys import CityKeys, load_city_keys
from zwdesk.sync.enrolment import ENROLMENT_FORMAT, parse_enrolment
from zwdesk.sync.errors import BundleRefusedError, RefusalReason

_STATION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")
TOKEN_BYTES = 32


@dataclass(frozen=True, slots=True)
class AddedStation:
    station: StationRow
    enrolment_path: Path


def database_target(text: str) -> str | Path:
    """What `--db` names: a postgresql:// URL as it is, anything else as an SQLite file path
    (argparse type of the `zwdesk city` commands; a Path would fold the URL's //)."""
    return text if is_postgres_url(text) else Path(text)


def enrolment_document(
    station_id: str, city_url: str, keys: CityKeys, token: str
) -> dict[str, str]:
    """The zwdesk-enrolment/1 document (docs/sync-format.md) for one station."""
    return {
        "format": ENROLMENT_FORMAT,
        "station_id": station_id,
        "city_url": city_url,
        "city_public_key": keys.public_key_text,
        "city_verify_key": keys.verify_key_text,
        "token": token,
    }


def add_station(
    database: CityDatabase, station_id: str, name: str, city_url: str, out: Path
) -> AddedStation:
    """Create a station with a one-time token and write its enrolment file to `out`.

    The city's keys are generated in the keychain on the first station. Only the token's
    SHA-256 is kept in the database; the token itself is only in the enrolment file.
    """
    if not _STATION_ID.match(station_id):
        raise CityError(f"站点编号“{station_id}”无效：用字母、数字、- 或 _，最多 32 个字符")
    if not name.strip():
        raise CityError("站点名称不能为空")
    if not city_url.startswith(("https://", "http://")):
        raise CityError(f"市里地址应以 https:// 开头：{city_url}")
    if out.exists():
        raise CityError(f"{out} 已存在，不覆盖（登记文件含一次性令牌）")
    keys = load_city_keys(create=True)
    if database.station(station_id) is not None:
        raise StationExistsError(f"站点 {station_id} 已存在")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    document = enrolment_document(station_id, city_url, keys, token)
    data = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    parse_enrolment(data, out)  # the station's own reader accepts it
    try:
        descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
    except OSError as error:
        raise CityError(f"无法写入登记文件 {out}：{error.strerror or error}") from error
    try:
        station = database.add_station(station_id, name.strip(), city_url, token)
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    return AddedStation(station, out)


def import_bundle(database: CityDatabase, path: Path) -> IntakeResult:
    """Take a bundle file (USB stick) through the same intake as an upload."""
    intake = CityIntake(database, load_city_keys())
    limit = intake.limits.max_bundle_bytes
    try:
        size = path.stat().st_size
        if size > limit:  # refused without reading the file
            raise BundleRefusedError(
                RefusalReason.OVERSIZED, f"数据包被拒收：大小 {size} 字节，超过上限 {limit}"
            )
        data = path.read_bytes()
    except OSError as error:
        raise CityError(f"无法读取数据包 {path}：{error.strerror or error}") from error
    return intake.receive(data, via=VIA_FILE)


def receipt_path(bundle: Path) -> Path:
    """Where `zwdesk city import` writes the receipt by default: beside the bundle."""
    return bundle.with_name(bundle.name + ".receipt.json")


def serve(
    database: CityDatabase, host: str, port: int, analyse_every: float = DEFAULT_INTERVAL_SECONDS
) -> None:
    """Run the intake on uvicorn until interrupted (Ctrl+C); every `analyse_every` seconds
    (0: never) the conflict list is refreshed when bundles arrived meanwhile."""
    import uvicorn

    from zwdesk.city.server import create_app

    app = create_app(CityIntake(database, load_city_keys()))
    refresher = ConflictRefresher(database, analyse_every) if analyse_every > 0 else None
    if refresher is not None:
        refresher.start()
    try:
        uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False)
    finally:
        if refresher is not None:
            refresher.stop()
