"""Prometheus metrics of a worker: event counters, and window and share gauges from state.

Counters are created against an injected registry and incremented once per batch and
label set. Window and share gauges are not stored anywhere: a custom collector computes
them from a snapshot of the counting state at scrape time (prometheus_client's own
process collector works the same way). Labels stay within municipality × department ×
channel × direction × window; never KLE codes, event ids or free text.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, Gauge
from prometheus_client import Counter as PromCounter
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from streams.domain.aggregation import (
    Aggregation,
    WindowCounts,
    municipality_totals,
    newest_event,
    window_channel_counts,
    window_completions,
    window_service_counts,
)
from streams.domain.codes import code_table
from streams.domain.messages import Rejection
from streams.domain.privacy import contains_cpr
from streams.domain.shares import answer_rate, channel_shares, completion_rate, first_contact_resolution
from streams.domain.windows import WINDOWS, local_day
from streams.telemetry import names

MAX_SOURCE_LABELS = 100
_SOURCE_RE = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}\Z")


class PipelineMetrics:
    """Counters of what the pipeline saw: accepted + duplicate + rejected = received."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.inquiries = PromCounter(
            names.INQUIRIES,
            "Inquiries counted (accepted, not duplicates), by where they came and went.",
            ["municipality", "department", "channel", "direction"],
            registry=registry,
        )
        self.events = PromCounter(
            names.EVENTS,
            "Events received on the input topic by source and outcome (accepted, duplicate, rejected).",
            ["source", "outcome"],
            registry=registry,
        )
        self.rejected = PromCounter(
            names.EVENTS_REJECTED,
            "Events rejected to the dead-letter topic, by source and reason.",
            ["source", "reason"],
            registry=registry,
        )
        self.calls_abandoned = PromCounter(
            names.CALLS_ABANDONED,
            "Incoming calls hung up before they were answered or reached voicemail (not inquiries).",
            ["municipality", "department"],
            registry=registry,
        )
        self.selfservice_attempts = PromCounter(
            names.SELFSERVICE_ATTEMPTS,
            "Self-service attempts started or abandoned (completed ones are self_service inquiries).",
            ["municipality", "department", "outcome"],
            registry=registry,
        )
        self.last_event = Gauge(
            names.LAST_EVENT_TIMESTAMP,
            "Kafka timestamp of the newest event received from each source.",
            ["source"],
            registry=registry,
        )
        self.dead_letters_unwritten = PromCounter(
            names.DEAD_LETTERS_UNWRITTEN,
            "Rejected events whose dead letter could not be written (they are counted as rejected all the same).",
            registry=registry,
        )
        self._sources: set[str] = set()
        self.outcomes: dict[str, int] = {"accepted": 0, "duplicate": 0, "rejected": 0}  # for /health

    def source_label(self, source: str | None) -> str:
        """A bounded label value: hostile input cannot create unlimited series."""
        if source is None or not _SOURCE_RE.match(source) or contains_cpr(source):
            return "invalid"
        if source not in self._sources:
            if len(self._sources) >= MAX_SOURCE_LABELS:
                return "other"
            self._sources.add(source)
        return source

    def record(
        self,
        accepted: Mapping[tuple[str, str, str, str], int],
        outcomes: Mapping[tuple[str, str], int],
        rejected: Iterable[Rejection],
        newest_by_source: Mapping[str, float],
        service: Mapping[tuple[str, str, str], int],
    ) -> None:
        """Add one batch's tallies: one increment per label set, not per event."""
        for labels, n in accepted.items():
            self.inquiries.labels(*labels).inc(n)
        for (municipality, department, kind), n in service.items():
            if kind == "call_abandoned":
                self.calls_abandoned.labels(municipality, department).inc(n)
            else:
                outcome = kind.removeprefix("selfservice_")
                self.selfservice_attempts.labels(municipality, department, outcome).inc(n)
        for (source, outcome), n in outcomes.items():
            self.events.labels(self.source_label(source), outcome).inc(n)
            self.outcomes[outcome] += n
        by_reason: Counter[tuple[str, str]] = Counter((self.source_label(r.source), r.reason.value) for r in rejected)
        for (source, reason), n in by_reason.items():
            self.rejected.labels(source, reason).inc(n)
            self.events.labels(source, "rejected").inc(n)
            self.outcomes["rejected"] += n
        for source, timestamp_ms in newest_by_source.items():
            self.last_event.labels(self.source_label(source)).set(timestamp_ms / 1000)


