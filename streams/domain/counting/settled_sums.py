"""Window sums of one partition's departments, kept between scrapes: settled days summed once per reference day.

A module of its own because it is a cache with its own rules (what makes a department's sums
stale, when they are summed again), kept apart from the counting it speeds up.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from streams.domain.counting.day_buckets import DayBucket, DepartmentKey
from streams.domain.counting.windows import WINDOWS, windows_containing

PARTS = ("channels", "completions", "kinds")  # the bucket projections windows are summed from
DeptWindows = dict[str, dict[str, Counter[Any]]]  # part -> window -> counts


def _sum_days(days: Iterable[tuple[int, DayBucket]], ref_day: int) -> DeptWindows:
    out: DeptWindows = {part: {w: Counter() for w in WINDOWS} for part in PARTS}
    for day, bucket in days:
        for w in windows_containing(day, ref_day):
            out["channels"][w].update(bucket.channels)
            out["completions"][w].update(bucket.completions)
            out["kinds"][w].update(bucket.kinds)
    return out


class SettledSums:
    """Window sums over each department's settled days (before yesterday), kept between scrapes.

    A year of 50 departments is 18,000 buckets; summing them all took a second per scrape.
    Settled days rarely change, so their sums are kept per department for one reference day
    and only a department with a changed settled day is summed again. Today and yesterday,
    which change all the time, are added on top, and the result is kept too until one of the
    department's buckets changes: with a thousand departments, a computation redoes only the
    departments that counted something since the last one.
    """

    def __init__(self) -> None:
        self.ref_day: int | None = None
        self.sums: dict[DepartmentKey, DeptWindows] = {}
        self.full: dict[DepartmentKey, DeptWindows] = {}  # settled + recent, until the department changes
        self.dirty: set[tuple[DepartmentKey, int]] = set()  # buckets changed since the last computation

    def windows(
        self, buckets: Mapping[DepartmentKey, Mapping[int, DayBucket]], ref_day: int
    ) -> dict[DepartmentKey, DeptWindows]:
        """Per department its window sums; a department that did not change is not summed again
        (thousands of departments cost a dictionary lookup each). Read-only: the sums are kept."""
        recent = ref_day - 1
        if ref_day != self.ref_day:
            self.sums.clear()
            self.full.clear()
            self.ref_day = ref_day
        for dept, day in self.dirty:
            self.full.pop(dept, None)
            if day < recent:
                self.sums.pop(dept, None)
        self.dirty.clear()
        out: dict[DepartmentKey, DeptWindows] = {}
        for dept, days in buckets.items():
            result = self.full.get(dept)
            if result is None:
                settled = self.sums.get(dept)
                if settled is None:
                    settled = self.sums[dept] = _sum_days(((d, b) for d, b in days.items() if d < recent), ref_day)
                result = _sum_days(((d, days[d]) for d in (recent, ref_day) if d in days), ref_day)
                for part, windows in result.items():
                    for w, counts in windows.items():
                        counts.update(settled[part][w])
                self.full[dept] = result
            out[dept] = result
        return out
