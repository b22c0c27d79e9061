"""The counting state of one input partition: per municipality and department, one bucket per local day.

A bucket holds the joint counts of every KOMHEN dimension (a Cell), so reports, targets
and the KOMHEN export can project any combination, plus the identities of the events it
counted; with the partition's index of them all (identities.py) a resent event is counted
once, also when it corrects the department or the day. Windows are sums of buckets; nothing here
knows about Kafka or Faust.

Beside it: day_buckets.py (a department-day and its cells), settled_sums.py (the window sums
kept between scrapes) and totals.py (sums across several partitions' aggregations).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from enum import IntEnum
from zoneinfo import ZoneInfo

from streams.domain.counting.day_buckets import Cell, DayBucket, DepartmentKey, ServiceCell, shared_name
from streams.domain.counting.identities import PartitionIdentities, identity
from streams.domain.counting.settled_sums import DeptWindows, SettledSums
from streams.domain.counting.windows import local_day
from streams.domain.events.inquiry import InquiryEvent
from streams.domain.events.service import ServiceEvent


class Added(IntEnum):
    """What adding an event did; truthy when it was counted."""

    DUPLICATE = 0  # already counted: no change
    NEW = 1  # counted for the first time
    RECOUNTED = 2  # counted again after a reset(): in the state, but not new to this worker
    CORRECTION = 3  # counted already under another department or day: the first version stays (no change)

    def __bool__(self) -> bool:
        return self is Added.NEW or self is Added.RECOUNTED


class Aggregation:
    """Day buckets of the departments whose events one input partition carries."""

    def __init__(self, tz: ZoneInfo, retention_days: int) -> None:
        self.tz = tz
        self.retention_days = retention_days
        self.buckets: dict[DepartmentKey, dict[int, DayBucket]] = {}
        self.newest: datetime | None = None
        self.version = 0  # bumped on every change, so readers can cache derived values
        self.changed: set[tuple[DepartmentKey, int]] = set()  # buckets changed since take_changed()
        self.publishing: set[tuple[DepartmentKey, int]] = set()  # taken by take_changed(), not yet published()
        self.unsaved: set[tuple[DepartmentKey, int]] = set()  # buckets changed since the last snapshot
        self.counted = 0  # events counted into this state (by this process)
        self.before_reset: set[int] = set()  # identities counted before a reset (see reset())
        self.day_totals: dict[int, int] = {}  # inquiries and service events per day (for the event clock)
        self.identities = PartitionIdentities()  # every bucket's identities, each within its municipality
        self._scopes: dict[str, int] = {}  # municipality -> the 64 bits its identities are scoped by
        self._settled = SettledSums()

    def _scope(self, municipality: str) -> int:
        scope = self._scopes.get(municipality)
        if scope is None:
            scope = self._scopes[municipality] = identity(f"municipality\x1f{municipality}")
        return scope

    def _first(self, event: InquiryEvent | ServiceEvent, seen: int) -> tuple[DepartmentKey, int, DayBucket] | Added:
        """The bucket to count a first version in, or why not to count it (the identity is counted already).

        An identity counted in another department or on another day is a correction, and the first
        version stays counted: without it a correction would count the inquiry twice.
        """
        dept = (event.municipality, event.department)
        day = local_day(event.occurred_at, self.tz)
        days = self.buckets.get(dept)
        if not self.identities.claim(seen ^ self._scope(event.municipality)):
            bucket = days.get(day) if days is not None else None
            return Added.DUPLICATE if bucket is not None and seen in bucket.seen else Added.CORRECTION
        if days is None:
            days = self.buckets[dept] = {}
        bucket = days.get(day)
        if bucket is None:
            bucket = days[day] = DayBucket()
        bucket.seen.add(seen)
        return dept, day, bucket

    def _changed(self, event: InquiryEvent | ServiceEvent, dept: DepartmentKey, day: int) -> None:
        if self.newest is None or event.occurred_at > self.newest:
            self.newest = event.occurred_at
        self.day_totals[day] = self.day_totals.get(day, 0) + 1
        self.version += 1
        self.counted += 1
        self.changed.add((dept, day))
        self.unsaved.add((dept, day))
        self._settled.dirty.add((dept, day))

    def add(self, event: InquiryEvent) -> Added:
        """Count an event once per (municipality, source, event_id): its first version."""
        seen = identity(f"{event.source}\x1f{event.event_id}")  # source cannot hold \x1f
        first = self._first(event, seen)
        if isinstance(first, Added):
            return first
        dept, day, bucket = first
        cell = Cell(event.channel, event.direction, event.inquiry_type, event.kle, event.completion, event.form)
        bucket.count(cell, 1)
        if event.department_name is not None:
            bucket.named(event.department_name, event.occurred_at)
        self._changed(event, dept, day)
        return Added.RECOUNTED if seen in self.before_reset else Added.NEW

    def add_service(self, event: ServiceEvent) -> Added:
        """Count a service event once per (municipality, source, kind, event_id): its first version."""
        seen = identity(f"{event.source}\x1f{event.kind.value}\x1f{event.event_id}")
        first = self._first(event, seen)
        if isinstance(first, Added):
            return first
        dept, day, bucket = first
        key = (event.kind.value, event.kle)
        bucket.service[key] = bucket.service.get(key, 0) + 1
        bucket.kinds[event.kind.value] = bucket.kinds.get(event.kind.value, 0) + 1
        self._changed(event, dept, day)
        return Added.RECOUNTED if seen in self.before_reset else Added.NEW

    def prune(self, ref_day: int) -> int:
        """Drop buckets older than the retention before `ref_day`; return how many."""
        oldest = ref_day - self.retention_days
        dropped = 0
        for dept, days in self.buckets.items():
            for day in [d for d in days if d < oldest]:
                self._forget(dept, day, days.pop(day))
                self.changed.add((dept, day))
                self.unsaved.add((dept, day))
                self._settled.dirty.add((dept, day))
                dropped += 1
        if dropped:
            self.version += 1
        return dropped

    def _forget(self, dept: DepartmentKey, day: int, bucket: DayBucket | None) -> None:
        """Take a dropped or replaced bucket's events off the day totals and its identities out of the index."""
        if bucket is None:
            return
        if bucket.seen:
            scope = self._scope(dept[0])
            for seen in bucket.seen:
                self.identities.remove(seen ^ scope)
        left = self.day_totals.get(day, 0) - _total(bucket)
        if left > 0:
            self.day_totals[day] = left
        else:
            self.day_totals.pop(day, None)

    def publish_all(self) -> None:
        """Every bucket counts as changed: its summary is published again (the summaries topic lost it)."""
        for dept, days in self.buckets.items():
            self.changed.update((dept, day) for day in days)

    def reset(self) -> None:
        """Forget every count (the log they came from is gone); the dropped buckets count as changed.

        The identities are kept aside, so an event counted before the reset and read again
        from the new log rebuilds the counts without being reported as a new inquiry.
        """
        for dept, days in self.buckets.items():
            self.changed.update((dept, day) for day in days)
            self.unsaved.update((dept, day) for day in days)
            for bucket in days.values():
                self.before_reset.update(bucket.seen)
        self.buckets.clear()
        self.identities.clear()
        self.day_totals.clear()
        self._settled = SettledSums()
        self.newest = None
        self.version += 1

    def compact(self, before_day: int) -> int:
        """Seal the buckets of days before `before_day` (they rarely get events); return how many changed."""
        return sum(bucket.seal() for days in self.buckets.values() for day, bucket in days.items() if day < before_day)

    def take_unsaved(self) -> set[tuple[DepartmentKey, int]]:
        """The buckets changed (or dropped) since the last call, for writing a snapshot."""
        unsaved, self.unsaved = self.unsaved, set()
        return unsaved

    def take_changed(self) -> set[tuple[DepartmentKey, int]]:
        """The buckets changed (or dropped) since the last call, for publishing summaries.

        They count as publishing until `published` (or, if sending failed, `unpublished`).
        """
        changed, self.changed = self.changed, set()
        self.publishing |= changed
        return changed

    def published(self, buckets: set[tuple[DepartmentKey, int]]) -> None:
        """Their summaries are stored (the broker acknowledged them)."""
        self.publishing -= buckets

    def unpublished(self, buckets: set[tuple[DepartmentKey, int]]) -> None:
        """Their summaries were not sent: changed again, sent in the next round."""
        self.publishing -= buckets
        self.changed |= buckets

    def unpublished_buckets(self) -> set[tuple[DepartmentKey, int]]:
        """Changed buckets whose summaries are not (known to be) stored yet."""
        return self.changed | self.publishing

    def put_bucket(
        self,
        dept: DepartmentKey,
        day: int,
        cells: Mapping[Cell, int] | None,
        service: Mapping[ServiceCell, int] | None = None,
        name: str | None = None,
    ) -> None:
        """Set a bucket's counts (and display name) from a summary (cells None drops it); no identities are kept."""
        self._settled.dirty.add((dept, day))
        days = self.buckets.setdefault(dept, {})
        self._forget(dept, day, days.get(day))
        if cells is None:
            days.pop(day, None)
        else:
            bucket = days[day] = DayBucket()
            for cell, n in cells.items():
                bucket.count(cell, n)
            for (kind, kle), n in (service or {}).items():
                bucket.service[(kind, kle)] = n
                bucket.kinds[kind] = bucket.kinds.get(kind, 0) + n
            if name is not None:
                bucket.name = shared_name(name)
            bucket.seal()  # replaced, never counted into
            self.day_totals[day] = self.day_totals.get(day, 0) + _total(bucket)
        self.version += 1

    def put_restored(self, dept: DepartmentKey, day: int, bucket: DayBucket) -> None:
        """Place a bucket read from a snapshot (it is saved there and summarised already);
        `index_identities` once every bucket is placed."""
        days = self.buckets.setdefault(dept, {})
        self._forget(dept, day, days.get(day))
        days[day] = bucket
        self.day_totals[day] = self.day_totals.get(day, 0) + _total(bucket)
        self._settled.dirty.add((dept, day))
        self.version += 1

    def index_identities(self) -> None:
        """Index every bucket's identities (after a restore placed the buckets), in one pass."""
        self.identities.build(self._scoped_identities())

    def _scoped_identities(self) -> Iterator[int]:
        for (municipality, _), days in self.buckets.items():
            scope = self._scope(municipality)
            for bucket in days.values():
                for seen in bucket.seen:
                    yield seen ^ scope

    def window_sums(self, ref_day: int) -> dict[DepartmentKey, DeptWindows]:
        """Per department, each projection summed per window ending on `ref_day` (read-only: they are kept)."""
        return self._settled.windows(self.buckets, ref_day)

    def department_names(self) -> dict[DepartmentKey, str]:
        """Each department's display name: the one of its newest inquiry that carried a name (by event
        time: its latest day with a name, and that day's newest). A department without one is left out."""
        out: dict[DepartmentKey, str] = {}
        for dept, days in self.buckets.items():
            latest: tuple[int, str] | None = None
            for day, bucket in days.items():
                if bucket.name is not None and (latest is None or day > latest[0]):
                    latest = (day, bucket.name)
            if latest is not None:
                out[dept] = latest[1]
        return out

    def days(self) -> Iterator[tuple[DepartmentKey, int, DayBucket]]:
        for dept, days in self.buckets.items():
            for day, bucket in days.items():
                yield dept, day, bucket


def _total(bucket: DayBucket) -> int:
    return sum(bucket.channels.values()) + sum(bucket.kinds.values())
