"""`komhen source SYSTEM`: run a source adapter over files, or follow a directory, and publish.

SYSTEM is a built-in adapter, a shipped source definition (OS2forms, Qmatic, contact-centre
exports) or a source-mapping file of your own. Inquiries and service measures go to the input
topic through the SDK; rejected records are listed with file, line and reason; what was read, what
was skipped and which unit keys the mapping does not name is summarised in the person's language.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from threading import Event
from typing import Any

from streams.cli.common import add_topic, input_file, input_folder, require_kafka, say
from streams.contract.identifiers import UNKNOWN_DEPARTMENT
from streams.contract.texts import language, number, text
from streams.documents.settings import ConfigError, Settings
from streams.documents.source_mappings import load_mapping
from streams.domain.events.privacy import shown
from streams.ingress.adapters import source_adapter, source_names
from streams.ingress.adapters.base import AdapterResult, Inquiry, RejectedRow, ServiceMeasure, Skipped
from streams.ingress.adapters.follow import folder_files
from streams.ingress.publisher import Publisher


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "source",
        help=text("help.source", sources=", ".join(source_names())),
        description=text("help.source.about", sources=", ".join(source_names())),
    )
    parser.add_argument("system", metavar="SYSTEM", help=text("help.source.system"))
    parser.add_argument("files", nargs="*", type=Path, metavar="FILE", help=text("help.source.files"))
    parser.add_argument("--follow", type=Path, metavar="DIR", help=text("help.source.follow"))
    parser.add_argument(
        "--mapping",
        type=Path,
        help=text("help.source.mapping"),
    )
    add_topic(parser)
    parser.set_defaults(run=run)


class SourceRun:
    """Publishes what an adapter produced and keeps the tally for the closing lines."""

    def __init__(self, publisher: Publisher, skip_reasons_da: Mapping[str, str] | None = None) -> None:
        self.publisher = publisher
        self.skip_reasons_da = skip_reasons_da or {}
        self.tally: Counter[str] = Counter()
        self.skipped: Counter[str] = Counter()
        self.unmapped: Counter[str] = Counter()  # unit key -> records counted in `unknown` for want of it
        self.notes: Counter[str] = Counter()  # what a record's mapping needed said (where its time came from)

    def publish(self, results: Iterable[AdapterResult]) -> None:
        ready = []
        last = None
        for result in results:
            first = (result.file, result.line) != last  # a record's results come together
            if first:
                last = (result.file, result.line)
                self.tally["records"] += 1
            if first and isinstance(result, Inquiry | ServiceMeasure) and result.unmapped is not None:
                self.unmapped[result.unmapped] += 1  # per record: its inquiry and service events share the unit
            if first and isinstance(result, Inquiry | ServiceMeasure):
                self.notes.update(result.notes)
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
                print(result.format(language()), file=sys.stderr)
                self.tally["rejected"] += 1
        self.publisher.send_valid(ready)

    def headline(self) -> str:
        """The run so far in one line: records read, what was sent, skipped and rejected."""
        t = self.tally
        return text(
            "source.read",
            records=text("source.records", n=t["records"]),
            inquiries=text("source.inquiries", n=t["inquiries"]),
            measures=text("source.measures", n=t["measures"]),
            skipped=text("source.records", n=sum(self.skipped.values())),
            rejected=t["rejected"],
        )

    def summary(self, mapping_file: str) -> list[str]:
        """The run for the person at the terminal: what was read, skipped and not mapped, and the notes."""
        lines = [self.headline()]
        if self.tally["findings"]:
            lines.append(text("source.findings", n=self.tally["findings"]))
        if self.skipped:
            why = "; ".join(self._skip(reason, n) for reason, n in sorted(self.skipped.items()))
            lines.append(text("source.skipped", why=why))
        keys = {key: n for key, n in self.unmapped.items() if key}
        if keys:
            listed = ", ".join(f"{shown(key)} ({number(n)})" for key, n in sorted(keys.items(), key=lambda kv: -kv[1]))
            lines.append(text("source.unmapped", unknown=UNKNOWN_DEPARTMENT, mapping=mapping_file, keys=listed))
        if self.unmapped.get(""):
            lines.append(text("source.no_unit", n=self.unmapped[""], unknown=UNKNOWN_DEPARTMENT))
        lines += [text("source.note", note=note, n=n) for note, n in sorted(self.notes.items())]
        return lines

    def _skip(self, reason: str, n: int) -> str:
        """`2 × booket, endnu ikke afholdt (not_yet_held)`; the code alone where there are no words for it."""
        words = self.skip_reasons_da.get(reason) if language() == "da" else None
        if words is None:
            return text("source.skip_code", n=n, code=reason)
        return text("source.skip_reason", n=n, reason=words, code=reason)


def run(settings: Settings, args: argparse.Namespace, poll_interval_s: float = 2.0) -> int:
    """Publish the files' records, or keep following a directory until SIGINT/SIGTERM."""
    if not args.files and args.follow is None:
        raise ConfigError(text("source.needs_files"))
    adapter, own_units = source_adapter(args.system, tz=settings.tz)
    if args.mapping is not None:
        mapping = load_mapping(input_file(args.mapping), tz=settings.tz, sections=adapter.sections)
    elif own_units is not None:
        mapping = own_units
    else:
        raise ConfigError(text("source.needs_mapping", system=args.system))
    files = [f for p in args.files for f in (folder_files(input_folder(p)) if p.is_dir() else [input_file(p)])]
    if args.follow is not None:
        input_folder(args.follow)
    with Publisher(require_kafka(settings)) as publisher:
        run = SourceRun(publisher, adapter.skip_reasons_da)
        for path in files:
            run.publish(adapter.read(path, mapping))
        if args.follow is not None:
            stop = Event()
            for signum in (signal.SIGINT, signal.SIGTERM):
                signal.signal(signum, lambda *_: stop.set())
            say(text("source.following", folder=args.follow, source=adapter.source))
            batches = adapter.follow(args.follow, mapping, stop=stop, poll_interval_s=poll_interval_s)
            try:
                for batch in batches:
                    run.publish(batch.results)
                    say(text("source.batch", path=batch.path, summary=run.headline()))
            finally:
                batches.close()
    for line in run.summary(mapping.file):
        print(line)
    return 1 if run.tally["rejected"] else 0
