"""Records of the summaries topic that the global view skipped, by why: a counter read at scrape time.

Every reason is present from the start (0), so `increase()` sees the first skipped record.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector

from streams.contract import names
from streams.domain.counting.summaries import GlobalView, SummaryProblem


class SkippedSummariesCollector(Collector):
    """komhen_summaries_skipped_total{reason}: records no worker wrote, skipped by the global view."""

    def __init__(self, view: GlobalView) -> None:
        self._view = view

    def collect(self) -> Iterator[CounterMetricFamily]:
        family = CounterMetricFamily(
            names.SUMMARIES_SKIPPED,
            "Records of the summaries topic skipped by the global view, by the rule they broke.",
            labels=["reason"],
        )
        skipped = self._view.skipped.copy()
        for problem in SummaryProblem:
            family.add_metric([problem.value], skipped[problem])
        yield family
