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
        return iter(
            [
                GaugeMetricFamily(
                    names.PARTITIONS_ASSIGNED, "Input partitions this worker owns.", value=self._assigned()
                ),
                GaugeMetricFamily(
                    names.PARTITIONS_RESTORING,
                    "Owned partitions whose state is still being rebuilt from the topic.",
                    value=self._restoring(),
                ),
                GaugeMetricFamily(
                    names.RESTORED_RECORDS,
                    "Input records read to rebuild the state of the owned partitions (not counted as new traffic).",
                    value=self._restored_records(),
                ),
                _per_partition(
                    names.CONSUMER_LAG,
                    "Records on the input topic not yet counted, per owned partition (high-watermark minus counted).",
                    self._lag(),
                ),
                _per_partition(
                    names.PARTITION_STALLED,
                    "Seconds an owned partition has had records waiting without counting one (0: keeping up).",
                    self._stalled(),
                ),
                GaugeMetricFamily(names.WORKER_START_TIME, "When this worker process started.", value=self._started),
            ]
        )


def _per_partition(name: str, documentation: str, values: Mapping[tuple[str, int], float]) -> GaugeMetricFamily:
    """A family of one value per (topic, partition), in partition order."""
    family = GaugeMetricFamily(name, documentation, labels=["topic", "partition"])
    for (topic, partition), value in sorted(values.items()):
        family.add_metric([topic, str(partition)], value)
    return family
