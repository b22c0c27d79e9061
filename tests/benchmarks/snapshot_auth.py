"""What authenticating snapshots costs: one partition's snapshot written and loaded in memory, and the
HMAC-SHA256 tags alone over the same records, so the tags' share of a write and of a load is seen.

    .venv/bin/python tests/benchmarks/snapshot_auth.py --events 1000000,5000000

N events over `--days` days × `--departments` departments (the mix of cells of worker_memory.py), every
day sealed, as a partition holds them after a day. Each figure is the best of `--repeat` runs: the
shared machine's other load only ever adds. "rotation" verifies with two keys where the records are
signed with the second (a key being rotated out: two tags computed per record). The broker's part of a
restore is in tests/benchmarks/restore.py. Figures, not asserts: not part of the test suite.

2026-12-07, Python 3.11.7, the shared 2-core VM (load average 4.5), `--events 200000,1000000 --repeat 3`,
365 days × 40 departments, 14,602 records either way:

| events | snapshot | write | load | load, key being rotated out | tags alone | tags' share of load / write | CRC32 |
|---|---|---|---|---|---|---|---|
| 0.2 M | 5.9 MB | 1.461 s | 1.550 s | 1.895 s | 0.046 s (128 MB/s) | 3.0 % / 3.2 % | 0.015 s |
| 1.0 M | 18.4 MB | 1.917 s | 2.885 s | 3.164 s | 0.079 s (232 MB/s) | 2.7 % / 4.1 % | 0.024 s |

The tags are 7.9 % and 2.5 % of the snapshot's bytes. A second key costs one more tag per record
(at most the "tags alone" column); the rotation's larger difference is the machine's spread.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import zlib
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from streams.documents.reference import event_contract
from streams.domain.counting.aggregation import Aggregation
from streams.domain.counting.snapshot_codec import SnapshotKeys
from streams.domain.counting.snapshot_format import decode_head, decode_manifest
from streams.domain.counting.snapshot_loading import Assembly, join_parts
from streams.domain.counting.snapshot_writing import Catalog, SnapshotWrite
from streams.domain.counting.windows import local_day
from streams.domain.events.inquiry import EventParser
from tests.benchmarks.worker_memory import CPH, department_day

KEY = b"benchmark snapshot key: 32 bytes or more"
OLD = SnapshotKeys([KEY])
ROTATING = SnapshotKeys([b"the next key of a rotation, 32 bytes+", KEY])
Log = dict[int, tuple[bytes, bytes | None]]


def state(events: int, departments: int, days: int) -> Aggregation:
    parser = EventParser(event_contract())
    rng = random.Random(5)
    aggregation = Aggregation(CPH, 400)
    per_bucket = max(1, events // (departments * days))
    last = date.today() - timedelta(days=1)
    n = 0
    for back in range(days - 1, -1, -1):
        for department in range(departments):
            for event in department_day(rng, department, last - timedelta(days=back), per_bucket, n):
                aggregation.add(parser.parse(event))
            n += per_bucket
    aggregation.compact(local_day(aggregation.newest, CPH) + 1)  # type: ignore[arg-type]
    return aggregation


def write(aggregation: Aggregation, keys: SnapshotKeys) -> tuple[Log, int]:
    """One whole snapshot into an in-memory log; the head's offset."""
    log: Log = {}

    def append(records: list[tuple[bytes, bytes | None]]) -> list[int]:
        offsets = list(range(len(log), len(log) + len(records)))
        log.update(zip(offsets, records, strict=True))
        return offsets

    aggregation.unsaved.update((dept, day) for dept, day, _ in aggregation.days())
    snapshot = SnapshotWrite(Catalog(0), aggregation, covered=1, fingerprint=None, writer=1, keys=keys)
    snapshot.buckets_sent(append(snapshot.records))
    snapshot.manifest_sent(append(list(snapshot.manifest_records())))
    (head_offset,) = append([snapshot.head_record(0)])
    return log, head_offset


def load(log: Log, head_offset: int, keys: SnapshotKeys) -> int:
    head_value = log[head_offset][1]
    assert head_value is not None
    head = decode_head(head_value, 0, keys)
    parts = {i: log[head.manifest_offset + i][1] or b"" for i in range(len(head.parts))}
    manifest_value, older = join_parts(head, parts, keys)
    assembly = Assembly(head, decode_manifest(manifest_value, 0), CPH, 400, keys, older_key=older)
    for offset in range(head.first_offset, head.manifest_offset):
        key, value = log[offset]
        assembly.feed(key, value, offset)
    return assembly.finish().events


def best(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        run()
        times.append(time.perf_counter() - began)
    return min(times)


def measure(events: int, departments: int, days: int, repeat: int) -> dict[str, object]:
    aggregation = state(events, departments, days)
    log, head_offset = write(aggregation, OLD)
    records = [(k, v) for k, v in log.values() if v is not None]
    size = sum(len(v) for _, v in records)
    assert load(log, head_offset, OLD) == sum(len(b.seen) for _, _, b in aggregation.days())
    write_s = best(repeat, lambda: write(aggregation, OLD))
    load_s = best(repeat, lambda: load(log, head_offset, OLD))
    rotation_s = best(repeat, lambda: load(log, head_offset, ROTATING))
    tags_s = best(repeat, lambda: [OLD.tag(k, v[:-32]) for k, v in records])
    crc_s = best(repeat, lambda: [zlib.crc32(v) for _, v in records])
    return {
        "events": events,
        "records": len(records),
        "snapshot_mb": round(size / 1e6, 1),
        "write_s": round(write_s, 3),
        "load_s": round(load_s, 3),
        "load_rotation_s": round(rotation_s, 3),
        "tags_s": round(tags_s, 3),
        "tags_mb_per_s": round(size / 1e6 / tags_s),
        "tags_share_of_load_pct": round(100 * tags_s / load_s, 1),
        "tags_share_of_write_pct": round(100 * tags_s / write_s, 1),
        "crc32_s": round(crc_s, 3),
        "tag_bytes_pct": round(100 * 32 * len(records) / size, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", default="1000000,5000000", help="partition sizes, separated by commas")
    parser.add_argument("--departments", type=int, default=40)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d')}", flush=True)
    for n in (int(x) for x in args.events.split(",")):
        print(json.dumps(measure(n, args.departments, args.days, args.repeat)), flush=True)


if __name__ == "__main__":
    main()
