"""The test harness's own shortcuts give what the slower standard tools give."""

from __future__ import annotations

import pytest
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Info, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from tests.fixtures.workers import Labels, parse_samples


def reference(text: str) -> dict[str, dict[Labels, float]]:
    out: dict[str, dict[Labels, float]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            out.setdefault(sample.name, {})[frozenset(sample.labels.items())] = sample.value
    return out


def test_parse_samples_reads_a_page_exactly_as_prometheus_clients_parser() -> None:
    registry = CollectorRegistry()
    window = Gauge("komhen_window_inquiries", "d", ["municipality", "department", "window"], registry=registry)
    for i in range(200):
        window.labels("183", f"afdeling-{i % 40}", f"{i}d").set(i / 7)
    events = Counter("komhen_events", "d", ["source", "outcome"], registry=registry)
    events.labels('a"b\\c\nd,}{="', "x y\r\u2028æ").inc(3)  # every escape, and breaks that are not escaped
    events.labels("", "").inc()
    Gauge("komhen_unlabelled", "d", registry=registry).set(float("inf"))
    Histogram("komhen_seconds", "d", ["stage"], registry=registry).labels("read").observe(0.3)
    Info("komhen_build", "d", registry=registry).info({"version": "1.0"})
    text = generate_latest(registry).decode()

    parsed = parse_samples(text)
    assert parsed == reference(text)
    assert len(parsed["komhen_window_inquiries"]) == 200
    assert parsed["komhen_events_total"][frozenset({("source", 'a"b\\c\nd,}{="'), ("outcome", "x y\r\u2028æ")})] == 3


def test_parse_samples_refuses_a_line_it_cannot_read() -> None:
    with pytest.raises(ValueError, match="not a sample line"):
        parse_samples('komhen_x{source="a} 1\n')