class StateCollector(Collector):
    """Window counts and channel shares, computed from the counting state at scrape time.

    Departments come from this worker's own partitions. The whole municipality (`_all`)
    comes from the global view of all workers' summaries, and only from the one worker
    given that view (the owner of input partition 0), so there is one series, not one
    per worker.
    """

    def __init__(
        self,
        aggregations: Callable[[], list[Aggregation]],
        *,
        clock: str,
        municipality_view: Callable[[], Aggregation | None] = lambda: None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        min_interval_s: float = 1.0,
    ) -> None:
        self._aggregations = aggregations
        self._municipality_view = municipality_view
        self._clock = clock
        self._now = now
        self._min_interval_s = min_interval_s  # recompute at most this often, however often scraped
        self._cache_key: object = None
        self._cache_ref_day: int | None = None
        self._computed_at = -float("inf")
        self._cache: list[GaugeMetricFamily] = []

    def reference_time(self, aggregations: list[Aggregation]) -> datetime | None:
        """The end of every window: now, or with the event clock the newest event seen."""
        if self._clock == "event":
            return newest_event(aggregations)
        return self._now()

    def reference_day(self) -> int | None:
        local, view = self._aggregations(), self._municipality_view()
        everything = local + ([view] if view is not None else [])
        ref = self.reference_time(everything)
        return None if ref is None or not everything else local_day(ref, everything[0].tz)

    def collect(self) -> Iterator[GaugeMetricFamily]:
        local, view = self._aggregations(), self._municipality_view()
        everything = local + ([view] if view is not None else [])
        ref = self.reference_time(everything)
        if ref is None or not everything:
            return iter(())
        ref_day = local_day(ref, everything[0].tz)
        key = (ref_day, view is not None, tuple((id(a), a.version) for a in everything))
        recent = time.monotonic() - self._computed_at < self._min_interval_s and ref_day == self._cache_ref_day
        if key != self._cache_key and not recent:
            self._cache = self._families(local, view, ref_day, ref)
            self._cache_key, self._cache_ref_day, self._computed_at = key, ref_day, time.monotonic()
        return iter(self._cache)

    def _families(
        self, local: list[Aggregation], view: Aggregation | None, ref_day: int, ref: datetime
    ) -> list[GaugeMetricFamily]:
        labels = ["municipality", "department", "channel", "direction", "window"]
        counts = GaugeMetricFamily(
            names.WINDOW_INQUIRIES,
            "Inquiries in the rolling window ending on the reference day (department _all: whole municipality).",
            labels=labels,
        )
        shares = GaugeMetricFamily(
            names.CHANNEL_SHARE,
            "Share 0..1 of the channel among all inquiries of the same direction in the window.",
            labels=labels,
        )
        service_labels = ["municipality", "department", "kind", "window"]
        service = GaugeMetricFamily(
            names.WINDOW_SERVICE_EVENTS,
            "Service events (abandoned calls, self-service attempts started or abandoned) in the window.",
            labels=service_labels,
        )
        answer = GaugeMetricFamily(
            names.ANSWER_RATE,
            "Incoming calls answered or taken by voicemail / all incoming calls offered, in the window.",
            labels=["municipality", "department", "window"],
        )
        completion = GaugeMetricFamily(
            names.COMPLETION_RATE,
            "Completed self-service transactions / started self-service attempts, in the window.",
            labels=["municipality", "department", "window"],
        )
        first_contact = GaugeMetricFamily(
            names.FIRST_CONTACT_RESOLUTION,
            "Phone and personal inquiries resolved at first contact (STRAKS) / those with a recorded completion.",
            labels=["municipality", "department", "window"],
        )
        pairs = code_table().channel_directions()
        completions = _with_municipality(window_completions(local, ref_day), window_completions, view, ref_day)
        channels = _with_municipality(window_channel_counts(local, ref_day), window_channel_counts, view, ref_day)
        kinds = _with_municipality(window_service_counts(local, ref_day), window_service_counts, view, ref_day)
        for window in WINDOWS:
            for (municipality, department), dept_counts in sorted(channels[window].items()):
                for channel, direction in pairs:
                    counts.add_metric(
                        [municipality, department, channel, direction, window],
                        dept_counts.get((channel, direction), 0),
                    )
                for (channel, direction), share in channel_shares(dept_counts, pairs).items():
                    shares.add_metric([municipality, department, channel, direction, window], share)
                dept_kinds = kinds[window].get((municipality, department), Counter())
                for kind, n in sorted(dept_kinds.items()):
                    service.add_metric([municipality, department, kind, window], n)
                for family, rate in ((answer, answer_rate), (completion, completion_rate)):
                    value = rate(dept_counts, dept_kinds)
                    if value is not None:
                        family.add_metric([municipality, department, window], value)
                resolution = first_contact_resolution(completions[window].get((municipality, department), {}))
                if resolution is not None:
                    first_contact.add_metric([municipality, department, window], resolution)
        reference = GaugeMetricFamily(
            names.REFERENCE_TIMESTAMP,
            "The moment the rolling windows end at (wall clock, or newest event with the event clock).",
        )
        reference.add_metric([], ref.timestamp())
        return [counts, shares, service, answer, completion, first_contact, reference]


