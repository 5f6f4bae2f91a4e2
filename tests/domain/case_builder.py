"""Expand the compact boundary-case files of tests/domain/cases/ into real scenarios.

See tests/domain/cases/README.md for the format. In short:

- a file may hold a `base` scenario fragment whose sections are prepended to every case's
  scenario, and a default `as_of`;
- `scenario.generate` is a list of generator blocks, each producing `count` workers (aliases
  `@<prefix>0` … `@<prefix><count-1>`) with placements, gig records, batch passengers and claims
  copied from templates;
- any string of the form `@name` (anywhere in the scenario, `expect` or `absent`) is a worker
  alias and becomes a valid 18-digit resident ID built with `make_resident_id`.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from zwdesk.domain.resident_id import make_resident_id

SCENARIO_FORMAT = "zwdesk-scenario/1"
SECTIONS = ("organisations", "workers", "placements", "batches", "gig_records", "claims")
DEFAULT_ID_REGION = "640522"
_FIRST_BIRTH = date(1960, 1, 1)
_GENERATOR_KEYS = frozenset(
    {"prefix", "count", "id_region", "worker", "placements", "gig_records", "passengers", "claims"}
)
_CASE_KEYS = frozenset(
    {"name", "rule", "as_of", "scenario", "expect", "absent", "row_counts", "note", "notes"}
)


class CaseFormatError(ValueError):
    """A case file that does not follow tests/domain/cases/README.md."""


@dataclass
class Aliases:
    """`@name` → resident ID; each new alias gets its own birth date, so IDs never collide."""

    numbers: dict[str, str] = field(default_factory=dict)

    def define(self, alias: str, region: str = DEFAULT_ID_REGION) -> str:
        if alias not in self.numbers:
            serial = len(self.numbers)
            birth = _FIRST_BIRTH + timedelta(days=serial)
            self.numbers[alias] = make_resident_id(region, birth, serial % 1000)
        return self.numbers[alias]

    def resolve(self, value: Any, *, strict: bool) -> Any:
        """Replace every `@alias` string; `strict` refuses aliases the scenario never defined."""
        if isinstance(value, str) and value.startswith("@"):
            if strict and value not in self.numbers:
                raise CaseFormatError(f"alias {value} is used in expect/absent but not defined")
            return self.define(value)
        if isinstance(value, list):
            return [self.resolve(item, strict=strict) for item in value]
        if isinstance(value, dict):
            return {key: self.resolve(item, strict=strict) for key, item in value.items()}
        return value


@dataclass
class BuiltCase:
    """One case, ready to run: a plain `zwdesk-scenario/1` document and resolved expectations."""

    file: str
    name: str
    rule: str
    as_of: date
    scenario: dict[str, Any]
    expect: dict[str, list[dict[str, Any]]]
    absent: dict[str, list[dict[str, Any]]]
    row_counts: dict[str, int]
    aliases: dict[str, str]

    @property
    def test_id(self) -> str:
        return f"{self.file}::{self.name}"


def _expand_generator(block: dict[str, Any], scenario: dict[str, Any], aliases: Aliases) -> None:
    unknown = set(block) - _GENERATOR_KEYS
    if unknown:
        raise CaseFormatError(f"unknown generator keys {sorted(unknown)}")
    prefix = block["prefix"]
    count = block["count"]
    region = block.get("id_region", DEFAULT_ID_REGION)
    batches = {batch["id"]: batch for batch in scenario["batches"]}
    for index in range(count):
        alias = f"@{prefix}{index}"
        if alias in aliases.numbers:
            raise CaseFormatError(f"generator prefix {prefix!r} reuses alias {alias}")
        number = aliases.define(alias, region)
        if block.get("worker") is not None:
            worker = copy.deepcopy(block["worker"])
            worker["id_number"] = number
            worker.setdefault("name", f"{prefix}{index}")
            scenario["workers"].append(worker)
        for position, template in enumerate(block.get("placements", [])):
            placement = copy.deepcopy(template)
            placement["id"] = f"{prefix}{index}-P{position}"
            placement["worker"] = number
            scenario["placements"].append(placement)
        for template in block.get("gig_records", []):
            record = copy.deepcopy(template)
            record["worker"] = number
            scenario["gig_records"].append(record)
        for template in block.get("passengers", []):
            passenger = copy.deepcopy(template)
            batch_id = passenger.pop("batch")
            if batch_id not in batches:
                raise CaseFormatError(f"generator {prefix!r}: no batch {batch_id!r}")
            passenger["worker"] = number
            batches[batch_id].setdefault("passengers", []).append(passenger)
        for template in block.get("claims", []):
            claim = copy.deepcopy(template)
            claim["worker"] = number
            scenario["claims"].append(claim)


def build_scenario(
    base: dict[str, Any], scenario_in: dict[str, Any], aliases: Aliases
) -> dict[str, Any]:
    """Merge the file's base fragment, expand generators, resolve aliases."""
    scenario: dict[str, Any] = {"format": SCENARIO_FORMAT}
    for section in SECTIONS:
        scenario[section] = copy.deepcopy(base.get(section, [])) + copy.deepcopy(
            scenario_in.get(section, [])
        )
    unknown = set(scenario_in) - set(SECTIONS) - {"generate", "format"}
    if unknown:
        raise CaseFormatError(f"unknown scenario keys {sorted(unknown)}")
    # Generators first: explicit records may then refer to generated aliases (`@s0`).
    for block in scenario_in.get("generate", []):
        _expand_generator(block, scenario, aliases)
    return aliases.resolve(scenario, strict=False)


def load_case_file(path: Path) -> list[BuiltCase]:
    document = json.loads(path.read_text(encoding="utf-8"))
    base = document.get("base", {})
    default_as_of = document.get("as_of")
    built = []
    names: set[str] = set()
    for raw in document["cases"]:
        unknown = set(raw) - _CASE_KEYS
        if unknown:
            raise CaseFormatError(f"{path.name}: unknown case keys {sorted(unknown)}")
        name = raw["name"]
        if name in names:
            raise CaseFormatError(f"{path.name}: duplicate case name {name!r}")
        names.add(name)
        aliases = Aliases()
        scenario = build_scenario(base, raw.get("scenario", {}), aliases)
        built.append(
            BuiltCase(
                file=path.stem,
                name=name,
                rule=raw["rule"],
                as_of=date.fromisoformat(raw.get("as_of", default_as_of)),
                scenario=scenario,
                expect=aliases.resolve(raw.get("expect", {}), strict=True),
                absent=aliases.resolve(raw.get("absent", {}), strict=True),
                row_counts=raw.get("row_counts", {}),
                aliases=dict(aliases.numbers),
            )
        )
    return built


def load_cases(directory: Path) -> list[BuiltCase]:
    cases = []
    for path in sorted(directory.glob("*.json")):
        cases.extend(load_case_file(path))
    return cases
