"""The counting state: per municipality and department, one bucket per local day.

A bucket holds the joint counts of every KOMHEN dimension (a Cell), so reports, targets
and the KOMHEN export can project any combination, plus the identities of the events it
counted, so a resent event is counted once. Windows are sums of buckets; nothing here
knows about Kafka or Faust.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from enum import IntEnum
from itertools import chain
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from streams.events import InquiryEvent
from streams.service_events import ServiceEvent
from streams.windows import WINDOWS, local_day, windows_containing

ChannelDirection = tuple[str, str]
DepartmentKey = tuple[str, str]  # (municipality, department)


class Added(IntEnum):
    """What adding an event did; truthy when it was counted."""

    DUPLICATE = 0  # already counted: no change
    NEW = 1  # counted for the first time
    RECOUNTED = 2  # counted again after a reset(): in the state, but not new to this worker


class Cell(NamedTuple):
    """One combination of the KOMHEN parameters that is counted."""

    channel: str
    direction: str
    inquiry_type: str | None
    kle: str | None
    completion: str | None
    form: bool | None


# Buckets share one instance per distinct cell: a year of buckets repeats the same few
# hundred combinations, and this keeps them from costing a tuple each.
_interned: dict[Cell, Cell] = {}


ServiceCell = tuple[str, str | None]  # (kind, kle)


class Identities:
    """The identities (64-bit hashes) of the events a bucket counted, compactly.

    A day still receiving events keeps them in a set; `compact` moves them into a sorted
    array of 8 bytes each, searched by bisection, which is about a tenth of a set's memory.
    Late events for a compacted day go to a small set until the next compaction.
    """

    __slots__ = ("recent", "sealed")

    def __init__(self) -> None:
        self.recent: set[int] = set()
        self.sealed = array("q")

    def __contains__(self, identity: int) -> bool:
        if identity in self.recent:
            return True
        sealed = self.sealed
        i = bisect_left(sealed, identity)
        return i < len(sealed) and sealed[i] == identity

    def add(self, identity: int) -> None:
        self.recent.add(identity)

    def __len__(self) -> int:
        return len(self.recent) + len(self.sealed)

    def compact(self) -> bool:
        if not self.recent:
            return False
        self.sealed = array("q", sorted(chain(self.sealed, self.recent)))
        self.recent = set()
        return True


class DayBucket:
    """Counts of one department on one local day: inquiries by cell, service events by kind and task."""

    __slots__ = ("cells", "channels", "completions", "kinds", "seen", "service")

    def __init__(self) -> None:
        self.cells: dict[Cell, int] = {}
        self.channels: dict[ChannelDirection, int] = {}
        self.completions: dict[tuple[str, str], int] = {}  # (channel, completion) where one was recorded
        self.service: dict[ServiceCell, int] = {}
        self.kinds: dict[str, int] = {}
        self.seen = Identities()

    def count(self, cell: Cell, n: int) -> None:
        """Add n inquiries of a cell, and to the projections windows are summed from."""
        cell = _interned.setdefault(cell, cell)
        self.cells[cell] = self.cells.get(cell, 0) + n
        cd = (cell.channel, cell.direction)
        self.channels[cd] = self.channels.get(cd, 0) + n
        if cell.completion is not None:
            key = (cell.channel, cell.completion)
            self.completions[key] = self.completions.get(key, 0) + n


class Aggregation:
    """Day buckets of the departments whose events one input partition carries."""

    def __init__(self, tz: ZoneInfo, retention_days: int) -> None:
        self.tz = tz
        self.retention_days = retention_days
        self.buckets: dict[DepartmentKey, dict[int, DayBucket]] = {}
        self.newest: datetime | None = None
        self.version = 0  # bumped on every change, so readers can cache derived values
        self.changed: set[tuple[DepartmentKey, int]] = set()  # buckets changed since take_changed()
        self.before_reset: set[int] = set()  # identities counted before a reset (see reset())

    def _bucket(self, event: InquiryEvent | ServiceEvent) -> tuple[DepartmentKey, int, DayBucket]:
        dept = (event.municipality, event.department)
        days = self.buckets.get(dept)
        if days is None:
            days = self.buckets[dept] = {}
        day = local_day(event.occurred_at, self.tz)
        bucket = days.get(day)
        if bucket is None:
            bucket = days[day] = DayBucket()
        return dept, day, bucket

    def _changed(self, event: InquiryEvent | ServiceEvent, dept: DepartmentKey, day: int) -> None:
        if self.newest is None or event.occurred_at > self.newest:
            self.newest = event.occurred_at
        self.version += 1
        self.changed.add((dept, day))

    def add(self, event: InquiryEvent) -> Added:
        """Count an event once per (source, event_id)."""
        dept, day, bucket = self._bucket(event)
        identity = hash((event.source, event.event_id))
        if identity in bucket.seen:
            return Added.DUPLICATE
        bucket.seen.add(identity)
        cell = Cell(event.channel, event.direction, event.inquiry_type, event.kle, event.completion, event.form)
        bucket.count(cell, 1)
        self._changed(event, dept, day)
        return Added.RECOUNTED if identity in self.before_reset else Added.NEW

    def add_service(self, event: ServiceEvent) -> Added:
        """Count a service event once per (source, kind, event_id)."""
        dept, day, bucket = self._bucket(event)
        identity = hash((event.source, event.kind.value, event.event_id))
        if identity in bucket.seen:
            return Added.DUPLICATE
        bucket.seen.add(identity)
        key = (event.kind.value, event.kle)
        bucket.service[key] = bucket.service.get(key, 0) + 1
        bucket.kinds[event.kind.value] = bucket.kinds.get(event.kind.value, 0) + 1
        self._changed(event, dept, day)
        return Added.RECOUNTED if identity in self.before_reset else Added.NEW

    def prune(self, ref_day: int) -> int:
        """Drop buckets older than the retention before `ref_day`; return how many."""
        oldest = ref_day - self.retention_days
        dropped = 0
        for dept, days in self.buckets.items():
            for day in [d for d in days if d < oldest]:
                del days[day]
                self.changed.add((dept, day))
                dropped += 1
        if dropped:
            self.version += 1
        return dropped

    def reset(self) -> None:
        """Forget every count (the log they came from is gone); the dropped buckets count as changed.

        The identities are kept aside, so an event counted before the reset and read again
        from the new log rebuilds the counts without being reported as a new inquiry.
        """
        for dept, days in self.buckets.items():
            self.changed.update((dept, day) for day in days)
            for bucket in days.values():
                self.before_reset.update(bucket.seen.recent, bucket.seen.sealed)
        self.buckets.clear()
        self.newest = None
        self.version += 1

    def compact(self, before_day: int) -> int:
        """Compact the identities of days before `before_day` (they rarely get events); return how many."""
        return sum(
            bucket.seen.compact() for days in self.buckets.values() for day, bucket in days.items() if day < before_day
        )

    def take_changed(self) -> set[tuple[DepartmentKey, int]]:
        """The buckets changed (or dropped) since the last call, for publishing summaries."""
        changed, self.changed = self.changed, set()
        return changed

    def put_bucket(
        self,
        dept: DepartmentKey,
        day: int,
        cells: Mapping[Cell, int] | None,
        service: Mapping[ServiceCell, int] | None = None,
    ) -> None:
        """Set a bucket's counts from a summary (cells None drops it); no identities are kept."""
        days = self.buckets.setdefault(dept, {})
        if cells is None:
            days.pop(day, None)
        else:
            bucket = days[day] = DayBucket()
            for cell, n in cells.items():
                bucket.count(cell, n)
            for (kind, kle), n in (service or {}).items():
                bucket.service[(kind, kle)] = n
                bucket.kinds[kind] = bucket.kinds.get(kind, 0) + n
        self.version += 1

    def days(self) -> Iterator[tuple[DepartmentKey, int, DayBucket]]:
        for dept, days in self.buckets.items():
            for day, bucket in days.items():
                yield dept, day, bucket


