"""The counting state: per municipality and department, one bucket per local day.

A bucket holds the joint counts of every KOMHEN dimension (a Cell), so reports, targets
and the KOMHEN export can project any combination, plus the identities of the events it
counted; with the partition's index of them all (identities.py) a resent event is counted
once, also when it corrects the department or the day. Windows are sums of buckets; nothing here
knows about Kafka or Faust.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import ItemsView, Iterable, Iterator, Mapping
from datetime import date, datetime, time, timedelta
from enum import IntEnum
from itertools import count
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from streams.domain.counting.identities import Identities, PartitionIdentities, identity
from streams.domain.counting.windows import WINDOWS, local_day, windows_containing
from streams.domain.events.inquiry import InquiryEvent
from streams.domain.events.service import ServiceEvent

ChannelDirection = tuple[str, str]
DepartmentKey = tuple[str, str]  # (municipality, department)


class Added(IntEnum):
    """What adding an event did; truthy when it was counted."""

    DUPLICATE = 0  # already counted: no change
    NEW = 1  # counted for the first time
    RECOUNTED = 2  # counted again after a reset(): in the state, but not new to this worker
    CORRECTION = 3  # counted already under another department or day: the first version stays (no change)

    def __bool__(self) -> bool:
        return self is Added.NEW or self is Added.RECOUNTED


class Cell(NamedTuple):
    """One combination of the KOMHEN parameters that is counted."""

    channel: str
    direction: str
    inquiry_type: str | None
    kle: str | None
    completion: str | None
    form: bool | None


# Every distinct cell gets one shared instance and a small id: a year of buckets repeats the
# same few hundred combinations, so a settled bucket stores ids, not cells.
_cell_ids: dict[Cell, int] = {}
_cells: list[Cell] = []
_keys: dict[tuple[str, str], tuple[str, str]] = {}  # shared projection keys of settled buckets
_names: dict[str, str] = {}  # department display names, shared by every bucket that carries one


def _cell_id(cell: Cell) -> int:
    cid = _cell_ids.get(cell)
    if cid is None:
        cid = _cell_ids[cell] = len(_cells)
        _cells.append(cell)
    return cid


def _shared_keys(counts: dict[Any, int]) -> dict[Any, int]:
    return {_keys.setdefault(key, key): n for key, n in counts.items()}


def cell_id(cell: Cell) -> int:
    """The process-local id of a cell (interned on first use); never stored, see snapshots.py."""
    return _cell_id(cell)


def cell_of(cid: int) -> Cell:
    """The cell of a process-local id."""
    return _cells[cid]


def shared_key(key: tuple[str, str | None]) -> tuple[str, str | None]:
    """One shared instance per projection key (channel/direction, channel/completion, kind/task)."""
    return _keys.setdefault(key, key)  # type: ignore[arg-type]


class SealedCells(Mapping[Cell, int]):
    """The cell counts of a settled day, read-only: two arrays of 4 bytes per cell (id, count)
    instead of a dict, about a sixth of the memory. A late event unseals the bucket.

    The ids index `table`: the process's interned cells, or for a day loaded from a snapshot
    the numbering of that partition's snapshot (snapshots.Terms), so loading copies arrays
    instead of translating every id.
    """

    __slots__ = ("counts", "ids", "table")

    def __init__(self, cells: Mapping[Cell, int]) -> None:
        pairs = sorted((_cell_id(cell), n) for cell, n in cells.items())
        self.ids = array("I", [cid for cid, _ in pairs])
        self.counts = array("I", [n for _, n in pairs])
        self.table = _cells

    @classmethod
    def from_arrays(cls, ids: array[int], counts: array[int], table: list[Cell]) -> SealedCells:
        """Cells from arrays of distinct ids into `table` (in any order) and their counts."""
        sealed = cls.__new__(cls)
        sealed.ids, sealed.counts, sealed.table = ids, counts, table
        return sealed

    def __getitem__(self, cell: Cell) -> int:
        if self.table is _cells:
            cid = _cell_ids.get(cell)
            if cid is not None and cid in self.ids:  # a scan in C of a few hundred ids; ids need no order
                return self.counts[self.ids.index(cid)]
        else:
            for known, n in self.items():
                if known == cell:
                    return n
        raise KeyError(cell)

    def __iter__(self) -> Iterator[Cell]:
        return map(self.table.__getitem__, self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def items(self) -> ItemsView[Cell, int]:
        return _SealedItems(self)


class _SealedItems(ItemsView[Cell, int]):
    """(cell, count) straight from the arrays, without a lookup per cell."""

    _mapping: SealedCells

    def __iter__(self) -> Iterator[tuple[Cell, int]]:
        cells = self._mapping
        return zip(map(cells.table.__getitem__, cells.ids), cells.counts, strict=True)


ServiceCell = tuple[str, str | None]  # (kind, kle)


_stamps = count()  # a fresh stamp for every bucket and every change of its counts


class DayBucket:
    """Counts of one department on one local day: inquiries by cell, service events by kind and task,
    and the department's display name as that day's newest inquiry (by event time) gave it.

    `stamp` changes whenever its inquiry counts do, so a reader may keep what it derived from a bucket
    (a merged day of the whole municipality) until the stamp moves.
    """

    __slots__ = ("cells", "channels", "completions", "kinds", "name", "name_at", "seen", "service", "stamp")

    def __init__(self) -> None:
        self.stamp = next(_stamps)
        self.cells: dict[Cell, int] | SealedCells = {}
        self.channels: dict[ChannelDirection, int] = {}
        self.completions: dict[tuple[str, str], int] = {}  # (channel, completion) where one was recorded
        self.service: dict[ServiceCell, int] = {}
        self.kinds: dict[str, int] = {}
        self.seen = Identities()
        self.name: str | None = None
        self.name_at: datetime | None = None  # event time of the inquiry that gave the name

    def named(self, name: str, at: datetime) -> None:
        """Keep the name of the newest inquiry by event time (on a tie, the one counted last)."""
        if self.name_at is None or at >= self.name_at:
            self.name = _names.setdefault(name, name)  # one shared string per name
            self.name_at = at

    @classmethod
    def restored(
        cls,
        cells: SealedCells,
        channels: dict[ChannelDirection, int],
        completions: dict[tuple[str, str], int],
        service: dict[ServiceCell, int],
        seen: Identities,
    ) -> DayBucket:
        """A settled bucket rebuilt from a snapshot (projection keys shared, as `seal` leaves them)."""
        bucket = cls()
        bucket.cells, bucket.channels, bucket.completions = cells, channels, completions
        bucket.service, bucket.seen = service, seen
        for (kind, _), n in service.items():
            bucket.kinds[kind] = bucket.kinds.get(kind, 0) + n
        return bucket

    def count(self, cell: Cell, n: int) -> None:
        """Add n inquiries of a cell, and to the projections windows are summed from."""
        cells = self.cells
        if type(cells) is not dict:
            cells = self.cells = dict(cells)  # a late event for a sealed day
        cell = _cells[_cell_id(cell)]
        cells[cell] = cells.get(cell, 0) + n
        self.stamp = next(_stamps)
        cd = (cell.channel, cell.direction)
        self.channels[cd] = self.channels.get(cd, 0) + n
        if cell.completion is not None:
            key = (cell.channel, cell.completion)
            self.completions[key] = self.completions.get(key, 0) + n

    def seal(self) -> bool:
        """Store the counts and identities compactly (a day that rarely changes); False if already so."""
        compacted = self.seen.compact()
        if type(self.cells) is not dict:
            return compacted
        self.cells = SealedCells(self.cells)
        self.channels = _shared_keys(self.channels)
        self.completions = _shared_keys(self.completions)
        return True


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
        self._settled = _SettledSums()

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
        self._settled = _SettledSums()
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
                bucket.name = _names.setdefault(name, name)
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


WindowCounts = dict[str, dict[DepartmentKey, Counter[Any]]]
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


class _SettledSums:
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


def window_sums(aggregations: Iterable[Aggregation], ref_day: int, part: str) -> WindowCounts:
    """Counts of one bucket projection (PARTS) per window and department, summed exactly from buckets.

    Every department known to the state appears in every window, with an empty Counter
    if it had nothing in that window, so its series do not vanish when traffic pauses.
    """
    out: WindowCounts = {w: {} for w in WINDOWS}
    for agg in aggregations:
        for dept, sums in agg.window_sums(ref_day).items():
            for w in WINDOWS:
                out[w].setdefault(dept, Counter()).update(sums[part][w])
    return out


def window_parts(aggregations: Iterable[Aggregation], ref_day: int) -> dict[str, WindowCounts]:
    """Every projection (PARTS) per window and department, each aggregation's sums read once.

    The Counters may be shared with the aggregations' kept sums: read them, never change them.
    """
    out: dict[str, WindowCounts] = {part: {w: {} for w in WINDOWS} for part in PARTS}
    for agg in aggregations:
        for dept, sums in agg.window_sums(ref_day).items():
            for part in PARTS:
                for w in WINDOWS:
                    target, counts = out[part][w], sums[part][w]
                    have = target.get(dept)
                    target[dept] = counts if have is None else have + counts
    return out


def window_channel_counts(aggregations: Iterable[Aggregation], ref_day: int) -> WindowCounts:
    """Counts per window, department and (channel, direction)."""
    return window_sums(aggregations, ref_day, "channels")


def window_completions(aggregations: Iterable[Aggregation], ref_day: int) -> WindowCounts:
    """Inquiries with a recorded completion per window, department and (channel, completion)."""
    return window_sums(aggregations, ref_day, "completions")


def window_service_counts(aggregations: Iterable[Aggregation], ref_day: int) -> WindowCounts:
    """Service events per window, department and kind."""
    return window_sums(aggregations, ref_day, "kinds")


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


def _total(bucket: DayBucket) -> int:
    return sum(bucket.channels.values()) + sum(bucket.kinds.values())


def event_clock(local: Iterable[Aggregation], view: Aggregation | None = None) -> datetime | None:
    """Where the windows end with the event clock: the newest event, unless it is a lone outlier.

    A day counts when it holds at least two events or lies within a day after another day with
    events. The newest day that counts ends the windows; a lone event days or years after all the
    others (a forged or mistyped date) is skipped, so one event cannot empty the 7-day window.
    If no day counts (sparse data, one event a week), the newest event ends them as before.
    `local` are disjoint partitions; `view` covers all of them (the whole municipality).
    """
    local = list(local)
    newest = newest_event([*local, *([view] if view is not None else [])])
    if newest is None:
        return None
    totals: dict[int, int] = {}
    for agg in local:
        for day, n in agg.day_totals.items():
            totals[day] = totals.get(day, 0) + n
    if view is not None:
        for day, n in view.day_totals.items():
            totals[day] = max(totals.get(day, 0), n)
    days = sorted((d for d, n in totals.items() if n > 0), reverse=True)
    for i, day in enumerate(days):
        if totals[day] >= 2 or (i + 1 < len(days) and day - days[i + 1] <= 1):
            break
    else:
        return newest
    tz = local[0].tz if local else view.tz  # type: ignore[union-attr]
    if day >= local_day(newest, tz):
        return newest
    return datetime.combine(date.fromordinal(day + 1), time(), tz) - timedelta(microseconds=1)


def municipality_totals(per_department: Mapping[DepartmentKey, Counter[Any]]) -> dict[str, Counter[Any]]:
    """The whole municipality: the sum over its departments."""
    out: dict[str, Counter[Any]] = {}
    for (municipality, _), counts in per_department.items():
        out.setdefault(municipality, Counter()).update(counts)
    return out
