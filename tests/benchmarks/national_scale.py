"""The national view at scale: series, scrape time and memory for 98 municipalities × their departments.

    .venv/bin/python tests/benchmarks/national_scale.py --scale 0.01 --days 365

A scaled year of national traffic (the national profile, deploy/simulator/national.yaml: every
municipality scaled by population, its own channel mix; `--scale 0.01` is 1 % of the real volume,
about 3.6 million inquiries a year) is counted in-process into four partitions' aggregations with
the worker's own code (parse_event, Aggregation.add, sealing every day), published as summaries
into a global view (encode and decode timed), and exported with the worker's collectors (state,
national view, targets from deploy/targets). It prints:

- the series of /metrics per family, for one worker owning every partition (the worst case) and
  for the deployment (four workers: each its own departments, one of them `_all`, the national
  view and the targets), against the budget;
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

from prometheus_client import CollectorRegistry

from streams.config import Settings
from streams.dev.simulator import NationalSimulator, load_national_profile
from streams.domain.aggregation import Aggregation
from streams.domain.events import parse_event
from streams.domain.summaries import GlobalView, summaries_of
from streams.domain.targets import load_target_files
from streams.resources import shipped_targets
from streams.telemetry.collectors import StateCollector
from streams.telemetry.exposition import exposition
from streams.telemetry.targets import TargetCollector
from streams.worker.pipeline import compact_settled_days

PARTITIONS = 4
NATIONAL_PER_YEAR = 300_000_000  # the figure: Albertslund's 2011 rate scaled to Denmark
BUDGET_SERIES = 250_000  # the deployment's series (see README "Scale")
BUDGET_SCRAPE_S = 2.0


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


def registry_of(local: list[Aggregation], view: GlobalView | None, settings: Settings) -> CollectorRegistry:
    registry = CollectorRegistry()
    state = StateCollector(
        lambda: local,
        clock="event",
        municipality_view=(lambda: view.aggregation) if view else (lambda: None),
        min_interval_s=0,
        league_min_inquiries=settings.league_min_inquiries,
        department_series=settings.department_series,
    )
    registry.register(state)
    if view is not None:
        targets = load_target_files(shipped_targets())
        registry.register(TargetCollector(targets, lambda: view.aggregation, state.reference_day))
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

    view = GlobalView(Aggregation(settings.tz, settings.retention_days))
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

    whole = registry_of(aggregations, view, settings)
    first_s, text = scrape(whole)
    series = families(text)
    newest = aggregations[0].newest
    assert newest is not None
    later = []
    for i in range(3):
        raw = next(simulator.day(last))
        raw = {**raw, "event_id": f"late-{i}", "occurred_at": newest.isoformat()}
        event = parse_event(raw)
        aggregations[hash((event.municipality, event.department)) % PARTITIONS].add(event)
        later.append(scrape(whole)[0])
    exporter = registry_of(aggregations[:1], view, settings)
    others = [registry_of([a], None, settings) for a in aggregations[1:]]
    deployment = sum(families(scrape(r)[1]).total() for r in [exporter, *others])
    exporter_s, exporter_text = scrape(exporter)

    print(f"scale {args.scale:g} of national volume, {args.days} days, {len(national.population)} municipalities")
    print(f"  {events:,} inquiries counted in {counted_s:.0f} s; {departments:,} departments, {buckets:,} day buckets")
    print(f"  {identities:,} identities, {cells:,} cells ({cells / buckets:.1f} per bucket)")
    print(f"  local state: {local_rss / 2**20:.0f} MiB ({local_rss / events:.1f} B per inquiry)")
    print(
        f"  summaries: {len(view.aggregation.buckets):,} departments, {summary_bytes / 2**20:.0f} MiB JSON, "
        f"encode {encode_s:.1f} s ({encode_s / buckets * 1e6:.0f} µs per bucket), decode {decode_s:.1f} s"
    )
    print(f"  global view: {view_rss / 2**20:.0f} MiB ({view_rss / buckets:.0f} B per bucket)")
    print(
        f"  one worker with every partition: {series.total():,} series, {len(text) / 2**20:.1f} MiB, "
        f"scrape {first_s * 1000:.0f} ms first, {sorted(later)[1] * 1000:.0f} ms after a new event"
    )
    print(
        f"  four workers: {deployment:,} series in all; the exporting worker {families(exporter_text).total():,} "
        f"series, scrape {exporter_s * 1000:.0f} ms"
    )
    for name, n in series.most_common(14):
        print(f"    {n:>8,}  {name}")
    print(
        f"  budget: {BUDGET_SERIES:,} series for the deployment, {BUDGET_SCRAPE_S:g} s per scrape:",
        "held" if deployment <= BUDGET_SERIES and first_s <= BUDGET_SCRAPE_S else "NOT held",
    )
    day_n, day_cells = full_scale_cells(args.seed, settings)
    per_identity = 8  # a sealed identity is one 64-bit hash in a sorted array
    print(f"  full scale, one weekday of København: {day_n:,} inquiries, {day_cells:.0f} distinct cells per department")
    bucket_bytes = view_rss / buckets + max(0.0, day_cells - cells / buckets) * 8
    for workers in (1, 4, 8):
        identities_b = NATIONAL_PER_YEAR * per_identity / workers
        local_b = buckets * bucket_bytes / workers
        print(
            f"  projection, {workers} worker(s), 300 M inquiries a year: identities {identities_b / 2**30:.1f} GiB + "
            f"own buckets {local_b / 2**30:.2f} GiB + global view {buckets * bucket_bytes / 2**30:.2f} GiB per worker"
        )


if __name__ == "__main__":
    main()
