"""/health as a service: one word for load balancers and people, the figures behind it, and a watch
on the brokers that says in one log line when they go away and when they are back.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import faust
from mode import Service

from streams.broker.clients import BrokerWatch
from streams.domain.counting.snapshot_policy import snapshot_stale, snapshot_stale_after_s
from streams.domain.counting.totals import newest_event
from streams.telemetry.collectors import RestoreFigures
from streams.worker.counting import Counting
from streams.worker.pipeline import Pipeline
from streams.worker.service_settings import HealthSettings
from streams.worker.snapshotting import Snapshots
from streams.worker.summaries import Summaries
from streams.worker.topic_keeper import TopicKeeper

log = logging.getLogger(__name__)
BROKER_CHECK_INTERVAL_S = 5.0
STALLED_AFTER_S = 60.0  # records waiting this long without one counted: the partition is stalled


def health_status(
    *, restoring: bool, reachable: bool, joined: bool, stalled: bool = False, topics_lost: bool = False
) -> str:
    """/health's one-word summary; "joining" until the group gave this worker its first assignment;
    "stalled" when an owned partition has had records waiting for a minute without counting one;
    "degraded" while the broker is unreachable, or lost topics are not whole again (the global view
    being rebuilt then is the reason, not a restore)."""
    if stalled:
        return "stalled"
    if topics_lost:
        return "degraded"
    if restoring:
        return "restoring"
    if not reachable:
        return "degraded"
    return "ok" if joined else "joining"


class Health(Service):
    """Serves /health from counting, the global view and the snapshots; checks the brokers every few seconds."""

    def __init__(
        self,
        app: faust.App,
        settings: HealthSettings,
        pipeline: Pipeline,
        counting: Counting,
        summaries: Summaries,
        snapshots: Snapshots,
        topics: TopicKeeper,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.topics = topics
        self.pipeline = pipeline
        self.counting = counting
        self.summaries = summaries
        self.snapshots = snapshots
        self.broker = BrokerWatch(settings.bootstrap_servers, log)

        @app.page("/health")
        async def health_page(web: Any, request: Any) -> Any:
            return web.json(await self.body(), status=200)

    @Service.timer(BROKER_CHECK_INTERVAL_S)
    async def watch_broker(self) -> None:
        await self.broker.check()

    async def body(self) -> dict[str, Any]:
        pipeline, summaries = self.pipeline, self.summaries
        restoring = pipeline.restoring
        newest = newest_event(pipeline.aggregations())
        reachable = await self.broker.check()
        stalled = sorted(p for (_, p), s in self.counting.stalled().items() if s >= STALLED_AFTER_S)
        catching_up = summaries.exports_municipality and not summaries.view_whole  # `_all` is not whole: not exported
        topics = self.topics.reason()
        return {
            "status": health_status(
                restoring=bool(restoring) or catching_up,
                reachable=reachable,
                joined=pipeline.joined,
                stalled=bool(stalled),
                topics_lost=bool(topics),
            ),
            "broker": "reachable" if reachable else "unreachable",
            "topics": topics or "ok",
            "events": dict(pipeline.metrics.outcomes),  # received by this process since it started
            "partitions": sorted(pipeline.slots),
            "restoring": restoring,
            "stalled": stalled,
            "municipality": (
                ("whole" if summaries.view_whole else "catching_up")
                if summaries.exports_municipality
                else "not_exported"
            ),
            "newest_event": newest.isoformat() if newest else None,
            **self.restores(),
        }

    def restores(self) -> dict[str, Any]:
        """Per owned partition: the restore path (snapshot, full_replay, none), events, bytes; and its snapshot."""
        figures = self.snapshots.figures(self.pipeline.slots)
        return {
            "restore": {
                str(p): {"path": f.path, "reason": f.reason, "events": f.events, "snapshot_bytes": f.snapshot_bytes}
                for p, f in figures.items()
            },
            "snapshots": snapshot_health(figures, self.settings.snapshot_interval_s, now=time.time()),
        }


def snapshot_health(figures: Mapping[int, RestoreFigures], interval_s: float, *, now: float) -> dict[str, Any]:
    """When each partition's snapshot was written, how many counted records it does not cover, and which
    snapshots that makes stale (streams/domain/counting/snapshot_policy.py, the rule of KomhenSnapshotStale)."""
    return {
        "interval_s": interval_s,
        "written": {
            str(p): datetime.fromtimestamp(f.snapshot_at, UTC).isoformat()
            for p, f in figures.items()
            if f.snapshot_at is not None
        },
        "behind": {str(p): f.behind for p, f in figures.items() if f.behind is not None},
        "stale_after_s": snapshot_stale_after_s(interval_s),
        "stale": [
            p
            for p, f in figures.items()
            if f.snapshot_at is not None
            and f.behind is not None
            and snapshot_stale(now - f.snapshot_at, f.behind, interval_s)
        ],
    }
