"""Facts about parsed JSON values (the station's audit feed reads its stored JSON with them)."""

from __future__ import annotations

from typing import Any


def holds_float(value: Any) -> bool:
    """A float anywhere in a parsed JSON value.

    orjson reads every JSON text as `json` does except one way: an integer beyond 64 bits
    comes out as a float. Records hold text and integers, so a float is rare; where one shows
    up, the reader parses the text again with `json`, which keeps such integers exact. The
    types of a container's items are gathered in C (set(map(type, …))): a flat record is
    cleared without a Python step per value."""
    if type(value) is dict:
        items: Any = value.values()
    elif type(value) is list:
        items = value
    else:
        return type(value) is float
    kinds = set(map(type, items))
    if float in kinds:
        return True
    if dict in kinds or list in kinds:
        return any(holds_float(item) for item in items if type(item) in (dict, list))
    return False
