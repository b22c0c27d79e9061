"""Target progress as Prometheus gauges, computed at scrape time from the global view.

No verdict on too few inquiries: where a target's window holds fewer inquiries than its
minimum, only what is not a verdict is exported (threshold, plan, the inquiries counted, the
minimum, info) and the state is `too_few_inquiries`; the actual value, met, trend and
projection are left out, so no panel or alert can judge it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, time

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from streams.contract import names
from streams.domain.counting.aggregation import Aggregation
from streams.domain.measures.progress import EvaluationCache, TargetState, TargetStatus, evaluate_targets
from streams.domain.measures.targets import TargetFile

LABELS = ["target", "municipality", "department"]


def _midnight(day: date, aggregation: Aggregation) -> float:
    return datetime.combine(day, time(0), aggregation.tz).timestamp()


class TargetCollector(Collector):
    """komhen_target_* for every target and scope; exported by the worker holding the global view."""

    def __init__(
        self,
        target_files: tuple[TargetFile, ...],
        view: Callable[[], Aggregation | None],
        reference_day: Callable[[], int | None],
    ) -> None:
        self._files = target_files
        self._view = view
        self._reference_day = reference_day
        self._targets = {(f.municipality, t.id): t for f in target_files for t in f.targets}
        self._cache = EvaluationCache()  # merged days and day tallies, kept between scrapes

    def collect(self) -> Iterator[GaugeMetricFamily]:
        view, ref_day = self._view(), self._reference_day()
        if view is None or ref_day is None or not self._files:
            return iter(())
        families = {
            name: GaugeMetricFamily(names.TARGET_PREFIX + name, text, labels=LABELS)
            for name, text in (
                (
                    "actual",
                    "The target's measure now, over its window (absent below the target's minimum of inquiries).",
                ),
                ("threshold", "The value the target must reach (>=) or stay under (<=)."),
                ("expected", "Where the glide path from the baseline to the threshold says the value should be today."),
                ("met", "1 when the target is met today, 0 when not."),
                ("slope_per_day", "Trend of the measure per day over the last four weeks."),
                ("projected_reach_timestamp_seconds", "When the threshold is reached at the current pace."),
                ("inquiries", "Inquiries in the window the target's measure rests on (its population)."),
                ("min_inquiries", "The fewest inquiries a verdict rests on; below it the state is too_few_inquiries."),
            )
        }
        state = GaugeMetricFamily(
            names.TARGET_STATE,
            "1 for the target's state (met, on_schedule, behind_schedule, missed, too_few_inquiries), "
            "0 for the others.",
            labels=[*LABELS, names.LABEL_STATE],
        )
        info = GaugeMetricFamily(
            names.TARGET_INFO,
            "Static facts of each target (always 1).",
            labels=[*LABELS, "comparator", "severity", "owner", "title", "window"],
        )
        for target_file in self._files:
            for status in evaluate_targets(target_file, [view], ref_day, self._cache):
                self._add(families, info, state, status, view)
        return iter([*families.values(), state, info])

    def _add(
        self,
        families: dict[str, GaugeMetricFamily],
        info: GaugeMetricFamily,
        state: GaugeMetricFamily,
        s: TargetStatus,
        view: Aggregation,
    ) -> None:
        labels = [s.target_id, s.municipality, s.department]
        target = self._targets[(s.municipality, s.target_id)]
        families["threshold"].add_metric(labels, s.threshold)
        families["expected"].add_metric(labels, s.expected)
        families["inquiries"].add_metric(labels, s.inquiries)
        families["min_inquiries"].add_metric(labels, s.min_inquiries)
        for each in TargetState:
            state.add_metric([*labels, each.value], 1.0 if each is s.state else 0.0)
        if s.judged and s.actual is not None:
            families["actual"].add_metric(labels, s.actual)
        if s.met is not None:
            families["met"].add_metric(labels, 1.0 if s.met else 0.0)
        if s.slope_per_day is not None:
            families["slope_per_day"].add_metric(labels, s.slope_per_day)
        if s.projected_reach is not None:
            families["projected_reach_timestamp_seconds"].add_metric(labels, _midnight(s.projected_reach, view))
        info.add_metric(
            [*labels, target.comparator, target.severity, target.owner.label, target.title, target.window], 1.0
        )
