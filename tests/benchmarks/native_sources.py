"""Speed and memory of reading the systems' own formats: MeMo files, an Asterisk Master.csv, Graph pages.

    .venv/bin/python tests/benchmarks/native_sources.py [--calls 100000] [--attachment-mb 50]

- MeMo: 2,000 small messages (one file each), messages/s; one message with a base64 attachment
  of the given size: seconds and peak Python memory (tracemalloc) while it is read.
- Asterisk: a Master.csv of `--calls` calls of three rows each (21 columns, interleaved as a
  busy PBX writes them): rows/s and calls/s, peak Python memory (the 10,000-line window keeps it
  flat however long the file).
- Teams: 20 getPstnCalls pages of 1,000 rows: rows/s.
Everything goes through `Adapter.read` with the mapping of tests/data/sources, as `komhen source`
reads it (no broker). Figures, not asserts.

Measured 2026-12-07 on the shared 2-core machine with a load average of 8 to 9 (other agents'
tests), so the times are upper bounds; best of 3, peak from a fourth run:
- MeMo: 2,000 messages in 3.05 s (655 messages/s); one 52 MB message in 1.3-3.6 s, peak 0.3 MB.
- Asterisk: 300,000 rows, 100,000 calls in 54.2 s (5,538 rows/s, 1,846 calls/s), peak 11.5 MB.
- Teams: 20,000 rows in 5.79 s (3,456 rows/s).
A municipality's day (a few thousand letters, calls) reads in seconds; the contract check of each
event (parse_event) is the largest single cost of a Graph row.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from streams.ingress.adapters import asterisk, memo, teams
from tests.unit.ingress.adapters.test_asterisk import cdr
from tests.unit.ingress.sources.golden import SOURCES, source

ROUNDS = 3


def best(measure: Callable[[], tuple[float, int]]) -> tuple[float, int]:
    """The fastest of ROUNDS runs in seconds, and the peak Python memory of one more run under tracemalloc."""
    seconds = min(measure()[0] for _ in range(ROUNDS))
    tracemalloc.start()
    measure()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak


def timed(read: Callable[[], int]) -> tuple[float, int]:
    began = time.perf_counter()
    n = read()
    return time.perf_counter() - began, n


def memo_messages(folder: Path) -> None:
    template = (SOURCES / "memo" / "in-v1.0-memo-prefix.xml").read_text(encoding="utf-8")
    files = folder / "memo"
    files.mkdir()
    for i in range(2000):
        uuid = f"3f2a9c4e-7b1d-4e8a-9c2f-{i:012x}"
        (files / f"m{i}.xml").write_text(template.replace("3f2a9c4e-7b1d-4e8a-9c2f-5d6e7f8a9b0c", uuid), "utf-8")
    mapping = source(SOURCES / "memo")[1]
    paths = sorted(files.iterdir())
    seconds, peak = best(lambda: timed(lambda: sum(1 for p in paths for _ in memo.ADAPTER.read(p, mapping))))
    rate = len(paths) / seconds
    print(f"MeMo: {len(paths):,} messages in {seconds:.2f} s ({rate:,.0f} messages/s), peak {peak / 1e6:.1f} MB")


def memo_attachment(folder: Path, megabytes: int) -> None:
    template = (SOURCES / "memo" / "in-attachment-base64.xml").read_text(encoding="utf-8")
    head, rest = template.split("<memo:content>", 1)
    tail = rest.split("</memo:content>", 1)[1]
    path = folder / "big.xml"
    line = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\n"
    with path.open("w", encoding="utf-8") as f:
        f.write(head + "<memo:content>")
        for _ in range(megabytes * 1024 * 1024 // len(line)):
            f.write(line)
        f.write("</memo:content>" + tail)
    mapping = source(SOURCES / "memo")[1]
    seconds, peak = best(lambda: timed(lambda: len(list(memo.ADAPTER.read(path, mapping)))))
    print(f"MeMo: one message of {path.stat().st_size / 1e6:.0f} MB in {seconds:.2f} s, peak {peak / 1e6:.1f} MB")


def asterisk_master(folder: Path, calls: int) -> None:
    path = folder / "Master.csv"
    with path.open("w", encoding="utf-8") as f:
        for i in range(0, calls, 2):  # two calls at a time, their rows interleaved
            a, b = f"1795330800.{i}", f"1795330800.{i + 1}"
            start = f"2026-11-16 {8 + i % 9:02d}:{i % 60:02d}:00"
            legs = [
                cdr(start, a, dst="PJSIP/4711-00000001", disposition="NO ANSWER"),
                cdr(start, b, dst="", lastapp="Queue", lastdata="7001,t"),
                cdr(start, a, dst="PJSIP/4820-00000002", answer=start),
                cdr(start, b, dst="PJSIP/4712-00000003", disposition="NO ANSWER"),
                cdr(start, a, dcontext="ext-local", dst="", lastapp="VoiceMail"),
                cdr(start, b, dst="Local/4711@from-queue-00000004;1", answer=start),
            ]
            f.write("\n".join(legs) + "\n")
    mapping = source(SOURCES / "asterisk")[1]
    seconds, peak = best(lambda: timed(lambda: sum(1 for _ in asterisk.ADAPTER.read(path, mapping))))
    rows = calls * 3
    print(
        f"Asterisk: {rows:,} rows, {calls:,} calls in {seconds:.1f} s "
        f"({rows / seconds:,.0f} rows/s, {calls / seconds:,.0f} calls/s), peak {peak / 1e6:.1f} MB"
    )


def teams_pages(folder: Path) -> None:
    page = json.loads((SOURCES / "teams" / "in-getPstnCalls-page1.json").read_text(encoding="utf-8"))
    row = page["value"][0]
    paths = []
    for p in range(20):
        value = [{**row, "id": f"0c1d2e3f-4a5b-4c6d-{p:04x}-{i:012x}"} for i in range(1000)]
        paths.append(folder / f"page{p}.json")
        paths[-1].write_text(json.dumps({**page, "value": value}), encoding="utf-8")
    mapping = source(SOURCES / "teams")[1]
    seconds, peak = best(lambda: timed(lambda: sum(1 for p in paths for _ in teams.ADAPTER.read(p, mapping))))
    print(f"Teams: 20,000 rows in {seconds:.2f} s ({20000 / seconds:,.0f} rows/s), peak {peak / 1e6:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--attachment-mb", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        memo_messages(Path(folder))
        memo_attachment(Path(folder), args.attachment_mb)
        asterisk_master(Path(folder), args.calls)
        teams_pages(Path(folder))


if __name__ == "__main__":
    main()
