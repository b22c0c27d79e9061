"""Department-day summaries: how every worker sees the whole municipality.

A worker holds the buckets of its own partitions only. So that one place can export the
whole municipality (`department="_all"`) and the targets, each worker publishes the joint
counts of every bucket that changed (schemas/department-day-summary.v1.json) to a compacted
topic, and every worker follows that topic into a global view. A summary replaces the
previous one for its key, so a republished summary after a crash or restore never counts
twice; an empty value (tombstone) removes a bucket that left the retention.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any, NamedTuple

from streams.contract import identifiers
from streams.contract.texts import Line
from streams.domain.counting.aggregation import Aggregation
from streams.domain.counting.day_buckets import Cell, DayBucket, DepartmentKey
from streams.domain.events.codes import CodeTable
from streams.domain.events.descriptive import is_kle
from streams.domain.events.service import ServiceKind
from streams.domain.organisation.departments import read_name

SCHEMA_VERSION = 1
MAX_COUNT = 10_000_000  # per cell and department-day: more than a large municipality's year in one place
MAX_NAME_LENGTH = 100
FUTURE_SKEW = timedelta(days=1)  # a day or a newest event time later than now plus this was not counted yet
log = logging.getLogger(__name__)


class SummaryProblem(StrEnum):
    """Why a record of the summaries topic was skipped; a fixed set, used as a metric label."""

    UNREADABLE = "unreadable"  # not UTF-8 JSON, or not the schema's shape and types
    KEY_MISMATCH = "key_mismatch"  # the key names another municipality, department or day than the body
    COUNT = "count"  # a count that is not a whole number from 1 to MAX_COUNT (1e308, -500, 2.5)
    DAY = "day"  # a day (or newest event) after now, or before the view's retention
    TOMBSTONE = "tombstone"  # an empty value for a day still within the retention: workers never write one


class Summary(NamedTuple):
    """A summary read and checked: the bucket it sets (cells None: the bucket is dropped)."""

    dept: DepartmentKey
    day: int
    cells: dict[Cell, int] | None
    service: dict[tuple[str, str | None], int]
    name: str | None
    newest: datetime | None


class SkippedSummary(Exception):
    """A record of the summaries topic that is no summary a worker wrote; `problem` says which rule it broke."""

    def __init__(self, problem: SummaryProblem, detail: str) -> None:
        super().__init__(detail)
        self.problem = problem


def summary_key(dept: DepartmentKey, day: int) -> bytes:
    return f"{dept[0]}/{dept[1]}/{date.fromordinal(day).isoformat()}".encode()


def _order(row: list[Any]) -> tuple[str, ...]:
    """A stable order for rows mixing text, None and booleans."""
    return tuple("" if v is None else str(v) for v in row)


def encode_summary(dept: DepartmentKey, day: int, bucket: DayBucket | None, newest: datetime | None) -> bytes | None:
    """The summary message value for a bucket, or None (a tombstone) for a dropped bucket."""
    if bucket is None:
        return None
    body: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "municipality": dept[0],
        "department": dept[1],
        "day": date.fromordinal(day).isoformat(),
        "newest": newest.isoformat() if newest else None,
        "cells": sorted(([*cell, n] for cell, n in bucket.cells.items()), key=_order),
        "service": sorted(([kind, kle, n] for (kind, kle), n in bucket.service.items()), key=_order),
    }
    if bucket.name is not None:
        body["department_name"] = bucket.name
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def summaries_of(aggregation: Aggregation, changed: set[tuple[DepartmentKey, int]]) -> list[tuple[bytes, bytes | None]]:
    """(key, value) for each changed bucket: its counts; for a dropped bucket a tombstone when its day has
    left the retention, else an empty summary (a reset recounts it), since readers refuse a tombstone for a
    day they still keep."""
    out = []
    newest = aggregation.newest
    oldest = (
        None if newest is None else newest.astimezone(aggregation.tz).date().toordinal() - aggregation.retention_days
    )
    for dept, day in sorted(changed):
        bucket = aggregation.buckets.get(dept, {}).get(day)
        if bucket is None and (oldest is None or day >= oldest):
            bucket = DayBucket()
        out.append((summary_key(dept, day), encode_summary(dept, day, bucket, aggregation.newest)))
    return out


def oldest_kept_day(aggregation: Aggregation) -> int | None:
    """The first day the retention keeps before the newest event counted; None before any event."""
    if aggregation.newest is None:
        return None
    return aggregation.newest.astimezone(aggregation.tz).date().toordinal() - aggregation.retention_days


def _fail(problem: SummaryProblem, detail: str) -> SkippedSummary:
    return SkippedSummary(problem, detail)


def _count(value: Any) -> int:
    if type(value) is not int or not 1 <= value <= MAX_COUNT:
        raise _fail(SummaryProblem.COUNT, f"count {str(value)[:20]} is not a whole number from 1 to {MAX_COUNT}")
    return value


def _optional_text(value: Any) -> str | None:
    if value is not None and type(value) is not str:
        raise _fail(SummaryProblem.UNREADABLE, "a cell's code is neither text nor null")
    return value


def _cell(row: Any, codes: CodeTable) -> tuple[Cell, int]:
    if type(row) is not list or len(row) != 7:
        raise _fail(SummaryProblem.UNREADABLE, "a cell is not [channel, direction, type, kle, completion, form, n]")
    channel, direction, inquiry_type, kle, completion, form, n = row
    if channel not in codes.channels or direction not in ("in", "out"):
        raise _fail(SummaryProblem.UNREADABLE, "a cell's channel or direction is not a KOMHEN code")
    if _optional_text(inquiry_type) is not None and inquiry_type not in codes.inquiry_types:
        raise _fail(SummaryProblem.UNREADABLE, "a cell's inquiry type is not a KOMHEN code")
    if _optional_text(kle) is not None and not is_kle(kle):
        raise _fail(SummaryProblem.UNREADABLE, "a cell's KLE is not a KLE number")
    if _optional_text(completion) not in (None, "immediate", "forwarded") or form not in (None, True, False):
        raise _fail(SummaryProblem.UNREADABLE, "a cell's completion or form is not one of its values")
    return Cell(channel, direction, inquiry_type, kle, completion, form), _count(n)


def _service(row: Any) -> tuple[tuple[str, str | None], int]:
    if type(row) is not list or len(row) != 3 or row[0] not in _SERVICE_KINDS:
        raise _fail(SummaryProblem.UNREADABLE, "a service row is not [kind, kle, n]")
    kind, kle, n = row
    if _optional_text(kle) is not None and not is_kle(kle):
        raise _fail(SummaryProblem.UNREADABLE, "a service row's KLE is not a KLE number")
    return (kind, kle), _count(n)


_SERVICE_KINDS = frozenset(k.value for k in ServiceKind)
_FIELDS = frozenset({"schema_version", "municipality", "department", "day", "newest", "cells", "service"})


def _moment(text: Any) -> datetime:
    try:
        value = datetime.fromisoformat(text) if type(text) is str else None
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise _fail(SummaryProblem.UNREADABLE, "newest is not a date and time with an offset")
    return value


def read_summary(
    key: bytes, value: bytes | None, *, codes: CodeTable, now: datetime, oldest_day: int | None
) -> Summary:
    """A record of the summaries topic, checked as any input is (schemas/department-day-summary.v1.json, key
    equal to body, counts whole and bounded, the day within the retention); raises SkippedSummary.

    `oldest_day` is the first day the reader keeps (None while it knows no newest event).
    """
    try:
        municipality, department, day_text = key.decode().split("/")
        day = date.fromisoformat(day_text).toordinal()
    except (UnicodeDecodeError, ValueError):
        raise _fail(SummaryProblem.UNREADABLE, "the key is not municipality/department/YYYY-MM-DD") from None
    if not (identifiers.MUNICIPALITY.match(municipality) and identifiers.DEPARTMENT.match(department)):
        raise _fail(SummaryProblem.UNREADABLE, "the key names no municipality and department")
    if day > (now + FUTURE_SKEW).date().toordinal():
        raise _fail(SummaryProblem.DAY, f"day {day_text} is after today")
    within = oldest_day is None or day >= oldest_day
    if value is None:
        if within:
            raise _fail(SummaryProblem.TOMBSTONE, f"a tombstone for {day_text}, a day the retention still keeps")
        return Summary((municipality, department), day, None, {}, None, None)
    if not within:
        raise _fail(SummaryProblem.DAY, f"day {day_text} is before the retention")
    try:
        body = json.loads(value)
    except (ValueError, RecursionError):
        raise _fail(SummaryProblem.UNREADABLE, "the value is not JSON") from None
    if type(body) is not dict or not _FIELDS <= body.keys() <= _FIELDS | {"department_name"}:
        raise _fail(SummaryProblem.UNREADABLE, "the value is not a department-day summary")
    if body["schema_version"] != SCHEMA_VERSION or type(body["cells"]) is not list or type(body["service"]) is not list:
        raise _fail(SummaryProblem.UNREADABLE, "the value is not a department-day summary of version 1")
    if (body["municipality"], body["department"], body["day"]) != (municipality, department, day_text):
        raise _fail(SummaryProblem.KEY_MISMATCH, "the key and the body name different department-days")
    cells: dict[Cell, int] = {}
    for row in body["cells"]:
        cell, n = _cell(row, codes)
        cells[cell] = cells.get(cell, 0) + n
    service: dict[tuple[str, str | None], int] = {}
    for row in body["service"]:
        kind, n = _service(row)
        service[kind] = service.get(kind, 0) + n
    if any(n > MAX_COUNT for n in (*cells.values(), *service.values())):
        raise _fail(SummaryProblem.COUNT, f"a count adds up to more than {MAX_COUNT}")
    name = body.get("department_name")
    if "department_name" in body and (  # present, it is a name: workers leave it out rather than write null
        type(name) is not str or not 1 <= len(name) <= MAX_NAME_LENGTH or read_name(name).text != name
    ):
        raise _fail(SummaryProblem.UNREADABLE, "department_name is not a name as workers write it")
    newest = None if body["newest"] is None else _moment(body["newest"])
    if newest is not None and newest > now + FUTURE_SKEW:
        raise _fail(SummaryProblem.DAY, "newest is after now")
    dropped = not cells and not service  # an empty summary: a worker dropped the bucket within the retention
    return Summary((municipality, department), day, None if dropped else cells, service, name, newest)


class GlobalView:
    """The latest summary of every department and day: an Aggregation of the whole topic.

    Summaries are decoded when the view is read, not when they arrive: only the worker that
    exports the whole municipality reads it, at most once per scrape, and a bucket summarised
    every second in between is decoded once. Undecoded summaries are held up to
    PENDING_MAX_BYTES; beyond that they are decoded (a bucket's counts take less memory than
    its JSON).

    Every summary is checked as any input is (read_summary): a record that is no summary a worker
    wrote is skipped, counted by reason in `skipped` and logged once per reason; the bucket keeps
    the last value the view read for it.
    """

    PENDING_MAX_BYTES = 16 * 2**20

    def __init__(
        self, aggregation: Aggregation, codes: CodeTable, *, now: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self._aggregation = aggregation
        self._codes = codes
        self._now = now
        self._pending: dict[bytes, bytes | None] = {}
        self._pending_bytes = 0
        self.skipped: Counter[SummaryProblem] = Counter()  # summaries that were not read, by why

    def clear(self) -> None:
        """Forget every summary read (the topic they were read from is gone); `skipped` stays a running count."""
        self._aggregation = Aggregation(self._aggregation.tz, self._aggregation.retention_days)
        self._pending.clear()
        self._pending_bytes = 0

    def apply(self, key: bytes | None, value: bytes | None) -> None:
        if key is None:
            return
        replaced = self._pending.get(key)
        self._pending[key] = value  # a newer summary of a bucket replaces an older one
        self._pending_bytes += len(value or b"") - len(replaced or b"")
        if self._pending_bytes > self.PENDING_MAX_BYTES:
            self._decode_pending()

    @property
    def aggregation(self) -> Aggregation:
        self._decode_pending()
        return self._aggregation

    def read_pending(self, key: bytes, value: bytes | None) -> None:
        """Read `key`'s record now if it is still the one waiting (`value`, no newer one came): a record the
        worker judges at once (one it did not write, of a municipality it counts)."""
        if key in self._pending and self._pending[key] is value:
            del self._pending[key]
            self._pending_bytes -= len(value or b"")
            self._read(key, value, self._now())

    def _decode_pending(self) -> None:
        pending, self._pending, self._pending_bytes = self._pending, {}, 0
        now = self._now()
        for key, value in pending.items():
            self._read(key, value, now)

    def _read(self, key: bytes, value: bytes | None, now: datetime) -> None:
        try:
            oldest = oldest_kept_day(self._aggregation)
            self._put(read_summary(key, value, codes=self._codes, now=now, oldest_day=oldest))
        except SkippedSummary as skipped:
            if not self.skipped[skipped.problem]:
                log.warning(Line("log.summary_skipped", problem=str(skipped.problem), record=str(skipped)))
            self.skipped[skipped.problem] += 1

    def _put(self, summary: Summary) -> None:
        dept, day = summary.dept, summary.day
        self._aggregation.put_bucket(dept, day, summary.cells, summary.service, summary.name)
        if summary.newest is not None and (
            self._aggregation.newest is None or summary.newest > self._aggregation.newest
        ):
            self._aggregation.newest = summary.newest