WindowCounts = dict[str, dict[DepartmentKey, Counter[Any]]]


def _window_sums(
    aggregations: Iterable[Aggregation], ref_day: int, part: Callable[[DayBucket], Mapping[Any, int]]
) -> WindowCounts:
    out: WindowCounts = {w: {} for w in WINDOWS}
    for agg in aggregations:
        for dept in agg.buckets:
            for w in WINDOWS:
                out[w].setdefault(dept, Counter())
        for dept, day, bucket in agg.days():
            counts = part(bucket)
            if counts:
                for w in windows_containing(day, ref_day):
                    out[w][dept].update(counts)
    return out


def window_channel_counts(aggregations: Iterable[Aggregation], ref_day: int) -> WindowCounts:
    """Counts per window, department and (channel, direction), summed exactly from buckets.

    Every department known to the state appears in every window, with an empty Counter
    if it had nothing in that window, so its series do not vanish when traffic pauses.
    """
    return _window_sums(aggregations, ref_day, lambda b: b.channels)


def window_completions(aggregations: Iterable[Aggregation], ref_day: int) -> WindowCounts:
    """Inquiries with a recorded completion per window, department and (channel, completion)."""
    return _window_sums(aggregations, ref_day, lambda b: b.completions)


def window_service_counts(aggregations: Iterable[Aggregation], ref_day: int) -> WindowCounts:
    """Service events per window, department and kind."""
    return _window_sums(aggregations, ref_day, lambda b: b.kinds)


def cells_in_range(
    aggregations: Iterable[Aggregation], first_day: int, last_day: int
) -> dict[DepartmentKey, Counter[Cell]]:
    """Joint cell counts per department over an inclusive range of days."""
    out: dict[DepartmentKey, Counter[Cell]] = {}
    for agg in aggregations:
        for dept, day, bucket in agg.days():
            if first_day <= day <= last_day:
                out.setdefault(dept, Counter()).update(bucket.cells)
    return out


def newest_event(aggregations: Iterable[Aggregation]) -> datetime | None:
    return max((a.newest for a in aggregations if a.newest is not None), default=None)


def municipality_totals(per_department: Mapping[DepartmentKey, Counter[Any]]) -> dict[str, Counter[Any]]:
    """The whole municipality: the sum over its departments."""
    out: dict[str, Counter[Any]] = {}
    for (municipality, _), counts in per_department.items():
        out.setdefault(municipality, Counter()).update(counts)
    return out
