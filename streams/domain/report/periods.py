"""Report periods: a range of local days, counting weeks, the period compared with, trend buckets.

>>> p = counting_weeks("2015-W45:W47")
>>> p.first.isoformat(), p.last.isoformat(), p.days, p.label
('2015-11-02', '2015-11-22', 21, 'tælleuge 45–47 2015')
>>> preceding(p).first.isoformat(), preceding(p).last.isoformat()
('2015-10-12', '2015-11-01')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from streams.contract.danish import MONTHS_DA, MONTHS_SHORT_DA
from streams.contract.errors import UnusableInput
from streams.contract.texts import text

WEEKLY_TREND_MAX_DAYS = 26 * 7  # a longer span is shown by month
TrendUnit = Literal["week", "month"]

_WEEKS = re.compile(r"([0-9]{4})-W([0-9]{1,2})(?::(?:([0-9]{4})-)?W([0-9]{1,2}))?\Z", re.IGNORECASE)


class PeriodError(UnusableInput):
    """A period that cannot be used; the message says what is expected."""


@dataclass(frozen=True)
class Period:
    """An inclusive range of local calendar days, with the words a report calls it by."""

    first: date
    last: date
    label: str = ""  # e.g. "tælleuge 45–47 2015"; the dates are always shown too

    def __post_init__(self) -> None:
        if self.first > self.last:
            raise PeriodError(text("period.reversed", first=self.first, last=self.last))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def first_day(self) -> int:
        return self.first.toordinal()

    @property
    def last_day(self) -> int:
        return self.last.toordinal()

    @property
    def middle(self) -> float:
        """The middle day as an ordinal (x.5 for an even number of days), for the pace between two periods."""
        return (self.first_day + self.last_day) / 2

    @property
    def dates(self) -> str:
        """The dates in Danish: '2.–22. november 2015'."""
        return date_range_da(self.first, self.last)

    @property
    def name(self) -> str:
        """The label if there is one, else the dates."""
        return self.label or self.dates


@dataclass(frozen=True)
class Coverage:
    """How many of a range's days were counted: those on or after the first day the data holds.

    Counting began on the first day with any inquiry of the municipality (a worker's first day, the
    first day of a KOMHEN file); a range that starts before it holds fewer days of counts than its
    length, so its sums cannot be compared with a range counted throughout.

    >>> Coverage.of(date(2015, 9, 29), date(2015, 10, 26), date(2015, 10, 12))
    Coverage(days=28, counted=15)
    """

    days: int
    counted: int

    @classmethod
    def of(cls, first: date, last: date, counted_from: date | None) -> Coverage:
        """`counted_from` None: no day is known to lie before counting began (nothing counted at all)."""
        days = (last - first).days + 1
        if counted_from is None:
            return cls(days, days)
        return cls(days, max(0, min(days, (last - max(first, counted_from)).days + 1)))

    @property
    def partial(self) -> bool:
        return self.counted < self.days


def date_da(day: date) -> str:
    """'2. november 2015'."""
    return f"{day.day}. {MONTHS_DA[day.month - 1]} {day.year}"


def date_range_da(first: date, last: date) -> str:
    """Two dates as Danes write a range: '2.–22. november 2015', '26. oktober – 15. november 2015'."""
    if first == last:
        return date_da(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}.–{date_da(last)}"
    if first.year == last.year:
        return f"{first.day}. {MONTHS_DA[first.month - 1]} – {date_da(last)}"
    return f"{date_da(first)} – {date_da(last)}"


def date_period(first: date, last: date) -> Period:
    return Period(first, last)


def counting_weeks(weeks: str) -> Period:
    """`2015-W45:W47`, `2015-W52:2016-W02` or `2015-W45`: Monday of the first ISO week to Sunday of the last."""
    match = _WEEKS.match(weeks.strip())
    if match is None:
        raise PeriodError(text("period.weeks_format", value=weeks))
    year, week, last_year, last_week = match.groups()
    first_year, first_week = int(year), int(week)
    end_year = int(last_year) if last_year else first_year
    end_week = int(last_week) if last_week else first_week
    try:
        first = date.fromisocalendar(first_year, first_week, 1)
        last = date.fromisocalendar(end_year, end_week, 7)
    except ValueError:
        years = (
            str(first_year)
            if first_year == end_year
            else text("period.years", first=str(first_year), last=str(end_year))
        )
        raise PeriodError(text("period.weeks_no_week", value=weeks, years=years)) from None
    if first > last:
        raise PeriodError(text("period.weeks_reversed", value=weeks))
    if first_year == end_year:
        numbers = f"{first_week}" if first_week == end_week else f"{first_week}–{end_week}"
        label = f"tælleuge {numbers} {first_year}"
    else:
        label = f"tælleuge {first_week} {first_year} – {end_week} {end_year}"
    return Period(first, last, label)


def preceding(period: Period) -> Period:
    """The period of the same length that ends the day before `period` starts."""
    last = period.first - timedelta(days=1)
    return Period(last - timedelta(days=period.days - 1), last)


@dataclass(frozen=True)
class Bucket:
    """One point of a trend: a week or a month, clipped to the span the trend covers."""

    first: date
    last: date
    label: str  # for tables: 'uge 45 2015', 'november 2015'
    short: str  # for an axis: 'U45', 'nov. 15'


def trend_unit(span: Period, wanted: str = "auto") -> TrendUnit:
    """Weeks up to WEEKLY_TREND_MAX_DAYS, months beyond, unless `wanted` says which."""
    if wanted == "week" or (wanted == "auto" and span.days <= WEEKLY_TREND_MAX_DAYS):
        return "week"
    return "month"


def buckets(span: Period, unit: TrendUnit) -> list[Bucket]:
    """The ISO weeks or calendar months that `span` touches, each clipped to the span."""
    out: list[Bucket] = []
    day = span.first
    while day <= span.last:
        if unit == "week":
            year, week, weekday = day.isocalendar()
            end = day + timedelta(days=7 - weekday)
            label, short = f"uge {week} {year}", f"U{week}"
        else:
            following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
            end = following - timedelta(days=1)
            label = f"{MONTHS_DA[day.month - 1]} {day.year}"
            short = f"{MONTHS_SHORT_DA[day.month - 1]} {day.year % 100:02}"
        end = min(end, span.last)
        out.append(Bucket(day, end, label, short))
        day = end + timedelta(days=1)
    return out
