"""Event-time day buckets and the rolling windows summed from them.

Days are local calendar days (Europe/Copenhagen by default), so a window follows the
municipality's own calendar across DST changes: a window of 7 days is the reference day
and the six days before it, whatever their length in hours.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

WINDOWS: tuple[str, ...] = ("7d", "28d", "365d", "ytd")
_FIXED_DAYS = {"7d": 7, "28d": 28, "365d": 365}


def local_moment(naive: datetime, tz: ZoneInfo) -> datetime:
    """A local wall-clock time as an aware moment with the offset in force then.

    Ambiguous times (the autumn hour that occurs twice) take the first, summer-time occurrence;
    times in the spring gap are read in winter time, so 02:30 on the spring day becomes
    03:30+02:00. The local day never changes, which is what the counts need. Raises
    OverflowError for year 1 falling off the calendar in UTC.
    """
    return naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)


def local_day(moment: datetime, tz: ZoneInfo) -> int:
    """The local calendar day of a moment, as a proleptic ordinal (date.toordinal())."""
    return moment.astimezone(tz).toordinal()


def window_start(window: str, ref_day: int) -> int:
    """The first day (ordinal, inclusive) of `window` ending on `ref_day` (inclusive)."""
    if window == "ytd":
        return date(date.fromordinal(ref_day).year, 1, 1).toordinal()
    try:
        return ref_day - _FIXED_DAYS[window] + 1
    except KeyError:
        raise ValueError(f"unknown window {window!r}; expected one of {', '.join(WINDOWS)}") from None


def windows_containing(day: int, ref_day: int) -> tuple[str, ...]:
    """The windows ending on `ref_day` that include `day` (none for a day after it)."""
    if day > ref_day:
        return ()
    return tuple(w for w in WINDOWS if day >= window_start(w, ref_day))
