"""The time a record's events are judged against: one a producer cannot forge, the same on every replay.

Event time is checked against the time a record reached Kafka (more than 5 minutes after it:
`future_timestamp`; older than the retention: `too_old`), never against the moment a worker
reads it, so a restore after a restart decides exactly as the live run did. On a topic created
with `message.timestamp.type=LogAppendTime` (streams/broker/topics.py, docker-compose's kafka-init)
the broker stamps that time itself and the record says so: it is used as it is.

A producer sets the timestamp of a record on a `CreateTime` topic (the default, and all a
broker that ignores the setting offers, like the embedded Tansu). Then a partition's clock
reads each record's timestamp with two bounds:
- never after the worker's clock: a record stamped 2031 is judged as arriving now, so its 2031
  events are `future_timestamp` and cannot move the event clock;
- never before the (lower) median of the partition's last 15 judged times: a record stamped 2015
  among records of today is judged as arriving today, so its 2015 events are `too_old`. One
  forged record (up to 7 in any 15) cannot move that bound; honest records after a quiet weekend
  still move the clock at once, as their times are later than the median.
Both bounds come from the log itself or only bite for times in the future, so a replay decides
as the live run did (a record forged into the future is judged at the replay's now: its events
stay in the future until that date has passed).
"""

from __future__ import annotations

from collections import deque

LOG_APPEND_TIME = 1  # Kafka's timestamp type of a time the broker stamped
WINDOW = 15
# Kafka timestamps are milliseconds in an int64; datetime stops at year 9999.
MIN_MS, MAX_MS = 0, 253_402_214_400_000 - 2 * 86_400_000


def clamp_ms(timestamp_ms: int) -> int:
    return min(max(timestamp_ms, MIN_MS), MAX_MS)


class PartitionClock:
    """Judged times of one partition's records, in offset order (see the module docstring).

    >>> clock = PartitionClock()
    >>> [clock.judge(t, log_append=False, now_ms=1_000) for t in (100, 200, 5, 300, 9_999, 7)]
    [100, 200, 100, 300, 1000, 200]
    """

    __slots__ = ("_recent",)

    def __init__(self) -> None:
        self._recent: deque[int] = deque(maxlen=WINDOW)

    def judge(self, timestamp_ms: int, *, log_append: bool, now_ms: int) -> int:
        """The time, in ms, a record with this Kafka timestamp is judged to have reached Kafka."""
        if log_append:
            judged = clamp_ms(timestamp_ms)
        else:
            judged = clamp_ms(min(timestamp_ms, now_ms))
            if self._recent:
                judged = max(judged, sorted(self._recent)[(len(self._recent) - 1) // 2])  # the lower median
        self._recent.append(judged)
        return judged

    def reset(self) -> None:
        self._recent.clear()
