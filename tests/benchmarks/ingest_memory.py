"""Memory of the HTTP ingest: resident set when idle and after accepting batches (sizing of its pods).

    .venv/bin/python tests/benchmarks/ingest_memory.py --requests 200 --events 1000

Starts the embedded broker and `komhen ingest` as a process, posts `--requests` batches of `--events`
valid events each (one token), and reads the process's VmRSS from /proc before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from streams.broker.topics import ensure_topics
from streams.dev.embedded import EmbeddedBroker, wait_for_port
from streams.documents.settings import Settings
from tests.fixtures.factories import event_json, free_port

TOKEN = "benchmark-token-0123456789"


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--events", type=int, default=1000)
    args = parser.parse_args()
    with EmbeddedBroker(port=free_port()) as broker, tempfile.TemporaryDirectory() as tmp:
        ensure_topics(Settings(bootstrap_servers=broker.bootstrap_servers))
        tokens = Path(tmp, "tokens.yaml")
        tokens.write_text(f"telephony: {{token: {TOKEN}, municipalities: ['183']}}\n")
        port = free_port()
        env = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap_servers, "KOMHEN_CLOCK": "event"}
        ingest = subprocess.Popen(
            [sys.executable, "-m", "streams", "ingest", "--port", str(port), "--tokens", str(tokens)], env=env
        )
        try:
            wait_for_port("127.0.0.1", port, 30)
            time.sleep(1)
            idle = rss_mib(ingest.pid)
            started = time.monotonic()
            for r in range(args.requests):
                batch = [event_json(f"r{r}-e{i}", source="telephony") for i in range(args.events)]
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/v1/events",
                    data=json.dumps(batch).encode(),
                    headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
                )
                with urllib.request.urlopen(request, timeout=60) as response:
                    assert response.status == 202, response.status
            seconds = time.monotonic() - started
            after = rss_mib(ingest.pid)
            total = args.requests * args.events
            print(f"idle RSS {idle:.0f} MiB; after {total:,} events in {args.requests} requests: {after:.0f} MiB")
            print(f"{total / seconds:,.0f} events/s accepted ({seconds:.1f} s)")
        finally:
            ingest.terminate()
            ingest.wait(30)


if __name__ == "__main__":
    main()
