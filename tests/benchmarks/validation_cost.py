"""Microseconds per event of decoding and validating input messages (the worker's hot path).

    .venv/bin/python tests/benchmarks/validation_cost.py

Batch messages of 1,000 simulated events (every event id new, so the personal-data check
runs on it; sources and departments repeat, as in real traffic) go through `decode_message`
as a worker calls it. Prints the best of several rounds, in µs per event, and the same for a
personal-data scan of one unseen value. Figures, not asserts.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from streams.documents.reference import event_contract
from streams.domain.events.inquiry import EventParser
from streams.domain.events.messages import decode_message, encode_messages
from tests.benchmarks.throughput import simulated

ROUNDS = 7


def best(seconds: list[float]) -> float:
    return min(seconds)


def main() -> None:
    events = simulated(50_000)
    messages = list(encode_messages(events, max_events=1000))
    received_at = datetime.now(UTC)
    retention = timedelta(days=400)
    parser = EventParser(event_contract())  # one per worker, kept across rounds as a worker keeps it
    rounds = []
    for _ in range(ROUNDS):
        began = time.perf_counter()
        n = 0
        for key, value in messages:
            n += len(decode_message(value, key, parser=parser, received_at=received_at, retention=retention).events)
        rounds.append((time.perf_counter() - began) / n)
    assert n == len(events), n
    print(f"decode + validate: {best(rounds) * 1e6:.2f} µs per event ({len(events):,} events, best of {ROUNDS})")
    from streams.domain.events.privacy import contains_cpr as scan

    ids = [f"tel-{i:09d}" for i in range(100_000)]
    rounds = []
    for _ in range(ROUNDS):
        began = time.perf_counter()
        for text in ids:
            scan(text)
        rounds.append((time.perf_counter() - began) / len(ids))
    print(f"personal-data scan of an unseen event id: {best(rounds) * 1e6:.3f} µs")


if __name__ == "__main__":
    main()
