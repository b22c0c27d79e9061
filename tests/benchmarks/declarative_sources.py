"""Records per second of the declarative sources, reading and mapping with no broker.

    .venv/bin/python tests/benchmarks/declarative_sources.py

Builds a large file in each shipped system's format by repeating its sample records with new ids
(OS2forms REST responses as a JSON array, Qmatic Orchestra events as JSON lines, the
contact-centre export as CSV), then reads it with `Adapter.read_content` as `komhen source`
does: decoding, the rules, and checking every event against its contract. Prints the best of
several rounds and the peak memory of one round. Figures, not asserts.

2026-12-07, on the shared 2-core machine under a load average of 9.5 (validation_cost.py in the same
minute: 79.7 µs per event, against 8.2 µs when the machine is quiet, so about ten times slower):

    os2forms             56.0 MB      1,480 records/s      2,959 events/s  peak  448.3 MB
    qmatic-orchestra     13.2 MB      5,029 records/s      2,794 events/s  peak   50.7 MB
    contact-centre        4.5 MB      5,052 records/s      3,537 events/s  peak   40.4 MB

A record costs about 2.5 times the worker's decode and validation of one event (a CSV or JSON
line ~200 µs here, ~20 µs quiet); an OS2forms REST response carries the whole entity and the
answers, so parsing dominates (a JSON document is parsed whole: its peak is ~8 times its size).
"""

from __future__ import annotations

import json
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from streams.ingress.adapters.base import Inquiry, ServiceMeasure
from tests.unit.ingress.sources.golden import SOURCES, source

RECORDS = 50_000
ROUNDS = 3


def os2forms(n: int) -> bytes:
    sample = json.loads((SOURCES / "os2forms" / "in-rest-completed.json").read_text())
    out = []
    for i in range(n):
        sample["entity"]["uuid"][0]["value"] = f"3f2b8c1e-5d4a-4b7e-9c21-{i:012x}"
        out.append(json.dumps(sample))
    return ("[" + ",".join(out) + "]").encode()


def qmatic(n: int) -> bytes:
    lines = (SOURCES / "qmatic-orchestra" / "in-events.ndjson").read_text().splitlines()
    out = []
    for i in range(n):
        event = json.loads(lines[i % len(lines)])
        event["parameters"]["visitId"] = 100_000 + i
        out.append(json.dumps(event))
    return ("\n".join(out) + "\n").encode()


def contact_centre(n: int) -> bytes:
    lines = (SOURCES / "contact-centre" / "in-conversations.csv").read_text().splitlines()
    header, rows = lines[0], lines[1:]
    out = [header]
    for i in range(n):
        row = rows[i % len(rows)].split(";", 1)
        out.append(f"c-{i};{row[1]}")
    return ("\n".join(out) + "\n").encode()


def main() -> None:
    print(f"{RECORDS:,} records per file; best of {ROUNDS} rounds")
    for name, build in (("os2forms", os2forms), ("qmatic-orchestra", qmatic), ("contact-centre", contact_centre)):
        adapter, mapping = source(SOURCES / name)
        content = build(RECORDS)
        seconds = []
        events = 0
        for _ in range(ROUNDS):
            began = time.perf_counter()
            results = list(adapter.read_content(name, content, mapping))
            seconds.append(time.perf_counter() - began)
            events = sum(isinstance(r, Inquiry | ServiceMeasure) for r in results)
        tracemalloc.start()
        list(adapter.read_content(name, content, mapping))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        best = min(seconds)
        print(
            f"{name:18} {len(content) / 1e6:6.1f} MB  {RECORDS / best:9,.0f} records/s  "
            f"{events / best:9,.0f} events/s  peak {peak / 1e6:6.1f} MB"
        )


if __name__ == "__main__":
    main()
