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
from datetime import date, datetime
from typing import Any

from streams.domain.counting.aggregation import Aggregation
from streams.domain.counting.day_buckets import Cell, DayBucket, DepartmentKey

SCHEMA_VERSION = 1
log = logging.getLogger(__name__)


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
    """(key, value) for each changed bucket: its counts, or a tombstone if it was dropped."""
    out = []
    for dept, day in sorted(changed):
        bucket = aggregation.buckets.get(dept, {}).get(day)
        out.append((summary_key(dept, day), encode_summary(dept, day, bucket, aggregation.newest)))
    return out


class GlobalView:
    """The latest summary of every department and day: an Aggregation of the whole topic.

    Summaries are decoded when the view is read, not when they arrive: only the worker that
    exports the whole municipality reads it, at most once per scrape, and a bucket summarised
    every second in between is decoded once. Undecoded summaries are held up to
    PENDING_MAX_BYTES; beyond that they are decoded (a bucket's counts take less memory than
    its JSON).
    """

    PENDING_MAX_BYTES = 16 * 2**20

    def __init__(self, aggregation: Aggregation) -> None:
        self._aggregation = aggregation
        self._pending: dict[bytes, bytes | None] = {}
        self._pending_bytes = 0
        self.skipped = 0  # summaries that could not be read

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

    def _decode_pending(self) -> None:
        pending, self._pending, self._pending_bytes = self._pending, {}, 0
        for key, value in pending.items():
            try:
                self._put(key, value)
            except Exception as exc:  # a summary no worker wrote: skipped, never a scrape that fails for good
                self.skipped += 1
                log.warning("a summary that cannot be read was skipped (%s)", type(exc).__name__)

    def _put(self, key: bytes, value: bytes | None) -> None:
        municipality, department, day_text = key.decode().split("/")
        day = date.fromisoformat(day_text).toordinal()
        if value is None:
            self._aggregation.put_bucket((municipality, department), day, None)
            return
        body = json.loads(value)
        cells = {Cell(*c[:6]): int(c[6]) for c in body["cells"]}
        service = {(kind, kle): int(n) for kind, kle, n in body["service"]}
        self._aggregation.put_bucket((municipality, department), day, cells, service, body.get("department_name"))
        if body["newest"]:
            newest = datetime.fromisoformat(body["newest"])
            if self._aggregation.newest is None or newest > self._aggregation.newest:
                self._aggregation.newest = newest
