"""The summaries topic is an input like any other (issue 24): every record is checked before the view takes it.

The trial wrote one record with a count of 1e308 and the whole municipality showed 1e+308, the worker's
page failed for good and `komhen export` wrote without end; -500 was taken; a tombstone deleted a real
department-day. Each such record is skipped now, counted by reason, and the bucket keeps its last value.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from streams.documents.reference import code_table
from streams.domain.counting.aggregation import Aggregation
from streams.domain.counting.summaries import (
    MAX_COUNT,
    GlobalView,
    SkippedSummary,
    SummaryProblem,
    read_summary,
    summaries_of,
)
from tests.fixtures.factories import REPO_ROOT, TZ, event_json, parse_event

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
SCHEMA = json.loads((REPO_ROOT / "schemas" / "department-day-summary.v1.json").read_text(encoding="utf-8"))
KEY = b"183/borgerservice/2026-12-01"
GOOD: dict[str, Any] = {
    "schema_version": 1,
    "municipality": "183",
    "department": "borgerservice",
    "day": "2026-12-01",
    "newest": "2026-12-01T10:00:00+01:00",
    "cells": [["phone", "in", "VEJL", None, "immediate", None, 3]],
    "service": [["call_abandoned", None, 1]],
    "department_name": "Borgerservice",
}


def value(**changes: Any) -> bytes:
    return json.dumps({**GOOD, **changes}).encode()


def problem(key: bytes, raw: bytes | None, oldest_day: int | None = None) -> SummaryProblem | None:
    try:
        read_summary(key, raw, codes=code_table(), now=NOW, oldest_day=oldest_day)
    except SkippedSummary as skipped:
        return skipped.problem
    return None


def test_a_summary_a_worker_wrote_is_read() -> None:
    summary = read_summary(KEY, value(), codes=code_table(), now=NOW, oldest_day=None)
    assert summary.dept == ("183", "borgerservice") and summary.day == date(2026, 12, 1).toordinal()
    assert list(summary.cells.values()) == [3] and summary.service == {("call_abandoned", None): 1}  # type: ignore[union-attr]


OLDEST = date(2025, 11, 1).toordinal()


@pytest.mark.parametrize(
    ("key", "raw", "expected"),
    [
        (KEY, value(cells=[["phone", "in", None, None, None, None, 1e308]]), SummaryProblem.COUNT),
        (KEY, value(cells=[["phone", "in", None, None, None, None, -500]]), SummaryProblem.COUNT),
        (KEY, value(cells=[["phone", "in", None, None, None, None, 2.5]]), SummaryProblem.COUNT),
        (KEY, value(cells=[["phone", "in", None, None, None, None, True]]), SummaryProblem.COUNT),
        (KEY, value(cells=[["phone", "in", None, None, None, None, MAX_COUNT + 1]]), SummaryProblem.COUNT),
        (KEY, value(cells=[["phone", "in", None, None, None, None, MAX_COUNT]] * 2), SummaryProblem.COUNT),
        (KEY, value(service=[["call_abandoned", None, 10**400]]), SummaryProblem.COUNT),
        (KEY, value(municipality="101"), SummaryProblem.KEY_MISMATCH),
        (KEY, value(department="jobcenter"), SummaryProblem.KEY_MISMATCH),
        (KEY, value(day="2026-12-02"), SummaryProblem.KEY_MISMATCH),
        (b"183/borgerservice/2099-01-01", value(day="2099-01-01"), SummaryProblem.DAY),
        (KEY, value(newest="2099-01-01T00:00:00+00:00"), SummaryProblem.DAY),
        (b"183/borgerservice/2020-01-01", value(day="2020-01-01"), SummaryProblem.DAY),  # before the retention
        (KEY, None, SummaryProblem.TOMBSTONE),
        (KEY, value(cells=[["fax", "in", None, None, None, None, 1]]), SummaryProblem.UNREADABLE),
        (KEY, value(cells=[["phone", "sideways", None, None, None, None, 1]]), SummaryProblem.UNREADABLE),
        (KEY, value(cells=[["phone", "in", None, "not a kle", None, None, 1]]), SummaryProblem.UNREADABLE),
        (KEY, value(department_name="\u202eecivresregroB"), SummaryProblem.UNREADABLE),
        (KEY, value(department_name="x" * 101), SummaryProblem.UNREADABLE),
        (KEY, value(extra=1), SummaryProblem.UNREADABLE),
        (KEY, value(schema_version=2), SummaryProblem.UNREADABLE),
        (KEY, b"[" * 100_000, SummaryProblem.UNREADABLE),
        (KEY, b"\xff\xfe", SummaryProblem.UNREADABLE),
        (b"183/../2026-12-01", value(), SummaryProblem.UNREADABLE),
        (b"183/borgerservice/2026-13-45", value(), SummaryProblem.UNREADABLE),
    ],
)
def test_a_record_no_worker_wrote_is_skipped_for_the_rule_it_breaks(
    key: bytes, raw: bytes | None, expected: SummaryProblem
) -> None:
    assert problem(key, raw, OLDEST) == expected


def test_a_tombstone_is_taken_only_for_a_day_the_retention_no_longer_keeps() -> None:
    old = b"183/borgerservice/2025-10-01"
    assert problem(old, None, OLDEST) is None
    assert read_summary(old, None, codes=code_table(), now=NOW, oldest_day=OLDEST).cells is None
    assert problem(KEY, None, OLDEST) == SummaryProblem.TOMBSTONE


def view_with(*records: tuple[bytes, bytes | None]) -> GlobalView:
    view = GlobalView(Aggregation(TZ, 400), code_table(), now=lambda: NOW)
    for key, raw in records:
        view.apply(key, raw)
        view.aggregation  # noqa: B018 - decode now, as a scrape between the records would
    return view


def test_a_department_keeps_its_last_good_value_and_every_skip_is_counted() -> None:
    forged = [
        (KEY, value(cells=[["phone", "in", None, None, None, None, 1e308]])),
        (KEY, value(cells=[["phone", "in", None, None, None, None, -500]])),
        (KEY, None),
    ]
    view = view_with((KEY, value()), *forged)
    bucket = view.aggregation.buckets[("183", "borgerservice")][date(2026, 12, 1).toordinal()]
    assert dict(bucket.cells).popitem()[1] == 3
    assert view.skipped == {SummaryProblem.COUNT: 2, SummaryProblem.TOMBSTONE: 1}


def test_a_worker_that_drops_a_bucket_within_the_retention_writes_an_empty_summary_the_view_takes() -> None:
    agg = Aggregation(TZ, 400)
    assert agg.add(parse_event(event_json("e1", occurred_at=datetime(2026, 12, 1, 9, tzinfo=UTC))))
    first = summaries_of(agg, agg.take_changed())
    agg.reset()
    dropped = summaries_of(agg, agg.take_changed())
    assert dropped == [
        (
            KEY,
            b'{"schema_version":1,"municipality":"183","department":"borgerservice","day":"2026-12-01",'
            b'"newest":null,"cells":[],"service":[]}',
        )
    ]
    view = view_with(*first, *dropped)
    assert view.aggregation.buckets == {("183", "borgerservice"): {}} and not view.skipped


def test_every_summary_a_worker_writes_is_valid_by_the_schema() -> None:
    agg = Aggregation(TZ, 400)
    for i in range(40):
        agg.add(parse_event(event_json(f"e{i}", occurred_at=datetime(2026, 11, 1 + i % 28, 9, tzinfo=UTC))))
    for key, raw in summaries_of(agg, agg.take_changed()):
        assert raw is not None
        jsonschema.validate(json.loads(raw), SCHEMA)
        assert problem(key, raw) is None


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=8) | st.dictionaries(st.text(max_size=8), inner, max_size=8),
    max_leaves=40,
)


@settings(suppress_health_check=[HealthCheck.too_slow])  # nested JSON is slow to draw on a busy machine
@given(st.dictionaries(st.sampled_from(sorted({*GOOD, "x"})), JSON, max_size=9), st.booleans())
@example(changes={"department_name": None}, over_good=True)  # found by hypothesis 2026-12-07: null was read as absent
def test_any_record_leaves_every_count_a_whole_number_within_the_bound(
    changes: dict[str, Any], over_good: bool
) -> None:
    raw = json.dumps({**GOOD, **changes} if over_good else changes).encode()
    view = view_with((KEY, value()), (KEY, raw))
    counts = [n for days in view.aggregation.buckets.values() for b in days.values() for n in b.cells.values()]
    assert all(type(n) is int and 1 <= n <= MAX_COUNT for n in counts)
    schema_ok = jsonschema.Draft202012Validator(SCHEMA).is_valid(json.loads(raw))
    if not schema_ok:
        assert sum(view.skipped.values()) == 1  # what the schema refuses is never read


def test_a_record_judged_at_once_is_read_only_while_it_is_still_the_newest_of_its_key() -> None:
    view = GlobalView(Aggregation(TZ, 400), code_table(), now=lambda: NOW)
    forged = value(cells=[["phone", "in", None, None, None, None, -500]])
    view.apply(KEY, forged)
    view.read_pending(KEY, forged)
    assert view.skipped == {SummaryProblem.COUNT: 1}
    newer, good = value(cells=[["phone", "in", None, None, None, None, 2.5]]), value()
    view.apply(KEY, newer)
    view.apply(KEY, good)  # a newer record of the key came first: the older one is not read
    view.read_pending(KEY, newer)
    assert view.skipped == {SummaryProblem.COUNT: 1}
    assert sum(dict(view.aggregation.buckets[("183", "borgerservice")].popitem()[1].cells).values()) == 3
