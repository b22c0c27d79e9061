"""`komhen source SYSTEM`: run a source adapter over files, or follow a directory, and publish.

Inquiries and service measures go to the input topic through the SDK; rejected records are
listed with file, line and reason, skipped ones (cancelled tickets, …) are counted with why.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from threading import Event
from typing import Any

from streams.cli.common import add_topic, input_file, require_kafka, say
from streams.documents.settings import ConfigError, Settings
from streams.documents.source_mappings import load_mapping
from streams.ingress.adapters import ADAPTERS
from streams.ingress.adapters.base import AdapterResult, Inquiry, RejectedRow, ServiceMeasure, Skipped
from streams.ingress.publisher import Publisher


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "source",
        help="publish a source system's records (telephony, selfservice, digitalpost, reception)",
        description="Maps a system's native records to inquiry events (and service measures such as abandoned "
        "calls) and publishes them. Samples of every input and mapping file are in schemas/samples/.",
    )
    parser.add_argument("system", choices=sorted(ADAPTERS))
    parser.add_argument("files", nargs="*", type=Path, metavar="FILE", help="files to publish")
    parser.add_argument("--follow", type=Path, metavar="DIR", help="then keep publishing new files in DIR")
    parser.add_argument("--mapping", type=Path, required=True, help="YAML: municipality and queue/unit -> department")
    add_topic(parser)
    parser.set_defaults(run=run)


class SourceRun:
    """Publishes what an adapter produced and keeps the tally for the closing line."""

    def __init__(self, publisher: Publisher) -> None:
        self.publisher = publisher
        self.tally: Counter[str] = Counter()
        self.skipped: Counter[str] = Counter()

    def publish(self, results: Iterable[AdapterResult]) -> None:
        ready = []
        for result in results:
            if isinstance(result, Inquiry):
                ready.append(result.event)
                self.tally["inquiries"] += 1
                self.tally["findings"] += len(result.findings)
            elif isinstance(result, ServiceMeasure):
                ready.append(result.measure)
                self.tally["measures"] += 1
            elif isinstance(result, Skipped):
                self.skipped[result.reason] += 1
            elif isinstance(result, RejectedRow):
                print(result.format(), file=sys.stderr)
                self.tally["rejected"] += 1
        self.publisher.send_valid(ready)

    def summary(self) -> str:
        skipped = ", ".join(f"{n} {reason}" for reason, n in sorted(self.skipped.items())) or "none"
        line = (
            f"published {self.tally['inquiries']} inquiries and {self.tally['measures']} service measures, "
            f"rejected {self.tally['rejected']}, skipped: {skipped}"
        )
        if self.tally["findings"]:
            line += f"; {self.tally['findings']} descriptive values normalised or left out (the inquiries count)"
        return line


def run(settings: Settings, args: argparse.Namespace, poll_interval_s: float = 2.0) -> int:
    """Publish the files' records, or keep following a directory until SIGINT/SIGTERM."""
    if not args.files and args.follow is None:
        raise ConfigError("komhen source needs FILE arguments or --follow DIR")
    adapter = ADAPTERS[args.system]
    mapping = load_mapping(input_file(args.mapping), tz=settings.tz)
    files = [input_file(p) for p in args.files]
    if args.follow is not None and not args.follow.is_dir():
        raise ConfigError(f"--follow {args.follow}: no such folder")
    with Publisher(require_kafka(settings)) as publisher:
        run = SourceRun(publisher)
        for path in files:
            run.publish(adapter.read(path, mapping))
        if args.follow is not None:
            stop = Event()
            for signum in (signal.SIGINT, signal.SIGTERM):
                signal.signal(signum, lambda *_: stop.set())
            say(f"following {args.follow} for new {args.system} files (Ctrl-C stops)")
            batches = adapter.follow(args.follow, mapping, stop=stop, poll_interval_s=poll_interval_s)
            try:
                for batch in batches:
                    run.publish(batch.results)
                    say(f"{batch.path}: {run.summary()}")
            finally:
                batches.close()
    print(run.summary())
    return 1 if run.tally["rejected"] else 0