def _with_municipality(
    local: WindowCounts,
    count: Callable[[Iterable[Aggregation], int], WindowCounts],
    view: Aggregation | None,
    ref_day: int,
) -> WindowCounts:
    """Local departments, plus each municipality as department `_all` when this worker has the view."""
    if view is None:
        return local
    whole = count([view], ref_day)
    for window, departments in local.items():
        for municipality, total in municipality_totals(whole[window]).items():
            departments[(municipality, names.ALL_DEPARTMENTS)] = total
    return local


class WorkerCollector(Collector):
    """Partition ownership and restore progress, for health dashboards and alerts."""

    def __init__(
        self,
        assigned: Callable[[], int],
        restoring: Callable[[], int],
        restored_records: Callable[[], int],
        lag: Callable[[], Mapping[tuple[str, int], int]],
        started: float | None = None,
        stalled: Callable[[], Mapping[tuple[str, int], float]] = dict,
    ) -> None:
        self._stalled = stalled
        self._assigned = assigned
        self._restoring = restoring
        self._restored_records = restored_records
        self._lag = lag
        self._started = time.time() if started is None else started

    def collect(self) -> Iterator[GaugeMetricFamily]:
        assigned = GaugeMetricFamily(names.PARTITIONS_ASSIGNED, "Input partitions this worker owns.")
        assigned.add_metric([], self._assigned())
        restoring = GaugeMetricFamily(
            names.PARTITIONS_RESTORING, "Owned partitions whose state is still being rebuilt from the topic."
        )
        restoring.add_metric([], self._restoring())
        restored = GaugeMetricFamily(
            names.RESTORED_RECORDS,
            "Input records read to rebuild the state of the owned partitions (not counted as new traffic).",
        )
        restored.add_metric([], self._restored_records())
        lag = GaugeMetricFamily(
            names.CONSUMER_LAG,
            "Records on the input topic not yet counted, per owned partition (high-watermark minus counted).",
            labels=["topic", "partition"],
        )
        for (topic, partition), behind in sorted(self._lag().items()):
            lag.add_metric([topic, str(partition)], behind)
        stalled = GaugeMetricFamily(
            names.PARTITION_STALLED,
            "Seconds an owned partition has had records waiting without counting one (0: keeping up).",
            labels=["topic", "partition"],
        )
        for (topic, partition), seconds in sorted(self._stalled().items()):
            stalled.add_metric([topic, str(partition)], seconds)
        started = GaugeMetricFamily(names.WORKER_START_TIME, "When this worker process started.")
        started.add_metric([], self._started)
        return iter([assigned, restoring, restored, lag, stalled, started])
