"""Publishing a policy parameter file (发布政策参数): checked, signed, kept for every receipt.

`zwdesk city policy publish 2026-01-01.toml` checks the file with the same strict loader the
stations use, requires the file name to be its effective date (as resources/policy names them),
signs the exact bytes with the city's receipt key and stores them; every receipt signed from
then on carries every published file to the station it answers.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from zwdesk.city.database import CityDatabase
from zwdesk.city.errors import CityError
from zwdesk.city.keys import CityKeys, load_city_keys
from zwdesk.city.records import PolicyUpdateRow
from zwdesk.domain.policy.parameters import PolicyParameterError
from zwdesk.sync.policy_update import (
    MAX_POLICY_FILE_BYTES,
    MAX_POLICY_UPDATES,
    sign_policy_file,
)


def publish_policy_file(
    database: CityDatabase, path: Path, keys: CityKeys | None = None
) -> tuple[PolicyUpdateRow, bool]:
    """Check, sign and store one parameter file; (row, published). `published` is False when
    exactly this file was published before (nothing changes). CityError says what is wrong —
    for a bad file, the loader's message naming the file and the key."""
    try:
        if path.stat().st_size > MAX_POLICY_FILE_BYTES:
            raise CityError(f"政策参数文件 {path.name} 过大：上限 {MAX_POLICY_FILE_BYTES} 字节")
        content = path.read_bytes()
    except OSError as error:
        raise CityError(f"无法读取政策参数文件 {path}：{error.strerror or error}") from error
    keys = keys or load_city_keys()
    published_at = datetime.now(UTC).isoformat(timespec="seconds")
    try:
        update = sign_policy_file(path.name, content, keys.signing_key, published_at)
    except PolicyParameterError as error:
        raise CityError(str(error)) from None
    row = PolicyUpdateRow(
        name=update.name,
        effective_from=update.effective_from,
        content=update.content,
        signature=update.signature,
        published_at=update.published_at,
    )
    published = database.policy_updates()
    earlier = next((item for item in published if item.name == row.name), None)
    if earlier is not None:
        if earlier.content != row.content:
            raise CityError(
                f"生效日期 {row.effective_from} 的政策参数文件 {row.name} 已于"
                f" {earlier.published_at} 发布过内容不同的版本；已发给站点的文件不能更改，"
                "更正请以新的生效日期另行发布"
            )
        return earlier, False
    if len(published) >= MAX_POLICY_UPDATES:
        raise CityError(
            f"已发布 {len(published)} 个政策参数文件，达到上限 {MAX_POLICY_UPDATES}"
            "（每张回执都携带全部文件）"
        )
    database.publish_policy(row)
    return row, True
