"""Targets judged over a report period: met, on schedule (on the glide path), behind, or too few inquiries.

A target file's measure is computed over the report period's cells (not the target's rolling
window): a status report for counting weeks judges the counting weeks.

- actual: the measure over the period; earlier: over the comparison period;
- glide path: where the line from the target's baseline to its threshold at the deadline
  stands on the period's last day (the threshold itself without a baseline, or after the deadline);
- verdict: *for få henvendelser* when the measure's population (its denominator) holds fewer
  than `min_inquiries`; else *nået* when the actual meets the threshold, *på sporet* when it
  meets the glide path, *bagud* otherwise;
- projected date: at the pace between the two periods (change of the measure divided by the
  days between their middles), the day the threshold is reached; none when the target is met,
  the pace is flat or heads away, or the comparison period has too few inquiries too.

Scopes: a target for `_all` is judged on the whole selection (the municipality, or the chosen
departments together); a target for a department is judged on that department when the
selection includes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from streams.contract.identifiers import ALL_DEPARTMENTS
from streams.domain.counting.day_buckets import Cell
from streams.domain.measures.measures import Measure
from streams.domain.measures.progress import expected_value, projected_reach
from streams.domain.measures.targets import Target, TargetFile
from streams.domain.report.figures import Value, share
from streams.domain.report.periods import Period


class Verdict(StrEnum):
    MET = "met"
    ON_SCHEDULE = "on_schedule"
    BEHIND = "behind"
    TOO_FEW = "too_few"


@dataclass(frozen=True)
class GoalResult:
    target: Target
    department: str  # ALL_DEPARTMENTS: the report's whole selection
    unit_name: str
    actual: Value
    earlier: Value
    expected: float  # the glide path on the period's last day
    verdict: Verdict
    projected: date | None

    @property
    def is_rate(self) -> bool:
        return self.target.measure.is_rate


def target_value(target: Target, cells: Mapping[Cell, int]) -> Value:
    """The target's measure with the counts it rests on (the cost: DKK over priced inquiries)."""
    if target.measure is Measure.COST_PER_INQUIRY:
        total = 0.0
        priced = 0
        for cell, n in cells.items():
            price = target.prices.get(cell.channel)
            if price is not None and target.denominator.matches(cell):
                total += price * n
                priced += n
        return Value(total / priced if priced else None, total, priced)
    return share(cells, target.numerator, target.denominator)


def judge(
    target: Target, actual: Value, earlier: Value, period: Period, comparison: Period, min_inquiries: int
) -> tuple[float, Verdict, date | None]:
    """(glide path on the last day, verdict, projected date) of one target in one scope."""
    expected = expected_value(target, period.last)
    if actual.value is None or (actual.population or 0) < min_inquiries:
        return expected, Verdict.TOO_FEW, None
    if target.meets(actual.value, target.threshold):
        return expected, Verdict.MET, None
    verdict = Verdict.ON_SCHEDULE if target.meets(actual.value, expected) else Verdict.BEHIND
    projected = None
    if earlier.value is not None and (earlier.population or 0) >= min_inquiries:
        slope = (actual.value - earlier.value) / (period.middle - comparison.middle)
        projected = projected_reach(target, actual.value, slope, period.last_day)
    return expected, verdict, projected


def evaluate_goals(
    files: Iterable[TargetFile],
    municipality: str,
    cells: Callable[[str, Period], Mapping[Cell, int]],
    includes: Callable[[str], bool],
    selection_name: str,
    unit_name: Callable[[str], str],
    period: Period,
    comparison: Period,
    min_inquiries: int,
) -> tuple[GoalResult, ...]:
    """Every target of the municipality's files in every scope the report covers.

    `cells(department, period)` gives a scope's cells (department ALL_DEPARTMENTS: the selection).
    """
    out = []
    for target_file in files:
        if target_file.municipality != municipality:
            continue
        for target in target_file.targets:
            for department in target.scope:
                if department != ALL_DEPARTMENTS and not includes(department):
                    continue
                actual = target_value(target, cells(department, period))
                earlier = target_value(target, cells(department, comparison))
                expected, verdict, projected = judge(target, actual, earlier, period, comparison, min_inquiries)
                name = selection_name if department == ALL_DEPARTMENTS else unit_name(department)
                out.append(GoalResult(target, department, name, actual, earlier, expected, verdict, projected))
    return tuple(out)
