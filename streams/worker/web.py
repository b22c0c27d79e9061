"""What the worker's web server shows: /metrics (Prometheus) and `/`, the status report of the last
28 days; and the collectors that turn the counting state into metrics at scrape time.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

import faust
from mode import Service
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, ProcessCollector, disable_created_metrics

from streams.contract.identifiers import ALL_DEPARTMENTS
from streams.domain.counting.windows import local_day
from streams.domain.measures.targets import TargetFile
from streams.generators.status.live import SOURCE_COUNTED, SOURCE_IN_PART, LiveInputs, Page, live_page
from streams.telemetry.collectors import (
    FigureKeeper,
    RestoreCollector,
    SkippedSummariesCollector,
    TargetCollector,
    TargetProgress,
    WorkerCollector,
    register_state,
)
from streams.telemetry.exposition import exposition
from streams.telemetry.labels import DepartmentLabels
from streams.worker.counting import Counting, ReferenceTime
from streams.worker.pipeline import Pipeline
from streams.worker.service_settings import MetricsSettings, WebSettings
from streams.worker.snapshotting import Snapshots
from streams.worker.summaries import Summaries


def department_labels(settings: MetricsSettings, targets: tuple[TargetFile, ...]) -> DepartmentLabels:
    """The label budget of departments; those named in target scopes and KOMHEN_DEPARTMENTS are declared."""
    scoped = {(tf.municipality, d) for tf in targets for t in tf.targets for d in t.scope if d != ALL_DEPARTMENTS}
    return DepartmentLabels(
        max_departments=settings.max_departments,
        max_municipalities=settings.max_municipalities,
        declared=scoped | set(settings.departments),
        declared_municipalities={tf.municipality for tf in targets},
    )


def register_metrics(
    registry: CollectorRegistry,
    settings: MetricsSettings,
    departments: DepartmentLabels,
    targets: tuple[TargetFile, ...],
    counting: Counting,
    summaries: Summaries,
    snapshots: Snapshots,
) -> FigureKeeper:
    """Collectors of state, targets, the worker itself, the process and the restores, in `registry`; the keeper
    of the state's figures that they read."""
    # A counter's `_created` series doubles komhen_inquiries_total (a series per department and
    # channel) and nothing reads it: Prometheus takes a counter's start from its resets.
    disable_created_metrics()
    pipeline = counting.pipeline
    state = FigureKeeper(
        pipeline.aggregations,
        clock=settings.clock,
        municipality_view=summaries.municipality_view,
        departments=departments,
        league_min_inquiries=settings.league_min_inquiries,
        department_series=settings.department_series,
    )
    register_state(registry, state.current)
    registry.register(
        TargetCollector(TargetProgress(targets, summaries.municipality_view, state.reference_day).current)
    )
    registry.register(
        WorkerCollector(
            lambda: len(pipeline.slots),
            lambda: len(pipeline.restoring),
            lambda: sum(s.restored_records for s in list(pipeline.slots.values())),
            counting.lag,
            stalled=counting.stalled,
        )
    )
    ProcessCollector(registry=registry)
    registry.register(RestoreCollector(partial(snapshots.figures, pipeline.slots)))
    registry.register(SkippedSummariesCollector(summaries.view))
    return state


class WebPages(Service):
    """Serves /metrics from `registry` and `/` from the global view (every worker follows it), or from
    this worker's own partitions until the view has arrived."""

    def __init__(
        self,
        app: faust.App,
        settings: WebSettings,
        registry: CollectorRegistry,
        pipeline: Pipeline,
        summaries: Summaries,
        reference_time: ReferenceTime,
        inputs: LiveInputs,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.pipeline = pipeline
        self.summaries = summaries
        self.reference_time = reference_time
        self.inputs = inputs
        self._pages: dict[object, Page] = {}  # the last page, while nothing it shows has changed

        @app.page("/metrics")
        async def metrics_page(web: Any, request: Any) -> Any:
            return web.bytes(exposition(registry), content_type=CONTENT_TYPE_LATEST.split(";")[0])

        @app.page("/")
        async def status_page(web: Any, request: Any) -> Any:
            page = self.report_page(request.query.get("kommune") or None)
            return web.html(page.html, status=page.status)

    def report_page(self, municipality: str | None) -> Page:
        """The status report of `municipality` (None: all), built again only when what it shows changed."""
        view = self.summaries.view.aggregation
        whole = bool(view.buckets)
        aggregations = [view] if whole else self.pipeline.aggregations()
        ref = self.reference_time(aggregations)
        ref_day = None if ref is None else local_day(ref, self.settings.tz)
        key = (municipality, ref_day, whole, tuple((id(a), a.version) for a in aggregations))
        page = self._pages.get(key)
        if page is None:
            source = SOURCE_COUNTED if whole else SOURCE_IN_PART
            page = live_page(
                aggregations,
                municipality=municipality,
                ref_day=ref_day,
                inputs=self.inputs,
                now=datetime.now(self.settings.tz),
                source=source,
            )
            self._pages.clear()
            self._pages[key] = page
        return page
