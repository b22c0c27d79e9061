"""Metrics of snapshots and restores: how each owned partition's state was restored, and what was written.

A restore takes one of three paths: `snapshot` (loaded, then the input topic read from the
offset it covers), `full_replay` (no usable snapshot: the input topic read from its start;
the reason says why) or `none` (nothing to read). Figures per owned partition are computed at
scrape time from the worker's slots, like the other state gauges.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import NamedTuple

from prometheus_client import CollectorRegistry
from prometheus_client import Counter as PromCounter
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from streams.contract import names
from streams.domain.counting.snapshot_codec import DAMAGE_REASONS, NO_SNAPSHOT

PATHS = ("snapshot", "full_replay", "none")


class RestoreFigures(NamedTuple):
    """One owned partition: how its state was restored (path "restoring" until done), what it read."""

    path: str
    reason: str
    events: int  # events restored: held by the snapshot plus counted again from the input topic
    snapshot_bytes: int
    snapshot_at: float | None  # when its newest snapshot was written or loaded by this worker
    behind: int | None  # input records counted that its newest snapshot does not cover (None: no snapshot)


class SnapshotMetrics:
    """Counters of restores by path and of snapshots written."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.restores = PromCounter(
            names.RESTORES,
            "Partition restores by path (snapshot, full_replay, none) and, for a full replay, the reason.",
            ["path", "reason"],
            registry=registry,
        )
        self.snapshots = PromCounter(
            names.SNAPSHOTS_WRITTEN,
            "Snapshot writes of one partition, by outcome (ok, failed: the previous snapshot stays valid).",
            ["outcome"],
            registry=registry,
        )
        self.bytes = PromCounter(
            names.SNAPSHOT_WRITTEN_BYTES,
            "Bytes of snapshot records written (changed day buckets only).",
            registry=registry,
        )
        for path in PATHS:  # present from the start, so rate() and increase() see the first restore
            self.restores.labels(path, "")
        for reason in (NO_SNAPSHOT, *DAMAGE_REASONS):  # KomhenSnapshotUnusable counts their increase
            self.restores.labels("full_replay", reason)
        self.snapshots.labels("ok")
        self.snapshots.labels("failed")

    def restored(self, path: str, reason: str) -> None:
        self.restores.labels(path, reason).inc()

    def written(self, n_bytes: int) -> None:
        self.snapshots.labels("ok").inc()
        self.bytes.inc(n_bytes)

    def failed(self) -> None:
        self.snapshots.labels("failed").inc()


class RestoreCollector(Collector):
    """Per owned partition: restore path, events restored, snapshot bytes read, age of its snapshot."""

    def __init__(self, figures: Callable[[], Mapping[int, RestoreFigures]]) -> None:
        self._figures = figures

    def collect(self) -> Iterator[GaugeMetricFamily]:
        path = GaugeMetricFamily(
            names.RESTORE_PATH,
            "1 for each owned partition, labelled with how its state was restored (restoring until done).",
            labels=["partition", "path", "reason"],
        )
        events = GaugeMetricFamily(
            names.RESTORED_EVENTS,
            "Events restored into an owned partition's state: from its snapshot plus read again from the input.",
            labels=["partition"],
        )
        read = GaugeMetricFamily(
            names.SNAPSHOT_READ_BYTES, "Snapshot bytes read to restore an owned partition.", labels=["partition"]
        )
        written = GaugeMetricFamily(
            names.SNAPSHOT_TIMESTAMP,
            "When the newest snapshot of an owned partition was written (or loaded) by this worker.",
            labels=["partition"],
        )
        behind = GaugeMetricFamily(
            names.SNAPSHOT_BEHIND,
            "Input records counted in an owned partition that its newest snapshot does not cover yet.",
            labels=["partition"],
        )
        for partition, f in sorted(self._figures().items()):
            label = str(partition)
            path.add_metric([label, f.path, f.reason], 1)
            events.add_metric([label], f.events)
            read.add_metric([label], f.snapshot_bytes)
            if f.snapshot_at is not None:
                written.add_metric([label], f.snapshot_at)
            if f.behind is not None:
                behind.add_metric([label], f.behind)
        return iter([path, events, read, written, behind])
