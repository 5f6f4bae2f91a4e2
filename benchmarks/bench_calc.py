"""Benchmark of the policy engine on a city-scale scenario (GitHub issue #2 "speed").

    .venv/bin/python benchmarks/bench_calc.py [--scenario benchmarks/out/city.json]
        [--as-of 2026-06-30] [--runs 5] [--python PATH] [--seed 1] [--scale 1.0] [--no-encode]
        [--profile [parse|engine|document]] [--top 30]

Each run is a fresh Python process that does what `zwdesk calc` does, stage by stage: read the
file, decode the JSON, parse/validate (parse_scenario), compute (the engine), and write the
results JSON (render every explanation, encode) as `zwdesk calc` does. It also times a BASELINE
in the same process: one pure-Python pass over the parsed placements grouping them by
(organiser, start year) into a dict of lists; the engine is printed as a multiple of it, which
is steadier across machines than seconds. Peak memory is the child's own peak RSS (getrusage
RUSAGE_SELF ru_maxrss, read inside the child), i.e. the high-water mark of a fresh process
running `zwdesk calc` end to end, interpreter and imports included.

Targets (issue #2): the whole calculation — the engine computing every item for the whole city,
judged on its own line — ≤ 3 s, and peak memory ≤ 1 GB (10^9 bytes) on the 2-core reference
machine. The best of the runs is judged, as timeit does: on a shared machine a run is only
ever slowed by others, never sped up (five runs by default). The end-to-end time of
`zwdesk calc` (reading the file to the last byte of output) is printed too, for information.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import platform
import pstats
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `zwdesk` and `benchmarks` importable
    sys.path.insert(0, str(ROOT))

DEFAULT_SCENARIO = ROOT / "benchmarks" / "out" / "city.json"
DEFAULT_AS_OF = "2026-06-30"
TARGET_SECONDS = 3.0
TARGET_BYTES = 1_000_000_000  # 1 GB
WHOLE = ("read", "decode", "parse", "engine", "output")
STAGES = (
    ("read", "read file (Path.read_text)"),
    ("decode", "decode JSON (json.loads)"),
    ("parse", "parse/validate (parse_scenario)"),
    ("engine", "engine (policy.engine.compute)"),
    ("output", "write results JSON (write_results_json)"),
    ("whole", "zwdesk calc end to end (sum of the above)"),
    ("baseline", "BASELINE group placements (organiser, year)"),
)


# --- the child: one fresh process, one whole calculation ------------------------------------


class _GcClock:
    """Time spent in the cyclic garbage collector (gc.callbacks), to attribute it to stages."""

    def __init__(self) -> None:
        self.total = 0.0
        self._began = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._began = time.perf_counter()
        else:
            self.total += time.perf_counter() - self._began


class _CountingSink(io.TextIOBase):
    """A text stream that only counts what is written (stands in for stdout)."""

    def __init__(self) -> None:
        self.characters = 0

    def write(self, text: str) -> int:
        self.characters += len(text)
        return len(text)


def _peak_rss_bytes() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # Linux reports KiB


def _child(scenario_path: Path, as_of: date, encode: bool) -> dict[str, Any]:
    # The stages run as `zwdesk calc` runs them: through the services, which pause the
    # cyclic garbage collector around bulk work (zwdesk.domain.collector.collector_paused).
    from zwdesk.domain.collector import collector_paused
    from zwdesk.domain.scenario_parser import parse_scenario
    from zwdesk.services.calc_service import calculate
    from zwdesk.services.policy_files import default_schedule
    from zwdesk.services.results_format import write_results_json

    def paused(action: Callable[..., Any]) -> Callable[..., Any]:
        def run(*arguments: Any) -> Any:
            with collector_paused():
                return action(*arguments)

        return run

    schedule = default_schedule()  # parameter files: loaded before the clock starts
    gc_clock = _GcClock()
    timings: dict[str, dict[str, float]] = {}

    def stage(name: str, action: Callable[..., Any], *arguments: Any) -> Any:
        gc_before = gc_clock.total
        wall, cpu = time.perf_counter(), time.process_time()
        result = action(*arguments)
        timings[name] = {
            "wall": time.perf_counter() - wall,
            "cpu": time.process_time() - cpu,
            "gc": gc_clock.total - gc_before,
        }
        return result

    rss_start = _peak_rss_bytes()
    text = stage("read", scenario_path.read_text, "utf-8-sig")
    document = stage("decode", paused(json.loads), text)
    # Dropped as soon as they are garbage. (zwdesk calc's read_scenario_file keeps `text` alive
    # during parse_scenario, so its peak RSS is a little higher: see the README.)
    del text
    scenario = stage("parse", paused(parse_scenario), document)
    del document

    def baseline() -> int:
        groups: dict[tuple[str | None, int], list[Any]] = {}
        for placement in scenario.placements:
            key = (placement.organiser, placement.start.year)
            bucket = groups.get(key)
            if bucket is None:
                groups[key] = [placement]
            else:
                bucket.append(placement)
        return len(groups)

    stage("baseline", baseline)
    results = stage("engine", calculate, scenario, as_of, schedule)
    sink = _CountingSink()
    stage("output", paused(write_results_json), results, sink)
    rss_whole = _peak_rss_bytes()
    passengers = sum(len(batch.passengers) for batch in scenario.batches)
    return {
        "python": f"{platform.python_version()} ({sys.executable})",
        "timings": timings,
        "rss_start": rss_start,
        "rss_whole": rss_whole,
        "rss_end": _peak_rss_bytes(),
        "output_characters": sink.characters,
        "records": {
            "organisations": len(scenario.organisations),
            "workers": len(scenario.workers),
            "placements": len(scenario.placements),
            "batches": len(scenario.batches),
            "passengers": passengers,
            "gig_records": len(scenario.gig_records),
            "claims": len(scenario.claims),
        },
        "rows": {
            name: len(getattr(results, name))
            for name in (
                "station_tiers",
                "transport",
                "broker_rewards",
                "workshops",
                "batches",
                "gig",
                "conflicts",
            )
        },
        "gc_collections": [entry["collections"] for entry in gc.get_stats()],
    }


# --- the parent: generate if needed, run children, report -----------------------------------


def _run_child(scenario_path: Path, as_of: str, encode: bool, python: str) -> dict[str, Any]:
    command = [python, str(Path(__file__).resolve()), "--child", "--scenario"]
    command += [str(scenario_path), "--as-of", as_of]
    if not encode:
        command.append("--no-encode")
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        sys.stderr.write(completed.stderr)
        raise SystemExit(f"benchmark child failed with exit code {completed.returncode}")
    report: dict[str, Any] = json.loads(completed.stdout)
    return report


def _ensure_scenario(path: Path, seed: int, scale: float) -> None:
    if path.exists():
        return
    from benchmarks.generate_city import write_city

    print(f"{path} missing: generating (seed {seed}, scale {scale}) …", flush=True)
    began = time.perf_counter()
    write_city(path, seed=seed, scale=scale)
    print(f"  generated in {time.perf_counter() - began:.1f} s", flush=True)


def _seconds(values: Sequence[float]) -> str:
    return f"{min(values):8.3f} s {statistics.median(values):8.3f} s"


def _mib(value: float) -> str:
    return f"{value / 2**20:,.0f} MiB"


def _report(path: Path, as_of: str, runs: list[dict[str, Any]]) -> int:
    first = runs[0]
    records = first["records"]
    for run in runs:
        run["timings"]["whole"] = {
            key: sum(run["timings"][name][key] for name in WHOLE) for key in ("wall", "cpu", "gc")
        }
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print("zwdesk policy-engine benchmark (issue #2 “speed”)")
    print(
        f"scenario  {path} ({path.stat().st_size / 1e6:.1f} MB): "
        f"{records['organisations']:,} organisations, {records['workers']:,} workers, "
        f"{records['placements']:,} placements, {records['batches']:,} batches "
        f"({records['passengers']:,} passengers), {records['gig_records']:,} gig records, "
        f"{records['claims']:,} claims"
    )
    print(
        f"as of     {as_of}; {len(runs)} runs, each a fresh process; {os.cpu_count()} CPUs; "
        f"load average now {load}\n"
        f"python    {first['python']}"
    )
    print()
    header = f"{'stage':<52} {'best':>10} {'median':>10}   {'cpu best':>8}  {'of it GC':>8}"
    print(header)
    print("-" * len(header))
    for name, label in STAGES:
        if name not in first["timings"]:
            continue
        walls = [run["timings"][name]["wall"] for run in runs]
        cpus = [run["timings"][name]["cpu"] for run in runs]
        gcs = [run["timings"][name]["gc"] for run in runs]
        best = walls.index(min(walls))
        print(f"{label:<52} {_seconds(walls)}   {min(cpus):6.3f} s  {gcs[best]:6.3f} s")
    engine = [run["timings"]["engine"]["wall"] for run in runs]
    baseline = [run["timings"]["baseline"]["wall"] for run in runs]
    ratios = [e / b for e, b in zip(engine, baseline, strict=True)]
    print()
    print(
        f"engine / baseline: {min(engine) / min(baseline):,.0f}× (best/best), "
        f"{statistics.median(ratios):,.0f}× (median of per-run ratios); "
        f"baseline best {min(baseline) * 1000:.1f} ms"
    )
    whole_peak = [run["rss_whole"] for run in runs]
    end_peak = [run["rss_end"] for run in runs]
    print(
        "peak RSS (getrusage RUSAGE_SELF ru_maxrss in each fresh child): "
        f"after zwdesk calc end to end {_mib(min(whole_peak))} best, "
        f"{_mib(max(whole_peak))} worst (max at exit {_mib(max(end_peak))}); "
        "interpreter+imports alone "
        f"{_mib(first['rss_start'])}"
    )
    rows = ", ".join(f"{count:,} {key}" for key, count in first["rows"].items())
    print(f"results   {rows}")
    if first["output_characters"]:
        print(f"output    {first['output_characters'] / 1e6:,.1f} M characters of JSON")
    print(f"GC        collections per generation (one run): {first['gc_collections']}")
    print()
    time_ok = min(engine) <= TARGET_SECONDS
    memory_ok = min(whole_peak) <= TARGET_BYTES
    print(
        f"target: whole calculation (engine, all items, whole city) ≤ {TARGET_SECONDS:.0f} s: "
        f"best {min(engine):.2f} s ({min(engine) / TARGET_SECONDS:.1f}× the target) "
        f"→ {'PASS' if time_ok else 'FAIL'}"
    )
    print(
        f"target: peak memory ≤ 1 GB ({_mib(TARGET_BYTES)}): best {_mib(min(whole_peak))} "
        f"→ {'PASS' if memory_ok else 'FAIL'}"
    )
    return 0 if time_ok and memory_ok else 1


def _profile(path: Path, as_of: date, stage: str, top: int) -> None:
    """cProfile one stage (parse, engine or document) once, the others unprofiled."""
    from zwdesk.domain.policy.engine import compute
    from zwdesk.domain.scenario_parser import parse_scenario
    from zwdesk.services.policy_files import default_schedule
    from zwdesk.services.results_format import results_document

    schedule = default_schedule()
    profiler = cProfile.Profile()
    document = json.loads(path.read_text(encoding="utf-8-sig"))
    if stage == "parse":
        profiler.enable()
    scenario = parse_scenario(document)
    profiler.disable()
    del document
    if stage == "engine":
        profiler.enable()
    results = compute(scenario, as_of, schedule)
    profiler.disable()
    if stage == "document":
        profiler.enable()
    results_document(results)
    profiler.disable()
    out = path.parent / f"{stage}.prof"
    profiler.dump_stats(out)
    print(f"\nprofile of the {stage} stage (cProfile; its overhead inflates times), saved to {out}")
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.strip_dirs().sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=DEFAULT_SCENARIO)
    parser.add_argument("--as-of", default=DEFAULT_AS_OF, help=f"default {DEFAULT_AS_OF}")
    parser.add_argument(
        "--runs", type=int, default=5, help="fresh processes (default 5; 0 = profile only)"
    )
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="the interpreter of the runs (default: this one); it needs zwdesk's dependencies",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed if the scenario is generated")
    parser.add_argument("--scale", type=float, default=1.0, help="scale if it is generated")
    parser.add_argument("--no-encode", action="store_true", help="skip the output encoding")
    parser.add_argument(
        "--profile",
        nargs="?",
        const="engine",
        choices=("parse", "engine", "document"),
        help="also cProfile one stage once (default: engine)",
    )
    parser.add_argument("--top", type=int, default=30, help="profile lines to print")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    as_of = date.fromisoformat(arguments.as_of)
    if arguments.child:
        report = _child(arguments.scenario, as_of, not arguments.no_encode)
        json.dump(report, sys.stdout)
        return 0
    _ensure_scenario(arguments.scenario, arguments.seed, arguments.scale)
    runs = []
    for number in range(1, arguments.runs + 1):
        print(f"run {number}/{arguments.runs} (fresh process) …", flush=True)
        runs.append(
            _run_child(
                arguments.scenario, arguments.as_of, not arguments.no_encode, arguments.python
            )
        )
    status = _report(arguments.scenario, arguments.as_of, runs) if runs else 0
    if arguments.profile:
        _profile(arguments.scenario, as_of, arguments.profile, arguments.top)
    return status


if __name__ == "__main__":
    sys.exit(main())
