"""The worker's whole /metrics page, byte for byte: every collector over one fixed state (golden files).

Two workers of one deployment: the exporting one (the global view: whole municipalities, the
national view and the league, targets) with FULL department series and a label budget that
folds departments into `_other`, and one without the view that exports LEAN series. Regenerate
the golden files with `.venv/bin/python -m tests.unit.telemetry.test_metrics_page` after a change that is
meant to change the page, and read the diff.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import prometheus_client
import pytest
from prometheus_client import CollectorRegistry, generate_latest

from streams.documents.targets import load_target_file
from streams.domain.counting.aggregation import Aggregation
from streams.domain.events.inquiry import Reason
from streams.domain.events.messages import Rejection
from streams.domain.events.service import ServiceEvent, ServiceKind
from streams.telemetry.collectors import (
    FigureKeeper,
    PipelineMetrics,
    RestoreCollector,
    RestoreFigures,
    SnapshotMetrics,
    TargetCollector,
    TargetProgress,
    WorkerCollector,
    register_state,
)
from streams.telemetry.exposition import exposition
from streams.telemetry.labels import DepartmentLabels, SourceLabels
from tests.fixtures.factories import REPO_ROOT, inquiry
from tests.unit.domain.measures.test_league import MIN
from tests.unit.telemetry.test_national_metrics import aggregations, view_of

GOLDEN = REPO_ROOT / "tests" / "data" / "telemetry"
PAGES = ("exporting-full", "local-lean")


def _more_departments(aggregation: Aggregation) -> None:
    """Ishøj's named departments and service events, more than the budget of two gives series of their own."""
    at = "2026-11-20T10:00:00+01:00"
    for i, (department, name, n) in enumerate(
        (("boern-og-unge", "Børn og Unge", 5), ("skole-1", "Skole 1", 3), ("skole-2", None, 2), ("jobcenter", None, 1))
    ):
        for j in range(n):
            aggregation.add(
                inquiry(f"d{i}-{j}", department=department, department_name=name, channel="email", occurred_at=at)
            )
    kinds = (*[ServiceKind.CALL_ABANDONED] * 3, ServiceKind.SELFSERVICE_STARTED, ServiceKind.VISIT_NO_SHOW)
    for i, kind in enumerate(kinds):
        event = ServiceEvent(kind, f"s{i}", "telephony", inquiry().occurred_at, "183", "borgerservice")
        aggregation.add_service(event)


def _pipeline_counters(registry: CollectorRegistry, departments: DepartmentLabels) -> None:
    metrics = PipelineMetrics(registry, sources=SourceLabels(["telephony"]), departments=departments)
    metrics.record(
        {("183", "borgerservice", "phone", "in"): 3, ("183", "boern-og-unge", "email", "in"): 5},
        Counter({("telephony", "accepted"): 8, ("webform", "duplicate"): 1}),
        [Rejection(Reason.UNKNOWN_CODE, "x", "channel", None, "made-up", "{}")],
        {"telephony": 1.7e12},
        {
            ("183", "borgerservice", "call_abandoned"): 3,
            ("183", "borgerservice", "selfservice_started"): 1,
            ("183", "borgerservice", "visit_no_show"): 1,
        },
        findings={("telephony", "department_name", "normalised"): 2},
        corrections={"webform": 1},
    )


def page(name: str) -> bytes:
    """The /metrics bytes of one of the two workers."""
    local = aggregations()
    _more_departments(local[0])
    exporting = name == "exporting-full"
    view = view_of(local) if exporting else None
    whole = (lambda: view.aggregation) if view is not None else (lambda: None)
    departments = DepartmentLabels(max_departments=2, max_municipalities=3, declared=[("183", "jobcenter")])
    registry = CollectorRegistry()
    _pipeline_counters(registry, departments)
    snapshots = SnapshotMetrics(registry)
    snapshots.restored("snapshot", "")
    snapshots.written(2048)
    state = FigureKeeper(
        lambda: local if exporting else local[:1],
        clock="event",
        municipality_view=whole,
        min_interval_s=0,
        departments=departments,
        league_min_inquiries=MIN,
        department_series="full" if exporting else "lean",
    )
    register_state(registry, state.current)
    targets = (load_target_file(REPO_ROOT / "deploy" / "targets" / "ishoej.yaml"),)
    registry.register(TargetCollector(TargetProgress(targets, whole, state.reference_day).current))
    registry.register(WorkerCollector(lambda: 2, lambda: 0, lambda: 10, lambda: {("inquiries", 0): 4}, started=1.0))
    figures = {
        0: RestoreFigures("snapshot", "", 12, 2048, 1.7e9, 3),
        1: RestoreFigures("restoring", "", 0, 0, None, None),
    }
    registry.register(RestoreCollector(lambda: figures))
    text = exposition(registry)
    assert text == generate_latest(registry)
    return text


@pytest.fixture(autouse=True)
def _no_created_series() -> Iterator[None]:
    """As the worker serves it: no `_created` series, whose values would be the time the test ran."""
    prometheus_client.disable_created_metrics()
    yield
    prometheus_client.enable_created_metrics()


@pytest.mark.parametrize("name", PAGES)
def test_the_whole_metrics_page_is_the_golden_file(name: str) -> None:
    assert page(name).decode("utf-8") == (GOLDEN / f"{name}.txt").read_text(encoding="utf-8")


def _write_golden(out: Path = GOLDEN) -> None:
    prometheus_client.disable_created_metrics()
    out.mkdir(parents=True, exist_ok=True)
    for name in PAGES:
        (out / f"{name}.txt").write_bytes(page(name))


if __name__ == "__main__":
    _write_golden()
