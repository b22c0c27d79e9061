"""Where every target stands, evaluated before the target collector writes it: TargetProgress.

Evaluated from the global view on the worker that holds it, for windows ending on the state
gauges' reference day; the merged days are kept between scrapes (EvaluationCache), so a
national deployment redoes only the days that changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time

from streams.domain.counting.aggregation import Aggregation
from streams.domain.measures.progress import EvaluationCache, TargetStatus, evaluate_targets
from streams.domain.measures.targets import Target, TargetFile


@dataclass(frozen=True, slots=True)
class TargetFigure:
    """One target in one scope: its status, the target itself, and when it is projected to be reached."""

    status: TargetStatus
    target: Target
    projected_reach: float | None  # the local midnight that starts the projected day, Unix seconds


class TargetProgress:
    """Every target's status in every scope of the target files, from the view of whole municipalities."""

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
        self._cache = EvaluationCache()  # merged days and day tallies, kept between evaluations

    def current(self) -> tuple[TargetFigure, ...] | None:
        """Each target's figure now; None on a worker without the view or before the first event."""
        view, ref_day = self._view(), self._reference_day()
        if view is None or ref_day is None or not self._files:
            return None
        return tuple(
            TargetFigure(
                status,
                self._targets[(status.municipality, status.target_id)],
                None
                if status.projected_reach is None
                else datetime.combine(status.projected_reach, time(0), view.tz).timestamp(),
            )
            for target_file in self._files
            for status in evaluate_targets(target_file, [view], ref_day, self._cache)
        )
