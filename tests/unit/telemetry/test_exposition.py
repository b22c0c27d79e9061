"""The worker's /metrics writer gives exactly generate_latest's bytes, faster."""

from __future__ import annotations

from collections import Counter

import pytest
from prometheus_client import CollectorRegistry, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from streams.documents.targets import load_target_file
from streams.telemetry import exposition as exposition_module
from streams.telemetry.collectors import (
    FigureKeeper,
    PipelineMetrics,
    TargetCollector,
    TargetProgress,
    WorkerCollector,
    register_state,
)
from streams.telemetry.exposition import exposition
from tests.fixtures.factories import REPO_ROOT
from tests.unit.domain.measures.test_league import MIN
from tests.unit.telemetry.test_national_metrics import aggregations, view_of


class Odd(Collector):
    """Label values that need escaping, a label set in another order, a sample without labels, a timestamp."""

    def collect(self) -> list[GaugeMetricFamily | CounterMetricFamily]:
        odd = GaugeMetricFamily("komhen_odd", "help with \\ and\nnewline", labels=["b", "a"])
        odd.add_metric(['quote " here', "back\\slash\nnewline"], 1.5)
        odd.add_metric(["æøå", "1e7"], 12345678.0)
        plain = GaugeMetricFamily("komhen_plain", "no labels", value=float("inf"))
        stamped = GaugeMetricFamily("komhen_stamped", "a timestamp", labels=["x"])
        stamped.add_metric(["y"], 2.0, timestamp=1700000000.5)
        counted = CounterMetricFamily("komhen_counted", "a counter without _created", labels=["x"])
        counted.add_metric(["y"], 3.0)
        created = CounterMetricFamily("komhen_created", "a counter with _created", labels=["x"])
        created.add_metric(["y"], 3.0, created=1700000000.0)
        return [odd, plain, stamped, counted, created]


def worker_registry() -> CollectorRegistry:
    local = aggregations()
    view = view_of(local)
    registry = CollectorRegistry()
    metrics = PipelineMetrics(registry)
    metrics.record(
        {("183", "borgerservice", "phone", "in"): 3},
        Counter({("telephony", "accepted"): 3}),
        [],
        {"telephony": 1.7e12},
        {},
    )
    state = FigureKeeper(
        lambda: local,
        clock="event",
        municipality_view=lambda: view.aggregation,
        min_interval_s=0,
        league_min_inquiries=MIN,
    )
    register_state(registry, state.current)
    targets = (load_target_file(REPO_ROOT / "deploy" / "targets" / "ishoej.yaml"),)
    registry.register(TargetCollector(TargetProgress(targets, lambda: view.aggregation, state.reference_day).current))
    registry.register(WorkerCollector(lambda: 4, lambda: 0, lambda: 10, lambda: {("inquiries", 0): 0}, started=1.0))
    registry.register(Odd())
    Gauge("komhen_simple", "a gauge", ["l"], registry=registry).labels("v").set(0.1)
    Histogram("komhen_histogram", "a histogram", registry=registry).observe(0.3)
    return registry


def test_the_worker_registry_is_written_exactly_as_prometheus_client_writes_it() -> None:
    registry = worker_registry()
    assert exposition(registry) == generate_latest(registry)
    text = exposition(registry)
    assert b'komhen_league_rank{measure="self_service",municipality="183",window="7d"} 1.0' in text
    assert b'# TYPE komhen_counted_total counter\nkomhen_counted_total{x="y"} 3.0\n' in text


def test_gauge_and_counter_families_are_written_without_prometheus_clients_per_sample_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The worker's many gauge samples take the fast path (the speed is measured in the national benchmark)."""

    class Many(Collector):
        def collect(self) -> list[GaugeMetricFamily | CounterMetricFamily]:
            family = GaugeMetricFamily("komhen_many", "many", labels=["municipality", "department", "window"])
            for i in range(2_000):
                family.add_metric(["183", f"afdeling-{i}", "7d"], i / 7)
            counter = CounterMetricFamily("komhen_counted", "counted", labels=["department"])
            counter.add_metric(["borgerservice"], 12.0)
            return [family, counter]

    registry = CollectorRegistry()
    registry.register(Many())
    expected = generate_latest(registry)
    fallbacks: list[object] = []

    def fallback(collector: object) -> bytes:
        fallbacks.append(collector)
        return b""

    monkeypatch.setattr(exposition_module, "generate_latest", fallback)
    assert exposition(registry) == expected
    assert fallbacks == []
