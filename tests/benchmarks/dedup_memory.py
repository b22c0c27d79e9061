"""Memory of the dedup state: an Aggregation holding N events' identities, in MB per million events.

    .venv/bin/python tests/benchmarks/dedup_memory.py --events 5000000 --days 365 --departments 50

Each figure is measured in a fresh child process (so one measurement does not disturb the other):
`rss` is the growth of the resident set while the events are added (what the worker pays),
`tracemalloc` the Python heap growth that tracemalloc attributes to it (slower, more precise), and
`identities` the bytes of the per-bucket `seen` sets and the hash integers in them, plus the
partition's index of every identity (`Aggregation.identities`, which recognises corrections),
alone (the dedup part, as opposed to the counts); `index` the index alone.
If `Aggregation.compact(before_day)` exists, it is then called for
every day older than `--keep-days` before the newest day, and the figures after it are reported too.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import time
import tracemalloc
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from streams.domain.counting.aggregation import Aggregation
from streams.domain.counting.windows import local_day
from streams.domain.events.inquiry import InquiryEvent

TZ = ZoneInfo("Europe/Copenhagen")
NEWEST = datetime(2026, 11, 20, 12, 0, tzinfo=TZ)
CHANNELS = [("phone", "in"), ("phone", "out"), ("email", "in"), ("self_service", "in"), ("digital_post", "out")]
MB = 1024 * 1024


def rss_bytes() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def identity_bytes(aggregation: Aggregation) -> int:
    """Bytes of the `seen` sets and of the identity integers they hold."""
    total = 0
    for _, _, bucket in aggregation.days():
        seen: Any = bucket.seen
        if isinstance(seen, set):  # before compaction existed: a plain set per bucket
            total += sys.getsizeof(seen) + sum(sys.getsizeof(i) for i in seen)
        else:  # streams.domain.counting.identities.Identities: a set of recent identities and a sorted array("q")
            total += sys.getsizeof(seen) + sys.getsizeof(seen.recent) + sum(sys.getsizeof(i) for i in seen.recent)
            total += sys.getsizeof(seen.sealed)
    return total + index_bytes(aggregation)


def index_bytes(aggregation: Aggregation) -> int:
    """Bytes of the partition's index of every identity (0 before it existed)."""
    index = getattr(aggregation, "identities", None)
    if index is None:
        return 0
    sets = [*index.added, *index.removed]
    return sum(sys.getsizeof(a) for a in index.sealed) + sum(
        sys.getsizeof(s) + sum(sys.getsizeof(i) for i in s) for s in sets
    )


def fill(events: int, days: int, departments: int) -> Aggregation:
    """Add `events` distinct events spread evenly over `days` local days and `departments` departments."""
    aggregation = Aggregation(TZ, 400)
    moments = [NEWEST - timedelta(days=d) for d in range(days)]
    names = [f"afdeling-{d}" for d in range(departments)]
    for i in range(events):
        channel, direction = CHANNELS[i % len(CHANNELS)]
        aggregation.add(
            InquiryEvent(
                event_id=f"ev-{i}",
                source="telephony",
                occurred_at=moments[(i // departments) % days],
                municipality="183",
                department=names[i % departments],
                channel=channel,
                direction=direction,
            )
        )
    return aggregation


def measure(mode: str, events: int, days: int, departments: int, keep_days: int) -> dict[str, Any]:
    gc.collect()
    if mode == "tracemalloc":
        tracemalloc.start()
    base_rss = rss_bytes()
    started = time.perf_counter()
    aggregation = fill(events, days, departments)
    seconds = time.perf_counter() - started
    gc.collect()
    out: dict[str, Any] = {"mode": mode, "seconds": seconds}
    if mode == "tracemalloc":
        out["bytes"] = tracemalloc.get_traced_memory()[0]
    else:
        out["bytes"] = rss_bytes() - base_rss
        out["identity_bytes"] = identity_bytes(aggregation)
        out["index_bytes"] = index_bytes(aggregation)
    compact = getattr(aggregation, "compact", None)
    if compact is not None:
        before_day = local_day(NEWEST, TZ) - keep_days
        compact(before_day)
        gc.collect()
        if mode == "tracemalloc":
            out["bytes_after_compact"] = tracemalloc.get_traced_memory()[0]
        else:
            # freed memory is not always returned to the OS: RSS after compaction is an upper bound
            out["bytes_after_compact"] = rss_bytes() - base_rss
            out["identity_bytes_after_compact"] = identity_bytes(aggregation)
            out["index_bytes_after_compact"] = index_bytes(aggregation)
    return out


def per_million(value: int | None, events: int) -> str:
    return "n/a" if value is None else f"{value / MB / (events / 1_000_000):8.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=5_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--departments", type=int, default=50)
    parser.add_argument("--keep-days", type=int, default=7, help="compact identity sets of days older than this")
    parser.add_argument("--modes", default="rss,tracemalloc")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.events, args.days, args.departments, args.keep_days)))
        return

    has_compact = hasattr(Aggregation, "compact")
    print(
        f"{args.events:,} events over {args.days} days x {args.departments} departments "
        f"({args.events / args.days / args.departments:.0f} per department-day); "
        f"Aggregation.compact: {'present, keep ' + str(args.keep_days) + ' days' if has_compact else 'absent'}"
    )
    print(f"{'figure':<34}{'MB total':>10}{'MB/1M events':>14}{'after compact MB/1M':>21}{'fill s':>8}")
    for mode in args.modes.split(","):
        command = [sys.executable, __file__, "--child", mode, "--events", str(args.events), "--days", str(args.days)]
        command += ["--departments", str(args.departments), "--keep-days", str(args.keep_days)]
        result = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
        rows = [(f"{mode} (whole Aggregation)", result["bytes"], result.get("bytes_after_compact"))]
        if "identity_bytes" in result:
            rows.append(
                (
                    "identities only (seen sets + ints)",
                    result["identity_bytes"],
                    result.get("identity_bytes_after_compact"),
                )
            )
        if result.get("index_bytes"):
            rows.append(
                ("of which the partition's index", result["index_bytes"], result.get("index_bytes_after_compact"))
            )
        for label, value, after in rows:
            print(
                f"{label:<34}{value / MB:>10.1f}{per_million(value, args.events):>14}"
                f"{per_million(after, args.events):>21}{result['seconds']:>8.1f}"
            )


if __name__ == "__main__":
    main()
