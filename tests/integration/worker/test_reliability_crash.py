"""Promise 2, crash recovery: `kill -9` in the middle of a 100,000-event stream loses and doubles nothing.

A background thread publishes with the SDK in chunks while the test kills a worker once about
half of the events are counted. The final window counts must equal the independent expectation
(tests/integration/worker/test_counting_end_to_end.expected_windows), `_all` included, and the
accounting is exact: the restarted (or surviving) worker counts live exactly the events of the
messages at or above the offsets the group had committed when the worker died; everything below
them is restored from the topic, not counted again.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any, cast

from kafka import KafkaConsumer

from streams.documents.settings import Settings
from streams.ingress.publisher import Publisher
from tests.fixtures.workers import WorkerProcess, committed_offsets, start_worker, wait_for
from tests.integration.worker.test_reliability_idempotence import (
    counted,
    expected_series,
    many_events,
    outcomes,
    window_series,
)

EVENTS = 100_000
CHUNK = 2_000
PAUSE_S = 0.25  # between chunks: the stream lasts ~20 s, long enough to kill a worker in its middle


class BackgroundPublisher(threading.Thread):
    """Publishes `events` in chunks with the SDK; `sent` is what Kafka acknowledged so far."""

    def __init__(self, settings: Settings, events: list[dict[str, Any]]) -> None:
        super().__init__(daemon=True)
        self.settings = settings
        self.events = events
        self.sent = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with Publisher(self.settings) as publisher:
                for start in range(0, len(self.events), CHUNK):
                    result = publisher.publish(self.events[start : start + CHUNK])
                    assert not result.rejected
                    self.sent += result.published
                    time.sleep(PAUSE_S)
        except BaseException as exc:  # reported by finish()
            self.error = exc

    def finish(self, timeout_s: float = 120) -> None:
        self.join(timeout_s)
        assert not self.is_alive(), "the publisher did not finish"
        assert self.error is None, repr(self.error)
        assert self.sent == len(self.events)


def owned(worker: WorkerProcess) -> list[int]:
    """The input partitions a worker owns, from its /health."""
    return sorted(cast(list[int], worker.health()["partitions"]))


def events_per_message(settings: Settings) -> dict[tuple[int, int], int]:
    """(partition, offset) -> number of events in that message, read back from the input topic."""
    consumer = KafkaConsumer(
        settings.topic,
        bootstrap_servers=settings.bootstrap_servers,
        auto_offset_reset="earliest",
        consumer_timeout_ms=3000,
        max_partition_fetch_bytes=8 * 1024 * 1024,
    )
    out: dict[tuple[int, int], int] = {}
    try:
        for message in consumer:
            value = json.loads(message.value)
            out[(message.partition, message.offset)] = len(value["events"]) if "events" in value else 1
    finally:
        consumer.close()
    return out


def events_at_or_above(per_message: dict[tuple[int, int], int], offsets: dict[int, int], partitions: set[int]) -> int:
    return sum(n for (p, o), n in per_message.items() if p in partitions and o >= offsets[p])


def test_kill_9_in_the_middle_of_a_100k_stream_then_restart_counts_exactly(
    settings: Settings, worker: WorkerProcess, tmp_path: Path
) -> None:
    events = many_events(EVENTS, "crash", seed=9)
    expected = expected_series(events)
    started = time.monotonic()
    stream = BackgroundPublisher(settings, events)
    stream.start()
    wait_for(lambda: counted(worker) >= EVENTS // 2, 90, "half of the stream to be counted")
    counted_before_kill = counted(worker)
    worker.kill()  # kill -9 in the middle of the stream
    at_kill = committed_offsets(settings)
    assert stream.is_alive() and stream.sent < EVENTS, "the stream ended before the kill: not a mid-stream crash"

    again = start_worker(settings, tmp_path, name="restarted")
    try:
        stream.finish()
        wait_for(lambda: window_series(again) == expected, 90, "the exact final counts after the restart")
        elapsed = time.monotonic() - started
        per_message = events_per_message(settings)
        assert sum(per_message.values()) == EVENTS  # the idempotent SDK wrote every event exactly once
        assert {p for p, _ in per_message} == set(range(settings.partitions))
        live = events_at_or_above(per_message, at_kill, set(range(settings.partitions)))
        restored = EVENTS - live
        # Accounting: published = restored (below the committed offsets) + counted live by the new process.
        assert dict(outcomes(again)) == {"accepted": live}
        assert counted(again) == live
        assert restored + live == EVENTS and 0 < restored <= counted_before_kill
        print(
            f"\n100k crash: killed at {counted_before_kill} counted, {restored} restored, {live} counted live "
            f"after restart, {elapsed:.1f} s from first publish to exact counts"
        )
    except Exception:
        print(again.log_tail())
        raise
    finally:
        again.close()


def test_two_workers_one_killed_mid_stream_the_survivor_takes_over_and_counts_exactly(
    settings: Settings, two_workers: tuple[WorkerProcess, WorkerProcess]
) -> None:
    events = many_events(EVENTS, "failover", seed=10)
    expected = expected_series(events)
    # Kill the owner of partition 0, the exporter of the whole municipality: `_all` must move too.
    victim, survivor = sorted(two_workers, key=lambda w: 0 not in owned(w))
    own = set(owned(survivor))
    taken = set(range(settings.partitions)) - own
    started = time.monotonic()
    stream = BackgroundPublisher(settings, events)
    stream.start()
    wait_for(lambda: counted(victim) + counted(survivor) >= EVENTS // 2, 90, "half of the stream to be counted")
    victim.kill()  # kill -9
    killed_at = time.monotonic()
    at_kill = committed_offsets(settings)
    assert stream.is_alive() and stream.sent < EVENTS, "the stream ended before the kill: not a mid-stream crash"

    wait_for(
        lambda: owned(survivor) == [0, 1, 2, 3] and survivor.health()["status"] == "ok",
        90,
        "the survivor to take over all partitions",
    )
    takeover_s = time.monotonic() - killed_at
    stream.finish()
    wait_for(lambda: window_series(survivor) == expected, 90, "exact combined counts, _all included, on the survivor")
    elapsed = time.monotonic() - started

    assert victim.process.poll() is not None  # only the survivor exports: `_all` exactly once
    all_series = {k: v for k, v in window_series(survivor).items() if ("department", "_all") in k}
    assert all_series == {k: v for k, v in expected.items() if ("department", "_all") in k}
    per_message = events_per_message(settings)
    assert sum(per_message.values()) == EVENTS
    assert own and taken and {p for p, _ in per_message} == set(range(settings.partitions))
    # Accounting: the survivor counted its own partitions live from the start, the taken-over ones live
    # from the offsets committed when the victim died; the rest of those was restored, not counted again.
    zero = dict.fromkeys(range(settings.partitions), 0)
    live = events_at_or_above(per_message, zero, own) + events_at_or_above(per_message, at_kill, taken)
    assert dict(outcomes(survivor)) == {"accepted": live}
    assert counted(survivor) == live
    restored = EVENTS - live
    assert 0 < restored < EVENTS
    print(
        f"\nfailover: takeover {takeover_s:.1f} s after kill -9, {restored} events restored, {live} counted live "
        f"by the survivor, {elapsed:.1f} s from first publish to exact counts"
    )
