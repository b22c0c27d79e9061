"""A sample's events moved to recent days: every event by the same whole number of days, in local time.

A sample is dated the week it was written, and a worker with the wall clock shows the last 7
days, so a week later the sample shows nothing there. `komhen publish --shift-to-today` moves
every event's `occurred_at` by whole days so that the newest falls on yesterday: a sample of up
to 7 days then lies in the 7-day window on any day, and no event lies in the future. Each keeps
its local time of day, across a change to or from summer time. Event ids stay, so publishing the
moved sample again counts nothing twice (a worker counts an event id once, whatever day a resend
carries). Objects without a readable `occurred_at` stay as they are, for validation to reject.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from streams.domain.counting.windows import local_moment


def occurred(obj: Any, tz: ZoneInfo) -> datetime | None:
    """The event object's `occurred_at` as a local moment, or None if it has none that reads as one."""
    text = obj.get("occurred_at") if isinstance(obj, dict) else None
    try:
        moment = datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None
    if moment is None or moment.tzinfo is None:
        return None
    return moment.astimezone(tz)


def days_to_yesterday(objects: Iterable[Any], today: date, tz: ZoneInfo) -> int | None:
    """Whole days that move the newest event to the day before `today` (None: no event with a time).

    >>> tz = ZoneInfo("Europe/Copenhagen")
    >>> days_to_yesterday([{"occurred_at": "2026-11-28T10:22:09+01:00"}], date(2027, 8, 16), tz)
    260
    """
    days = [m.date() for m in (occurred(obj, tz) for obj in objects) if m is not None]
    return (today - timedelta(days=1) - max(days)).days if days else None


def moved(obj: Any, days: int, tz: ZoneInfo) -> Any:
    """A copy of the event object with `occurred_at` `days` later at the same local time of day.

    >>> moved({"event_id": "s-1", "occurred_at": "2026-11-23T09:02:11+01:00"}, 266, ZoneInfo("Europe/Copenhagen"))
    {'event_id': 's-1', 'occurred_at': '2027-08-16T09:02:11+02:00'}
    """
    moment = occurred(obj, tz)
    if moment is None or not days:
        return obj
    local = local_moment(moment.replace(tzinfo=None) + timedelta(days=days), tz)
    return {**obj, "occurred_at": local.isoformat(timespec="microseconds" if local.microsecond else "seconds")}
