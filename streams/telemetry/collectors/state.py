"""Prometheus metrics of a worker: event counters, and window and share gauges from state.

Counters are created against an injected registry and incremented once per batch and
label set. Window and share gauges are not stored anywhere: a custom collector computes
them from a snapshot of the counting state at scrape time (prometheus_client's own
process collector works the same way). Labels stay within municipality × department ×
channel × direction × window; never KLE codes, event ids or free text.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from prometheus_client import CollectorRegistry, Gauge
from prometheus_client import Counter as PromCounter
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from streams.contract import identifiers, names
from streams.domain.counting.aggregation import (
    Aggregation,
    WindowCounts,
    event_clock,
    municipality_totals,
    window_parts,
)
from streams.domain.counting.windows import WINDOWS, local_day
from streams.domain.events.codes import code_table
from streams.domain.events.messages import Rejection
from streams.domain.measures.league import DEFAULT_MIN_INQUIRIES
from streams.domain.measures.shares import answer_rate, channel_shares, completion_rate, first_contact_resolution
from streams.domain.organisation.departments import unnamed
from streams.telemetry.collectors.league import national_families
from streams.telemetry.labels import DepartmentLabels, SourceLabels

# What a department (not `_all`) exports: FULL, every channel-direction pair's count and share in every
# window; LEAN, the counts of the pairs it used within the year, and no shares (a dashboard divides the
# counts, which gives the same number): about half the series, for deployments of many municipalities.
FULL, LEAN = "full", "lean"
DEPARTMENT_SERIES = (FULL, LEAN)


class PipelineMetrics:
    """Counters of what the pipeline saw: accepted + duplicate + rejected = received.

    Label values come from `sources` and `departments` (telemetry/labels.py): declared or earned,
    within a budget, so hostile input cannot create unlimited series or take a real one's place.
    """

    def __init__(
        self,
        registry: CollectorRegistry,
        *,
        sources: SourceLabels | None = None,
        departments: DepartmentLabels | None = None,
    ) -> None:
        self.sources = sources if sources is not None else SourceLabels()
        self.departments = departments if departments is not None else DepartmentLabels()
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
        self.corrections = PromCounter(
            names.CORRECTIONS_IGNORED,
            "Resends of a counted inquiry with another department or day, by source: counted as duplicates "
            "(outcome duplicate), the first version stays counted.",
            ["source"],
            registry=registry,
        )
        self.findings = PromCounter(
            names.DESCRIPTIVE_FINDINGS,
            "Descriptive values of counted inquiries normalised (reason normalised) or left out (any other reason), "
            "by source, field and reason; the inquiries themselves were counted.",
            ["source", "field", "reason"],
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
        self.visits_missed = PromCounter(
            names.VISITS_MISSED,
            "Reception tickets and appointments missed (no_show) or cancelled before they were served (not inquiries).",
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
        self.outcomes: dict[str, int] = {"accepted": 0, "duplicate": 0, "rejected": 0}  # for /health

    def source_label(self, source: str | None, *, valid: bool = True) -> str:
        """A bounded label value for a source (see SourceLabels)."""
        return self.sources.label(source, valid=valid)

    def record(
        self,
        accepted: Mapping[tuple[str, str, str, str], int],
        outcomes: Mapping[tuple[str, str], int],
        rejected: Iterable[Rejection],
        newest_by_source: Mapping[str, float],
        service: Mapping[tuple[str, str, str], int],
        findings: Mapping[tuple[str, str, str], int] | None = None,
        corrections: Mapping[str, int] | None = None,
    ) -> None:
        """Add one batch's tallies: one increment per label set, not per event."""
        department = self.departments.labels
        for (municipality, dept, channel, direction), n in accepted.items():
            self.inquiries.labels(*department(municipality, dept), channel, direction).inc(n)
        for (municipality, dept, kind), n in service.items():
            if kind == "call_abandoned":
                self.calls_abandoned.labels(*department(municipality, dept)).inc(n)
            elif kind.startswith("visit_"):
                self.visits_missed.labels(*department(municipality, dept), kind.removeprefix("visit_")).inc(n)
            else:
                outcome = kind.removeprefix("selfservice_")
                self.selfservice_attempts.labels(*department(municipality, dept), outcome).inc(n)
        for (source, outcome), n in outcomes.items():  # valid events first: they may earn their source a series
            self.events.labels(self.source_label(source), outcome).inc(n)
            self.outcomes[outcome] += n
        for (source, field, reason), n in (findings or {}).items():
            self.findings.labels(self.source_label(source), field, reason).inc(n)
        for source, n in (corrections or {}).items():
            self.corrections.labels(self.source_label(source)).inc(n)
        by_reason: Counter[tuple[str, str]] = Counter(
            (self.source_label(r.source, valid=False), r.reason.value) for r in rejected
        )
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
    per worker; so do the national view and the league tables. `department_series`
    (FULL or LEAN) says how much a department exports.
    """

    def __init__(
        self,
        aggregations: Callable[[], list[Aggregation]],
        *,
        clock: str,
        municipality_view: Callable[[], Aggregation | None] = lambda: None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        min_interval_s: float = 1.0,
        departments: DepartmentLabels | None = None,
        league_min_inquiries: int = DEFAULT_MIN_INQUIRIES,
        department_series: str = FULL,
    ) -> None:
        self.departments = departments if departments is not None else DepartmentLabels()
        self._aggregations = aggregations
        self._league_min_inquiries = league_min_inquiries
        self._department_series = department_series
        self._municipality_view = municipality_view
        self._clock = clock
        self._now = now
        self._min_interval_s = min_interval_s  # recompute at most this often, however often scraped
        self._cache_key: tuple[Any, ...] | None = None
        self._cache_ref_day: int | None = None
        self._computed_at = -float("inf")
        self._cache: list[GaugeMetricFamily] = []

    def reference_time(self, local: list[Aggregation], view: Aggregation | None = None) -> datetime | None:
        """The end of every window: now, or with the event clock the newest event that is no lone outlier."""
        if self._clock == "event":
            return event_clock(local, view)
        return self._now()

    def reference_day(self) -> int | None:
        local, view = self._aggregations(), self._municipality_view()
        everything = local + ([view] if view is not None else [])
        ref = self.reference_time(local, view)
        return None if ref is None or not everything else local_day(ref, everything[0].tz)

    def collect(self) -> Iterator[GaugeMetricFamily]:
        local, view = self._aggregations(), self._municipality_view()
        everything = local + ([view] if view is not None else [])
        ref = self.reference_time(local, view)
        if ref is None or not everything:
            return iter(())
        ref_day = local_day(ref, everything[0].tz)
        key = (ref_day, view is not None, tuple((id(a), a.version) for a in everything))
        recent = (
            time.monotonic() - self._computed_at < self._min_interval_s
            and ref_day == self._cache_ref_day
            and self._cache_key is not None
            and self._cache_key[1] == (view is not None)  # the whole municipality just became (un)available
        )
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
            "Service events (abandoned calls, self-service attempts started or abandoned, reception visits missed or "
            "cancelled) in the window.",
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
        parts = window_parts(local, ref_day)
        whole = window_parts([view], ref_day) if view is not None else None
        budget = self.departments
        volumes = Counter({dept: sum(c.values()) for dept, c in parts["channels"]["365d"].items()})
        volumes.update({dept: sum(c.values()) for dept, c in parts["kinds"]["365d"].items()})
        municipalities: Counter[str] = Counter()
        if whole is not None:
            for part in ("channels", "kinds"):
                for (municipality, _), in_window in whole[part]["365d"].items():
                    municipalities[municipality] += sum(in_window.values())
        budget.rerank(volumes, municipalities if whole is not None else None)
        folded = _labelled(parts, whole, budget)
        channels, completions, kinds = folded["channels"], folded["completions"], folded["kinds"]
        lean = self._department_series == LEAN
        used: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {}
        if lean:  # a department's pairs that had inquiries within the year (365 days or the year to date)
            for key in channels[WINDOWS[0]]:
                year = channels["365d"].get(key, Counter()) + channels["ytd"].get(key, Counter())
                used[key] = tuple(p for p in pairs if year.get(p))
        for window in WINDOWS:
            for (municipality, department), dept_counts in sorted(channels[window].items()):
                everything = department == identifiers.ALL_DEPARTMENTS or not lean
                for channel, direction in pairs if everything else used[(municipality, department)]:
                    counts.add_metric(
                        [municipality, department, channel, direction, window],
                        dept_counts.get((channel, direction), 0),
                    )
                if everything:
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
        over = GaugeMetricFamily(
            names.DEPARTMENTS_OVER_BUDGET,
            f"Departments counted under department={names.OTHER} because the label budget is spent "
            "(KOMHEN_MAX_DEPARTMENTS per municipality, KOMHEN_MAX_MUNICIPALITIES).",
            labels=["municipality"],
        )
        for municipality, n in sorted(budget.over_budget.items()):
            over.add_metric([municipality], n)
        info = department_info(local, budget)
        national = [] if whole is None else self._national(whole)
        return [counts, shares, service, answer, completion, first_contact, reference, over, info, *national]

    def _national(self, whole: Mapping[str, WindowCounts]) -> list[GaugeMetricFamily]:
        """The national view from every municipality's totals in the global view (present only with it).

        Read before the label budget folds anything: the sums, the averages and the league are
        over the real municipalities, whatever gets a series of its own."""
        per_municipality = {
            part: {w: municipality_totals(whole[part][w]) for w in WINDOWS} for part in ("channels", "completions")
        }
        return national_families(
            per_municipality["channels"], per_municipality["completions"], self._league_min_inquiries
        )


def department_info(aggregations: Iterable[Aggregation], budget: DepartmentLabels) -> GaugeMetricFamily:
    """1 per department this worker exports, with its display name (e.g. 'Børn og Unge') as a label.

    The one free-text label of the worker, bounded like the departments themselves: one series per
    department with series of its own (within the label budget), the name of its newest named
    inquiry (checked for personal data when it arrived), or where no inquiry named it the slug (the
    blank unit: Enhed ikke angivet), so a join never loses a department. Dashboards and the live
    table join on (municipality, department) to show it.
    """
    info = GaugeMetricFamily(
        names.DEPARTMENT_INFO,
        "1 per department, with its display name as the newest inquiry that named it gave it (department_name).",
        labels=["municipality", "department", "department_name"],
    )
    aggregations = list(aggregations)
    named = {dept: unnamed(dept[1]) for aggregation in aggregations for dept in aggregation.buckets}
    for aggregation in aggregations:
        named.update(aggregation.department_names())
    for (municipality, department), name in sorted(named.items()):
        if budget.labels(municipality, department) == (municipality, department):
            info.add_metric([municipality, department, name], 1)
    return info


def _labelled(
    parts: Mapping[str, WindowCounts], whole: Mapping[str, WindowCounts] | None, labels: DepartmentLabels
) -> dict[str, WindowCounts]:
    """Local departments under their label values (beyond the budget summed as `_other`), plus each
    municipality as department `_all` when this worker has the whole view. The input is read only:
    a department with its own series shares its Counters, a sum gets Counters of its own."""
    out: dict[str, WindowCounts] = {part: {w: {} for w in WINDOWS} for part in parts}
    summed: set[tuple[str, str]] = set()
    for dept in list(parts["channels"][WINDOWS[0]]):
        _put(out, summed, labels.labels(*dept), lambda part, w, dept=dept: parts[part][w][dept])  # type: ignore[misc]
    if whole is not None:
        totals = {part: {w: municipality_totals(whole[part][w]) for w in WINDOWS} for part in whole}
        for municipality in list(totals["channels"][WINDOWS[0]]):
            _put(
                out,
                summed,
                labels.all_labels(municipality),
                lambda part, w, m=municipality: totals[part][w].get(m, Counter()),  # type: ignore[misc]
            )
    return out


def _put(
    out: dict[str, WindowCounts],
    summed: set[tuple[str, str]],
    key: tuple[str, str],
    counts_of: Callable[[str, str], Counter[Any]],
) -> None:
    """Set, or add to, the counts of `key` in every part and window."""
    if key not in out["channels"][WINDOWS[0]]:
        for part, windows in out.items():
            for w, target in windows.items():
                target[key] = counts_of(part, w)  # shared with the state's kept sums until a second one adds
        return
    copy = key not in summed
    summed.add(key)
    for part, windows in out.items():
        for w, target in windows.items():
            acc = target[key]
            if copy:
                acc = target[key] = Counter(acc)
            for item, n in counts_of(part, w).items():
                acc[item] = acc.get(item, 0) + n


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
