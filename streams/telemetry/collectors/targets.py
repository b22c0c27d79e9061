"""Target progress as Prometheus gauges, written from the figures of TargetProgress.

No verdict on too few inquiries: where a target's window holds fewer inquiries than its
minimum, only what is not a verdict is exported (threshold, plan, the inquiries counted, the
minimum, info) and the state is `too_few_inquiries`; the actual value, met, trend and
projection are left out, so no panel or alert can judge it.
"""

from __future__ import annotations

from collections.abc import Sequence

from prometheus_client.core import GaugeMetricFamily

from streams.contract import names
from streams.domain.measures.progress import TargetState
from streams.telemetry.collectors.base import FiguresCollector
from streams.telemetry.target_progress import TargetFigure

LABELS = ["target", "municipality", "department"]
FAMILIES = (  # (name after komhen_target_, help)
    ("actual", "The target's measure now, over its window (absent below the target's minimum of inquiries)."),
    ("threshold", "The value the target must reach (>=) or stay under (<=)."),
    ("expected", "Where the glide path from the baseline to the threshold says the value should be today."),
    ("met", "1 when the target is met today, 0 when not."),
    ("slope_per_day", "Trend of the measure per day over the last four weeks."),
    ("projected_reach_timestamp_seconds", "When the threshold is reached at the current pace."),
    ("inquiries", "Inquiries in the window the target's measure rests on (its population)."),
    ("min_inquiries", "The fewest inquiries a verdict rests on; below it the state is too_few_inquiries."),
)


class TargetCollector(FiguresCollector[Sequence[TargetFigure]]):
    """komhen_target_* for every target and scope; exported by the worker holding the global view."""

    def families(self, figures: Sequence[TargetFigure]) -> list[GaugeMetricFamily]:
        families = {name: GaugeMetricFamily(names.TARGET_PREFIX + name, text, labels=LABELS) for name, text in FAMILIES}
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
        for figure in figures:
            s, target = figure.status, figure.target
            labels = [s.target_id, s.municipality, s.department]
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
            if figure.projected_reach is not None:
                families["projected_reach_timestamp_seconds"].add_metric(labels, figure.projected_reach)
            info.add_metric(
                [*labels, target.comparator, target.severity, target.owner.label, target.title, target.window], 1.0
            )
        return [*families.values(), state, info]
