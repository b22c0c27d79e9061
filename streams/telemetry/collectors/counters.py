"""Counters of what the pipeline saw, incremented once per batch and label set.

Created against an injected registry (faust's `FaustMetrics.create(registry)` habit). Label
values come from the label budget (telemetry/labels.py), so no input can create unlimited series.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from prometheus_client import CollectorRegistry, Gauge
from prometheus_client import Counter as PromCounter

from streams.contract import names
from streams.domain.events.messages import Rejection
from streams.telemetry.labels import DepartmentLabels, SourceLabels


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
