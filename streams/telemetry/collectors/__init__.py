"""What a worker exports at /metrics: counters the pipeline increments, and collectors that read figures.

Each collector has one concern and only reads and emits (client_python's gc_collector): the
figures it reads are computed before the scrape (streams/telemetry/figures.py, target_progress.py).
The wiring imports from this package (the keepers of the figures too), and registers the state
gauges with `register_state`.
"""

from collections.abc import Callable

from prometheus_client import CollectorRegistry

from streams.telemetry.collectors.counters import PipelineMetrics
from streams.telemetry.collectors.departments import (
    ChannelShareCollector,
    DepartmentInfoCollector,
    LabelBudgetCollector,
    ReferenceTimeCollector,
    ServiceEventCollector,
    ServiceRateCollector,
    WindowInquiryCollector,
)
from streams.telemetry.collectors.league import LeagueCollector, NationalCollector
from streams.telemetry.collectors.restores import RestoreCollector, RestoreFigures, SnapshotMetrics
from streams.telemetry.collectors.summaries import SkippedSummariesCollector
from streams.telemetry.collectors.targets import TargetCollector
from streams.telemetry.collectors.worker import WorkerCollector
from streams.telemetry.figures import DEPARTMENT_SERIES, FigureKeeper, StateFigures
from streams.telemetry.target_progress import TargetProgress

# The state gauges in the order /metrics writes them.
STATE_COLLECTORS = (
    WindowInquiryCollector,
    ChannelShareCollector,
    ServiceEventCollector,
    ServiceRateCollector,
    ReferenceTimeCollector,
    LabelBudgetCollector,
    DepartmentInfoCollector,
    NationalCollector,
    LeagueCollector,
)


def register_state(registry: CollectorRegistry, figures: Callable[[], StateFigures | None]) -> None:
    """Register every state gauge's collector, each reading `figures` (a FigureKeeper's `current`)."""
    for collector in STATE_COLLECTORS:
        registry.register(collector(figures))


__all__ = [
    "DEPARTMENT_SERIES",
    "STATE_COLLECTORS",
    "ChannelShareCollector",
    "DepartmentInfoCollector",
    "FigureKeeper",
    "LabelBudgetCollector",
    "LeagueCollector",
    "NationalCollector",
    "PipelineMetrics",
    "ReferenceTimeCollector",
    "RestoreCollector",
    "RestoreFigures",
    "ServiceEventCollector",
    "ServiceRateCollector",
    "SkippedSummariesCollector",
    "SnapshotMetrics",
    "StateFigures",
    "TargetCollector",
    "TargetProgress",
    "WindowInquiryCollector",
    "WorkerCollector",
    "register_state",
]
