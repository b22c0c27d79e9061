"""The worker itself: partition ownership, restore progress, lag and stalls, for health dashboards and alerts."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from streams.contract import names


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
