"""The national view at scale: series, scrape time and memory for 98 municipalities × their departments.

    .venv/bin/python tests/benchmarks/national_scale.py --scale 0.01 --days 365

A scaled year of national traffic (the national profile, deploy/simulator/national.yaml: every
municipality scaled by population, its own channel mix; `--scale 0.01` is 1 % of the real volume,
about 3.6 million inquiries a year) is counted in-process into four partitions' aggregations with
the worker's own code (parse_event, Aggregation.add, sealing every day), published as summaries
into a global view (encode and decode timed), and exported with the worker's collectors (state,
national view, targets from deploy/targets). It prints:

- the series of /metrics per family, with KOMHEN_DEPARTMENT_SERIES full and lean, for one worker
  owning every partition (the worst case) and for the deployment (four workers: each its own
  departments, one of them `_all`, the national view and the targets), and the projection to 8,
  20 and 50 departments per municipality against the budget (docs/scale.md);
- collect + exposition time of a scrape (first, and after one new event, as in live traffic);
- resident memory of the local state and of the global view, and the projection to a year of
  national traffic (300 million inquiries) from bytes per identity and cells per bucket, the
  latter measured on one full-scale day of the largest municipality.

In-process, so the figures are the collectors' and the state's, without HTTP or Faust.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import sys
import time
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from prometheus_client import CollectorRegistry, disable_created_metrics

from streams.dev.simulator import NationalSimulator
from streams.documents.profiles import load_national_profile
from streams.documents.reference import code_table
from streams.documents.settings import Settings
from streams.documents.shipped import shipped_targets
from streams.documents.targets import load_target_files
from streams.domain.counting.aggregation import Aggregation
from streams.domain.counting.summaries import GlobalView, summaries_of
from streams.telemetry.collectors import (
    DEPARTMENT_SERIES,
    FigureKeeper,
    PipelineMetrics,
    TargetCollector,
    TargetProgress,
    register_state,
)
from streams.telemetry.exposition import exposition
from streams.worker.pipeline import compact_settled_days
from tests.fixtures.factories import parse_event

PARTITIONS = 4
NATIONAL_PER_YEAR = 300_000_000  # the figure: Albertslund's 2011 rate scaled to Denmark
BUDGET_SERIES = 250_000  # the deployment's series (see docs/scale.md)
IDENTITY_BYTES = 8  # a sealed identity: one 64-bit hash in a sorted array


def rss_bytes() -> int:
    with open(f"/proc/{os.getpid()}/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def families(text: str) -> Counter[str]:
    """Series per metric family in an exposition (histogram/summary suffixes kept apart)."""
    out: Counter[str] = Counter()
    for line in text.splitlines():
        if line and not line.startswith("#"):
            out[re.split(r"[{ ]", line, maxsplit=1)[0]] += 1
    return out


def scrape(registry: CollectorRegistry) -> tuple[float, str]:
    began = time.perf_counter()
    text = exposition(registry).decode()  # what the worker's /metrics page writes
    return time.perf_counter() - began, text


def registry_of(
    local: list[Aggregation],
    view: GlobalView | None,
    settings: Settings,
    counters: Counter[tuple[str, str, str, str]],
) -> CollectorRegistry:
    """The worker's registry (worker/web.py, register_metrics): counters of its own departments, state, and with the
    view targets."""
    registry = CollectorRegistry()
    own = {dept for aggregation in local for dept in aggregation.buckets}
    PipelineMetrics(registry).record({k: n for k, n in counters.items() if k[:2] in own}, {}, [], {}, {})
    state = FigureKeeper(
        lambda: local,
        clock="event",
        municipality_view=(lambda: view.aggregation) if view else (lambda: None),
        min_interval_s=0,
        league_min_inquiries=settings.league_min_inquiries,
        department_series=settings.department_series,
    )
    register_state(registry, state.current)
    if view is not None:
        targets = load_target_files(shipped_targets())
        registry.register(
            TargetCollector(TargetProgress(targets, lambda: view.aggregation, state.reference_day).current)
        )
    return registry


def full_scale_cells(seed: int, settings: Settings) -> tuple[int, float]:
    """Distinct cells per department-day on one weekday of København at the real volume (scale 1)."""
    national = load_national_profile()
    national = replace(national, scale=1.0, population={"101": 660_000})
    simulator = NationalSimulator(national, tz=settings.tz, seed=seed)
    cells: dict[str, set[tuple[object, ...]]] = {}
    n = 0
    for event in simulator.day(date(2026, 11, 18)):
        n += 1
        key = (
            event["channel"],
            event["direction"],
            event.get("inquiry_type"),
            event.get("kle"),
            event.get("completion"),
            event.get("form"),
        )
        cells.setdefault(event["department"], set()).add(key)
    return n, sum(len(c) for c in cells.values()) / len(cells)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=0.01, help="fraction of the real national volume")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    disable_created_metrics()  # as the worker does
    settings = Settings()
    national = load_national_profile()
    national = replace(national, scale=args.scale)
    simulator = NationalSimulator(national, tz=settings.tz, seed=args.seed)
    gc.collect()
    empty = rss_bytes()
    aggregations = [Aggregation(settings.tz, settings.retention_days) for _ in range(PARTITIONS)]
    last = date(2026, 11, 20)
    began, events = time.perf_counter(), 0
    for back in range(args.days - 1, -1, -1):
        for raw in simulator.day(last - timedelta(days=back)):
            event = parse_event(raw)
            aggregations[hash((event.municipality, event.department)) % PARTITIONS].add(event)
            events += 1
        for aggregation in aggregations:
            compact_settled_days(aggregation)
    counted_s = time.perf_counter() - began
    gc.collect()
    local_rss = rss_bytes() - empty
    buckets = sum(1 for a in aggregations for _ in a.days())
    departments = sum(len(a.buckets) for a in aggregations)
    identities = sum(len(b.seen) for a in aggregations for _, _, b in a.days())
    cells = sum(len(b.cells) for a in aggregations for _, _, b in a.days())

    view = GlobalView(Aggregation(settings.tz, settings.retention_days), code_table())
    began = time.perf_counter()
    summaries = [kv for a in aggregations for kv in summaries_of(a, a.take_changed())]
    encode_s = time.perf_counter() - began
    summary_bytes = sum(len(v or b"") for _, v in summaries)
    before_view = rss_bytes()
    began = time.perf_counter()
    for key, value in summaries:
        view.apply(key, value)
    view.aggregation  # noqa: B018  # decodes what is pending
    decode_s = time.perf_counter() - began
    del summaries
    gc.collect()
    view_rss = rss_bytes() - before_view

    counters = inquiry_counters(aggregations)
    results = {}
    for mode in DEPARTMENT_SERIES:
        moded = replace(settings, department_series=mode)
        whole = registry_of(aggregations, view, moded, counters)
        first_s, text = scrape(whole)
        later = []
        for i in range(3):  # a new event on the newest day, then a scrape: what live traffic does
            add_late_event(simulator, aggregations, f"late-{mode}-{i}")
            later.append(scrape(whole)[0])
        exporter = registry_of(aggregations[:1], view, moded, counters)
        exporter_s, exporter_text = scrape(exporter)
        others = [registry_of([a], None, moded, counters) for a in aggregations[1:]]
        deployment = families(exporter_text).total() + sum(families(scrape(r)[1]).total() for r in others)
        results[mode] = (families(text), len(text), first_s, sorted(later)[1], exporter_s, deployment)

    print(f"scale {args.scale:g} of the national volume, {args.days} days, {len(national.population)} municipalities")
    print(f"  {events:,} inquiries counted in {counted_s:.0f} s; {departments:,} departments, {buckets:,} day buckets")
    print(f"  {identities:,} identities, {cells:,} cells ({cells / buckets:.1f} per bucket)")
    print(f"  local state: {local_rss / 2**20:.0f} MiB ({local_rss / events:.0f} B per inquiry)")
    print(
        f"  summaries: {summary_bytes / 2**20:.0f} MiB JSON, encode {encode_s:.1f} s "
        f"({encode_s / buckets * 1e6:.0f} µs per bucket), decode {decode_s:.1f} s"
    )
    print(f"  global view: {view_rss / 2**20:.0f} MiB ({view_rss / buckets:.0f} B per bucket)")
    for mode, (series, size, first_s, later_s, exporter_s, deployment) in results.items():
        per_department = (deployment - fixed_series(series)) / departments
        print(
            f"  {mode}: one worker with every partition {series.total():,} series ({size / 2**20:.1f} MiB), "
            f"scrape {first_s * 1000:.0f} ms first, {later_s * 1000:.0f} ms after a new event; four workers "
            f"{deployment:,} series, the exporting one's scrape {exporter_s * 1000:.0f} ms; "
            f"{per_department:.0f} series per department"
        )
        for name, n in series.most_common(8):
            print(f"    {n:>8,}  {name}")
        for per_municipality in (8, 20, 50):
            projected = fixed_series(series) + per_department * per_municipality * len(national.population)
            verdict = "within" if projected <= BUDGET_SERIES else "OVER"
            print(
                f"    {per_municipality} departments per municipality: {projected:,.0f} series "
                f"({projected / 1e6 * 2:.2f} GiB of Prometheus at 2 GiB per million), {verdict} the budget "
                f"of {BUDGET_SERIES:,}"
            )
    day_n, day_cells = full_scale_cells(args.seed, settings)
    per_bucket = view_rss / buckets - cells / buckets * 8  # what a bucket costs besides its cells
    full_buckets = departments * 365
    full_bucket_bytes = per_bucket + day_cells * 8
    print(
        f"  full scale, one weekday of København: {day_n:,} inquiries, {day_cells:.0f} distinct cells per department "
        f"(a bucket then about {full_bucket_bytes / 1024:.1f} KiB in the global view)"
    )
    for workers in (1, 4, 8):
        identities_b = NATIONAL_PER_YEAR * IDENTITY_BYTES / workers
        own_b = full_buckets * full_bucket_bytes / workers
        view_b = full_buckets * full_bucket_bytes
        print(
            f"  projection, {workers} worker(s), 300 M inquiries a year: identities {identities_b / 2**30:.1f} GiB "
            f"+ own buckets {own_b / 2**30:.2f} GiB + global view {view_b / 2**30:.2f} GiB = "
            f"{(identities_b + own_b + view_b) / 2**30:.1f} GiB per worker (plus ~70 MiB of Python and Faust)"
        )


FIXED = ("komhen_national_", "komhen_municipality_", "komhen_league_", "komhen_target_", "process_", "komhen_reference")


def fixed_series(series: Counter[str]) -> int:
    """Series that do not grow with the number of departments (national view, targets, the process)."""
    return sum(n for name, n in series.items() if name.startswith(FIXED))


def inquiry_counters(aggregations: list[Aggregation]) -> Counter[tuple[str, str, str, str]]:
    """What komhen_inquiries_total would hold: every department's inquiries by channel and direction."""
    out: Counter[tuple[str, str, str, str]] = Counter()
    for aggregation in aggregations:
        for (municipality, department), _, bucket in aggregation.days():
            for (channel, direction), n in bucket.channels.items():
                out[(municipality, department, channel, direction)] += n
    return out


def add_late_event(simulator: NationalSimulator, aggregations: list[Aggregation], event_id: str) -> None:
    newest = max(a.newest for a in aggregations if a.newest is not None)
    raw = next(simulator.day(newest.date()))
    event = parse_event({**raw, "event_id": event_id, "occurred_at": newest.isoformat()})
    aggregations[hash((event.municipality, event.department)) % PARTITIONS].add(event)


if __name__ == "__main__":
    main()
