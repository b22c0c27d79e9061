"""A sample moved to recent days (`komhen publish --shift-to-today`): whole days, local time kept, ids kept."""

from __future__ import annotations

import json
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from streams.cli import publish
from streams.domain.events.recent import days_to_yesterday, moved
from tests.fixtures.factories import SCHEMAS

TZ = ZoneInfo("Europe/Copenhagen")
SAMPLE = [json.loads(line) for line in (SCHEMAS / "samples" / "inquiry-events.ndjson").read_text().splitlines()]


@pytest.mark.parametrize(
    ("today", "days", "first", "last"),
    [
        (date(2027, 8, 16), 260, "2027-08-10T09:02:11+02:00", "2027-08-15T10:22:09+02:00"),  # into summer time
        (date(2026, 12, 7), 8, "2026-12-01T09:02:11+01:00", "2026-12-06T10:22:09+01:00"),
        (date(2026, 11, 29), 0, "2026-11-23T09:02:11+01:00", "2026-11-28T10:22:09+01:00"),  # already recent
        (date(2026, 11, 20), -9, "2026-11-14T09:02:11+01:00", "2026-11-19T10:22:09+01:00"),  # written ahead
    ],
)
def test_the_sample_moves_so_its_newest_event_is_from_yesterday(today: date, days: int, first: str, last: str) -> None:
    assert days_to_yesterday(SAMPLE, today, TZ) == days
    shifted = [moved(event, days, TZ) for event in SAMPLE]
    assert (shifted[0]["occurred_at"], shifted[-1]["occurred_at"]) == (first, last)
    assert [e["event_id"] for e in shifted] == [e["event_id"] for e in SAMPLE]  # a second publish: duplicates
    assert [{**e, "occurred_at": None} for e in shifted] == [{**e, "occurred_at": None} for e in SAMPLE]


def test_a_moment_keeps_its_local_time_of_day_across_summer_time() -> None:
    """28 March 2027 is the day summer time begins: 02:30 does not exist, 09:00 is 09:00 at +02:00."""
    event = {"occurred_at": "2027-03-21T02:30:00+01:00"}
    assert moved(event, 7, TZ) == {"occurred_at": "2027-03-28T03:30:00+02:00"}  # read in winter time, the same day
    assert moved({"occurred_at": "2027-03-21T09:00:00.250000+01:00"}, 7, TZ) == {
        "occurred_at": "2027-03-28T09:00:00.250000+02:00"
    }
    assert moved({"occurred_at": "2027-03-21T08:00:00Z"}, 7, TZ) == {"occurred_at": "2027-03-28T09:00:00+02:00"}


@pytest.mark.parametrize(
    "obj",
    [
        {"occurred_at": "yesterday"},
        {"occurred_at": "2026-11-23T09:02:11"},
        {"occurred_at": 7},
        {},
        ["not", "an object"],
    ],
)
def test_what_has_no_readable_time_stays_as_it_is_for_validation_to_reject(obj: object) -> None:
    assert moved(obj, 9, TZ) == obj
    assert days_to_yesterday([obj], date(2027, 8, 16), TZ) is None


def test_publish_says_when_every_event_lies_before_the_last_7_days(capsys: pytest.CaptureFixture[str]) -> None:
    publish._say_if_old(date(2026, 11, 30), date(2026, 12, 7))  # 7 days ago: outside 1.–7. December
    publish._say_if_old(date(2026, 12, 1), date(2026, 12, 7))  # the first day of the 7: nothing to say
    assert capsys.readouterr().err.splitlines() == [
        "bemærk: den nyeste hændelse er fra 30.11.2026, før de seneste 7 dage: 7-dages-vinduerne (7d) viser ikke "
        "disse hændelser, de længere (28d, 365d, ytd) gør, så længe de rækker tilbage til den dag; vil du prøve et "
        "eksempel i dag, så send det med --shift-to-today"
    ]
